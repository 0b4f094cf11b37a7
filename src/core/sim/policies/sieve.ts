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

/** The tag of SIEVE's only list in the shared records. */
const SIEVE_TAG = 1;

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
    this.list = new DList(this.links, SIEVE_TAG);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const rec = this.rec;
    const r = 4 * id;
    if (rec[r + 2] !== 0) {
      const expiry = this.expiry;
      if (expiry === null || !(expiry[id] < time)) {
        rec[r + 3] = 1;
        return true;
      }
      this.drop(id);
    }
    const w = this.bytes ? size : 1;
    const capacity = this.capacity;
    if (w > capacity) return false;
    while (this.used + w > capacity) this.evictOne();
    // pushFront written out: the miss path runs on a third of the requests of a typical trace.
    const list = this.list;
    const h = list.head;
    rec[r] = -1;
    rec[r + 1] = h;
    rec[r + 2] = SIEVE_TAG;
    rec[r + 3] = 0;
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

  private evictOne(): void {
    const rec = this.rec;
    const list = this.list;
    let o = this.hand !== -1 ? this.hand : list.tail;
    // Walk toward the head clearing visited bits; rec[4*o] is the next newer id.
    while (rec[4 * o + 3] === 1) {
      rec[4 * o + 3] = 0;
      o = rec[4 * o];
      if (o === -1) o = list.tail;
    }
    // Parking the hand on the victim lets drop() advance it to the next newer object.
    this.hand = o;
    this.drop(o);
    if (this.onEvict !== undefined) this.onEvict(o);
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
