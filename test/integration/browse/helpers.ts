/**
 * Shared helpers for the browse/analyze/purge tests: independent keyspace listings (raw SCAN
 * through ioredis, raw metadump over a socket, not through CacheLens's drivers), a seeded
 * random generator, and running the CLI in-process.
 */
import { Redis } from 'ioredis';
import type { MemcachedServer, RedisServer } from '../../harness/servers';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

/** Mulberry32: small, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every key of a Redis server by plain SCAN, as latin1 strings (one char per byte). */
export async function redisKeyspace(server: RedisServer): Promise<Set<string>> {
  const client = new Redis({ host: server.host, port: server.port, lazyConnect: true });
  await client.connect();
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await client.scanBuffer(cursor, 'COUNT', 1000);
    cursor = next.toString();
    for (const k of keys) out.add(k.toString('latin1'));
  } while (cursor !== '0');
  client.disconnect();
  return out;
}

function percentDecode(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Every key of a memcached server by a raw `lru_crawler metadump hash`, as latin1 strings. Not
 * `all`: it walks the LRUs, and an item the LRU maintainer moves during the crawl can be missed
 * (protocol.txt), which made this oracle drop a key now and then.
 */
export async function memcachedKeyspace(server: MemcachedServer): Promise<Set<string>> {
  let reply = await server.command('lru_crawler metadump hash', /(END|ERROR.*)\r\n$/);
  // memcached before 1.6.9 has no `hash`.
  if (!reply.endsWith('END\r\n')) reply = await server.command('lru_crawler metadump all', /END\r\n$/);
  const out = new Set<string>();
  for (const line of reply.split('\n')) {
    const m = /^key=(\S+)/.exec(line);
    if (m) out.add(percentDecode(m[1]));
  }
  return out;
}

export interface CliRun { code: number; out: string; err: string }

export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, prompt?: (q: string) => Promise<string>): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    errIsTTY: false,
    outIsTTY: false,
    env,
    prompt,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
