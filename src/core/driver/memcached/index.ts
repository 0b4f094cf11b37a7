/**
 * Opens a Memcached connection: SASL (user:password in the URL) goes through memjs and cannot
 * list keys; everything else through our own text/meta-protocol client, with TLS when the URL
 * is `memcacheds://`.
 */
import * as fs from 'node:fs';
import { CacheLensError } from '../../errors';
import type { CacheDriver } from '../types';
import { describeTarget, type MemcachedConnectOptions, type TlsOptions } from '../url';
import type { SocketTls } from './connection';
import { connectNode, MemcachedTextDriver, type ServerNode } from './driver';

export { MemcachedTextDriver } from './driver';

const DEFAULT_TIMEOUT_MS = 5000;

function readTlsFile(path: string, what: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new CacheLensError('tls', `cannot read the TLS ${what} file ${path}: ${(e as Error).message}`, e);
  }
}

export function loadTls(t: TlsOptions | undefined): SocketTls | undefined {
  if (!t) return undefined;
  return {
    ca: t.caFile ? readTlsFile(t.caFile, 'CA') : undefined,
    cert: t.certFile ? readTlsFile(t.certFile, 'certificate') : undefined,
    key: t.keyFile ? readTlsFile(t.keyFile, 'key') : undefined,
    servername: t.servername,
    rejectUnauthorized: t.rejectUnauthorized,
  };
}

/** A driver that also has `flush()` (flush_all on every server). */
export type MemcachedDriver = CacheDriver & { flush(): Promise<void> };

export function isMemcachedDriver(d: CacheDriver): d is MemcachedDriver {
  return d.kind === 'memcached' && typeof (d as Partial<MemcachedDriver>).flush === 'function';
}

export async function openMemcachedDriver(opts: MemcachedConnectOptions): Promise<MemcachedDriver> {
  if (opts.servers.length === 0) throw new CacheLensError('usage', 'a memcached URL needs at least one host:port');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const display = describeTarget(opts);
  const readOnly = Boolean(opts.readOnly);
  if (opts.username !== undefined || opts.password !== undefined) {
    if (opts.tls) throw new CacheLensError('usage', 'memcached SASL goes through memjs, which has no TLS: use memcached:// with SASL, or memcacheds:// without credentials');
    // memjs loads only for SASL servers, the only ones that need the binary protocol.
    const { MemcachedSaslDriver } = await import('./sasl');
    return MemcachedSaslDriver.open(display, opts.servers, opts.username ?? '', opts.password ?? '', timeoutMs, readOnly);
  }
  const tls = loadTls(opts.tls);
  const settled = await Promise.allSettled(opts.servers.map((a) => connectNode(a, tls, timeoutMs)));
  const nodes = settled.filter((s): s is PromiseFulfilledResult<ServerNode> => s.status === 'fulfilled').map((s) => s.value);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const n of nodes) n.conn.close();
    throw failed.reason;
  }
  return new MemcachedTextDriver(display, nodes, readOnly);
}
