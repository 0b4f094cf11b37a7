/**
 * Randomized policies: the shared Rng, seeded determinism, uniform victim choice (chi-square),
 * and Redis's approximations measured against what Redis documents.
 */
import * as assert from 'node:assert/strict';
import { createPolicy } from '../../../src/core/sim/registry';
import type { RedisPolicy } from '../../../src/core/sim/policies/redis';
import { Rng } from '../../../src/core/sim/rng';
import { countMisses, run, zipfTrace } from './policiesHelpers';

/** Chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((s, x) => s + x, 0);
  const expected = total / counts.length;
  return counts.reduce((s, x) => s + ((x - expected) * (x - expected)) / expected, 0);
}

// Critical values at p = 0.001: a correct generator fails these once in a thousand seeds.
const CHI2_3DOF = 16.27;
const CHI2_9DOF = 27.88;

describe('sim policies: randomness', () => {
  it('Rng is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 8 }, () => a.next());
    assert.deepEqual(Array.from({ length: 8 }, () => b.next()), xs);
    assert.notDeepEqual(Array.from({ length: 8 }, () => c.next()), xs);
    for (const x of xs) assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
  });

  it('Rng.float is in [0, 1) with mean 1/2 and Rng.int is unbiased', () => {
    const rng = new Rng(7);
    let sum = 0;
    for (let i = 0; i < 200_000; i++) {
      const f = rng.float();
      assert.ok(f >= 0 && f < 1);
      sum += f;
    }
    assert.ok(Math.abs(sum / 200_000 - 0.5) < 0.005);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]++;
    assert.ok(chiSquare(counts) < CHI2_9DOF, `int(10) counts ${counts}`);
    // 3 does not divide 2^32: rejection must remove the modulo bias.
    const three = [0, 0, 0];
    for (let i = 0; i < 90_000; i++) three[rng.int(3)]++;
    assert.ok(chiSquare(three) < 13.82, `int(3) counts ${three}`);
    assert.equal(rng.int(1), 0);
  });

  it('random policies are deterministic for a seed and change with it', () => {
    const trace = 'a b c d e a f b g c h a d i b e j'.repeat(3);
    for (const name of ['random', 'allkeys-random', 'allkeys-lru', 'allkeys-lfu']) {
      const runWith = (seed: number) => {
        const p = createPolicy(name, { capacity: 6, bytes: false, idSpace: 26, seed });
        return run(p, trace) + ' ' + p.contents().sort((x, y) => x - y).join(',');
      };
      assert.equal(runWith(5), runWith(5), name);
      const outcomes = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(runWith));
      assert.ok(outcomes.size > 1, `${name} ignores its seed`);
    }
  });

  it('random, allkeys-random and volatile-random pick victims uniformly', () => {
    for (const name of ['random', 'allkeys-random', 'volatile-random']) {
      const counts = [0, 0, 0, 0];
      for (let seed = 0; seed < 4000; seed++) {
        const p = createPolicy(name, { capacity: 4, bytes: false, idSpace: 5, seed });
        for (let id = 0; id < 4; id++) p.access(id, 1, id, 1000, Infinity);
        p.access(4, 1, 4, 1000, Infinity);
        const left = [0, 1, 2, 3].filter((id) => !p.contents().includes(id));
        assert.equal(left.length, 1);
        counts[left[0]]++;
      }
      assert.ok(chiSquare(counts) < CHI2_3DOF, `${name} victims ${counts}`);
    }
  });

  it("random's miss ratio under IRM does not depend on the seed beyond noise", () => {
    const { ids } = zipfTrace(500, 0.9, 100_000, 3);
    const ratios = [1, 2, 3].map((seed) => countMisses(createPolicy('random', { capacity: 50, bytes: false, idSpace: 500, seed }), ids, 10_000) / 90_000);
    assert.ok(Math.max(...ratios) - Math.min(...ratios) < 0.01, `ratios ${ratios}`);
  });

  it("allkeys-lfu's counter grows logarithmically as Redis documents (factor 10)", () => {
    // redis.conf's table for lfu-log-factor 10: 100 hits -> 10, 1000 hits -> 18, 100K -> 142.
    const counterAfter = (hits: number, seed: number): number => {
      const p = createPolicy('allkeys-lfu', { capacity: 2, bytes: false, idSpace: 1, seed });
      for (let i = 0; i <= hits; i++) p.access(0, 1, 0, Infinity, Infinity);
      return (p as RedisPolicy).lfuCounter(0, 0);
    };
    const mean = (hits: number) => [1, 2, 3, 4, 5].reduce((s, seed) => s + counterAfter(hits, seed), 0) / 5;
    assert.ok(Math.abs(mean(100) - 10) <= 1.5, `100 hits -> ${mean(100)}`);
    assert.ok(Math.abs(mean(1000) - 18) <= 2, `1000 hits -> ${mean(1000)}`);
    assert.ok(Math.abs(mean(100_000) - 142) <= 8, `100K hits -> ${mean(100_000)}`);
  });

  it("allkeys-lru approximates lru better with more samples, and is random with one", () => {
    const { ids } = zipfTrace(5000, 0.9, 300_000, 11);
    const ratio = (name: string, params?: Record<string, number>) =>
      countMisses(createPolicy(name, { capacity: 500, bytes: false, idSpace: 5000, seed: 1, params }), ids, 50_000) / 250_000;
    const lru = ratio('lru');
    const sampled5 = ratio('allkeys-lru');
    const sampled10 = ratio('allkeys-lru', { 'maxmemory-samples': 10 });
    const sampled1 = ratio('allkeys-lru', { 'maxmemory-samples': 1 });
    const random = ratio('allkeys-random');
    assert.ok(Math.abs(sampled5 - lru) < 0.02, `allkeys-lru ${sampled5} vs lru ${lru}`);
    assert.ok(Math.abs(sampled10 - lru) < Math.abs(sampled5 - lru), `10 samples ${sampled10}, 5 samples ${sampled5}, lru ${lru}`);
    // With one sample the pool never holds more than the key it is about to evict, so Redis's
    // LRU degenerates into random eviction: with the same seed the very same keys go.
    assert.equal(sampled1, random);
    assert.ok(sampled5 < random - 0.02, `5 samples ${sampled5}, random ${random}`);
    // Under IRM, frequency beats recency once counters are not decayed away: here time is the
    // request index in seconds, so the default one-minute decay erases counts every 60 requests.
    const lfuNoDecay = ratio('allkeys-lfu', { 'lfu-decay-time': 0 });
    assert.ok(lfuNoDecay < sampled5 - 0.05, `allkeys-lfu ${lfuNoDecay} vs allkeys-lru ${sampled5}`);
    assert.ok(ratio('allkeys-lfu') > lfuNoDecay, 'decay must cost hits on a stationary trace');
  });
});
