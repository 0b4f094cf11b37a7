/**
 * ARC (Megiddo & Modha, FAST'03). T1 holds objects seen once recently, T2 objects seen at
 * least twice; B1 and B2 are ghost lists of ids recently evicted from T1 and T2. A ghost hit in
 * B1 grows the target size p of T1, one in B2 shrinks it; REPLACE evicts from T1 when T1 is
 * above p (or at p on a B2 hit), else from T2. In object mode this is the paper's algorithm
 * step for step; with byte capacities every size is counted in bytes and p moves by the
 * object's size times the paper's step.
 *
 * Layout (for speed, see docs/sim-speed.md): the only per-id state is one int32, `where`: the
 * id's T2 slot (>= 0), NONE, its T1 slot (T1_BASE - slot), or a ghost code naming the list and a
 * sequence number. A request reads it first; for a missing id it is the one cold read no layout
 * avoids, and at 4 bytes per id it costs half what an 8-byte entry costs. T1 and T2 live in
 * slots (`_slots.ts`): each list's ids and links are in arrays as small as the cache, so a T2
 * hit, moving its slot to the head, touches only those and the id's `where` (which a hit does
 * not write). A ghost list is a ring of ids in arrival order, any entry removable on a ghost hit. An id's
 * ghost code holds the sequence number its entry got when pushed (the ring slot is that number
 * masked); forgetting the oldest entries only advances the list's tail, so a code is live
 * exactly when its sequence number is at or past the tail: a ghost check is one comparison
 * with a number in a register, not a read of the ring. (An entry removed by a ghost hit always
 * gets its id's code rewritten, so no code points at a hole.)
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { IdRing } from './_ghost';
import { freeSlotStack, slotCount } from './_slots';

/** Which list: the values `miss` and `replace` take. */
const B1 = 3;
const B2 = 4;
/** `where` for an id in no list; an id in T2 has its T2 slot there (>= 0). */
const NONE = -1;
/** T1_BASE - slot for an id in T1; ghost codes follow below the last slot's (see ghostBase). */
const T1_BASE = -2;
/** Requests whose states replayPlain reads ahead in one go (see the pre-pass there). */
const PREFETCH_BLOCK = 64;

/** Ghost codes hold ghostBase - (2 * sequence + list) in an int32, so sequence numbers are rebased before they pass this. */
function seqLimitFor(ghostBase: number): number {
  return Math.floor((2 ** 31 + ghostBase - 1) / 2) - 1;
}

/**
 * One ghost list: an IdRing (`_ghost.ts`) whose entries' sequence numbers are kept in the ids'
 * `where` codes, with the limit at which they are rebased.
 */
class GhostRing extends IdRing {
  /** When head reaches this, the sequence numbers are rebased (see ArcPolicy.rebase). */
  readonly seqLimit: number;

  constructor(maxEntries: number, bytes: boolean, seqLimit: number, hardLimit: number) {
    // At most 2^28 slots: after a rebase head stays below 2^29, under the limit of any id space that fits in memory.
    super(maxEntries, bytes, 1 << 28);
    // A rebase leaves head below twice the ring's size; the limit must stay above that.
    this.seqLimit = Math.min(hardLimit, Math.max(seqLimit, 4 * (this.mask + 1)));
  }
}

export class ArcPolicy extends BasePolicy {
  /**
   * The sequence number at which a ghost list's numbers are rebased. Only tests lower it, to
   * reach the rebase on short traces; set it before constructing the policy.
   */
  static seqLimit = Infinity;
  readonly name = 'arc';
  /**
   * Per id: its T2 slot (>= 0), NONE, T1_BASE - its T1 slot, or ghostBase - (2 * seq + (B2 ? 1 :
   * 0)) when a ghost (live while seq >= that list's tail, stale after).
   */
  private readonly where: Int32Array;
  /** The highest ghost code: T1_BASE - (number of T1 slots). */
  private readonly ghostBase: number;
  /** Each list in slots: per slot its id and links (link[2s]: newer, link[2s+1]: older, -1 at the ends). */
  private readonly t1Id: Int32Array;
  private readonly t1Link: Int32Array;
  private readonly t1Free: Int32Array;
  private t1FreeTop: number;
  private readonly t2Id: Int32Array;
  private readonly t2Link: Int32Array;
  private readonly t2Free: Int32Array;
  private t2FreeTop: number;
  /** Each list's newest and oldest slots; -1 when empty. */
  private t1Head = -1;
  private t1Tail = -1;
  private t1Count = 0;
  private t1Weight = 0;
  private t2Head = -1;
  private t2Tail = -1;
  private t2Count = 0;
  private t2Weight = 0;
  private readonly b1: GhostRing;
  private readonly b2: GhostRing;
  /** Target size of T1. */
  private p = 0;
  /** Where replayPlain's pre-pass leaves the OR of the states it touched, so the loads are not optimised away. */
  private touched = 0;

