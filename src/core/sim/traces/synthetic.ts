import { CacheLensError } from '../../errors';
import { Rng } from '../rng';
import { parseDistribution, objectUniform, type ObjectValue } from './distributions';
import { numParam, parseTraceSpec, type SpecParams } from './spec';
import { DEFAULT_CHUNK, type TraceChunk, type TraceSource } from './types';
import { ZipfSampler } from './zipf';

/**
 * Synthetic traces, reproducible from a seed. Kinds:
 * - `zipf` (alpha, objects): independent requests, rank i with probability ~ (i+1)^-alpha.
 * - `uniform` (objects): independent, equally likely.
 * - `scan`: every request a new object (0, 1, 2, ...).
 * - `loop` (objects): 0..objects-1 over and over.
 * - `shift` (alpha, objects, at=0.5, by=objects/2): Zipf whose popular objects change at
 *   fraction `at` of the trace (ranks move by `by` ids).
 * - `mix`: a weighted mixture of the above, each component on its own id range.
 * Common: requests (default 1M), seed (42), objects (100k), size, ttl, ttlFraction, rate.
 */
export const SYNTHETIC_KINDS = ['zipf', 'uniform', 'scan', 'loop', 'shift', 'mix'] as const;

const COMMON = ['requests', 'seed', 'objects', 'size', 'ttl', 'ttlfraction', 'rate'];
const OWN: Record<string, string[]> = {
  zipf: ['alpha'], uniform: [], scan: [], loop: [], shift: ['alpha', 'at', 'by'], mix: [],
};

/** Draws ids in [0, bound) for one component; `index` is the request's index in the trace. */
interface Component {
  readonly bound: number;
  draw(rng: Rng, index: number): number;
}

function makeComponent(c: SpecParams, defaults: { objects: number; requests: number }, where: string): Component {
  const known = new Set([...COMMON, ...(OWN[c.kind] ?? [])]);
  if (!(c.kind in OWN) || c.kind === 'mix') {
    throw new CacheLensError('usage', `${where}: unknown trace kind "${c.kind}" (known: ${SYNTHETIC_KINDS.join(', ')})`);
  }
  for (const k of c.params.keys()) {
    if (!known.has(k)) throw new CacheLensError('usage', `${where}: ${c.kind} has no parameter "${k}"`);
  }
  const objects = numParam(c.params, 'objects', defaults.objects, { min: 1, max: 2 ** 31 - 1, integer: true });
  switch (c.kind) {
    case 'zipf': {
      const z = ZipfSampler.get(objects, numParam(c.params, 'alpha', 1.0, { min: 0, max: 20 }));
      return { bound: objects, draw: (rng) => z.sample(rng) };
    }
    case 'uniform':
      return { bound: objects, draw: (rng) => rng.int(objects) };
    case 'scan': {
      let n = 0;
      // A scan never repeats, so its id range is as long as the trace.
      return { bound: defaults.requests, draw: () => n++ };
    }
    case 'loop': {
      let n = 0;
      return { bound: objects, draw: () => { const id = n; n = n + 1 === objects ? 0 : n + 1; return id; } };
    }
    default: { // shift
      const z = ZipfSampler.get(objects, numParam(c.params, 'alpha', 1.0, { min: 0, max: 20 }));
      const at = Math.floor(numParam(c.params, 'at', 0.5, { min: 0, max: 1 }) * defaults.requests);
      const by = numParam(c.params, 'by', Math.floor(objects / 2), { min: 0, integer: true }) % objects;
      return { bound: objects, draw: (rng, index) => { const r = z.sample(rng); return index < at ? r : (r + by) % objects; } };
    }
  }
}

export class SyntheticTrace implements TraceSource {
  readonly descriptor;
  readonly idSpaceHint: number;
  private readonly requests: number;
  private readonly seed: number;
  private readonly sizeOf: ObjectValue | null;
  private readonly ttlOf: ObjectValue | null;
  private readonly rate: number | null;
  private readonly spec;
  private readonly specText: string;

