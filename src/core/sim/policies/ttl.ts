/**
 * TTL: evict the object that expires soonest (already expired ones first); objects without a
 * TTL are evicted last, oldest admitted first among them and among equal expiry times.
 * An indexed min-heap on (expiry, admission order).
 */
import type { PolicyConfig } from '../policy';
import { HeapPolicy } from './_heapPolicy';

export class TtlPolicy extends HeapPolicy {
  readonly name = 'ttl';

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
    this.admit(id, expiresAt, w, expiresAt);
    return false;
  }
}

export const createTtl = (config: PolicyConfig): TtlPolicy => new TtlPolicy(config);
