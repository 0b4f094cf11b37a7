/**
 * One pass over the keyspace that adds up, per namespace (key prefix up to a delimiter), the
 * key count, bytes, type breakdown and a TTL histogram, down to a given depth. Memory stays
 * small whatever the key count: only namespaces are kept, never keys, and each namespace keeps
 * at most `maxChildren` children (the rest are folded into one "other" bucket).
 */
import { CacheLensError } from './errors';
import type { CacheDriver, KeyInfo } from './driver/types';
import { prefixJson } from './keyname';

export const TTL_BUCKETS = ['none', '<1m', '<1h', '<1d', '<7d', '>=7d'] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];

const MINUTE = 60_000;
/** Distinct folded namespace names remembered per namespace, to count them (a few MB at most). */
const OTHER_NAMES_REMEMBERED = 100_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Index into TTL_BUCKETS for a remaining TTL in ms (-1: none). */
export function ttlBucket(ttlMs: number): number {
  if (ttlMs < 0) return 0;
  if (ttlMs < MINUTE) return 1;
  if (ttlMs < HOUR) return 2;
  if (ttlMs < DAY) return 3;
  if (ttlMs < 7 * DAY) return 4;
  return 5;
}

export interface NamespaceStats {
  /** The full prefix, delimiter included (`user:`, `user:42:`). */
  prefix: Buffer;
  keys: number;
  bytes: number;
  types: Record<string, number>;
  /** Counts per TTL_BUCKETS entry. */
  ttl: number[];
  children: NamespaceStats[];
  /** Children beyond the cap, added up together; absent when nothing was folded. */
  other?: { namespaces: number; keys: number; bytes: number };
}

export interface AnalyzeResult {
  keys: number;
  bytes: number;
  types: Record<string, number>;
  ttl: number[];
  /** Top-level namespaces, most keys first. Keys without the delimiter count only in the totals. */
  namespaces: NamespaceStats[];
  /** False when the driver's listing may miss keys (memcached cachedump fallback). */
  complete: boolean;
  durationMs: number;
}

export interface AnalyzeOptions {
  delimiter?: string;
  /** Namespace levels to break down (1 = `user:` only, 2 = also `user:42:`). */
  depth?: number;
  match?: string;
  type?: string;
  /** Children kept per namespace before folding into "other" (memory bound). */
  maxChildren?: number;
  signal?: AbortSignal;
  onProgress?(p: { keys: number; bytes: number }): void;
}

/** The mutable aggregate behind a NamespaceStats while the pass runs. */
class Agg {
  keys = 0;
  bytes = 0;
  readonly types = new Map<string, number>();
  readonly ttl = [0, 0, 0, 0, 0, 0];
  children: Map<string, Agg> | null = null;
  other: { ids: Set<string> | number; keys: number; bytes: number } | null = null;

  constructor(readonly prefix: Buffer) {}

  add(type: string, bytes: number, bucket: number): void {
    this.keys++;
    if (bytes > 0) this.bytes += bytes;
    this.types.set(type, (this.types.get(type) ?? 0) + 1);
    this.ttl[bucket]++;
  }
}

export class Analyzer {
  private readonly root = new Agg(Buffer.alloc(0));
  private readonly delim: Buffer;
  private readonly depth: number;
  private readonly maxChildren: number;

  constructor(options: Pick<AnalyzeOptions, 'delimiter' | 'depth' | 'maxChildren'> = {}) {
    this.delim = Buffer.from(options.delimiter ?? ':', 'utf8');
    if (this.delim.length === 0) throw new CacheLensError('usage', 'the delimiter must not be empty');
    this.depth = options.depth ?? 1;
    if (!Number.isInteger(this.depth) || this.depth < 0) throw new CacheLensError('usage', `invalid depth ${options.depth}`);
    this.maxChildren = options.maxChildren ?? 1000;
  }

  get keys(): number { return this.root.keys; }
  get bytes(): number { return this.root.bytes; }

  addBatch(batch: KeyInfo[]): void {
    for (let i = 0; i < batch.length; i++) this.addKey(batch[i]);
  }

