/**
 * A Redis Cluster as it really is: the slot map from CLUSTER SHARDS (CLUSTER SLOTS before
 * Redis 7), key -> slot -> master, keys and slots per master, hash tags that pile many keys
 * into one slot, and the cross-slot check for multi-key commands.
 */
import { resolveConnectOptions } from '../driver/index';
import { connectRedis } from '../driver/redis/connect';
import { toCacheLensError } from '../driver/redis/errors';
import { CacheLensError } from '../errors';
import type { SlotMap } from './algorithm';
import { hashTag, keySlot, SLOTS } from './redis-slots';

/** Anything that can send a raw command (an ioredis client, a cluster node). */
export interface CommandSender { call(command: string, ...args: string[]): Promise<unknown> }

/** RESP2 gives flat [name, value, ...] arrays, RESP3 maps (objects or Maps): read both. */
function fields(v: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (v instanceof Map) for (const [k, x] of v) out.set(String(k), x);
  else if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) out.set(String(v[i]), v[i + 1]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.set(k, x);
  return out;
}

function address(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Parses a CLUSTER SHARDS reply: each shard's slot ranges and its master's address. */
export function parseShards(reply: unknown): SlotMap {
  if (!Array.isArray(reply)) throw new CacheLensError('protocol', 'CLUSTER SHARDS did not return a list');
  const nodes: string[] = [];
  const owner = new Int16Array(SLOTS).fill(-1);
  for (const shard of reply) {
    const f = fields(shard);
    const slots = (f.get('slots') as unknown[] | undefined ?? []).map(Number);
    const master = (f.get('nodes') as unknown[] | undefined ?? []).map(fields).find((n) => String(n.get('role')) === 'master');
    if (!master || slots.length === 0) continue;
    const host = String(master.get('endpoint') ?? master.get('ip'));
    const ip = host === '' || host === '?' ? String(master.get('ip')) : host;
    const index = nodes.push(address(ip, Number(master.get('port') ?? master.get('tls-port')))) - 1;
    for (let i = 0; i + 1 < slots.length; i += 2) owner.fill(index, slots[i], slots[i + 1] + 1);
  }
  return { nodes, owner };
}

/** Parses a CLUSTER SLOTS reply: [[start, end, [host, port, id, ...], replicas...], ...]. */
export function parseSlots(reply: unknown): SlotMap {
  if (!Array.isArray(reply)) throw new CacheLensError('protocol', 'CLUSTER SLOTS did not return a list');
  const nodes: string[] = [];
  const owner = new Int16Array(SLOTS).fill(-1);
  for (const range of reply as unknown[][]) {
    const [start, end, master] = range as [unknown, unknown, unknown[]];
    const name = address(String(master[0]), Number(master[1]));
    let index = nodes.indexOf(name);
    if (index === -1) index = nodes.push(name) - 1;
    owner.fill(index, Number(start), Number(end) + 1);
  }
  return { nodes, owner };
}

/** The cluster's slot map, asked of any node. */
export async function readSlotMap(node: CommandSender): Promise<SlotMap> {
  let map: SlotMap;
  try {
    map = parseShards(await node.call('CLUSTER', 'SHARDS'));
  } catch (e) {
    // Servers before 7.0 answer "unknown subcommand"; ask the old way.
    if (CacheLensError.is(e)) throw e;
    map = parseSlots(await node.call('CLUSTER', 'SLOTS'));
  }
  // Shards are listed in no particular order; number the masters by their first slot.
  const first = map.nodes.map((_, i) => map.owner.indexOf(i));
  const order = map.nodes.map((_, i) => i).sort((a, b) => first[a] - first[b]);
  const renumber = new Int16Array(order.length);
  order.forEach((old, i) => { renumber[old] = i; });
  const owner = map.owner.map((o) => (o === -1 ? -1 : renumber[o]));
  return { nodes: order.map((i) => map.nodes[i]), owner };
}

export interface TagHotSpot { tag: string; keys: number; share: number; slot: number; node: string | null }

export interface MasterLoad { node: string; slots: number; keys: number; share: number }

export interface ClusterReport {
  masters: MasterLoad[];
  total: number;
  unownedSlots: number;
  /** Keys found on a master that does not own their slot (a resharding in progress). */
  misplaced: number;
  /** Tags with the most keys, largest first. */
  hotTags: TagHotSpot[];
  /** Keys per slot, for the slot strip. */
  keysPerSlot: Uint32Array;
}

/** Shows a key or tag: printable ASCII as is, other bytes as \xNN. */
export function printable(key: Buffer): string {
  let out = '';
  for (const b of key) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : b === 0x5c ? '\\\\' : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/** Accumulates cluster placement facts over streamed keys. */
export class ClusterTally {
  readonly keysPerSlot = new Uint32Array(SLOTS);
  private readonly perMaster: Float64Array;
  private readonly tags = new Map<string, number>();
  private readonly nodeIndex: Map<string, number>;
  private misplaced = 0;
  private total = 0;
  private tagLimitHit = false;

  constructor(readonly map: SlotMap, private readonly maxTags = 200000) {
    this.perMaster = new Float64Array(map.nodes.length);
    this.nodeIndex = new Map(map.nodes.map((n, i) => [n, i]));
  }

  add(keys: readonly Buffer[], foundOn?: ReadonlyArray<string | undefined>): void {
    const { owner } = this.map;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const slot = keySlot(key);
      this.keysPerSlot[slot]++;
      const o = owner[slot];
      if (o !== -1) this.perMaster[o]++;
      const where = foundOn?.[i];
      if (where !== undefined && this.nodeIndex.get(where) !== o) this.misplaced++;
      // Most keys have no tag: check for a brace before doing any work.
      if (key.indexOf(0x7b) !== -1) {
        const tag = hashTag(key);
        if (tag) {
          const name = tag.toString('latin1');
          const n = this.tags.get(name);
          if (n !== undefined) this.tags.set(name, n + 1);
          else if (this.tags.size < this.maxTags) this.tags.set(name, 1);
          else this.tagLimitHit = true;
        }
      }
    }
    this.total += keys.length;
  }

  report(top = 10): ClusterReport & { tagsTruncated: boolean } {
    const slotsPer = new Array<number>(this.map.nodes.length).fill(0);
    let unowned = 0;
    for (const o of this.map.owner) { if (o === -1) unowned++; else slotsPer[o]++; }
    const hotTags = [...this.tags].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, keys]) => {
      const tag = Buffer.from(name, 'latin1');
      const slot = keySlot(tag);
      const o = this.map.owner[slot];
      return { tag: printable(tag), keys, share: this.total ? keys / this.total : 0, slot, node: o === -1 ? null : this.map.nodes[o] };
    });
    return {
      masters: this.map.nodes.map((node, i) => ({ node, slots: slotsPer[i], keys: this.perMaster[i], share: this.total ? this.perMaster[i] / this.total : 0 })),
      total: this.total,
      unownedSlots: unowned,
      misplaced: this.misplaced,
      hotTags,
      keysPerSlot: this.keysPerSlot,
      tagsTruncated: this.tagLimitHit,
    };
  }
}

