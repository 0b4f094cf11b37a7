/**
 * FIFO: evict the object admitted longest ago; hits change nothing.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { DList, Links } from './_dlist';

/** The tag of FIFO's only list in the shared records. */
const FIFO_TAG = 1;

export class FifoPolicy extends BasePolicy {
  readonly name = 'fifo';
  /** The Links records, read directly on the hit path: [prev, next, tag, unused]. */
  private readonly rec: Int32Array;
  private readonly list: DList;

  constructor(config: PolicyConfig) {
    super(config);
    const links = new Links(config.idSpace);
    this.rec = links.rec;
    this.list = new DList(links, FIFO_TAG);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const rec = this.rec;
    const r = 4 * id;
    if (rec[r + 2] !== 0) {
      const expiry = this.expiry;
      if (expiry === null || !(expiry[id] < time)) return true;
      this.drop(id);
    }
    const w = this.bytes ? size : 1;
    const capacity = this.capacity;
    if (w > capacity) return false;
    const list = this.list;
    // The list operations are written out: a FIFO does all its work on misses, and evicting
    // always takes the tail, which needs no general unlink.
    while (this.used + w > capacity) {
      const victim = list.tail;
      const v = 4 * victim;
      const newer = rec[v];
      if (newer !== -1) rec[4 * newer + 1] = -1;
      else list.head = -1;
      list.tail = newer;
      rec[v + 2] = 0;
      const vw = this.weights === null ? 1 : this.weights[victim];
      list.count--;
      list.weight -= vw;
      this.used -= vw;
      if (this.onEvict !== undefined) this.onEvict(victim);
    }
    const h = list.head;
    rec[r] = -1;
    rec[r + 1] = h;
    rec[r + 2] = FIFO_TAG;
    if (h !== -1) rec[4 * h] = id;
    else list.tail = id;
    list.head = id;
    list.count++;
    list.weight += w;
    if (this.weights !== null) this.weights[id] = w;
    this.used += w;
    if (this.expiry !== null || expiresAt !== Infinity) this.setExpiry(id, expiresAt);
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
