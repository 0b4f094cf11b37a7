/**
 * The driver interface: everything above it (browsing, analyze, purge, tags, stats sampling,
 * the CLI, the extension) talks to Redis and Memcached only through this. Keys are Buffers
 * end to end so that binary key names survive every operation byte for byte.
 */
import type { ActivityLedger } from './ledger';

export type DriverKind = 'redis' | 'memcached';

/** Redis types as TYPE reports them; Memcached items are all 'string'. */
export type KeyType = 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | (string & {});

export interface KeyInfo {
  key: Buffer;
  type: KeyType;
  /** Remaining time to live in ms, -1 when the key has none. */
  ttlMs: number;
  /** Memory bytes (Redis MEMORY USAGE, Memcached item size); -1 when unknown. */
  bytes: number;
  /** The server (host:port) that holds the key, for clusters and pools. */
  node?: string;
}

/**
 * Listed keys in columns, for bulk listings (a million keys) that should not build an object
 * per key: key i is `keyBytes[offsets[i], offsets[i + 1])`. Every key of a batch has the same
 * type and node. Arrays may be longer than `count`; only the first `count` entries (and
 * `count + 1` offsets) are meaningful. See packedKey() / unpackKeys() in ./packed.
 */
export interface PackedKeys {
  count: number;
  keyBytes: Buffer;
  offsets: Int32Array;
  /** Remaining time to live in ms, -1 when the key has none. */
  ttlMs: Float64Array;
  /** Memory bytes, -1 when unknown. */
  bytes: Float64Array;
  type: KeyType;
  node: string;
}

export interface ScanOptions {
  /** Glob, Redis MATCH syntax (also applied client-side by the Memcached driver). */
  match?: string;
  /** Only keys of this type. */
  type?: string;
  /** Batch size hint (SCAN COUNT). */
  count?: number;
  /** When true (default), each key comes with type, TTL and size, read without touching hit/miss counters. */
  withMeta?: boolean;
  signal?: AbortSignal;
}

export interface Capabilities {
  /** The keyspace can be listed (false on SASL memcached). */
  listKeys: boolean;
  /** The listing may miss keys (memcached `stats cachedump` fallback). */
  listingPartial: boolean;
  /** Typed values (hash, list, ...) and tags (sets): Redis only. */
  types: boolean;
  tags: boolean;
  /** Human-readable reason when listKeys is false or the listing is partial. */
  note?: string;
}

/** A page of a value, read by range so a huge value never loads at once. */
export type ValuePage =
  | { type: 'string'; bytes: Buffer; totalBytes: number; offset: number }
  | { type: 'hash'; entries: Array<[Buffer, Buffer]>; total: number; cursor: string | null }
  | { type: 'list'; items: Buffer[]; total: number; offset: number }
  | { type: 'set'; members: Buffer[]; total: number; cursor: string | null }
  | { type: 'zset'; entries: Array<[Buffer, number]>; total: number; offset: number }
  | { type: 'stream'; entries: Array<{ id: string; fields: Array<[Buffer, Buffer]> }>; total: number; lastId: string | null }
  | { type: string; unsupported: true; total: number };

export interface ValueRange {
  /** Byte offset for strings, element offset for list/zset, cursor for hash/set, last id for streams. */
  offset?: number;
  cursor?: string | null;
  /** Max bytes (strings, default 65536) or elements (default 500). */
  limit?: number;
}

export interface DeleteResult { deleted: number; errors: number }

export interface CacheDriver {
  readonly kind: DriverKind;
  /** Redacted, printable target (`redis://user:***@host:6379/0`). */
  readonly display: string;
  capabilities(): Capabilities;
  /** Servers behind this connection (cluster masters, pool members). */
  nodes(): string[];
  /** Batches of keys. Never KEYS; never a GET to read metadata. */
  scan(options?: ScanOptions): AsyncIterable<KeyInfo[]>;
  /**
   * The same listing as scan() with metadata, in columns (optional: drivers whose listing is
   * cheap per key, like Memcached's metadump, offer it for bulk output such as `cachelens keys`).
   */
  scanPacked?(options?: ScanOptions): AsyncIterable<PackedKeys>;
  /** Metadata of one exact key, or null when it does not exist. */
  lookup(key: Buffer): Promise<KeyInfo | null>;
  readValue(key: Buffer, range?: ValueRange): Promise<ValuePage | null>;
  /** Writes a string value; `keepTtl` keeps the current TTL. */
  writeString(key: Buffer, value: Buffer, options?: { keepTtl?: boolean; ttlMs?: number }): Promise<void>;
  /** Sets (ms > 0) or removes (ms = -1) a TTL. */
  setTtl(key: Buffer, ttlMs: number): Promise<boolean>;
  rename(from: Buffer, to: Buffer): Promise<void>;
  /** Deletes exactly these keys (UNLINK in pipelined batches on Redis). */
  delete(keys: Buffer[]): Promise<DeleteResult>;
  /** Raw server stats (Redis INFO sections flattened per node, Memcached `stats` per server). */
  stats(): Promise<Array<{ node: string; fields: Record<string, string> }>>;
  /** What this connection's own commands did to the server's hit/miss/command counters. */
  readonly ledger: ActivityLedger;
  close(): Promise<void>;
}
