/**
 * Redis's maxmemory policies, as Redis approximates them (evict.c, object.c), one class for the
 * family because they share the sampling machinery:
 * - `allkeys-*` choose among all keys, `volatile-*` only among keys with a TTL; when no key has
 *   one, volatile policies cannot free memory and, like `noeviction`, refuse the write (the
 *   miss is not admitted).
 * - `*-random` evicts a uniformly random key.
 * - `*-lru`, `*-lfu` and `volatile-ttl` sample `maxmemory-samples` keys (default 5; all keys
 *   when there are no more than that) per
 *   eviction into an eviction pool of the 16 best candidates kept across evictions, sorted by
 *   score (idle time; 255 minus the LFU counter; sooner expiry), and evict the best one that
 *   still exists. Pool scores are not refreshed, exactly as in Redis.
 * - LRU uses Redis's LRU clock at one-second resolution in trace time.
 * - LFU uses Redis's 8-bit logarithmic counter: new keys start at 5 (LFU_INIT_VAL); an access
 *   first decays the counter by one per `lfu-decay-time` minutes elapsed (default 1), then
 *   increments it with probability 1 / ((counter - 5) * lfu-log-factor + 1) (default factor 10).
 * Differences from a real server, on purpose: sampling is uniform (Redis walks hash buckets),
 * a key already in the pool is not inserted twice, the 24-bit LRU clock and 16-bit LFU minute
 * clock do not wrap, and expired keys are only removed when requested or evicted (no active
 * expiry cycle). Capacity counts objects or bytes of values, not Redis's allocator overhead.
 */
import type { PolicyConfig } from '../policy';
import { Rng } from '../rng';
import { BasePolicy, param } from './_base';

type Kind = 'lru' | 'lfu' | 'random' | 'ttl' | 'none';

const POOL_SIZE = 16;
const LFU_INIT_VAL = 5;

export class RedisPolicy extends BasePolicy {
  readonly name: string;
  private readonly kind: Kind;
  private readonly volatileOnly: boolean;
  private readonly rng: Rng;
  private readonly samples: number;
  private readonly logFactor: number;
  private readonly decayTime: number;
  // All cached keys, and the cached keys with a TTL, as dense arrays with position indexes.
  private readonly pos: Int32Array;
  private readonly keys: Int32Array;
  private n = 0;
  private readonly vpos: Int32Array;
  private readonly vkeys: Int32Array;
  private vn = 0;
  /** LRU clock of the last access (LRU) or minute of the last decrement (LFU). */
  private readonly stamp: Float64Array;
  private readonly counter: Uint8Array;
  private readonly poolIds = new Int32Array(POOL_SIZE);
  private readonly poolScore = new Float64Array(POOL_SIZE);
  private poolLen = 0;

  constructor(config: PolicyConfig, name: string, kind: Kind, volatileOnly: boolean) {
    super(config);
    this.name = name;
    this.kind = kind;
    this.volatileOnly = volatileOnly;
    this.rng = new Rng(config.seed);
    this.samples = param(config, 'maxmemory-samples', 5, 1, 64);
    this.logFactor = param(config, 'lfu-log-factor', 10, 0, 1e9);
    this.decayTime = param(config, 'lfu-decay-time', 1, 0, 1e9);
    const maxObjects = Math.max(1, config.bytes ? config.idSpace : Math.min(config.idSpace, Math.floor(config.capacity)));
    this.pos = new Int32Array(config.idSpace).fill(-1);
    this.keys = new Int32Array(maxObjects);
    this.vpos = new Int32Array(volatileOnly ? config.idSpace : 0).fill(-1);
    this.vkeys = new Int32Array(volatileOnly ? maxObjects : 0);
    const tracked = kind === 'lru' || kind === 'lfu';
    this.stamp = new Float64Array(tracked ? config.idSpace : 0);
    this.counter = new Uint8Array(kind === 'lfu' ? config.idSpace : 0);
  }

  access(id: number, size: number, time: number, expiresAt: number): boolean {
    if (this.pos[id] !== -1) {
      if (!this.isExpired(id, time)) {
        this.touch(id, time);
        return true;
      }
      this.drop(id);
    }
    const w = this.weightOf(size);
    if (w > this.capacity) return false;
    while (this.used + w > this.capacity) {
      if (!this.evictOne(time)) return false;
    }
    this.pos[id] = this.n;
    this.keys[this.n++] = id;
    if (this.volatileOnly && expiresAt !== Infinity) {
      this.vpos[id] = this.vn;
      this.vkeys[this.vn++] = id;
    }
    if (this.kind === 'lru') {
      this.stamp[id] = Math.floor(time);
    } else if (this.kind === 'lfu') {
      this.stamp[id] = Math.floor(time / 60);
      this.counter[id] = LFU_INIT_VAL;
    }
    this.storeWeight(id, w);
    this.used += w;
    this.setExpiry(id, expiresAt);
    return false;
  }

