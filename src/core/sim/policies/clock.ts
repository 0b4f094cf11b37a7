/**
 * CLOCK (FIFO with reinsertion, "second chance"), as libCacheSim's default 1-bit Clock:
 * admitted objects start with frequency 0, a hit raises it to at most 2^bits - 1 (1 by default,
 * i.e. one reference bit). Eviction looks at the oldest object: if its frequency is positive,
 * it is decremented and the object goes back to the head; otherwise it is evicted.
 * Knob: `bits` (counter width, default 1).
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy, param } from './_base';
import { DList, Links } from './_dlist';

export class ClockPolicy extends BasePolicy {
  readonly name = 'clock';
  private readonly links: Links;
  private readonly list: DList;
  private readonly maxFreq: number;

  constructor(config: PolicyConfig) {
    super(config);
    this.links = new Links(config.idSpace);
    this.list = new DList(this.links, 1);
    this.maxFreq = (1 << param(config, 'bits', 1, 1, 7)) - 1;
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const links = this.links;
    if (links.tag(id) !== 0) {
      if (!this.isExpired(id, time)) {
        const f = links.aux(id);
        if (f < this.maxFreq) links.setAux(id, f + 1);
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) this.evictOne();
    links.setAux(id, 0);
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
    let victim = list.tail;
    let f = links.aux(victim);
    while (f > 0) {
      links.setAux(victim, f - 1);
      list.moveToFront(victim);
      victim = list.tail;
      f = links.aux(victim);
    }
    this.drop(victim);
    this.notifyEvict(victim);
  }

  private drop(id: number): void {
    const w = this.weightAt(id);
    this.list.remove(id, w);
    this.used -= w;
  }
}

export const createClock = (config: PolicyConfig): ClockPolicy => new ClockPolicy(config);
