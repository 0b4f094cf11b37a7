/**
 * A raw RESP pipeline for the one job where per-command client overhead and Lua's per-call
 * overhead both show: SCAN with type, TTL and size for every key of a million-key keyspace.
 *
 * Measured on redis 7.0.15 (1M keys): a Lua script calling TYPE, PTTL and MEMORY USAGE costs
 * the server ~4.9 µs per key, the same three commands pipelined plainly ~4.0 µs, and ioredis
 * spends ~40 µs per key of client time on three pipelined commands. So this channel writes the
 * commands' bytes itself and parses the replies straight into numbers, on a connection of its
 * own: an ioredis duplicate of the node's client (same auth, TLS, db, sentinel resolution),
 * whose socket it takes over once the connection is ready. Replies come back in order, so a
 * FIFO of expected replies is all the state there is.
 */
import type { Redis } from 'ioredis';
import type { Socket } from 'node:net';
import { CacheLensError } from '../../errors';

/** TYPE's answers, by code; 7 stands for any other (module) type, whose name comes with it. */
export const RAW_TYPES = ['none', 'string', 'hash', 'list', 'set', 'zset', 'stream'] as const;

/** Type, TTL and size of a batch of keys, in columns. */
export interface RawMeta {
  /** Index into RAW_TYPES, or 7 with the name in `otherTypes` (in order). */
  codes: Uint8Array;
  otherTypes: string[];
  /** PTTL reply (-1 no TTL, -2 gone), or -1 in 'type' mode. */
  pttl: Float64Array;
  /** MEMORY USAGE reply, -1 when nil, refused, or in 'type' mode. */
  bytes: Float64Array;
}

/** One reply (or group of replies) the pipe waits for; `feed` parses what it can. */
interface Expectation {
  /**
   * Parses from `pos` as many whole replies as there are, returns the position after them and
   * says in `done` whether the expectation is complete.
   */
  feed(buf: Buffer, pos: number, self: { done: boolean }): number;
  done: boolean;
  resolve(): void;
  reject(e: Error): void;
}

const CRLF = Buffer.from('\r\n');

/** Position of the CR ending the line that starts at `pos`, or -1 when the line is not complete. */
function lineEnd(buf: Buffer, pos: number): number {
  const cr = buf.indexOf(0x0d, pos);
  return cr === -1 || cr + 1 >= buf.length ? -1 : cr;
}

function int(buf: Buffer, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === 0x2d;
  if (negative) i++;
  let n = 0;
  for (; i < end; i++) n = n * 10 + (buf[i] - 0x30);
  return negative ? -n : n;
}

const TYPE_NAMES = RAW_TYPES.map((t) => Buffer.from(t, 'latin1'));

/** Code of a TYPE reply's text at [s, e), 7 when it is none of the built-in types. */
function typeCode(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  for (let code = 1; code <= 6; code++) {
    const name = TYPE_NAMES[code];
    if (name.length !== len) continue;
    let i = 0;
    while (i < len && buf[s + i] === name[i]) i++;
    if (i === len) return code;
  }
  return len === 4 && buf[s] === 0x6e && buf[s + 1] === 0x6f && buf[s + 2] === 0x6e && buf[s + 3] === 0x65 ? 0 : 7;
}

/** RESP bulk-string header for a length: `$<n>\r\n`. */
function bulkHeader(n: number): string {
  return `$${n}\r\n`;
}

