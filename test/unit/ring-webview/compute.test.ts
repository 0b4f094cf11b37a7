/**
 * The ring webview's host-side computation: the figures it sends are the ring core's, the drawn
 * sample is bounded and spread over the whole key set, and each layout puts keys where the
 * algorithm really puts them.
 */
import * as assert from 'node:assert/strict';
import { CacheLensError } from '../../../src/core/errors';
import { analyze, syntheticKeys } from '../../../src/core/ring/metrics';
import { evenSlotMap, keySlot, SLOTS } from '../../../src/core/ring/redis-slots';
import { getAlgorithm } from '../../../src/core/ring/registry';
import { computeView, MAX_DOTS, parseNodes, slotOwners, syntheticFeed } from '../../../src/extension/ring/compute';
import type { RingParams } from '../../../webview/protocol/ring';

const nodes = (ids: string[]) => ids.map((id) => ({ id, weight: 1 }));
const params = (p: Partial<RingParams>): RingParams => ({
  algorithm: 'vnode-md5', nodes: 'a:1\nb:1\nc:1', vnodes: 50, source: { kind: 'synthetic', count: 10000 }, ...p,
});

describe('ring webview: host computation', () => {
  it('parses node lists with weights after a space or *, and rejects bad ones', () => {
    assert.deepEqual(parseNodes('a:1 2\n b:2*3 , c:3\n\n'), [{ id: 'a:1', weight: 2 }, { id: 'b:2', weight: 3 }, { id: 'c:3', weight: 1 }]);
    assert.throws(() => parseNodes(' \n'), (e: unknown) => CacheLensError.is(e, 'usage'));
    assert.throws(() => parseNodes('a:1 0'), /positive/);
  });

  it('sends the core\'s load and movement, and at most MAX_DOTS dots spread over all keys', async () => {
    const p = params({ change: { add: 'd:1' } });
    const view = await computeView(p, syntheticFeed(10000));
    const core = analyze(getAlgorithm('vnode-md5').build(nodes(['a:1', 'b:1', 'c:1']), { vnodes: 50 }), syntheticKeys(10000), { add: { id: 'd:1', weight: 1 } });
    assert.deepEqual(view.load.nodes.map((n) => n.keys), core.load.nodes.map((n) => n.keys));
    assert.equal(view.load.stddev, core.load.stddev);
    assert.equal(view.movement?.moved, core.movement?.moved);
    assert.deepEqual(view.nodesAfter, ['a:1', 'b:1', 'c:1', 'd:1']);
    assert.equal(view.layout, 'ring');
    assert.equal(view.marks.length, 150);
    assert.equal(view.marksAfter?.length, 200);
    assert.ok(view.dots.length <= MAX_DOTS && view.dots.length > MAX_DOTS / 2, `${view.dots.length} dots`);
    // The sample reaches the end of the key set, not only its first MAX_DOTS keys.
    assert.ok(view.dots.some((d) => Number(d.key.slice(4)) > 9000));
    // Dots that change owner are exactly those counted as moved, in proportion.
    const moved = view.dots.filter((d) => d.after && view.nodesAfter?.[d.after.node] !== view.nodes[d.node]).length;
    assert.ok(Math.abs(moved / view.dots.length - core.movement!.movedFraction) < 0.03, `${moved} of ${view.dots.length}`);
    // A consistent ring keeps every key at its ring position.
    assert.ok(view.dots.every((d) => d.after?.position === d.position));
  });

  it('draws redis-slots keys at slot / 16384 with one mark per owner run', async () => {
    const view = await computeView(params({ algorithm: 'redis-slots', nodes: 'a:1, b:1, c:1' }), syntheticFeed(500));
    assert.equal(view.layout, 'slots');
    const map = evenSlotMap(nodes(['a:1', 'b:1', 'c:1']));
    assert.deepEqual(view.marks.map((m) => m.node), [0, 1, 2]);
    assert.deepEqual(view.marks.map((m) => Math.round(m.position * SLOTS)), [0, map.owner.indexOf(1), map.owner.indexOf(2)]);
    const d = view.dots[7];
    assert.equal(Math.floor(d.position * SLOTS), keySlot(d.key));
    assert.deepEqual(Array.from(slotOwners(getAlgorithm('redis-slots').build(nodes(['a:1', 'b:1', 'c:1'])))), Array.from(map.owner));
  });

  it('groups keys by node for algorithms without a ring', async () => {
    const view = await computeView(params({ algorithm: 'jump', change: { remove: 'c:1' } }), syntheticFeed(3000));
    assert.equal(view.layout, 'sectors');
    for (const d of view.dots) {
      assert.ok(d.position >= d.node / 3 && d.position < (d.node + 1) / 3);
      if (d.after) assert.ok(d.after.position >= d.after.node / 2 && d.after.position < (d.after.node + 1) / 2);
    }
  });

  it('rejects a change that makes no sense with a one-line usage error', async () => {
    await assert.rejects(computeView(params({ change: { remove: 'zz:1' } }), syntheticFeed(10)), /not in the node list/);
    await assert.rejects(computeView(params({ change: { add: 'a:1' } }), syntheticFeed(10)), /already in the list/);
    assert.throws(() => syntheticFeed(0), /between 1 and/);
  });
});
