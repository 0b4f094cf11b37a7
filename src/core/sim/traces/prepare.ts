import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheLensError } from '../../errors';
import { DEFAULT_CHUNK, type TraceChunk, type TraceInfo, type TraceSource } from './types';

/**
 * Turns a source into something the runner can replay many times: one first pass gathers the
 * trace's summary (requests, distinct objects and bytes, id space) and, when the trace has at
 * most `materializeLimit` requests, keeps its chunks in memory. Larger traces are streamed again
 * for every run. Next-access indices (for OPT) come from a backward pass over the kept chunks,
 * from the file itself (oracleGeneral), or from two temporary files for large streamed traces.
 */
export interface PrepareOptions {
  /** Compute next-access indices (only OPT needs them). */
  needNext?: boolean;
  /** Keep traces of at most this many requests in memory (default 32M: about 0.5 GB with next). */
  materializeLimit?: number;
  /** Allocate kept chunks on SharedArrayBuffers, so sweep workers read them without a copy. */
  shared?: boolean;
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk of the first pass with the requests read so far. */
  onProgress?: (requestsRead: number) => void;
}

export interface PreparedTrace {
  readonly info: TraceInfo;
  readonly source: TraceSource;
  /** The kept chunks, or null when the trace is streamed. */
  readonly held: TraceChunk[] | null;
  /** For streamed traces with next-access indices from a spill: the Float64 file to read them from. */
  readonly nextFile: string | null;
  /** One pass over the trace, next-access indices attached when prepared with `needNext`. */
  chunks(): Iterable<TraceChunk>;
  /** Removes temporary files. */
  dispose(): void;
}

export const DEFAULT_MATERIALIZE_LIMIT = 32_000_000;

export async function prepareTrace(source: TraceSource, options: PrepareOptions = {}): Promise<PreparedTrace> {
  const limit = options.materializeLimit ?? DEFAULT_MATERIALIZE_LIMIT;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const nativeNext = options.needNext === true && source.providesNext === true;
  let held: TraceChunk[] | null = [];
  let seen: Uint8Array = new Uint8Array(source.idSpaceHint ?? 1 << 16);
  let requests = 0;
  let objects = 0;
  let objectBytes = 0;
  let requestBytes = 0;
  let hasSizes = false;
  let hasTtls = false;
  for (const raw of iterate(source, chunkSize, nativeNext)) {
    const chunk = held && options.shared ? share(raw) : raw;
    const { ids, sizes, length } = chunk;
    if (sizes) hasSizes = true;
    if (chunk.expiresAt) hasTtls = true;
    for (let i = 0; i < length; i++) {
      const id = ids[i];
      if (id >= seen.length) seen = grow(seen, id);
      const size = sizes ? sizes[i] : 1;
      requestBytes += size;
      if (seen[id] === 0) { seen[id] = 1; objects++; objectBytes += size; }
    }
    requests += length;
    if (held) {
      if (requests <= limit) held.push(chunk); else held = null;
    }
    options.onProgress?.(requests);
    await yieldToEventLoop(options.signal);
  }
  const idSpace = Math.max(1, source.idSpace());
  let nextFile: string | null = null;
  if (options.needNext && !nativeNext) {
    if (held) computeNextInMemory(held, idSpace);
    else nextFile = await spillNext(source, idSpace, requests, chunkSize, options.signal);
  }
  const info: TraceInfo = {
    ...source.descriptor,
    requests, objects, objectBytes, requestBytes, hasSizes, hasTtls, idSpace,
    materialized: held !== null,
  };
  const keep = held;
  return {
    info, source, held: keep, nextFile,
    chunks: () => keep ?? (nextFile ? withNextFromFile(source, nextFile, chunkSize) : iterate(source, chunkSize, nativeNext)),
    dispose: () => { if (nextFile) fs.rmSync(path.dirname(nextFile), { recursive: true, force: true }); },
  };
}

/**
 * Rebuilds a prepared trace from its parts in another thread: the kept chunks (shared memory),
 * or a freshly opened source that is streamed again (ids come out the same on every pass).
 */
export function rehydrateTrace(info: TraceInfo, source: TraceSource, held: TraceChunk[] | null, nextFile: string | null, needNext: boolean, chunkSize = DEFAULT_CHUNK): PreparedTrace {
  const nativeNext = needNext && source.providesNext === true;
  return {
    info, source, held, nextFile,
    chunks: () => held ?? (nextFile ? withNextFromFile(source, nextFile, chunkSize) : iterate(source, chunkSize, nativeNext)),
    dispose: () => { /* the thread that prepared the trace owns its temporary files */ },
  };
}

