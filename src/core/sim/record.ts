import * as fs from 'node:fs';
import Redis from 'ioredis';
import { CacheLensError, redactUrl } from '../errors';
import { objectUniform } from './traces/distributions';

/**
 * Records a live Redis workload as a trace with MONITOR, for simulating the user's own traffic.
 * Opt-in only: the caller must pass `acknowledgeCost: true` after showing RECORD_COST_WARNING.
 *
 * Only reads become requests (a cache-aside SET after a missed GET would otherwise count as a
 * second request). Writes teach the recorder each key's value size and TTL. Sampling is by key
 * (a hash of the key below the rate), so every request to a kept key is kept and reuse
 * distances survive, as in spatially sampled miss-ratio curves (SHARDS).
 */
export const RECORD_COST_WARNING =
  'Recording uses Redis MONITOR: the server copies every command it runs to CacheLens, which can cut its ' +
  'throughput by half or more while recording. Sampling only lowers what CacheLens keeps, not what the server sends. ' +
  'Record for a few seconds, preferably against a replica or off-peak.';

export interface RecordOptions {
  /** redis:// or rediss:// URL (credentials are never shown in messages). */
  url: string;
  /** A password kept apart from the URL (the extension's SecretStorage); the URL's own wins. */
  password?: string;
  /** How long to record. */
  seconds: number;
  /** Must be true: the caller has shown RECORD_COST_WARNING and the user agreed. */
  acknowledgeCost: boolean;
  /** Fraction of keys to keep, (0, 1]; default 1. */
  sampleRate?: number;
  /** Stop early after this many kept requests (default 5,000,000) to bound memory. */
  maxRequests?: number;
  signal?: AbortSignal;
  /** Called once MONITOR is active, then about every second with the kept request count. */
  onProgress?: (requests: number, elapsedSeconds: number) => void;
}

export interface RecordedRequest {
  /** Seconds since the first recorded command. */
  time: number;
  key: string;
  /** Value size in bytes when a write or MEMORY USAGE told us, else 1. */
  size: number;
  /** TTL in seconds set by the last write seen for the key, or 0 for none. */
  ttl: number;
}

export interface RecordedTrace {
  requests: RecordedRequest[];
  /** Commands seen (all of them, before sampling and filtering). */
  commandsSeen: number;
  seconds: number;
  sampleRate: number;
}

/** Read commands and where their keys are: `first` to `last` (negative: from the end), every `step`. */
const READS: Record<string, { first: number; last: number; step: number }> = {};
for (const c of ['get', 'getex', 'getdel', 'getrange', 'strlen', 'hget', 'hmget', 'hgetall', 'hexists', 'hkeys', 'hvals', 'hlen', 'hstrlen',
  'lrange', 'lindex', 'llen', 'smembers', 'sismember', 'smismember', 'scard', 'srandmember', 'zrange', 'zrangebyscore', 'zrevrange',
  'zrevrangebyscore', 'zscore', 'zmscore', 'zrank', 'zrevrank', 'zcard', 'zcount', 'getbit', 'bitcount', 'xrange', 'xrevrange', 'xlen',
  'json.get', 'type', 'ttl', 'pttl']) READS[c] = { first: 1, last: 1, step: 1 };
for (const c of ['mget', 'exists', 'touch', 'sunion', 'sinter', 'sdiff', 'pfcount']) READS[c] = { first: 1, last: -1, step: 1 };

/** Writes whose value size we can read: command -> index of the value argument. */
const WRITES: Record<string, number> = { set: 2, setnx: 2, setex: 3, psetex: 3, getset: 2, append: 2 };

