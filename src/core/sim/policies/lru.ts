/**
 * LRU: evict the least recently used object. One intrusive list, newest at the head; a hit
 * moves the object to the head, eviction takes the tail. The list operations are written out
 * here rather than going through DList because LRU is the baseline every benchmark runs first
 * and the hit path is only a handful of array writes.
 *
 * The links are indexed by id (not by slot as in FIFO and SIEVE): a hit touches the links of
 * the object and of its neighbours, and ids that are popular tend to be small (dense ids are
 * handed out in order of first appearance), so id-indexed links keep the hot part of the list
 * in few cache lines. See docs/sim-speed.md.
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy } from './_base';

const ABSENT = -2;

export class LruPolicy extends BasePolicy {
  readonly name = 'lru';
  /** prev of id at 2*id, next at 2*id+1; prev = ABSENT when not cached. */
  private readonly link: Int32Array;
  private head = -1;
  private tail = -1;

  constructor(config: PolicyConfig) {
    super(config);
    this.link = new Int32Array(2 * config.idSpace).fill(ABSENT);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const link = this.link;
    const p = link[2 * id];
    if (p !== ABSENT) {
      if (!this.isExpired(id, time)) {
        if (p !== -1) {
          // Unlink, then relink at the head (id is not the head, so the head exists).
          const n = link[2 * id + 1];
          link[2 * p + 1] = n;
          if (n !== -1) link[2 * n] = p;
          else this.tail = p;
          const h = this.head;
          link[2 * id] = -1;
          link[2 * id + 1] = h;
          link[2 * h] = id;
          this.head = id;
        }
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      const victim = this.tail;
      this.drop(victim);
      this.notifyEvict(victim);
    }
    const h = this.head;
    link[2 * id] = -1;
    link[2 * id + 1] = h;
    if (h !== -1) link[2 * h] = id;
    else this.tail = id;
    this.head = id;
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    return false;
  }

  /**
   * The runner's plain-trace fast path (every request of size 1, no TTL): the same algorithm as
   * `access`, with the whole loop and all state in locals. Returns the number of hits.
   */
  replayPlain(ids: Int32Array, n: number, start: number): number {
    if (!this.plainReplayable()) return this.replayByAccess(ids, n, start);
    const link = this.link;
    const capacity = this.capacity;
    let head = this.head, tail = this.tail, used = this.used;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      const p = link[2 * id];
      if (p !== ABSENT) {
        hits++;
        if (p === -1) continue;
        // Unlink (id is not the head, so p exists).
        const x = link[2 * id + 1];
        link[2 * p + 1] = x;
        if (x !== -1) link[2 * x] = p;
        else tail = p;
      } else if (used + 1 > capacity) {
        // Evict the tail (used stays the same).
        const victim = tail;
        const vp = link[2 * victim];
        tail = vp;
        if (vp !== -1) link[2 * vp + 1] = -1;
        else head = -1;
        link[2 * victim] = ABSENT;
      } else {
        used++;
      }
      // Link id at the head.
      link[2 * id] = -1;
      link[2 * id + 1] = head;
      if (head !== -1) link[2 * head] = id;
      else tail = id;
      head = id;
    }
    this.head = head;
    this.tail = tail;
    this.used = used;
    return hits;
  }

  contents(): number[] {
    const out: number[] = [];
    for (let id = this.head; id !== -1; id = this.link[2 * id + 1]) out.push(id);
    return out;
  }

  private drop(id: number): void {
    const link = this.link;
    const p = link[2 * id];
    const n = link[2 * id + 1];
    if (p !== -1) link[2 * p + 1] = n;
    else this.head = n;
    if (n !== -1) link[2 * n] = p;
    else this.tail = p;
    link[2 * id] = ABSENT;
    this.used -= this.weightAt(id);
  }
}

export const createLru = (config: PolicyConfig): LruPolicy => new LruPolicy(config);
