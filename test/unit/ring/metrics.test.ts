import * as assert from 'node:assert/strict';
import type { Placement, RingNode } from '../../../src/core/ring/algorithm';
import { analyze, compare, RingTally, vnodeSweep } from '../../../src/core/ring/metrics';
import { algorithms, getAlgorithm } from '../../../src/core/ring/registry';

/** A placement that puts key "n<i>:..." on node i, so the expected figures are known exactly. */
function fixed(list: RingNode[]): Placement {
  const p: Placement = {
    algorithm: 'fixed',
    nodes: list,
    locate: (key) => Number(String(key).slice(1, String(key).indexOf(':'))),
    withNode: (node) => fixed([...list, node]),
    withoutNode: (id) => fixed(list.filter((n) => n.id !== id)),
  };
  return p;
}

describe('ring: metrics', () => {
  const list: RingNode[] = [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }, { id: 'd', weight: 1 }];
  const keys = [...Array(10).fill('n0:x'), ...Array(20).fill('n1:x'), ...Array(30).fill('n2:x'), ...Array(40).fill('n3:x')];

  it('keys, shares, max/mean and standard deviation per node', () => {
    const { load } = analyze(fixed(list), keys);
    assert.deepEqual(load.nodes.map((n) => n.keys), [10, 20, 30, 40]);
    assert.deepEqual(load.nodes.map((n) => n.share), [0.1, 0.2, 0.3, 0.4]);
    assert.equal(load.total, 100);
    assert.equal(load.maxOverMean, 40 / 25);
    // Population stddev of 10, 20, 30, 40 around 25.
    assert.equal(load.stddev, Math.sqrt((225 + 25 + 25 + 225) / 4));
    assert.equal(load.relativeStddev, load.stddev / 25);
  });

  it('with weights, each node is measured against its weighted share', () => {
    const weighted = list.map((n, i) => ({ ...n, weight: i + 1 }));
    const { load } = analyze(fixed(weighted), keys);
    assert.equal(load.maxOverMean, 1);
    assert.equal(load.stddev, 0);
    assert.deepEqual(load.nodes.map((n) => n.expectedShare), [0.1, 0.2, 0.3, 0.4]);
  });

  it('counts moved keys, the ideal fraction and moves between surviving nodes', () => {
    const t = new RingTally(getAlgorithm('modulo').build(list), { add: { id: 'e', weight: 1 } });
    const sample = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    t.add(sample);
    const m = t.movement()!;
    const before = getAlgorithm('modulo').build(list), after = getAlgorithm('modulo').build([...list, { id: 'e', weight: 1 }]);
    const moved = sample.filter((k) => before.nodes[before.locate(k)].id !== after.nodes[after.locate(k)].id);
    assert.equal(m.moved, moved.length);
    assert.equal(m.movedBetweenSurvivors, moved.filter((k) => after.locate(k) !== 4).length);
    assert.equal(m.idealMovedFraction, 1 / 5);
    const removal = new RingTally(getAlgorithm('ketama').build(list.map((n, i) => ({ ...n, weight: i + 1 }))), { remove: 'c' });
    removal.add(sample);
    assert.equal(removal.movement()!.idealMovedFraction, 3 / 10);
  });

  it('compares all algorithms on the same keys and skips those that cannot take weights', () => {
    const rows = compare(algorithms, list.map((n, i) => ({ ...n, weight: i + 1 })), Array.from({ length: 2000 }, (_, i) => `k${i}`));
    assert.deepEqual(rows.filter((r) => 'skipped' in r).map((r) => r.algo), ['modulo', 'jump']);
    for (const r of rows) if (!('skipped' in r)) assert.equal(r.load.total, 2000);
  });

  it('sweeps the virtual-node count', () => {
    const rows = vnodeSweep(getAlgorithm('vnode-md5'), list, Array.from({ length: 20000 }, (_, i) => `k${i}`), [1, 10, 500]);
    assert.deepEqual(rows.map((r) => r.vnodes), [1, 10, 500]);
    assert.ok(rows[2].relativeStddev < rows[0].relativeStddev);
  });
});
