/**
 * `rendezvous`: highest random weight. The key is hashed once with FNV-1a 64; each node's score
 * is fmix64(keyHash XOR FNV-1a 64 of the node id), read as a uniform u in (0, 1). Unweighted,
 * the node with the largest u wins; weighted, the largest -weight / ln(u) (Schindelhauer and
 * Schomaker's logarithmic method), which gives each node a share proportional to its weight and
 * still moves only the keys that must move.
 */
import { checkNodes, rebuildOnChange, type Placement, type PlacementAlgorithm, type RingNode } from './algorithm';
import { fmix64, fnv1a64, r64 } from './int64';
import { loadKey, loaded } from './keybytes';

const enc = Buffer.allocUnsafe(1200);

export const rendezvous: PlacementAlgorithm = {
  name: 'rendezvous',
  summary: 'highest random weight (HRW), weighted with -w/ln(u); O(N) per key',
  supportsWeights: true,
  supportsVnodes: false,
  build(nodes: readonly RingNode[]): Placement {
    checkNodes(rendezvous, nodes);
    const n = nodes.length;
    const seedHi = new Uint32Array(n), seedLo = new Uint32Array(n);
    const weight = new Float64Array(n);
    nodes.forEach((node, i) => {
      const len = enc.write(node.id, 0, 'utf8');
      fnv1a64(enc, len);
      seedHi[i] = r64.hi; seedLo[i] = r64.lo; weight[i] = node.weight;
    });
    const weighted = nodes.some((x) => x.weight !== nodes[0].weight);
    const locate = (key: Buffer | string): number => {
      loadKey(key);
      fnv1a64(loaded.bytes, loaded.length);
      const kh = r64.hi, kl = r64.lo;
      let best = 0, bestScore = -Infinity;
      for (let i = 0; i < n; i++) {
        fmix64((kh ^ seedHi[i]) >>> 0, (kl ^ seedLo[i]) >>> 0);
        // The top 53 bits as a uniform number strictly inside (0, 1).
        const u = ((r64.hi * 0x200000) + (r64.lo >>> 11) + 0.5) / 9007199254740992;
        const score = weighted ? -weight[i] / Math.log(u) : u;
        if (score > bestScore) { bestScore = score; best = i; }
      }
      return best;
    };
    return { algorithm: rendezvous.name, nodes, locate, ...rebuildOnChange(rendezvous, nodes, undefined) };
  },
};