function iterate(source: TraceSource, chunkSize: number, next: boolean): Generator<TraceChunk> {
  return source.chunks(chunkSize, { next });
}

/** Gives the event loop a turn (so cancel and progress can run) and honours the signal. */
export async function yieldToEventLoop(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new CacheLensError('cancelled', 'the simulation was cancelled');
}

function grow(seen: Uint8Array, id: number): Uint8Array {
  let n = seen.length * 2;
  while (n <= id) n *= 2;
  const bigger = new Uint8Array(n);
  bigger.set(seen);
  return bigger;
}

function share(c: TraceChunk): TraceChunk {
  const copy = <T extends Int32Array | Float64Array>(a: T | null, make: (sab: SharedArrayBuffer) => T): T | null => {
    if (!a) return null;
    const out = make(new SharedArrayBuffer(a.byteLength));
    out.set(a as never);
    return out;
  };
  return {
    start: c.start, length: c.length,
    ids: copy(c.ids, (b) => new Int32Array(b)) as Int32Array,
    sizes: copy(c.sizes, (b) => new Int32Array(b)),
    times: copy(c.times, (b) => new Float64Array(b)),
    expiresAt: copy(c.expiresAt, (b) => new Float64Array(b)),
    next: copy(c.next, (b) => new Float64Array(b)),
  };
}

/** A backward pass: the next request of each id is the last one seen going backwards. */
function computeNextInMemory(chunks: TraceChunk[], idSpace: number): void {
  const last = new Float64Array(idSpace).fill(Infinity);
  for (let c = chunks.length - 1; c >= 0; c--) {
    const chunk = chunks[c];
    const next = chunk.next ?? (chunk.next = allocLike(chunk));
    const ids = chunk.ids;
    for (let i = chunk.length - 1; i >= 0; i--) {
      const id = ids[i];
      next[i] = last[id];
      last[id] = chunk.start + i;
    }
  }
}

function allocLike(chunk: TraceChunk): Float64Array {
  return chunk.ids.buffer instanceof SharedArrayBuffer
    ? new Float64Array(new SharedArrayBuffer(chunk.length * 8))
    : new Float64Array(chunk.length);
}

/**
 * For traces too large to keep: write the ids to a temp file on a forward pass, then walk that
 * file backwards in blocks, writing each request's next-access index to a second file.
 */
async function spillNext(source: TraceSource, idSpace: number, requests: number, chunkSize: number, signal?: AbortSignal): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-next-'));
  const idsFile = path.join(dir, 'ids.bin');
  const nextFile = path.join(dir, 'next.bin');
  try {
    const out = fs.openSync(idsFile, 'w');
    try {
      for (const c of source.chunks(chunkSize)) {
        fs.writeSync(out, new Uint8Array(c.ids.buffer, c.ids.byteOffset, c.length * 4));
        await yieldToEventLoop(signal);
      }
    } finally { fs.closeSync(out); }
    const inFd = fs.openSync(idsFile, 'r');
    const outFd = fs.openSync(nextFile, 'w');
    try {
      const last = new Float64Array(idSpace).fill(Infinity);
      const ids = new Int32Array(chunkSize);
      const next = new Float64Array(chunkSize);
      for (let end = requests; end > 0; end -= chunkSize) {
        const start = Math.max(0, end - chunkSize);
        const n = end - start;
        fs.readSync(inFd, new Uint8Array(ids.buffer, 0, n * 4), 0, n * 4, start * 4);
        for (let i = n - 1; i >= 0; i--) {
          const id = ids[i];
          next[i] = last[id];
          last[id] = start + i;
        }
        fs.writeSync(outFd, new Uint8Array(next.buffer, 0, n * 8), 0, n * 8, start * 8);
        await yieldToEventLoop(signal);
      }
    } finally {
      fs.closeSync(inFd);
      fs.closeSync(outFd);
    }
    fs.rmSync(idsFile, { force: true });
    return nextFile;
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Streams the source again, zipping in next-access indices from the spill file. */
export function* withNextFromFile(source: TraceSource, nextFile: string, chunkSize: number): Generator<TraceChunk> {
  const fd = fs.openSync(nextFile, 'r');
  try {
    for (const c of source.chunks(chunkSize)) {
      const next = new Float64Array(c.length);
      fs.readSync(fd, new Uint8Array(next.buffer), 0, c.length * 8, c.start * 8);
      yield { ...c, next };
    }
  } finally {
    fs.closeSync(fd);
  }
}
