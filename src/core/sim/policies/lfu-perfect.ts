/**
 * Perfect LFU: request counts are kept for every object ever seen, cached or not, so the cache
 * converges to the most popular objects (the static top-C cache under IRM). On a miss the
 * newcomer (its count already incremented) replaces the least counted cached object only if its
 * count is at least as high; otherwise it is not admitted. Ties go to the object that reached
 * the count most recently, i.e. LRU among equals. The cached set is an indexed min-heap on
 * (count, moment the count was reached): O(log C) per request.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { IdHeap } from './_heap';

export class LfuPerfectPolicy extends BasePolicy {
  readonly name = 'lfu-perfect';
  private readonly counts: Float64Array;
  private readonly heap: IdHeap;
  private seq = 0;

  constructor(config: PolicyConfig) {
    super(config);
    this.counts = new Float64Array(config.idSpace);
    this.heap = new IdHeap(config.idSpace, config.bytes ? config.idSpace : Math.floor(config.capacity));
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
    heap.key[id] = c;
    heap.tie[id] = this.seq++;
    heap.push(id);
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    return false;
  }

  contents(): number[] {
    return this.heap.ids();
  }

  private drop(id: number): void {
    this.heap.remove(id);
    this.used -= this.weightAt(id);
  }
}

export const createLfuPerfect = (config: PolicyConfig): LfuPerfectPolicy => new LfuPerfectPolicy(config);
