/**
 * TTL: evict the object that expires soonest (already expired ones first); objects without a
 * TTL are evicted last, oldest admitted first among them and among equal expiry times.
 * An indexed min-heap on (expiry, admission order).
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { IdHeap } from './_heap';

export class TtlPolicy extends BasePolicy {
  readonly name = 'ttl';
  private readonly heap: IdHeap;
  private seq = 0;

  constructor(config: PolicyConfig) {
    super(config);
    this.heap = new IdHeap(config.idSpace, config.bytes ? config.idSpace : Math.floor(config.capacity));
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const heap = this.heap;
    if (heap.has(id)) {
      if (!this.isExpired(id, time)) return true;
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      const victim = heap.pop();
      this.used -= this.weightAt(victim);
      this.notifyEvict(victim);
    }
    heap.key[id] = expiresAt;
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

export const createTtl = (config: PolicyConfig): TtlPolicy => new TtlPolicy(config);
