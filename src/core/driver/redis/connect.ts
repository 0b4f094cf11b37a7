import * as fs from 'node:fs';
import * as net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { CacheLensError } from '../../errors';
import { describeTarget, type RedisConnectOptions, type TlsOptions } from '../url';
import { toCacheLensError, type ErrorContext } from './errors';
import { majorVersion, parseInfo } from './info';

/** What the driver needs once connected. */
export interface RedisConnection {
  client: Redis | Cluster;
  cluster: boolean;
  /** Major version of the first server answered (7 for 7.0.15). */
  version: number;
  ctx: ErrorContext;
  /** The latest background error (reconnect attempts), kept for diagnostics. */
  lastError(): unknown;
}

/**
 * At most one reconnect attempt every 2 s, forever: a dead server costs a handful of attempts
 * a minute (no retry storm), and the connection comes back by itself when the server does.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 5), 2000);
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new CacheLensError('usage', `cannot read the TLS ${what} file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, e);
  }
}

export function tlsConnectionOptions(tls: TlsOptions, host: string | undefined): ConnectionOptions {
  const out: ConnectionOptions = {};
  if (tls.caFile) out.ca = readFile(tls.caFile, 'CA');
  if (tls.certFile) out.cert = readFile(tls.certFile, 'client certificate');
  if (tls.keyFile) out.key = readFile(tls.keyFile, 'client key');
  // Node refuses an IP address as SNI; it then checks the certificate's IP entries instead.
  const servername = tls.servername ?? (host && net.isIP(host) === 0 ? host : undefined);
  if (servername) out.servername = servername;
  if (tls.rejectUnauthorized === false) out.rejectUnauthorized = false;
  return out;
}

function baseOptions(o: RedisConnectOptions, timeoutMs: number): RedisOptions {
  const opts: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: reconnectDelay,
    protocol: o.protocol,
    connectionName: 'cachelens',
    disableClientInfo: true,
  };
  if (o.username !== undefined) opts.username = o.username;
  if (o.password !== undefined) opts.password = o.password;
  return opts;
}

async function withDeadline<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => CacheLensError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(onTimeout()), timeoutMs); });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects and waits until the server answered, within the timeout. ioredis rejects a failed
 * connect with a bare "Connection is closed."; the real cause (refused, WRONGPASS, certificate)
 * arrives as an 'error' event, so it is remembered and preferred.
 */
async function connectWithin(client: Redis | Cluster, timeoutMs: number, ctx: ErrorContext, errors: { last?: unknown }): Promise<void> {
  try {
    await withDeadline(client.connect(), timeoutMs, () =>
      toCacheLensError(new Error(`no answer within ${timeoutMs} ms`), { ...ctx, connecting: true }));
    if (client instanceof Cluster) {
      // Cluster.connect() resolves on 'ready' but the slot map may still be loading.
      await withDeadline(client.call('CLUSTER', 'INFO') as Promise<unknown>, timeoutMs, () =>
        new CacheLensError('unreachable', `cannot reach ${ctx.target}: the cluster did not answer within ${timeoutMs} ms`));
    }
  } catch (e) {
    client.disconnect();
    const direct = toCacheLensError(e, { ...ctx, connecting: true });
    // A specific cause (WRONGPASS, a certificate, ECONNREFUSED) beats a bare "closed" or "no answer".
    if (errors.last !== undefined && (direct.reason === 'unreachable' || direct.reason === 'closed')) {
      throw toCacheLensError(errors.last, { ...ctx, connecting: true });
    }
    throw direct;
  }
}

export async function connectRedis(o: RedisConnectOptions): Promise<RedisConnection> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const ctx: ErrorContext = { target: describeTarget(o), password: o.password, username: o.username, tls: o.tls !== undefined };
  const errors: { last?: unknown } = {};
  const remember = (e: unknown): void => { errors.last = e; };
  const opts = baseOptions(o, timeoutMs);
  const firstHost = o.hosts[0]?.host;
  const tls = o.tls ? tlsConnectionOptions(o.tls, firstHost) : undefined;

  if (o.mode === 'socket') {
    opts.path = o.path;
  } else if (o.mode === 'sentinel') {
    opts.sentinels = o.hosts.map((h) => ({ host: h.host, port: h.port }));
    opts.name = o.masterName;
    opts.sentinelRetryStrategy = reconnectDelay;
    opts.sentinelCommandTimeout = timeoutMs;
    if (tls) {
      opts.enableTLSForSentinelMode = true;
      opts.sentinelTLS = tls;
    }
  } else {
    opts.host = o.hosts[0].host;
    opts.port = o.hosts[0].port;
  }
  if (tls) opts.tls = tls;
  opts.db = o.db;

  const client = new Redis(opts);
  client.on('error', remember);
  await connectWithin(client, timeoutMs, ctx, errors);

  let info: Record<string, string>;
  try {
    info = parseInfo(String(await client.call('INFO')));
  } catch (e) {
    client.disconnect();
    throw toCacheLensError(e, ctx);
  }
  const version = majorVersion(info);
  if (info.cluster_enabled !== '1') {
    return { client, cluster: false, version, ctx, lastError: () => errors.last };
  }

  // A cluster node: browse every master through a cluster client seeded with this node.
  client.disconnect();
  if (o.db !== 0) throw new CacheLensError('usage', `${ctx.target} is a Redis Cluster, which only has database 0`);
  const nodeOptions = { ...opts };
  for (const k of ['host', 'port', 'path', 'sentinels', 'name', 'retryStrategy', 'enableOfflineQueue', 'db', 'lazyConnect'] as const) delete nodeOptions[k];
  const cluster = new Cluster([{ host: o.hosts[0].host, port: o.hosts[0].port }], {
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelay,
    slotsRefreshTimeout: timeoutMs,
    retryDelayOnClusterDown: 200,
    redisOptions: nodeOptions,
  });
  cluster.on('error', remember);
  await connectWithin(cluster, timeoutMs, ctx, errors);
  return { client: cluster, cluster: true, version, ctx, lastError: () => errors.last };
}
