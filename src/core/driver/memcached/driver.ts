/**
 * The Memcached driver over our own text/meta-protocol client: one command connection per
 * server, plus a dedicated connection per key listing. Metadata comes from `me` (meta debug)
 * and `lru_crawler metadump`, which leave get_hits / get_misses alone; only opening a value
 * (`mg ... v`) is a real read.
 */
import { CacheLensError } from '../../errors';
import { ActivityLedger } from '../ledger';
import { globRangeMatcher } from '../../glob';
import type {
  CacheDriver, Capabilities, DeleteResult, KeyInfo, PackedKeys, ScanOptions, ValuePage, ValueRange,
} from '../types';
import { filterPacked, PackedKeysBuilder, unpackKeys } from '../packed';
import type { HostPort } from '../url';
import {
  TextConnection, hostPort, readGet, readLine, readMeta, readUntilEnd,
  type ConnectionSettings, type SocketTls,
} from './connection';
import { isTextSafe, metaKey } from './keycodec';
import { expiryToTtl, metadump } from './metadump';
import { cachedump } from './cachedump';
import { memjsServerIndex } from './placement';

/** Relative TTLs above 30 days are read by memcached as absolute unix times. */
const RELATIVE_TTL_LIMIT_S = 60 * 60 * 24 * 30;
const DELETE_BATCH = 1000;

export interface ServerNode {
  address: HostPort;
  where: string;
  settings: ConnectionSettings;
  conn: TextConnection;
  version: string;
  /** Meta commands (`me`, `mg`, `ms`, `md`) with the 1.6 reply codes. */
  meta: boolean;
  /** `lru_crawler metadump` (>= 1.4.31). */
  metadump: boolean;
  /** `lru_crawler metadump hash` (>= 1.6.9): walks the hash table, so LRU moves cannot hide items. */
  hashDump: boolean;
  /** Server clock minus local clock, in seconds, measured when the connection opened. */
  clockOffsetS: number;
}

function versionAtLeast(version: string, want: [number, number, number]): boolean {
  const parts = version.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < 3; i++) {
    if ((parts[i] ?? 0) !== want[i]) return (parts[i] ?? 0) > want[i];
  }
  return true;
}

export function statsToRecord(lines: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of lines) {
    if (!line.startsWith('STAT ')) continue;
    const sp = line.indexOf(' ', 5);
    if (sp === -1) continue;
    fields[line.slice(5, sp)] = line.slice(sp + 1);
  }
  return fields;
}

/** `me` reports `exp` as (now - expiry): -N means N seconds left; -1 is "no expiry". */
export function ttlFromMetaDebug(exp: number): number {
  if (exp === -1) return -1;
  return exp < 0 ? -exp * 1000 : 0;
}

export async function connectNode(address: HostPort, tlsOptions: SocketTls | undefined, timeoutMs: number): Promise<ServerNode> {
  const settings: ConnectionSettings = { address, tls: tlsOptions, timeoutMs };
  const conn = new TextConnection(settings);
  const where = hostPort(address);
  let versionLine: string;
  try {
    versionLine = await conn.send('version\r\n', readLine, 'version');
  } catch (e) {
    conn.close();
    // A SASL server ignores or refuses text commands and a TLS server waits for a handshake:
    // say which settings to check rather than only "no answer".
    const hint = `it may require SASL (put user:password@ in the URL)${tlsOptions ? '' : ' or TLS (use memcacheds://)'}`;
    if (CacheLensError.is(e, 'closed') || CacheLensError.is(e, 'server')) {
      throw new CacheLensError('auth', `memcached at ${where} refused the text protocol: ${hint}`, e);
    }
    if (CacheLensError.is(e, 'timeout')) {
      throw new CacheLensError('timeout', `memcached at ${where} did not answer the text protocol within ${Math.round(timeoutMs / 100) / 10} s: ${hint}`, e);
    }
    throw e;
  }
  if (!versionLine.startsWith('VERSION ')) {
    conn.close();
    throw new CacheLensError('protocol', `memcached at ${where} answered "${versionLine.slice(0, 60)}" to version: is this a memcached server?`);
  }
  const version = versionLine.slice(8).trim();
  const t0 = Date.now() / 1000;
  const stats = statsToRecord(await conn.send('stats\r\n', readUntilEnd, 'stats'));
  const serverTime = Number(stats.time);
  return {
    address, where, settings, conn, version,
    meta: versionAtLeast(version, [1, 6, 0]),
    metadump: versionAtLeast(version, [1, 4, 31]),
    hashDump: versionAtLeast(version, [1, 6, 9]),
    clockOffsetS: Number.isFinite(serverTime) ? serverTime - t0 : 0,
  };
}

