import * as assert from 'node:assert/strict';
import { openDriver } from '../../../src/core/driver/index';
import type { RedisDriver } from '../../../src/core/driver/redis/driver';
import { keySlot } from '../../../src/core/driver/redis/slot';
import type { KeyInfo, ValuePage } from '../../../src/core/driver/types';
import { CacheLensError } from '../../../src/core/errors';
import { TagStore } from '../../../src/core/tags';
import { startRedisCluster, type RedisCluster } from '../../harness/servers';

const B = (s: string): Buffer => Buffer.from(s);

describe('redis: cluster', () => {
  let cluster: RedisCluster;
  let driver: RedisDriver;
  const names = Array.from({ length: 300 }, (_, i) => `c:${i}`);

  before(async () => {
    cluster = await startRedisCluster(3);
    driver = await openDriver(cluster.url) as RedisDriver;
    for (const n of names) await driver.writeString(B(n), B(`v${n}`));
  });
  after(async () => {
    await driver?.close();
    await cluster?.stop();
  });

  it('is detected from a single seed and lists its three masters', () => {
    assert.equal(driver.isCluster, true);
    assert.deepEqual(driver.nodes().sort(), cluster.nodes.map((n) => `127.0.0.1:${n.port}`).sort());
  });

  it('computes the same hash slots as the server', async () => {
    for (const k of ['c:1', 'user:{42}:profile', '{}x', 'a{b}c{d}']) {
      assert.equal(keySlot(B(k)), Number((await cluster.nodes[0].cli('CLUSTER', 'KEYSLOT', k)).trim()), k);
    }
  });

  it('scans every key across every master, with metadata from each node', async () => {
    const seen: KeyInfo[] = [];
    for await (const batch of driver.scan({ match: 'c:*', count: 50 })) seen.push(...batch);
    assert.deepEqual(seen.map((k) => k.key.toString()).sort(), [...names].sort());
    const perNode = new Map<string, number>();
    for (const k of seen) {
      assert.equal(k.type, 'string');
      assert.ok(k.bytes > 0);
      perNode.set(k.node ?? '', (perNode.get(k.node ?? '') ?? 0) + 1);
    }
    assert.equal(perNode.size, 3, 'keys came from all three masters');
    for (const n of cluster.nodes) {
      const dbsize = Number((await n.cli('DBSIZE')).trim());
      assert.equal(perNode.get(`127.0.0.1:${n.port}`), dbsize);
    }
  });

  it('routes lookups, value reads and TTL changes to the owning node', async () => {
    for (const n of ['c:0', 'c:1', 'c:2', 'c:3', 'c:4']) {
      const info = await driver.lookup(B(n));
      assert.equal(info?.type, 'string');
      const page = await driver.readValue(B(n)) as Extract<ValuePage, { type: 'string' }>;
      assert.equal(page.bytes.toString(), `v${n}`);
      assert.equal(await driver.setTtl(B(n), 100000), true);
      assert.ok(((await driver.lookup(B(n)))?.ttlMs ?? 0) > 90000);
    }
  });

  it('deletes exactly the given keys across slots and nodes', async () => {
    const doomed = names.filter((_, i) => i % 2 === 0).map(B);
    assert.deepEqual(await driver.delete(doomed), { deleted: 150, errors: 0 });
    const left: string[] = [];
    for await (const batch of driver.scan({ match: 'c:*', withMeta: false })) left.push(...batch.map((k) => k.key.toString()));
    assert.deepEqual(left.sort(), names.filter((_, i) => i % 2 === 1).sort());
  });

  it('renames within a hash slot and refuses across slots clearly', async () => {
    await driver.writeString(B('{u1}:a'), B('1'));
    await driver.rename(B('{u1}:a'), B('{u1}:b'));
    assert.equal((await driver.lookup(B('{u1}:b')))?.type, 'string');
    await assert.rejects(driver.rename(B('c:1'), B('c:1-renamed')), (e) => CacheLensError.is(e, 'unsupported') && /hash slot/.test(e.message));
  });

  it('gives INFO for each master', async () => {
    const stats = await driver.stats();
    assert.equal(stats.length, 3);
    assert.ok(stats.every((s) => s.fields.cluster_enabled === '1'));
  });

  it('handles tags whose members live on other nodes', async () => {
    const members = ['t:1', 't:2', 't:3', 't:4', 't:5', 't:6'];
    for (const m of members) await driver.writeString(B(m), B('x'));
    await cluster.nodes[0].cli('-c', 'SADD', 'tag:spread', ...members, 't:gone');
    const tags = new TagStore(driver);
    const list = await tags.listAll();
    assert.deepEqual(list.map((t) => [t.name.toString(), t.members]), [['spread', 7]]);
    const { dangling } = await tags.dangling('spread');
    assert.deepEqual(dangling.map(String), ['t:gone']);
    assert.deepEqual((await tags.tagsOf(B('t:4'))).tags.map(String), ['spread']);
    const report = await tags.invalidate('spread');
    assert.deepEqual(report, { matched: 7, deleted: 6, errors: 0, setDeleted: true });
    for (const m of members) assert.equal(await driver.lookup(B(m)), null);
  });

  it('refuses a database number other than 0', async () => {
    await assert.rejects(openDriver(`${cluster.url}/2`), (e) => CacheLensError.is(e, 'usage') && /only has database 0/.test(e.message));
  });
});
