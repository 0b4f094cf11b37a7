/** The vocabulary of the snippet generator: what can be asked for and what a template receives. */

export const PATTERNS = [
  'cache-aside', 'read-through', 'write-through', 'write-behind',
  'tag-invalidation', 'event-invalidation', 'stampede-lock', 'stampede-xfetch',
  'multi-level', 'cache-warming', 'circuit-breaker', 'memoize',
] as const;
export type Pattern = typeof PATTERNS[number];

export const LANGS = ['typescript', 'javascript', 'python', 'go', 'java', 'csharp'] as const;
export type Lang = typeof LANGS[number];

export type Backend = 'redis' | 'memcached';

export type Client =
  | 'ioredis' | 'node-redis' | 'memjs'
  | 'redis-py' | 'pymemcache'
  | 'go-redis' | 'gomemcache'
  | 'jedis' | 'spring-cache'
  | 'stackexchange-redis';

export type Serializer = 'json' | 'string';

/** What the user chose; every field has a default (see options.ts). */
export interface SnippetOptions {
  /** Seconds an entry lives in the shared cache. */
  ttl: number;
  /** Prefix of every key the code writes, e.g. "user:". */
  prefix: string;
  /** The cached thing, PascalCase, e.g. "User". */
  entity: string;
  serializer: Serializer;
  /** Name of the function that reads one entity from the source of truth. */
  loader: string;
  /** Name of the function that writes one entity (a batch, for write-behind) to the source of truth. */
  writer: string;
  /** Go only: the package clause of the generated file. */
  goPackage: string;
}

export interface Combination {
  pattern: Pattern;
  lang: Lang;
  client: Client;
  backend: Backend;
}

/** Everything a template needs to render one file. */
export interface RenderContext extends Combination {
  opts: SnippetOptions;
}

/** One template family: renders the body of a file (everything after the header comment). */
export interface LanguageTemplates {
  lang: Lang;
  /** File name extension, without the dot. */
  extension: string;
  /** The combinations this family can render, in a stable order. */
  combinations(): Combination[];
  render(ctx: RenderContext): string;
}

export interface GeneratedSnippet extends Combination {
  /** A suggested file name, e.g. "user-cache-aside.ts". */
  fileName: string;
  code: string;
}
