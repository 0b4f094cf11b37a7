import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Backend, Client, Lang } from './types';
import { CLIENTS } from './catalog';

/** One stack found in a workspace: a language, and the cache client it already depends on (if any). */
export interface DetectedStack {
  lang: Lang;
  client?: Client;
  backend?: Backend;
  /** The file that showed it, relative to the workspace root. */
  source: string;
}

/** Files the detector looks at in the workspace root; `*.csproj` is matched by extension. */
export const MANIFESTS = ['package.json', 'tsconfig.json', 'requirements.txt', 'pyproject.toml', 'go.mod', 'pom.xml', 'build.gradle', 'build.gradle.kts'];

const backendOf = (lang: Lang, client: Client): Backend | undefined => CLIENTS.find((c) => c.lang === lang && c.client === client)?.backend;

/**
 * Finds what a workspace is written in and which cache client it uses, from its manifests
 * (file name -> content). Stacks with a known client come first, so the caller can offer that
 * variant first; stacks without one still tell the language.
 */
export function detectStacks(files: Map<string, string>): DetectedStack[] {
  const found: DetectedStack[] = [];
  const add = (lang: Lang, source: string, client?: Client) => {
    if (found.some((f) => f.lang === lang && f.client === client)) return;
    found.push({ lang, source, ...(client ? { client, backend: backendOf(lang, client) } : {}) });
  };

  const pkg = files.get('package.json');
  if (pkg !== undefined) {
    let deps: Record<string, unknown> = {};
    try {
      const json = JSON.parse(pkg) as { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
      deps = { ...json.devDependencies, ...json.dependencies };
    } catch {
      // A package.json that does not parse still says this is a Node project.
    }
    const lang: Lang = files.has('tsconfig.json') || 'typescript' in deps ? 'typescript' : 'javascript';
    if ('ioredis' in deps) add(lang, 'package.json', 'ioredis');
    if ('redis' in deps) add(lang, 'package.json', 'node-redis');
    if ('memjs' in deps) add(lang, 'package.json', 'memjs');
    add(lang, 'package.json');
  }

  for (const name of ['requirements.txt', 'pyproject.toml']) {
    const text = files.get(name);
    if (text === undefined) continue;
    // Requirement names are case-insensitive and may be followed by a version, extras or a quote.
    const has = (dep: string) => new RegExp(`(^|["'\\s])${dep}(\\s*[<>=~!\\[;"',]|\\s*$)`, 'im').test(text);
    if (has('redis')) add('python', name, 'redis-py');
    if (has('pymemcache')) add('python', name, 'pymemcache');
    add('python', name);
  }

  const gomod = files.get('go.mod');
  if (gomod !== undefined) {
    if (/github\.com\/redis\/go-redis\/v9/.test(gomod)) add('go', 'go.mod', 'go-redis');
    if (/github\.com\/bradfitz\/gomemcache/.test(gomod)) add('go', 'go.mod', 'gomemcache');
    add('go', 'go.mod');
  }

  for (const name of ['pom.xml', 'build.gradle', 'build.gradle.kts']) {
    const text = files.get(name);
    if (text === undefined) continue;
    if (/spring-boot-starter-(data-redis|cache)/.test(text)) add('java', name, 'spring-cache');
    if (/\bjedis\b/.test(text)) add('java', name, 'jedis');
    add('java', name);
  }

  for (const [name, text] of files) {
    if (!name.endsWith('.csproj')) continue;
    if (/StackExchange\.Redis/i.test(text)) add('csharp', name, 'stackexchange-redis');
    add('csharp', name);
  }

  return [...found.filter((f) => f.client), ...found.filter((f) => !f.client)];
}

/** Reads the manifests from a directory (the workspace root) and detects its stacks. */
export function detectStacksInDir(dir: string): DetectedStack[] {
  const files = new Map<string, string>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) {
    if (!MANIFESTS.includes(name) && !name.endsWith('.csproj')) continue;
    try {
      // Manifests are small; a huge file is not one of ours.
      const stat = fs.statSync(path.join(dir, name));
      if (stat.isFile() && stat.size < 2_000_000) files.set(name, fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      // Unreadable files are skipped: detection is only a hint.
    }
  }
  return detectStacks(files);
}

/**
 * Orders combinations so that what the workspace already uses comes first: an exact
 * language + client match, then the detected language with another client, then the rest.
 */
export function preferDetected<T extends { lang: Lang; client: Client }>(combos: T[], stacks: DetectedStack[]): Array<T & { detectedIn?: string }> {
  // TypeScript and JavaScript share npm packages: a client found in package.json is the
  // workspace's client for both, just ranked after an exact language match.
  const npm = (l: Lang) => l === 'typescript' || l === 'javascript';
  const rank = (c: T): { score: number; source?: string } => {
    const exact = stacks.find((s) => s.lang === c.lang && s.client === c.client);
    if (exact) return { score: 0, source: exact.source };
    const sibling = npm(c.lang) ? stacks.find((s) => s.client === c.client && npm(s.lang)) : undefined;
    if (sibling) return { score: 1, source: sibling.source };
    const lang = stacks.find((s) => s.lang === c.lang);
    if (lang) return { score: 2 };
    return { score: 3 };
  };
  return combos
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => a.r.score - b.r.score || a.i - b.i)
    .map(({ c, r }) => (r.source ? { ...c, detectedIn: r.source } : c));
}
