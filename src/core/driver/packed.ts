/**
 * Columnar key batches (PackedKeys): how a driver hands over a million listed keys without a
 * Buffer and an object per key. A typed-array view costs ~130 ns to create in V8, more than
 * parsing the key's metadump line, so bulk paths keep keys as ranges of one byte slab and only
 * materialize Buffers (unpackKeys) where a caller needs KeyInfo objects.
 */
import type { KeyRangeMatcher } from '../glob';
import type { KeyInfo, KeyType, PackedKeys } from './types';

/** Bytes of key i of a batch (a view, not a copy). */
export function packedKey(p: PackedKeys, i: number): Buffer {
  return p.keyBytes.subarray(p.offsets[i], p.offsets[i + 1]);
}

/** The batch as KeyInfo objects (keys are views into the batch's slab). */
export function unpackKeys(p: PackedKeys): KeyInfo[] {
  const out: KeyInfo[] = new Array<KeyInfo>(p.count);
  for (let i = 0; i < p.count; i++) {
    out[i] = { key: packedKey(p, i), type: p.type, ttlMs: p.ttlMs[i], bytes: p.bytes[i], node: p.node };
  }
  return out;
}

/** Keeps the keys that match, compacting the batch in place; returns it. */
export function filterPacked(p: PackedKeys, match: KeyRangeMatcher): PackedKeys {
  const { keyBytes, offsets, ttlMs, bytes } = p;
  let kept = 0;
  let at = 0;
  for (let i = 0; i < p.count; i++) {
    const s = offsets[i];
    const e = offsets[i + 1];
    if (!match(keyBytes, s, e)) continue;
    if (s !== at) keyBytes.copyWithin(at, s, e);
    ttlMs[kept] = ttlMs[i];
    bytes[kept] = bytes[i];
    at += e - s;
    kept++;
    offsets[kept] = at;
  }
  p.count = kept;
  return p;
}

/**
 * Builds one batch: keys are appended into a growing slab, numbers into typed columns. `take()`
 * hands the batch over and starts a new one (the arrays are never reused, so a consumer may
 * keep a batch as long as it likes).
 */
export class PackedKeysBuilder {
  count = 0;
  keyBytes: Buffer;
  /** Where the next key's bytes go. */
  used = 0;
  offsets: Int32Array;
  ttlMs: Float64Array;
  bytes: Float64Array;

  constructor(readonly capacity: number, private readonly slabBytes = Math.max(64, capacity) * 64, readonly type: KeyType = 'string', readonly node = '') {
    this.keyBytes = Buffer.allocUnsafe(this.slabBytes);
    this.offsets = new Int32Array(capacity + 1);
    this.ttlMs = new Float64Array(capacity);
    this.bytes = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** Makes room for `n` more key bytes (the slab doubles; keys already in it keep their offsets). */
  reserve(n: number): void {
    if (this.used + n <= this.keyBytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.keyBytes.length, this.used + n));
    this.keyBytes.copy(bigger, 0, 0, this.used);
    this.keyBytes = bigger;
  }

  /** Ends the key whose bytes were written at [offsets[count], used) and records its numbers. */
  commit(keyEnd: number, ttlMs: number, bytes: number): void {
    const i = this.count;
    this.ttlMs[i] = ttlMs;
    this.bytes[i] = bytes;
    this.offsets[i + 1] = keyEnd;
    this.used = keyEnd;
    this.count = i + 1;
  }

  /** Appends a whole key. */
  push(key: Uint8Array, ttlMs: number, bytes: number): void {
    this.reserve(key.length);
    this.keyBytes.set(key, this.used);
    this.commit(this.used + key.length, ttlMs, bytes);
  }

  /** The batch so far, and a fresh builder state for the next one. */
  take(node = this.node): PackedKeys {
    const batch: PackedKeys = {
      count: this.count, keyBytes: this.keyBytes, offsets: this.offsets, ttlMs: this.ttlMs, bytes: this.bytes, type: this.type, node,
    };
    this.count = 0;
    this.used = 0;
    this.keyBytes = Buffer.allocUnsafe(this.slabBytes);
    this.offsets = new Int32Array(this.capacity + 1);
    this.ttlMs = new Float64Array(this.capacity);
    this.bytes = new Float64Array(this.capacity);
    return batch;
  }
}
