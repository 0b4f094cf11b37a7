import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver } from '../../../src/core/driver/types';
import { KeyspaceSession } from '../../../src/extension/explorer/session';
import type { KeyNode, NamespaceNode } from '../../../src/extension/explorer/model';
import { readValueView } from '../../../src/extension/values/reader';
import { startMemcached, startRedis, type MemcachedServer, type RedisServer } from '../../harness/servers';

function session(driver: CacheDriver, pageSize: number): KeyspaceSession {
  return new KeyspaceSession({ connectionId: 't', delimiter: ':', pageSize, tagPrefix: 'tag:', driver: async () => driver });
}

describe('explorer session against real Redis', () => {
  let redis: RedisServer;
  let driver: CacheDriver;

  before(async () => {
    redis = await startRedis();
    // 120 user keys, 30 session keys with a TTL, a hash, a binary key and two tags.
    const seed = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await seed.connect();
    const p = seed.pipeline();
    for (let i = 0; i < 120; i++) p.set(`user:${i}:name`, `n${i}`);
    for (let i = 0; i < 30; i++) p.set(`session:${i}`, 's', 'EX', 3600);
    p.hset('big:hash', 'f1', 'v1', 'f2', 'v2');
    p.sadd('tag:users', 'user:1:name', 'user:2:name', 'gone:1');
    p.sadd('tag:empty-ish', 'user:3:name');
    p.set(Buffer.from([0xff, 0xfe, 0x62, 0x69, 0x6e]), 'b');
    await p.exec();
    seed.disconnect();
    driver = await openDriver(redis.url);
  });

  after(async () => {
    await driver?.close();
    await redis?.stop();
  });

  it('loads the keyspace page by page with bounded pages and exact final counts', async () => {
    const s = session(driver, 50);
    const first = await s.loadMore();
    assert.equal(first, 50);
    assert.equal(s.model.loadedCount, 50);
    assert.equal(s.model.complete, false);
    let guard = 0;
    while (!s.model.complete && guard++ < 20) await s.loadMore();
    // 120 + 30 + hash + 2 tag sets + 1 binary key
    assert.equal(s.model.loadedCount, 154);
    const user = s.model.findNamespace(Buffer.from('user:')) as NamespaceNode;
    assert.equal(user.count, 120);
    assert.equal(s.model.describeNamespace(user), '120 keys');
    const sessionNs = s.model.findNamespace(Buffer.from('session:'))!;
    const k = s.model.children(sessionNs)[0] as KeyNode;
    assert.ok(k.ttlMs > 3_500_000 && k.ttlMs <= 3_600_000, `ttl ${k.ttlMs}`);
    assert.equal(k.type, 'string');
    s.dispose();
  });

  it('filters by glob and type on the server', async () => {
    const s = session(driver, 1000);
    await s.refresh({ match: 'user:1*' });
    assert.equal(s.model.complete, true);
    // user:1, user:10..19, user:100..119
    assert.equal(s.model.loadedCount, 1 + 10 + 20);
    await s.refresh({ type: 'hash' });
    assert.deepEqual(s.model.keysUnder().map((n) => n.label), ['big:hash']);
    s.dispose();
  });

  it('looks up an exact key, binary included, and reports a missing one', async () => {
    const s = session(driver, 10);
    const raw = Buffer.from([0xff, 0xfe, 0x62, 0x69, 0x6e]);
    const node = await s.lookup(raw);
    assert.ok(node);
    assert.ok(node.key.equals(raw));
    assert.equal(node.label, '\\xff\\xfebin');
    assert.equal(await s.lookup(Buffer.from('no:such:key')), undefined);
    s.dispose();
  });

  it('lists tags with member counts and marks dangling members', async () => {
    const s = session(driver, 10);
    await s.loadTags();
    const tags = s.model.tagList!;
    assert.deepEqual(tags.map((t) => [t.name, t.members]), [['empty-ish', 1], ['users', 3]]);
    await s.loadTagMembers(tags[1]);
    const members = tags[1].loaded!;
    assert.deepEqual(members.filter((m) => m.dangling).map((m) => m.label), ['gone:1']);
    assert.equal(members.filter((m) => !m.dangling).length, 2);
    s.dispose();
  });

  it('reads values by range for the editor', async () => {
    const str = await readValueView(driver, Buffer.from('user:5:name'));
    assert.equal(str?.rendered.text, 'n5');
    assert.equal(str?.rendered.editable, true);
    const hash = await readValueView(driver, Buffer.from('big:hash'));
    assert.deepEqual(JSON.parse(hash!.rendered.text).value, { f1: 'v1', f2: 'v2' });
    assert.equal(await readValueView(driver, Buffer.from('missing')), null);
  });

  it('reads only the first 500 elements of a big list, then more on request', async () => {
    await redis.cli('EVAL', "for i = 1, 2000 do redis.call('RPUSH', KEYS[1], i) end return 1", '1', 'big:list');
    const first = await readValueView(driver, Buffer.from('big:list'));
    const doc = JSON.parse(first!.rendered.text);
    assert.equal(doc.length, 2000);
    assert.equal(doc.shown, 500);
    assert.equal(first!.rendered.complete, false);
    const more = await readValueView(driver, Buffer.from('big:list'), 4);
    assert.equal(JSON.parse(more!.rendered.text).shown, 2000);
    assert.equal(more!.rendered.complete, true);
  });
});

describe('explorer session against real Memcached', () => {
  let mc: MemcachedServer;
  let driver: CacheDriver;

  before(async () => {
    mc = await startMemcached();
    for (let i = 0; i < 25; i++) await mc.command(`set page:${i} 0 0 1\r\nx`, /STORED\r\n/);
    await mc.command('set cfg:flag 0 600 2\r\non', /STORED\r\n/);
    driver = await openDriver(mc.url);
  });

  after(async () => {
    await driver?.close();
    await mc?.stop();
  });

  it('lists every item into namespaces with TTLs from the server clock, and has no tags', async () => {
    const s = session(driver, 1000);
    await s.loadMore();
    assert.equal(s.model.complete, true);
    assert.equal(s.model.tagsEnabled, false);
    assert.equal(s.model.findNamespace(Buffer.from('page:'))!.count, 25);
    const flag = s.model.findKey(Buffer.from('cfg:flag'))!;
    assert.ok(flag.ttlMs > 590_000 && flag.ttlMs <= 600_000, `ttl ${flag.ttlMs}`);
    s.dispose();
  });
});

describe('explorer session against SASL Memcached', () => {
  let mc: MemcachedServer;
  let driver: CacheDriver;

  before(async () => {
    mc = await startMemcached({ sasl: { user: 'app', password: 'sasl-pw' } });
    driver = await openDriver(mc.url);
    await driver.writeString(Buffer.from('known:1'), Buffer.from('v'));
  });

  after(async () => {
    await driver?.close();
    await mc?.stop();
  });

  it('says plainly that keys cannot be listed, and exact lookup still works', async () => {
    const s = session(driver, 100);
    assert.equal(await s.loadMore(), 0);
    assert.equal(s.model.complete, true);
    const [message] = s.model.children();
    assert.equal(message.kind, 'message');
    assert.match(message.kind === 'message' ? message.text : '', /SASL|list/i);
    const found = await s.lookup(Buffer.from('known:1'));
    assert.equal(found?.label, 'known:1');
    s.dispose();
  });
});
