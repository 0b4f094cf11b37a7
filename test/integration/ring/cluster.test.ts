import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { runCli } from '../../../src/cli/main';
import { fetchSlotMap, parseSlots, readSlotMap } from '../../../src/core/ring/live-cluster';
import { evenSlotMap, keySlot, rebalance } from '../../../src/core/ring/redis-slots';
import { startRedisCluster, type RedisCluster } from '../../harness/servers';
import { captureIO } from '../../helpers/io';

async function cli(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** Keys that exercise every hash-tag rule, random text, and random bytes (braces included). */
function slotCorpus(): Buffer[] {
  const keys = ['123456789', '{}', '{', '}', '}{', '{}{', '{}{a}', 'x{}{tag}y', '{}{user}:1', 'foo{{bar}}zap', 'foo{bar}{zap}',
    '{user1000}.following', '{{}}', 'a{b}c', '{a}{}', '{ }', 'é{日}', ''].map((s) => Buffer.from(s));
  const pieces = ['{', '}', '{}', 'user', ':', 'a', '日', '\u0000', '\r\n'];
  for (let i = 0; i < 1500; i++) {
    let k = '';
    const n = 1 + crypto.randomInt(8);
    for (let j = 0; j < n; j++) k += pieces[crypto.randomInt(pieces.length)];
    keys.push(Buffer.from(k));
  }
  for (let i = 0; i < 1500; i++) {
    const b = crypto.randomBytes(1 + crypto.randomInt(40));
    if (i % 3 === 0) { b[crypto.randomInt(b.length)] = 0x7b; b[crypto.randomInt(b.length)] = 0x7d; }
    keys.push(b);
  }
  return keys;
}

describe('ring: a real 3-master Redis Cluster', function () {
  this.timeout(120000);
  let cluster: RedisCluster;
  let client: Cluster;

  before(async () => {
    cluster = await startRedisCluster(3);
    client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], { enableAutoPipelining: true });
    const keys = [
      ...Array.from({ length: 1200 }, (_, i) => `{hot}:item:${i}`),
      ...Array.from({ length: 3000 }, (_, i) => `user:${i}`),
      ...Array.from({ length: 50 }, (_, i) => `{cart:${i % 5}}:line:${i}`),
    ];
    await Promise.all(keys.map((k) => client.set(k, '1')));
  });

  after(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('computes the same slot as CLUSTER KEYSLOT for thousands of keys, braces and binary bytes included', async () => {
    const node = new Redis({ host: '127.0.0.1', port: cluster.nodes[1].port });
    try {
      const keys = slotCorpus();
      const pipe = node.pipeline();
      for (const k of keys) pipe.call('CLUSTER', 'KEYSLOT', k);
      const replies = await pipe.exec();
      assert.ok(replies);
      const wrong = keys.filter((k, i) => replies[i][1] !== keySlot(k));
      assert.deepEqual(wrong.map((k) => k.toString('hex')), []);
      assert.ok(keys.length > 3000);
    } finally {
      node.disconnect();
    }
  });

  it('reads the slot map from CLUSTER SHARDS and CLUSTER SLOTS alike: redis-cli\'s even split', async () => {
    const map = await fetchSlotMap(cluster.url);
    assert.ok(map);
    assert.deepEqual(map.nodes, cluster.nodes.map((n) => `127.0.0.1:${n.port}`));
    const even = evenSlotMap(map.nodes.map((id) => ({ id, weight: 1 })));
    assert.deepEqual(Array.from(map.owner), Array.from(even.owner));
    const node = new Redis({ host: '127.0.0.1', port: cluster.nodes[2].port });
    try {
      const viaSlots = parseSlots(await node.call('CLUSTER', 'SLOTS'));
      const renumbered = await readSlotMap({ call: async (...a: string[]) => (a[1] === 'SHARDS' ? Promise.reject(new Error('ERR unknown subcommand')) : node.call('CLUSTER', 'SLOTS')) });
      assert.deepEqual(renumbered.nodes, map.nodes);
      assert.deepEqual(Array.from(renumbered.owner), Array.from(map.owner));
      assert.equal(new Set(viaSlots.nodes).size, 3);
    } finally {
      node.disconnect();
    }
  });

  it('ring --url: keys and slots per master, the hot hash tag, nothing misplaced', async () => {
    const res = await cli('ring', '--url', cluster.url, '--algo', 'redis-slots', '--json');
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out);
    const sizes = await Promise.all(cluster.nodes.map(async (n) => Number((await n.cli('dbsize')).trim())));
    assert.deepEqual(r.nodes.map((n: { keys: number }) => n.keys), sizes);
    assert.deepEqual(r.nodes.map((n: { slots: number }) => n.slots), [5461, 5462, 5461]);
    assert.equal(r.total, 4250);
    assert.equal(r.misplaced, 0);
    assert.equal(r.unownedSlots, 0);
    assert.equal(r.hotTags[0].tag, 'hot');
    assert.equal(r.hotTags[0].keys, 1200);
    assert.equal(r.hotTags[0].slot, keySlot('hot'));
    assert.equal(r.hotTags.length, 6);
  });

  it('ring --url --add simulates a rebalance from the real slot map: about a quarter moves, none between old masters', async () => {
    const r = JSON.parse((await cli('ring', '--url', cluster.url, '--algo', 'redis-slots', '--add', '127.0.0.1:1', '--json')).out);
    assert.equal(r.idealMovedFraction, 0.25);
    assert.equal(r.movedBetweenSurvivors, 0);
    assert.ok(r.moved > 0);
    // The rebalance moves exactly a quarter of the slots, each from an old master to the new one.
    const map = await fetchSlotMap(cluster.url);
    assert.ok(map);
    const next = rebalance(map, [...map.nodes, '127.0.0.1:1'].map((id) => ({ id, weight: 1 })));
    let movedSlots = 0;
    for (let s = 0; s < 16384; s++) {
      if (next.nodes[next.owner[s]] !== map.nodes[map.owner[s]]) {
        movedSlots++;
        assert.equal(next.nodes[next.owner[s]], '127.0.0.1:1');
      }
    }
    assert.equal(movedSlots, 4096);
  });

  it('ring locate --url names the master that owns each key\'s slot, and warns across slots', async () => {
    const keys = ['user:1', '{hot}:item:3', 'anything'];
    const res = await cli('ring', 'locate', '--algo', 'redis-slots', '--url', cluster.url, ...keys, '--json');
    assert.equal(res.code, 0, res.err);
    const rows = JSON.parse(res.out);
    for (const [i, key] of keys.entries()) {
      const owner = await client.cluster('KEYSLOT', key) as number;
      assert.equal(rows[i].slot, owner);
      // The master that really answers for the key is the one ioredis routes to.
      const nodeInfo = client.slots[owner][0];
      assert.equal(rows[i].node, nodeInfo);
    }
    assert.match(res.err, /CROSSSLOT/);
  });
});
