import * as assert from 'node:assert/strict';
import Redis, { Cluster } from 'ioredis';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver } from '../../../src/core/driver/types';
import { StatsSampler } from '../../../src/core/stats/sampler';
import { DebugSnapshotRecorder } from '../../../src/core/stats/snapshots';
import { profilePrefixes } from '../../../src/core/stats/prefixes';
import { runCli } from '../../../src/cli/main';
import { captureIO } from '../../helpers/io';
import { startRedis, startRedisCluster, startMemcached, type RedisServer, type RedisCluster, type MemcachedServer } from '../../harness/servers';

/** Drains a driver's scan with metadata: CacheLens's own browsing during the interval. */
async function browseEverything(driver: CacheDriver): Promise<number> {
  let n = 0;
  for await (const batch of driver.scan({ withMeta: true, count: 100 })) n += batch.length;
  return n;
}

describe('stats sampler against real servers', function () {
  this.timeout(60000);

  describe('redis standalone', () => {
    let server: RedisServer;
    let app: Redis;
    let driver: CacheDriver;
    before(async () => {
      server = await startRedis();
      app = new Redis(server.port, '127.0.0.1');
      for (let i = 0; i < 50; i++) await app.set(`user:${i}`, `v${i}`);
      driver = await openDriver(server.url);
    });
    after(async () => { app.disconnect(); await driver.close(); await server.stop(); });

    it('reports exactly the application\'s hits and misses, with CacheLens\'s own browsing excluded', async () => {
      const sampler = new StatsSampler(driver);
      assert.equal(await sampler.sample(), null, 'the first sample is the baseline');
      for (let i = 0; i < 30; i++) await app.get(`user:${i}`);
      for (let i = 0; i < 12; i++) await app.get(`missing:${i}`);
      // Browsing reads TYPE/PTTL, which Redis counts as hits: the ledger must take them out.
      assert.equal(await browseEverything(driver), 50);
      assert.ok(await driver.lookup(Buffer.from('user:1')));
      const s = await sampler.sample();
      assert.ok(s);
      assert.equal(s.hits, 30);
      assert.equal(s.misses, 12);
      assert.equal(s.hitRatio, 30 / 42);
      assert.equal(s.totalHits, 30);
      assert.equal(s.keys, 50);
      assert.equal(s.reset, false);
      const get = s.topCommands.find((c) => c.command === 'get');
      assert.equal(get?.calls, 42, 'commandstats delta counts the application\'s GETs');
      assert.ok(s.opsPerSec > 0);
    });

    it('detects CONFIG RESETSTAT and never reports a negative rate', async () => {
      const sampler = new StatsSampler(driver);
      await sampler.sample();
      for (let i = 0; i < 5; i++) await app.get(`user:${i}`);
      await app.config('RESETSTAT');
      for (let i = 0; i < 3; i++) await app.get(`user:${i}`);
      await app.get('nope');
      const s = await sampler.sample();
      assert.ok(s);
      assert.equal(s.reset, true);
      assert.equal(s.hits, 3, 'after a reset the interval counts what happened since the reset');
      assert.equal(s.misses, 1);
      for (const v of [s.hitsPerSec, s.missesPerSec, s.opsPerSec, s.evictionsPerSec, s.expirationsPerSec]) assert.ok(v >= 0);
    });

    it('a quiet interval has no reads: hit ratio null, not 0', async () => {
      const sampler = new StatsSampler(driver);
      await sampler.sample();
      await browseEverything(driver);
      const s = await sampler.sample();
      assert.ok(s);
      assert.equal(s.hits, 0);
      assert.equal(s.misses, 0);
      assert.equal(s.hitRatio, null);
    });

    it('keeps a bounded history however long it runs', async () => {
      const sampler = new StatsSampler(driver, { capacity: 5 });
      for (let i = 0; i < 12; i++) await sampler.sample();
      assert.equal(sampler.history.length, 5);
      const times = sampler.history.toArray().map((s) => s.t);
      assert.deepEqual([...times].sort((a, b) => a - b), times, 'oldest first');
    });

    it('debug snapshots: the delta between stops, and a summary at the end', async () => {
      const rec = new DebugSnapshotRecorder(driver);
      await rec.start();
      for (let i = 0; i < 4; i++) await app.get(`user:${i}`);
      const first = await rec.stopped('breakpoint');
      for (let i = 0; i < 2; i++) await app.get(`gone:${i}`);
      await app.get('user:7');
      const second = await rec.stopped('breakpoint');
      const summary = await rec.end();
      assert.equal(first?.hits, 4);
      assert.equal(first?.misses, 0);
      assert.equal(second?.hits, 1);
      assert.equal(second?.misses, 2);
      assert.equal(summary.stops, 2);
      assert.equal(summary.hits, 5);
      assert.equal(summary.misses, 2);
      assert.equal(summary.topCommands.find((c) => c.command === 'get')?.calls, 7);
    });

    it('cachelens stats --watch --json prints one object per interval with the interval\'s counts', async () => {
      const io = captureIO({ CACHELENS_URL: server.url });
      const traffic = setInterval(() => { void app.get('user:1'); void app.get('absent'); }, 20);
      try {
        assert.equal(await runCli(['stats', '--watch', '--json', '--interval', '0.3', '--count', '3'], io), 0, io.stderr);
      } finally { clearInterval(traffic); }
      const lines = io.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(lines.length, 3);
      for (const l of lines) {
        assert.deepEqual(Object.keys(l).sort(), ['evictions', 'expirations', 'hitRatio', 'hits', 'maxMemory', 'misses', 't', 'opsPerSec', 'usedMemory'].sort());
        assert.ok(!Number.isNaN(Date.parse(l.t as string)));
        assert.ok((l.hits as number) > 0 && (l.misses as number) > 0);
        // Traffic is one hit and one miss per tick: the ratio stays near one half.
        assert.ok(Math.abs((l.hitRatio as number) - 0.5) < 0.1, `ratio ${String(l.hitRatio)}`);
      }
    });

    it('cachelens stats one-shot reports the counters since the server started', async () => {
      const io = captureIO();
      assert.equal(await runCli(['stats', '--url', server.url, '--json'], io), 0, io.stderr);
      const info = await server.cli('info', 'stats');
      const hits = Number(/keyspace_hits:(\d+)/.exec(info)?.[1]);
      const out = JSON.parse(io.stdout) as { hits: number; keys: number; hitRatio: number };
      assert.equal(out.hits, hits);
      assert.equal(out.keys, 50);
      const text = captureIO();
      assert.equal(await runCli(['stats', '--url', server.url], text), 0);
      assert.match(text.stdout, /hit ratio\s+\d+\.\d %/);
    });

    it('bad usage exits 2 and an unreachable server exits 1 with one clear line', async () => {
      const io = captureIO();
      assert.equal(await runCli(['stats', '--url', server.url, '--interval', '0'], io), 2);
      const dead = captureIO();
      const t0 = Date.now();
      assert.equal(await runCli(['stats', '--url', 'redis://127.0.0.1:1'], dead), 1);
      assert.ok(Date.now() - t0 < 6000);
      assert.equal(dead.stderr.trim().split('\n').length, 1);
    });
  });

  describe('redis cluster', () => {
    let cluster: RedisCluster;
    let app: Cluster;
    let driver: CacheDriver;
    before(async () => {
      cluster = await startRedisCluster(3);
      app = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }]);
      for (let i = 0; i < 60; i++) await app.set(`k:${i}`, 'x');
      driver = await openDriver(cluster.url);
    });
    after(async () => { app.disconnect(); await driver.close(); await cluster.stop(); });

    it('sums every master and shows each one', async () => {
      const sampler = new StatsSampler(driver);
      await sampler.sample();
      for (let i = 0; i < 60; i++) await app.get(`k:${i}`);
      for (let i = 0; i < 40; i++) await app.get(`none:${i}`);
      await browseEverything(driver);
      const s = await sampler.sample();
      assert.ok(s);
      assert.equal(s.hits, 60);
      assert.equal(s.misses, 40);
      assert.equal(s.nodes.length, 3);
      assert.equal(s.nodes.reduce((a, n) => a + n.hits, 0), 60);
      assert.ok(s.nodes.every((n) => n.hits > 0), 'keys spread over all three masters');
      assert.equal(s.keys, 60);
    });
  });

  describe('memcached pool', () => {
    let a: MemcachedServer;
    let b: MemcachedServer;
    let driver: CacheDriver;
    before(async () => {
      [a, b] = await Promise.all([startMemcached(), startMemcached()]);
      for (let i = 0; i < 20; i++) await a.command(`set a${i} 0 0 1\r\nx`);
      for (let i = 0; i < 10; i++) await b.command(`set b${i} 0 0 1\r\nx`);
      driver = await openDriver(`memcached://127.0.0.1:${a.port},127.0.0.1:${b.port}`);
    });
    after(async () => { await driver.close(); await Promise.all([a.stop(), b.stop()]); });

    it('reports exact hits and misses per server and summed, listing excluded', async () => {
      const sampler = new StatsSampler(driver);
      await sampler.sample();
      for (let i = 0; i < 7; i++) await a.command(`get a${i}`);
      for (let i = 0; i < 3; i++) await a.command(`get zz${i}`);
      for (let i = 0; i < 5; i++) await b.command(`get b${i}`);
      assert.equal(await browseEverything(driver), 30);
      const s = await sampler.sample();
      assert.ok(s);
      assert.equal(s.hits, 12);
      assert.equal(s.misses, 3);
      assert.equal(s.keys, 30);
      const byNode = new Map(s.nodes.map((n) => [n.node, n]));
      assert.equal(byNode.get(`127.0.0.1:${a.port}`)?.hits, 7);
      assert.equal(byNode.get(`127.0.0.1:${a.port}`)?.misses, 3);
      assert.equal(byNode.get(`127.0.0.1:${b.port}`)?.hits, 5);
      assert.ok(s.maxMemory > 0);
    });
  });
});

