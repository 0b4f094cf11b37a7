/**
 * ARC's ghost lists remember an id by the sequence number its entry got; a code is live while
 * that number is at or past the list's tail. Sequence numbers grow with every eviction, so they
 * are rebased before they outgrow an int32 code, and the rebase must forget stale codes (which
 * would otherwise look live again). A lowered limit reaches the rebase many times on a short
 * trace; every hit and the final lists must equal those of a policy that never rebases.
 */
import * as assert from 'node:assert/strict';
import { ArcPolicy } from '../../../src/core/sim/policies/arc';
import { Rng } from '../../../src/core/sim/rng';

interface Ghosts { b1: { head: number }; b2: { head: number } }

function withSeqLimit<T>(limit: number, body: () => T): T {
  const saved = ArcPolicy.seqLimit;
  ArcPolicy.seqLimit = limit;
  try {
    return body();
  } finally {
    ArcPolicy.seqLimit = saved;
  }
}

function trace(rng: Rng, objects: number, n: number): Int32Array {
  const ids = new Int32Array(n);
  // Skewed, with a uniform tail: ghost hits in both lists, and many ids whose codes go stale.
  for (let i = 0; i < n; i++) ids[i] = rng.float() < 0.6 ? Math.floor(objects * rng.float() ** 3) : rng.int(objects);
  return ids;
}

describe('simulator: ARC ghost sequence numbers', () => {
  for (const capacity of [3, 8, 25]) {
    it(`rebasing them changes nothing (capacity ${capacity}, object mode, access and replayPlain)`, () => {
      const objects = 400;
      const n = 40_000;
      const ids = trace(new Rng(capacity), objects, n);
      const config = { capacity, bytes: false, idSpace: objects, seed: 1 };
      const ref = new ArcPolicy(config);
      const refHits = new Uint8Array(n);
      let ghostHits = 0;
      for (let i = 0; i < n; i++) {
        const before = ref.lists();
        refHits[i] = ref.access(ids[i], 1, i, Infinity) ? 1 : 0;
        if (before.b1.includes(ids[i]) || before.b2.includes(ids[i])) ghostHits++;
      }
      assert.ok(ghostHits > 500, `the trace must exercise ghost hits (${ghostHits})`);

      const viaAccess = withSeqLimit(1, () => new ArcPolicy(config));
      const viaReplay = withSeqLimit(1, () => new ArcPolicy(config));
      for (let i = 0; i < n; i++) {
        assert.equal(viaAccess.access(ids[i], 1, i, Infinity), refHits[i] === 1, `access, request ${i}`);
      }
      const rng = new Rng(99);
      for (let i = 0; i < n;) {
        const len = Math.min(n - i, 1 + rng.int(700));
        let want = 0;
        for (let k = i; k < i + len; k++) want += refHits[k];
        assert.equal(viaReplay.replayPlain(ids.subarray(i, i + len), len, i), want, `replayPlain, chunk at ${i}`);
        i += len;
      }
      assert.deepEqual(viaAccess.lists(), ref.lists());
      assert.deepEqual(viaReplay.lists(), ref.lists());
      assert.equal(viaReplay.target(), ref.target());
      // The rebase really ran: without it the heads would count every eviction into each list.
      const misses = n - refHits.reduce((a, b) => a + b, 0);
      for (const p of [viaAccess, viaReplay]) {
        const g = p as unknown as Ghosts;
        assert.ok(g.b1.head + g.b2.head < misses / 4, `heads ${g.b1.head} + ${g.b2.head} after ${misses} misses`);
      }
    });
  }

  it('rebasing them changes nothing in byte mode with TTLs either', () => {
    const objects = 300;
    const n = 30_000;
    const rng = new Rng(5);
    const ids = trace(rng, objects, n);
    const sizes = Array.from({ length: objects }, () => 1 + rng.int(90));
    const expires = Array.from({ length: n }, (_, i) => (rng.float() < 0.2 ? i + rng.int(500) : Infinity));
    const config = { capacity: 900, bytes: true, idSpace: objects, seed: 1 };
    const ref = new ArcPolicy(config);
    const small = withSeqLimit(1, () => new ArcPolicy(config));
    for (let i = 0; i < n; i++) {
      const want = ref.access(ids[i], sizes[ids[i]], i, expires[i]);
      assert.equal(small.access(ids[i], sizes[ids[i]], i, expires[i]), want, `request ${i}`);
    }
    assert.deepEqual(small.lists(), ref.lists());
    assert.equal(small.target(), ref.target());
  });
});
