/**
 * Turns the page's parameters into a finished RingView with the ring core: load and movement
 * figures over every key, and at most MAX_DOTS keys with their ring positions for drawing.
 * Nothing here imports vscode, so it runs the same in the extension and in plain Node.
 */
import { CacheLensError } from '../../core/errors';
import type { Placement, RingKey, RingNode, SlotMap } from '../../core/ring/algorithm';
import { ClusterTally, printable } from '../../core/ring/live-cluster';
import { RingTally, syntheticKeys, type Change, type LoadReport } from '../../core/ring/metrics';
import { keySlot, SLOTS } from '../../core/ring/redis-slots';
import { getAlgorithm } from '../../core/ring/registry';
import type { ClusterView, DotView, LoadView, MarkView, RingParams, RingView } from '../../../webview/protocol/ring';

/** More dots than this would not make the picture clearer, only slower to draw. */
export const MAX_DOTS = 3000;
/** Marks beyond this many (ketama with many servers) are thinned for drawing only. */
const MAX_MARKS = 8000;
export const MAX_KEYS = 1_000_000;

/** `a:1, b:2 2` or one per line; a weight follows a space or `*`. */
export function parseNodes(text: string): RingNode[] {
  const nodes: RingNode[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const line = raw.trim();
    if (!line) continue;
    nodes.push(parseNode(line));
  }
  if (nodes.length === 0) throw new CacheLensError('usage', 'list at least one node, for example 10.0.0.1:11211');
  return nodes;
}

export function parseNode(text: string): RingNode {
  const m = /^(\S+?)(?:\s*\*\s*|\s+)([\d.]+)$/.exec(text.trim());
  const id = m ? m[1] : text.trim();
  const weight = m ? Number(m[2]) : 1;
  if (!id || /\s/.test(id)) throw new CacheLensError('usage', `"${text}" is not a node (host:port, optionally followed by a weight)`);
  if (!Number.isFinite(weight) || weight <= 0) throw new CacheLensError('usage', `weight of ${id} must be a positive number`);
  return { id, weight };
}

/** Where the keys come from: a stream of batches, and the live cluster's slot map if any. */
export interface KeyFeed {
  batches: AsyncIterable<{ keys: RingKey[]; nodes?: Array<string | undefined> }> | Iterable<{ keys: RingKey[] }>;
  /** How many keys the feed will give, when known (to spread the drawn sample over all of them). */
  expected?: number;
  source: string;
  slotMap?: SlotMap | null;
}

export function syntheticFeed(count: number): KeyFeed {
  if (!Number.isInteger(count) || count < 1 || count > MAX_KEYS) throw new CacheLensError('usage', `key count must be between 1 and ${MAX_KEYS}`);
  const keys = syntheticKeys(count);
  return { batches: [{ keys }], expected: count, source: `${count} synthetic keys (key:0 .. key:${count - 1})` };
}

export async function computeView(params: RingParams, feed: KeyFeed): Promise<RingView> {
  const algorithm = getAlgorithm(params.algorithm);
  const notes: string[] = [];
  let nodes: RingNode[];
  if (algorithm.name === 'redis-slots' && feed.slotMap) {
    // The cluster's own masters and slot map are the truth; a typed node list would only be a guess.
    nodes = feed.slotMap.nodes.map((id) => ({ id, weight: 1 }));
    notes.push('The live cluster\'s masters and slot map replace the node list.');
  } else {
    nodes = parseNodes(params.nodes);
  }
  const vnodes = Math.max(1, Math.floor(params.vnodes || 1));
  const placement = algorithm.build(nodes, { vnodes, slotMap: algorithm.name === 'redis-slots' ? feed.slotMap ?? undefined : undefined });
  const change = changeOf(params, placement);
  const after = change ? ('add' in change ? placement.withNode(change.add) : placement.withoutNode(change.remove)) : undefined;

  const tally = new RingTally(placement, change);
  const tallyAfter = after ? new RingTally(after) : undefined;
  const cluster = feed.slotMap ? new ClusterTally(feed.slotMap) : undefined;
  const stride = Math.max(1, Math.ceil((feed.expected ?? MAX_DOTS) / MAX_DOTS));
  const sample: RingKey[] = [];
  let seen = 0;
  for await (const batch of feed.batches as AsyncIterable<{ keys: RingKey[]; nodes?: Array<string | undefined> }>) {
    tally.add(batch.keys);
    tallyAfter?.add(batch.keys);
    if (cluster) cluster.add(batch.keys.map((k) => (typeof k === 'string' ? Buffer.from(k) : k)), batch.nodes);
    for (const k of batch.keys) {
      if (seen % stride === 0 && sample.length < MAX_DOTS) sample.push(k);
      seen++;
    }
  }

  const layout: RingView['layout'] = placement.ringPosition ? 'ring' : algorithm.name === 'redis-slots' ? 'slots' : 'sectors';
  const dots: DotView[] = sample.map((key, i) => {
    const node = placement.locate(key);
    const dot: DotView = { key: typeof key === 'string' ? key : printable(key), node, position: positionOf(layout, placement, key, node, i) };
    if (after) {
      const n = after.locate(key);
      dot.after = { node: n, position: positionOf(layout, after, key, n, i) };
    }
    return dot;
  });
  const movement = tally.movement();
  return {
    params,
    algorithm: algorithm.name,
    layout,
    nodes: placement.nodes.map((n) => n.id),
    nodesAfter: after?.nodes.map((n) => n.id),
    marks: marksOf(layout, placement),
    marksAfter: after ? marksOf(layout, after) : undefined,
    dots,
    load: loadView(tally.load()),
    loadAfter: tallyAfter ? loadView(tallyAfter.load()) : undefined,
    movement,
    source: feed.source,
    cluster: cluster ? clusterView(cluster, feed.slotMap as SlotMap) : undefined,
    notes,
  };
}