  constructor(config: PolicyConfig) {
    super(config);
    this.where = new Int32Array(config.idSpace).fill(NONE);
    const slots = slotCount(config);
    this.ghostBase = T1_BASE - slots;
    this.t1Id = new Int32Array(slots);
    this.t1Link = new Int32Array(2 * slots);
    this.t1Free = freeSlotStack(slots);
    this.t1FreeTop = slots;
    this.t2Id = new Int32Array(slots);
    this.t2Link = new Int32Array(2 * slots);
    this.t2Free = freeSlotStack(slots);
    this.t2FreeTop = slots;
    // |T1| + |B1| <= c and the four lists together hold at most 2c objects.
    const maxGhosts = Math.min(config.idSpace, Math.ceil(2 * config.capacity));
    const hardLimit = seqLimitFor(this.ghostBase);
    this.b1 = new GhostRing(maxGhosts, config.bytes, ArcPolicy.seqLimit, hardLimit);
    this.b2 = new GhostRing(maxGhosts, config.bytes, ArcPolicy.seqLimit, hardLimit);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const v = this.where[id];
    if (v >= 0 || (v > this.ghostBase && v !== NONE)) {
      const expiry = this.expiry;
      if (expiry === null || !(expiry[id] < time)) {
        // Case I: a hit moves the object to T2's MRU end.
        this.hit(id, v);
        return true;
      }
      this.drop(id);
      return this.miss(id, size, 0, expiresAt);
    }
    return this.miss(id, size, this.ghostOf(v), expiresAt);
  }

