/**
 * Black-box tests of the CLI against a real 3-master Redis Cluster: keys, analyze and purge see
 * every master, and `ring locate --url` agrees with the cluster's own CLUSTER KEYSLOT and slot map.
 */
import * as assert from 'node:assert/strict';
import { startRedisCluster, type RedisCluster, type RedisServer } from '../../harness/servers';
import { ensureBuilt, okJson, okJsonLines } from './run';

/** Keys spread over all three masters (and one hash-tagged group on a single slot). */
const KEYS = [...Array.from({ length: 30 }, (_, i) => `item:${i}`), '{grp}:a', '{grp}:b', '{grp}:c', 'other:1'];

async function allKeys(cluster: RedisCluster): Promise<string[]> {
  const perNode = await Promise.all(cluster.nodes.map((n) => n.cli('--scan')));
  return perNode.flatMap((out) => out.split('\n').filter((l) => l !== '')).sort();
}

async function ownerPort(cluster: RedisCluster, slot: number): Promise<number> {
  const raw = await cluster.nodes[0].cli('--json', 'cluster', 'slots');
  const ranges = JSON.parse(raw) as Array<[number, number, [string, number, string]]>;
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  assert.ok(range, `no owner for slot ${slot}`);
  return range[2][1];
}

describe('cachelens CLI end to end: Redis Cluster', function () {
  let cluster: RedisCluster;

  before(async function () {
    ensureBuilt();
    cluster = await startRedisCluster(3);
    for (const key of KEYS) await cluster.nodes[0].cli('-c', 'set', key, 'v');
    const counts = await Promise.all(cluster.nodes.map(async (n: RedisServer) => Number((await n.cli('dbsize')).trim())));
    assert.ok(counts.every((c) => c > 0), `the seed should reach every master: ${counts.join(', ')}`);
  });
  after(async () => { await cluster?.stop(); });

  it('keys --json and analyze --json see the keys of every master', async () => {
    const lines = await okJsonLines<{ key: string }>(['keys', '--url', cluster.url, '--json']);
    assert.deepEqual(lines.map((l) => l.key).sort(), [...KEYS].sort());
    const doc = await okJson<{ keys: number; namespaces: Array<{ prefix: string; keys: number }> }>(['analyze', '--url', cluster.url, '--json']);
    assert.equal(doc.keys, KEYS.length);
    assert.equal(doc.namespaces.find((n) => n.prefix === 'item:')?.keys, 30);
  });

  it('ring locate --algo redis-slots --url gives the slot CLUSTER KEYSLOT gives and the owning master', async () => {
    const keys = ['123456789', 'item:7', '{grp}:a', 'a{}b', '{}x', 'x{'];
    const doc = await okJson<Array<{ key: string; slot: number; node?: string }>>(['ring', 'locate', '--algo', 'redis-slots', '--url', cluster.url, ...keys, '--json']);
    assert.deepEqual(doc.map((d) => d.key), keys);
    for (const d of doc) {
      const slot = Number((await cluster.nodes[0].cli('cluster', 'keyslot', d.key)).trim());
      assert.equal(d.slot, slot, `slot of ${d.key}`);
      assert.equal(typeof d.node, 'string', `a cluster URL also gives the node: ${JSON.stringify(d)}`);
      assert.ok((d.node as string).endsWith(`:${await ownerPort(cluster, slot)}`), `${d.key} is owned by ${d.node}?`);
    }
  });

  it('purge --match --yes deletes exactly the match on every master', async () => {
    const before = await allKeys(cluster);
    const expected = before.filter((k) => /^item:1/.test(k));
    const dry = await okJson(['purge', '--url', cluster.url, '--match', 'item:1*', '--dry-run', '--json']);
    assert.deepEqual(dry, { matched: expected.length, deleted: 0 });
    assert.deepEqual(await allKeys(cluster), before, 'the dry run deleted keys');
    const real = await okJson(['purge', '--url', cluster.url, '--match', 'item:1*', '--yes', '--json']);
    assert.deepEqual(real, { matched: expected.length, deleted: expected.length });
    assert.deepEqual(await allKeys(cluster), before.filter((k) => !expected.includes(k)));
  });
});