export class RawPipe {
  private readonly queue: Expectation[] = [];
  private rest: Buffer | null = null;
  private failure: Error | null = null;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `explain` turns raw failures (socket errors, error replies, a timeout) into the driver's
   * CacheLensErrors, worded like every other command's.
   */
  private constructor(private readonly client: Redis, private readonly socket: Socket, private readonly explain: (e: unknown) => CacheLensError, private readonly timeoutMs: number) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.fail(explain(new Error('Connection is closed.'))));
    socket.on('error', (e: Error) => this.fail(explain(e)));
  }

  /** A new connection like `node` (a duplicate), taken over for raw commands once it is ready. */
  static async open(node: Redis, explain: (e: unknown) => CacheLensError, timeoutMs: number): Promise<RawPipe> {
    const client = node.duplicate({
      lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, maxRetriesPerRequest: 0, autoResubscribe: false,
    });
    client.on('error', () => { /* reported by the scan that fails */ });
    try {
      await client.connect();
    } catch (e) {
      client.disconnect();
      throw explain(e);
    }
    const socket = client.stream as Socket;
    // ioredis's reply parser must not see our replies; its close handling stays (no retry).
    socket.removeAllListeners('data');
    return new RawPipe(client, socket, explain, timeoutMs);
  }

  close(): void {
    clearTimeout(this.timer);
    this.failAll(new CacheLensError('cancelled', 'the scan was stopped'));
    this.client.disconnect();
  }

  /** SCAN cursor [MATCH m] COUNT n: the next cursor and the keys. */
  scan(cursor: string, match: string | undefined, count: number): Promise<[string, Buffer[]]> {
    const args: Array<string | Buffer> = ['SCAN', cursor];
    if (match !== undefined) args.push('MATCH', Buffer.from(match, 'utf8'));
    args.push('COUNT', String(count));
    let result: [string, Buffer[]] = ['0', []];
    return this.send(encode(args), (buf, pos, self) => {
      const r = parseScan(buf, pos, this.explain);
      if (r === null) return pos;
      result = r.value;
      self.done = true;
      return r.end;
    }).then(() => result);
  }

  /**
   * TYPE (and in 'full' mode PTTL and MEMORY USAGE) of every key, pipelined: 1 or 3 commands
   * per key in one write, the replies parsed into columns as they arrive.
   */
  meta(keys: Buffer[], mode: 'full' | 'type'): Promise<RawMeta> {
    const n = keys.length;
    const per = mode === 'full' ? 3 : 1;
    const out: RawMeta = { codes: new Uint8Array(n), otherTypes: [], pttl: new Float64Array(n).fill(-1), bytes: new Float64Array(n).fill(-1) };
    let parsed = 0;
    let error: string | null = null;
    const total = n * per;
    return this.send(encodeMeta(keys, mode), (buf, pos, self) => {
      let p = pos;
      while (parsed < total) {
        const e = lineEnd(buf, p);
        if (e === -1) return p;
        const kind = buf[p];
        const key = per === 1 ? parsed : Math.floor(parsed / 3);
        const which = per === 1 ? 0 : parsed % 3;
        if (kind === 0x2d) {
          // An error reply. MEMORY USAGE refused (an ACL without @slow or MEMORY) leaves the
          // size unknown, as on servers that cannot tell; TYPE or PTTL refused fails the scan
          // once the whole group has been read, so the pipe stays in step.
          if (which !== 2) error ??= buf.toString('utf8', p + 1, e);
        } else if (which === 0) {
          const code = kind === 0x2b ? typeCode(buf, p + 1, e) : 7;
          out.codes[key] = code;
          if (code === 7) out.otherTypes.push(buf.toString('utf8', p + 1, e));
        } else if (kind === 0x3a) {
          (which === 1 ? out.pttl : out.bytes)[key] = int(buf, p + 1, e);
        } else if (kind === 0x24 && buf[p + 1] !== 0x2d) {
          // A bulk reply where a number was expected: not something these commands send.
          error ??= `unexpected reply to ${which === 1 ? 'PTTL' : 'MEMORY USAGE'}`;
          const len = int(buf, p + 1, e);
          if (e + 2 + len + 2 > buf.length) return p;
          p = e + 2 + len + 2;
          parsed++;
          continue;
        } // `$-1` and RESP3's `_` are nil: -1 stays
        p = e + 2;
        parsed++;
      }
      if (error !== null) throw this.explain(new Error(error));
      self.done = true;
      return p;
    }).then(() => out);
  }

  private send(bytes: Buffer, feed: Expectation['feed']): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ feed, done: false, resolve, reject });
      this.socket.write(bytes);
      this.arm();
    });
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.fail(this.explain(new Error(`timed out: no reply for ${Math.round(this.timeoutMs / 100) / 10} s during the scan`)));
      this.client.disconnect();
    }, this.timeoutMs);
  }

  private onData(chunk: Buffer): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let pos = 0;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0];
        pos = head.feed(buf, pos, head);
        if (!head.done) break;
        (this.queue.shift() as Expectation).resolve();
      }
    } catch (e) {
      this.fail(this.explain(e));
      this.client.disconnect();
      return;
    }
    this.rest = pos < buf.length ? buf.subarray(pos) : null;
    this.arm();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    clearTimeout(this.timer);
    this.failAll(this.failure);
  }

  private failAll(e: Error): void {
    const waiting = this.queue.splice(0);
    for (const w of waiting) w.reject(e);
  }
}

/** A command as RESP: `*n` then each argument as a bulk string. */
function encode(args: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(bulkHeader(b.length)), b, CRLF);
  }
  return Buffer.concat(parts);
}

const TYPE_HEAD = Buffer.from('*2\r\n$4\r\nTYPE\r\n');
const PTTL_HEAD = Buffer.from('*2\r\n$4\r\nPTTL\r\n');
const MEMORY_HEAD = Buffer.from('*3\r\n$6\r\nMEMORY\r\n$5\r\nUSAGE\r\n');

/** TYPE k / PTTL k / MEMORY USAGE k for every key, in one buffer. */
function encodeMeta(keys: Buffer[], mode: 'full' | 'type'): Buffer {
  const heads = mode === 'full' ? [TYPE_HEAD, PTTL_HEAD, MEMORY_HEAD] : [TYPE_HEAD];
  let size = 0;
  for (const k of keys) size += heads.length * (k.length + 16);
  for (const h of heads) size += keys.length * h.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const k of keys) {
    const header = bulkHeader(k.length);
    for (const h of heads) {
      at += h.copy(out, at);
      at += out.write(header, at, 'latin1');
      at += k.copy(out, at);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
  }
  return out.subarray(0, at);
}

/** A SCAN reply: `*2`, the cursor as a bulk string, then an array of bulk keys. Null when incomplete. */
function parseScan(buf: Buffer, pos: number, explain: (e: unknown) => CacheLensError): { value: [string, Buffer[]]; end: number } | null {
  let e = lineEnd(buf, pos);
  if (e === -1) return null;
  if (buf[pos] === 0x2d) throw explain(new Error(buf.toString('utf8', pos + 1, e)));
  let p = e + 2;
  e = lineEnd(buf, p);
  if (e === -1) return null;
  const cursorLen = int(buf, p + 1, e);
  p = e + 2;
  if (p + cursorLen + 2 > buf.length) return null;
  const cursor = buf.toString('latin1', p, p + cursorLen);
  p += cursorLen + 2;
  e = lineEnd(buf, p);
  if (e === -1) return null;
  const n = int(buf, p + 1, e);
  p = e + 2;
  const keys: Buffer[] = new Array<Buffer>(n);
  for (let i = 0; i < n; i++) {
    e = lineEnd(buf, p);
    if (e === -1) return null;
    const len = int(buf, p + 1, e);
    p = e + 2;
    if (p + len + 2 > buf.length) return null;
    keys[i] = Buffer.from(buf.subarray(p, p + len));
    p += len + 2;
  }
  return { value: [cursor, keys], end: p };
}
