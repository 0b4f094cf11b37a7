/**
 * Memcached with SASL, through memjs (binary protocol). A SASL server refuses the text
 * protocol, so keys cannot be listed and there is no counter-free metadata read: exact-key
 * lookup is a binary GET (it counts as a hit or a miss) and the remaining TTL is unknown.
 * One memjs client per server, so a lookup can ask each server of a pool.
 */
import * as memjs from 'memjs';
import { CacheLensError } from '../../errors';
import { ActivityLedger } from '../ledger';
import type {
  CacheDriver, Capabilities, DeleteResult, KeyInfo, ScanOptions, ValuePage, ValueRange,
} from '../types';
import type { HostPort } from '../url';
import { hostPort } from './connection';

export const SASL_LISTING_NOTE = 'this server uses SASL authentication, which disables the text protocol: keys cannot be listed; exact-key lookup works';

const silentLogger = { log: (): void => { /* memjs logs every failure to the console otherwise */ } };

interface SaslServer { where: string; client: memjs.Client }

/** memjs keys are typed as strings but sent as bytes; a Buffer keeps binary keys exact. */
function k(key: Buffer): string {
  return key as unknown as string;
}

export class MemcachedSaslDriver implements CacheDriver {
  readonly kind = 'memcached' as const;
  readonly ledger = new ActivityLedger();

  private constructor(
    readonly display: string,
    private readonly servers: SaslServer[],
    private readonly username: string,
    private readonly readOnly: boolean,
  ) {}

  static async open(display: string, addresses: HostPort[], username: string, password: string, timeoutMs: number, readOnly: boolean): Promise<MemcachedSaslDriver> {
    const servers = addresses.map((a) => ({
      where: hostPort(a),
      client: memjs.Client.create(`${a.host}:${a.port}`, {
        username, password, retries: 0, failover: false, logger: silentLogger,
        timeout: timeoutMs / 1000, conntimeout: timeoutMs / 1000,
      }),
    }));
    const driver = new MemcachedSaslDriver(display, servers, username, readOnly);
    try {
      // `stats` authenticates without touching any key, so opening does not move counters.
      await driver.stats();
    } catch (e) {
      await driver.close();
      throw e;
    }
    return driver;
  }

  capabilities(): Capabilities {
    return { listKeys: false, listingPartial: false, types: false, tags: false, note: SASL_LISTING_NOTE };
  }

  nodes(): string[] {
    return this.servers.map((s) => s.where);
  }

  // The generator form keeps the signature; it throws before yielding anything.
  async *scan(_options?: ScanOptions): AsyncIterable<KeyInfo[]> {
    throw new CacheLensError('unsupported', SASL_LISTING_NOTE);
  }