  /**
   * The runner's plain-trace fast path (every request of size 1, no TTL): the same algorithm as
   * `access`, with the whole loop (cases I to IV) written out on locals.
   */
  replayPlain(ids: Int32Array, n: number, start: number): number {
    if (!this.plainReplayable()) return this.replayByAccess(ids, n, start);
    // Object mode: every weight is 1, so each list's weight is its count.
    const where = this.where, ghostBase = this.ghostBase, b1 = this.b1, b2 = this.b2;
    // The ghost lists' numbers in locals too (each weight is 1, so a list's weight is its count).
    const b1Ring = b1.ring, b1Mask = b1.mask, b1Limit = b1.seqLimit, b2Ring = b2.ring, b2Mask = b2.mask, b2Limit = b2.seqLimit;
    let b1Head = b1.head, b1Tail = b1.tail, b1Count = b1.count, b2Head = b2.head, b2Tail = b2.tail, b2Count = b2.count;
    const t1Id = this.t1Id, t1Link = this.t1Link, t1Free = this.t1Free;
    const t2Id = this.t2Id, t2Link = this.t2Link, t2Free = this.t2Free;
    const c = this.capacity;
    let t1Head = this.t1Head, t1Tail = this.t1Tail, t1Count = this.t1Count, t1FreeTop = this.t1FreeTop;
    let t2Head = this.t2Head, t2Tail = this.t2Tail, t2Count = this.t2Count, t2FreeTop = this.t2FreeTop;
    let used = this.used, target = this.p;
    let hits = 0;
    let touched = 0;
    for (let blockStart = 0; blockStart < n; blockStart += PREFETCH_BLOCK) {
      const blockEnd = Math.min(n, blockStart + PREFETCH_BLOCK);
      // Read the block's states first: a miss's read of a cold id's state is the largest single
      // cost, and these loads do not depend on each other, so the CPU overlaps them; the loop
      // below then finds the lines in cache (its own reads see every change it makes).
      for (let j = blockStart; j < blockEnd; j++) touched |= where[ids[j]];
      for (let i = blockStart; i < blockEnd; i++) {
        const id = ids[i];
        const v = where[id];
        if (v >= 0) {
          // Case I in T2 (nearly every hit): move slot v to the head.
          hits++;
          if (v === t2Head) continue;
          const p = t2Link[2 * v];
          const x = t2Link[2 * v + 1];
          t2Link[2 * p + 1] = x;
          if (x !== -1) t2Link[2 * x] = p;
          else t2Tail = p;
          t2Link[2 * v] = -1;
          t2Link[2 * v + 1] = t2Head;
          t2Link[2 * t2Head] = v;
          t2Head = v;
          continue;
        }
        if (v > ghostBase && v !== NONE) {
          // Case I in T1: unlink and free the T1 slot, take a T2 slot at T2's head.
          hits++;
          const s = T1_BASE - v;
          const p = t1Link[2 * s];
          const x = t1Link[2 * s + 1];
          if (p !== -1) t1Link[2 * p + 1] = x;
          else t1Head = x;
          if (x !== -1) t1Link[2 * x] = p;
          else t1Tail = p;
          t1Free[t1FreeTop++] = s;
          t1Count--;
          const s2 = t2Free[--t2FreeTop];
          t2Id[s2] = id;
          where[id] = s2;
          t2Link[2 * s2] = -1;
          t2Link[2 * s2 + 1] = t2Head;
          if (t2Head !== -1) t2Link[2 * t2Head] = s2;
          else t2Tail = s2;
          t2Head = s2;
          t2Count++;
          continue;
        }
        // Is it a live ghost? (The code can be stale: compare its sequence number with the tail.)
        let ghost = 0;
        if (v <= ghostBase) {
          const code = ghostBase - v;
          if ((code & 1) === 0) {
            if (code >> 1 >= b1Tail) ghost = B1;
          } else if (code >> 1 >= b2Tail) {
            ghost = B2;
          }
        }
        let toT2 = 0;
        let evict = 0;
        if (ghost !== 0) {
          // Cases II and III: adapt p, forget the ghost, REPLACE, admit to T2.
          if (ghost === B1) {
            target = Math.min(c, target + Math.max(b1Count > 0 ? b2Count / b1Count : 1, 1));
            b1Ring[((ghostBase - v) >> 1) & b1Mask] = -1;
            b1Count--;
          } else {
            target = Math.max(0, target - Math.max(b2Count > 0 ? b1Count / b2Count : 1, 1));
            b2Ring[((ghostBase - v) >> 1) & b2Mask] = -1;
            b2Count--;
          }
          evict = used + 1 > c ? (ghost === B2 ? 2 : 1) : 0;
          toT2 = 1;
        } else if (t1Count + b1Count + 1 > c) {
          // Case IV, T1 and B1 full.
          if (t1Count + 1 <= c) {
            // Forget B1's oldest entries (skipping the holes ghost hits left).
            while (b1Count > 0 && t1Count + b1Count + 1 > c) {
              while (b1Ring[b1Tail & b1Mask] === -1) b1Tail++;
              b1Ring[b1Tail & b1Mask] = -1;
              b1Tail++;
              b1Count--;
            }
            evict = used + 1 > c ? 1 : 0;
          } else if (used + 1 > c) {
            // T1 alone fills the cache: its LRU object leaves without becoming a ghost.
            evict = 3;
          }
        } else {
          while (b2Count > 0 && used + b1Count + b2Count + 1 > 2 * c) {
            while (b2Ring[b2Tail & b2Mask] === -1) b2Tail++;
            b2Ring[b2Tail & b2Mask] = -1;
            b2Tail++;
            b2Count--;
          }
          evict = used + 1 > c ? 1 : 0;
        }
        // The slots the newcomer can take: the victim's (T1 or T2), else a free one.
        let slot1 = -1;
        let slot2 = -1;
        if (evict !== 0) {
          // One eviction makes room (used is at most floor(c)). REPLACE, or T1's LRU when T1 alone fills the cache.
          let fromT1: boolean;
          if (evict === 3) {
            fromT1 = t1Count > 0;
          } else {
            fromT1 = t1Count > 0 && (t1Count > target || (evict === 2 && t1Count === target));
            if (t2Count === 0) fromT1 = true;
          }
          let victim: number;
          if (fromT1) {
            slot1 = t1Tail;
            victim = t1Id[slot1];
            const p = t1Link[2 * slot1];
            if (p !== -1) t1Link[2 * p + 1] = -1;
            else t1Head = -1;
            t1Tail = p;
            t1Count--;
          } else {
            slot2 = t2Tail;
            victim = t2Id[slot2];
            const p = t2Link[2 * slot2];
            if (p !== -1) t2Link[2 * p + 1] = -1;
            else t2Head = -1;
            t2Tail = p;
            t2Count--;
          }
          used--;
          if (evict === 3) {
            where[victim] = NONE;
          } else if (fromT1 && b1Head - b1Tail <= b1Mask && b1Head < b1Limit) {
            b1Ring[b1Head & b1Mask] = victim;
            where[victim] = ghostBase - 2 * b1Head;
            b1Head++;
            b1Count++;
          } else if (!fromT1 && b2Head - b2Tail <= b2Mask && b2Head < b2Limit) {
            b2Ring[b2Head & b2Mask] = victim;
            where[victim] = ghostBase - (2 * b2Head + 1);
            b2Head++;
            b2Count++;
          } else {
            // The ring is full of holes to squeeze out, or the numbers need a rebase: the general push.
            b1.head = b1Head; b1.tail = b1Tail; b1.count = b1Count; b1.weight = b1Count;
            b2.head = b2Head; b2.tail = b2Tail; b2.count = b2Count; b2.weight = b2Count;
            this.push(fromT1 ? b1 : b2, fromT1 ? 0 : 1, victim, 1);
            b1Head = b1.head; b1Tail = b1.tail; b1Count = b1.count;
            b2Head = b2.head; b2Tail = b2.tail; b2Count = b2.count;
          }
        }
        // Admit.
        used++;
        if (toT2 === 1) {
          if (slot1 !== -1) t1Free[t1FreeTop++] = slot1;
          if (slot2 === -1) slot2 = t2Free[--t2FreeTop];
          t2Id[slot2] = id;
          where[id] = slot2;
          t2Link[2 * slot2] = -1;
          t2Link[2 * slot2 + 1] = t2Head;
          if (t2Head !== -1) t2Link[2 * t2Head] = slot2;
          else t2Tail = slot2;
          t2Head = slot2;
          t2Count++;
        } else {
          if (slot2 !== -1) t2Free[t2FreeTop++] = slot2;
          if (slot1 === -1) slot1 = t1Free[--t1FreeTop];
          t1Id[slot1] = id;
          where[id] = T1_BASE - slot1;
          t1Link[2 * slot1] = -1;
          t1Link[2 * slot1 + 1] = t1Head;
          if (t1Head !== -1) t1Link[2 * t1Head] = slot1;
          else t1Tail = slot1;
          t1Head = slot1;
          t1Count++;
        }
      }
    }
    this.touched = touched;
    b1.head = b1Head; b1.tail = b1Tail; b1.count = b1Count; b1.weight = b1Count;
    b2.head = b2Head; b2.tail = b2Tail; b2.count = b2Count; b2.weight = b2Count;
    this.t1Head = t1Head; this.t1Tail = t1Tail; this.t1Count = t1Count; this.t1Weight = t1Count; this.t1FreeTop = t1FreeTop;
    this.t2Head = t2Head; this.t2Tail = t2Tail; this.t2Count = t2Count; this.t2Weight = t2Count; this.t2FreeTop = t2FreeTop;
    this.used = used;
    this.p = target;
    return hits;
  }

