import { performance } from 'node:perf_hooks';
import { CacheLensError } from '../errors';
import type { EvictionPolicy } from './policy';
import { createPolicy, findPolicy } from './registry';
import { yieldToEventLoop, type PreparedTrace } from './traces/prepare';
import type { TraceChunk, TraceInfo } from './traces/types';

/**
 * Replays a prepared trace through policies at given capacities. A kept (materialized) trace
 * runs one job at a time, so only one policy's state is in memory and each job's speed is
 * measured on its own; a streamed trace runs every job in one pass over the file.
 */
export interface SimJob {
  /** A policy name as the registry accepts it. */
  policy: string;
  /** Capacity in objects, or in bytes when the run counts bytes. */
  capacity: number;
}

/** One row of results; the field names are the CLI's `--json` contract. */
export interface SimResult {
  policy: string;
  size: number;
  requests: number;
  hits: number;
  missRatio: number;
  byteMissRatio: number;
  mreqPerSec: number;
}

export interface RunOptions {
  /** Capacity counts bytes (object sizes from the trace) instead of objects. */
  bytes?: boolean;
  /** The first `warmup` requests go through the cache but are not counted. */
  warmup?: number;
  /** Seed for randomized policies. */
  seed?: number;
  /** Policy knobs passed to every policy (e.g. maxmemory-samples). */
  params?: Record<string, number>;
  signal?: AbortSignal;
  /** Requests replayed so far over all jobs, and the total to replay. */
  onProgress?: (done: number, total: number) => void;
}

/** How sizes are asked for: absolute, or a percentage of the trace's distinct objects (bytes). */
export type SizeSpec = { absolute: number } | { percent: number };

export function parseSizeSpec(raw: string): SizeSpec {
  const t = raw.trim();
  const pct = /^([0-9]*\.?[0-9]+)\s*%$/.exec(t);
  if (pct) {
    const p = Number(pct[1]);
    if (!(p > 0)) throw new CacheLensError('usage', `size "${raw}" must be a positive percentage`);
    return { percent: p };
  }
  const m = /^([0-9]*\.?[0-9]+)\s*([kmgt]?)(i?b?)$/i.exec(t.replace(/_/g, ''));
  if (!m) throw new CacheLensError('usage', `size "${raw}" is not a number (e.g. 10000, 64k, 1GiB or 5%)`);
  const binary = m[3].toLowerCase().startsWith('i');
  const unit = m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't';
  const mult = ({ '': 0, k: 1, m: 2, g: 3, t: 4 })[unit];
  const v = Math.round(Number(m[1]) * Math.pow(binary ? 1024 : 1000, mult));
  if (!(v >= 1)) throw new CacheLensError('usage', `size "${raw}" must be at least 1`);
  return { absolute: v };
}

/** Turns size specs into capacities for this trace. */
export function resolveSizes(specs: SizeSpec[], info: TraceInfo, bytes: boolean): number[] {
  const whole = bytes ? info.objectBytes : info.objects;
  return specs.map((s) => ('absolute' in s ? s.absolute : Math.max(1, Math.round((s.percent / 100) * whole))));
}

/** Counters for one job: requests, hits, requested bytes, hit bytes, seconds in the loop. */
interface Tally { requests: number; hits: number; bytes: number; hitBytes: number; seconds: number }

export async function runJobs(trace: PreparedTrace, jobs: SimJob[], options: RunOptions = {}): Promise<SimResult[]> {
  const { info } = trace;
  const bytes = options.bytes ?? false;
  const warmup = options.warmup ?? 0;
  if (warmup < 0 || !Number.isInteger(warmup)) throw new CacheLensError('usage', `--warmup must be a whole number of requests, got ${warmup}`);
  if (warmup >= info.requests && info.requests > 0) {
    throw new CacheLensError('usage', `--warmup ${warmup} leaves no request to count (the trace has ${info.requests})`);
  }
  const make = (job: SimJob): EvictionPolicy => createPolicy(job.policy, {
    capacity: job.capacity, bytes, idSpace: info.idSpace, seed: options.seed ?? 42, params: paramsFor(job.policy, options.params),
  });
  const total = info.requests * (trace.held ? jobs.length : 1);
  let done = 0;
  const tallies = jobs.map((): Tally => ({ requests: 0, hits: 0, bytes: 0, hitBytes: 0, seconds: 0 }));
  const future = jobs.map((job) => findPolicy(job.policy)?.needsFuture === true);
  const names: string[] = [];
  if (trace.held) {
    for (let j = 0; j < jobs.length; j++) {
      const policy = make(jobs[j]);
      names[j] = policy.name;
      const loop = loopFor(policy);
      for (const chunk of trace.held) {
        const t0 = performance.now();
        loop(policy, chunk, warmup, tallies[j], future[j]);
        tallies[j].seconds += (performance.now() - t0) / 1000;
        done += chunk.length;
        options.onProgress?.(done, total);
        await yieldToEventLoop(options.signal);
      }
    }
  } else {
    const policies = jobs.map(make);
    policies.forEach((p, j) => { names[j] = p.name; });
    const loops = policies.map(loopFor);
    for (const chunk of trace.chunks()) {
      for (let j = 0; j < jobs.length; j++) {
        const t0 = performance.now();
        loops[j](policies[j], chunk, warmup, tallies[j], future[j]);
        tallies[j].seconds += (performance.now() - t0) / 1000;
      }
      done += chunk.length;
      options.onProgress?.(done, total);
      await yieldToEventLoop(options.signal);
    }
  }
  return jobs.map((job, j) => toResult(names[j], job.capacity, tallies[j], info.requests));
}