export async function recordRedisTrace(options: RecordOptions): Promise<RecordedTrace> {
  if (!options.acknowledgeCost) throw new CacheLensError('usage', `recording needs explicit consent: ${RECORD_COST_WARNING}`);
  const rate = options.sampleRate ?? 1;
  if (!(rate > 0 && rate <= 1)) throw new CacheLensError('usage', `the sample rate must be in (0, 1], got ${rate}`);
  if (!(options.seconds > 0)) throw new CacheLensError('usage', `the recording time must be positive, got ${options.seconds}`);
  const maxRequests = options.maxRequests ?? 5_000_000;
  const shown = redactUrl(options.url);
  // MONITOR shows one server's traffic: sentinel, cluster and Memcached URLs need more than one connection.
  if (!/^rediss?:\/\//i.test(options.url)) {
    throw new CacheLensError('unsupported', `recording needs a redis:// or rediss:// URL of one Redis server, not ${shown}`);
  }
  const client = new Redis(options.url, { password: options.password, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
  // ioredis reports the real cause (e.g. WRONGPASS) as an event and rejects with "Connection is closed".
  let lastError: unknown;
  client.on('error', (e: unknown) => { lastError = e; });
  let monitor: Redis | undefined;
  try {
    try {
      await client.connect();
      monitor = await client.monitor();
    } catch (e) {
      const cause = lastError ?? e;
      const text = messageOf(cause, options.url, options.password);
      if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(text)) {
        throw new CacheLensError('auth', `authentication failed at ${shown}`, cause);
      }
      throw new CacheLensError(/NOPERM/i.test(text) ? 'server' : 'unreachable', `cannot start MONITOR on ${shown}: ${text}`, cause);
    }
    monitor.on('error', () => { /* the recording ends with what it has */ });
    const requests: RecordedRequest[] = [];
    const sizes = new Map<string, number>();
    const ttls = new Map<string, number>();
    let commandsSeen = 0;
    let t0: number | undefined;
    const keep = (key: string) => rate === 1 || objectUniform(0x5eed, hashKey(key), 0) < rate;
    monitor.on('monitor', (time: string, args: string[]) => {
      commandsSeen++;
      if (requests.length >= maxRequests || args.length < 2) return;
      const cmd = String(args[0]).toLowerCase();
      const at = Number(time);
      t0 ??= at;
      const write = WRITES[cmd];
      if (write !== undefined && keep(args[1])) {
        if (args[write] !== undefined) sizes.set(args[1], Buffer.byteLength(args[write]));
        ttls.set(args[1], writeTtl(cmd, args));
        return;
      }
      const read = READS[cmd];
      if (!read) return;
      const last = read.last < 0 ? args.length + read.last : read.last;
      for (let i = read.first; i <= last && i < args.length; i += read.step) {
        if (keep(args[i])) requests.push({ time: at - t0, key: args[i], size: 0, ttl: 0 });
      }
    });
    const started = Date.now();
    options.onProgress?.(0, 0);
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        options.onProgress?.(requests.length, (Date.now() - started) / 1000);
        if (requests.length >= maxRequests) finish();
      }, 1000);
      const timer = setTimeout(() => finish(), options.seconds * 1000);
      const finish = () => { clearInterval(tick); clearTimeout(timer); options.signal?.removeEventListener('abort', finish); resolve(); };
      options.signal?.addEventListener('abort', finish, { once: true });
      if (options.signal?.aborted) finish();
    });
    monitor.disconnect();
    monitor = undefined;
    if (options.signal?.aborted) throw new CacheLensError('cancelled', 'the recording was cancelled');
    await fillSizes(client, requests, sizes);
    for (const r of requests) {
      r.size = sizes.get(r.key) ?? 1;
      r.ttl = ttls.get(r.key) ?? 0;
    }
    return { requests, commandsSeen, seconds: (Date.now() - started) / 1000, sampleRate: rate };
  } finally {
    monitor?.disconnect();
    client.disconnect();
  }
}

/** Sizes of keys no write told us about, from MEMORY USAGE (metadata only: no GET, no hit counted). */
async function fillSizes(client: Redis, requests: RecordedRequest[], sizes: Map<string, number>): Promise<void> {
  const unknown = [...new Set(requests.map((r) => r.key))].filter((k) => !sizes.has(k)).slice(0, 50_000);
  for (let i = 0; i < unknown.length; i += 1000) {
    const batch = unknown.slice(i, i + 1000);
    const pipe = client.pipeline();
    for (const k of batch) pipe.call('MEMORY', 'USAGE', k);
    const replies = (await pipe.exec()) ?? [];
    replies.forEach(([err, v], j) => { if (!err && typeof v === 'number' && v > 0) sizes.set(batch[j], v); });
  }
}

function writeTtl(cmd: string, args: string[]): number {
  if (cmd === 'setex') return Number(args[2]) || 0;
  if (cmd === 'psetex') return (Number(args[2]) || 0) / 1000;
  if (cmd !== 'set') return 0;
  for (let i = 3; i < args.length - 1; i++) {
    const opt = String(args[i]).toLowerCase();
    if (opt === 'ex') return Number(args[i + 1]) || 0;
    if (opt === 'px') return (Number(args[i + 1]) || 0) / 1000;
  }
  return 0;
}

function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function messageOf(e: unknown, url: string, separate?: string): string {
  let text = e instanceof Error ? e.message : String(e);
  // Never echo a password, even if a library put the URL into its message.
  const password = /^[a-z+]+:\/\/[^:@/]*:([^@/]*)@/i.exec(url)?.[1];
  for (const secret of [password && decodeURIComponent(password), password, separate]) {
    if (secret) text = text.split(secret).join('***');
  }
  return text;
}

/** The recording as a CSV trace (`time,key,size,ttl`, keys quoted when needed), readable by --trace-file. */
export function recordedTraceCsv(trace: RecordedTrace): string {
  const quote = (k: string) => (/[",\r\n]/.test(k) || k.trim() !== k ? `"${k.replace(/"/g, '""')}"` : k);
  return 'time,key,size,ttl\n' + trace.requests.map((r) => `${r.time.toFixed(6)},${quote(r.key)},${r.size},${r.ttl}`).join('\n') + (trace.requests.length ? '\n' : '');
}

export function writeRecordedTrace(trace: RecordedTrace, file: string): void {
  fs.writeFileSync(file, recordedTraceCsv(trace), 'utf8');
}
