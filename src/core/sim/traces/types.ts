/**
 * The shapes every trace source produces. A trace is read in chunks of typed arrays so that a
 * 100M-request file never has to be in memory at once, and so that the runner's inner loop
 * touches only dense integer ids.
 */

/** A slice of consecutive requests. Arrays are owned by the chunk (never reused by the source). */
export interface TraceChunk {
  /** Index of the chunk's first request in the whole trace. */
  start: number;
  length: number;
  /** Dense object ids, 0..idSpace-1, stable across passes over the same source. */
  ids: Int32Array;
  /** Object sizes in bytes; null when the trace has none (every object counts as 1). */
  sizes: Int32Array | null;
  /** Request times in seconds; null when the trace has none (the request index is the clock). */
  times: Float64Array | null;
  /** Absolute expiry time per request (same clock as `times`), +Infinity for no TTL; null when the trace has no TTLs. */
  expiresAt: Float64Array | null;
  /** Index of the next request to the same id, +Infinity if none; null until computed (only OPT needs it). */
  next: Float64Array | null;
}

/** What a source knows about itself before any pass. */
export interface TraceDescriptor {
  /** `zipf`, `mix`, `lines`, `csv`, `oracleGeneral`, ... */
  kind: string;
  /** The spec string or the file path, as given. */
  source: string;
  /** Parameters as parsed (synthetic traces) or detected (files). */
  params: Record<string, string | number | boolean>;
}

/**
 * A source of requests. `chunks()` starts a fresh pass each time it is called; every pass yields
 * the same requests with the same dense ids.
 */
export interface TraceSource {
  readonly descriptor: TraceDescriptor;
  /** Exclusive upper bound on ids, when known before a pass (synthetic traces). */
  readonly idSpaceHint?: number;
  /** True when the source itself can attach next-access indices (oracleGeneral files). */
  readonly providesNext?: boolean;
  /** A fresh pass; `next` asks a source that provides next-access indices to attach them. */
  chunks(chunkSize?: number, options?: { next?: boolean }): Generator<TraceChunk>;
  /** Exclusive upper bound on the ids seen so far (after a full pass: the trace's id space). */
  idSpace(): number;
  /** A display label for an id (the original key for files), for the step mode and exports. */
  label(id: number): string;
  /** Releases file handles; safe to call twice. */
  close(): void;
}

/** Summary of a whole trace, known after the first pass. */
export interface TraceInfo extends TraceDescriptor {
  requests: number;
  /** Distinct objects requested. */
  objects: number;
  /** Sum of the sizes of distinct objects (objects when the trace has no sizes). */
  objectBytes: number;
  /** Sum of request sizes (requests when the trace has no sizes). */
  requestBytes: number;
  hasSizes: boolean;
  hasTtls: boolean;
  /** Exclusive upper bound on dense ids. */
  idSpace: number;
  /** True when the whole trace is held in typed arrays; false when each run streams it again. */
  materialized: boolean;
}

export const DEFAULT_CHUNK = 1 << 20;
