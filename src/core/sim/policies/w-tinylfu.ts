/**
 * W-TinyLFU (Einziger, Friedman & Manes) with Caffeine's static defaults: a window LRU holding
 * 1% of the capacity admits every new object; its LRU victim becomes a candidate for the main
 * cache, a segmented LRU (20% probation, 80% protected). When the main cache is full the
 * candidate enters it only if a frequency sketch estimates it more popular than the main
 * cache's victim (probation's LRU object); otherwise the candidate is dropped. A hit in
 * probation promotes to protected, whose overflow is demoted back to probation.
 * The sketch is a count-min sketch of 4 rows of 4-bit counters (16 x next power of two of the
 * capacity in objects in all, an id's 4 counters in one 64-byte block as in Caffeine),
 * incremented on every request; after 10 x capacity increments
 * every counter is halved, so old popularity fades. An optional doorkeeper (a one-bit filter in
 * front of the sketch) absorbs one-hit wonders. Caffeine's adaptive window (hill climbing) and
 * its random admission of warm candidates (a hash-flooding defence) are not modelled.
 * Knobs: `window-ratio` (0.01), `protected-ratio` (0.8), `doorkeeper` (0), `sample-factor` (10).
 */
import type { PolicyConfig } from '../policy';
import { BasePolicy, param } from './_base';
import { IdLinks, IdList } from './_idlist';

const NONE = 0;
const WINDOW = 1;
const PROBATION = 2;
const PROTECTED = 3;

export class WTinyLfuPolicy extends BasePolicy {
  readonly name = 'w-tinylfu';
  private readonly links: IdLinks;
  private readonly window: IdList;
  private readonly probation: IdList;
  private readonly protect: IdList;
  private readonly windowCap: number;
  private readonly mainCap: number;
  private readonly protectedCap: number;
  private readonly sketch: Uint8Array;
  private readonly sketchWords: Uint32Array;
  private readonly blockMask: number;
  private readonly door: Uint8Array | null;
  private readonly doorMask: number;
  private readonly sampleSize: number;
  private additions = 0;