export interface CrossSlotCheck { slots: number[]; crossSlot: boolean; message?: string }

/**
 * Multi-key commands (MGET, MSET, DEL with several keys, SUNION, Lua with several KEYS, MULTI
 * over several keys) fail with CROSSSLOT on a cluster unless every key maps to the same slot.
 */
export function crossSlotCheck(keys: readonly Buffer[]): CrossSlotCheck {
  const slots = [...new Set(keys.map((k) => keySlot(k)))].sort((a, b) => a - b);
  if (slots.length <= 1) return { slots, crossSlot: false };
  return {
    slots,
    crossSlot: true,
    message: `these ${keys.length} keys span ${slots.length} slots: a multi-key command (MGET, MSET, DEL, Lua) over them fails with CROSSSLOT on a cluster; give them a common {hash tag}`,
  };
}

/**
 * The slot map of the cluster a URL points at, or null when it is not a Redis Cluster. Uses its
 * own short-lived connection: the driver interface has no raw commands, on purpose.
 */
export async function fetchSlotMap(url: string): Promise<SlotMap | null> {
  const options = resolveConnectOptions(url);
  if (options.kind !== 'redis') return null;
  const conn = await connectRedis(options);
  try {
    if (!conn.cluster) return null;
    return await readSlotMap(conn.client as unknown as CommandSender);
  } catch (e) {
    throw CacheLensError.is(e) ? e : toCacheLensError(e, conn.ctx);
  } finally {
    conn.client.disconnect();
  }
}
