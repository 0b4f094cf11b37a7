/**
 * S3-FIFO (Yang et al., SOSP'23) as libCacheSim's S3FIFO: a small FIFO (10% of the capacity)
 * for new objects, a main FIFO (90%) with reinsertion, and a ghost FIFO of ids (90% of the
 * capacity) remembering what the small queue evicted. A hit only increments the object's
 * frequency. New objects go to small, or straight to main if their id is in the ghost; before
 * the first eviction, objects arriving while small is full also go to main.
 * Eviction: when main is over its share or small is empty, main's oldest is reinserted with
 * frequency min(freq, 3) - 1 if its frequency is positive, else evicted; otherwise small's oldest
 * moves to main if its frequency reached `move-to-main-threshold`, else it is evicted into the
 * ghost. With byte capacities, an object not smaller than the small queue is not admitted.
 * Knobs: `small-ratio` (0.1), `ghost-ratio` (0.9), `move-to-main-threshold` (1).
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy, param } from './_base';
import { DList, Links } from './_dlist';
import { GhostQueue } from './_ghost';

const SMALL = 1;
const MAIN = 2;
const GHOST = 3;

export class S3FifoPolicy extends BasePolicy {
  readonly name = 's3-fifo';
  private readonly links: Links;
  /** The Links records, read directly: [prev, next, tag, frequency]. */
  private readonly rec: Int32Array;
  private readonly small: DList;
  private readonly main: DList;
  private readonly ghost: GhostQueue;
  private readonly smallCap: number;
  private readonly mainCap: number;
  private readonly ghostCap: number;
  private readonly threshold: number;
  private hasEvicted = false;

  constructor(config: PolicyConfig) {
    super(config);
    const links = new Links(config.idSpace);
    this.links = links;
    this.rec = links.rec;
    this.small = new DList(links, SMALL);
    this.main = new DList(links, MAIN);
    // libCacheSim truncates the small share; in object mode it keeps at least one slot so that
    // tiny caches (the step mode) still admit anything.
    const smallCap = Math.floor(config.capacity * param(config, 'small-ratio', 0.1, 0, 1));
    this.smallCap = config.bytes ? smallCap : Math.max(1, smallCap);
    this.mainCap = config.capacity - this.smallCap;
    this.ghostCap = Math.floor(config.capacity * param(config, 'ghost-ratio', 0.9, 0, 10));
    this.ghost = new GhostQueue(links, GHOST, Math.min(config.idSpace, Math.ceil(this.ghostCap) + 1), config.bytes);
    this.threshold = param(config, 'move-to-main-threshold', 1, 1, 255);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    const rec = this.rec;
    const r = 4 * id;
    const where = rec[r + 2];
    let ghostHit = false;
    if (where === SMALL || where === MAIN) {
      const expiry = this.expiry;
      if (expiry === null || !(expiry[id] < time)) {
        const f = rec[r + 3];
        if (f < 255) rec[r + 3] = f + 1;
        return true;
      }
      this.drop(id);
    } else if (where === GHOST && this.ghost.has(id)) {
      this.ghost.remove(id);
      ghostHit = true;
    }
    const w = this.weightOf(size);
    // As libCacheSim, an object filling the whole small queue is refused (it would flush it);
    // in object mode every object has size 1 and the rule would only starve tiny caches.
    if (w > this.capacity || (this.bytes && !ghostHit && w >= this.smallCap)) return false;
    while (this.used + w > this.capacity) this.evictOne();
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    rec[r + 3] = 0;
    if (ghostHit || (!this.hasEvicted && this.small.weight >= this.smallCap)) {
      this.main.pushFront(id, w);
    } else {
      this.small.pushFront(id, w);
    }
    return false;
  }

  contents(): number[] {
    return [...this.small.toArray(), ...this.main.toArray()];
  }

  /** Ids remembered in the ghost queue, newest first (for tests and the step mode). */
  ghosts(): number[] {
    return this.ghost.toArray();
  }

  private evictOne(): void {
    this.hasEvicted = true;
    if (this.main.weight > this.mainCap || this.small.count === 0) this.evictMain();
    else this.evictSmall();
  }

  private evictSmall(): void {
    const small = this.small;
    while (small.count > 0) {
      const id = small.tail;
      const w = this.weightAt(id);
      small.remove(id, w);
      if (this.rec[4 * id + 3] >= this.threshold) {
        // Promoted objects start over in main: only hits there earn reinsertion.
        this.rec[4 * id + 3] = 0;
        this.main.pushFront(id, w);
      } else {
        this.used -= w;
        this.notifyEvict(id);
        this.remember(id, w);
        return;
      }
    }
  }

  private evictMain(): void {
    const main = this.main;
    while (main.count > 0) {
      const id = main.tail;
      const f = this.rec[4 * id + 3];
      if (f >= 1) {
        // min(f, 3) - 1 without a Math call.
        this.rec[4 * id + 3] = f > 3 ? 2 : f - 1;
        main.moveToFront(id);
      } else {
        const w = this.weightAt(id);
        main.remove(id, w);
        this.used -= w;
        this.notifyEvict(id);
        return;
      }
    }
  }

  private remember(id: number, w: number): void {
    const ghost = this.ghost;
    if (w > this.ghostCap) {
      return;
    }
    while (ghost.weight + w > this.ghostCap) {
      ghost.popOldest();
    }
    ghost.push(id, w);
  }

  private drop(id: number): void {
    const w = this.weightAt(id);
    if (this.links.tag(id) === SMALL) this.small.remove(id, w);
    else this.main.remove(id, w);
    this.used -= w;
  }
}

export const createS3Fifo = (config: PolicyConfig): S3FifoPolicy => new S3FifoPolicy(config);
