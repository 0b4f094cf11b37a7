import type { CliCommand } from '../io';

/** One `cachelens` subcommand as the help lists it; its code loads only when it runs. */
export interface CommandEntry {
  name: string;
  /** One line for `cachelens --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

/**
 * Every `cachelens` subcommand, one file each in this folder. Adding a command is one file
 * and one entry here. Commands load on demand so that a run pays only for its own modules:
 * `cachelens keys` on Memcached never loads ioredis, the simulator or the templates.
 */
export const commands: CommandEntry[] = [
  { name: 'keys', summary: 'list keys (SCAN / metadump) with type, TTL and size', load: async () => (await import('./keys')).keysCommand },
  { name: 'analyze', summary: 'key count, memory, types and TTLs per namespace (one pass)', load: async () => (await import('./analyze')).analyzeCommand },
  { name: 'get', summary: 'one key: type, TTL, size and value', load: async () => (await import('./get')).getCommand },
  { name: 'tags', summary: 'list tags (Redis tag:<name> sets) or the keys of one tag', load: async () => (await import('./tags')).tagsCommand },
  { name: 'purge', summary: 'delete keys by glob, tag or name, after a count and a confirmation', load: async () => (await import('./purge')).purgeCommand },
  { name: 'stats', summary: 'hit/miss rates and hit ratio, one shot or live (--watch)', load: async () => (await import('./stats')).statsCommand },
  { name: 'simulate', summary: 'simulate eviction policies on a synthetic or recorded trace (miss-ratio curves)', load: async () => (await import('./simulate')).simulateCommand },
  { name: 'ring', summary: 'hash-ring and cluster-slot placement: spread, moves on add/remove, key lookup', load: async () => (await import('./ring')).ringCommand },
  { name: 'scaffold', summary: 'generate caching-pattern code for your language and client (no connection needed)', load: async () => (await import('./scaffold')).scaffoldCommand },
];
