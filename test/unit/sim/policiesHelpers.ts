/**
 * Shared helpers for the eviction-policy tests: run small traces written with letters, and
 * generate seeded random and IRM Zipf traces.
 */
import { createPolicy } from '../../../src/core/sim/registry';
import type { EvictionPolicy, PolicyConfig } from '../../../src/core/sim/policy';
import { Rng } from '../../../src/core/sim/rng';

export interface Req {
  id: number;
  size?: number;
  time?: number;
  expiresAt?: number;
}

/** 'a' is id 0, 'b' id 1, ... */
export const idOf = (letter: string): number => letter.charCodeAt(0) - 97;
export const letterOf = (id: number): string => String.fromCharCode(97 + id);

export function make(name: string, capacity: number, extra: Partial<PolicyConfig> = {}): EvictionPolicy {
  return createPolicy(name, { capacity, bytes: false, idSpace: 26, seed: 1, ...extra });
}

/** nextAccess for every request of a trace (index of the next request to the same id). */
export function nextAccesses(ids: ArrayLike<number>): Float64Array {
  const next = new Float64Array(ids.length);
  const last = new Map<number, number>();
  for (let i = ids.length - 1; i >= 0; i--) {
    next[i] = last.get(ids[i]) ?? Infinity;
    last.set(ids[i], i);
  }
  return next;
}

/**
 * Runs a trace and returns 'H'/'M' per request. A string trace is letters separated by spaces,
 * with time = request index and no TTL.
 */
export function run(policy: EvictionPolicy, trace: string | Req[]): string {
  const reqs: Req[] = typeof trace === 'string' ? trace.split(/\s+/).filter(Boolean).map((l) => ({ id: idOf(l) })) : trace;
  const next = nextAccesses(reqs.map((r) => r.id));
  let out = '';
  reqs.forEach((r, i) => {
    out += policy.access(r.id, r.size ?? 1, r.time ?? i, r.expiresAt ?? Infinity, next[i]) ? 'H' : 'M';
  });
  return out;
}

/** Cached ids as letters, sorted, joined: a set comparison that ignores internal order. */
export const cachedSet = (policy: EvictionPolicy): string => policy.contents().map(letterOf).sort().join(' ');
/** Cached ids as letters in the policy's own order. */
export const cachedOrder = (policy: EvictionPolicy): string => policy.contents().map(letterOf).join(' ');

/** A seeded IRM trace over n objects whose popularity follows Zipf(alpha); rank 0 is the most popular. */
export function zipfTrace(n: number, alpha: number, requests: number, seed: number): { ids: Int32Array; p: Float64Array } {
  const p = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) { p[i] = Math.pow(i + 1, -alpha); sum += p[i]; }
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) { p[i] /= sum; acc += p[i]; cdf[i] = acc; }
  cdf[n - 1] = 1;
  const rng = new Rng(seed);
  const ids = new Int32Array(requests);
  for (let r = 0; r < requests; r++) {
    const u = rng.float();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid; else lo = mid + 1;
    }
    ids[r] = lo;
  }
  return { ids, p };
}

/** Misses of a policy on an id trace, counting only requests from `warmup` on. */
export function countMisses(policy: EvictionPolicy, ids: Int32Array, warmup = 0, next?: Float64Array): number {
  let misses = 0;
  for (let r = 0; r < ids.length; r++) {
    const hit = policy.access(ids[r], 1, r, Infinity, next ? next[r] : Infinity);
    if (!hit && r >= warmup) misses++;
  }
  return misses;
}
