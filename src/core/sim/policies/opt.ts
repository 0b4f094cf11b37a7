/**
 * OPT (Belady's MIN with bypass): evict the cached object whose next request is farthest in
 * the future, using each request's `nextAccess`. A newcomer that would itself be the farthest is
 * not admitted at all, which makes OPT optimal against every policy here, including those that
 * refuse admissions (W-TinyLFU, lfu-perfect, noeviction); libCacheSim's Belady always admits.
 * Knob: `bypass` (1 default, 0 = always admit as libCacheSim does).
 * With byte capacities this is a heuristic (exact optimality there is NP-hard).
 * An indexed heap on -nextAccess: O(log C) per request.
 */
import type { PolicyConfig } from '../policy';
import { param } from './_base';
import { HeapPolicy } from './_heapPolicy';

export class OptPolicy extends HeapPolicy {
  readonly name = 'opt';
  private readonly bypass: boolean;

  constructor(config: PolicyConfig) {
    super(config);
    this.bypass = param(config, 'bypass', 1, 0, 1) === 1;
  }

  access(id: number, size: number, time: number, expiresAt: number, nextAccess: number): boolean {
    const heap = this.heap;
    if (heap.has(id)) {
      if (!this.isExpired(id, time)) {
        heap.key[id] = -nextAccess;
        heap.update(id);
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      const victim = heap.top();
      // Keys are negated: a smaller key is a later next access.
      if (this.bypass && -heap.key[victim] <= nextAccess) return false;
      this.drop(victim);
      this.notifyEvict(victim);
    }
    this.admit(id, -nextAccess, w, expiresAt);
    return false;
  }
}

export const createOpt = (config: PolicyConfig): OptPolicy => new OptPolicy(config);
