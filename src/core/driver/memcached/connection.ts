/**
 * One text/meta-protocol connection to one memcached server. Commands are written as soon as
 * they are issued (pipelining) and replies are matched in order, each by its own reply reader.
 * A dead socket is replaced by a fresh one on the next command, so a server that comes back is
 * used again without any retry loop of ours.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { CacheLensError } from '../../errors';
import type { HostPort } from '../url';

/** TLS material already read from its files. */
export interface SocketTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  rejectUnauthorized?: boolean;
}

/** Reads one reply from `buf` at `start`; returns null when more bytes are needed. */
export type ReplyReader<T> = (buf: Buffer, start: number) => { value: T; end: number } | null;

interface Pending {
  read: ReplyReader<unknown>;
  resolve(value: unknown): void;
  reject(e: Error): void;
  what: string;
}

export interface ConnectionSettings {
  address: HostPort;
  tls?: SocketTls;
  /** Per-operation and connect timeout in ms. */
  timeoutMs: number;
}

const CRLF = Buffer.from('\r\n');

export function hostPort(a: HostPort): string {
  return `${a.host}:${a.port}`;
}

/** Opens a socket (TLS when configured) and resolves once it is ready for commands. */
export function openSocket(settings: ConnectionSettings): Promise<net.Socket> {
  const { address, timeoutMs } = settings;
  const where = hostPort(address);
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    const fail = (e: Error) => { clearTimeout(timer); socket.destroy(); reject(e); };
    const timer = setTimeout(() => {
      fail(new CacheLensError('unreachable', `cannot connect to memcached at ${where}: no answer within ${Math.round(timeoutMs / 100) / 10} s`));
    }, timeoutMs);
    const ready = () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve(socket);
    };
    if (settings.tls) {
      const t = settings.tls;
      socket = tls.connect({
        host: address.host, port: address.port,
        ca: t.ca, cert: t.cert, key: t.key,
        servername: t.servername ?? (net.isIP(address.host) ? undefined : address.host),
        rejectUnauthorized: t.rejectUnauthorized !== false,
      }, ready);
    } else {
      socket = net.connect({ host: address.host, port: address.port }, ready);
    }
    socket.once('error', (e: NodeJS.ErrnoException) => fail(connectError(e, where, Boolean(settings.tls))));
  });
}

function connectError(e: NodeJS.ErrnoException, where: string, usesTls: boolean): CacheLensError {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return new CacheLensError('unreachable', `cannot connect to memcached at ${where}: connection refused`, e);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new CacheLensError('unreachable', `cannot connect to memcached at ${where}: unknown host`, e);
  if (usesTls && (/CERT|SSL|TLS|SIGNATURE|ALTNAME|ISSUER/.test(code) || /certificate|ssl|tls/i.test(e.message))) {
    return new CacheLensError('tls', `TLS handshake with memcached at ${where} failed: ${e.message}`, e);
  }
  if (code === 'ECONNRESET' && usesTls) return new CacheLensError('tls', `TLS handshake with memcached at ${where} failed: the server reset the connection (is TLS enabled on it?)`, e);
  return new CacheLensError('unreachable', `cannot connect to memcached at ${where}: ${e.message}`, e);
}

export class TextConnection {
  private socket: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closedByUs = false;

  constructor(readonly settings: ConnectionSettings) {}

  get where(): string {
    return hostPort(this.settings.address);
  }

  /** Sends one command (already encoded, CRLF included) and resolves with its reader's result. */
  async send<T>(command: Buffer | string, read: ReplyReader<T>, what: string): Promise<T> {
    const socket = await this.ensureSocket();
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ read, resolve: resolve as (v: unknown) => void, reject, what });
      this.armTimer();
      // Keys travel as latin1 text so that each byte stays one byte on the wire.
      socket.write(typeof command === 'string' ? Buffer.from(command, 'latin1') : command);
    });
  }

  /** Many commands in one write; one settled result per command, in order. */
  async sendManySettled<T>(commands: Buffer[], read: ReplyReader<T>, what: string): Promise<Array<PromiseSettledResult<T>>> {
    if (commands.length === 0) return [];
    const socket = await this.ensureSocket();
    const results = commands.map(() => new Promise<T>((resolve, reject) => {
      this.pending.push({ read, resolve: resolve as (v: unknown) => void, reject, what });
    }));
    this.armTimer();
    socket.write(Buffer.concat(commands));
    return Promise.allSettled(results);
  }

  close(): void {
    this.closedByUs = true;
    this.failAll(new CacheLensError('closed', `connection to memcached at ${this.where} was closed`));
    this.socket?.destroy();
    this.socket = undefined;
  }

  private ensureSocket(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    if (this.closedByUs) return Promise.reject(new CacheLensError('closed', `connection to memcached at ${this.where} was closed`));
    if (!this.connecting) {
      this.connecting = openSocket(this.settings).then((socket) => {
        this.connecting = undefined;
        this.socket = socket;
        this.buf = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => this.onData(chunk));
        socket.on('error', () => { /* 'close' follows and reports it */ });
        socket.on('close', () => {
          if (this.socket === socket) this.socket = undefined;
          this.failAll(new CacheLensError('closed', `memcached at ${this.where} closed the connection`));
        });
        return socket;
      }, (e: unknown) => { this.connecting = undefined; throw e; });
    }
    return this.connecting;
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    if (this.pending.length === 0) return;
    this.timer = setTimeout(() => {
      const what = this.pending[0]?.what ?? 'a command';
      this.failAll(new CacheLensError('timeout', `memcached at ${this.where} did not answer ${what} within ${Math.round(this.settings.timeoutMs / 100) / 10} s`));
      this.socket?.destroy();
      this.socket = undefined;
    }, this.settings.timeoutMs);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let start = 0;
    while (this.pending.length > 0) {
      const head = this.pending[0];
      let result: { value: unknown; end: number } | null;
      try {
        result = head.read(this.buf, start);
      } catch (e) {
        // A reply we cannot frame leaves the stream unusable: drop the socket.
        this.failAll(e instanceof Error ? e : new Error(String(e)));
        this.socket?.destroy();
        return;
      }
      if (!result) break;
      start = result.end;
      this.pending.shift();
      if (result.value instanceof ServerReplyError) head.reject(result.value.toCacheLensError(this.where, head.what));
      else head.resolve(result.value);
    }
    this.buf = start >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(start);
    this.armTimer();
  }

  private failAll(e: Error): void {
    clearTimeout(this.timer);
    const all = this.pending.splice(0);
    for (const p of all) p.reject(e);
  }
}

