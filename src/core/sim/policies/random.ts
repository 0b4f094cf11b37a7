/**
 * Random: evict an object chosen uniformly among the cached ones. The cached ids live in a
 * dense array with a position index, so picking is one draw and removal is a swap with the
 * last element. Seeded by config.seed.
 */
import type { PolicyConfig } from '../policy';
import { Rng } from '../rng';
import { BasePolicy } from './_base';

export class RandomPolicy extends BasePolicy {
  readonly name = 'random';
  private readonly pos: Int32Array;
  private readonly ids: Int32Array;
  private n = 0;
  private readonly rng: Rng;

  constructor(config: PolicyConfig) {
    super(config);
    this.pos = new Int32Array(config.idSpace).fill(-1);
    const maxObjects = config.bytes ? config.idSpace : Math.min(config.idSpace, Math.floor(config.capacity));
    this.ids = new Int32Array(Math.max(1, maxObjects));
    this.rng = new Rng(config.seed);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    if (this.pos[id] !== -1) {
      if (!this.isExpired(id, time)) return true;
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      const victim = this.ids[this.rng.int(this.n)];
      this.drop(victim);
      this.notifyEvict(victim);
    }
    this.pos[id] = this.n;
    this.ids[this.n++] = id;
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    return false;
  }

  contents(): number[] {
    return Array.from(this.ids.subarray(0, this.n));
  }

  private drop(id: number): void {
    const i = this.pos[id];
    const last = this.ids[--this.n];
    this.ids[i] = last;
    this.pos[last] = i;
    this.pos[id] = -1;
    this.used -= this.weightAt(id);
  }
}

export const createRandom = (config: PolicyConfig): RandomPolicy => new RandomPolicy(config);
