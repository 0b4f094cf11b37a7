/**
 * SIEVE (Zhang et al., NSDI'24): a FIFO queue with a visited bit and a hand. New objects enter
 * at the head; a hit only sets the bit. To evict, the hand walks from where it stopped toward
 * the head (wrapping to the tail), clearing set bits, and evicts the first unvisited object;
 * the hand then rests on the next newer object. Survivors stay in place (no reinsertion), which
 * is what separates SIEVE from CLOCK.
 *
 * Layout (for speed, see docs/sim-speed.md): a hit reads and writes one byte per id (`state`:
 * 0 not cached, 1 cached, 2 cached and visited), so the hot part of the hit path is a small
 * array. A cached object owns a slot, and the queue's links are per slot, in arrays as small as
 * the cache, so that the hand's walk stays in L1/L2. The id -> slot index (`slotOf`) is only
 * needed to remove an expired object, so it is built when the first TTL arrives.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { freeSlotStack, slotCount } from './_slots';

const ABSENT = 0;
const CACHED = 1;
const VISITED = 2;

export class SievePolicy extends BasePolicy {
  readonly name = 'sieve';
  /** Per id: ABSENT, CACHED or VISITED. */
  private readonly state: Uint8Array;
  /** Per slot: its id and the queue links (prev: newer, next: older). */
  private readonly idAt: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  /** Free slots, a stack: free[0..freeTop-1]. */
  private readonly free: Int32Array;
  private freeTop: number;
  /** Slot of each cached id; null until the trace carries a TTL (it exists exactly when `expiry` does). */
  private slotOf: Int32Array | null = null;
  /** Newest and oldest slots, and the hand (a slot), -1 when none. */
  private head = -1;
  private tail = -1;
  private hand = -1;

  constructor(config: PolicyConfig) {
    super(config);
    const slots = slotCount(config);
    this.state = new Uint8Array(config.idSpace);
    this.idAt = new Int32Array(slots);
    this.prev = new Int32Array(slots);
    this.next = new Int32Array(slots);
    this.free = freeSlotStack(slots);
    this.freeTop = slots;
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    if (this.state[id] !== ABSENT) {
      const expiry = this.expiry;
      if (expiry === null || !(expiry[id] < time)) {
        this.state[id] = VISITED;
        return true;
      }
      this.drop((this.slotOf as Int32Array)[id]);
    }
    const w = this.bytes ? size : 1;
    const capacity = this.capacity;
    if (w > capacity) return false;
    while (this.used + w > capacity) this.evictOne();
    this.admit(id, w);
    if (this.expiry !== null || expiresAt !== Infinity) {
      if (this.slotOf === null) this.indexSlots();
      this.setExpiry(id, expiresAt);
    }
    return false;
  }

  /**
   * The runner's plain-trace fast path (every request of size 1, no TTL): the same algorithm as
   * `access`, with the whole loop and all state in locals. Returns the number of hits.
   */
  replayPlain(ids: Int32Array, n: number, start: number): number {
    if (!this.plainReplayable()) return this.replayByAccess(ids, n, start);
    const state = this.state, idAt = this.idAt, prev = this.prev, next = this.next;
    const capacity = this.capacity;
    let head = this.head, tail = this.tail, hand = this.hand, used = this.used;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (state[id] !== ABSENT) {
        state[id] = VISITED;
        hits++;
        continue;
      }
      let slot: number;
      if (used + 1 > capacity) {
        // Evict: walk toward the head clearing visited bits, wrapping to the tail.
        let o = hand !== -1 ? hand : tail;
        let oid = idAt[o];
        while (state[oid] === VISITED) {
          state[oid] = CACHED;
          o = prev[o];
          if (o === -1) o = tail;
          oid = idAt[o];
        }
        // The hand rests on the next newer object; unlink the victim and reuse its slot.
        const p = prev[o];
        const x = next[o];
        hand = p;
        if (p !== -1) next[p] = x;
        else head = x;
        if (x !== -1) prev[x] = p;
        else tail = p;
        state[oid] = ABSENT;
        slot = o;
      } else {
        slot = this.free[--this.freeTop];
        used++;
      }
      idAt[slot] = id;
      state[id] = CACHED;
      prev[slot] = -1;
      next[slot] = head;
      if (head !== -1) prev[head] = slot;
      else tail = slot;
      head = slot;
    }
    this.head = head;
    this.tail = tail;
    this.hand = hand;
    this.used = used;
    return hits;
  }

  contents(): number[] {
    const out: number[] = [];
    for (let s = this.head; s !== -1; s = this.next[s]) out.push(this.idAt[s]);
    return out;
  }

  private admit(id: number, w: number): void {
    const slot = this.free[--this.freeTop];
    const h = this.head;
    this.idAt[slot] = id;
    this.state[id] = CACHED;
    if (this.slotOf !== null) this.slotOf[id] = slot;
    this.prev[slot] = -1;
    this.next[slot] = h;
    if (h !== -1) this.prev[h] = slot;
    else this.tail = slot;
    this.head = slot;
    if (this.weights !== null) this.weights[id] = w;
    this.used += w;
  }

  private evictOne(): void {
    const state = this.state;
    const prev = this.prev;
    let o = this.hand !== -1 ? this.hand : this.tail;
    // Walk toward the head clearing visited bits; prev[o] is the next newer slot.
    while (state[this.idAt[o]] === VISITED) {
      state[this.idAt[o]] = CACHED;
      o = prev[o];
      if (o === -1) o = this.tail;
    }
    const id = this.idAt[o];
    // Parking the hand on the victim lets drop() advance it to the next newer object.
    this.hand = o;
    this.drop(o);
    if (this.onEvict !== undefined) this.onEvict(id);
  }

  /** Removes the object in slot s; the hand, if on it, moves on to the next newer object. */
  private drop(s: number): void {
    const p = this.prev[s];
    const x = this.next[s];
    if (this.hand === s) this.hand = p;
    if (p !== -1) this.next[p] = x;
    else this.head = x;
    if (x !== -1) this.prev[x] = p;
    else this.tail = p;
    const id = this.idAt[s];
    this.state[id] = ABSENT;
    this.free[this.freeTop++] = s;
    this.used -= this.weights === null ? 1 : this.weights[id];
  }

  /** Builds the id -> slot index, needed from the first TTL on to remove expired objects. */
  private indexSlots(): void {
    const slotOf = new Int32Array(this.idSpace).fill(-1);
    for (let s = this.head; s !== -1; s = this.next[s]) slotOf[this.idAt[s]] = s;
    this.slotOf = slotOf;
  }
}

export const createSieve = (config: PolicyConfig): SievePolicy => new SievePolicy(config);