describe('hit ratio by prefix (keyspace miss events + MONITOR)', function () {
  this.timeout(60000);
  let server: RedisServer;
  before(async () => { server = await startRedis(); });
  after(async () => { await server.stop(); });

  it('attributes reads and misses to prefixes, then restores the server configuration exactly', async () => {
    await server.cli('config', 'set', 'notify-keyspace-events', 'Kx');
    const app = new Redis(server.port, '127.0.0.1');
    const node = { admin: new Redis(server.port, '127.0.0.1'), monitor: new Redis(server.port, '127.0.0.1'), subscriber: new Redis(server.port, '127.0.0.1') };
    try {
      for (let i = 0; i < 10; i++) await app.set(`user:${i}`, 'u');
      const running = profilePrefixes([node], { seconds: 1.5, delimiter: ':' });
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 10; i++) await app.get(`user:${i}`);        // 10 hits
      for (let i = 0; i < 4; i++) await app.get(`user:none${i}`);     // 4 misses
      for (let i = 0; i < 6; i++) await app.get(`session:${i}`);      // 6 misses
      await app.set('session:x', 'not a read');
      const profile = await running;
      const byPrefix = new Map(profile.rows.map((r) => [r.prefix, r]));
      assert.deepEqual(byPrefix.get('user:'), { prefix: 'user:', reads: 14, misses: 4, hits: 10, hitRatio: 10 / 14 });
      assert.deepEqual(byPrefix.get('session:'), { prefix: 'session:', reads: 6, misses: 6, hits: 0, hitRatio: 0 });
      const flags = await server.cli('config', 'get', 'notify-keyspace-events');
      assert.equal(flags.trim().split('\n')[1], 'xK', 'the original flags are back');
    } finally {
      app.disconnect(); node.admin.disconnect(); node.monitor.disconnect(); node.subscriber.disconnect();
    }
  });
});
