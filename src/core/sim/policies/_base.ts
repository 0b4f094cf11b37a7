/**
 * What every policy shares: the capacity rule (objects or bytes), lazy TTL bookkeeping, and
 * config validation. Files starting with `_` in this folder are building blocks, not policies.
 */
import { CacheLensError } from '../../errors';
import type { EvictionPolicy, PolicyConfig } from '../policy';

export abstract class BasePolicy implements EvictionPolicy {
  abstract readonly name: string;
  onEvict?: (id: number) => void;

  protected readonly capacity: number;
  protected readonly bytes: boolean;
  protected readonly idSpace: number;
  /** Sum of the weights of cached objects: a count, or bytes when `bytes` is set. */
  protected used = 0;
  /** Weight of each id while cached (and while in a ghost list); only kept in bytes mode. */
  protected readonly weights: Float64Array | null;
  /** Absolute expiry per id, allocated on the first request with a TTL so TTL-free traces pay nothing. */
  protected expiry: Float64Array | null = null;

  constructor(config: PolicyConfig) {
    validateConfig(config);
    this.capacity = config.capacity;
    this.bytes = config.bytes;
    this.idSpace = config.idSpace;
    this.weights = config.bytes ? new Float64Array(config.idSpace) : null;
  }

  abstract access(id: number, size: number, time: number, expiresAt: number, nextAccess: number): boolean;
  abstract contents(): number[];

  /** Bytes currently held (or objects, in object mode); for tests and the step mode. */
  usedCapacity(): number {
    return this.used;
  }

  /** The weight an object will occupy: its size in bytes mode, 1 otherwise. */
  protected weightOf(size: number): number {
    return this.bytes ? size : 1;
  }

  protected storeWeight(id: number, w: number): void {
    if (this.weights !== null) this.weights[id] = w;
  }

  protected weightAt(id: number): number {
    return this.weights === null ? 1 : this.weights[id];
  }

  /** Records the expiry of an object being admitted. */
  protected setExpiry(id: number, expiresAt: number): void {
    if (this.expiry !== null) {
      this.expiry[id] = expiresAt;
    } else if (expiresAt !== Infinity) {
      this.expiry = new Float64Array(this.idSpace).fill(Infinity);
      this.expiry[id] = expiresAt;
    }
  }

  /** An object is still valid at exactly its expiry time, as in Redis and libCacheSim. */
  protected isExpired(id: number, time: number): boolean {
    return this.expiry !== null && this.expiry[id] < time;
  }

  /**
   * True when a plain chunk may take a policy's own `replayPlain` loop: object mode, no TTL seen
   * yet, no eviction observer, room for at least one object. Otherwise replayPlain falls back
   * to replayByAccess.
   */
  protected plainReplayable(): boolean {
    return this.expiry === null && this.weights === null && this.onEvict === undefined && this.capacity >= 1;
  }

  /** replayPlain's general fallback: the same requests through `access`, one by one. */
  protected replayByAccess(ids: Int32Array, n: number, start: number): number {
    let hits = 0;
    for (let i = 0; i < n; i++) if (this.access(ids[i], 1, start + i, Infinity, Infinity)) hits++;
    return hits;
  }

  protected notifyEvict(id: number): void {
    if (this.onEvict !== undefined) this.onEvict(id);
  }
}

export function validateConfig(config: PolicyConfig): void {
  if (!(config.capacity > 0) || !Number.isFinite(config.capacity)) {
    throw new CacheLensError('usage', `Cache size must be a positive number, got ${config.capacity}.`);
  }
  if (!Number.isInteger(config.idSpace) || config.idSpace < 1 || config.idSpace > 0x7fffffff) {
    throw new CacheLensError('usage', `The id space must be an integer between 1 and 2^31-1, got ${config.idSpace}.`);
  }
}

/** Reads a numeric knob from config.params with a default and a range check. */
export function param(config: PolicyConfig, key: string, fallback: number, min: number, max: number): number {
  const v = config.params?.[key];
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new CacheLensError('usage', `Parameter ${key} must be between ${min} and ${max}, got ${v}.`);
  }
  return v;
}
