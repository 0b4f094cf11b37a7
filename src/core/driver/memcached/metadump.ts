/**
 * Complete key listing with `lru_crawler metadump all` (memcached >= 1.4.31). The crawler
 * cannot share a connection with other commands, so every listing opens its own socket and
 * closes it when done, cancelled or abandoned: closing is how a listing is stopped early.
 * Lines are parsed straight from the socket's bytes because a million keys must list about as
 * fast as the raw dump arrives.
 */
import type * as net from 'node:net';
import { CacheLensError } from '../../errors';
import { openSocket, type ConnectionSettings } from './connection';
import { uriDecode, uriDecodeInto } from './keycodec';
import { PackedKeysBuilder } from '../packed';
import type { PackedKeys } from '../types';

export interface DumpItem {
  key: Buffer;
  /** Absolute unix expiry time in seconds, -1 for none. */
  exp: number;
  /** Total item size in bytes, -1 when the line did not say. */
  size: number;
}

export interface DumpOptions {
  signal?: AbortSignal;
  /** Items per yielded batch. */
  batchSize?: number;
  /** `all` (LRU walk) or `hash` (hash table walk, >= 1.6.9). */
  mode?: 'all' | 'hash';
  /** The server's clock in unix seconds (TTLs are `exp` minus this); default the local clock. */
  serverNow?: () => number;
  /** Written into every batch's `node`. */
  node?: string;
}

/** Batches waiting for the consumer before the socket pauses, and the level where it resumes. */
const HIGH_WATER = 32;
const LOW_WATER = 8;

const KEY = [0x6b, 0x65, 0x79, 0x3d]; // "key="
const EXP = [0x65, 0x78, 0x70, 0x3d]; // "exp="
const SIZE = [0x73, 0x69, 0x7a, 0x65, 0x3d]; // "size="

function startsWith(buf: Buffer, at: number, end: number, name: number[]): boolean {
  if (at + name.length > end) return false;
  for (let i = 0; i < name.length; i++) if (buf[at + i] !== name[i]) return false;
  return true;
}

function parseInt10(buf: Buffer, start: number, end: number): number {
  let i = start;
  let sign = 1;
  if (buf[i] === 0x2d) { sign = -1; i++; }
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  return sign * n;
}

/**
 * Parses one metadump line (without its newline) tolerantly: any order of `name=value`
 * tokens, unknown names ignored. Returns null when the line has no key. One pass over the
 * bytes, no intermediate strings: a listing parses a million of these.
 */
export function parseDumpLine(buf: Buffer, start: number, end: number): DumpItem | null {
  let key: Buffer | null = null;
  let exp = -1;
  let size = -1;
  let i = start;
  while (i < end) {
    let j = i;
    while (j < end && buf[j] !== 0x20) j++;
    const c = buf[i];
    if (c === 0x6b && startsWith(buf, i, j, KEY)) key = uriDecode(buf, i + 4, j);
    else if (c === 0x65 && startsWith(buf, i, j, EXP)) exp = parseInt10(buf, i + 4, j);
    else if (c === 0x73 && startsWith(buf, i, j, SIZE)) size = parseInt10(buf, i + 5, j);
    i = j + 1;
  }
  return key ? { key, exp, size } : null;
}

/**
 * Appends one metadump line (which starts with `key=`) to a batch, with the item's absolute
 * `exp` in the ttlMs column (converted when the batch is handed over). The usual layout,
 * `key=K exp=E la=.. cas=.. fetch=.. cls=.. size=S`, is read in one forward pass over the key
 * and exp and a backward one over size; any other layout goes through parseDumpLine.
 * Returns false when the line has no key.
 */
export function appendDumpLine(b: PackedKeysBuilder, buf: Buffer, start: number, end: number): boolean {
  let k = start + 4;
  while (k < end && buf[k] !== 0x20) k++;
  const keyEnd = k;
  k++;
  if (k + 4 < end && buf[k] === 0x65 && buf[k + 1] === 0x78 && buf[k + 2] === 0x70 && buf[k + 3] === 0x3d) {
    k += 4;
    const negative = buf[k] === 0x2d;
    if (negative) k++;
    const digits = k;
    let exp = 0;
    for (; k < end; k++) {
      const d = buf[k] - 0x30;
      if (d < 0 || d > 9) break;
      exp = exp * 10 + d;
    }
    if (k > digits && (k === end || buf[k] === 0x20)) {
      let size = 0;
      let scale = 1;
      let i = end - 1;
      for (; i > k; i--) {
        const d = buf[i] - 0x30;
        if (d < 0 || d > 9) break;
        size += d * scale;
        scale *= 10;
      }
      if (i < end - 1 && i - 5 >= k && buf[i] === 0x3d && buf[i - 1] === 0x65 && buf[i - 2] === 0x7a && buf[i - 3] === 0x69 && buf[i - 4] === 0x73 && buf[i - 5] === 0x20) {
        b.reserve(keyEnd - start - 4);
        b.commit(uriDecodeInto(buf, start + 4, keyEnd, b.keyBytes, b.used), negative ? -exp : exp, size);
        return true;
      }
    }
  }
  const item = parseDumpLine(buf, start, end);
  if (item === null) return false;
  b.push(item.key, item.exp, item.size);
  return true;
}

/** Turns a batch's absolute expiry column (unix seconds, -1 none) into remaining ms, in place. */
export function expiryToTtl(batch: PackedKeys, nowS: number): PackedKeys {
  const t = batch.ttlMs;
  for (let i = 0; i < batch.count; i++) t[i] = t[i] === -1 ? -1 : Math.max(0, Math.round((t[i] - nowS) * 1000));
  return batch;
}

