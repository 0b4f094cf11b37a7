/** Real clients and TTL probes for running generated TypeScript/JavaScript against real servers. */
import { Redis } from 'ioredis';
import * as memjs from 'memjs';
import { createClient } from 'redis';
import type { MemcachedServer, RedisServer } from '../../harness/servers';

export type Entity = Record<string, unknown>;
export type Loader = (id: string) => Promise<Entity | null>;

/** The adapter class every generated file exports (UserStore). */
export interface Store {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  add?(key: string, value: string, ttlMs: number): Promise<boolean>;
  release?(key: string, token: string): Promise<boolean>;
}
export type StoreCtor = new (client: unknown) => Store;

/** What node-redis v4's createClient() returns: the type generated node-redis code accepts. */
export type NodeRedisClient = ReturnType<typeof createClient>;

export interface Backend {
  kind: 'redis' | 'memcached';
  client: Redis | NodeRedisClient | memjs.Client;
  /** Remaining TTL in seconds as the server sees it; null when the key is missing. */
  ttl(key: string): Promise<number | null>;
  /** Raw value as stored, bypassing generated code. */
  raw(key: string): Promise<string | null>;
  remove(key: string): Promise<void>;
  /** Resolves once the client can send commands. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const quiet = { log: () => undefined };

export function redisBackend(server: RedisServer, options: { failFast?: boolean } = {}): Backend {
  const client = new Redis(server.port, '127.0.0.1', options.failFast
    ? { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50 }
    : {});
  return {
    kind: 'redis',
    client,
    async ttl(key) {
      const ms = await client.pttl(key);
      return ms === -2 ? null : ms / 1000;
    },
    raw: (key) => client.get(key),
    async remove(key) { await client.del(key); },
    ready: () => new Promise<void>((resolve) => { if (client.status === 'ready') resolve(); else client.once('ready', () => resolve()); }),
    async close() { client.disconnect(); },
  };
}

/**
 * A connected node-redis v4 client. `failFast` drops the offline queue so commands fail while
 * the server is down (instead of waiting for the reconnect), as the circuit-breaker test needs.
 */
export function nodeRedisBackend(server: RedisServer, options: { failFast?: boolean } = {}): Backend {
  const client = createClient({
    url: `redis://127.0.0.1:${server.port}`,
    disableOfflineQueue: options.failFast ?? false,
    socket: { reconnectStrategy: () => 50 },
  });
  // node-redis emits 'error' on every lost connection; without a listener that would crash the run.
  client.on('error', () => undefined);
  const connecting = client.connect();
  return {
    kind: 'redis',
    client,
    async ttl(key) {
      await connecting;
      const ms = await client.pTTL(key);
      return ms === -2 ? null : ms / 1000;
    },
    async raw(key) { await connecting; return client.get(key); },
    async remove(key) { await connecting; await client.del(key); },
    async ready() { await connecting; },
    async close() { await connecting; await client.disconnect(); },
  };
}

export function memcachedBackend(server: MemcachedServer): Backend {
  const client = memjs.Client.create(`127.0.0.1:${server.port}`, { retries: 1, retry_delay: 0.05, timeout: 1, conntimeout: 1, logger: quiet });
  return {
    kind: 'memcached',
    client,
    async ttl(key) {
      // Meta get with the `t` flag returns the remaining TTL without touching the value.
      const reply = await server.command(`mg ${key} t\r\n`, /\r\n$/);
      if (reply.startsWith('EN')) return null;
      const m = / t(-?\d+)/.exec(reply);
      return m ? Number(m[1]) : null;
    },
    async raw(key) {
      const { value } = await client.get(key);
      return value === null ? null : value.toString('utf8');
    },
    async remove(key) { await client.delete(key); },
    async ready() { await client.stats(); },
    async close() { client.close(); },
  };
}
