import { Cluster, type Redis } from 'ioredis';
import { CacheLensError } from '../../errors';
import { ActivityLedger } from '../ledger';
import type {
  CacheDriver, Capabilities, DeleteResult, KeyInfo, ScanOptions, ValuePage, ValueRange,
} from '../types';
import { DEFAULT_TIMEOUT_MS, type RedisConnectOptions } from '../url';
import type { RedisConnection } from './connect';
import { toCacheLensError } from './errors';
import { parseInfo } from './info';
import { MEMORY_SAMPLES, metaScript, unpackMeta, type KeyMeta, type MetaScript } from './lua/meta';
import { RAW_TYPES, RawPipe, type RawMeta } from './rawPipe';
import { keySlot } from './slot';
import { readPage } from './values';

export const DEFAULT_SCAN_COUNT = 1000;
/** Keys per UNLINK command, and commands per pipelined round trip. */
const UNLINK_KEYS = 500;
const PIPELINE_COMMANDS = 20;
/** Metadata batches a scan keeps queued per node (the server always has the next one waiting). */
const PREFETCH = 4;
/** Commands `command()` and `perKey()` send without the read-only check; any other is treated as a write. */
const READ_COMMANDS = new Set(['EXISTS', 'TYPE', 'PTTL', 'SCARD', 'SSCAN', 'SISMEMBER', 'SMISMEMBER', 'HLEN', 'LLEN', 'ZCARD', 'XLEN', 'STRLEN', 'MEMORY']);

type Args = Array<string | number | Buffer>;

/**
 * What a raw metadata batch did to the server's counters: TYPE is a hit (a miss when the key is
 * gone), PTTL a hit (a miss when gone), MEMORY USAGE neither; measured on redis 7.0.15.
 */
function rawActivity(meta: RawMeta, n: number, mode: 'full' | 'type'): { hits: number; misses: number; commands: number } {
  let hits = 0;
  let misses = 0;
  for (let i = 0; i < n; i++) {
    if (meta.codes[i] === 0) misses++; else hits++;
    if (mode === 'full') { if (meta.pttl[i] === -2) misses++; else hits++; }
  }
  return { hits, misses, commands: n * (mode === 'full' ? 3 : 1) };
}

export class RedisDriver implements CacheDriver {
  readonly kind = 'redis' as const;
  readonly display: string;
  private readonly script: MetaScript;
  /**
   * Every command this driver sends, and the keyspace hits and misses it causes (TYPE, PTTL and
   * value reads count as hits on Redis; measured on 7.0.15), per node, so the stats view can
   * subtract CacheLens's own footprint. INFO for stats() is recorded by the sampler itself.
   */
  readonly ledger = new ActivityLedger();
  private closed = false;

  constructor(private readonly conn: RedisConnection, private readonly options: RedisConnectOptions) {
    this.display = conn.ctx.target;
    this.script = metaScript(conn.version);
  }

  get isCluster(): boolean {
    return this.conn.cluster;
  }

  get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  capabilities(): Capabilities {
    return { listKeys: true, listingPartial: false, types: true, tags: true };
  }

  nodes(): string[] {
    if (this.conn.client instanceof Cluster) return this.masters().map((n) => this.nodeName(n));
    if (this.options.mode === 'socket') return [this.options.path ?? ''];
    const o = (this.conn.client as Redis).options;
    return [`${o.host}:${o.port}`];
  }

