/**
 * The one interface every placement algorithm implements (one file per algorithm in this
 * folder, registered in ./registry.ts). An algorithm builds a `Placement` for a fixed node
 * list; the placement answers "which node holds this key" on the hot path without allocating.
 */
import { CacheLensError } from '../errors';

/** Keys are the driver's Buffers, or strings (encoded as UTF-8 before hashing). */
export type RingKey = Buffer | string;

export interface RingNode {
  /** `host:port` as the client is configured with it; some algorithms hash this text. */
  id: string;
  /** Relative capacity, 1 by default. Only algorithms with `supportsWeights` use it. */
  weight: number;
}

/** Which Redis Cluster master owns each of the 16384 slots (index into the node list, -1 unowned). */
export interface SlotMap {
  nodes: string[];
  owner: Int16Array;
}

export interface PlacementOptions {
  /** Virtual nodes per node (vnode-md5); ignored by the others. */
  vnodes?: number;
  /** redis-slots only: a real cluster's slot map instead of the even split redis-cli makes. */
  slotMap?: SlotMap;
}

/** A point on a hash ring, for drawing: position in [0, 1) and the node index it belongs to. */
export interface RingPoint { position: number; node: number }

export interface Placement {
  readonly algorithm: string;
  readonly nodes: readonly RingNode[];
  /** Index into `nodes` of the node that holds `key`. */
  locate(key: RingKey): number;
  /**
   * Optional batch form: out[i] = locate(keys[i]) for every key. Algorithms implement it when
   * they can overlap work across keys (ketama hashes two keys at once).
   */
  locateMany?(keys: readonly RingKey[], out: Int32Array): void;
  /** Ring algorithms only: the key's position on the ring in [0, 1), for drawing. */
  ringPosition?(key: RingKey): number;
  /** Ring algorithms only: every (virtual) node point, sorted by position. */
  points?(): RingPoint[];
  /** The placement after a node joins, the way a client or cluster would do it. */
  withNode(node: RingNode): Placement;
  /** The placement after the node with this id leaves. */
  withoutNode(id: string): Placement;
}

export interface PlacementAlgorithm {
  /** Canonical name, as on the CLI (`ketama`, `jump`, ...). */
  readonly name: string;
  /** One line for help text and the UI. */
  readonly summary: string;
  readonly supportsWeights: boolean;
  readonly supportsVnodes: boolean;
  build(nodes: readonly RingNode[], options?: PlacementOptions): Placement;
}

/** Checks a node list the same way for every algorithm: non-empty, unique ids, positive weights. */
export function checkNodes(algorithm: PlacementAlgorithm, nodes: readonly RingNode[]): void {
  if (nodes.length === 0) throw new CacheLensError('usage', `${algorithm.name} needs at least one node`);
  if (nodes.length > 10000) throw new CacheLensError('usage', `${algorithm.name} supports at most 10000 nodes`);
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.id)) throw new CacheLensError('usage', `node ${n.id} is listed twice`);
    seen.add(n.id);
    if (!Number.isFinite(n.weight) || n.weight <= 0) {
      throw new CacheLensError('usage', `weight of ${n.id} must be a positive number, got ${n.weight}`);
    }
    if (!algorithm.supportsWeights && n.weight !== 1) {
      throw new CacheLensError('usage', `${algorithm.name} does not support weights`);
    }
  }
}

/**
 * Most clients rebuild their whole placement from the new server list when a node comes or
 * goes; this gives a placement exactly that behaviour.
 */
export function rebuildOnChange(
  algorithm: PlacementAlgorithm,
  nodes: readonly RingNode[],
  options: PlacementOptions | undefined,
): Pick<Placement, 'withNode' | 'withoutNode'> {
  return {
    withNode: (node) => algorithm.build([...nodes, node], options),
    withoutNode: (id) => {
      if (!nodes.some((n) => n.id === id)) throw new CacheLensError('usage', `node ${id} is not in the node list`);
      return algorithm.build(nodes.filter((n) => n.id !== id), options);
    },
  };
}
