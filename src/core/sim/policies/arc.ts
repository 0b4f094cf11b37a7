/**
 * ARC (Megiddo & Modha, FAST'03). T1 holds objects seen once recently, T2 objects seen at
 * least twice; B1 and B2 are ghost lists of ids recently evicted from T1 and T2. A ghost hit in
 * B1 grows the target size p of T1, one in B2 shrinks it; REPLACE evicts from T1 when T1 is
 * above p (or at p on a B2 hit), else from T2. In object mode this is the paper's algorithm
 * step for step; with byte capacities every size is counted in bytes and p moves by the
 * object's size times the paper's step.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';
import { DList, Links } from './_dlist';
import { GhostQueue } from './_ghost';

const T1 = 1;
const T2 = 2;
const B1 = 3;
const B2 = 4;

export class ArcPolicy extends BasePolicy {
  readonly name = 'arc';
  private readonly links: Links;
  /** The Links records, read directly on the hit path: [prev, next, tag, aux]. */
  private readonly rec: Int32Array;
  private readonly t1: DList;
  private readonly t2: DList;
  private readonly b1: GhostQueue;
  private readonly b2: GhostQueue;
  /** Target size of T1. */
  private p = 0;

  constructor(config: PolicyConfig) {
    super(config);
    const links = new Links(config.idSpace);
    this.links = links;
    this.rec = links.rec;
    this.t1 = new DList(links, T1);
    this.t2 = new DList(links, T2);
    // |T1| + |B1| <= c and the four lists together hold at most 2c objects.
    const maxGhosts = Math.min(config.idSpace, Math.ceil(2 * config.capacity));
    this.b1 = new GhostQueue(links, B1, maxGhosts, config.bytes);
    this.b2 = new GhostQueue(links, B2, maxGhosts, config.bytes);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const tag = this.rec[4 * id + 2];
    if (tag === T1 || tag === T2) {
      const expiry = this.expiry;
      if (expiry === null || !(expiry[id] < time)) {
        // Case I: a hit moves the object to T2's MRU end.
        if (tag === T1) {
          const w = this.weightAt(id);
          this.t1.remove(id, w);
          this.t2.pushFront(id, w);
        } else {
          this.t2.moveToFront(id);
        }
        return true;
      }
      this.drop(id);
      return this.miss(id, size, 0, expiresAt);
    }
    // A ghost tag can be stale (the ghost queue forgot the id lazily): check the queue.
    let where = tag;
    if ((where === B1 && !this.b1.has(id)) || (where === B2 && !this.b2.has(id))) where = 0;
    return this.miss(id, size, where, expiresAt);
  }

  /**
   * Cases II to IV, kept out of `access` so that the hit path stays small enough to inline
   * into the runner's loop. `where` is B1, B2 or 0 (not cached, or just dropped as expired).
   */
  private miss(id: number, size: number, where: number, expiresAt: number): boolean {
    const c = this.capacity;
    const w = this.weightOf(size);
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
      this.admit(id, w, T2, expiresAt);
      return false;
    }
    // Case IV: a complete miss.
    if (this.t1.weight + this.b1.weight + w > c) {
      if (this.t1.weight + w <= c) {
        while (this.b1.count > 0 && this.t1.weight + this.b1.weight + w > c) this.b1.popOldest();
        while (this.used + w > c) this.replace(false);
      } else {
        // T1 alone fills the cache: its LRU object leaves without becoming a ghost.
        while (this.used + w > c) {
          const victim = this.t1.count > 0 ? this.t1.tail : this.t2.tail;
          this.drop(victim);
          this.notifyEvict(victim);
        }
      }
    } else {
      while (this.b2.count > 0 && this.used + this.b1.weight + this.b2.weight + w > 2 * c) {
        this.b2.popOldest();
      }
      while (this.used + w > c) this.replace(false);
    }
    this.admit(id, w, T1, expiresAt);
    return false;
  }

  contents(): number[] {
    return [...this.t1.toArray(), ...this.t2.toArray()];
  }

  /** Target size of T1 (for tests and the step mode). */
  target(): number {
    return this.p;
  }

  /** The four lists, newest first (for tests and the step mode). */
  lists(): { t1: number[]; t2: number[]; b1: number[]; b2: number[] } {
    return { t1: this.t1.toArray(), t2: this.t2.toArray(), b1: this.b1.toArray(), b2: this.b2.toArray() };
  }

  private admit(id: number, w: number, list: number, expiresAt: number): void {
    this.storeWeight(id, w);
    this.used += w;
    (list === T1 ? this.t1 : this.t2).pushFront(id, w);
    this.setExpiry(id, expiresAt);
  }

  /** The paper's REPLACE: demote T1's or T2's LRU object into the matching ghost list. */
  private replace(hitInB2: boolean): void {
    const t1 = this.t1.weight;
    let fromT1 = t1 > 0 && (t1 > this.p || (hitInB2 && t1 === this.p));
    if (this.t2.count === 0) fromT1 = true;
    const list = fromT1 ? this.t1 : this.t2;
    const ghost = fromT1 ? this.b1 : this.b2;
    const victim = list.tail;
    const w = this.weightAt(victim);
    list.remove(victim, w);
    this.used -= w;
    ghost.push(victim, w);
    this.notifyEvict(victim);
  }

  private forget(id: number): void {
    if (this.links.tag(id) === B1) this.b1.remove(id);
    else this.b2.remove(id);
  }

  private drop(id: number): void {
    const w = this.weightAt(id);
    if (this.links.tag(id) === T1) this.t1.remove(id, w);
    else this.t2.remove(id, w);
    this.used -= w;
  }
}

export const createArc = (config: PolicyConfig): ArcPolicy => new ArcPolicy(config);
