import { PATTERN_INFO } from '../catalog';
import { PATTERNS, type Combination, type Lang, type LanguageTemplates, type Pattern, type RenderContext } from '../types';
import { clientsFor } from '../catalog';
import { tsBasics, tsContext, tsExports, tsSleep } from './common';
import type { TsPattern } from './pattern';
import { cacheAside, cacheWarming, memoize, multiLevel, readThrough } from './read';
import { writeBehind, writeThrough } from './write';
import { eventInvalidation, tagInvalidation } from './invalidation';
import { circuitBreaker, stampedeLock, stampedeXfetch } from './protection';
import { renderTsStore } from './stores';

const TS_PATTERNS: Record<Pattern, TsPattern> = {
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

function family(lang: Lang, extension: string): LanguageTemplates {
  return {
    lang,
    extension,
    combinations(): Combination[] {
      const out: Combination[] = [];
      for (const pattern of PATTERNS) {
        for (const ci of clientsFor(lang)) {
          if (PATTERN_INFO[pattern].backends.includes(ci.backend)) out.push({ pattern, lang, client: ci.client, backend: ci.backend });
        }
      }
      return out;
    },
    render(ctx: RenderContext): string {
      const c = tsContext(ctx);
      const p = TS_PATTERNS[ctx.pattern];
      const store = renderTsStore(c, p.caps);
      const imports: string[] = [];
      for (const [mod, names] of Object.entries(p.nodeImports ?? {})) {
        imports.push(c.typed ? `import { ${names.join(', ')} } from 'node:${mod}';\n` : `const { ${names.join(', ')} } = require('node:${mod}');\n`);
      }
      if (store.imports) imports.push(store.imports);
      const parts = [
        c.typed ? '' : `'use strict';\n`,
        imports.join(''),
        tsBasics(c, { codec: !p.noDecode }),
        p.needsSleep ? tsSleep(c) : '',
        store.code,
        p.body(c),
        tsExports(c, p.exports(c)),
      ];
      return parts.filter((s) => s !== '').join('\n');
    },
  };
}

export const typescriptTemplates = family('typescript', 'ts');
export const javascriptTemplates = family('javascript', 'js');
