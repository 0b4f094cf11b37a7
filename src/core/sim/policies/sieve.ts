/**
 * SIEVE (Zhang et al., NSDI'24): a FIFO queue with a visited bit and a hand. New objects enter
 * at the head; a hit only sets the bit. To evict, the hand walks from where it stopped toward
 * the head (wrapping to the tail), clearing set bits, and evicts the first unvisited object;
 * the hand then rests on the next newer object. Survivors stay in place (no reinsertion), which
 * is what separates SIEVE from CLOCK.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { DList, Links } from './_dlist';

export class SievePolicy extends BasePolicy {
  readonly name = 'sieve';
  private readonly links: Links;
  /** The Links records, read directly on the hit path: [prev, next, tag, visited]. */
  private readonly rec: Int32Array;
  private readonly list: DList;
  private hand = -1;

  constructor(config: PolicyConfig) {
    super(config);
    this.links = new Links(config.idSpace);
    this.rec = this.links.rec;
    this.list = new DList(this.links, 1);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const rec = this.rec;
    if (rec[4 * id + 2] !== 0) {
      if (!this.isExpired(id, time)) {
        rec[4 * id + 3] = 1;
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) this.evictOne();
    rec[4 * id + 3] = 0;
    this.list.pushFront(id, w);
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    return false;
  }

  contents(): number[] {
    return this.list.toArray();
  }

  private evictOne(): void {
    const list = this.list;
    const links = this.links;
    let o = this.hand !== -1 ? this.hand : list.tail;
    while (links.aux(o) === 1) {
      links.setAux(o, 0);
      o = list.newer(o);
      if (o === -1) o = list.tail;
    }
    // Parking the hand on the victim lets drop() advance it to the next newer object.
    this.hand = o;
    this.drop(o);
    this.notifyEvict(o);
  }

  private drop(id: number): void {
    // The hand must never point at a removed object: it moves on to the next newer one.
    if (this.hand === id) this.hand = this.list.newer(id);
    const w = this.weightAt(id);
    this.list.remove(id, w);
    this.used -= w;
  }
}

export const createSieve = (config: PolicyConfig): SievePolicy => new SievePolicy(config);
