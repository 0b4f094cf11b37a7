/**
 * `modulo`: memjs 1.3.2's default placement, `hashCode(key) % servers.length`, where hashCode is
 * Java's String.hashCode over the key's UTF-16 code units (wrapped to int32) made non-negative
 * with Math.abs. memjs only accepts string keys for multi-server clients, so a Buffer key is
 * read as the UTF-8 text memjs would have been given. Nearly every key moves when the server
 * count changes: that is the cost this algorithm is here to show.
 */
import { checkNodes, rebuildOnChange, type Placement, type PlacementAlgorithm, type RingKey, type RingNode } from './algorithm';

/** memjs's hashCode, for strings. */
export function memjsHashCode(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (31 * h + key.charCodeAt(i)) | 0;
  return Math.abs(h);
}

function hashKey(key: RingKey): number {
  if (typeof key === 'string') return memjsHashCode(key);
  let h = 0;
  for (let i = 0; i < key.length; i++) {
    const b = key[i];
    // Bytes above 0x7f are part of a multi-byte UTF-8 sequence; decode the key as memjs saw it.
    if (b >= 0x80) return memjsHashCode(key.toString('utf8'));
    h = (31 * h + b) | 0;
  }
  return Math.abs(h);
}

export const modulo: PlacementAlgorithm = {
  name: 'modulo',
  summary: "hashCode(key) % N, memjs's default: almost every key moves when N changes",
  supportsWeights: false,
  supportsVnodes: false,
  build(nodes: readonly RingNode[]): Placement {
    checkNodes(modulo, nodes);
    const n = nodes.length;
    return {
      algorithm: modulo.name,
      nodes,
      locate: (key) => hashKey(key) % n,
      ...rebuildOnChange(modulo, nodes, undefined),
    };
  },
};
