/**
 * LFU in O(1), as libCacheSim's LFU: counts are kept only while an object is cached (a new or
 * re-admitted object starts at 1). Cached objects sit in per-frequency buckets; the buckets form
 * a list ordered by frequency, so the least frequent bucket is always the first one. Within a
 * bucket, objects are in the order they reached that frequency and the earliest is evicted
 * (LRU among equals). A hit moves the object to the bucket for frequency+1, creating it next to
 * the current one if needed: no scan, no heap.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';

export class LfuPolicy extends BasePolicy {
  readonly name = 'lfu';
  // Per id, one 16-byte record: [prev, next, bucket (-1 when not cached), unused], so that
  // touching an object costs one cache line.
  private readonly rec: Int32Array;
  // Per bucket: frequency, first/last member, neighbouring buckets; unused buckets form a free list.
  private readonly bFreq: Float64Array;
  private readonly bFirst: Int32Array;
  private readonly bLast: Int32Array;
  private readonly bPrev: Int32Array;
  private readonly bNext: Int32Array;
  private freeBucket: number;
  /** Least frequent bucket (-1 when the cache is empty). */
  private minBucket = -1;

  constructor(config: PolicyConfig) {
    super(config);
    const n = config.idSpace;
    this.rec = new Int32Array(4 * n).fill(-1);
    // There are never more non-empty buckets than cached objects, plus one being created.
    const maxBuckets = (config.bytes ? n : Math.min(n, Math.floor(config.capacity))) + 2;
    this.bFreq = new Float64Array(maxBuckets);
    this.bFirst = new Int32Array(maxBuckets);
    this.bLast = new Int32Array(maxBuckets);
    this.bPrev = new Int32Array(maxBuckets);
    this.bNext = new Int32Array(maxBuckets);
    for (let b = 0; b < maxBuckets; b++) this.bNext[b] = b + 1;
    this.bNext[maxBuckets - 1] = -1;
    this.freeBucket = 0;
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const b = this.rec[4 * id + 2];
    if (b !== -1) {
      if (!this.isExpired(id, time)) {
        this.promote(id, b);
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      const victim = this.bFirst[this.minBucket];
      this.drop(victim);
      this.notifyEvict(victim);
    }
    let first = this.minBucket;
    if (first === -1 || this.bFreq[first] !== 1) first = this.newBucket(1, -1, first);
    this.append(id, first);
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    return false;
  }

  /**
   * The runner's plain-trace fast path (every request of size 1, no TTL): the same algorithm as
   * `access`, with the whole loop and all state in locals. Returns the number of hits.
   */
  replayPlain(ids: Int32Array, n: number, start: number): number {
    if (!this.plainReplayable()) return this.replayByAccess(ids, n, start);
    const rec = this.rec, bFreq = this.bFreq, bFirst = this.bFirst, bLast = this.bLast, bPrev = this.bPrev, bNext = this.bNext;
    const capacity = this.capacity;
    let freeBucket = this.freeBucket, minBucket = this.minBucket, used = this.used;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      const r = 4 * id;
      const b = rec[r + 2];
      let target: number;
      let f: number;
      if (b !== -1) {
        hits++;
        f = bFreq[b] + 1;
        target = bNext[b];
        const p = rec[r];
        const x = rec[r + 1];
        if (p === -1 && x === -1) {
          // Alone in its bucket: renumber the bucket when f is free, else move and free b.
          if (target === -1 || bFreq[target] !== f) {
            bFreq[b] = f;
            continue;
          }
          const bp = bPrev[b];
          if (bp !== -1) bNext[bp] = target;
          else minBucket = target;
          bPrev[target] = bp;
          bNext[b] = freeBucket;
          freeBucket = b;
        } else {
          if (target === -1 || bFreq[target] !== f) {
            // A new bucket for f right after b.
            const nb = freeBucket;
            freeBucket = bNext[nb];
            bFreq[nb] = f;
            bFirst[nb] = -1;
            bLast[nb] = -1;
            bPrev[nb] = b;
            bNext[nb] = target;
            bNext[b] = nb;
            if (target !== -1) bPrev[target] = nb;
            target = nb;
          }
          // Unlink from b (b keeps other members).
          if (p !== -1) rec[4 * p + 1] = x;
          else bFirst[b] = x;
          if (x !== -1) rec[4 * x] = p;
          else bLast[b] = p;
        }
      } else {
        if (used + 1 > capacity) {
          // Evict the earliest object of the least frequent bucket.
          const mb = minBucket;
          const victim = bFirst[mb];
          const vx = rec[4 * victim + 1];
          rec[4 * victim + 2] = -1;
          if (vx !== -1) {
            rec[4 * vx] = -1;
            bFirst[mb] = vx;
          } else {
            // The bucket empties: free it.
            const nx = bNext[mb];
            minBucket = nx;
            if (nx !== -1) bPrev[nx] = -1;
            bNext[mb] = freeBucket;
            freeBucket = mb;
          }
        } else {
          used++;
        }
        target = minBucket;
        if (target === -1 || bFreq[target] !== 1) {
          const nb = freeBucket;
          freeBucket = bNext[nb];
          bFreq[nb] = 1;
          bFirst[nb] = -1;
          bLast[nb] = -1;
          bPrev[nb] = -1;
          bNext[nb] = target;
          minBucket = nb;
          if (target !== -1) bPrev[target] = nb;
          target = nb;
        }
      }
      // Append id to bucket target.
      const last = bLast[target];
      rec[r] = last;
      rec[r + 1] = -1;
      if (last !== -1) rec[4 * last + 1] = id;
      else bFirst[target] = id;
      bLast[target] = id;
      rec[r + 2] = target;
    }
    this.freeBucket = freeBucket;
    this.minBucket = minBucket;
    this.used = used;
    return hits;
  }

  /** Frequency of a cached id (0 if not cached); for tests and the step mode. */
  frequency(id: number): number {
    const b = this.rec[4 * id + 2];
    return b === -1 ? 0 : this.bFreq[b];
  }

  contents(): number[] {
    const out: number[] = [];
    for (let b = this.minBucket; b !== -1; b = this.bNext[b]) {
      for (let id = this.bFirst[b]; id !== -1; id = this.rec[4 * id + 1]) out.push(id);
    }
    return out;
  }

  private promote(id: number, b: number): void {
    const f = this.bFreq[b] + 1;
    let target = this.bNext[b];
    if (this.bFirst[b] === id && this.bLast[b] === id && (target === -1 || this.bFreq[target] !== f)) {
      // The object is alone in its bucket and no bucket holds f yet: moving it to a new bucket
      // for f in b's place and freeing b is the same as renumbering b.
      this.bFreq[b] = f;
      return;
    }
    if (target === -1 || this.bFreq[target] !== f) target = this.newBucket(f, b, target);
    this.unlink(id, b);
    this.append(id, target);
  }

  private drop(id: number): void {
    this.unlink(id, this.rec[4 * id + 2]);
    this.rec[4 * id + 2] = -1;
    this.used -= this.weightAt(id);
  }

  private append(id: number, b: number): void {
    const rec = this.rec;
    const last = this.bLast[b];
    rec[4 * id] = last;
    rec[4 * id + 1] = -1;
    if (last !== -1) rec[4 * last + 1] = id;
    else this.bFirst[b] = id;
    this.bLast[b] = id;
    this.rec[4 * id + 2] = b;
  }

  /** Removes id from bucket b and frees the bucket when it becomes empty. */
  private unlink(id: number, b: number): void {
    const rec = this.rec;
    const p = rec[4 * id];
    const n = rec[4 * id + 1];
    if (p !== -1) rec[4 * p + 1] = n;
    else this.bFirst[b] = n;
    if (n !== -1) rec[4 * n] = p;
    else this.bLast[b] = p;
    if (this.bFirst[b] === -1) this.freeBucketAt(b);
  }

  private newBucket(freq: number, after: number, before: number): number {
    const b = this.freeBucket;
    this.freeBucket = this.bNext[b];
    this.bFreq[b] = freq;
    this.bFirst[b] = -1;
    this.bLast[b] = -1;
    this.bPrev[b] = after;
    this.bNext[b] = before;
    if (after !== -1) this.bNext[after] = b;
    else this.minBucket = b;
    if (before !== -1) this.bPrev[before] = b;
    return b;
  }

  private freeBucketAt(b: number): void {
    const p = this.bPrev[b];
    const n = this.bNext[b];
    if (p !== -1) this.bNext[p] = n;
    else this.minBucket = n;
    if (n !== -1) this.bPrev[n] = p;
    this.bNext[b] = this.freeBucket;
    this.freeBucket = b;
  }
}

export const createLfu = (config: PolicyConfig): LfuPolicy => new LfuPolicy(config);
