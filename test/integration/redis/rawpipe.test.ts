/**
 * The raw metadata pipeline behind scan-with-metadata (src/core/driver/redis/rawPipe.ts),
 * against real redis-server: every key's type, TTL and size equal what plain commands answer,
 * whatever the key bytes; restricted ACL users; a stalled server; no connection left behind.
 */
import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver, KeyInfo } from '../../../src/core/driver/types';
import { CacheLensError } from '../../../src/core/errors';
import { startRedis, type RedisServer } from '../../harness/servers';

async function all(driver: CacheDriver, options: Parameters<CacheDriver['scan']>[0] = {}): Promise<KeyInfo[]> {
  const out: KeyInfo[] = [];
  for await (const batch of driver.scan(options)) out.push(...batch);
  return out;
}

describe('redis: raw metadata pipeline', () => {
  let server: RedisServer;
  let oracle: Redis;

  before(async () => {
    server = await startRedis({ debug: true });
    oracle = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
    await oracle.connect();
    // A randomized keyspace: every type, TTLs or none, binary names with CR, LF, spaces and NULs.
    let seed = 11;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed >>> 12) % n; };
    const p = oracle.pipeline();
    for (let i = 0; i < 3000; i++) {
      const name = rnd(5) === 0
        ? Buffer.concat([Buffer.from(`bin:${i}:`), Buffer.from([0x0d, 0x0a, 0x00, 0x20, 0xff, rnd(256)])])
        : Buffer.from(`${['user', 'cart', 'sess'][rnd(3)]}:${i}`);
      switch (rnd(6)) {
        case 0: p.hset(name, 'a', 'x'.repeat(rnd(200)), 'b', '2'); break;
        case 1: p.rpush(name, 'a', 'b', 'c'); break;
        case 2: p.sadd(name, 'm1', 'm2'); break;
        case 3: p.zadd(name, 1, 'a', 2, 'b'); break;
        case 4: p.xadd(name, '*', 'f', 'v'); break;
        default: p.set(name, 'v'.repeat(rnd(5000)));
      }
      if (rnd(3) === 0) p.pexpire(name, 60_000 + rnd(10_000_000));
    }
    await p.exec();
  });

  after(async () => {
    oracle.disconnect();
    await server.stop();
  });

  it('gives every key the type, TTL and size that TYPE, PTTL and MEMORY USAGE give', async () => {
    const driver = await openDriver(server.url);
    try {
      const keys = await all(driver, { count: 97 });
      assert.equal(keys.length, 3000);
      assert.equal(new Set(keys.map((k) => k.key.toString('base64'))).size, 3000);
      const p = oracle.pipeline();
      for (const k of keys) { p.type(k.key); p.pttl(k.key); p.call('MEMORY', 'USAGE', k.key); }
      const replies = (await p.exec()) as Array<[Error | null, unknown]>;
      keys.forEach((k, i) => {
        const [type, pttl, bytes] = [replies[3 * i][1], replies[3 * i + 1][1], replies[3 * i + 2][1]];
        assert.equal(k.type, type, k.key.toString('latin1'));
        // The TTL counted down between the two reads: at most the time the test took.
        assert.ok(pttl === -1 ? k.ttlMs === -1 : k.ttlMs >= (pttl as number) && k.ttlMs - (pttl as number) < 10_000, `${k.ttlMs} vs ${String(pttl)}`);
        assert.equal(k.bytes, bytes);
      });
    } finally {
      await driver.close();
    }
  });

  it('applies the type filter to the pipeline\'s answers, with or without metadata', async () => {
    const driver = await openDriver(server.url);
    try {
      const want = Number(await oracle.eval("local n = 0 for _, k in ipairs(redis.call('KEYS', '*')) do if redis.call('TYPE', k)['ok'] == 'zset' then n = n + 1 end end return n", 0));
      const full = await all(driver, { type: 'zset' });
      const typeOnly = await all(driver, { type: 'zset', withMeta: false });
      assert.ok(want > 100);
      assert.equal(full.length, want);
      assert.equal(typeOnly.length, want);
      assert.ok(full.every((k) => k.type === 'zset' && k.bytes > 0));
    } finally {
      await driver.close();
    }
  });

  it('lists for an ACL user without MEMORY, sizes unknown, and fails clearly for one without TYPE', async () => {
    await server.cli('ACL', 'SETUSER', 'nomem', 'on', '>nomem-pw', '~*', '&*', '+@all', '-memory');
    await server.cli('ACL', 'SETUSER', 'notype', 'on', '>notype-pw', '~*', '&*', '+@all', '-type');
    const nomem = await openDriver(`redis://nomem@127.0.0.1:${server.port}`, { password: 'nomem-pw' });
    try {
      const keys = await all(nomem);
      assert.equal(keys.length, 3000);
      assert.ok(keys.every((k) => k.bytes === -1));
      assert.ok(keys.some((k) => k.ttlMs > 0) && keys.some((k) => k.type === 'stream'));
    } finally {
      await nomem.close();
    }
    const notype = await openDriver(`redis://notype@127.0.0.1:${server.port}`, { password: 'notype-pw' });
    try {
      await assert.rejects(all(notype), (e: unknown) => {
        assert.ok(CacheLensError.is(e, 'server'), String(e));
        assert.match(e.message, /NOPERM/);
        assert.doesNotMatch(e.message, /notype-pw/);
        return true;
      });
    } finally {
      await notype.close();
    }
  });

  it('fails a scan on a stalled server with a timeout, then lists again once it answers', async () => {
    const driver = await openDriver(`${server.url}?timeout=800`);
    const blocker = new Redis({ host: '127.0.0.1', port: server.port });
    try {
      await blocker.ping();
      const iterator = driver.scan({ count: 50 })[Symbol.asyncIterator]();
      await iterator.next();
      // The scan keeps only a few requests queued ahead; the next ones wait behind the sleep.
      const sleeping = blocker.call('DEBUG', 'SLEEP', '2').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      await assert.rejects((async () => { for (;;) { const r = await iterator.next(); if (r.done) return; } })(),
        (e: unknown) => CacheLensError.is(e, 'timeout') && /did not answer in time/.test(e.message));
      assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
      await sleeping;
      assert.equal((await all(driver)).length, 3000);
    } finally {
      blocker.disconnect();
      await driver.close();
    }
  });

  it('closes its own connection when a scan ends, is stopped early, or fails', async () => {
    const clients = async () => Number(/^connected_clients:(\d+)/m.exec(await server.cli('INFO', 'clients'))?.[1]);
    const driver = await openDriver(server.url);
    try {
      const base = await clients();
      await all(driver);
      for await (const _batch of driver.scan({ count: 10 })) break;
      const deadline = Date.now() + 3000;
      while (await clients() !== base && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await clients(), base);
    } finally {
      await driver.close();
    }
  });
});
