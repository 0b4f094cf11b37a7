import * as assert from 'node:assert/strict';
import { openDriver } from '../../../src/core/driver/index';
import type { RedisDriver } from '../../../src/core/driver/redis/driver';
import type { CacheDriver, KeyInfo, ValuePage } from '../../../src/core/driver/types';
import { CacheLensError } from '../../../src/core/errors';
import { readPage } from '../../../src/core/driver/redis/values';
import type { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../../harness/servers';

const B = (s: string): Buffer => Buffer.from(s);
/** A key that is not valid UTF-8, with a ':' and a NUL in it. */
const BINARY = Buffer.from([0xff, 0xfe, 0x3a, 0x00]);

async function all(driver: CacheDriver, options: Parameters<CacheDriver['scan']>[0] = {}): Promise<KeyInfo[]> {
  const out: KeyInfo[] = [];
  for await (const batch of driver.scan(options)) out.push(...batch);
  return out;
}

function byName(keys: KeyInfo[]): Map<string, KeyInfo> {
  return new Map(keys.map((k) => [k.key.toString('latin1'), k]));
}

async function stat(server: RedisServer, field: string): Promise<number> {
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(await server.cli('INFO', 'stats'));
  return Number(m?.[1]);
}

for (const protocol of [2, 3] as const) {
  describe(`redis: standalone driver over RESP${protocol}`, () => {
    let server: RedisServer;
    let driver: RedisDriver;

    before(async () => {
      server = await startRedis({ unixSocket: protocol === 3 });
      driver = await openDriver(`${server.url}?protocol=${protocol}`) as RedisDriver;
      await server.cli('SET', 'user:1', 'alice');
      await server.cli('SET', 'user:2', 'bob', 'PX', '600000');
      await server.cli('HSET', 'cfg:h', 'a', '1', 'b', '2');
      await server.cli('RPUSH', 'queue:l', 'x', 'y', 'z');
      await server.cli('SADD', 'set:s', 'm1', 'm2');
      await server.cli('ZADD', 'rank:z', '1.5', 'low', '+inf', 'top');
      await server.cli('XADD', 'log:x', '1-1', 'f', 'v1');
      await server.cli('XADD', 'log:x', '1-2', 'f', 'v2');
    });
    after(async () => {
      await driver?.close();
      await server?.stop();
    });

    it('scans every key with type, TTL and size', async () => {
      const keys = byName(await all(driver));
      assert.deepEqual([...keys.keys()].sort(), ['cfg:h', 'log:x', 'queue:l', 'rank:z', 'set:s', 'user:1', 'user:2']);
      assert.equal(keys.get('user:1')?.type, 'string');
      assert.equal(keys.get('user:1')?.ttlMs, -1);
      const ttl = keys.get('user:2')?.ttlMs ?? 0;
      assert.ok(ttl > 590000 && ttl <= 600000, `ttl ${ttl}`);
      assert.equal(keys.get('cfg:h')?.type, 'hash');
      assert.equal(keys.get('queue:l')?.type, 'list');
      assert.equal(keys.get('set:s')?.type, 'set');
      assert.equal(keys.get('rank:z')?.type, 'zset');
      assert.equal(keys.get('log:x')?.type, 'stream');
      const usage = Number((await server.cli('MEMORY', 'USAGE', 'user:1')).trim());
      assert.equal(keys.get('user:1')?.bytes, usage);
      for (const k of keys.values()) assert.equal(k.node, `127.0.0.1:${server.port}`);
    });

    it('filters by glob and by type, in small batches', async () => {
      const users = await all(driver, { match: 'user:*', count: 1 });
      assert.deepEqual(users.map((k) => k.key.toString()).sort(), ['user:1', 'user:2']);
      const hashes = await all(driver, { type: 'hash' });
      assert.deepEqual(hashes.map((k) => k.key.toString()), ['cfg:h']);
      const typedNoMeta = await all(driver, { type: 'list', withMeta: false });
      assert.deepEqual(typedNoMeta.map((k) => k.key.toString()), ['queue:l']);
      const bare = await all(driver, { withMeta: false });
      assert.equal(bare.length, 7);
      assert.ok(bare.every((k) => k.bytes === -1));
    });

    it('looks up one exact key', async () => {
      const info = await driver.lookup(B('cfg:h'));
      assert.equal(info?.type, 'hash');
      assert.ok((info?.bytes ?? 0) > 0);
      assert.equal(await driver.lookup(B('no:such:key')), null);
    });

    it('reads every type by range', async () => {
      const s = await driver.readValue(B('user:1'), { offset: 1, limit: 3 }) as Extract<ValuePage, { type: 'string' }>;
      assert.equal(s.bytes.toString(), 'lic');
      assert.equal(s.totalBytes, 5);
      const h = await driver.readValue(B('cfg:h')) as Extract<ValuePage, { type: 'hash' }>;
      assert.deepEqual(h.entries.map(([f, v]) => `${f}=${v}`).sort(), ['a=1', 'b=2']);
      assert.equal(h.total, 2);
      assert.equal(h.cursor, null);
      const l = await driver.readValue(B('queue:l'), { offset: 1, limit: 5 }) as Extract<ValuePage, { type: 'list' }>;
      assert.deepEqual(l.items.map(String), ['y', 'z']);
      assert.equal(l.total, 3);
      const set = await driver.readValue(B('set:s')) as Extract<ValuePage, { type: 'set' }>;
      assert.deepEqual(set.members.map(String).sort(), ['m1', 'm2']);
      const z = await driver.readValue(B('rank:z')) as Extract<ValuePage, { type: 'zset' }>;
      assert.deepEqual(z.entries.map(([m, sc]) => [m.toString(), sc]), [['low', 1.5], ['top', Infinity]]);
      const x1 = await driver.readValue(B('log:x'), { limit: 1 }) as Extract<ValuePage, { type: 'stream' }>;
      assert.deepEqual(x1.entries.map((e) => e.id), ['1-1']);
      assert.equal(x1.total, 2);
      const x2 = await driver.readValue(B('log:x'), { limit: 1, cursor: x1.lastId }) as Extract<ValuePage, { type: 'stream' }>;
      assert.deepEqual(x2.entries.map((e) => [e.id, e.fields[0][1].toString()]), [['1-2', 'v2']]);
      assert.equal(await driver.readValue(B('missing')), null);
    });

    it('writes a string keeping its TTL, sets and removes TTLs, renames and deletes', async () => {
      await server.cli('SET', 'w:1', 'old', 'PX', '500000');
      await driver.writeString(B('w:1'), B('new'), { keepTtl: true });
      assert.equal((await server.cli('GET', 'w:1')).trim(), 'new');
      assert.ok(Number((await server.cli('PTTL', 'w:1')).trim()) > 400000);
      await driver.writeString(B('w:1'), B('newer'), { ttlMs: 90000 });
      const pttl = Number((await server.cli('PTTL', 'w:1')).trim());
      assert.ok(pttl > 80000 && pttl <= 90000);
      assert.equal(await driver.setTtl(B('w:1'), -1), true);
      assert.equal((await server.cli('PTTL', 'w:1')).trim(), '-1');
      assert.equal(await driver.setTtl(B('w:1'), 30000), true);
      assert.equal(await driver.setTtl(B('w:none'), 30000), false);
      await driver.rename(B('w:1'), B('w:2'));
      assert.equal((await server.cli('EXISTS', 'w:1')).trim(), '0');
      assert.equal((await server.cli('GET', 'w:2')).trim(), 'newer');
      await server.cli('SET', 'w:3', 'keep');
      await assert.rejects(driver.rename(B('w:2'), B('w:3')), /already exists/);
      assert.equal((await server.cli('GET', 'w:3')).trim(), 'keep');
      await assert.rejects(driver.rename(B('w:gone'), B('w:4')), (e) => CacheLensError.is(e, 'server') && /does not exist/.test(e.message));
      const r = await driver.delete([B('w:2'), B('w:3'), B('w:absent')]);
      assert.deepEqual(r, { deleted: 2, errors: 0 });
      assert.equal((await server.cli('EXISTS', 'w:2', 'w:3')).trim(), '0');
    });

    it('deletes thousands of keys exactly, in pipelined batches', async () => {
      await server.cli('EVAL', "for i=1,3000 do redis.call('SET','bulk:'..i,i) end", '0');
      const doomed = Array.from({ length: 3000 }, (_, i) => B(`bulk:${i + 1}`)).filter((_, i) => i % 3 !== 0);
      const r = await driver.delete(doomed);
      assert.deepEqual(r, { deleted: 2000, errors: 0 });
      const left = (await all(driver, { match: 'bulk:*', withMeta: false })).map((k) => Number(k.key.toString().slice(5))).sort((a, b) => a - b);
      assert.deepEqual(left, Array.from({ length: 1000 }, (_, i) => 3 * i + 1));
      await server.cli('EVAL', "for i=1,3000 do redis.call('DEL','bulk:'..i) end", '0');
    });

    it('keeps binary keys byte for byte through every operation', async () => {
      await driver.writeString(BINARY, Buffer.from([0x00, 0xff, 0x10]));
      const found = (await all(driver)).find((k) => k.key.equals(BINARY));
      assert.ok(found, 'binary key listed');
      assert.equal(found.type, 'string');
      const page = await driver.readValue(found.key) as Extract<ValuePage, { type: 'string' }>;
      assert.deepEqual([...page.bytes], [0x00, 0xff, 0x10]);
      assert.equal((await driver.lookup(BINARY))?.type, 'string');
      assert.equal(await driver.setTtl(BINARY, 100000), true);
      const renamed = Buffer.concat([BINARY, Buffer.from([0x80])]);
      await driver.rename(BINARY, renamed);
      assert.equal(await driver.lookup(BINARY), null);
      assert.ok(((await driver.lookup(renamed))?.ttlMs ?? 0) > 90000);
      assert.deepEqual(await driver.delete([renamed]), { deleted: 1, errors: 0 });
      assert.equal(await driver.lookup(renamed), null);
    });

    if (protocol === 3) it('pages a 500k-field hash without loading it at once', async function () {
      this.timeout(60000);
      await server.cli('EVAL', "for i=1,500000,1000 do local a={} for j=i,i+999 do a[#a+1]='f'..j a[#a+1]='v' end redis.call('HSET',KEYS[1],unpack(a)) end", '1', 'big:h');
      const p1 = await driver.readValue(B('big:h')) as Extract<ValuePage, { type: 'hash' }>;
      assert.equal(p1.total, 500000);
      assert.ok(p1.entries.length > 0 && p1.entries.length < 2000, `page of ${p1.entries.length}`);
      assert.ok(p1.cursor !== null);
      const p2 = await driver.readValue(B('big:h'), { cursor: p1.cursor }) as Extract<ValuePage, { type: 'hash' }>;
      assert.ok(p2.entries.length > 0 && p2.entries.length < 2000);
      const first = new Set(p1.entries.map(([f]) => f.toString()));
      assert.ok(p2.entries.some(([f]) => !first.has(f.toString())), 'the second page moves on');
      const info = await driver.lookup(B('big:h'));
      assert.ok((info?.bytes ?? 0) > 1_000_000, `estimated size ${info?.bytes}`);
      await server.cli('UNLINK', 'big:h');
    });

    it('returns an unsupported page for a module type instead of failing', async () => {
      const { page, lookups } = await readPage((driver as unknown as { conn: { client: Redis } }).conn.client, B('user:1'), 'ReJSON-RL');
      assert.deepEqual(page, { type: 'ReJSON-RL', unsupported: true, total: -1 });
      assert.equal(lookups, 0);
    });

    it('parses INFO into fields for its node', async () => {
      const stats = await driver.stats();
      assert.equal(stats.length, 1);
      assert.equal(stats[0].node, `127.0.0.1:${server.port}`);
      assert.match(stats[0].fields.redis_version, /^\d+\.\d+/);
      assert.ok('keyspace_hits' in stats[0].fields);
      assert.match(stats[0].fields.db0, /^keys=\d+/);
    });

    it('counts exactly the hits and misses it causes in its ledger; a bare scan causes none', async () => {
      const node = `127.0.0.1:${server.port}`;
      const hits0 = await stat(server, 'keyspace_hits');
      const misses0 = await stat(server, 'keyspace_misses');
      for await (const _ of driver.scan({ withMeta: false })) { /* walk */ }
      assert.equal(await stat(server, 'keyspace_hits'), hits0, 'SCAN alone never counts');
      assert.equal(await stat(server, 'keyspace_misses'), misses0);
      const before = driver.ledger.get(node);
      const h1 = await stat(server, 'keyspace_hits');
      const m1 = await stat(server, 'keyspace_misses');
      await all(driver);
      await driver.lookup(B('no:such'));
      await driver.readValue(B('user:1'));
      const after = driver.ledger.get(node);
      const serverHits = (await stat(server, 'keyspace_hits')) - h1;
      const serverMisses = (await stat(server, 'keyspace_misses')) - m1;
      assert.ok(serverHits > 0, 'TYPE/PTTL/GETRANGE do count as hits on this server');
      assert.equal(after.hits - before.hits, serverHits);
      assert.equal(after.misses - before.misses, serverMisses);
    });

    if (protocol === 3) {
      it('connects over a unix socket', async () => {
        const d = await openDriver(`redis+unix://${server.socketPath}?db=0`);
        try {
          assert.equal((await d.lookup(B('user:1')))?.type, 'string');
          assert.deepEqual(d.nodes(), [server.socketPath]);
        } finally {
          await d.close();
        }
      });
    }

    it('uses the database of the URL', async () => {
      await server.cli('-n', '3', 'SET', 'only:in:3', 'x');
      const d = await openDriver(`${server.url}/3?protocol=${protocol}`);
      try {
        assert.deepEqual((await all(d)).map((k) => k.key.toString()), ['only:in:3']);
      } finally {
        await d.close();
      }
    });
  });
}
