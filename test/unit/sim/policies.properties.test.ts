/**
 * Properties that must hold for every policy on randomized traces: OPT is never beaten, LRU's
 * miss ratio never rises with size (the stack property), capacity (objects or bytes) is
 * respected after every request, TTLs are honoured, oversized objects are not admitted.
 */
import * as assert from 'node:assert/strict';
import { createPolicy, policyNames } from '../../../src/core/sim/registry';
import { Rng } from '../../../src/core/sim/rng';
import { Links } from '../../../src/core/sim/policies/_dlist';
import { GhostQueue } from '../../../src/core/sim/policies/_ghost';
import { countMisses, nextAccesses, zipfTrace } from './policiesHelpers';

const ALL = policyNames();

/** A trace mixing Zipf popularity with a scan, so that policies actually differ. */
function mixedTrace(seed: number, n: number, requests: number): Int32Array {
  const { ids } = zipfTrace(n, 0.9, requests, seed);
  const rng = new Rng(seed ^ 0x5eed);
  for (let r = 0; r < requests; r++) {
    if (rng.float() < 0.2) ids[r] = n + rng.int(n); // one-off objects
  }
  return ids;
}

describe('sim policies: properties on randomized traces', () => {
  it('opt has no more misses than any policy at the same size', () => {
    for (const seed of [1, 2, 3]) {
      const ids = mixedTrace(seed, 300, 6000);
      const next = nextAccesses(ids);
      for (const capacity of [5, 40, 150]) {
        const config = { capacity, bytes: false, idSpace: 600, seed };
        const opt = countMisses(createPolicy('opt', config), ids, 0, next);
        for (const name of ALL) {
          const misses = countMisses(createPolicy(name, config), ids, 0, next);
          assert.ok(opt <= misses, `opt ${opt} > ${name} ${misses} (seed ${seed}, size ${capacity})`);
        }
      }
    }
  });

  it('opt beats lru and fifo by a clear margin on a looping trace', () => {
    // A loop over 11 objects with room for 10: LRU and FIFO always miss, OPT keeps 9 of them.
    const ids = new Int32Array(1100).map((_, i) => i % 11);
    const next = nextAccesses(ids);
    const config = { capacity: 10, bytes: false, idSpace: 11, seed: 1 };
    assert.equal(countMisses(createPolicy('lru', config), ids, 0, next), 1100);
    assert.equal(countMisses(createPolicy('fifo', config), ids, 0, next), 1100);
    assert.ok(countMisses(createPolicy('opt', config), ids, 0, next) < 250);
  });

  it("lru's miss count never rises with size (stack property)", () => {
    for (const seed of [4, 5]) {
      const ids = mixedTrace(seed, 400, 8000);
      let previous = Infinity;
      for (let capacity = 1; capacity <= 400; capacity += 7) {
        const misses = countMisses(createPolicy('lru', { capacity, bytes: false, idSpace: 800, seed }), ids);
        assert.ok(misses <= previous, `size ${capacity}: ${misses} > ${previous}`);
        previous = misses;
      }
    }
  });

  it('every policy stays within its object capacity after every request', () => {
    const ids = mixedTrace(6, 200, 3000);
    const next = nextAccesses(ids);
    for (const name of ALL) {
      for (const capacity of [1, 3, 17, 64]) {
        const p = createPolicy(name, { capacity, bytes: false, idSpace: 400, seed: 6 });
        for (let r = 0; r < ids.length; r++) {
          p.access(ids[r], 1, r, Infinity, next[r]);
          const c = p.contents();
          if (c.length > capacity) assert.fail(`${name} holds ${c.length} > ${capacity} at request ${r}`);
          if (new Set(c).size !== c.length) assert.fail(`${name} lists an object twice at request ${r}`);
        }
        assert.ok(p.contents().length > 0, `${name} cached nothing at size ${capacity}`);
      }
    }
  });

  it('every policy stays within its byte capacity, and hits only what it holds', () => {
    const rng = new Rng(7);
    const n = 150;
    const sizes = new Float64Array(2 * n).map(() => 1 + rng.int(1000));
    const ids = mixedTrace(7, n, 2500);
    const next = nextAccesses(ids);
    for (const name of ALL) {
      const capacity = 20000;
      const p = createPolicy(name, { capacity, bytes: true, idSpace: 2 * n, seed: 7 });
      let hits = 0;
      for (let r = 0; r < ids.length; r++) {
        const before = new Set(p.contents());
        const hit = p.access(ids[r], sizes[ids[r]], r, Infinity, next[r]);
        if (hit !== before.has(ids[r])) assert.fail(`${name} reported ${hit ? 'a hit' : 'a miss'} for ${ids[r]} at ${r}`);
        if (hit) hits++;
        let bytes = 0;
        for (const id of p.contents()) bytes += sizes[id];
        if (bytes > capacity) assert.fail(`${name} holds ${bytes} bytes > ${capacity} at request ${r}`);
      }
      if (name !== 'noeviction' && !name.startsWith('volatile')) assert.ok(hits > 0, `${name} never hit`);
    }
  });

  it('no policy admits an object larger than the whole cache', () => {
    for (const name of ALL) {
      const p = createPolicy(name, { capacity: 100, bytes: true, idSpace: 4, seed: 1 });
      assert.equal(p.access(0, 60, 0, Infinity, 2), false);
      assert.equal(p.access(1, 101, 1, Infinity, 3), false, name);
      assert.ok(!p.contents().includes(1), `${name} admitted an oversized object`);
      assert.equal(p.access(1, 101, 2, Infinity, Infinity), false, name);
    }
  });

  it('every policy treats an expired object as a miss and readmits it', () => {
    for (const name of ALL) {
      const p = createPolicy(name, { capacity: 4, bytes: false, idSpace: 4, seed: 1 });
      // a expires at t=5: still valid at exactly 5, gone at 6 (as in Redis and libCacheSim).
      assert.equal(p.access(0, 1, 0, 5, 1), false, name);
      assert.equal(p.access(0, 1, 5, 5, 2), true, `${name}: valid at its expiry time`);
      assert.equal(p.access(0, 1, 6, Infinity, 3), false, `${name}: expired object must miss`);
      assert.ok(p.contents().includes(0), `${name}: expired object not readmitted`);
      assert.equal(p.access(0, 1, 1e9, Infinity, Infinity), true, `${name}: readmitted without TTL`);
      assert.equal(p.contents().filter((id) => id === 0).length, 1, name);
    }
  });

  it('onEvict reports exactly the objects that leave on capacity pressure', () => {
    const ids = mixedTrace(8, 100, 2000);
    const next = nextAccesses(ids);
    for (const name of ALL) {
      const p = createPolicy(name, { capacity: 10, bytes: false, idSpace: 200, seed: 8 });
      const evicted: number[] = [];
      p.onEvict = (id) => evicted.push(id);
      for (let r = 0; r < ids.length; r++) {
        const before = new Set(p.contents());
        evicted.length = 0;
        p.access(ids[r], 1, r, Infinity, next[r]);
        const after = new Set(p.contents());
        const left = [...before].filter((id) => !after.has(id)).sort((x, y) => x - y);
        assert.deepEqual([...evicted].sort((x, y) => x - y), left, `${name} at request ${r}`);
      }
    }
  });

  it('the ghost queue matches a plain FIFO-with-removal model across ring compactions', () => {
    const rng = new Rng(9);
    const links = new Links(64);
    const ghost = new GhostQueue(links, 3, 10, true);
    const model: Array<{ id: number; w: number }> = [];
    for (let step = 0; step < 20_000; step++) {
      const id = rng.int(64);
      const inModel = model.findIndex((e) => e.id === id);
      assert.equal(ghost.has(id), inModel !== -1, `step ${step}`);
      if (inModel !== -1) {
        ghost.remove(id);
        model.splice(inModel, 1);
      } else if (model.length < 10) {
        const w = 1 + rng.int(5);
        ghost.push(id, w);
        model.push({ id, w });
      } else {
        assert.equal(ghost.popOldest(), model.shift()?.id);
      }
      assert.equal(ghost.count, model.length);
      assert.equal(ghost.weight, model.reduce((t, e) => t + e.w, 0));
    }
    assert.deepEqual(ghost.toArray(), model.map((e) => e.id).reverse());
  });
});