export class MemcachedTextDriver implements CacheDriver {
  readonly kind = 'memcached' as const;
  readonly ledger = new ActivityLedger();

  constructor(
    readonly display: string,
    private readonly servers: ServerNode[],
    private readonly readOnly: boolean,
  ) {}

  capabilities(): Capabilities {
    const old = this.servers.filter((s) => !s.metadump);
    return {
      listKeys: true,
      listingPartial: old.length > 0,
      types: false,
      tags: false,
      note: old.length > 0
        ? `memcached at ${old.map((s) => s.where).join(', ')} cannot run lru_crawler metadump (older than 1.4.31 or crawler disabled): keys are listed with stats cachedump, which shows only part of them`
        : undefined,
    };
  }

  nodes(): string[] {
    return this.servers.map((s) => s.where);
  }

  /** The server clock now, in unix seconds, for one node. */
  private serverNow(node: ServerNode): number {
    return Date.now() / 1000 + node.clockOffsetS;
  }

  async *scan(options: ScanOptions = {}): AsyncIterable<KeyInfo[]> {
    for await (const batch of this.scanPacked(options)) yield unpackKeys(batch);
  }

  /** The listing in columns: what scan() yields, without an object per key until one is needed. */
  async *scanPacked(options: ScanOptions = {}): AsyncIterable<PackedKeys> {
    if (options.type !== undefined && options.type !== 'string') return;
    const match = globRangeMatcher(options.match);
    const batchSize = Math.max(options.count ?? 1000, 1);
    for (const node of this.servers) {
      // Remaining TTL uses the server's clock, re-read at the start of each listing.
      const stats = statsToRecord(await node.conn.send('stats\r\n', readUntilEnd, 'stats'));
      const t0 = Date.now() / 1000;
      const serverT0 = Number(stats.time) || this.serverNow(node);
      const serverNow = () => serverT0 + (Date.now() / 1000 - t0);
      for await (const batch of this.listNode(node, batchSize, serverNow, options.signal)) {
        const kept = match === null ? batch : filterPacked(batch, match);
        if (kept.count > 0) yield kept;
      }
    }
  }

  /**
   * One server's items: metadump, or cachedump on old servers. A server started with the LRU
   * crawler disabled falls back to cachedump too, and is marked partial from then on.
   */
  private async *listNode(node: ServerNode, batchSize: number, serverNow: () => number, signal?: AbortSignal): AsyncGenerator<PackedKeys> {
    if (node.metadump) {
      let yielded = false;
      try {
        const mode = node.hashDump ? 'hash' : 'all';
        for await (const batch of metadump(node.settings, { signal, batchSize, mode, serverNow, node: node.where })) { yielded = true; yield batch; }
        return;
      } catch (e) {
        if (yielded || !CacheLensError.is(e, 'unsupported') || !/crawler is disabled/.test(e.message)) throw e;
        node.metadump = false;
      }
    }
    for await (const items of cachedump(node.conn, node.where, signal)) {
      const b = new PackedKeysBuilder(items.length, undefined, 'string', node.where);
      for (const item of items) b.push(item.key, item.exp, item.size);
      yield expiryToTtl(b.take(), serverNow());
    }
  }

