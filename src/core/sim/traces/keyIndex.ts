/**
 * Maps original keys to dense ids 0..n-1 in first-seen order, so every pass over a file yields
 * the same ids. Memory grows with the number of distinct keys: that is inherent to remapping.
 */

/**
 * String keys (lines and CSV files). V8's Map holds at most 2^24 entries, so past that the
 * index chains further Maps; lookups stay O(1) per Map and there is only one Map below 16.7M keys.
 */
export class StringKeyIndex {
  private static readonly MAP_LIMIT = 16_000_000;
  private readonly maps: Array<Map<string, number>> = [new Map()];
  private labels: string[] | null;
  size = 0;

  /** `keepLabels` keeps the keys in id order for display (small traces only). */
  constructor(keepLabels = true, private readonly labelLimit = 100_000) {
    this.labels = keepLabels ? [] : null;
  }

  id(key: string): number {
    const maps = this.maps;
    for (let i = 0; i < maps.length; i++) {
      const v = maps[i].get(key);
      if (v !== undefined) return v;
    }
    let last = maps[maps.length - 1];
    if (last.size >= StringKeyIndex.MAP_LIMIT) { last = new Map(); maps.push(last); }
    const id = this.size++;
    last.set(key, id);
    if (this.labels) {
      if (this.labels.length < this.labelLimit) this.labels.push(key); else this.labels = null;
    }
    return id;
  }

  /** The key for display: UTF-8 when it is valid UTF-8, else with \xNN escapes. */
  label(id: number): string {
    const raw = this.labels?.[id];
    return raw === undefined ? `#${id}` : displayKey(raw);
  }
}

/** Keys are read as latin1 (one char per byte); shows them as the UTF-8 text they usually are. */
export function displayKey(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') && Buffer.byteLength(text) === bytes.length) return text;
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/**
 * 64-bit numeric keys given as two 32-bit halves (oracleGeneral ids are often hashes spanning
 * all 64 bits). Open addressing with linear probing over typed arrays.
 */
export class U64KeyIndex {
  private lo: Uint32Array;
  private hi: Uint32Array;
  private val: Int32Array;
  private mask: number;
  size = 0;

  constructor(initial = 1 << 16) {
    let cap = 16;
    while (cap < initial * 2) cap *= 2;
    this.lo = new Uint32Array(cap);
    this.hi = new Uint32Array(cap);
    this.val = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  id(lo: number, hi: number): number {
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let i = h & this.mask;
    for (;;) {
      const v = this.val[i];
      if (v === -1) break;
      if (this.lo[i] === lo && this.hi[i] === hi) return v;
      i = (i + 1) & this.mask;
    }
    const id = this.size++;
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.val[i] = id;
    if (this.size * 2 > this.mask) this.grow();
    return id;
  }

  /** The original 64-bit id as a decimal string. */
  label(id: number): string {
    for (let i = 0; i <= this.mask; i++) {
      if (this.val[i] === id) return (BigInt(this.hi[i]) * 4294967296n + BigInt(this.lo[i])).toString();
    }
    return `#${id}`;
  }

  private grow(): void {
    const { lo, hi, val } = this;
    const cap = (this.mask + 1) * 2;
    this.lo = new Uint32Array(cap);
    this.hi = new Uint32Array(cap);
    this.val = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < val.length; i++) {
      if (val[i] !== -1) this.reinsert(lo[i], hi[i], val[i]);
    }
  }

  private reinsert(lo: number, hi: number, v: number): void {
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let i = h & this.mask;
    while (this.val[i] !== -1) i = (i + 1) & this.mask;
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.val[i] = v;
    this.size++;
  }
}
