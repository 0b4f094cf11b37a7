import { CacheLensError } from '../errors';
import { CLIENTS, PATTERN_INFO } from './catalog';
import { renderHeader } from './header';
import { pascal, resolveOptions } from './options';
import { LANGS, PATTERNS, type Backend, type Client, type Combination, type GeneratedSnippet, type Lang, type LanguageTemplates, type Pattern, type SnippetOptions } from './types';
import { javascriptTemplates, typescriptTemplates } from './ts/index';
import { pythonTemplates } from './python/index';
import { goTemplates } from './go/index';
import { javaTemplates } from './java/index';
import { csharpTemplates } from './csharp/index';

/** One template family per language; adding a language is one folder and one line here. */
const FAMILIES: Record<Lang, LanguageTemplates> = {
  typescript: typescriptTemplates,
  javascript: javascriptTemplates,
  python: pythonTemplates,
  go: goTemplates,
  java: javaTemplates,
  csharp: csharpTemplates,
};

/** Every supported combination, in a stable order (pattern, then language, then client). */
export function listCombinations(): Combination[] {
  const all = LANGS.flatMap((lang) => FAMILIES[lang].combinations());
  const order = (c: Combination) => [PATTERNS.indexOf(c.pattern), LANGS.indexOf(c.lang), CLIENTS.findIndex((x) => x.client === c.client && x.lang === c.lang)];
  return all.sort((a, b) => {
    const x = order(a); const y = order(b);
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

export interface SnippetRequest {
  pattern: string;
  lang: string;
  client?: string;
  backend?: string;
  options?: Partial<SnippetOptions>;
}

/** Picks the combination a request means: the client decides the backend, else the backend picks the first client. */
export function resolveCombination(req: SnippetRequest): Combination {
  if (!(PATTERNS as readonly string[]).includes(req.pattern)) {
    throw new CacheLensError('usage', `unknown pattern "${req.pattern}"; one of: ${PATTERNS.join(', ')}`);
  }
  if (!(LANGS as readonly string[]).includes(req.lang)) {
    throw new CacheLensError('usage', `unknown language "${req.lang}"; one of: ${LANGS.join(', ')}`);
  }
  if (req.backend !== undefined && req.backend !== 'redis' && req.backend !== 'memcached') {
    throw new CacheLensError('usage', `backend must be redis or memcached, got "${req.backend}"`);
  }
  const pattern = req.pattern as Pattern;
  const lang = req.lang as Lang;
  const candidates = listCombinations().filter((c) => c.pattern === pattern && c.lang === lang
    && (req.client === undefined || c.client === req.client)
    && (req.backend === undefined || c.backend === req.backend));
  if (candidates.length === 0) {
    const clients = CLIENTS.filter((c) => c.lang === lang).map((c) => c.client);
    if (req.client !== undefined && !clients.includes(req.client as Client)) {
      throw new CacheLensError('usage', `unknown client "${req.client}" for ${lang}; one of: ${clients.join(', ')}`);
    }
    const backends = PATTERN_INFO[pattern].backends.join(' or ');
    const what = [req.client, req.backend].filter(Boolean).join(' on ');
    throw new CacheLensError('unsupported', `${pattern} is not available for ${lang}${what ? ` with ${what}` : ''} (it needs ${backends}; see cachelens scaffold --list)`);
  }
  return candidates[0];
}

export function fileNameFor(c: Combination, opts: SnippetOptions): string {
  const ext = FAMILIES[c.lang].extension;
  const base = `${opts.entity}-${c.pattern}`;
  if (c.lang === 'java' || c.lang === 'csharp') return `${opts.entity}${pascal(c.pattern)}${c.client === 'spring-cache' ? 'Service' : ''}.${ext}`;
  if (c.lang === 'python' || c.lang === 'go') return `${base.toLowerCase().replace(/-/g, '_')}.${ext}`;
  return `${base.toLowerCase()}.${ext}`;
}

/** Renders one file: the header comment, then the pattern for that language and client. */
export function generateSnippet(req: SnippetRequest): GeneratedSnippet {
  const combo = resolveCombination(req);
  const opts = resolveOptions(req.options);
  const ctx = { ...combo, opts };
  const body = FAMILIES[combo.lang].render(ctx);
  const code = `${renderHeader(ctx)}\n${body.trimEnd()}\n`;
  return { ...combo, fileName: fileNameFor(combo, opts), code };
}

export function backendsOf(pattern: Pattern): Backend[] {
  return PATTERN_INFO[pattern].backends;
}