  /** Translates memjs failures (its auth failure has the message `undefined`) into clear errors. */
  private mapError(e: unknown, where: string): CacheLensError {
    if (CacheLensError.is(e)) return e;
    const msg = e instanceof Error ? String(e.message) : String(e);
    const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
    if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(msg)) return new CacheLensError('unreachable', `cannot connect to memcached at ${where}: connection refused`, e);
    if (/timed? ?out/i.test(msg)) return new CacheLensError('timeout', `memcached at ${where} did not answer in time`, e);
    if (msg === 'undefined' || msg === '' || /auth/i.test(msg)) return new CacheLensError('auth', `authentication failed for ${this.username} at ${where}`, e);
    return new CacheLensError('server', `memcached at ${where}: ${msg}`, e);
  }

  private async onServer<T>(server: SaslServer, run: (c: memjs.Client) => Promise<T>): Promise<T> {
    try {
      return await run(server.client);
    } catch (e) {
      throw this.mapError(e, server.where);
    }
  }

  private async find(key: Buffer): Promise<{ server: SaslServer; value: Buffer } | null> {
    for (const server of this.servers) {
      const r = await this.onServer(server, (c) => c.get(k(key)));
      // Binary GET is the only read SASL allows; it counts, so it goes on the ledger.
      this.ledger.record(server.where, { hits: r.value ? 1 : 0, misses: r.value ? 0 : 1, commands: 1 });
      if (r.value) return { server, value: r.value };
    }
    return null;
  }

  async lookup(key: Buffer): Promise<KeyInfo | null> {
    const found = await this.find(key);
    return found ? { key: Buffer.from(key), type: 'string', ttlMs: -1, bytes: found.value.length, node: found.server.where } : null;
  }

  async readValue(key: Buffer, range: ValueRange = {}): Promise<ValuePage | null> {
    const found = await this.find(key);
    if (!found) return null;
    const offset = Math.max(0, range.offset ?? 0);
    const limit = Math.max(1, range.limit ?? 65536);
    return { type: 'string', bytes: found.value.subarray(offset, offset + limit), totalBytes: found.value.length, offset };
  }

  async writeString(key: Buffer, value: Buffer, options: { keepTtl?: boolean; ttlMs?: number } = {}): Promise<void> {
    this.assertWritable('write a value');
    if (options.keepTtl && !(options.ttlMs && options.ttlMs > 0)) {
      throw new CacheLensError('unsupported', 'the remaining TTL cannot be read over SASL (binary protocol), so it cannot be kept: give a TTL explicitly');
    }
    const found = await this.find(key);
    const server = found?.server ?? this.servers[0];
    const expires = options.ttlMs && options.ttlMs > 0 ? Math.ceil(options.ttlMs / 1000) : 0;
    const ok = await this.onServer(server, (c) => c.set(k(key), value, { expires }));
    if (!ok) throw new CacheLensError('server', `memcached at ${server.where} did not store the value`);
  }

  async setTtl(key: Buffer, ttlMs: number): Promise<boolean> {
    this.assertWritable('change a TTL');
    const seconds = ttlMs === -1 ? 0 : Math.max(1, Math.ceil(ttlMs / 1000));
    let touched = false;
    for (const server of this.servers) {
      if (await this.onServer(server, (c) => c.touch(k(key), seconds))) touched = true;
    }
    return touched;
  }

  async rename(from: Buffer, to: Buffer): Promise<void> {
    this.assertWritable('rename a key');
    const found = await this.find(from);
    if (!found) throw new CacheLensError('server', `no such key: ${from.toString('utf8')}`);
    await this.onServer(found.server, (c) => c.set(k(to), found.value, { expires: 0 }));
    await this.delete([from]);
  }

  async delete(keys: Buffer[]): Promise<DeleteResult> {
    this.assertWritable('delete keys');
    let deleted = 0;
    let errors = 0;
    for (const key of keys) {
      let hit = false;
      let failed = false;
      for (const server of this.servers) {
        try {
          if (await this.onServer(server, (c) => c.delete(k(key)))) hit = true;
        } catch (e) {
          if (!CacheLensError.is(e, 'server')) throw e;
          failed = true;
        }
      }
      if (hit) deleted++;
      else if (failed) errors++;
    }
    return { deleted, errors };
  }

  async flush(): Promise<void> {
    this.assertWritable('flush the cache');
    for (const server of this.servers) await this.onServer(server, (c) => c.flush());
  }

  async stats(): Promise<Array<{ node: string; fields: Record<string, string> }>> {
    return Promise.all(this.servers.map((server) => new Promise<{ node: string; fields: Record<string, string> }>((resolve, reject) => {
      server.client.stats((err, _name, stats) => {
        if (err) reject(this.mapError(err, server.where));
        else resolve({ node: server.where, fields: stats ?? {} });
      });
    })));
  }

  async close(): Promise<void> {
    for (const server of this.servers) server.client.close();
  }

  private assertWritable(what: string): void {
    if (this.readOnly) throw new CacheLensError('readonly', `this connection is read-only: cannot ${what}`);
  }
}
