import * as assert from 'node:assert/strict';
import { startMemcached, type MemcachedServer } from '../../harness/servers';
import { openMemcachedDriver, type MemcachedDriver } from '../../../src/core/driver/memcached/index';
import { CacheLensError } from '../../../src/core/errors';
import type { KeyInfo } from '../../../src/core/driver/types';
import { listAll, mcOptions } from './helpers';

const VALUE_REPLY = /\r\n[^\r]*\r\n$/;

async function counters(server: MemcachedServer): Promise<{ hits: number; misses: number }> {
  const reply = await server.command('stats');
  const get = (name: string) => Number(new RegExp(`STAT ${name} (\\d+)`).exec(reply)?.[1]);
  return { hits: get('get_hits'), misses: get('get_misses') };
}

describe('memcached driver (plain text protocol)', () => {
  let server: MemcachedServer;
  let driver: MemcachedDriver;

  before(async () => {
    server = await startMemcached();
    driver = await openMemcachedDriver(mcOptions(server.url));
  });
  after(async () => {
    await driver?.close();
    await server?.stop();
  });
  beforeEach(async () => { await driver.flush(); });

  it('lists URI-encoded keys back to their exact bytes, with sizes and the memcached type', async () => {
    await server.command('set user:1 0 0 3\r\nabc');
    await server.command('set a%20b 0 0 1\r\nx');
    await server.command('set caf\u00e9 0 0 1\r\ny');
    const keys = await listAll(driver);
    const names = keys.map((k) => k.key.toString('utf8')).sort();
    assert.deepEqual(names, ['a%20b', 'caf\u00e9', 'user:1']);
    const user = keys.find((k) => k.key.toString() === 'user:1') as KeyInfo;
    assert.equal(user.type, 'string');
    assert.ok(user.bytes > 3, `item size includes overhead, got ${user.bytes}`);
    assert.equal(user.node, `127.0.0.1:${server.port}`);
  });

  it('reports remaining TTLs from the server clock (none as -1)', async () => {
    await server.command('set short 0 100 1\r\nx');
    await server.command('set forever 0 0 1\r\nx');
    const keys = await listAll(driver);
    const short = keys.find((k) => k.key.toString() === 'short') as KeyInfo;
    const forever = keys.find((k) => k.key.toString() === 'forever') as KeyInfo;
    assert.equal(forever.ttlMs, -1);
    // The server clock ticks in whole seconds: allow its rounding, not a local-clock skew.
    assert.ok(short.ttlMs > 97_000 && short.ttlMs <= 101_000, `ttl ${short.ttlMs}`);
    const looked = await driver.lookup(Buffer.from('short'));
    assert.ok(looked && looked.ttlMs > 97_000 && looked.ttlMs <= 101_000, `lookup ttl ${looked?.ttlMs}`);
    assert.equal((await driver.lookup(Buffer.from('forever')))?.ttlMs, -1);
  });

  it('lists 10,000 keys completely with lru_crawler metadump', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`set k:${i} 0 0 1 noreply\r\nv\r\n`);
    await server.command(lines.join('') + 'mn', /MN\r\n$/);
    const keys = await listAll(driver);
    assert.equal(keys.length, 10_000);
    const seen = new Set(keys.map((k) => k.key.toString()));
    for (let i = 0; i < 10_000; i++) assert.ok(seen.has(`k:${i}`), `missing k:${i}`);
  });

  it('filters the listing by glob and by type', async () => {
    await server.command('set user:1 0 0 1\r\nx');
    await server.command('set user:2 0 0 1\r\nx');
    await server.command('set post:1 0 0 1\r\nx');
    assert.deepEqual((await listAll(driver, 'user:*')).map((k) => k.key.toString()).sort(), ['user:1', 'user:2']);
    assert.deepEqual((await listAll(driver, '*:[1]')).map((k) => k.key.toString()).sort(), ['post:1', 'user:1']);
    const hashes: KeyInfo[] = [];
    for await (const b of driver.scan({ type: 'hash' })) hashes.push(...b);
    assert.equal(hashes.length, 0);
  });

  it('does not move get_hits / get_misses when listing or looking up keys', async () => {
    await server.command('set watched 0 60 5\r\nhello');
    const before = await counters(server);
    await listAll(driver);
    assert.ok(await driver.lookup(Buffer.from('watched')));
    assert.equal(await driver.lookup(Buffer.from('absent')), null);
    const after = await counters(server);
    assert.deepEqual(after, before);
    // Opening a value is a real read, and it shows in the counters and in the ledger.
    const page = await driver.readValue(Buffer.from('watched'));
    assert.equal(page?.type, 'string');
    assert.equal((page as { bytes: Buffer }).bytes.toString(), 'hello');
    assert.equal((await counters(server)).hits, before.hits + 1);
    assert.equal(driver.ledger.get(`127.0.0.1:${server.port}`).hits, 1);
  });

  it('keeps binary keys exact through write, list, lookup, read, TTL and delete (base64 meta mode)', async () => {
    const keys = [Buffer.from([0xff, 0x00, 0x20, 0x0d, 0x0a, 0x41]), Buffer.from('with space'), Buffer.from([0x80, 0x81])];
    for (const [i, key] of keys.entries()) await driver.writeString(key, Buffer.from(`v${i}`));
    const listed = await listAll(driver);
    for (const key of keys) assert.ok(listed.some((k) => k.key.equals(key)), `listed ${key.toString('hex')}`);
    assert.equal(listed.length, keys.length);
    for (const [i, key] of keys.entries()) {
      assert.equal((await driver.lookup(key))?.key.toString('hex'), key.toString('hex'));
      const page = await driver.readValue(key) as { bytes: Buffer };
      assert.equal(page.bytes.toString(), `v${i}`);
    }
    assert.equal(await driver.setTtl(keys[0], 50_000), true);
    const ttl = (await driver.lookup(keys[0]))?.ttlMs ?? 0;
    assert.ok(ttl > 47_000 && ttl <= 51_000, `ttl ${ttl}`);
    assert.deepEqual(await driver.delete([keys[0], keys[1], Buffer.from('never-existed')]), { deleted: 2, errors: 0 });
    const left = await listAll(driver);
    assert.deepEqual(left.map((k) => k.key.toString('hex')), [keys[2].toString('hex')]);
  });

  it('writes a value keeping its TTL and client flags, sets and removes TTLs', async () => {
    await server.command('set edited 42 300 3\r\nold');
    await driver.writeString(Buffer.from('edited'), Buffer.from('new value'), { keepTtl: true });
    const reply = await server.command('mg edited v f t', VALUE_REPLY);
    assert.match(reply, /^VA 9 f42 t(29\d|300)\r\nnew value\r\n$/);
    assert.equal(await driver.setTtl(Buffer.from('edited'), -1), true);
    assert.equal((await driver.lookup(Buffer.from('edited')))?.ttlMs, -1);
    assert.equal(await driver.setTtl(Buffer.from('missing'), 10_000), false);
    await driver.writeString(Buffer.from('fresh'), Buffer.from('x'), { ttlMs: 40 * 24 * 3600 * 1000 });
    const fresh = await driver.lookup(Buffer.from('fresh'));
    // Over 30 days memcached wants an absolute time; the remaining TTL must still be ~40 days.
    assert.ok(fresh && Math.abs(fresh.ttlMs - 40 * 24 * 3600 * 1000) < 5000, `ttl ${fresh?.ttlMs}`);
  });

  it('renames a key keeping its value and TTL', async () => {
    await server.command('set from 7 200 3\r\nabc');
    await driver.rename(Buffer.from('from'), Buffer.from('to'));
    assert.equal(await driver.lookup(Buffer.from('from')), null);
    assert.match(await server.command('mg to v f t', VALUE_REPLY), /^VA 3 f7 t(19\d|200)\r\nabc\r\n$/);
  });

  it('deletes in pipelined batches and counts what was deleted', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2500; i++) lines.push(`set d:${i} 0 0 1 noreply\r\nv\r\n`);
    await server.command(lines.join('') + 'mn', /MN\r\n$/);
    const victims = Array.from({ length: 1500 }, (_, i) => Buffer.from(`d:${i * 2}`));
    const result = await driver.delete(victims);
    assert.deepEqual(result, { deleted: 1250, errors: 0 });
    assert.equal((await listAll(driver)).length, 1250);
  });

  it('flushes and reports per-server stats', async () => {
    await server.command('set a 0 0 1\r\nx');
    await driver.flush();
    assert.equal((await listAll(driver)).length, 0);
    const stats = await driver.stats();
    assert.equal(stats.length, 1);
    assert.equal(stats[0].node, `127.0.0.1:${server.port}`);
    assert.equal(stats[0].fields.version, '1.6.18');
    assert.ok(Number(stats[0].fields.cmd_flush) >= 1);
  });

  it('refuses every write on a read-only connection', async () => {
    const ro = await openMemcachedDriver(mcOptions(server.url, { readOnly: true }));
    try {
      await server.command('set keep 0 0 1\r\nx');
      await assert.rejects(ro.delete([Buffer.from('keep')]), (e) => CacheLensError.is(e, 'readonly'));
      await assert.rejects(ro.flush(), (e) => CacheLensError.is(e, 'readonly'));
      await assert.rejects(ro.writeString(Buffer.from('keep'), Buffer.from('y')), (e) => CacheLensError.is(e, 'readonly'));
      await assert.rejects(ro.setTtl(Buffer.from('keep'), 1000), (e) => CacheLensError.is(e, 'readonly'));
      assert.ok(await ro.lookup(Buffer.from('keep')));
    } finally {
      await ro.close();
    }
  });
});
