import { CacheLensError } from '../errors';
import type { Serializer, SnippetOptions } from './types';

export const DEFAULT_TTL = 300;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fills in defaults and rejects values that would produce code that does not compile. */
export function resolveOptions(partial: Partial<SnippetOptions> = {}): SnippetOptions {
  const entityRaw = partial.entity ?? 'User';
  if (!IDENT.test(entityRaw)) throw new CacheLensError('usage', `entity must be an identifier (letters, digits, _), got "${entityRaw}"`);
  const entity = entityRaw[0].toUpperCase() + entityRaw.slice(1);
  const ttl = partial.ttl ?? DEFAULT_TTL;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new CacheLensError('usage', `ttl must be a positive whole number of seconds, got ${ttl}`);
  const prefix = partial.prefix ?? `${entity.toLowerCase()}:`;
  // Keys must stay valid memcached keys and safe inside every language's string literal.
  if (!/^[A-Za-z0-9:._\-{}/|#@]*$/.test(prefix)) throw new CacheLensError('usage', `prefix may contain only letters, digits and : . _ - { } / | # @, got "${prefix}"`);
  const serializer: Serializer = partial.serializer ?? 'json';
  if (serializer !== 'json' && serializer !== 'string') throw new CacheLensError('usage', `serializer must be json or string, got "${String(serializer)}"`);
  const loader = partial.loader ?? `load${entity}`;
  const writer = partial.writer ?? `save${entity}`;
  for (const [name, v] of [['loader', loader], ['writer', writer]] as const) {
    if (!IDENT.test(v)) throw new CacheLensError('usage', `${name} must be an identifier, got "${v}"`);
  }
  const goPackage = partial.goPackage ?? 'cache';
  if (!/^[a-z][a-z0-9_]*$/.test(goPackage)) throw new CacheLensError('usage', `Go package must be lower-case, got "${goPackage}"`);
  return { ttl, prefix, entity, serializer, loader, writer, goPackage };
}

/** "User" -> "user", "OrderLine" -> "orderLine": for local variable names. */
export function lowerFirst(s: string): string {
  return s[0].toLowerCase() + s.slice(1);
}

/** "cache-aside" -> "CacheAside". */
export function pascal(s: string): string {
  return s.split(/[-_]/).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

/** "User" -> "user", "OrderLine" -> "order_line": for Python names. */
export function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