  contents(): number[] {
    return [...this.t1Array(), ...this.t2Array()];
  }

  /** Target size of T1 (for tests and the step mode). */
  target(): number {
    return this.p;
  }

  /** The four lists, newest first (for tests and the step mode). */
  lists(): { t1: number[]; t2: number[]; b1: number[]; b2: number[] } {
    return { t1: this.t1Array(), t2: this.t2Array(), b1: this.b1.toArray(), b2: this.b2.toArray() };
  }

  /** B1 or B2 when `v` (the id's `where`) is a live ghost entry, else 0. */
  private ghostOf(v: number): number {
    if (v > this.ghostBase) return 0;
    const code = this.ghostBase - v;
    const ghost = (code & 1) === 0 ? this.b1 : this.b2;
    return code >> 1 >= ghost.tail ? ((code & 1) === 0 ? B1 : B2) : 0;
  }

  /** Case I on a cached id whose `where` is v. */
  private hit(id: number, v: number): void {
    if (v >= 0) {
      if (v === this.t2Head) return;
      this.unlinkT2(v);
      this.linkT2Head(v);
      return;
    }
    const w = this.weights === null ? 1 : this.weights[id];
    this.unlinkT1(T1_BASE - v);
    this.t1Count--;
    this.t1Weight -= w;
    this.t2Count++;
    this.t2Weight += w;
    const s = this.t2Free[--this.t2FreeTop];
    this.t2Id[s] = id;
    this.where[id] = s;
    this.linkT2Head(s);
  }

