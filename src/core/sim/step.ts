import { CacheLensError } from '../errors';
import { createPolicy, findPolicy } from './registry';
import { openTrace, type TraceRef } from './traces/open';
import { prepareTrace } from './traces/prepare';

/**
 * Step mode: one policy, one capacity, a short trace, and a snapshot after every request (hit
 * or miss, what was evicted, what is cached), for teaching and for the webview's animation.
 */
export const STEP_LIMIT = 1000;

export interface StepFrame {
  /** 0-based request index. */
  index: number;
  id: number;
  key: string;
  hit: boolean;
  /** The request's object size (1 when the trace has no sizes). */
  size: number;
  /** Ids evicted by this request, in eviction order. */
  evicted: number[];
  /** Ids cached after the request, in the policy's own order (e.g. most recent first for LRU). */
  contents: number[];
}

export interface StepRun {
  policy: string;
  capacity: number;
  bytes: boolean;
  frames: StepFrame[];
  /** Display label of every id that appears in the frames. */
  labels: Record<number, string>;
  /** Size of every id that appears in the frames, from its latest request (1 without sizes). */
  sizes: Record<number, number>;
  hits: number;
  requests: number;
}

export interface StepOptions {
  policy: string;
  capacity: number;
  bytes?: boolean;
  seed?: number;
  params?: Record<string, number>;
}

export async function stepTrace(ref: TraceRef, options: StepOptions): Promise<StepRun> {
  const source = openTrace(ref);
  try {
    const declared = source.descriptor.params.requests;
    if (typeof declared === 'number' && declared > STEP_LIMIT) throw tooLong(declared);
    const info = findPolicy(options.policy);
    const prepared = await prepareTrace(source, { needNext: info?.needsFuture === true, materializeLimit: STEP_LIMIT });
    if (!prepared.held) throw tooLong(prepared.info.requests);
    const policy = createPolicy(options.policy, {
      capacity: options.capacity, bytes: options.bytes ?? false, idSpace: prepared.info.idSpace,
      seed: options.seed ?? 42, params: options.params,
    });
    let evicted: number[] = [];
    policy.onEvict = (id) => { evicted.push(id); };
    const frames: StepFrame[] = [];
    const labels: Record<number, string> = {};
    const sizes: Record<number, number> = {};
    let hits = 0;
    for (const c of prepared.held) {
      for (let i = 0; i < c.length; i++) {
        const index = c.start + i;
        const id = c.ids[i];
        const size = c.sizes ? c.sizes[i] : 1;
        sizes[id] = size;
        const hit = policy.access(id, size, c.times ? c.times[i] : index,
          c.expiresAt ? c.expiresAt[i] : Infinity, c.next ? c.next[i] : Infinity);
        if (hit) hits++;
        labels[id] ??= source.label(id);
        frames.push({ index, id, key: labels[id], hit, size, evicted, contents: policy.contents() });
        evicted = [];
      }
    }
    return { policy: policy.name, capacity: options.capacity, bytes: options.bytes ?? false, frames, labels, sizes, hits, requests: frames.length };
  } finally {
    source.close();
  }
}

function tooLong(requests: number): CacheLensError {
  return new CacheLensError('usage', `step mode shows at most ${STEP_LIMIT} requests; this trace has ${requests} (use a shorter trace, e.g. requests=50)`);
}