  /**
   * Three new connections to every master, with this connection's options (auth, TLS, db), for
   * commands that take a connection over: MONITOR, SUBSCRIBE, and a plain one beside them for
   * CONFIG. The caller disconnects them.
   */
  async dedicatedNodeClients(): Promise<Array<{ node: string; admin: Redis; monitor: Redis; subscriber: Redis }>> {
    const out: Array<{ node: string; admin: Redis; monitor: Redis; subscriber: Redis }> = [];
    try {
      for (const n of this.masters()) {
        const open = async (): Promise<Redis> => {
          const c = n.duplicate({ lazyConnect: true, enableOfflineQueue: true });
          c.on('error', () => { /* reported by the command that fails */ });
          await c.connect();
          return c;
        };
        out.push({ node: this.nodeName(n), admin: await open(), monitor: await open(), subscriber: await open() });
      }
      return out;
    } catch (e) {
      for (const o of out) { o.admin.disconnect(); o.monitor.disconnect(); o.subscriber.disconnect(); }
      throw toCacheLensError(e, this.conn.ctx);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Listing and metadata

  async *scan(options: ScanOptions = {}): AsyncIterable<KeyInfo[]> {
    const count = options.count ?? DEFAULT_SCAN_COUNT;
    if (!Number.isInteger(count) || count < 1) throw new CacheLensError('usage', `invalid scan count ${count}`);
    const withMeta = options.withMeta !== false;
    // SCAN's own TYPE filter counts a keyspace hit per key it inspects, like TYPE itself, so the
    // filter is applied here from the metadata script's answer instead.
    const mode: 'full' | 'type' | null = withMeta ? 'full' : options.type ? 'type' : null;
    for (const node of this.masters()) {
      if (mode === null) yield* this.scanNode(node, count, options.match, options.signal);
      else yield* this.scanNodeWithMeta(node, count, options.match, options.type, mode, options.signal);
    }
  }

  /**
   * SCAN plus TYPE / PTTL / MEMORY USAGE for every key, over a raw pipeline of its own (see
   * rawPipe.ts for why): the next SCAN and up to PREFETCH metadata batches stay queued on the
   * server, so it never waits for the client.
   */
  private async *scanNodeWithMeta(node: Redis, count: number, match: string | undefined, type: string | undefined,
    mode: 'full' | 'type', signal: AbortSignal | undefined): AsyncIterable<KeyInfo[]> {
    if (this.closed) throw new CacheLensError('closed', `the connection to ${this.display} is closed`);
    const name = this.nodeName(node);
    const pipe = await RawPipe.open(node, (e) => toCacheLensError(e, this.conn.ctx), this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const quiet = <T>(p: Promise<T>): Promise<T> => { p.catch(() => undefined); return p; };
    const scanOnce = (cursor: string) => {
      this.ledger.record(name, { commands: 1 });
      return quiet(pipe.scan(cursor, match, count));
    };
    const describe = async (keys: Buffer[]): Promise<KeyInfo[]> => {
      const meta = await pipe.meta(keys, mode);
      this.ledger.record(name, rawActivity(meta, keys.length, mode));
      const batch: KeyInfo[] = [];
      let other = 0;
      for (let i = 0; i < keys.length; i++) {
        const code = meta.codes[i];
        const t = code === 7 ? meta.otherTypes[other++] : RAW_TYPES[code];
        // Gone before TYPE, or between TYPE and PTTL.
        if (code === 0 || meta.pttl[i] === -2) continue;
        if (type !== undefined && t !== type) continue;
        batch.push({ key: keys[i], type: t, ttlMs: meta.pttl[i], bytes: meta.bytes[i], node: name });
      }
      return batch;
    };
    try {
      const pending: Array<Promise<KeyInfo[]>> = [];
      let scanning: Promise<[string, Buffer[]]> | null = scanOnce('0');
      while (scanning || pending.length > 0) {
        if (signal?.aborted) throw new CacheLensError('cancelled', 'the scan was cancelled');
        if (scanning && pending.length < PREFETCH) {
          const [next, keys]: [string, Buffer[]] = await scanning;
          // The next SCAN goes out before this batch's metadata: one connection answers in
          // order, so its reply then comes back while the server works on the metadata, and
          // the next batch's metadata is queued before the server runs out of work.
          scanning = next === '0' ? null : scanOnce(next);
          if (keys.length > 0) pending.push(quiet(describe(keys)));
          continue;
        }
        const batch = await (pending.shift() as Promise<KeyInfo[]>);
        if (batch.length > 0) yield batch;
      }
    } finally {
      pipe.close();
    }
  }

  /** Key names only (no metadata): SCAN, with the next SCAN on the wire while the caller works. */
  private async *scanNode(node: Redis, count: number, match: string | undefined, signal: AbortSignal | undefined): AsyncIterable<KeyInfo[]> {
    const name = this.nodeName(node);
    // A prefetched promise may fail after the caller stopped; that must not be an unhandled rejection.
    const quiet = <T>(p: Promise<T>): Promise<T> => { p.catch(() => undefined); return p; };
    const scanOnce = (cursor: string): Promise<[string, Buffer[]]> => {
      const args: Args = [cursor];
      if (match !== undefined) args.push('MATCH', match);
      args.push('COUNT', count);
      this.ledger.record(name, { commands: 1 });
      return quiet(this.run(() => node.callBuffer('SCAN', ...args) as Promise<[Buffer, Buffer[]]>)
        .then(([next, keys]): [string, Buffer[]] => [next.toString(), keys]));
    };
    let scanning: Promise<[string, Buffer[]]> | null = scanOnce('0');
    while (scanning) {
      if (signal?.aborted) throw new CacheLensError('cancelled', 'the scan was cancelled');
      const [next, keys]: [string, Buffer[]] = await scanning;
      scanning = next === '0' ? null : scanOnce(next);
      if (keys.length > 0) yield keys.map((key) => ({ key, type: 'unknown', ttlMs: -1, bytes: -1, node: name }));
    }
  }

  /**
   * Type, TTL and size of one key in one script call, the key passed as KEYS[1] so that a
   * cluster client routes it. (Listings use the raw pipeline in scanNodeWithMeta instead.)
   */
  private async meta(key: Buffer, mode: 'full' | 'type'): Promise<KeyMeta> {
    const target = this.conn.client;
    const args: Args = [1, key, mode, MEMORY_SAMPLES];
    const node = this.nodeOfKey(key);
    const reply = await this.run(async () => {
      try {
        this.ledger.record(node, { commands: 1 });
        return await target.callBuffer('EVALSHA', this.script.sha, ...args);
      } catch (e) {
        if (!/NOSCRIPT/.test(String((e as Error).message))) throw e;
        this.ledger.record(node, { commands: 1 });
        return await target.callBuffer('EVAL', this.script.lua, ...args);
      }
    }) as [Buffer, Buffer[]];
    const out = unpackMeta(reply);
    // Each key costs TYPE (a hit, or a miss when it vanished), then PTTL (a hit) and MEMORY USAGE (no hit).
    const activity = { hits: 0, misses: 0, commands: 0 };
    for (const m of out) {
      if (m.type === 'none') {
        activity.misses++;
        activity.commands++;
      } else {
        activity.hits += mode === 'full' ? 2 : 1;
        activity.commands += mode === 'full' ? 3 : 1;
      }
    }
    this.ledger.record(node, activity);
    return out[0];
  }

  async lookup(key: Buffer): Promise<KeyInfo | null> {
    const m = await this.meta(key, 'full');
    if (m.type === 'none') return null;
    return { key, type: m.type, ttlMs: m.ttlMs, bytes: m.bytes, node: this.nodeOfKey(key) };
  }

  async readValue(key: Buffer, range?: ValueRange): Promise<ValuePage | null> {
    const m = await this.meta(key, 'type');
    if (m.type === 'none') return null;
    const { page, lookups } = await this.run(() => readPage(this.conn.client, key, m.type, range));
    this.ledger.record(this.nodeOfKey(key), { hits: lookups, commands: lookups });
    return page;
  }

  // -------------------------------------------------------------------------------------------
  // Writes: every one goes through guardWrite first, so nothing above can forget read-only.

  private guardWrite(what: string): void {
    if (this.readOnly) throw new CacheLensError('readonly', `${this.display} is read-only: ${what} refused`);
  }

  async writeString(key: Buffer, value: Buffer, options: { keepTtl?: boolean; ttlMs?: number } = {}): Promise<void> {
    this.guardWrite('write');
    const args: Args = [key, value];
    if (options.ttlMs !== undefined) {
      if (!Number.isInteger(options.ttlMs) || options.ttlMs <= 0) throw new CacheLensError('usage', `invalid TTL ${options.ttlMs} ms`);
      args.push('PX', options.ttlMs);
    } else if (options.keepTtl) {
      args.push('KEEPTTL');
    }
    this.ledger.record(this.nodeOfKey(key), { commands: 1 });
    await this.run(() => this.conn.client.callBuffer('SET', ...args));
  }

  async setTtl(key: Buffer, ttlMs: number): Promise<boolean> {
    this.guardWrite('TTL change');
    this.ledger.record(this.nodeOfKey(key), { commands: 1 });
    if (ttlMs === -1) return Number(await this.run(() => this.conn.client.call('PERSIST', key))) === 1;
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new CacheLensError('usage', `invalid TTL ${ttlMs} ms (a positive number of ms, or -1 to remove it)`);
    return Number(await this.run(() => this.conn.client.call('PEXPIRE', key, ttlMs))) === 1;
  }

  /** RENAMENX: a rename never overwrites another key silently. */
  async rename(from: Buffer, to: Buffer): Promise<void> {
    this.guardWrite('rename');
    if (this.isCluster && keySlot(from) !== keySlot(to)) {
      throw new CacheLensError('unsupported', 'on a cluster a key can only be renamed within its hash slot (give both names the same {hash tag})');
    }
    let done: unknown;
    this.ledger.record(this.nodeOfKey(from), { commands: 1 });
    try {
      done = await this.run(() => this.conn.client.call('RENAMENX', from, to));
    } catch (e) {
      if (CacheLensError.is(e, 'server') && /no such key/i.test(e.message)) throw new CacheLensError('server', 'the key to rename does not exist', e);
      throw e;
    }
    if (Number(done) !== 1) throw new CacheLensError('server', 'a key with the new name already exists; nothing was renamed');
  }

  async delete(keys: Buffer[]): Promise<DeleteResult> {
    this.guardWrite('delete');
    const result: DeleteResult = { deleted: 0, errors: 0 };
    if (keys.length === 0) return result;
    // Per node, groups of keys that one UNLINK may take (on a cluster: one slot per command).
    const groups = new Map<Redis, Buffer[][]>();
    if (this.conn.client instanceof Cluster) {
      const bySlot = new Map<number, Buffer[]>();
      for (const k of keys) {
        const s = keySlot(k);
        let list = bySlot.get(s);
        if (!list) bySlot.set(s, (list = []));
        list.push(k);
      }
      for (const [slot, list] of bySlot) {
        const node = this.slotOwner(slot);
        if (!node) { result.errors += list.length; continue; }
        let g = groups.get(node);
        if (!g) groups.set(node, (g = []));
        for (let i = 0; i < list.length; i += UNLINK_KEYS) g.push(list.slice(i, i + UNLINK_KEYS));
      }
    } else {
      const g: Buffer[][] = [];
      for (let i = 0; i < keys.length; i += UNLINK_KEYS) g.push(keys.slice(i, i + UNLINK_KEYS));
      groups.set(this.conn.client as Redis, g);
    }
    await Promise.all([...groups].map(async ([node, commands]) => {
      for (let i = 0; i < commands.length; i += PIPELINE_COMMANDS) {
        const chunk = commands.slice(i, i + PIPELINE_COMMANDS);
        const pipe = node.pipeline();
        for (const c of chunk) pipe.callBuffer('UNLINK', ...c);
        this.ledger.record(this.nodeName(node), { commands: chunk.length });
        const replies = await this.run(() => pipe.exec());
        (replies ?? []).forEach(([err, n], j) => {
          if (err) result.errors += chunk[j].length;
          else result.deleted += Number(n);
        });
      }
    }));
    return result;
  }

  /** SREM in batches; a write, so read-only connections refuse it here. Returns how many were removed. */
  async removeMembers(setKey: Buffer, members: Buffer[]): Promise<number> {
    this.guardWrite('removing set members');
    let removed = 0;
    for (let i = 0; i < members.length; i += UNLINK_KEYS) {
      const part = members.slice(i, i + UNLINK_KEYS);
      this.ledger.record(this.nodeOfKey(setKey), { commands: 1 });
      removed += Number(await this.run(() => this.conn.client.callBuffer('SREM', setKey, ...part)));
    }
    return removed;
  }

  // -------------------------------------------------------------------------------------------
  // Stats and lifecycle

  async stats(): Promise<Array<{ node: string; fields: Record<string, string> }>> {
    return Promise.all(this.masters().map(async (node) => ({
      node: this.nodeName(node),
      fields: parseInfo(String(await this.run(() => node.call('INFO', 'all')))),
    })));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.conn.client.quit(), new Promise((r) => { timer = setTimeout(r, 1000); })]);
    } catch {
      // Quitting a dead connection fails; disconnecting below is what matters.
    } finally {
      clearTimeout(timer);
    }
    this.conn.client.disconnect();
  }

