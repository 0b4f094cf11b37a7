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
import { BasePolicy, param } from './_base';
import { IdHeap } from './_heap';

export class OptPolicy extends BasePolicy {
  readonly name = 'opt';
  private readonly heap: IdHeap;
  private readonly bypass: boolean;
  private seq = 0;

  constructor(config: PolicyConfig) {
    super(config);
    this.heap = new IdHeap(config.idSpace, config.bytes ? config.idSpace : Math.floor(config.capacity));
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
    heap.key[id] = -nextAccess;
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

export const createOpt = (config: PolicyConfig): OptPolicy => new OptPolicy(config);