/** An `ERROR`, `CLIENT_ERROR` or `SERVER_ERROR` line: the reply of that one command. */
export class ServerReplyError {
  constructor(readonly line: string) {}
  toCacheLensError(where: string, what: string): CacheLensError {
    return new CacheLensError('server', `memcached at ${where} refused ${what}: ${this.line}`);
  }
}

function isErrorLine(line: string): boolean {
  return line === 'ERROR' || line.startsWith('ERROR ') || line.startsWith('CLIENT_ERROR') || line.startsWith('SERVER_ERROR');
}

/** One line (without CRLF); error lines become ServerReplyError. */
export const readLine: ReplyReader<string> = (buf, start) => {
  const nl = buf.indexOf(CRLF, start);
  if (nl === -1) return null;
  const line = buf.toString('latin1', start, nl);
  return { value: isErrorLine(line) ? (new ServerReplyError(line) as unknown as string) : line, end: nl + 2 };
};

/** Lines up to `END` (stats, stats items, stats cachedump). */
export const readUntilEnd: ReplyReader<string[]> = (buf, start) => {
  const lines: string[] = [];
  let pos = start;
  for (;;) {
    const nl = buf.indexOf(CRLF, pos);
    if (nl === -1) return null;
    const line = buf.toString('latin1', pos, nl);
    pos = nl + 2;
    if (line === 'END') return { value: lines, end: pos };
    if (lines.length === 0 && isErrorLine(line)) return { value: new ServerReplyError(line) as unknown as string[], end: pos };
    lines.push(line);
  }
};

export interface MetaValue { code: string; flags: string[]; data: Buffer | null }

/** A meta reply: `HD`/`EN`/`NF`/... with flags, or `VA <len> <flags>` followed by data. */
export const readMeta: ReplyReader<MetaValue> = (buf, start) => {
  const nl = buf.indexOf(CRLF, start);
  if (nl === -1) return null;
  const line = buf.toString('latin1', start, nl);
  if (isErrorLine(line)) return { value: new ServerReplyError(line) as unknown as MetaValue, end: nl + 2 };
  const parts = line.split(' ');
  if (parts[0] !== 'VA') return { value: { code: parts[0], flags: parts.slice(1), data: null }, end: nl + 2 };
  const len = Number(parts[1]);
  const dataStart = nl + 2;
  if (buf.length < dataStart + len + 2) return null;
  return { value: { code: 'VA', flags: parts.slice(2), data: Buffer.from(buf.subarray(dataStart, dataStart + len)) }, end: dataStart + len + 2 };
};

export interface ClassicValue { flags: number; data: Buffer }

/** A `get`/`gets` reply for one key: `VALUE key flags len [cas]`, data, `END`; null on a miss. */
export const readGet: ReplyReader<ClassicValue | null> = (buf, start) => {
  const nl = buf.indexOf(CRLF, start);
  if (nl === -1) return null;
  const line = buf.toString('latin1', start, nl);
  if (line === 'END') return { value: null, end: nl + 2 };
  if (isErrorLine(line)) return { value: new ServerReplyError(line) as unknown as null, end: nl + 2 };
  const parts = line.split(' ');
  if (parts[0] !== 'VALUE') throw new CacheLensError('protocol', `unexpected reply to get: ${line.slice(0, 80)}`);
  const len = Number(parts[3]);
  const dataStart = nl + 2;
  const endMarker = dataStart + len + 2;
  if (buf.length < endMarker + 5) return null;
  return { value: { flags: Number(parts[2]), data: Buffer.from(buf.subarray(dataStart, dataStart + len)) }, end: endMarker + 5 };
};
