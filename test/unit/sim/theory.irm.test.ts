/**
 * Against theory: on a warmed-up IRM trace (independent requests, Zipf popularity) the
 * simulated hit ratios must agree with the analytical models, written out here:
 * - LRU: Che's approximation. The characteristic time T solves sum_i (1 - e^(-p_i T)) = C, and
 *   the hit ratio is sum_i p_i (1 - e^(-p_i T)).
 * - FIFO and Random: under IRM both have the same exact hit ratio (Gelenbe, 1973). For Random
 *   the stationary probability of a cached set S is proportional to prod_{i in S} p_i, so
 *   P(i cached) = p_i e_{C-1}(p without i) / e_C(p), with e_k the elementary symmetric
 *   polynomials, and the hit ratio is sum_i p_i P(i cached).
 * - Perfect LFU: after warm-up it holds the C most popular objects: sum of the C largest p_i.
 */
import * as assert from 'node:assert/strict';
import { createPolicy } from '../../../src/core/sim/registry';
import { countMisses, zipfTrace } from './policiesHelpers';

const N = 2000;
const C = 200;
const ALPHA = 0.8;
const WARMUP = 200_000;
const REQUESTS = WARMUP + 2_000_000;
const TOLERANCE = 0.002;

function cheLru(p: Float64Array, c: number): number {
  const occupancy = (t: number): number => {
    let s = 0;
    for (let i = 0; i < p.length; i++) s += 1 - Math.exp(-p[i] * t);
    return s;
  };
  let lo = 0;
  let hi = 1;
  while (occupancy(hi) < c) hi *= 2;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (occupancy(mid) < c) lo = mid; else hi = mid;
  }
  const t = (lo + hi) / 2;
  let h = 0;
  for (let i = 0; i < p.length; i++) h += p[i] * (1 - Math.exp(-p[i] * t));
  return h;
}

/** Exact IRM hit ratio of Random (and FIFO), with prefix/suffix elementary symmetric polynomials. */
function exactRandom(p: Float64Array, c: number): { hit: number; occupancy: number } {
  const n = p.length;
  // Scaling every p_i by c leaves P(i cached) unchanged (it is homogeneous of degree 0) and
  // keeps the polynomials well inside double range.
  const q = p.map((x) => x * c);
  const pre = new Float64Array((n + 1) * (c + 1)); // pre[j][k] = e_k(q_0 .. q_{j-1})
  const suf = new Float64Array((n + 2) * (c + 1)); // suf[j][k] = e_k(q_j .. q_{n-1})
  pre[0] = 1;
  for (let j = 1; j <= n; j++) {
    const row = j * (c + 1);
    const prev = (j - 1) * (c + 1);
    pre[row] = 1;
    for (let k = 1; k <= c; k++) pre[row + k] = pre[prev + k] + q[j - 1] * pre[prev + k - 1];
  }
  suf[n * (c + 1)] = 1;
  suf[(n + 1) * (c + 1)] = 1;
  for (let j = n - 1; j >= 0; j--) {
    const row = j * (c + 1);
    const nxt = (j + 1) * (c + 1);
    suf[row] = 1;
    for (let k = 1; k <= c; k++) suf[row + k] = suf[nxt + k] + q[j] * suf[nxt + k - 1];
  }
  const eC = pre[n * (c + 1) + c];
  let hit = 0;
  let occupancy = 0;
  for (let i = 0; i < n; i++) {
    let without = 0;
    for (let k = 0; k <= c - 1; k++) without += pre[i * (c + 1) + k] * suf[(i + 1) * (c + 1) + (c - 1 - k)];
    const cached = (q[i] * without) / eC;
    occupancy += cached;
    hit += p[i] * cached;
  }
  return { hit, occupancy };
}

function topC(p: Float64Array, c: number): number {
  return [...p].sort((a, b) => b - a).slice(0, c).reduce((s, x) => s + x, 0);
}

describe('sim policies: agreement with IRM theory', function () {
  this.timeout(120_000);
  const { ids, p } = zipfTrace(N, ALPHA, REQUESTS, 2024);
  const simulatedHit = (name: string): number => {
    const policy = createPolicy(name, { capacity: C, bytes: false, idSpace: N, seed: 99 });
    return 1 - countMisses(policy, ids, WARMUP) / (REQUESTS - WARMUP);
  };

  it("lru is within 0.002 of Che's approximation", () => {
    const model = cheLru(p, C);
    const sim = simulatedHit('lru');
    assert.ok(Math.abs(sim - model) <= TOLERANCE, `lru ${sim.toFixed(4)} vs Che ${model.toFixed(4)}`);
  });

  it('fifo and random are within 0.002 of the exact IRM hit ratio', () => {
    const model = exactRandom(p, C);
    // The stationary distribution must put exactly C objects in the cache on average.
    assert.ok(Math.abs(model.occupancy - C) < 1e-6, `occupancy ${model.occupancy}`);
    // FIFO/Random are measurably worse than LRU here, so the two models are not interchangeable.
    assert.ok(cheLru(p, C) - model.hit > 0.01);
    for (const name of ['fifo', 'random']) {
      const sim = simulatedHit(name);
      assert.ok(Math.abs(sim - model.hit) <= TOLERANCE, `${name} ${sim.toFixed(4)} vs exact ${model.hit.toFixed(4)}`);
    }
  });

  it('lfu-perfect is within 0.002 of the static top-C cache', () => {
    const model = topC(p, C);
    const sim = simulatedHit('lfu-perfect');
    assert.ok(Math.abs(sim - model) <= TOLERANCE, `lfu-perfect ${sim.toFixed(4)} vs top-C ${model.toFixed(4)}`);
  });
});
