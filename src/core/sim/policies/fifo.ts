/**
 * FIFO: evict the object admitted longest ago; hits change nothing.
 *
 * Layout (for speed, see docs/sim-speed.md): a cached object owns a slot; the queue's links are
 * per slot, in arrays as small as the cache. The only per-id array is `slotOf` (-1 when not
 * cached), which is all a hit reads.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { freeSlotStack, slotCount } from './_slots';

export class FifoPolicy extends BasePolicy {
  readonly name = 'fifo';
  /** Slot of each id, -1 when not cached. */
  private readonly slotOf: Int32Array;
  /** Per slot: its id and the queue links (prev: newer, next: older). */
  private readonly idAt: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  /** Free slots, a stack: free[0..freeTop-1]. */
  private readonly free: Int32Array;
  private freeTop: number;
  /** Newest and oldest slots, -1 when empty. */
  private head = -1;
  private tail = -1;

  constructor(config: PolicyConfig) {
    super(config);
    const slots = slotCount(config);
    this.slotOf = new Int32Array(config.idSpace).fill(-1);
    this.idAt = new Int32Array(slots);
    this.prev = new Int32Array(slots);
    this.next = new Int32Array(slots);
    this.free = freeSlotStack(slots);
    this.freeTop = slots;
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const s = this.slotOf[id];
    if (s !== -1) {
      const expiry = this.expiry;
      if (expiry === null || !(expiry[id] < time)) return true;
      this.drop(s);
    }
    const w = this.bytes ? size : 1;
    const capacity = this.capacity;
    if (w > capacity) return false;
    while (this.used + w > capacity) {
      const victim = this.idAt[this.tail];
      this.drop(this.tail);
      if (this.onEvict !== undefined) this.onEvict(victim);
    }
    const slot = this.free[--this.freeTop];
    const h = this.head;
    this.idAt[slot] = id;
    this.slotOf[id] = slot;
    this.prev[slot] = -1;
    this.next[slot] = h;
    if (h !== -1) this.prev[h] = slot;
    else this.tail = slot;
    this.head = slot;
    if (this.weights !== null) this.weights[id] = w;
    this.used += w;
    if (this.expiry !== null || expiresAt !== Infinity) this.setExpiry(id, expiresAt);
    return false;
  }

  /**
   * The runner's plain-trace fast path (every request of size 1, no TTL): the same algorithm as
   * `access`, with the whole loop and all state in locals. Returns the number of hits.
   */
  replayPlain(ids: Int32Array, n: number, start: number): number {
    if (!this.plainReplayable()) return this.replayByAccess(ids, n, start);
    const slotOf = this.slotOf, idAt = this.idAt, prev = this.prev, next = this.next;
    const capacity = this.capacity;
    let head = this.head, tail = this.tail, used = this.used;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (slotOf[id] !== -1) {
        hits++;
        continue;
      }
      let slot: number;
      if (used + 1 > capacity) {
        // Evict the tail and reuse its slot for the newcomer.
        slot = tail;
        const p = prev[slot];
        tail = p;
        if (p !== -1) next[p] = -1;
        else head = -1;
        slotOf[idAt[slot]] = -1;
      } else {
        slot = this.free[--this.freeTop];
        used++;
      }
      idAt[slot] = id;
      slotOf[id] = slot;
      prev[slot] = -1;
      next[slot] = head;
      if (head !== -1) prev[head] = slot;
      else tail = slot;
      head = slot;
    }
    this.head = head;
    this.tail = tail;
    this.used = used;
    return hits;
  }

  contents(): number[] {
    const out: number[] = [];
    for (let s = this.head; s !== -1; s = this.next[s]) out.push(this.idAt[s]);
    return out;
  }

  private drop(s: number): void {
    const p = this.prev[s];
    const x = this.next[s];
    if (p !== -1) this.next[p] = x;
    else this.head = x;
    if (x !== -1) this.prev[x] = p;
    else this.tail = p;
    const id = this.idAt[s];
    this.slotOf[id] = -1;
    this.free[this.freeTop++] = s;
    this.used -= this.weights === null ? 1 : this.weights[id];
  }
}

export const createFifo = (config: PolicyConfig): FifoPolicy => new FifoPolicy(config);
