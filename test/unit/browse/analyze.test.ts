import * as assert from 'node:assert/strict';
import { Analyzer, analyzeJson, ttlBucket, TTL_BUCKETS } from '../../../src/core/analyze';
import type { KeyInfo } from '../../../src/core/driver/types';

function info(key: string | Buffer, type = 'string', ttlMs = -1, bytes = 10): KeyInfo {
  return { key: typeof key === 'string' ? Buffer.from(key) : key, type, ttlMs, bytes };
}

describe('analyze aggregation', () => {
  it('puts TTLs in the six buckets at their exact edges', () => {
    const edges: Array<[number, string]> = [[-1, 'none'], [0, '<1m'], [59_999, '<1m'], [60_000, '<1h'], [3_599_999, '<1h'], [3_600_000, '<1d'],
      [86_399_999, '<1d'], [86_400_000, '<7d'], [604_799_999, '<7d'], [604_800_000, '>=7d']];
    for (const [ms, bucket] of edges) assert.equal(TTL_BUCKETS[ttlBucket(ms)], bucket, `${ms} ms`);
  });

  it('adds up keys, bytes, types and TTLs per namespace, down to the depth', () => {
    const a = new Analyzer({ depth: 2 });
    a.addBatch([
      info('user:1:profile', 'hash', -1, 100), info('user:1:cart', 'list', 30_000, 50), info('user:2:profile', 'hash', -1, 70),
      info('user:flat', 'string', 7_200_000, 5), info('session:x', 'string', 120_000, 20), info('nodelim', 'string', -1, 1),
      info('unknown:size', 'string', -1, -1),
    ]);
    const r = a.result(true, 0);
    assert.equal(r.keys, 7);
    assert.equal(r.bytes, 246);
    assert.deepEqual(r.namespaces.map((n) => [n.prefix.toString(), n.keys, n.bytes]), [['user:', 4, 225], ['session:', 1, 20], ['unknown:', 1, 0]]);
    const user = r.namespaces[0];
    assert.deepEqual(user.types, { hash: 2, list: 1, string: 1 });
    assert.deepEqual(user.ttl, [2, 1, 0, 1, 0, 0]);
    assert.deepEqual(user.children.map((c) => [c.prefix.toString(), c.keys]), [['user:1:', 2], ['user:2:', 1]]);
    assert.equal(user.children[0].children.length, 0, 'depth 2 stops there');
    const json = analyzeJson(r) as { namespaces: Array<{ prefix: string; ttl: Record<string, number> }> };
    assert.deepEqual(json.namespaces[0].ttl, { none: 2, '<1m': 1, '<1h': 0, '<1d': 1, '<7d': 0, '>=7d': 0 });
  });

  it('honours a multi-byte delimiter and binary prefixes', () => {
    const a = new Analyzer({ delimiter: '::', depth: 1 });
    a.addBatch([info('a::b'), info('a::c'), info('a:b'), info(Buffer.from([0xff, 0x3a, 0x3a, 0x01]))]);
    const r = a.result(true, 0);
    assert.deepEqual(r.namespaces.map((n) => [n.prefix.toString('hex'), n.keys]), [['613a3a', 2], ['ff3a3a', 1]]);
    assert.deepEqual(analyzeJson(r).namespaces, [
      { prefix: 'a::', keys: 2, bytes: 20, types: { string: 2 }, ttl: { none: 2, '<1m': 0, '<1h': 0, '<1d': 0, '<7d': 0, '>=7d': 0 }, children: [] },
      { prefixBase64: Buffer.from([0xff, 0x3a, 0x3a]).toString('base64'), keys: 1, bytes: 10, types: { string: 1 }, ttl: { none: 1, '<1m': 0, '<1h': 0, '<1d': 0, '<7d': 0, '>=7d': 0 }, children: [] },
    ]);
  });

  it('keeps memory bounded: children past the cap fold into "other" without losing counts', () => {
    const a = new Analyzer({ depth: 2, maxChildren: 10 });
    const batch: KeyInfo[] = [];
    for (let i = 0; i < 5000; i++) batch.push(info(`user:${i}:x`, 'string', -1, 2));
    a.addBatch(batch);
    const user = a.result(true, 0).namespaces[0];
    assert.equal(user.keys, 5000);
    assert.equal(user.children.length, 10);
    assert.deepEqual(user.other, { namespaces: 4990, keys: 4990, bytes: 9980 });
  });
});