  /** `me` on every server (a key may sit on any of them); the first hit wins. */
  async lookup(key: Buffer): Promise<KeyInfo | null> {
    const found = await this.locate(key);
    return found?.info ?? null;
  }

  private async locate(key: Buffer): Promise<{ node: ServerNode; info: KeyInfo } | null> {
    const results = await Promise.all(this.servers.map(async (node) => {
      const info = node.meta ? await this.metaDebug(node, key) : await this.lookupByDump(node, key);
      return info ? { node, info } : null;
    }));
    return results.find((r) => r !== null) ?? null;
  }

  private async metaDebug(node: ServerNode, key: Buffer): Promise<KeyInfo | null> {
    const { token, base64 } = metaKey(key);
    const line = await node.conn.send(`me ${token}${base64 ? ' b' : ''}\r\n`, readLine, 'me (meta debug)');
    if (line === 'EN') return null;
    if (!line.startsWith('ME ')) throw new CacheLensError('protocol', `unexpected reply to me from memcached at ${node.where}: ${line.slice(0, 80)}`);
    let exp = -1;
    let size = -1;
    for (const tok of line.split(' ').slice(2)) {
      const eq = tok.indexOf('=');
      if (eq === -1) continue;
      const name = tok.slice(0, eq);
      if (name === 'exp') exp = Number(tok.slice(eq + 1));
      else if (name === 'size') size = Number(tok.slice(eq + 1));
    }
    return { key: Buffer.from(key), type: 'string', ttlMs: ttlFromMetaDebug(exp), bytes: size, node: node.where };
  }

  /** Servers without meta commands: find the key in a full listing (slow, but counter-free). */
  private async lookupByDump(node: ServerNode, key: Buffer): Promise<KeyInfo | null> {
    for await (const batch of this.listNode(node, 1000, () => this.serverNow(node))) {
      for (let i = 0; i < batch.count; i++) {
        const s = batch.offsets[i];
        const e = batch.offsets[i + 1];
        if (e - s === key.length && batch.keyBytes.compare(key, 0, key.length, s, e) === 0) {
          return { key: Buffer.from(key), type: 'string', ttlMs: batch.ttlMs[i], bytes: batch.bytes[i], node: node.where };
        }
      }
    }
    return null;
  }

  /** A real read (`mg v`, or `get` on old servers): counts as a hit, as documented. */
  async readValue(key: Buffer, range: ValueRange = {}): Promise<ValuePage | null> {
    const node = await this.nodeOf(key);
    if (!node) return null;
    let data: Buffer | null;
    if (node.meta) {
      const { token, base64 } = metaKey(key);
      const reply = await node.conn.send(`mg ${token} v${base64 ? ' b' : ''}\r\n`, readMeta, 'mg');
      data = reply.code === 'VA' ? reply.data : null;
    } else {
      this.requireTextSafe(key, node);
      data = (await node.conn.send(Buffer.concat([Buffer.from('get '), key, Buffer.from('\r\n')]), readGet, 'get'))?.data ?? null;
    }
    this.recordGet(node, data !== null);
    if (!data) return null;
    const offset = Math.max(0, range.offset ?? 0);
    const limit = Math.max(1, range.limit ?? 65536);
    return { type: 'string', bytes: data.subarray(offset, offset + limit), totalBytes: data.length, offset };
  }