  contents(): number[] {
    return Array.from(this.keys.subarray(0, this.n));
  }

  /** The LFU counter of a cached key as Redis would report it now (OBJECT FREQ); for tests. */
  lfuCounter(id: number, time: number): number {
    return this.decayed(id, Math.floor(time / 60));
  }

  private touch(id: number, time: number): void {
    if (this.kind === 'lru') {
      this.stamp[id] = Math.floor(time);
    } else if (this.kind === 'lfu') {
      const now = Math.floor(time / 60);
      let c = this.decayed(id, now);
      if (c < 255) {
        const base = c > LFU_INIT_VAL ? c - LFU_INIT_VAL : 0;
        if (this.rng.float() < 1 / (base * this.logFactor + 1)) c++;
      }
      this.counter[id] = c;
      this.stamp[id] = now;
    }
  }

  private decayed(id: number, nowMinutes: number): number {
    const c = this.counter[id];
    if (this.decayTime === 0) return c;
    const periods = Math.floor((nowMinutes - this.stamp[id]) / this.decayTime);
    return periods > c ? 0 : c - periods;
  }

  /** Frees one key; false when the policy has nothing it may evict. */
  private evictOne(time: number): boolean {
    if (this.kind === 'none') return false;
    const pool = this.volatileOnly ? this.vkeys : this.keys;
    const count = this.volatileOnly ? this.vn : this.n;
    if (count === 0) return false;
    let victim = -1;
    if (this.kind === 'random') {
      victim = pool[this.rng.int(count)];
    } else {
      while (victim === -1) {
        this.populate(pool, count, time);
        // Best candidates are on the right; entries whose key is gone are discarded.
        while (this.poolLen > 0) {
          const id = this.poolIds[--this.poolLen];
          if ((this.volatileOnly ? this.vpos[id] : this.pos[id]) !== -1) {
            victim = id;
            break;
          }
        }
      }
    }
    this.drop(victim);
    this.notifyEvict(victim);
    return true;
  }

  private populate(pool: Int32Array, count: number, time: number): void {
    // Like dictGetSomeKeys on a tiny dict, a sample as large as the keyspace takes every key.
    const all = count <= this.samples;
    const draws = all ? count : this.samples;
    for (let j = 0; j < draws; j++) {
      const id = pool[all ? j : this.rng.int(count)];
      if (!this.inPool(id)) this.poolInsert(id, this.score(id, time));
    }
  }

  /** Higher is a better eviction candidate, as Redis's pool "idle" value. */
  private score(id: number, time: number): number {
    if (this.kind === 'lru') return Math.floor(time) - this.stamp[id];
    if (this.kind === 'lfu') return 255 - this.decayed(id, Math.floor(time / 60));
    return -(this.expiry === null ? Infinity : this.expiry[id]);
  }

  private inPool(id: number): boolean {
    for (let k = 0; k < this.poolLen; k++) if (this.poolIds[k] === id) return true;
    return false;
  }

  /** Redis's insertion: ascending scores, the worst entry drops out when the pool is full. */
  private poolInsert(id: number, score: number): void {
    const ids = this.poolIds;
    const scores = this.poolScore;
    const len = this.poolLen;
    let k = 0;
    while (k < len && scores[k] < score) k++;
    if (k === 0 && len === POOL_SIZE) return;
    if (len < POOL_SIZE) {
      for (let i = len; i > k; i--) {
        ids[i] = ids[i - 1];
        scores[i] = scores[i - 1];
      }
      this.poolLen = len + 1;
    } else {
      k--;
      for (let i = 0; i < k; i++) {
        ids[i] = ids[i + 1];
        scores[i] = scores[i + 1];
      }
    }
    ids[k] = id;
    scores[k] = score;
  }

  private drop(id: number): void {
    const i = this.pos[id];
    const last = this.keys[--this.n];
    this.keys[i] = last;
    this.pos[last] = i;
    this.pos[id] = -1;
    if (this.volatileOnly && this.vpos[id] !== -1) {
      const vi = this.vpos[id];
      const vlast = this.vkeys[--this.vn];
      this.vkeys[vi] = vlast;
      this.vpos[vlast] = vi;
      this.vpos[id] = -1;
    }
    this.used -= this.weightAt(id);
  }
}

export const createNoEviction = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'noeviction', 'none', false);
export const createAllkeysLru = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'allkeys-lru', 'lru', false);
export const createAllkeysLfu = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'allkeys-lfu', 'lfu', false);
export const createAllkeysRandom = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'allkeys-random', 'random', false);
export const createVolatileLru = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'volatile-lru', 'lru', true);
export const createVolatileLfu = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'volatile-lfu', 'lfu', true);
export const createVolatileRandom = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'volatile-random', 'random', true);
export const createVolatileTtl = (c: PolicyConfig): RedisPolicy => new RedisPolicy(c, 'volatile-ttl', 'ttl', true);
