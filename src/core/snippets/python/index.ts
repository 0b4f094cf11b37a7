import { clientsFor, PATTERN_INFO } from '../catalog';
import { PATTERNS, type Combination, type LanguageTemplates, type Pattern, type RenderContext } from '../types';
import { pyBasics, pyContext, type PyPattern } from './common';
import { cacheAside, cacheWarming, memoize, multiLevel, readThrough } from './read';
import { writeBehind, writeThrough } from './write';
import { eventInvalidation, tagInvalidation } from './invalidation';
import { circuitBreaker, stampedeLock, stampedeXfetch } from './protection';
import { renderPyStore } from './stores';

const PY_PATTERNS: Record<Pattern, PyPattern> = {
  'cache-aside': cacheAside,
  'read-through': readThrough,
  'write-through': writeThrough,
  'write-behind': writeBehind,
  'tag-invalidation': tagInvalidation,
  'event-invalidation': eventInvalidation,
  'stampede-lock': stampedeLock,
  'stampede-xfetch': stampedeXfetch,
  'multi-level': multiLevel,
  'cache-warming': cacheWarming,
  'circuit-breaker': circuitBreaker,
  memoize,
};

const STDLIB = ['json', 'random', 'time'];
const TYPING = ['Any', 'Callable', 'Dict', 'Iterable', 'List', 'Optional', 'Tuple'];

/** Imports only what the rendered code uses, so the file stays clean under a linter. */
function importsFor(code: string, extra: string[]): string {
  const std = STDLIB.filter((m) => new RegExp(`\\b${m}\\.`).test(code)).map((m) => `import ${m}`);
  const all = [...new Set([...std, ...extra])];
  const plain = all.filter((l) => l.startsWith('import ')).sort();
  const from = all.filter((l) => l.startsWith('from ') && !l.includes('pymemcache')).sort();
  const typing = TYPING.filter((t) => new RegExp(`\\b${t}\\b`).test(code));
  if (typing.length) from.push(`from typing import ${typing.join(', ')}`);
  from.sort();
  const third = all.filter((l) => l.includes('pymemcache') || l === 'import redis');
  const stdPlain = plain.filter((l) => l !== 'import redis');
  return [[...stdPlain, ...from].join('\n'), third.join('\n')].filter((s) => s !== '').join('\n\n') + '\n';
}

export const pythonTemplates: LanguageTemplates = {
  lang: 'python',
  extension: 'py',
  combinations(): Combination[] {
    const out: Combination[] = [];
    for (const pattern of PATTERNS) {
      for (const ci of clientsFor('python')) {
        if (PATTERN_INFO[pattern].backends.includes(ci.backend)) out.push({ pattern, lang: 'python', client: ci.client, backend: ci.backend });
      }
    }
    return out;
  },
  render(ctx: RenderContext): string {
    const p = pyContext(ctx);
    const pattern = PY_PATTERNS[ctx.pattern];
    const store = renderPyStore(ctx, pattern.caps);
    const body = [pyBasics(p, !pattern.noCodec), store.code, pattern.body(p)].join('\n\n');
    return `${importsFor(body, [...pattern.imports, ...store.imports])}\n\n${body}`;
  },
};