  async writeString(key: Buffer, value: Buffer, options: { keepTtl?: boolean; ttlMs?: number } = {}): Promise<void> {
    this.assertWritable('write a value');
    const existing = await this.locate(key);
    const node = existing?.node ?? this.placement(key);
    if (!node.meta) throw new CacheLensError('unsupported', `writing values needs memcached 1.6 or later (${node.where} runs ${node.version})`);
    const { token, base64 } = metaKey(key);
    let ttlS = 0;
    let clientFlags = 0;
    if (existing) {
      // Client flags carry the application's serialization format: keep them. This `mg` (no value) counts as a hit.
      const cur = await node.conn.send(`mg ${token} f t${base64 ? ' b' : ''}\r\n`, readMeta, 'mg');
      this.recordGet(node, cur.code === 'HD' || cur.code === 'OK');
      for (const f of cur.flags) {
        if (f.startsWith('f')) clientFlags = Number(f.slice(1)) || 0;
        if (f.startsWith('t') && options.keepTtl) ttlS = Number(f.slice(1)) === -1 ? 0 : Math.max(1, Number(f.slice(1)));
      }
    }
    if (options.ttlMs !== undefined && options.ttlMs > 0) ttlS = Math.ceil(options.ttlMs / 1000);
    else if (options.ttlMs === -1) ttlS = 0;
    const header = `ms ${token} ${value.length} T${this.expiryToken(node, ttlS)} F${clientFlags}${base64 ? ' b' : ''}\r\n`;
    const reply = await node.conn.send(Buffer.concat([Buffer.from(header, 'latin1'), value, Buffer.from('\r\n')]), readMeta, 'ms');
    if (reply.code !== 'HD' && reply.code !== 'OK') throw new CacheLensError('server', `memcached at ${node.where} did not store the value (${reply.code})`);
  }

  /** TTL seconds as memcached wants them: relative up to 30 days, absolute server time beyond. */
  private expiryToken(node: ServerNode, ttlS: number): number {
    if (ttlS <= RELATIVE_TTL_LIMIT_S) return ttlS;
    return Math.round(this.serverNow(node) + ttlS);
  }

  async setTtl(key: Buffer, ttlMs: number): Promise<boolean> {
    this.assertWritable('change a TTL');
    const ttlS = ttlMs === -1 ? 0 : Math.max(1, Math.ceil(ttlMs / 1000));
    const results = await Promise.all(this.servers.map(async (node) => {
      const exptime = this.expiryToken(node, ttlS);
      if (isTextSafe(key)) {
        const line = await node.conn.send(Buffer.concat([Buffer.from('touch '), key, Buffer.from(` ${exptime}\r\n`)]), readLine, 'touch');
        return line === 'TOUCHED';
      }
      if (!node.meta) return false;
      // `touch` cannot carry a binary key; `mg b T` can, at the price of one counted get.
      const reply = await node.conn.send(`mg ${key.toString('base64')} b T${exptime}\r\n`, readMeta, 'mg');
      this.recordGet(node, reply.code === 'HD' || reply.code === 'OK');
      return reply.code === 'HD' || reply.code === 'OK';
    }));
    return results.some(Boolean);
  }

  /** Memcached has no rename: read, write under the new name with the same TTL and flags, delete. Not atomic. */
  async rename(from: Buffer, to: Buffer): Promise<void> {
    this.assertWritable('rename a key');
    const src = await this.locate(from);
    if (!src) throw new CacheLensError('server', `no such key: ${from.toString('utf8')}`);
    if (!src.node.meta) throw new CacheLensError('unsupported', `rename needs memcached 1.6 or later (${src.node.where} runs ${src.node.version})`);
    const { token, base64 } = metaKey(from);
    const cur = await src.node.conn.send(`mg ${token} v f t${base64 ? ' b' : ''}\r\n`, readMeta, 'mg');
    this.recordGet(src.node, cur.code === 'VA');
    if (cur.code !== 'VA' || !cur.data) throw new CacheLensError('server', `the key vanished before it could be renamed`);
    let flags = 0;
    let ttlS = 0;
    for (const f of cur.flags) {
      if (f.startsWith('f')) flags = Number(f.slice(1)) || 0;
      if (f.startsWith('t')) ttlS = Number(f.slice(1)) === -1 ? 0 : Math.max(1, Number(f.slice(1)));
    }
    const dest = this.placement(to);
    const d = metaKey(to);
    const header = `ms ${d.token} ${cur.data.length} T${this.expiryToken(dest, ttlS)} F${flags}${d.base64 ? ' b' : ''}\r\n`;
    const stored = await dest.conn.send(Buffer.concat([Buffer.from(header, 'latin1'), cur.data, Buffer.from('\r\n')]), readMeta, 'ms');
    if (stored.code !== 'HD' && stored.code !== 'OK') throw new CacheLensError('server', `memcached at ${dest.where} did not store the renamed key (${stored.code})`);
    await this.delete([from]);
  }

