/**
 * `jump`: jump consistent hash (Lamping and Veach, 2014). The key is first hashed to 64 bits
 * with FNV-1a 64 over its bytes; the paper's LCG (key * 2862933555777941757 + 1 mod 2^64) runs
 * on 32-bit halves. Buckets are the node list in order: a node can join only at the end and
 * only the last one can leave without renumbering the others (removing any other node
 * renumbers the ones after it, and the move count shows what that costs).
 */
import { checkNodes, rebuildOnChange, type Placement, type PlacementAlgorithm, type RingNode } from './algorithm';
import { fnv1a64, mul64, r64 } from './int64';
import { loadKey, loaded } from './keybytes';

/** The paper's function on a 64-bit key given as unsigned halves. */
export function jumpHash(keyHi: number, keyLo: number, buckets: number): number {
  let hi = keyHi, lo = keyLo;
  let b = -1, j = 0;
  while (j < buckets) {
    b = j;
    mul64(hi, lo, 0x27bb2ee6, 0x87b0b0fd);
    lo = (r64.lo + 1) >>> 0;
    hi = lo === 0 ? (r64.hi + 1) >>> 0 : r64.hi;
    j = Math.floor((b + 1) * (2147483648 / ((hi >>> 1) + 1)));
  }
  return b;
}

export const jump: PlacementAlgorithm = {
  name: 'jump',
  summary: 'jump consistent hash (Lamping & Veach) over FNV-1a 64 of the key; no weights',
  supportsWeights: false,
  supportsVnodes: false,
  build(nodes: readonly RingNode[]): Placement {
    checkNodes(jump, nodes);
    const n = nodes.length;
    return {
      algorithm: jump.name,
      nodes,
      locate: (key) => {
        loadKey(key);
        fnv1a64(loaded.bytes, loaded.length);
        return jumpHash(r64.hi, r64.lo, n);
      },
      ...rebuildOnChange(jump, nodes, undefined),
    };
  },
};
