/**
 * `redis-slots`: Redis Cluster's key -> slot rule, CRC16 (XMODEM: poly 0x1021, init 0, no
 * reflection) mod 16384. If the key holds a `{` and a `}` somewhere after it, and there is at
 * least one byte between that first `{` and the first `}` after it, only those bytes are hashed;
 * otherwise the whole key is (so `{}{user}` hashes whole, unlike the cluster-key-slot package).
 * Slots map to nodes through a real cluster's slot map, or through the even split that
 * `redis-cli --cluster create` makes.
 */
import { CacheLensError } from '../errors';
import { checkNodes, type Placement, type PlacementAlgorithm, type PlacementOptions, type RingKey, type RingNode, type SlotMap } from './algorithm';
import { loadKey, loaded } from './keybytes';

export const SLOTS = 16384;

const table = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  table[i] = crc;
}

export function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ table[((crc >>> 8) ^ bytes[i]) & 0xff];
  return crc;
}

/** The slot of raw key bytes, exactly as Redis's keyHashSlot computes it. */
export function slotOfBytes(bytes: Uint8Array, length: number): number {
  let open = -1;
  for (let i = 0; i < length; i++) if (bytes[i] === 0x7b) { open = i; break; }
  if (open !== -1) {
    for (let i = open + 1; i < length; i++) {
      if (bytes[i] === 0x7d) {
        if (i > open + 1) return crc16(bytes, open + 1, i) & (SLOTS - 1);
        break;
      }
    }
  }
  return crc16(bytes, 0, length) & (SLOTS - 1);
}

export function keySlot(key: RingKey): number {
  loadKey(key);
  return slotOfBytes(loaded.bytes, loaded.length);
}

/** The hash tag Redis would use for this key, or null when the whole key is hashed. */
export function hashTag(key: Buffer): Buffer | null {
  const open = key.indexOf(0x7b);
  if (open === -1) return null;
  const close = key.indexOf(0x7d, open + 1);
  if (close === -1 || close === open + 1) return null;
  return key.subarray(open + 1, close);
}

/**
 * The slot ranges `redis-cli --cluster create` assigns: master i gets up to
 * lround(cursor + slotsPerNode - 1) in single-precision arithmetic, the last master the rest.
 * Weights scale each master's share the same way.
 */
export function evenSlotMap(nodes: readonly RingNode[]): SlotMap {
  const owner = new Int16Array(SLOTS).fill(-1);
  const total = nodes.reduce((s, n) => s + n.weight, 0);
  const equal = nodes.every((n) => n.weight === nodes[0].weight);
  let first = 0;
  let cursor = Math.fround(0);
  for (let i = 0; i < nodes.length; i++) {
    // With equal weights this is redis-cli's own single division, rounded to float once.
    const per = equal ? Math.fround(SLOTS / nodes.length) : Math.fround(SLOTS * nodes[i].weight / total);
    let last = lround(Math.fround(Math.fround(cursor + per) - 1));
    if (last > SLOTS || i === nodes.length - 1) last = SLOTS - 1;
    if (last < first) last = first;
    for (let s = first; s <= last && s < SLOTS; s++) owner[s] = i;
    first = last + 1;
    cursor = Math.fround(cursor + per);
  }
  return { nodes: nodes.map((n) => n.id), owner };
}

/** C's lround: halves round away from zero. */
function lround(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Moves only the slots needed to give every master its weighted share, taking each donor's
 * highest slots first, the way `redis-cli --cluster rebalance` (and add-node followed by it)
 * moves a minimum of slots.
 */
export function rebalance(map: SlotMap, nodes: readonly RingNode[]): SlotMap {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const owner = new Int16Array(SLOTS).fill(-1);
  const counts = new Array<number>(nodes.length).fill(0);
  const orphans: number[] = [];
  for (let s = 0; s < SLOTS; s++) {
    const prev = map.owner[s] === -1 ? undefined : index.get(map.nodes[map.owner[s]]);
    if (prev === undefined) orphans.push(s);
    else { owner[s] = prev; counts[prev]++; }
  }
  const total = nodes.reduce((s, n) => s + n.weight, 0);
  const target = nodes.map((n) => Math.floor(SLOTS * n.weight / total));
  // Floor leaves a few slots over; they stay where they are (or go to the first needy node).
  for (let s = SLOTS - 1; s >= 0; s--) {
    const o = owner[s];
    if (o !== -1 && counts[o] > target[o]) {
      const needy = counts.findIndex((c, i) => c < target[i]);
      if (needy === -1) break;
      owner[s] = needy; counts[o]--; counts[needy]++;
    }
  }
  for (const s of orphans) {
    let needy = counts.findIndex((c, i) => c < target[i]);
    if (needy === -1) needy = counts.indexOf(Math.min(...counts));
    owner[s] = needy; counts[needy]++;
  }
  return { nodes: nodes.map((n) => n.id), owner };
}

function buildFromMap(nodes: readonly RingNode[], map: SlotMap): Placement {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  // Translate the map's node numbering into this node list's, once.
  const owner = new Int16Array(SLOTS);
  for (let s = 0; s < SLOTS; s++) {
    const o = map.owner[s];
    owner[s] = o === -1 ? -1 : (index.get(map.nodes[o]) ?? -1);
  }
  const placement: Placement = {
    algorithm: redisSlots.name,
    nodes,
    locate: (key) => owner[keySlot(key)],
    withNode: (node) => {
      const next = [...nodes, node];
      checkNodes(redisSlots, next);
      return buildFromMap(next, rebalance(map, next));
    },
    withoutNode: (id) => {
      if (!index.has(id)) throw new CacheLensError('usage', `node ${id} is not in the node list`);
      const next = nodes.filter((n) => n.id !== id);
      checkNodes(redisSlots, next);
      return buildFromMap(next, rebalance(map, next));
    },
  };
  return placement;
}

export const redisSlots: PlacementAlgorithm = {
  name: 'redis-slots',
  summary: 'CRC16(key or {tag}) mod 16384, slots owned by masters (Redis Cluster)',
  supportsWeights: true,
  supportsVnodes: false,
  build(nodes: readonly RingNode[], options?: PlacementOptions): Placement {
    checkNodes(redisSlots, nodes);
    return buildFromMap(nodes, options?.slotMap ?? evenSlotMap(nodes));
  },
};