function changeOf(params: RingParams, placement: Placement): Change | undefined {
  if (!params.change) return undefined;
  if ('add' in params.change) {
    const node = parseNode(params.change.add);
    if (placement.nodes.some((n) => n.id === node.id)) throw new CacheLensError('usage', `node ${node.id} is already in the list`);
    return { add: node };
  }
  const id = params.change.remove.trim();
  if (!placement.nodes.some((n) => n.id === id)) throw new CacheLensError('usage', `node ${id} is not in the node list`);
  if (placement.nodes.length === 1) throw new CacheLensError('usage', 'cannot remove the only node');
  return { remove: id };
}

/** The golden ratio spreads dots of one node evenly over its sector without any hashing. */
const GOLDEN = 0.6180339887498949;

function positionOf(layout: RingView['layout'], placement: Placement, key: RingKey, node: number, index: number): number {
  if (layout === 'ring') return (placement.ringPosition as (k: RingKey) => number)(key);
  if (layout === 'slots') return (keySlot(key) + 0.5) / SLOTS;
  const n = placement.nodes.length;
  return (node + 0.1 + 0.8 * ((index * GOLDEN) % 1)) / n;
}

function marksOf(layout: RingView['layout'], placement: Placement): MarkView[] {
  if (layout === 'ring') {
    const points = (placement.points as () => MarkView[])();
    if (points.length <= MAX_MARKS) return points.map((p) => ({ position: p.position, node: p.node }));
    const step = points.length / MAX_MARKS;
    return Array.from({ length: MAX_MARKS }, (_, i) => points[Math.floor(i * step)]).map((p) => ({ position: p.position, node: p.node }));
  }
  if (layout === 'sectors') return placement.nodes.map((_, i) => ({ position: i / placement.nodes.length, node: i }));
  // Slots: one mark where each owner's run of slots begins.
  const owners = slotOwners(placement);
  const marks: MarkView[] = [];
  for (let s = 0; s < SLOTS; s++) if (s === 0 || owners[s] !== owners[s - 1]) marks.push({ position: s / SLOTS, node: owners[s] });
  return marks;
}

let slotKeys: string[] | undefined;

/** A key per slot (`{n}` hash tags found once), so any slot placement can be asked who owns a slot. */
function keysForSlots(): string[] {
  if (slotKeys) return slotKeys;
  const keys = new Array<string>(SLOTS);
  let found = 0;
  for (let n = 0; found < SLOTS; n++) {
    const key = `{${n}}`;
    const s = keySlot(key);
    if (keys[s] === undefined) { keys[s] = key; found++; }
  }
  slotKeys = keys;
  return keys;
}

export function slotOwners(placement: Placement): Int32Array {
  const keys = keysForSlots();
  return Int32Array.from(keys, (k) => placement.locate(k));
}

function loadView(r: LoadReport): LoadView {
  return { nodes: r.nodes.map((n) => ({ ...n })), total: r.total, maxOverMean: r.maxOverMean, stddev: r.stddev, relativeStddev: r.relativeStddev };
}

function clusterView(tally: ClusterTally, map: SlotMap): ClusterView {
  const r = tally.report(10);
  const ranges: ClusterView['ranges'] = [];
  for (let s = 0; s < SLOTS; s++) {
    const o = map.owner[s];
    const last = ranges[ranges.length - 1];
    if (last && last.owner === o) last.end = s;
    else ranges.push({ start: s, end: s, owner: o });
  }
  return {
    masters: r.masters, ranges, keysPerSlot: Array.from(r.keysPerSlot), hotTags: r.hotTags,
    total: r.total, unownedSlots: r.unownedSlots, misplaced: r.misplaced,
  };
}
