import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startMemcached, startRedis, type MemcachedServer, type RedisServer } from '../../harness/servers';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver } from '../../../src/core/driver/types';
import { executePurge, planPurge, type PurgeSelection } from '../../../src/core/purge';
import { cli, memcachedKeyspace, redisKeyspace, rng } from './helpers';

/**
 * Randomized keyspaces: keys from a few namespaces, random suffixes, some binary bytes.
 * Each case pairs a glob with an oracle written independently of CacheLens's glob code.
 */
const SEGMENTS = ['user', 'session', 'cart', 'sa', 'sb', 'sc', 'x'];
const CASES: Array<{ glob: string; oracle: (k: string) => boolean }> = [
  { glob: 'user:*', oracle: (k) => k.startsWith('user:') },
  { glob: '*:1?', oracle: (k) => /^[\s\S]*:1[\s\S]$/.test(k) },
  { glob: 's[ab]*', oracle: (k) => k.startsWith('sa') || k.startsWith('sb') },
  { glob: 'cart:[^0-4]*', oracle: (k) => k.startsWith('cart:') && k.length > 5 && !'01234'.includes(k[5]) },
  { glob: '*\\**', oracle: (k) => k.includes('*') },
];

function makeKeys(seed: number, n: number): Buffer[] {
  const r = rng(seed);
  const keys = new Map<string, Buffer>();
  while (keys.size < n) {
    const ns = SEGMENTS[Math.floor(r() * SEGMENTS.length)];
    const len = 1 + Math.floor(r() * 4);
    let suffix = '';
    for (let i = 0; i < len; i++) suffix += '0123456789ab*'[Math.floor(r() * 13)];
    let key = Buffer.from(`${ns}:${suffix}`, 'latin1');
    if (r() < 0.05) key = Buffer.concat([key, Buffer.from([0xff, 0x00 + Math.floor(r() * 3), 0x80])]);
    if (r() < 0.1) key = Buffer.from(`${ns}${suffix}`, 'latin1');
    keys.set(key.toString('latin1'), key);
  }
  return [...keys.values()];
}

interface Backend {
  name: string;
  url(): string;
  seed(keys: Buffer[]): Promise<void>;
  keyspace(): Promise<Set<string>>;
  clear(): Promise<void>;
}

function redisBackend(get: () => RedisServer): Backend {
  const client = () => new Redis({ host: get().host, port: get().port });
  return {
    name: 'redis',
    url: () => get().url,
    async seed(keys) {
      const c = client();
      const p = c.pipeline();
      keys.forEach((k, i) => {
        if (i % 5 === 0) p.hset(k, 'f', 'v'); else p.set(k, 'v');
        if (i % 3 === 0) p.expire(k, 3600);
      });
      await p.exec();
      c.disconnect();
    },
    keyspace: () => redisKeyspace(get()),
    async clear() { const c = client(); await c.flushall(); c.disconnect(); },
  };
}

function memcachedBackend(get: () => MemcachedServer): Backend {
  return {
    name: 'memcached',
    url: () => get().url,
    async seed(keys) {
      // Written through meta set with base64 keys, so any byte can be used.
      const lines = keys.map((k, i) => `ms ${k.toString('base64')} 1 b q${i % 3 === 0 ? ' T3600' : ''}\r\nv\r\n`);
      await get().command(lines.join('') + 'mn', /MN\r\n$/);
    },
    keyspace: () => memcachedKeyspace(get()),
    async clear() { await get().command('flush_all'); },
  };
}