  /**
   * Cases II to IV. `where` is B1, B2 or 0 (not cached, or just dropped as expired).
   */
  private miss(id: number, size: number, where: number, expiresAt: number): boolean {
    const c = this.capacity;
    const w = this.bytes ? size : 1;
    if (w > c) {
      if (where === B1 || where === B2) this.forget(id);
      return false;
    }
    if (where === B1 || where === B2) {
      // Cases II and III: adapt p toward the list that just proved too short.
      const b1 = this.b1.weight;
      const b2 = this.b2.weight;
      if (where === B1) this.p = Math.min(c, this.p + Math.max(b1 > 0 ? b2 / b1 : 1, 1) * w);
      else this.p = Math.max(0, this.p - Math.max(b2 > 0 ? b1 / b2 : 1, 1) * w);
      this.forget(id);
      while (this.used + w > c) this.replace(where === B2);
      this.admit(id, w, 1, expiresAt);
      return false;
    }
    // Case IV: a complete miss.
    if (this.t1Weight + this.b1.weight + w > c) {
      if (this.t1Weight + w <= c) {
        while (this.b1.count > 0 && this.t1Weight + this.b1.weight + w > c) this.b1.popOldest();
        while (this.used + w > c) this.replace(false);
      } else {
        // T1 alone fills the cache: its LRU object leaves without becoming a ghost.
        while (this.used + w > c) {
          const victim = this.t1Count > 0 ? this.t1Id[this.t1Tail] : this.t2Id[this.t2Tail];
          this.drop(victim);
          if (this.onEvict !== undefined) this.onEvict(victim);
        }
      }
    } else {
      while (this.b2.count > 0 && this.used + this.b1.weight + this.b2.weight + w > 2 * c) {
        this.b2.popOldest();
      }
      while (this.used + w > c) this.replace(false);
    }
    this.admit(id, w, 0, expiresAt);
    return false;
  }

  private admit(id: number, w: number, toT2: number, expiresAt: number): void {
    if (this.weights !== null) this.weights[id] = w;
    this.used += w;
    if (toT2 === 1) {
      const s = this.t2Free[--this.t2FreeTop];
      this.t2Id[s] = id;
      this.where[id] = s;
      this.linkT2Head(s);
      this.t2Count++;
      this.t2Weight += w;
    } else {
      const t1Link = this.t1Link;
      const s = this.t1Free[--this.t1FreeTop];
      const h = this.t1Head;
      this.t1Id[s] = id;
      this.where[id] = T1_BASE - s;
      t1Link[2 * s] = -1;
      t1Link[2 * s + 1] = h;
      if (h !== -1) t1Link[2 * h] = s;
      else this.t1Tail = s;
      this.t1Head = s;
      this.t1Count++;
      this.t1Weight += w;
    }
    if (this.expiry !== null || expiresAt !== Infinity) this.setExpiry(id, expiresAt);
  }

  /** The paper's REPLACE: demote T1's or T2's LRU object into the matching ghost list. */
  private replace(hitInB2: boolean): void {
    const t1 = this.t1Weight;
    let fromT1 = t1 > 0 && (t1 > this.p || (hitInB2 && t1 === this.p));
    if (this.t2Count === 0) fromT1 = true;
    const victim = fromT1 ? this.t1Id[this.t1Tail] : this.t2Id[this.t2Tail];
    const w = this.weights === null ? 1 : this.weights[victim];
    this.drop(victim);
    this.push(fromT1 ? this.b1 : this.b2, fromT1 ? 0 : 1, victim, w);
    if (this.onEvict !== undefined) this.onEvict(victim);
  }