  /** Deletes on every server, pipelined in batches; a key counts once however many servers held it. */
  async delete(keys: Buffer[]): Promise<DeleteResult> {
    this.assertWritable('delete keys');
    let deleted = 0;
    let errors = 0;
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const perNode = await Promise.all(this.servers.map((node) => this.deleteOn(node, batch)));
      for (let k = 0; k < batch.length; k++) {
        let hit = false;
        let failed = false;
        for (const r of perNode) {
          if (r[k] === 'deleted') hit = true;
          else if (r[k] === 'error') failed = true;
        }
        if (hit) deleted++;
        else if (failed) errors++;
      }
    }
    return { deleted, errors };
  }

  private async deleteOn(node: ServerNode, keys: Buffer[]): Promise<Array<'deleted' | 'missing' | 'error'>> {
    const commands = keys.map((key) => {
      if (node.meta) {
        const { token, base64 } = metaKey(key);
        return Buffer.from(`md ${token}${base64 ? ' b' : ''}\r\n`, 'latin1');
      }
      return Buffer.concat([Buffer.from('delete '), key, Buffer.from('\r\n')]);
    });
    const settled = await node.conn.sendManySettled(commands, readLine, 'delete');
    return settled.map((s) => {
      if (s.status === 'rejected') {
        if (CacheLensError.is(s.reason, 'server')) return 'error';
        throw s.reason;
      }
      return s.value === 'HD' || s.value === 'DELETED' ? 'deleted' : s.value === 'NF' || s.value === 'NOT_FOUND' ? 'missing' : 'error';
    });
  }

  /** `flush_all` on every server: invalidates every item. The UI asks for the connection's name first. */
  async flush(): Promise<void> {
    this.assertWritable('flush the cache');
    await Promise.all(this.servers.map(async (node) => {
      const line = await node.conn.send('flush_all\r\n', readLine, 'flush_all');
      if (line !== 'OK') throw new CacheLensError('server', `memcached at ${node.where} answered ${line} to flush_all`);
    }));
  }

  async stats(): Promise<Array<{ node: string; fields: Record<string, string> }>> {
    return Promise.all(this.servers.map(async (node) => ({
      node: node.where,
      fields: statsToRecord(await node.conn.send('stats\r\n', readUntilEnd, 'stats')),
    })));
  }

  async close(): Promise<void> {
    for (const node of this.servers) node.conn.close();
  }

  private async nodeOf(key: Buffer): Promise<ServerNode | null> {
    if (this.servers.length === 1) return this.servers[0];
    return (await this.locate(key))?.node ?? null;
  }

  /** Where a new key goes: memjs's placement (hash % servers), so memjs apps find it. */
  private placement(key: Buffer): ServerNode {
    return this.servers[memjsServerIndex(key, this.servers.length)];
  }

  /** Our own reads that the server counts, so the stats view can subtract them. */
  private recordGet(node: ServerNode, hit: boolean): void {
    this.ledger.record(node.where, { hits: hit ? 1 : 0, misses: hit ? 0 : 1, commands: 1 });
  }

  private requireTextSafe(key: Buffer, node: ServerNode): void {
    if (!isTextSafe(key)) throw new CacheLensError('unsupported', `memcached ${node.version} at ${node.where} has no meta commands, so keys with spaces or control bytes cannot be used`);
  }

  private assertWritable(what: string): void {
    if (this.readOnly) throw new CacheLensError('readonly', `this connection is read-only: cannot ${what}`);
  }
}