describe('purge against real servers', () => {
  let redis: RedisServer;
  let memcached: MemcachedServer;
  before(async () => { [redis, memcached] = await Promise.all([startRedis(), startMemcached()]); });
  after(async () => { await Promise.all([redis?.stop(), memcached?.stop()]); });

  for (const backend of [redisBackend(() => redis), memcachedBackend(() => memcached)]) {
    describe(`purge on ${backend.name}: deletes exactly the matching keys`, () => {
      let driver: CacheDriver;
      before(async () => { driver = await openDriver(backend.url()); });
      after(async () => { await driver?.close(); });
      beforeEach(() => backend.clear());

      for (const seed of [11, 22, 33]) {
        it(`seed ${seed}: every glob case, checked against an independent listing`, async () => {
          const keys = makeKeys(seed, 1500);
          for (const c of CASES) {
            await backend.clear();
            await backend.seed(keys);
            const before = await backend.keyspace();
            assert.equal(before.size, keys.length);
            const expected = [...before].filter(c.oracle);
            assert.ok(expected.length > 0 && expected.length < before.size, `${c.glob} selects some keys, not all`);

            const plan = await planPurge(driver, { match: c.glob });
            assert.equal(plan.matched, expected.length, `plan for ${c.glob}`);
            for (const s of plan.sample) assert.ok(c.oracle(s.toString('latin1')), `sample ${s.toString('hex')} matches ${c.glob}`);
            assert.deepEqual(await backend.keyspace(), before, 'planning deletes nothing');

            const report = await executePurge(driver, { match: c.glob });
            const after = await backend.keyspace();
            const gone = [...before].filter((k) => !after.has(k)).sort();
            assert.deepEqual(gone, expected.sort(), `deleted set for ${c.glob}`);
            assert.equal(after.size, before.size - expected.length);
            assert.equal(report.deleted, expected.length);
            assert.equal(report.errors, 0);
          }
        });
      }

      it('purges a binary namespace and explicit binary keys byte for byte', async () => {
        const bin = Buffer.from([0xfe, 0x3a]); // "\xfe:" namespace
        const keys = [Buffer.concat([bin, Buffer.from('a')]), Buffer.concat([bin, Buffer.from([0x00])]), Buffer.from([0xfe, 0x3b, 0x61]), Buffer.from('plain:1')];
        await backend.seed(keys);
        const before = await backend.keyspace();
        const ns: PurgeSelection = { namespace: bin };
        assert.equal((await planPurge(driver, ns)).matched, 2);
        assert.equal((await executePurge(driver, ns)).deleted, 2);
        const after = await backend.keyspace();
        assert.deepEqual([...after].sort(), [Buffer.from([0xfe, 0x3b, 0x61]).toString('latin1'), 'plain:1'].sort());
        const r = await executePurge(driver, { keys: [Buffer.from([0xfe, 0x3b, 0x61]), Buffer.from('never')] });
        assert.deepEqual({ matched: r.matched, deleted: r.deleted }, { matched: 1, deleted: 1 });
        assert.deepEqual([...(await backend.keyspace())], ['plain:1']);
        assert.ok(before.size === 4);
      });

      it('the CLI: --dry-run deletes nothing, no terminal and no --yes refuses, --yes deletes', async () => {
        const keys = makeKeys(7, 400);
        await backend.seed(keys);
        const before = await backend.keyspace();
        const expected = [...before].filter(CASES[0].oracle).length;
        const env = { CACHELENS_URL: backend.url() };

        const dry = await cli(['purge', '--match', 'user:*', '--dry-run', '--json'], env);
        assert.equal(dry.code, 0, dry.err);
        assert.deepEqual(JSON.parse(dry.out), { matched: expected, deleted: 0 });
        assert.deepEqual(await backend.keyspace(), before);

        const refused = await cli(['purge', '--match', 'user:*'], env);
        assert.equal(refused.code, 2);
        assert.match(refused.err, /without confirmation/);
        assert.deepEqual(await backend.keyspace(), before);

        const declined = await cli(['purge', '--match', 'user:*'], env, async () => 'no');
        assert.equal(declined.code, 1);
        assert.deepEqual(await backend.keyspace(), before);

        const done = await cli(['purge', '--url', backend.url(), '--match', 'user:*', '--yes', '--json'], {});
        assert.equal(done.code, 0, done.err);
        assert.deepEqual(JSON.parse(done.out), { matched: expected, deleted: expected });
        const after = await backend.keyspace();
        assert.deepEqual([...before].filter((k) => !after.has(k)).length, expected);
        assert.ok([...after].every((k) => !k.startsWith('user:')));

        const usage = await cli(['purge', '--match', 'a*', '--tag', 't'], env);
        assert.equal(usage.code, 2);
      });
    });
  }

  describe('purge on redis by type and by tag', () => {
    it('--type deletes only keys of that type; --tag deletes the members and the set', async () => {
      const c = new Redis({ host: redis.host, port: redis.port });
      await c.flushall();
      await c.set('t:s1', 'v');
      await c.hset('t:h1', 'f', 'v');
      await c.hset('t:h2', 'f', 'v');
      await c.hset('other:h', 'f', 'v');
      await c.set('tagged:1', 'x');
      await c.set('tagged:2', 'y');
      await c.sadd('tag:group', 'tagged:1', 'tagged:2', 'tagged:gone');
      const env = { CACHELENS_URL: redis.url };
      const byType = await cli(['purge', '--match', 't:*', '--type', 'hash', '--yes', '--json'], env);
      assert.equal(byType.code, 0, byType.err);
      assert.deepEqual(JSON.parse(byType.out), { matched: 2, deleted: 2 });
      assert.deepEqual([...await redisKeyspace(redis)].sort(), ['other:h', 't:s1', 'tag:group', 'tagged:1', 'tagged:2']);
      const byTag = await cli(['purge', '--tag', 'group', '--yes', '--json'], env);
      assert.equal(byTag.code, 0, byTag.err);
      assert.deepEqual(JSON.parse(byTag.out), { matched: 3, deleted: 2 });
      assert.deepEqual([...await redisKeyspace(redis)].sort(), ['other:h', 't:s1']);
      c.disconnect();
    });
  });
});
