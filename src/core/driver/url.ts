import { CacheLensError } from '../errors';

/**
 * Connection URLs, parsed into typed options. The accepted forms:
 *
 *   redis://[user[:password]@]host[:port][/db][?options]
 *   rediss://...                          (TLS)
 *   redis+unix://[user[:password]@]/path/to.sock[?db=0&options]   (also unix:///path)
 *   redis+sentinel://[user[:password]@]host:port[,host:port...]/<master name>[/db][?options]
 *   rediss+sentinel://...                 (TLS to the sentinels and the master)
 *   memcached://[user:password@]host:port[,host:port...]          (user:password means SASL)
 *   memcacheds://...                      (TLS)
 *
 * Query options: `db=N`, `protocol=2|3` (Redis), `timeout=<ms>`, and for TLS `caFile`,
 * `certFile`, `keyFile`, `servername`, `rejectUnauthorized=false`. Unknown options are a usage
 * error so that a typo does not silently connect without, say, the CA the user meant.
 * Credentials may be percent-encoded; the password never appears in an error message.
 */

export interface HostPort { host: string; port: number }

export interface TlsOptions {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** SNI and certificate host name; defaults to the host connected to. */
  servername?: string;
  /** false skips certificate verification (an explicit "don't verify" switch). */
  rejectUnauthorized?: boolean;
}

interface CommonConnectOptions {
  username?: string;
  password?: string;
  /** Present (possibly empty) when the connection uses TLS. */
  tls?: TlsOptions;
  /** Every write path refuses with CacheLensError('readonly'). */
  readOnly?: boolean;
  /** Connect and command timeout; failures are reported within it. Default 5000. */
  timeoutMs?: number;
}

export interface RedisConnectOptions extends CommonConnectOptions {
  kind: 'redis';
  /** 'socket' connects to `path`; 'sentinel' asks `hosts` (the sentinels) for `masterName`. */
  mode: 'standalone' | 'socket' | 'sentinel';
  /** The server (standalone), or the sentinels; empty for a socket. */
  hosts: HostPort[];
  path?: string;
  masterName?: string;
  db: number;
  protocol: 2 | 3;
}

export interface MemcachedConnectOptions extends CommonConnectOptions {
  kind: 'memcached';
  servers: HostPort[];
}

export type ConnectOptions = RedisConnectOptions | MemcachedConnectOptions;

export const DEFAULT_REDIS_PORT = 6379;
export const DEFAULT_SENTINEL_PORT = 26379;
export const DEFAULT_MEMCACHED_PORT = 11211;
export const DEFAULT_TIMEOUT_MS = 5000;

const SCHEMES = ['redis', 'rediss', 'redis+unix', 'unix', 'redis+sentinel', 'rediss+sentinel', 'memcached', 'memcacheds'] as const;
type Scheme = (typeof SCHEMES)[number];

const TLS_KEYS = new Set(['caFile', 'certFile', 'keyFile', 'servername', 'rejectUnauthorized']);

function usage(message: string): CacheLensError {
  return new CacheLensError('usage', message);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw usage(`invalid percent-encoding in the URL's ${what}`);
  }
}

function parsePort(text: string, hostForMessage: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw usage(`invalid port "${text}" for ${hostForMessage} (expected 1-65535)`);
  }
  return Number(text);
}

/** `host[:port]` or `[v6]:port`. */
function parseHostPort(text: string, defaultPort: number): HostPort {
  if (text === '') throw usage('missing host in URL');
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw usage(`unterminated IPv6 address "${text}"`);
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw usage(`unexpected "${rest}" after IPv6 address`);
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  if (host === '') throw usage('missing host in URL');
  if (/[\s/?#@]/.test(host)) throw usage(`invalid host "${host}"`);
  return { host, port: portText === undefined ? defaultPort : parsePort(portText, host) };
}

function parseDb(text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw usage(`invalid database number "${text}" (expected 0, 1, 2, ...)`);
  return Number(text);
}

function parseBool(name: string, value: string): boolean {
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw usage(`invalid value "${value}" for ${name} (expected true or false)`);
}

/** Splits off scheme, credentials, authority, path and query without the WHATWG URL class, which rejects sentinel host lists and credentials on sockets. */
function split(url: string): { scheme: Scheme; user?: string; password?: string; authority: string; path: string; query: URLSearchParams } {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(url.trim());
  if (!m) throw usage(`not a connection URL (expected redis://, rediss://, redis+unix://, redis+sentinel://, memcached:// or memcacheds://)`);
  const scheme = m[1].toLowerCase();
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    throw usage(`unsupported URL scheme "${scheme}://" (expected one of ${SCHEMES.map((s) => s + '://').join(', ')})`);
  }
  let rest = m[2];
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const query = new URLSearchParams(q >= 0 ? rest.slice(q + 1) : '');
  rest = q >= 0 ? rest.slice(0, q) : rest;
  // The last '@' ends the credentials, so an unencoded '@' or '/' inside a password still parses.
  const at = rest.lastIndexOf('@');
  let user: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const cred = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = cred.indexOf(':');
    const rawUser = colon < 0 ? cred : cred.slice(0, colon);
    user = rawUser === '' ? undefined : decode(rawUser, 'user name');
    password = colon < 0 ? undefined : decode(cred.slice(colon + 1), 'password');
    if (password === '') password = undefined;
  }
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  return { scheme: scheme as Scheme, user, password, authority, path, query };
}