  constructor(config: PolicyConfig) {
    super(config);
    const links = new IdLinks(config.idSpace);
    this.links = links;
    this.window = new IdList(links, WINDOW);
    this.probation = new IdList(links, PROBATION);
    this.protect = new IdList(links, PROTECTED);
    const c = config.capacity;
    // As Caffeine: the main cache gets floor(99%), the window the rest (so at least one object).
    this.mainCap = Math.floor(c * (1 - param(config, 'window-ratio', 0.01, 0, 1)));
    this.windowCap = c - this.mainCap;
    this.protectedCap = Math.floor(this.mainCap * param(config, 'protected-ratio', 0.8, 0, 1));
    const objects = Math.max(1, Math.min(config.idSpace, Math.floor(c)));
    let width = 16;
    while (width < 4 * objects && width < 1 << 28) width <<= 1;
    this.sketch = new Uint8Array(4 * width);
    this.sketchWords = new Uint32Array(this.sketch.buffer);
    this.blockMask = (4 * width) / 64 - 1;
    this.door = param(config, 'doorkeeper', 0, 0, 1) === 1 ? new Uint8Array(width) : null;
    this.doorMask = width - 1;
    this.sampleSize = param(config, 'sample-factor', 10, 1, 1000) * objects;
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    this.increment(id);
    const where = this.links.tag[id];
    if (where !== NONE) {
      if (!this.isExpired(id, time)) {
        if (where === WINDOW) this.window.moveToFront(id);
        else if (where === PROTECTED) this.protect.moveToFront(id);
        else this.promote(id);
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    this.window.pushFront(id, w);
    while (this.window.weight > this.windowCap) this.evictFromWindow();
    return false;
  }

  /**
   * The runner's plain-trace fast path (every request of size 1, no TTL, no doorkeeper): the
   * same algorithm as `access`, with the sketch increment, the three lists and the window's
   * eviction written out on locals (in object mode each list's weight is its count).
   */
  replayPlain(ids: Int32Array, n: number, start: number): number {
    if (!this.plainReplayable() || this.door !== null) return this.replayByAccess(ids, n, start);
    const tag = this.links.tag, link = this.links.link, sk = this.sketch, blockMask = this.blockMask, sampleSize = this.sampleSize;
    const windowCap = this.windowCap, mainCap = this.mainCap, protectedCap = this.protectedCap;
    const window = this.window, probation = this.probation, protect = this.protect;
    let wHead = window.head, wTail = window.tail, wCount = window.count;
    let bHead = probation.head, bTail = probation.tail, bCount = probation.count;
    let tHead = protect.head, tTail = protect.tail, tCount = protect.count;
    let used = this.used;
    let additions = this.additions;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      // The sketch increment, as `increment` without a doorkeeper (hash1 and hash2 written out).
      let h = Math.imul(id + 0x27d4eb2f, 0xc2b2ae35);
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      const h2 = h ^ (h >>> 12);
      let g = Math.imul(id ^ 0x5bd1e995, 0x9e3779b1);
      g ^= g >>> 16;
      g = Math.imul(g, 0x85ebca6b);
      const block = ((g ^ (g >>> 13)) & blockMask) << 6;
      const i0 = block + (h2 & 15);
      const i1 = block + 16 + ((h2 >>> 4) & 15);
      const i2 = block + 32 + ((h2 >>> 8) & 15);
      const i3 = block + 48 + ((h2 >>> 12) & 15);
      // Branch-free: (c - 15) >>> 31 is 1 below the 4-bit ceiling of 15, else 0; and the
      // request counts as an addition unless all four were at 15 (c0 & c1 & c2 & c3 === 15).
      const c0 = sk[i0], c1 = sk[i1], c2 = sk[i2], c3 = sk[i3];
      sk[i0] = c0 + ((c0 - 15) >>> 31);
      sk[i1] = c1 + ((c1 - 15) >>> 31);
      sk[i2] = c2 + ((c2 - 15) >>> 31);
      sk[i3] = c3 + ((c3 - 15) >>> 31);
      if ((c0 & c1 & c2 & c3) !== 15 && ++additions >= sampleSize) {
        this.additions = additions;
        this.age();
        additions = this.additions;
      }
      const where = tag[id];
      if (where !== NONE) {
        hits++;
        const p = link[2 * id];
        if (where === PROTECTED) {
          // Move to protected's head.
          if (p === -1) continue;
          const x = link[2 * id + 1];
          link[2 * p + 1] = x;
          if (x !== -1) link[2 * x] = p;
          else tTail = p;
          link[2 * id] = -1;
          link[2 * id + 1] = tHead;
          link[2 * tHead] = id;
          tHead = id;
        } else if (where === WINDOW) {
          // Move to the window's head.
          if (p === -1) continue;
          const x = link[2 * id + 1];
          link[2 * p + 1] = x;
          if (x !== -1) link[2 * x] = p;
          else wTail = p;
          link[2 * id] = -1;
          link[2 * id + 1] = wHead;
          link[2 * wHead] = id;
          wHead = id;
        } else {
          // Probation hit: promote to protected, whose overflow goes back to probation.
          const x = link[2 * id + 1];
          if (p !== -1) link[2 * p + 1] = x;
          else bHead = x;
          if (x !== -1) link[2 * x] = p;
          else bTail = p;
          bCount--;
          link[2 * id] = -1;
          link[2 * id + 1] = tHead;
          tag[id] = PROTECTED;
          if (tHead !== -1) link[2 * tHead] = id;
          else tTail = id;
          tHead = id;
          tCount++;
          while (tCount > protectedCap && tCount > 1) {
            const d = tTail;
            const dp = link[2 * d];
            link[2 * dp + 1] = -1;
            tTail = dp;
            tCount--;
            link[2 * d] = -1;
            link[2 * d + 1] = bHead;
            tag[d] = PROBATION;
            if (bHead !== -1) link[2 * bHead] = d;
            else bTail = d;
            bHead = d;
            bCount++;
          }
        }
        continue;
      }
      // A miss: admit to the window's head.
      used++;
      link[2 * id] = -1;
      link[2 * id + 1] = wHead;
      tag[id] = WINDOW;
      if (wHead !== -1) link[2 * wHead] = id;
      else wTail = id;
      wHead = id;
      wCount++;
      while (wCount > windowCap) {
        // The window's LRU object either joins the main cache (if there is room or it wins) or leaves.
        const cand = wTail;
        const cp = link[2 * cand];
        if (cp !== -1) link[2 * cp + 1] = -1;
        else wHead = -1;
        wTail = cp;
        wCount--;
        tag[cand] = NONE;
        if (1 <= mainCap && bCount + tCount + 1 > mainCap) {
          const victim = bCount > 0 ? bTail : tTail;
          if (estimateIn(sk, blockMask, cand) > estimateIn(sk, blockMask, victim)) {
            while (bCount + tCount + 1 > mainCap) {
              // Evict main's victim: probation's LRU object, or protected's when probation is empty.
              if (bCount > 0) {
                const v = bTail;
                const vp = link[2 * v];
                if (vp !== -1) link[2 * vp + 1] = -1;
                else bHead = -1;
                bTail = vp;
                bCount--;
                tag[v] = NONE;
              } else {
                const v = tTail;
                const vp = link[2 * v];
                if (vp !== -1) link[2 * vp + 1] = -1;
                else tHead = -1;
                tTail = vp;
                tCount--;
                tag[v] = NONE;
              }
              used--;
            }
          }
        }
        if (1 <= mainCap && bCount + tCount + 1 <= mainCap) {
          link[2 * cand] = -1;
          link[2 * cand + 1] = bHead;
          tag[cand] = PROBATION;
          if (bHead !== -1) link[2 * bHead] = cand;
          else bTail = cand;
          bHead = cand;
          bCount++;
        } else {
          used--;
        }
      }
    }
    window.head = wHead; window.tail = wTail; window.count = wCount; window.weight = wCount;
    probation.head = bHead; probation.tail = bTail; probation.count = bCount; probation.weight = bCount;
    protect.head = tHead; protect.tail = tTail; protect.count = tCount; protect.weight = tCount;
    this.used = used;
    this.additions = additions;
    return hits;
  }

  contents(): number[] {
    return [...this.window.toArray(), ...this.probation.toArray(), ...this.protect.toArray()];
  }

  /** Estimated frequency of an id in the sketch (for tests). */
  estimate(id: number): number {
    const s = this.sketch;
    const h2 = hash2(id);
    const block = (hash1(id) & this.blockMask) << 6;
    let e = s[block + (h2 & 15)];
    const b = s[block + 16 + ((h2 >>> 4) & 15)];
    if (b < e) e = b;
    const c = s[block + 32 + ((h2 >>> 8) & 15)];
    if (c < e) e = c;
    const d = s[block + 48 + ((h2 >>> 12) & 15)];
    if (d < e) e = d;
    if (this.door !== null && this.door[(h2 >>> 16) & this.doorMask] === 1) e++;
    return e;
  }

  private promote(id: number): void {
    const w = this.weightAt(id);
    this.probation.remove(id, w);
    this.protect.pushFront(id, w);
    while (this.protect.weight > this.protectedCap && this.protect.count > 1) {
      const demoted = this.protect.tail;
      const dw = this.weightAt(demoted);
      this.protect.remove(demoted, dw);
      this.probation.pushFront(demoted, dw);
    }
  }

  /** The window's LRU object either joins the main cache (if there is room or it wins) or leaves. */
  private evictFromWindow(): void {
    const cand = this.window.tail;
    const cw = this.weightAt(cand);
    this.window.remove(cand, cw);
    const mainUsed = this.probation.weight + this.protect.weight;
    if (cw <= this.mainCap && mainUsed + cw > this.mainCap) {
      const victim = this.probation.count > 0 ? this.probation.tail : this.protect.tail;
      if (this.estimate(cand) > this.estimate(victim)) {
        while (this.probation.weight + this.protect.weight + cw > this.mainCap) this.evictMain();
      }
    }
    if (cw <= this.mainCap && this.probation.weight + this.protect.weight + cw <= this.mainCap) {
      this.probation.pushFront(cand, cw);
    } else {
      this.used -= cw;
      this.notifyEvict(cand);
    }
  }

  private evictMain(): void {
    const list = this.probation.count > 0 ? this.probation : this.protect;
    const victim = list.tail;
    const w = this.weightAt(victim);
    list.remove(victim, w);
    this.used -= w;
    this.notifyEvict(victim);
  }

  private increment(id: number): void {
    const h2 = hash2(id);
    if (this.door !== null) {
      const bit = (h2 >>> 16) & this.doorMask;
      if (this.door[bit] === 0) {
        this.door[bit] = 1;
        this.countAddition();
        return;
      }
    }
    // As in Caffeine, an id's four counters (one per row) share one 64-byte block, so an
    // increment touches a single cache line.
    const s = this.sketch;
    const block = (hash1(id) & this.blockMask) << 6;
    let added = false;
    let i = block + (h2 & 15);
    if (s[i] < 15) { s[i]++; added = true; }
    i = block + 16 + ((h2 >>> 4) & 15);
    if (s[i] < 15) { s[i]++; added = true; }
    i = block + 32 + ((h2 >>> 8) & 15);
    if (s[i] < 15) { s[i]++; added = true; }
    i = block + 48 + ((h2 >>> 12) & 15);
    if (s[i] < 15) { s[i]++; added = true; }
    if (added) this.countAddition();
  }

  private countAddition(): void {
    if (++this.additions >= this.sampleSize) this.age();
  }

  private age(): void {
    // Aging: halving every counter keeps the sketch a sliding, decaying view of popularity.
    // Four byte counters are halved at once through a 32-bit view.
    const words = this.sketchWords;
    for (let i = 0; i < words.length; i++) words[i] = (words[i] >>> 1) & 0x7f7f7f7f;
    if (this.door !== null) this.door.fill(0);
    this.additions = this.additions >>> 1;
  }

  private drop(id: number): void {
    const w = this.weightAt(id);
    const where = this.links.tag[id];
    if (where === WINDOW) this.window.remove(id, w);
    else if (where === PROBATION) this.probation.remove(id, w);
    else this.protect.remove(id, w);
    this.used -= w;
  }
}

/** The sketch's estimate for id without a doorkeeper, as `estimate` (for the plain fast path). */
function estimateIn(s: Uint8Array, blockMask: number, id: number): number {
  const h2 = hash2(id);
  const block = (hash1(id) & blockMask) << 6;
  let e = s[block + (h2 & 15)];
  const b = s[block + 16 + ((h2 >>> 4) & 15)];
  if (b < e) e = b;
  const c = s[block + 32 + ((h2 >>> 8) & 15)];
  if (c < e) e = c;
  const d = s[block + 48 + ((h2 >>> 12) & 15)];
  if (d < e) e = d;
  return e;
}

function hash1(id: number): number {
  let h = Math.imul(id ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

function hash2(id: number): number {
  let h = Math.imul(id + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

export const createWTinyLfu = (config: PolicyConfig): WTinyLfuPolicy => new WTinyLfuPolicy(config);