  // -------------------------------------------------------------------------------------------
  // Helpers for tags and other Redis-only features (exposed, not part of CacheDriver).

  /**
   * Sends one single-key command to the node owning `key` (cluster) or the server; replies are
   * Buffers. `lookup` says whether the command counts as a keyspace hit/miss, for the ledger.
   */
  async command(name: string, key: Buffer, rest: Args = [], lookup?: (reply: unknown) => 'hit' | 'miss' | null): Promise<unknown> {
    if (!READ_COMMANDS.has(name.toUpperCase())) this.guardWrite(name.toUpperCase());
    const node = this.nodeOfKey(key);
    this.ledger.record(node, { commands: 1 });
    const reply = await this.run(() => this.conn.client.callBuffer(name, key, ...rest));
    this.recordLookup(node, lookup?.(reply) ?? null);
    return reply;
  }

  /**
   * Runs a single-key command for every key, pipelined per node in batches, and returns the
   * replies in order. Used for SCARD / EXISTS / SISMEMBER over many keys.
   */
  async perKey(name: string, keys: Buffer[], extra: Args = [], lookup?: (reply: unknown) => 'hit' | 'miss' | null, batch = 1000): Promise<unknown[]> {
    if (!READ_COMMANDS.has(name.toUpperCase())) this.guardWrite(name.toUpperCase());
    const out = new Array<unknown>(keys.length);
    const byNode = new Map<Redis, number[]>();
    for (let i = 0; i < keys.length; i++) {
      const node = this.conn.client instanceof Cluster ? this.slotOwner(keySlot(keys[i])) : (this.conn.client as Redis);
      if (!node) throw new CacheLensError('closed', `no cluster node serves the slot of a key (${this.display})`);
      let list = byNode.get(node);
      if (!list) byNode.set(node, (list = []));
      list.push(i);
    }
    await Promise.all([...byNode].map(async ([node, idx]) => {
      for (let s = 0; s < idx.length; s += batch) {
        const part = idx.slice(s, s + batch);
        const pipe = node.pipeline();
        for (const i of part) pipe.callBuffer(name, keys[i], ...extra);
        const nodeName = this.nodeName(node);
        this.ledger.record(nodeName, { commands: part.length });
        const replies = (await this.run(() => pipe.exec())) ?? [];
        replies.forEach(([err, value], j) => {
          if (err) throw toCacheLensError(err, this.conn.ctx);
          out[part[j]] = value;
          this.recordLookup(nodeName, lookup?.(value) ?? null);
        });
      }
    }));
    return out;
  }

  private recordLookup(node: string, outcome: 'hit' | 'miss' | null): void {
    if (outcome === 'hit') this.ledger.record(node, { hits: 1 });
    else if (outcome === 'miss') this.ledger.record(node, { misses: 1 });
  }

  private masters(): Redis[] {
    const c = this.conn.client;
    return c instanceof Cluster ? c.nodes('master') : [c];
  }

  private nodeName(node: Redis): string {
    return node.options.path ? node.options.path : `${node.options.host}:${node.options.port}`;
  }

  private slotOwner(slot: number): Redis | undefined {
    const cluster = this.conn.client as Cluster;
    const owner = cluster.slots[slot]?.[0];
    return owner === undefined ? undefined : cluster.nodes('master').find((n) => this.nodeName(n) === owner);
  }

  private nodeOfKey(key: Buffer): string {
    if (!(this.conn.client instanceof Cluster)) return this.nodes()[0];
    return (this.conn.client as Cluster).slots[keySlot(key)]?.[0] ?? 'unknown';
  }


  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new CacheLensError('closed', `the connection to ${this.display} is closed`);
    try {
      return await work();
    } catch (e) {
      throw toCacheLensError(e, this.conn.ctx);
    }
  }
}
