/**
 * The one interface every eviction policy implements (one file per policy in ./policies,
 * registered in ./registry.ts). Hot path: objects are dense integer ids (0..idSpace-1) so
 * that policies can keep their state in typed arrays instead of Maps.
 *
 * Semantics shared by every policy (see docs/sim-policies.md):
 * - A miss admits the object unless the policy refuses it (noeviction when full, W-TinyLFU's
 *   and lfu-perfect's admission, OPT's bypass) or it is larger than the whole cache.
 * - TTL: `expiresAt` is recorded when the object is admitted; a hit does not extend it. An
 *   object is still valid at exactly `expiresAt` and expired once `time > expiresAt` (as in
 *   Redis and libCacheSim); a request for an expired object is a miss, the object is removed
 *   and admitted again with the request's `expiresAt`. Expired objects that are not requested
 *   stay until evicted (lazy expiry), and count against the capacity meanwhile.
 * - In bytes mode the size given at admission is the one that counts until the object leaves.
 * - `onEvict` reports objects leaving because of capacity pressure, not expired ones removed
 *   on request (that request is reported as a miss).
 */
export interface PolicyConfig {
  /** Capacity in objects, or in bytes when `bytes` is true. */
  capacity: number;
  /** When true, capacity counts bytes and every object's size counts against it. */
  bytes: boolean;
  /** Upper bound (exclusive) on the ids the trace will use; policies may size typed arrays by it. */
  idSpace: number;
  /** Seed for policies with randomness; same seed, same result. */
  seed: number;
  /** Policy-specific knobs (e.g. maxmemory-samples, lfu-log-factor); documented in each policy file. */
  params?: Record<string, number>;
}

export interface EvictionPolicy {
  /** Canonical name, as on the CLI (`lru`, `s3-fifo`, `allkeys-lru`, ...). */
  readonly name: string;
  /**
   * One request. `time` is the trace's clock in seconds (monotone, may be the request index),
   * `expiresAt` is an absolute time in the same unit or +Infinity for no TTL, `nextAccess` is the
   * index of the next request to this id (+Infinity if none; only OPT needs it).
   * Returns true on a hit. On a miss the object is admitted (if the policy admits it).
   */
  access(id: number, size: number, time: number, expiresAt: number, nextAccess: number): boolean;
  /** Ids currently cached (for the step mode and tests; not on the hot path). */
  contents(): number[];
  /** Optional observer for the step mode: called with each evicted id. */
  onEvict?: (id: number) => void;
  /**
   * Optional fast path the runner uses on plain chunks: replays `n` requests of `ids` (each of
   * size 1, no TTL, no next-access, the first at request index `start`) and returns the hits.
   * It must give exactly the hits and leave exactly the state that calling
   * `access(ids[i], 1, start + i, Infinity, Infinity)` for each request would; with the loop
   * inside the policy, its state lives in locals. test/unit/sim/replay-plain.test.ts checks it.
   */
  replayPlain?(ids: Int32Array, n: number, start: number): number;
}

export type PolicyFactory = (config: PolicyConfig) => EvictionPolicy;