  constructor(specText: string) {
    const spec = parseTraceSpec(specText);
    this.spec = spec;
    this.specText = specText;
    const where = `trace "${specText}"`;
    const p = spec.params;
    if (spec.kind !== 'mix') makeComponent(spec, { objects: 1, requests: 1 }, where); // validates names early
    else for (const k of p.keys()) if (!COMMON.includes(k)) throw new CacheLensError('usage', `${where}: mix has no parameter "${k}"`);
    this.requests = numParam(p, 'requests', 1_000_000, { min: 1, max: 2 ** 31 - 1, integer: true });
    this.seed = numParam(p, 'seed', 42, { min: 0, integer: true });
    this.sizeOf = p.has('size') ? parseDistribution('size', p.get('size') as string, this.seed, 1) : null;
    const ttl = p.has('ttl') ? parseDistribution('ttl', p.get('ttl') as string, this.seed, 2) : null;
    const share = numParam(p, 'ttlfraction', 1, { min: 0, max: 1 });
    const seed = this.seed;
    this.ttlOf = ttl && share < 1 ? (id) => (objectUniform(seed, id, 3) < share ? ttl(id) : Infinity) : ttl;
    this.rate = p.has('rate') ? numParam(p, 'rate', 1, { min: 1e-9 }) : null;
    this.idSpaceHint = this.components().reduce((s, c) => s + c.c.bound, 0);
    const params: Record<string, string | number | boolean> = {};
    for (const [k, v] of p) params[k] = parseFloatOr(v);
    params.requests = this.requests;
    params.seed = this.seed;
    if (spec.kind === 'mix') params.components = spec.terms.map((t) => `${t.kind}*${t.weight}`).join('+');
    this.descriptor = { kind: spec.kind, source: specText, params };
  }

  private components(): Array<{ c: Component; offset: number; weight: number }> {
    const defaults = { objects: numParam(this.spec.params, 'objects', 100_000, { min: 1, integer: true }), requests: this.requests };
    const where = `trace "${this.specText}"`;
    const list = this.spec.kind === 'mix' ? this.spec.terms : [{ ...this.spec, weight: 1 }];
    let offset = 0;
    return list.map((t) => {
      const c = makeComponent(t, defaults, where);
      const entry = { c, offset, weight: t.weight };
      offset += c.bound;
      return entry;
    });
  }

  *chunks(chunkSize = DEFAULT_CHUNK): Generator<TraceChunk> {
    const rng = new Rng(this.seed);
    const comps = this.components();
    const total = comps.reduce((s, c) => s + c.weight, 0);
    const cumulative = comps.map((_, i) => comps.slice(0, i + 1).reduce((s, c) => s + c.weight, 0) / total);
    const single = comps.length === 1 ? comps[0].c : null;
    for (let start = 0; start < this.requests; start += chunkSize) {
      const length = Math.min(chunkSize, this.requests - start);
      const ids = new Int32Array(length);
      if (single) {
        for (let i = 0; i < length; i++) ids[i] = single.draw(rng, start + i);
      } else {
        for (let i = 0; i < length; i++) {
          const u = rng.float();
          let k = 0;
          while (k < comps.length - 1 && u >= cumulative[k]) k++;
          ids[i] = comps[k].offset + comps[k].c.draw(rng, start + i);
        }
      }
      yield { start, length, ids, ...this.attributes(ids, start), next: null };
    }
  }

  private attributes(ids: Int32Array, start: number): Pick<TraceChunk, 'sizes' | 'times' | 'expiresAt'> {
    const n = ids.length;
    let sizes: Int32Array | null = null;
    let times: Float64Array | null = null;
    let expiresAt: Float64Array | null = null;
    if (this.sizeOf) {
      sizes = new Int32Array(n);
      for (let i = 0; i < n; i++) sizes[i] = this.sizeOf(ids[i]);
    }
    if (this.rate !== null) {
      times = new Float64Array(n);
      for (let i = 0; i < n; i++) times[i] = (start + i) / this.rate;
    }
    if (this.ttlOf) {
      expiresAt = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const ttl = this.ttlOf(ids[i]);
        expiresAt[i] = (times ? times[i] : start + i) + (ttl > 0 ? ttl : Infinity);
      }
    }
    return { sizes, times, expiresAt };
  }

  idSpace(): number { return this.idSpaceHint; }
  label(id: number): string { return String(id); }
  close(): void { /* nothing held */ }
}

function parseFloatOr(v: string): string | number {
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}