/** Only the knobs a policy accepts, so one `params` map can serve a run of many policies. */
function paramsFor(policy: string, params: Record<string, number> | undefined): Record<string, number> | undefined {
  const known = findPolicy(policy)?.params;
  if (!params || !known) return undefined;
  const own = Object.entries(params).filter(([k]) => k in known);
  return own.length ? Object.fromEntries(own) : undefined;
}

/** True when any of the named policies needs next-access indices (OPT). */
export function needsNextAccess(policies: string[]): boolean {
  return policies.some((p) => findPolicy(p)?.needsFuture === true);
}

function toResult(policy: string, size: number, t: Tally, replayed: number): SimResult {
  const misses = t.requests - t.hits;
  return {
    policy, size,
    requests: t.requests,
    hits: t.hits,
    missRatio: t.requests ? misses / t.requests : 0,
    byteMissRatio: t.bytes ? (t.bytes - t.hitBytes) / t.bytes : 0,
    mreqPerSec: t.seconds > 0 ? replayed / t.seconds / 1e6 : 0,
  };
}

/**
 * `useNext`: the policy reads next-access indices (OPT). Every other policy ignores them, so a
 * trace prepared with them for OPT's sake still takes the plain fast path for the others.
 */
type Loop = (policy: EvictionPolicy, chunk: TraceChunk, warmup: number, tally: Tally, useNext: boolean) => void;

/**
 * The hot loop, compiled once per policy class. A single shared loop would see every policy at
 * its `policy.access` call site, turn megamorphic and stop inlining; one copy per class keeps
 * each call site monomorphic (worth up to 2x on the fast policies).
 */
const LOOP_SOURCE = `
  return function replay(policy, chunk, warmup, tally, useNext) {
    const ids = chunk.ids, sizes = chunk.sizes, times = chunk.times, exp = chunk.expiresAt, next = useNext ? chunk.next : null;
    const start = chunk.start, n = chunk.length;
    if (sizes === null && times === null && exp === null && next === null && start >= warmup) {
      // The common plain trace (no sizes, clock, TTLs or future, nothing to skip): every
      // request weighs 1, so the loop only counts hits and passes constants.
      let plainHits = 0;
      if (typeof policy.replayPlain === 'function') {
        // The policy runs the whole chunk itself, its state in locals (see EvictionPolicy.replayPlain).
        plainHits = policy.replayPlain(ids, n, start);
      } else {
        for (let i = 0; i < n; i++) {
          if (policy.access(ids[i], 1, start + i, Infinity, Infinity)) plainHits++;
        }
      }
      tally.requests += n; tally.hits += plainHits; tally.bytes += n; tally.hitBytes += plainHits;
      return;
    }
    let requests = 0, hits = 0, bytes = 0, hitBytes = 0;
    for (let i = 0; i < n; i++) {
      const index = start + i;
      const size = sizes === null ? 1 : sizes[i];
      const hit = policy.access(ids[i], size, times === null ? index : times[i],
        exp === null ? Infinity : exp[i], next === null ? Infinity : next[i]);
      if (index >= warmup) {
        requests++;
        bytes += size;
        if (hit) { hits++; hitBytes += size; }
      }
    }
    tally.requests += requests; tally.hits += hits; tally.bytes += bytes; tally.hitBytes += hitBytes;
  };`;

const loops = new WeakMap<object, Loop>();

function loopFor(policy: EvictionPolicy): Loop {
  const key = Object.getPrototypeOf(policy) as object;
  let loop = loops.get(key);
  if (!loop) {
    loop = new Function(LOOP_SOURCE)() as Loop;
    loops.set(key, loop);
  }
  return loop;
}