/** The crawler's refusals, as clear errors. BUSY and locked are retried by the caller. */
export function dumpRefusal(line: string, where: string): CacheLensError | null {
  if (line.startsWith('BUSY')) return new CacheLensError('server', `memcached at ${where} is busy with another LRU crawl; try again in a moment (${line})`);
  if (/locked/i.test(line)) return new CacheLensError('server', `memcached at ${where} refused key listing for now: ${line}`);
  if (line.startsWith('BADCLASS')) return new CacheLensError('server', `memcached at ${where} rejected the slab class list: ${line}`);
  if (/crawler disabled/i.test(line)) return new CacheLensError('unsupported', `the LRU crawler is disabled on memcached at ${where} (started with -o no_lru_crawler): keys cannot be listed completely`);
  if (/not allowed/i.test(line)) return new CacheLensError('unsupported', `key listing is not allowed on memcached at ${where} (started with -X)`);
  if (line.startsWith('ERROR') || line.startsWith('CLIENT_ERROR') || line.startsWith('SERVER_ERROR')) {
    return new CacheLensError('server', `memcached at ${where} refused lru_crawler metadump: ${line}`);
  }
  return null;
}

function isRetryable(e: CacheLensError): boolean {
  return /busy|locked/i.test(e.message);
}

/**
 * Streams the items of one server in batches. BUSY / locked replies are retried for up to
 * about 3 s (another crawl usually finishes quickly), then reported.
 */
export async function* metadump(settings: ConnectionSettings, options: DumpOptions = {}): AsyncGenerator<PackedKeys> {
  const deadline = Date.now() + 3000;
  for (let attempt = 0; ; attempt++) {
    let started = false;
    try {
      for await (const batch of dumpOnce(settings, options, () => { started = true; })) yield batch;
      return;
    } catch (e) {
      if (started || !CacheLensError.is(e) || !isRetryable(e) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 500)));
    }
  }
}

async function* dumpOnce(settings: ConnectionSettings, options: DumpOptions, onFirstItem: () => void): AsyncGenerator<PackedKeys> {
  const where = `${settings.address.host}:${settings.address.port}`;
  const batchSize = options.batchSize ?? 1000;
  const signal = options.signal;
  if (signal?.aborted) throw new CacheLensError('cancelled', 'key listing cancelled');
  const socket: net.Socket = await openSocket(settings);

  // Parsed batches wait here until the consumer takes them; the socket pauses when too many wait.
  const queue: PackedKeys[] = [];
  const current = new PackedKeysBuilder(batchSize, undefined, 'string', options.node ?? where);
  const serverNow = options.serverNow ?? (() => Date.now() / 1000);
  const handOver = () => queue.push(expiryToTtl(current.take(), serverNow()));
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let rest: Buffer | null = null;
  let timer: NodeJS.Timeout | undefined;
  const notify = () => { const w = wake; wake = null; w?.(); };
  const fail = (e: Error) => { if (!done && !failure) { failure = e; } notify(); };
  const armTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new CacheLensError('timeout', `memcached at ${where} stopped sending keys for ${Math.round(settings.timeoutMs / 100) / 10} s during listing`)), settings.timeoutMs);
  };
  const onAbort = () => fail(new CacheLensError('cancelled', 'key listing cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });

  const onData = (chunk: Buffer) => {
    armTimer();
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, pos);
      if (nl === -1) break;
      let lineEnd = nl;
      if (lineEnd > pos && buf[lineEnd - 1] === 0x0d) lineEnd--;
      if (buf[pos] === 0x6b /* k */ && startsWith(buf, pos, lineEnd, KEY)) {
        const first = current.count === 0 && queue.length === 0;
        if (appendDumpLine(current, buf, pos, lineEnd)) {
          if (first) onFirstItem();
          if (current.full) handOver();
        }
      } else {
        const line = buf.toString('latin1', pos, lineEnd);
        if (line === 'END') {
          if (current.count > 0) handOver();
          done = true;
          clearTimeout(timer);
          socket.destroy();
          notify();
          return;
        }
        const refusal = dumpRefusal(line, where);
        if (refusal) { fail(refusal); socket.destroy(); return; }
        // Any other line is a format we do not know yet: skip it rather than fail the listing.
      }
      pos = nl + 1;
    }
    rest = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
    if (queue.length > 0) {
      // A paused socket is the consumer's doing, not the server's silence: no timeout then.
      if (queue.length >= HIGH_WATER) { socket.pause(); clearTimeout(timer); }
      notify();
    }
  };
  socket.on('data', onData);
  socket.on('error', () => { /* 'close' follows */ });
  socket.on('close', () => {
    clearTimeout(timer);
    if (!done) fail(new CacheLensError('closed', `memcached at ${where} closed the connection during key listing`));
  });
  armTimer();
  socket.write(`lru_crawler metadump ${options.mode ?? 'all'}\r\n`);

  try {
    for (;;) {
      if (failure) throw failure;
      if (queue.length > 0) {
        const batch = queue.shift() as PackedKeys;
        if (queue.length <= LOW_WATER && socket.isPaused()) { socket.resume(); armTimer(); }
        yield batch;
        continue;
      }
      if (done) return;
      await new Promise<void>((r) => { wake = r; });
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    socket.destroy();
  }
}
