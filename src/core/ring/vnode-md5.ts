/**
 * `vnode-md5`: the caching chapter's ring. Each node gets `vnodes` points (times its weight),
 * point i at MD5("node:i") read as a 128-bit big-endian number; a key goes to the first point
 * strictly after MD5(key), wrapping around (Python's bisect_right). Points are compared on all
 * 128 bits, so placement matches the chapter's Python exactly, ties included.
 */
import { checkNodes, rebuildOnChange, type Placement, type PlacementAlgorithm, type PlacementOptions, type RingNode, type RingPoint } from './algorithm';
import { loadKey, loaded } from './keybytes';
import { digest, md5 } from './md5';

export const DEFAULT_VNODES = 150;

function bswap(x: number): number {
  return ((x & 0xff) << 24 | (x & 0xff00) << 8 | (x >>> 8) & 0xff00 | x >>> 24) >>> 0;
}

export const vnodeMd5: PlacementAlgorithm = {
  name: 'vnode-md5',
  summary: 'MD5 ring with virtual nodes "node:i" (the caching chapter; --vnodes, default 150)',
  supportsWeights: true,
  supportsVnodes: true,
  build(nodes: readonly RingNode[], options?: PlacementOptions): Placement {
    checkNodes(vnodeMd5, nodes);
    const vnodes = options?.vnodes ?? DEFAULT_VNODES;
    const raw: Array<{ w: [number, number, number, number]; node: number }> = [];
    const enc = Buffer.allocUnsafe(1024);
    nodes.forEach((node, ni) => {
      const count = Math.max(1, Math.round(vnodes * node.weight));
      for (let i = 0; i < count; i++) {
        const len = enc.write(`${node.id}:${i}`, 0, 'utf8');
        md5(enc, len);
        raw.push({ w: [bswap(digest[0]), bswap(digest[1]), bswap(digest[2]), bswap(digest[3])], node: ni });
      }
    });
    raw.sort((a, b) => cmp(a.w, b.w[0], b.w[1], b.w[2], b.w[3]));
    // The chapter keeps one node per hash value (a dict): a later node with the same point wins.
    const n = raw.length;
    const w0 = new Uint32Array(n), w1 = new Uint32Array(n), w2 = new Uint32Array(n), w3 = new Uint32Array(n);
    const owner = new Uint16Array(n);
    raw.forEach((p, i) => { w0[i] = p.w[0]; w1[i] = p.w[1]; w2[i] = p.w[2]; w3[i] = p.w[3]; owner[i] = p.node; });
    for (let i = n - 2; i >= 0; i--) if (cmp(raw[i].w, w0[i + 1], w1[i + 1], w2[i + 1], w3[i + 1]) === 0) owner[i] = owner[i + 1];

    const locate = (key: Buffer | string): number => {
      loadKey(key);
      md5(loaded.bytes, loaded.length);
      const k0 = bswap(digest[0]), k1 = bswap(digest[1]), k2 = bswap(digest[2]), k3 = bswap(digest[3]);
      // First point strictly greater than the key's hash.
      let lo = 0, hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const p0 = w0[mid];
        const greater = p0 !== k0 ? p0 > k0
          : w1[mid] !== k1 ? w1[mid] > k1
            : w2[mid] !== k2 ? w2[mid] > k2
              : w3[mid] > k3;
        if (greater) hi = mid; else lo = mid + 1;
      }
      return owner[lo === n ? 0 : lo];
    };
    return {
      algorithm: vnodeMd5.name,
      nodes,
      locate,
      ringPosition: (key) => { loadKey(key); md5(loaded.bytes, loaded.length); return bswap(digest[0]) / 0x100000000; },
      points: (): RingPoint[] => Array.from(w0, (p, i) => ({ position: p / 0x100000000, node: owner[i] })),
      ...rebuildOnChange(vnodeMd5, nodes, options),
    };
  },
};

function cmp(a: [number, number, number, number], b0: number, b1: number, b2: number, b3: number): number {
  return a[0] !== b0 ? a[0] - b0 : a[1] !== b1 ? a[1] - b1 : a[2] !== b2 ? a[2] - b2 : a[3] - b3;
}
