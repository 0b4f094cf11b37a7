/**
 * Load and movement figures for a placement over a key set. Everything streams: keys arrive in
 * batches (from a file, a generator or SCAN) and only per-node counters are kept, so a million
 * live keys cost a million `locate` calls and no extra memory.
 */
import type { Placement, PlacementAlgorithm, PlacementOptions, RingKey, RingNode } from './algorithm';

export interface NodeLoad {
  node: string;
  keys: number;
  /** Fraction of all keys on this node. */
  share: number;
  /** The share its weight entitles it to (1/N unweighted). */
  expectedShare: number;
}

export interface LoadReport {
  algo: string;
  nodes: NodeLoad[];
  total: number;
  /** Largest keys/expected over all nodes (max/mean load when unweighted); 1 is perfect. */
  maxOverMean: number;
  /** Population standard deviation of each node's keys from its expected count (plain stddev of keys per node when unweighted). */
  stddev: number;
  /** stddev divided by the mean keys per node, comparable across key set sizes. */
  relativeStddev: number;
}

export interface MoveReport {
  /** Keys whose node differs after the change. */
  moved: number;
  movedFraction: number;
  /** What an ideal scheme moves: the joining node's weighted share, or the leaving node's. */
  idealMovedFraction: number;
  /** Keys that moved from one surviving node to another: zero for consistent schemes. */
  movedBetweenSurvivors: number;
}

export type Change = { add: RingNode } | { remove: string };

/** Counts keys per node, and when given the changed placement, keys that move. */
export class RingTally {
  private readonly counts: Float64Array;
  private readonly after?: Placement;
  /** For each node index before, its index after (-1 when it left). */
  private readonly survivorIndex: Int32Array;
  private moved = 0;
  private movedBetweenSurvivors = 0;
  total = 0;

  constructor(readonly placement: Placement, readonly change?: Change) {
    this.counts = new Float64Array(placement.nodes.length);
    if (change) this.after = 'add' in change ? placement.withNode(change.add) : placement.withoutNode(change.remove);
    const afterIds = new Map((this.after?.nodes ?? []).map((n, i) => [n.id, i]));
    this.survivorIndex = Int32Array.from(placement.nodes, (n) => afterIds.get(n.id) ?? -1);
  }

  private batch = new Int32Array(0);
  private batchAfter = new Int32Array(0);

  add(keys: readonly RingKey[]): void {
    const { placement, after, counts, survivorIndex } = this;
    if (this.batch.length < keys.length) {
      this.batch = new Int32Array(keys.length);
      this.batchAfter = new Int32Array(keys.length);
    }
    const where = this.batch, whereAfter = this.batchAfter;
    locateAll(placement, keys, where);
    if (!after) {
      for (let i = 0; i < keys.length; i++) counts[where[i]]++;
    } else {
      locateAll(after, keys, whereAfter);
      for (let i = 0; i < keys.length; i++) {
        const before = where[i];
        counts[before]++;
        const now = whereAfter[i];
        const same = survivorIndex[before];
        if (now !== same) {
          this.moved++;
          if (same !== -1 && after.nodes[now] && this.isSurvivor(after.nodes[now].id)) this.movedBetweenSurvivors++;
        }
      }
    }
    this.total += keys.length;
  }

  private survivorIds?: Set<string>;
  private isSurvivor(id: string): boolean {
    this.survivorIds ??= new Set(this.placement.nodes.map((n) => n.id));
    return this.survivorIds.has(id);
  }

  load(): LoadReport {
    return loadReport(this.placement, this.counts, this.total);
  }

  movement(): MoveReport | undefined {
    if (!this.change) return undefined;
    const nodes = this.placement.nodes;
    const totalWeight = nodes.reduce((s, n) => s + n.weight, 0);
    let ideal: number;
    if ('add' in this.change) ideal = this.change.add.weight / (totalWeight + this.change.add.weight);
    else {
      const id = this.change.remove;
      ideal = (nodes.find((n) => n.id === id)?.weight ?? 0) / totalWeight;
    }
    return {
      moved: this.moved,
      movedFraction: this.total ? this.moved / this.total : 0,
      idealMovedFraction: ideal,
      movedBetweenSurvivors: this.movedBetweenSurvivors,
    };
  }
}

/** out[i] = the node of keys[i], through the batch path when the placement has one. */
export function locateAll(placement: Placement, keys: readonly RingKey[], out: Int32Array): void {
  if (placement.locateMany) placement.locateMany(keys, out);
  else for (let i = 0; i < keys.length; i++) out[i] = placement.locate(keys[i]);
}

export function loadReport(placement: Placement, counts: ArrayLike<number>, total: number): LoadReport {
  const nodes = placement.nodes;
  const totalWeight = nodes.reduce((s, n) => s + n.weight, 0);
  let maxRatio = 0, sq = 0;
  const loads: NodeLoad[] = nodes.map((n, i) => {
    const expectedShare = n.weight / totalWeight;
    const expected = total * expectedShare;
    if (expected > 0) maxRatio = Math.max(maxRatio, counts[i] / expected);
    sq += (counts[i] - expected) ** 2;
    return { node: n.id, keys: counts[i], share: total ? counts[i] / total : 0, expectedShare };
  });
  const stddev = Math.sqrt(sq / nodes.length);
  const mean = total / nodes.length;
  return {
    algo: placement.algorithm,
    nodes: loads,
    total,
    maxOverMean: total ? maxRatio : 0,
    stddev,
    relativeStddev: mean ? stddev / mean : 0,
  };
}

/** One pass over a key set for one placement. */
export function analyze(placement: Placement, keys: readonly RingKey[], change?: Change): { load: LoadReport; movement?: MoveReport } {
  const tally = new RingTally(placement, change);
  tally.add(keys);
  return { load: tally.load(), movement: tally.movement() };
}

export interface ComparisonRow { algo: string; load: LoadReport; movement?: MoveReport }

/** Several algorithms side by side on the same nodes, keys and change; algorithms that cannot take the node list (weights) are left out with a reason. */
export function compare(
  algorithms: readonly PlacementAlgorithm[],
  nodes: readonly RingNode[],
  keys: readonly RingKey[],
  options: PlacementOptions = {},
  change?: Change,
): Array<ComparisonRow | { algo: string; skipped: string }> {
  return algorithms.map((a) => {
    if (!a.supportsWeights && nodes.some((n) => n.weight !== 1)) return { algo: a.name, skipped: 'does not support weights' };
    const placement = a.build(nodes, options);
    return { algo: a.name, ...analyze(placement, keys, change) };
  });
}

export interface SweepRow { vnodes: number; maxOverMean: number; stddev: number; relativeStddev: number }

export const DEFAULT_SWEEP = [1, 2, 5, 10, 20, 50, 100, 150, 200, 500, 1000];

/** The spread of a virtual-node ring as the virtual-node count grows. */
export function vnodeSweep(algorithm: PlacementAlgorithm, nodes: readonly RingNode[], keys: readonly RingKey[], counts = DEFAULT_SWEEP): SweepRow[] {
  return counts.map((vnodes) => {
    const { load } = analyze(algorithm.build(nodes, { vnodes }), keys);
    return { vnodes, maxOverMean: load.maxOverMean, stddev: load.stddev, relativeStddev: load.relativeStddev };
  });
}

/** Deterministic synthetic keys `key:0` .. `key:N-1`. */
export function syntheticKeys(count: number, prefix = 'key:'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}
