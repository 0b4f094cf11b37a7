/**
 * FIFO: evict the object admitted longest ago; hits change nothing.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { DList, Links } from './_dlist';

export class FifoPolicy extends BasePolicy {
  readonly name = 'fifo';
  /** The Links records, read directly on the hit path: [prev, next, tag, unused]. */
  private readonly rec: Int32Array;
  private readonly list: DList;

  constructor(config: PolicyConfig) {
    super(config);
    const links = new Links(config.idSpace);
    this.rec = links.rec;
    this.list = new DList(links, 1);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    if (this.rec[4 * id + 2] !== 0) {
      if (!this.isExpired(id, time)) return true;
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      const victim = this.list.tail;
      this.drop(victim);
      this.notifyEvict(victim);
    }
    this.list.pushFront(id, w);
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    return false;
  }

  contents(): number[] {
    return this.list.toArray();
  }

  private drop(id: number): void {
    const w = this.weightAt(id);
    this.list.remove(id, w);
    this.used -= w;
  }
}

export const createFifo = (config: PolicyConfig): FifoPolicy => new FifoPolicy(config);
