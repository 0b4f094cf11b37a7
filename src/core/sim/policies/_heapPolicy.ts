/**
 * The shared half of the policies that keep their cache in an indexed min-heap (ttl, opt,
 * lfu-perfect): the heap sized for the capacity, admission of an id with its priority key
 * (smallest evicted first; ties by admission order), removal, and the contents.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { IdHeap } from './_heap';

export abstract class HeapPolicy extends BasePolicy {
  protected readonly heap: IdHeap;
  protected seq = 0;

  constructor(config: PolicyConfig) {
    super(config);
    this.heap = new IdHeap(config.idSpace, config.bytes ? config.idSpace : Math.floor(config.capacity));
  }

  /** Caches `id` with priority `key` and weight `w`; the caller has made room for it. */
  protected admit(id: number, key: number, w: number, expiresAt: number): void {
    const heap = this.heap;
    heap.key[id] = key;
    heap.tie[id] = this.seq++;
    heap.push(id);
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
  }

  protected drop(id: number): void {
    this.heap.remove(id);
    this.used -= this.weightAt(id);
  }

  contents(): number[] {
    return this.heap.ids();
  }
}
