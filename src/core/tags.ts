/**
 * Tags, by the caching chapter's convention: a Redis set `tag:<name>` whose members are the
 * names of the keys carrying that tag (the prefix is configurable). Tags are Redis-only; a
 * Memcached connection reports `capabilities().tags === false` and this module refuses it.
 *
 * Every read here (TYPE, SCARD, SSCAN, EXISTS, SISMEMBER) counts as a keyspace hit or miss on
 * Redis; the driver records them in its ledger so the stats view can leave them out.
 */
import { CacheLensError } from './errors';
import { RedisDriver } from './driver/redis/driver';
import type { CacheDriver } from './driver/types';

export const DEFAULT_TAG_PREFIX = 'tag:';
const PAGE = 500;

export interface TagSummary {
  /** The tag's name: the set's key without the prefix. */
  name: Buffer;
  /** The set's key (`tag:<name>`). */
  key: Buffer;
  members: number;
}

export interface InvalidationPlan {
  name: Buffer;
  key: Buffer;
  /** Members of the set: the keys that would be deleted (some may already be gone). */
  members: number;
  sample: Buffer[];
}

export interface InvalidationReport {
  /** Members found in the set. */
  matched: number;
  /** Keys actually deleted (members that existed), not counting the set itself. */
  deleted: number;
  errors: number;
  /** Whether the tag set itself was deleted. */
  setDeleted: boolean;
}

export interface TagProgress { done: number; total: number }

const exists = (reply: unknown): 'hit' | 'miss' => (Number(reply) > 0 ? 'hit' : 'miss');
const found = (): 'hit' => 'hit';

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}

function checkCancel(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CacheLensError('cancelled', 'cancelled');
}

export class TagStore {
  private readonly redis: RedisDriver;
  readonly prefix: Buffer;

  constructor(driver: CacheDriver, options: { prefix?: string } = {}) {
    if (!(driver instanceof RedisDriver) || !driver.capabilities().tags) {
      throw new CacheLensError('unsupported', 'tags are a Redis feature (sets named tag:<name>); this connection has none');
    }
    const prefix = options.prefix ?? DEFAULT_TAG_PREFIX;
    if (prefix === '') throw new CacheLensError('usage', 'the tag prefix must not be empty');
    this.redis = driver;
    this.prefix = Buffer.from(prefix);
  }

  /** The set's key for a tag name. */
  keyOf(name: Buffer | string): Buffer {
    return Buffer.concat([this.prefix, typeof name === 'string' ? Buffer.from(name) : name]);
  }

  /** Batches of tags with their member counts: SCAN for `<prefix>*` sets, then SCARD pipelined. */
  async *list(options: { signal?: AbortSignal } = {}): AsyncIterable<TagSummary[]> {
    const match = escapeGlob(this.prefix.toString()) + '*';
    for await (const batch of this.redis.scan({ match, type: 'set', withMeta: false, signal: options.signal })) {
      const keys = batch.map((k) => k.key);
      const counts = await this.redis.perKey('SCARD', keys, [], exists);
      const out: TagSummary[] = [];
      keys.forEach((key, i) => {
        const members = Number(counts[i]);
        if (members > 0) out.push({ name: key.subarray(this.prefix.length), key, members });
      });
      if (out.length > 0) yield out;
    }
  }

  /** Every tag, sorted by name (for the CLI and the tree; tag sets are few compared to keys). */
  async listAll(options: { signal?: AbortSignal } = {}): Promise<TagSummary[]> {
    const all: TagSummary[] = [];
    for await (const batch of this.list(options)) all.push(...batch);
    return all.sort((a, b) => Buffer.compare(a.name, b.name));
  }

  /** One page of a tag's members (SSCAN); `cursor` null means the last page. */
  async membersPage(name: Buffer | string, cursor: string | null = '0', count = PAGE): Promise<{ keys: Buffer[]; cursor: string | null }> {
    const [next, keys] = await this.redis.command('SSCAN', this.keyOf(name), [cursor ?? '0', 'COUNT', count], exists) as [Buffer, Buffer[]];
    const n = next.toString();
    return { keys, cursor: n === '0' ? null : n };
  }

  /** Every member of a tag, page by page (SSCAN may repeat a member; duplicates are dropped per page only). */
  async *members(name: Buffer | string, options: { signal?: AbortSignal; count?: number } = {}): AsyncIterable<Buffer[]> {
    let cursor: string | null = '0';
    do {
      checkCancel(options.signal);
      const page: { keys: Buffer[]; cursor: string | null } = await this.membersPage(name, cursor, options.count ?? PAGE);
      cursor = page.cursor;
      if (page.keys.length > 0) yield page.keys;
    } while (cursor !== null);
  }

