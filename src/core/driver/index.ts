import { CacheLensError } from '../errors';
import type { CacheDriver } from './types';
import { DEFAULT_TIMEOUT_MS, parseConnectionUrl, type ConnectOptions, type TlsOptions } from './url';

export type { ConnectOptions, RedisConnectOptions, MemcachedConnectOptions, TlsOptions, HostPort } from './url';
export { parseConnectionUrl, describeTarget } from './url';

/** What the caller knows beside the URL: a password from SecretStorage, TLS files, the read-only flag. */
export interface OpenOptions {
  /** Overrides the URL's password (the extension keeps passwords out of URLs). */
  password?: string;
  /** Overrides the URL's user name. */
  username?: string;
  /** Merged over the URL's TLS options; passing it turns TLS on. */
  tls?: TlsOptions;
  readOnly?: boolean;
  /** Connect and command timeout in ms (default 5000). */
  timeoutMs?: number;
}

/** Resolves the URL and the caller's overrides into one set of options. */
export function resolveConnectOptions(target: string | ConnectOptions, options: OpenOptions = {}): ConnectOptions {
  const base = typeof target === 'string' ? parseConnectionUrl(target) : { ...target };
  if (options.password !== undefined) base.password = options.password;
  if (options.username !== undefined) base.username = options.username;
  if (options.tls !== undefined) base.tls = { ...(base.tls ?? {}), ...options.tls };
  if (options.readOnly !== undefined) base.readOnly = options.readOnly;
  if (options.timeoutMs !== undefined) base.timeoutMs = options.timeoutMs;
  base.timeoutMs ??= DEFAULT_TIMEOUT_MS;
  if (!(base.timeoutMs > 0)) throw new CacheLensError('usage', `invalid timeout ${base.timeoutMs} ms`);
  return base;
}

/**
 * Opens a connection to Redis or Memcached. Resolves once the server answered (so a bad
 * password or an unreachable host fails here, within the timeout), with a driver that refuses
 * every write when `readOnly` is set.
 */
export async function openDriver(target: string | ConnectOptions, options: OpenOptions = {}): Promise<CacheDriver> {
  const resolved = resolveConnectOptions(target, options);
  // Each driver loads on first use: a Memcached-only process never loads ioredis (~70 ms).
  if (resolved.kind === 'redis') return (await import('./redis/index')).openRedisDriver(resolved);
  return (await import('./memcached/index')).openMemcachedDriver(resolved);
}
