import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CacheLensError, type ErrorReason } from '../errors';
import { resolvePolicyName } from './registry';
import { needsNextAccess, resolveSizes, runJobs, type RunOptions, type SimJob, type SimResult, type SizeSpec } from './runner';
import { openTrace, type TraceRef } from './traces/open';
import { prepareTrace, type PreparedTrace } from './traces/prepare';
import type { TraceInfo } from './traces/types';

/**
 * A full simulation: N policies x M sizes over one trace, spread over worker threads (one per
 * core by default). The main thread prepares the trace once; a kept trace is shared with the
 * workers through SharedArrayBuffers (no copy), a streamed one is re-read by each worker.
 * Workers pull jobs from a queue so that fast and slow policies balance out.
 */
export interface SweepRequest {
  trace: TraceRef;
  policies: string[];
  sizes: SizeSpec[];
  bytes?: boolean;
  warmup?: number;
  seed?: number;
  params?: Record<string, number>;
  /** Worker threads; default os.availableParallelism(). 1 runs in the calling thread. */
  threads?: number;
  /** See PrepareOptions.materializeLimit. */
  materializeLimit?: number;
}

export interface SweepReport {
  trace: TraceInfo;
  results: SimResult[];
  /** Threads actually used. */
  threads: number;
  /** Wall-clock seconds for preparing the trace and for the runs. */
  prepareSeconds: number;
  runSeconds: number;
}

export interface SweepProgress {
  phase: 'reading' | 'simulating';
  /** Requests read (reading) or replayed over all jobs (simulating). */
  done: number;
  /** Total for the phase, when known. */
  total?: number;
}

export interface SweepControl {
  signal?: AbortSignal;
  onProgress?: (p: SweepProgress) => void;
}

export async function runSweep(request: SweepRequest, control: SweepControl = {}): Promise<SweepReport> {
  const policies = request.policies.map(resolvePolicyName);
  if (policies.length === 0) throw new CacheLensError('usage', 'no policy to simulate');
  if (request.sizes.length === 0) throw new CacheLensError('usage', 'no cache size to simulate');
  const needNext = needsNextAccess(policies);
  const started = Date.now();
  const source = openTrace(request.trace);
  const wanted = Math.max(1, Math.floor(request.threads ?? os.availableParallelism()));
  const prepared = await prepareTrace(source, {
    needNext, shared: wanted > 1, materializeLimit: request.materializeLimit, signal: control.signal,
    onProgress: (done) => control.onProgress?.({ phase: 'reading', done }),
  });
  try {
    const prepareSeconds = (Date.now() - started) / 1000;
    const capacities = resolveSizes(request.sizes, prepared.info, request.bytes ?? false);
    const jobs: SimJob[] = policies.flatMap((policy) => capacities.map((capacity) => ({ policy, capacity })));
    const options: RunOptions = { bytes: request.bytes, warmup: request.warmup, seed: request.seed, params: request.params };
    // Streamed traces cost a full read per worker pass, so they get one pass per worker at most.
    const threads = Math.min(wanted, jobs.length);
    const runStart = Date.now();
    const onProgress = (done: number, total: number) => control.onProgress?.({ phase: 'simulating', done, total });
    const results = threads <= 1
      ? await runJobs(prepared, jobs, { ...options, signal: control.signal, onProgress })
      : await runInWorkers(prepared, request.trace, needNext, jobs, options, threads, control.signal, onProgress);
    return { trace: prepared.info, results, threads: Math.max(1, threads), prepareSeconds, runSeconds: (Date.now() - runStart) / 1000 };
  } finally {
    prepared.dispose();
    source.close();
  }
}

/** Messages between runSweep and sweep.worker.ts. */
export type ToWorker =
  | { type: 'init'; info: TraceInfo; held: PreparedTrace['held']; ref: TraceRef; nextFile: string | null; needNext: boolean; options: RunOptions }
  | { type: 'run'; tag: number; jobs: SimJob[] };
export type FromWorker =
  | { type: 'progress'; done: number }
  | { type: 'result'; tag: number; results: SimResult[] }
  | { type: 'error'; reason: ErrorReason | 'internal'; message: string };

async function runInWorkers(
  prepared: PreparedTrace, ref: TraceRef, needNext: boolean, jobs: SimJob[], options: RunOptions,
  threads: number, signal: AbortSignal | undefined, onProgress: (done: number, total: number) => void,
): Promise<SimResult[]> {
  const script = resolveWorkerScript('sweep.worker');
  const results: SimResult[] = new Array(jobs.length);
  const kept = prepared.held !== null;
  // A kept trace: one job per message, pulled from a queue. A streamed trace: one batch per worker.
  const batches: number[][] = kept
    ? jobs.map((_, i) => [i])
    : Array.from({ length: threads }, (_, w) => jobs.map((_, i) => i).filter((i) => i % threads === w));
  const total = prepared.info.requests * (kept ? jobs.length : threads);
  const doneBy = new Array<number>(threads).fill(0);
  const base = new Array<number>(threads).fill(0);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failed = false;
      const fail = (e: Error) => { if (!failed) { failed = true; reject(e); } };
      const onAbort = () => fail(new CacheLensError('cancelled', 'the simulation was cancelled'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const dispatch = (w: number) => {
        if (next >= batches.length) {
          if (++finished === threads) { signal?.removeEventListener('abort', onAbort); resolve(); }
          return;
        }
        const tag = next++;
        base[w] = doneBy[w];
        workers[w].postMessage({ type: 'run', tag, jobs: batches[tag].map((i) => jobs[i]) } satisfies ToWorker);
      };
      for (let w = 0; w < threads; w++) {
        const worker = new Worker(script);
        workers.push(worker);
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'progress') {
            doneBy[w] = base[w] + m.done;
            onProgress(doneBy.reduce((a, b) => a + b, 0), total);
          } else if (m.type === 'result') {
            batches[m.tag].forEach((jobIndex, k) => { results[jobIndex] = m.results[k]; });
            dispatch(w);
          } else {
            fail(m.reason === 'internal' ? new Error(m.message) : new CacheLensError(m.reason, m.message));
          }
        });
        worker.on('error', (e) => fail(e));
        worker.on('exit', (code) => { if (code !== 0) fail(new Error(`a simulation worker exited with code ${code}`)); });
        worker.postMessage({
          type: 'init', info: prepared.info, held: prepared.held, ref, nextFile: prepared.nextFile, needNext,
          options: { bytes: options.bytes, warmup: options.warmup, seed: options.seed, params: options.params },
        } satisfies ToWorker);
        dispatch(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * Finds a worker entry point wherever the code runs from: next to this file when compiled by
 * tsc (out/src/core/sim/), or in dist/workers/ when bundled into dist/cli.js or
 * dist/extension.js (whose __dirname is dist/).
 */
export function resolveWorkerScript(name: string): string {
  const candidates = [
    path.join(__dirname, `${name}.js`),
    path.join(__dirname, 'workers', `${name}.js`),
    path.join(__dirname, '..', 'workers', `${name}.js`),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new CacheLensError('unsupported', `cannot find the ${name} worker (looked in ${candidates.join(', ')})`);
  return found;
}