  /**
   * The tags of one key: every tag set is asked SISMEMBER (pipelined). Bounded by `maxTags`
   * sets so a keyspace with millions of tags cannot stall; `complete` says whether all were seen.
   */
  async tagsOf(key: Buffer, options: { maxTags?: number; signal?: AbortSignal } = {}): Promise<{ tags: Buffer[]; complete: boolean }> {
    const maxTags = options.maxTags ?? 10000;
    const tags: Buffer[] = [];
    let seen = 0;
    for await (const batch of this.list({ signal: options.signal })) {
      const take = batch.slice(0, Math.max(0, maxTags - seen));
      seen += take.length;
      const replies = await this.redis.perKey('SISMEMBER', take.map((t) => t.key), [key], found);
      take.forEach((t, i) => { if (Number(replies[i]) === 1) tags.push(t.name); });
      if (take.length < batch.length || seen >= maxTags) return { tags: tags.sort(Buffer.compare), complete: false };
    }
    return { tags: tags.sort(Buffer.compare), complete: true };
  }

  /** Members whose key no longer exists (EXISTS in pipelined batches, no SMISMEMBER needed). */
  async dangling(name: Buffer | string, options: { signal?: AbortSignal } = {}): Promise<{ members: number; dangling: Buffer[] }> {
    let members = 0;
    const dangling: Buffer[] = [];
    const seen = new Set<string>();
    for await (const page of this.members(name, options)) {
      const fresh = page.filter((k) => { const id = k.toString('latin1'); if (seen.has(id)) return false; seen.add(id); return true; });
      members += fresh.length;
      const replies = await this.redis.perKey('EXISTS', fresh, [], exists);
      fresh.forEach((k, i) => { if (Number(replies[i]) === 0) dangling.push(k); });
    }
    return { members, dangling };
  }

  /** Removes dangling members from the tag set; returns how many were removed. */
  async cleanDangling(name: Buffer | string, options: { signal?: AbortSignal } = {}): Promise<number> {
    if (this.redis.readOnly) throw new CacheLensError('readonly', `${this.redis.display} is read-only: cleaning a tag refused`);
    const { dangling } = await this.dangling(name, options);
    return dangling.length === 0 ? 0 : this.redis.removeMembers(this.keyOf(name), dangling);
  }

  /** What invalidating a tag would delete: its member count and a sample of members. */
  async planInvalidate(name: Buffer | string, sampleSize = 20): Promise<InvalidationPlan> {
    const key = this.keyOf(name);
    const members = Number(await this.redis.command('SCARD', key, [], exists));
    const sample: Buffer[] = [];
    let cursor: string | null = '0';
    while (members > 0 && sample.length < sampleSize && cursor !== null) {
      const page: { keys: Buffer[]; cursor: string | null } = await this.membersPage(name, cursor, Math.max(sampleSize, 10));
      sample.push(...page.keys.slice(0, sampleSize - sample.length));
      cursor = page.cursor;
    }
    return { name: typeof name === 'string' ? Buffer.from(name) : name, key, members, sample };
  }

  /**
   * Deletes every key of the tag (UNLINK in pipelined batches, across cluster nodes), then the
   * tag set itself. The set is read with SSCAN and only deleted at the end, so a cancelled run
   * leaves the tag in place and can be repeated.
   */
  async invalidate(name: Buffer | string, options: { signal?: AbortSignal; onProgress?: (p: TagProgress) => void } = {}): Promise<InvalidationReport> {
    if (this.redis.readOnly) throw new CacheLensError('readonly', `${this.redis.display} is read-only: tag invalidation refused`);
    const key = this.keyOf(name);
    const total = Number(await this.redis.command('SCARD', key, [], exists));
    const report: InvalidationReport = { matched: 0, deleted: 0, errors: 0, setDeleted: false };
    const seen = new Set<string>();
    for await (const page of this.members(name, { signal: options.signal, count: 1000 })) {
      checkCancel(options.signal);
      const fresh = page.filter((k) => { const id = k.toString('latin1'); if (seen.has(id)) return false; seen.add(id); return true; });
      report.matched += fresh.length;
      const r = await this.redis.delete(fresh);
      report.deleted += r.deleted;
      report.errors += r.errors;
      options.onProgress?.({ done: report.matched, total });
    }
    checkCancel(options.signal);
    const r = await this.redis.delete([key]);
    report.setDeleted = r.deleted === 1;
    report.errors += r.errors;
    return report;
  }
}
