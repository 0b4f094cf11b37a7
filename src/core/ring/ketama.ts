/**
 * `ketama`: libmemcached's weighted ketama (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, MD5), point for
 * point as libmemcached 1.x builds its continuum in hosts.cc:
 * - each server gets floor(weight/total * 160/4 * servers + 1e-10) * 4 points, computed in
 *   single precision as the C code does;
 * - point group i hashes "host-i" (port 11211) or "host:port-i" (any other port) with MD5 and
 *   takes the four little-endian 32-bit words of the digest as four points;
 * - points sort by (value, server index); a key hashes to the first digest word of MD5(key) and
 *   goes to the first point >= that value, wrapping to the first point; one server takes all.
 * The host text is hashed as written, so "localhost" and "127.0.0.1" give different rings,
 * exactly as they do in libmemcached.
 */
import { CacheLensError } from '../errors';
import { checkNodes, rebuildOnChange, type Placement, type PlacementAlgorithm, type RingNode, type RingPoint } from './algorithm';
import { loadKey, loaded } from './keybytes';
import { digest, md5, md5PairA, pairA } from './md5';

const POINTS_PER_SERVER = 160;
const DEFAULT_PORT = 11211;

export function splitHostPort(id: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(id);
  if (!m) return { host: id, port: DEFAULT_PORT };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new CacheLensError('usage', `bad port in node ${id}`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** How many continuum points libmemcached gives each server. */
export function ketamaPointCounts(nodes: readonly RingNode[]): number[] {
  const f = Math.fround;
  const total = nodes.reduce((s, n) => s + n.weight, 0);
  const live = nodes.length;
  return nodes.map((n) => {
    const pct = f(f(n.weight) / f(total));
    const x = f(f(f(f(pct * POINTS_PER_SERVER) / 4) * f(live)) + f(0.0000000001));
    return Math.floor(x) * 4;
  });
}

/**
 * For each top-16-bit prefix, the index of the first point at or above prefix << 16. A lookup
 * then compares against the one or two points in its bucket instead of a binary search over all
 * of them, whose unpredictable branches cost more than the MD5 on short keys.
 */
export function bucketStarts(sorted: Uint32Array): Uint32Array {
  const start = new Uint32Array(65537);
  let i = 0;
  for (let b = 0; b <= 65536; b++) {
    const floor = b * 0x10000;
    while (i < sorted.length && sorted[i] < floor) i++;
    start[b] = i;
  }
  return start;
}

export const ketama: PlacementAlgorithm = {
  name: 'ketama',
  summary: "libmemcached's weighted ketama: MD5, 160 points per server, 4 per digest",
  supportsWeights: true,
  supportsVnodes: false,
  build(nodes: readonly RingNode[]): Placement {
    checkNodes(ketama, nodes);
    for (const n of nodes) {
      if (!Number.isInteger(n.weight)) throw new CacheLensError('usage', `ketama weights are whole numbers (libmemcached), got ${n.weight} for ${n.id}`);
    }
    const counts = ketamaPointCounts(nodes);
    const total = counts.reduce((a, b) => a + b, 0);
    const order: Array<{ value: number; node: number }> = [];
    const enc = Buffer.allocUnsafe(1200);
    nodes.forEach((node, ni) => {
      const { host, port } = splitHostPort(node.id);
      for (let i = 0; i < counts[ni] / 4; i++) {
        const len = enc.write(port === DEFAULT_PORT ? `${host}-${i}` : `${host}:${port}-${i}`, 0, 'utf8');
        md5(enc, len);
        for (let x = 0; x < 4; x++) order.push({ value: digest[x] >>> 0, node: ni });
      }
    });
    order.sort((a, b) => a.value - b.value || a.node - b.node);
    const values = new Uint32Array(total);
    const owner = new Uint16Array(total);
    order.forEach((p, i) => { values[i] = p.value; owner[i] = p.node; });
    const single = nodes.length === 1;
    const start = bucketStarts(values);

    // First point >= h: start at the first point of h's 16-bit bucket and step over the few before h.
    const pointFor = (h: number): number => {
      let i = start[h >>> 16];
      while (i < total && values[i] < h) i++;
      return owner[i === total ? 0 : i];
    };
    const locate = (key: Buffer | string): number => {
      if (single) return 0;
      loadKey(key);
      md5(loaded.bytes, loaded.length);
      return pointFor(digest[0] >>> 0);
    };
    const locateMany = (keys: readonly (Buffer | string)[], out: Int32Array): void => {
      const n = keys.length;
      if (single) { out.fill(0, 0, n); return; }
      let i = 0;
      for (; i + 1 < n; i += 2) {
        const k1 = keys[i], k2 = keys[i + 1];
        // Two one-block Buffer keys hash interleaved; anything else takes the plain path.
        if (typeof k1 !== 'string' && typeof k2 !== 'string' && k1.length < 56 && k2.length < 56) {
          md5PairA(k1, k1.length, k2, k2.length);
          out[i] = pointFor(pairA[0] >>> 0);
          out[i + 1] = pointFor(pairA[1] >>> 0);
        } else {
          out[i] = locate(k1);
          out[i + 1] = locate(k2);
        }
      }
      if (i < n) out[i] = locate(keys[i]);
    };
    return {
      algorithm: ketama.name,
      nodes,
      locate,
      locateMany,
      ringPosition: (key) => { loadKey(key); md5(loaded.bytes, loaded.length); return (digest[0] >>> 0) / 0x100000000; },
      points: (): RingPoint[] => Array.from(values, (v, i) => ({ position: v / 0x100000000, node: owner[i] })),
      ...rebuildOnChange(ketama, nodes, undefined),
    };
  },
};
