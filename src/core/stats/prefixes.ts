/**
 * Hit ratio per key prefix, which Redis itself cannot tell (redis/redis#9965). Opt-in and
 * bounded in time, because it changes server configuration and MONITOR costs throughput:
 *
 * - misses: keyspace miss events (`notify-keyspace-events` gains `E` and `m`), subscribed on
 *   `__keyevent@*__:keymiss`, whose message is the missed key;
 * - reads: MONITOR, keeping one line in `sampleEvery` (every line by default).
 *
 * When the window closes (or it is cancelled, or anything fails) the server's original
 * `notify-keyspace-events` value is put back exactly as it was.
 */
import type { Redis } from 'ioredis';
import { CacheLensError } from '../errors';

export const PREFIX_PROFILE_WARNING =
  'Measuring the hit ratio by prefix turns on keyspace miss notifications and runs MONITOR on the server for the chosen time. ' +
  'MONITOR can cut a busy server\'s throughput by half or more while it runs. The server\'s notify-keyspace-events setting is restored afterwards.';

/** Commands whose key lookups Redis counts in keyspace_hits/misses, and where their keys are. */
const READS: Record<string, 'first' | 'all'> = {
  get: 'first', getex: 'first', getrange: 'first', substr: 'first', strlen: 'first', getdel: 'first',
  mget: 'all', exists: 'all',
  hget: 'first', hmget: 'first', hgetall: 'first', hexists: 'first', hlen: 'first', hkeys: 'first', hvals: 'first', hstrlen: 'first', hrandfield: 'first', hscan: 'first',
  lrange: 'first', lindex: 'first', llen: 'first', lpos: 'first',
  smembers: 'first', sismember: 'first', smismember: 'first', scard: 'first', srandmember: 'first', sscan: 'first',
  zrange: 'first', zrangebyscore: 'first', zrevrange: 'first', zscore: 'first', zmscore: 'first', zrank: 'first', zrevrank: 'first', zcard: 'first', zcount: 'first', zscan: 'first',
  xrange: 'first', xrevrange: 'first', xlen: 'first',
  type: 'first', ttl: 'first', pttl: 'first', expiretime: 'first', pexpiretime: 'first', dump: 'first', object: 'first',
};

export interface PrefixRow {
  prefix: string;
  reads: number;
  misses: number;
  hits: number;
  hitRatio: number | null;
}

export interface PrefixProfile {
  seconds: number;
  sampleEvery: number;
  /** MONITOR lines seen (before sampling). */
  monitored: number;
  rows: PrefixRow[];
}

export interface PrefixOptions {
  seconds: number;
  delimiter?: string;
  /** How many delimiter-separated parts make a prefix (1: `user:`). */
  depth?: number;
  /** Keep one MONITOR line in N (reads are scaled back up by N). */
  sampleEvery?: number;
  signal?: AbortSignal;
  onProgress?: (elapsedSeconds: number) => void;
}

export function prefixOf(key: string, delimiter: string, depth: number): string {
  let at = -1;
  for (let i = 0; i < depth; i++) {
    const next = key.indexOf(delimiter, at + 1);
    if (next === -1) return at === -1 ? '(no prefix)' : key.slice(0, at + delimiter.length);
    at = next;
  }
  return key.slice(0, at + delimiter.length);
}

/** Keys read by one MONITOR line's command, lower-cased command first. */
export function readKeys(args: string[]): string[] {
  const cmd = args[0]?.toLowerCase();
  const where = cmd ? READS[cmd] : undefined;
  if (!where) return [];
  if (cmd === 'object') return args[2] !== undefined ? [args[2]] : [];
  if (where === 'first') return args[1] !== undefined ? [args[1]] : [];
  return args.slice(1);
}

/** Adds `m` and `E` to a notify-keyspace-events value, keeping what was there. */
export function withMissEvents(flags: string): string {
  let out = flags;
  if (!out.includes('E')) out += 'E';
  // `A` is an alias that does not include `m`, so `m` is always added explicitly.
  if (!out.includes('m')) out += 'm';
  return out;
}

/**
 * Runs the profile on each node of the connection. `monitors` and `subscribers` are dedicated
 * connections (MONITOR and SUBSCRIBE take a connection over); `admins` run CONFIG GET/SET.
 */
export async function profilePrefixes(
  nodes: Array<{ admin: Redis; monitor: Redis; subscriber: Redis }>,
  options: PrefixOptions,
): Promise<PrefixProfile> {
  const delimiter = options.delimiter ?? ':';
  const depth = options.depth ?? 1;
  const sampleEvery = Math.max(1, Math.floor(options.sampleEvery ?? 1));
  if (!(options.seconds > 0 && options.seconds <= 3600)) throw new CacheLensError('usage', 'the measuring window must be between 1 s and 1 h');
  const reads = new Map<string, number>();
  const misses = new Map<string, number>();
  let monitored = 0;
  const originals: Array<{ admin: Redis; value: string }> = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    for (const n of nodes) {
      const reply = (await n.admin.config('GET', 'notify-keyspace-events')) as string[];
      const value = reply[1] ?? '';
      originals.push({ admin: n.admin, value });
      await n.admin.config('SET', 'notify-keyspace-events', withMissEvents(value));
    }
    for (const n of nodes) {
      await n.subscriber.psubscribe('__keyevent@*__:keymiss');
      n.subscriber.on('pmessage', (_pattern: string, _channel: string, key: string) => {
        const p = prefixOf(key, delimiter, depth);
        misses.set(p, (misses.get(p) ?? 0) + 1);
      });
      cleanups.push(() => n.subscriber.punsubscribe());
      const monitor = await n.monitor.monitor();
      monitor.on('monitor', (_time: string, args: string[]) => {
        monitored++;
        if (monitored % sampleEvery !== 0) return;
        for (const key of readKeys(args)) {
          const p = prefixOf(key, delimiter, depth);
          reads.set(p, (reads.get(p) ?? 0) + sampleEvery);
        }
      });
      cleanups.push(async () => { monitor.disconnect(); });
    }
    const started = Date.now();
    while (Date.now() - started < options.seconds * 1000) {
      if (options.signal?.aborted) break;
      await new Promise((r) => setTimeout(r, Math.min(250, options.seconds * 1000 - (Date.now() - started))));
      options.onProgress?.((Date.now() - started) / 1000);
    }
    // Let in-flight events arrive before counting.
    await new Promise((r) => setTimeout(r, 100));
    const prefixes = new Set([...reads.keys(), ...misses.keys()]);
    const rows: PrefixRow[] = [...prefixes].map((prefix) => {
      const m = misses.get(prefix) ?? 0;
      const r = Math.max(reads.get(prefix) ?? 0, m);
      return { prefix, reads: r, misses: m, hits: r - m, hitRatio: r > 0 ? (r - m) / r : null };
    }).sort((a, b) => b.reads - a.reads || a.prefix.localeCompare(b.prefix));
    return { seconds: (Date.now() - started) / 1000, sampleEvery, monitored, rows };
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    // Restore exactly what each server had, even after a failure or a cancel.
    for (const o of originals) await o.admin.config('SET', 'notify-keyspace-events', o.value).catch(() => undefined);
  }
}