  addKey(info: KeyInfo): void {
    const key = info.key;
    const bucket = ttlBucket(info.ttlMs);
    const type = info.type;
    const bytes = info.bytes;
    this.root.add(type, bytes, bucket);
    let node = this.root;
    let pos = 0;
    const dl = this.delim.length;
    for (let level = 0; level < this.depth; level++) {
      const idx = dl === 1 ? key.indexOf(this.delim[0], pos) : key.indexOf(this.delim, pos);
      if (idx === -1) return;
      const end = idx + dl;
      const id = key.toString('latin1', pos, end);
      if (!node.children) node.children = new Map();
      let child = node.children.get(id);
      if (!child) {
        if (node.children.size >= this.maxChildren) {
          // Over the cap: count it in "other" and stop descending, so memory stays bounded.
          const other = node.other ?? (node.other = { ids: new Set<string>(), keys: 0, bytes: 0 });
          if (other.ids instanceof Set) {
            other.ids.add(id);
            // Remember distinct names only up to a point; past it, the count is a lower bound.
            if (other.ids.size >= OTHER_NAMES_REMEMBERED) other.ids = other.ids.size;
          }
          other.keys++;
          if (bytes > 0) other.bytes += bytes;
          return;
        }
        child = new Agg(Buffer.from(key.subarray(0, end)));
        node.children.set(id, child);
      }
      child.add(type, bytes, bucket);
      node = child;
      pos = end;
    }
  }

  result(complete: boolean, durationMs: number): AnalyzeResult {
    return {
      keys: this.root.keys,
      bytes: this.root.bytes,
      types: Object.fromEntries(this.root.types),
      ttl: [...this.root.ttl],
      namespaces: Analyzer.children(this.root),
      complete,
      durationMs,
    };
  }

  private static children(agg: Agg): NamespaceStats[] {
    if (!agg.children) return [];
    const out = [...agg.children.values()].map((c) => Analyzer.stats(c));
    out.sort((a, b) => b.keys - a.keys || Buffer.compare(a.prefix, b.prefix));
    return out;
  }

  private static stats(agg: Agg): NamespaceStats {
    const s: NamespaceStats = {
      prefix: agg.prefix,
      keys: agg.keys,
      bytes: agg.bytes,
      types: Object.fromEntries(agg.types),
      ttl: [...agg.ttl],
      children: Analyzer.children(agg),
    };
    if (agg.other) {
      s.other = { namespaces: agg.other.ids instanceof Set ? agg.other.ids.size : agg.other.ids, keys: agg.other.keys, bytes: agg.other.bytes };
    }
    return s;
  }
}

/** Runs the pass over a driver's listing, with progress and cancel. */
export async function analyze(driver: CacheDriver, options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const caps = driver.capabilities();
  if (!caps.listKeys) throw new CacheLensError('unsupported', caps.note ?? 'this connection cannot list keys');
  const started = Date.now();
  const analyzer = new Analyzer(options);
  for await (const batch of driver.scan({ match: options.match, type: options.type, withMeta: true, signal: options.signal })) {
    if (options.signal?.aborted) throw new CacheLensError('cancelled', 'analysis cancelled');
    analyzer.addBatch(batch);
    options.onProgress?.({ keys: analyzer.keys, bytes: analyzer.bytes });
  }
  return analyzer.result(!caps.listingPartial, Date.now() - started);
}

/** The `analyze --json` shape: prefixes as text (or base64), TTL histogram by bucket name. */
export function namespaceJson(s: NamespaceStats): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...prefixJson(s.prefix),
    keys: s.keys,
    bytes: s.bytes,
    types: s.types,
    ttl: ttlJson(s.ttl),
    children: s.children.map(namespaceJson),
  };
  if (s.other) out.other = s.other;
  return out;
}

export function ttlJson(counts: number[]): Record<TtlBucket, number> {
  return Object.fromEntries(TTL_BUCKETS.map((b, i) => [b, counts[i]])) as Record<TtlBucket, number>;
}

export function analyzeJson(r: AnalyzeResult): Record<string, unknown> {
  return { keys: r.keys, bytes: r.bytes, namespaces: r.namespaces.map(namespaceJson) };
}
