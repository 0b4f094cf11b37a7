/**
 * Perfect LFU: request counts are kept for every object ever seen, cached or not, so the cache
 * converges to the most popular objects (the static top-C cache under IRM). On a miss the
 * newcomer (its count already incremented) replaces the least counted cached object only if its
 * count is at least as high; otherwise it is not admitted. Ties go to the object that reached
 * the count most recently, i.e. LRU among equals. The cached set is an indexed min-heap on
 * (count, moment the count was reached): O(log C) per request.
 */
import type { PolicyConfig } from '../policy';
import { HeapPolicy } from './_heapPolicy';

export class LfuPerfectPolicy extends HeapPolicy {
  readonly name = 'lfu-perfect';
  private readonly counts: Float64Array;

  constructor(config: PolicyConfig) {
    super(config);
    this.counts = new Float64Array(config.idSpace);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const heap = this.heap;
    const c = ++this.counts[id];
    if (heap.has(id)) {
      if (!this.isExpired(id, time)) {
        heap.key[id] = c;
        heap.tie[id] = this.seq++;
        heap.update(id);
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      const victim = heap.top();
      if (heap.key[victim] > c) return false;
      this.drop(victim);
      this.notifyEvict(victim);
    }
    this.admit(id, c, w, expiresAt);
    return false;
  }
}

export const createLfuPerfect = (config: PolicyConfig): LfuPerfectPolicy => new LfuPerfectPolicy(config);