/** Parses a connection URL; throws CacheLensError('usage') with a message that never contains the password. */
export function parseConnectionUrl(url: string): ConnectOptions {
  const { scheme, user, password, authority, path, query } = split(url);
  const common: CommonConnectOptions = {};
  if (user !== undefined) common.username = user;
  if (password !== undefined) common.password = password;
  const tlsScheme = scheme === 'rediss' || scheme === 'rediss+sentinel' || scheme === 'memcacheds';
  const tls: TlsOptions = {};
  let db: number | undefined;
  let protocol: 2 | 3 = 3;
  for (const [name, value] of query) {
    if (TLS_KEYS.has(name)) {
      if (!tlsScheme) throw usage(`TLS option "${name}" needs a TLS scheme (rediss://, rediss+sentinel:// or memcacheds://)`);
      if (name === 'rejectUnauthorized') tls.rejectUnauthorized = parseBool(name, value);
      else tls[name as 'caFile' | 'certFile' | 'keyFile' | 'servername'] = value;
    } else if (name === 'db') {
      db = parseDb(value);
    } else if (name === 'protocol') {
      if (value !== '2' && value !== '3') throw usage(`invalid protocol "${value}" (expected 2 or 3)`);
      protocol = value === '2' ? 2 : 3;
    } else if (name === 'timeout') {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw usage(`invalid timeout "${value}" (expected milliseconds)`);
      common.timeoutMs = Number(value);
    } else {
      throw usage(`unknown URL option "${name}"`);
    }
  }
  if (tlsScheme) common.tls = tls;
  if (tls.certFile !== undefined && tls.keyFile === undefined) throw usage('certFile needs keyFile (the client certificate\'s private key)');

  if (scheme === 'memcached' || scheme === 'memcacheds') {
    if (db !== undefined || query.has('protocol')) throw usage('db and protocol are Redis options, not Memcached ones');
    if (path !== '' && path !== '/') throw usage(`unexpected path "${path}" in a Memcached URL`);
    if (common.username !== undefined && common.password === undefined) throw usage('Memcached SASL needs both a user name and a password');
    const servers = authority.split(',').map((h) => parseHostPort(h, DEFAULT_MEMCACHED_PORT));
    return { kind: 'memcached', servers, ...common };
  }

  if (scheme === 'redis+unix' || scheme === 'unix') {
    if (authority !== '') throw usage(`a socket URL has no host ("${authority}"); write ${scheme}:///path/to.sock`);
    if (path === '' || path === '/') throw usage('missing socket path (redis+unix:///path/to.sock)');
    return { kind: 'redis', mode: 'socket', hosts: [], path: decode(path, 'socket path'), db: db ?? 0, protocol, ...common };
  }

  if (scheme === 'redis+sentinel' || scheme === 'rediss+sentinel') {
    const hosts = authority.split(',').map((h) => parseHostPort(h, DEFAULT_SENTINEL_PORT));
    const parts = path.split('/').filter((p) => p !== '');
    if (parts.length === 0) throw usage('missing master name (redis+sentinel://host:port/<master name>)');
    if (parts.length > 2) throw usage(`unexpected path "${path}" (expected /<master name>[/db])`);
    if (parts.length === 2) {
      if (db !== undefined) throw usage('the database is given twice (path and ?db=)');
      db = parseDb(parts[1]);
    }
    return { kind: 'redis', mode: 'sentinel', hosts, masterName: decode(parts[0], 'master name'), db: db ?? 0, protocol, ...common };
  }

  if (authority.includes(',')) throw usage('several hosts are only allowed in redis+sentinel:// and memcached:// URLs');
  const host = parseHostPort(authority, DEFAULT_REDIS_PORT);
  if (path !== '' && path !== '/') {
    if (db !== undefined) throw usage('the database is given twice (path and ?db=)');
    db = parseDb(path.slice(1));
  }
  return { kind: 'redis', mode: 'standalone', hosts: [host], db: db ?? 0, protocol, ...common };
}

/** A printable form of the options: never the password. */
export function describeTarget(o: ConnectOptions): string {
  const cred = o.username !== undefined ? `${o.username}:***@` : o.password !== undefined ? '***@' : '';
  const hp = (h: HostPort): string => (h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`);
  if (o.kind === 'memcached') return `${o.tls ? 'memcacheds' : 'memcached'}://${cred}${o.servers.map(hp).join(',')}`;
  const s = o.tls ? 's' : '';
  if (o.mode === 'socket') return `redis+unix://${cred}${o.path}?db=${o.db}`;
  if (o.mode === 'sentinel') return `redis${s}+sentinel://${cred}${o.hosts.map(hp).join(',')}/${o.masterName}/${o.db}`;
  return `redis${s}://${cred}${hp(o.hosts[0])}/${o.db}`;
}
