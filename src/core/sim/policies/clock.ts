/**
 * CLOCK (FIFO with reinsertion, "second chance"), as libCacheSim's default 1-bit Clock:
 * admitted objects start with frequency 0, a hit sets it to at most `max-freq` (1 by default,
 * i.e. one reference bit). Eviction looks at the oldest object: if its frequency is positive,
 * it is decremented and the object goes back to the head; otherwise it is evicted.
 * Knob: `bits` (counter width, default 1; max frequency is 2^bits - 1).
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy, param } from './_base';
import { DList, Links } from './_dlist';

export class ClockPolicy extends BasePolicy {
  readonly name = 'clock';
  private readonly freq: Uint8Array;
  private readonly list: DList;
  private readonly maxFreq: number;

  constructor(config: PolicyConfig) {
    super(config);
    this.freq = new Uint8Array(config.idSpace);
    this.list = new DList(new Links(config.idSpace));
    this.maxFreq = (1 << param(config, 'bits', 1, 1, 7)) - 1;
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    if (this.list.has(id)) {
      if (!this.isExpired(id, time)) {
        if (this.freq[id] < this.maxFreq) this.freq[id]++;
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) this.evictOne();
    this.freq[id] = 0;
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
    let victim = list.tail;
    while (this.freq[victim] > 0) {
      this.freq[victim]--;
      list.moveToFront(victim);
      victim = list.tail;
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