  /** Puts T2 slot s at T2's head (MRU end). */
  private linkT2Head(s: number): void {
    const t2Link = this.t2Link;
    const h = this.t2Head;
    t2Link[2 * s] = -1;
    t2Link[2 * s + 1] = h;
    if (h !== -1) t2Link[2 * h] = s;
    else this.t2Tail = s;
    this.t2Head = s;
  }

  /** Unlinks T2 slot s (it stays taken); counts and weights are the caller's. */
  private unlinkT2(s: number): void {
    const t2Link = this.t2Link;
    const p = t2Link[2 * s];
    const x = t2Link[2 * s + 1];
    if (p !== -1) t2Link[2 * p + 1] = x;
    else this.t2Head = x;
    if (x !== -1) t2Link[2 * x] = p;
    else this.t2Tail = p;
  }

  /** Unlinks slot s from T1 and frees it; counts and weights are the caller's. */
  private unlinkT1(s: number): void {
    const t1Link = this.t1Link;
    const p = t1Link[2 * s];
    const x = t1Link[2 * s + 1];
    if (p !== -1) t1Link[2 * p + 1] = x;
    else this.t1Head = x;
    if (x !== -1) t1Link[2 * x] = p;
    else this.t1Tail = p;
    this.t1Free[this.t1FreeTop++] = s;
  }

  /** Removes a cached id from the cache (not into a ghost list). */
  private drop(id: number): void {
    const w = this.weights === null ? 1 : this.weights[id];
    const v = this.where[id];
    if (v >= 0) {
      this.unlinkT2(v);
      this.t2Free[this.t2FreeTop++] = v;
      this.t2Count--;
      this.t2Weight -= w;
    } else {
      this.unlinkT1(T1_BASE - v);
      this.t1Count--;
      this.t1Weight -= w;
    }
    this.where[id] = NONE;
    this.used -= w;
  }

  private t1Array(): number[] {
    const out: number[] = [];
    for (let s = this.t1Head; s !== -1; s = this.t1Link[2 * s + 1]) out.push(this.t1Id[s]);
    return out;
  }

  private t2Array(): number[] {
    const out: number[] = [];
    for (let s = this.t2Head; s !== -1; s = this.t2Link[2 * s + 1]) out.push(this.t2Id[s]);
    return out;
  }

  private push(g: GhostRing, which: number, id: number, w: number): void {
    if (g.full) {
      g.compact((moved, seq) => { this.where[moved] = this.ghostBase - (2 * seq + which); });
      // Still full of live entries (only possible with zero-size objects): forget the oldest.
      if (g.full) g.popOldest();
    }
    if (g.head >= g.seqLimit) this.rebase(g, which);
    this.where[id] = this.ghostBase - (2 * g.head + which);
    g.append(id, w);
  }

  /** Forgets a ghost hit's id (a live entry of B1 or B2). */
  private forget(id: number): void {
    const code = this.ghostBase - this.where[id];
    const g = (code & 1) === 0 ? this.b1 : this.b2;
    g.removeAt((code >> 1) & g.mask);
    this.where[id] = NONE;
  }

  /**
   * Lowers a ghost list's sequence numbers by a multiple of the ring's size (so every entry keeps
   * its slot) before they outgrow an int32 code. Stale codes of this list would look live again
   * after the shift, so one pass over the ids clears them and shifts the live ones. Runs once
   * per about a billion evictions into the list.
   */
  private rebase(g: GhostRing, which: number): void {
    const shift = g.tail - (g.tail & g.mask);
    const where = this.where;
    const ghostBase = this.ghostBase;
    for (let id = 0; id < where.length; id++) {
      const v = where[id];
      if (v > ghostBase) continue;
      const code = ghostBase - v;
      if ((code & 1) !== which) continue;
      const seq = code >> 1;
      where[id] = seq >= g.tail ? ghostBase - (2 * (seq - shift) + which) : NONE;
    }
    g.tail -= shift;
    g.head -= shift;
  }
}

export const createArc = (config: PolicyConfig): ArcPolicy => new ArcPolicy(config);
