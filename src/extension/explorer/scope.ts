/**
 * What a "Load more…" scan asks the server for: the connection's filter, narrowed to one
 * namespace by a MATCH on its prefix. Pure, so the escaping is unit-tested without a server.
 */
import { globMatcher, type KeyMatcher } from '../../core/glob';
import { prefixGlob } from '../../core/keyname';
import type { Filter } from './model';

export interface ScopeScan {
  /** The server-side MATCH glob, if any. */
  match?: string;
  type?: string;
  /** A client-side check for what the one MATCH glob cannot also say; undefined keeps every key. */
  keep?: KeyMatcher;
}

/**
 * The scan for the connection (no prefix) or for every key under `prefix`. The prefix becomes
 * `<prefix>*` with its glob metacharacters escaped, so `a*:` never matches `ab:1`. A glob holds
 * one pattern, so when a filter glob is also set it is checked here on the client; a prefix that
 * is not UTF-8 cannot be written as a glob and is compared byte by byte instead.
 */
export function scopeScan(prefix: Buffer | undefined, filter: Filter): ScopeScan {
  const type = filter.type;
  if (!prefix || prefix.length === 0) return { match: filter.match, type };
  const glob = prefixGlob(prefix);
  if (glob !== undefined) {
    return { match: glob, type, keep: filter.match !== undefined ? globMatcher(filter.match) : undefined };
  }
  const under: KeyMatcher = (key) => key.length >= prefix.length && key.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
  return { match: filter.match, type, keep: under };
}
