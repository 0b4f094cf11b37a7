import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startMemcached, startRedis, type MemcachedServer, type RedisServer } from '../../harness/servers';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver } from '../../../src/core/driver/types';
import { KeyTree, ROOT_ID, lookupKey, type KeyLeaf, type NamespaceNode } from '../../../src/core/browse';
import { analyze, TTL_BUCKETS } from '../../../src/core/analyze';
import { CacheLensError } from '../../../src/core/errors';
import { cli } from './helpers';

describe('browse, analyze and the CLI against real servers', () => {
  let redis: RedisServer;
  let memcached: MemcachedServer;
  before(async () => { [redis, memcached] = await Promise.all([startRedis(), startMemcached()]); });
  after(async () => { await Promise.all([redis?.stop(), memcached?.stop()]); });

  /** 1,200 keys: user:<n> (600, 300 with a 30 s TTL), session:<n>:data (500), plain<n> (100). */
  async function seedRedis(): Promise<void> {
    const c = new Redis({ host: redis.host, port: redis.port });
    await c.flushall();
    const p = c.pipeline();
    for (let i = 0; i < 600; i++) { p.set(`user:${i}`, 'v'); if (i % 2 === 0) p.expire(`user:${i}`, 30); }
    for (let i = 0; i < 500; i++) p.hset(`session:${i}:data`, 'f', 'v');
    for (let i = 0; i < 100; i++) p.set(`plain${i}`, 'v');
    p.set(Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff]), 'binary');
    await p.exec();
    c.disconnect();
  }

  async function seedMemcached(): Promise<void> {
    await memcached.command('flush_all');
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) lines.push(`set user:${i} 0 ${i % 2 === 0 ? 30 : 0} 1 noreply\r\nv\r\n`);
    for (let i = 0; i < 500; i++) lines.push(`set session:${i}:data 0 0 1 noreply\r\nv\r\n`);
    for (let i = 0; i < 100; i++) lines.push(`set plain${i} 0 0 1 noreply\r\nv\r\n`);
    lines.push(`ms ${Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff]).toString('base64')} 6 b q\r\nbinary\r\n`);
    await memcached.command(lines.join('') + 'mn', /MN\r\n$/);
  }

  const backends = [
    { name: 'redis', url: () => redis.url, seed: seedRedis, sessionType: 'hash' },
    { name: 'memcached', url: () => memcached.url, seed: seedMemcached, sessionType: 'string' },
  ];

  for (const b of backends) {
    describe(`browse and analyze on ${b.name}`, () => {
      let driver: CacheDriver;
      before(async () => { await b.seed(); driver = await openDriver(b.url()); });
      after(async () => { await driver?.close(); });

      it('builds the tree page by page, with namespace counts, until the listing ends', async () => {
        const tree = new KeyTree(driver, { pageSize: 500 });
        const first = await tree.loadMore();
        assert.equal(first.added, 500);
        assert.ok(first.changed.includes(ROOT_ID));
        assert.equal(tree.hasMore, true);
        let pages = 1;
        while (tree.hasMore) { await tree.loadMore(); pages++; }
        assert.equal(pages, 3);
        assert.equal(tree.loadedKeys, 1201);
        const top = tree.children(ROOT_ID);
        const namespaces = top.filter((n): n is NamespaceNode => n.kind === 'namespace');
        assert.deepEqual(namespaces.map((n) => [n.label, n.loadedKeys]), [['bin', 1], ['session', 500], ['user', 600]]);
        const leaves = top.filter((n): n is KeyLeaf => n.kind === 'key');
        assert.equal(leaves.length, 100);
        assert.ok(leaves.every((l) => l.info.key.toString().startsWith('plain')));
        const session = tree.children(namespaces[1].id);
        assert.equal(session.length, 500);
        assert.ok(session.every((n) => n.kind === 'namespace' && n.loadedKeys === 1));
        const one = tree.children(session[0].id)[0] as KeyLeaf;
        assert.equal(one.label, 'data');
        assert.equal(one.info.type, b.sessionType);
        const bin = tree.children(namespaces[0].id)[0] as KeyLeaf;
        assert.equal(bin.label, '\\xff');
        assert.deepEqual(bin.info.key, Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff]));
        const users = tree.children(namespaces[2].id) as KeyLeaf[];
        const withTtl = users.filter((u) => u.info.ttlMs > 0);
        assert.equal(withTtl.length, 300);
        assert.ok(withTtl.every((u) => u.info.ttlMs <= 31_000 && u.info.ttlMs > 25_000));
      });

      it('bounds the tree with maxKeys, and filters by glob and type', async () => {
        const capped = new KeyTree(driver, { pageSize: 400, maxKeys: 700 });
        await capped.loadMore();
        await capped.loadMore();
        assert.equal(capped.loadedKeys, 700);
        assert.equal(capped.hasMore, false);
        assert.equal((await capped.loadMore()).added, 0);
        await capped.dispose();

        const filtered = new KeyTree(driver, { match: 'user:1*', pageSize: 1000 });
        while (filtered.hasMore) await filtered.loadMore();
        assert.equal(filtered.loadedKeys, 111); // user:1, user:10-19, user:100-199
        const typed = new KeyTree(driver, { type: 'hash', pageSize: 1000 });
        while (typed.hasMore) await typed.loadMore();
        assert.equal(typed.loadedKeys, b.sessionType === 'hash' ? 500 : 0);
      });

      it('looks up an exact key without listing', async () => {
        const leaf = await lookupKey(driver, Buffer.from('user:7'));
        assert.equal(leaf?.info.type, 'string');
        assert.equal(await lookupKey(driver, Buffer.from('user:nope')), null);
      });

      it('analyzes per namespace: counts, types, TTL histogram, children to a depth, with progress', async () => {
        let progressCalls = 0;
        const r = await analyze(driver, { depth: 2, maxChildren: 100, onProgress: () => { progressCalls++; } });
        assert.ok(progressCalls >= 1);
        assert.equal(r.keys, 1201);
        const user = r.namespaces.find((n) => n.prefix.toString() === 'user:');
        const session = r.namespaces.find((n) => n.prefix.toString() === 'session:');
        assert.ok(user && session);
        assert.equal(user.keys, 600);
        assert.equal(user.ttl[TTL_BUCKETS.indexOf('<1m')], 300);
        assert.equal(user.ttl[TTL_BUCKETS.indexOf('none')], 300);
        assert.deepEqual(session.types, { [b.sessionType]: 500 });
        assert.ok(user.bytes > 0);
        // 500 children `session:<n>:` capped at 100; the rest folded, nothing lost.
        assert.equal(session.children.length, 100);
        assert.equal(session.other?.keys, 400);
        assert.equal(session.children.reduce((s, c) => s + c.keys, 0) + (session.other?.keys ?? 0), 500);
        assert.equal(user.children.length, 0);
      });

      it('cancels an analysis with an AbortSignal', async () => {
        const controller = new AbortController();
        await assert.rejects(analyze(driver, { signal: controller.signal, onProgress: () => controller.abort() }),
          (e) => CacheLensError.is(e, 'cancelled'));
      });

      it('the CLI: keys --json (keyBase64 for binary), analyze --json, get --json', async () => {
        const env = { CACHELENS_URL: b.url() };
        const keys = await cli(['keys', '--json'], env);
        assert.equal(keys.code, 0, keys.err);
        const rows = keys.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        assert.equal(rows.length, 1201);
        const bin = rows.filter((r) => 'keyBase64' in r);
        assert.deepEqual(bin.map((r) => r.keyBase64), [Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff]).toString('base64')]);
        const u = rows.find((r) => r.key === 'user:0') as Record<string, number>;
        assert.ok(u.ttl > 0 && u.ttl <= 31_000 && typeof u.bytes === 'number' && u.type === ('string' as unknown));
        assert.equal((rows.find((r) => r.key === 'user:1') as Record<string, number>).ttl, -1);

        const limited = await cli(['keys', '--match', 'session:*', '--limit', '7'], env);
        assert.equal(limited.out.trim().split('\n').length, 7);
        assert.ok(limited.out.split('\n').filter(Boolean).every((l) => l.startsWith('session:')));

        const an = await cli(['analyze', '--json', '--depth', '1'], env);
        assert.equal(an.code, 0, an.err);
        const j = JSON.parse(an.out) as { keys: number; bytes: number; namespaces: Array<Record<string, unknown>> };
        assert.equal(j.keys, 1201);
        assert.ok(j.bytes > 0);
        const user = j.namespaces.find((n) => n.prefix === 'user:') as Record<string, unknown>;
        assert.deepEqual(Object.keys(user), ['prefix', 'keys', 'bytes', 'types', 'ttl', 'children']);
        assert.deepEqual(user.ttl, { none: 300, '<1m': 300, '<1h': 0, '<1d': 0, '<7d': 0, '>=7d': 0 });

        const got = await cli(['get', 'bin:\\xff', '--json'], env);
        assert.equal(got.code, 0, got.err);
        const g = JSON.parse(got.out) as { keyBase64: string; value: { value: string } };
        assert.equal(g.keyBase64, Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff]).toString('base64'));
        assert.equal(g.value.value, 'binary');
        const missing = await cli(['get', 'no:such:key'], env);
        assert.equal(missing.code, 1);
        assert.match(missing.err, /^cachelens get: no such key: no:such:key\n$/);
        const noUrl = await cli(['keys'], {});
        assert.equal(noUrl.code, 2);
      });
    });
  }

  describe('CLI on SASL memcached and tags', () => {
    it('keys on a SASL server fails with the plain note; tags on memcached say Redis only; tags on Redis list', async () => {
      const sasl = await startMemcached({ sasl: { user: 'u', password: 'p' } });
      try {
        const r = await cli(['keys', '--url', sasl.url]);
        assert.equal(r.code, 1);
        assert.match(r.err, /SASL authentication, which disables the text protocol: keys cannot be listed/);
        assert.ok(!r.err.includes(':p@'));
      } finally {
        await sasl.stop();
      }
      const t = await cli(['tags', '--url', memcached.url]);
      assert.equal(t.code, 1);
      assert.match(t.err, /Redis/);
      const c = new Redis({ host: redis.host, port: redis.port });
      await c.sadd('tag:red', 'user:1', 'user:gone');
      c.disconnect();
      const list = await cli(['tags', '--url', redis.url, '--json']);
      assert.equal(list.code, 0, list.err);
      assert.deepEqual(list.out.trim().split('\n').map((l) => JSON.parse(l)), [{ tag: 'red', members: 2 }]);
      const one = await cli(['tags', '--url', redis.url, 'red', '--json']);
      const o = JSON.parse(one.out) as { members: number; dangling: number; keys: Array<{ key: string; exists: boolean }> };
      assert.equal(o.members, 2);
      assert.equal(o.dangling, 1);
      assert.deepEqual(o.keys, [{ key: 'user:1', exists: true }, { key: 'user:gone', exists: false }]);
    });
  });
});
