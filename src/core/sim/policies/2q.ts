/**
 * 2Q as libCacheSim's TwoQ (after Johnson & Shasha's full 2Q): A1in, a FIFO holding 25% of the
 * capacity, receives new objects; A1out, a ghost FIFO of ids sized at 50% of the capacity,
 * remembers what A1in evicted; Am, an LRU with the remaining 75%, receives objects requested
 * again while in A1out. A hit in A1in changes nothing (correlated references); a hit in Am
 * refreshes it. Eviction takes A1in's oldest (into A1out) while A1in is over its share, else
 * Am's LRU. An object larger than A1in's share is not admitted.
 * Knobs: `in-ratio` (0.25), `out-ratio` (0.5).
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy, param } from './_base';
import { DList, Links } from './_dlist';
import { GhostQueue } from './_ghost';

const A1IN = 1;
const AM = 2;
const A1OUT = 3;

export class TwoQPolicy extends BasePolicy {
  readonly name = '2q';
  private readonly links: Links;
  private readonly a1in: DList;
  private readonly am: DList;
  private readonly a1out: GhostQueue;
  private readonly inCap: number;
  private readonly outCap: number;
  private readonly amCap: number;

  constructor(config: PolicyConfig) {
    super(config);
    const links = new Links(config.idSpace);
    this.links = links;
    this.a1in = new DList(links, A1IN);
    this.am = new DList(links, AM);
    // libCacheSim truncates the shares; in object mode A1in keeps at least one slot so that tiny
    // caches (the step mode) still admit anything.
    const inCap = Math.floor(config.capacity * param(config, 'in-ratio', 0.25, 0, 1));
    this.inCap = config.bytes ? inCap : Math.max(1, inCap);
    this.outCap = Math.floor(config.capacity * param(config, 'out-ratio', 0.5, 0, 10));
    this.a1out = new GhostQueue(links, A1OUT, Math.min(config.idSpace, Math.ceil(this.outCap) + 1), config.bytes);
    this.amCap = config.capacity - this.inCap;
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const where = this.links.tag(id);
    let ghostHit = false;
    if (where === A1IN || where === AM) {
      if (!this.isExpired(id, time)) {
        if (where === AM) this.am.moveToFront(id);
        return true;
      }
      this.drop(id);
    } else if (where === A1OUT && this.a1out.has(id)) {
      this.a1out.remove(id);
      ghostHit = true;
    }
    const w = this.weightOf(size);
    if (w > this.capacity || w > this.inCap) return false;
    while (this.used + w > this.capacity) this.evictOne();
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    if (ghostHit) {
      // Am is an LRU of its own size: admitting into it may push out its own LRU objects.
      while (this.am.weight + w > this.amCap && this.am.count > 0) this.evictAm();
      this.am.pushFront(id, w);
    } else {
      this.a1in.pushFront(id, w);
    }
    return false;
  }

  contents(): number[] {
    return [...this.a1in.toArray(), ...this.am.toArray()];
  }

  /** Ids remembered in the A1out ghost queue, newest first (for tests and the step mode). */
  ghosts(): number[] {
    return this.a1out.toArray();
  }

  private evictOne(): void {
    if (this.a1in.weight > this.inCap || this.am.count === 0) {
      const victim = this.a1in.tail;
      const w = this.weightAt(victim);
      this.a1in.remove(victim, w);
      this.used -= w;
      this.notifyEvict(victim);
      this.remember(victim, w);
    } else {
      this.evictAm();
    }
  }

  private evictAm(): void {
    const victim = this.am.tail;
    const w = this.weightAt(victim);
    this.am.remove(victim, w);
    this.used -= w;
    this.notifyEvict(victim);
  }

  private remember(id: number, w: number): void {
    const out = this.a1out;
    if (w > this.outCap) {
      return;
    }
    while (out.weight + w > this.outCap) out.popOldest();
    out.push(id, w);
  }

  private drop(id: number): void {
    const w = this.weightAt(id);
    if (this.links.tag(id) === A1IN) this.a1in.remove(id, w);
    else this.am.remove(id, w);
    this.used -= w;
  }
}

export const createTwoQ = (config: PolicyConfig): TwoQPolicy => new TwoQPolicy(config);
