/**
 * Fills a KeyspaceModel from a driver, one page at a time: the scan iterator is kept between
 * pages so "Load more…" continues where the last page stopped, and memory holds only what the
 * user asked to see. No `vscode` import: it runs the same in plain Node tests.
 */
import type { CacheDriver, KeyInfo } from '../../core/driver/types';
import { CacheLensError } from '../../core/errors';
import { TagStore } from '../../core/tags';
import { KeyspaceModel, type Filter, type KeyNode, type TagNode } from './model';
import { displayKey } from '../../core/keyname';

export interface SessionOptions {
  connectionId: string;
  delimiter: string;
  /** Keys per "Load more…" page. */
  pageSize: number;
  /** The prefix of tag sets (`tag:`). */
  tagPrefix: string;
  /** Opens (or reuses) the connection's driver. */
  driver(): Promise<CacheDriver>;
  /** Called when a failure means the driver should be reopened next time. */
  onConnectionLost?(error: unknown): void;
  now?(): number;
}

interface OpenScan {
  iterator: AsyncIterator<KeyInfo[]>;
  controller: AbortController;
  leftover: KeyInfo[];
}

const LOST: ReadonlySet<string> = new Set(['unreachable', 'closed', 'timeout', 'tls', 'auth']);

export class KeyspaceSession {
  readonly model: KeyspaceModel;
  private scan: OpenScan | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  /** Set after the first page was requested, so a collapsed connection costs nothing. */
  started = false;

  constructor(private readonly options: SessionOptions) {
    this.model = new KeyspaceModel({ connectionId: options.connectionId, delimiter: options.delimiter, displayKey });
    this.now = options.now ?? Date.now;
  }

  /** Loads the next page; resolves with how many keys it added. Calls run one after another. */
  loadMore(): Promise<number> {
    this.started = true;
    return this.serialize(() => this.page());
  }

  /** Starts over (optionally with a new filter) and loads the first page. */
  refresh(filter?: Filter): Promise<number> {
    this.stopScan();
    this.model.reset(filter);
    return this.loadMore();
  }

  /** Exact-key lookup; shows the key at the top of the connection when it exists. */
  async lookup(key: Buffer): Promise<KeyNode | undefined> {
    const info = await this.guard(async () => (await this.options.driver()).lookup(key));
    if (!info) return undefined;
    this.model.addKeys([info], this.now());
    return this.model.addLookup(info, this.now());
  }

  /** Re-reads one key's metadata (after a TTL change or a save); removes it when it is gone. */
  async reread(key: Buffer): Promise<void> {
    const info = await this.guard(async () => (await this.options.driver()).lookup(key));
    if (info) this.model.addKeys([info], this.now());
    else this.model.removeKeys([key]);
  }

  /** Loads tag names and member counts (Redis): every set whose name starts with the prefix. */
  async loadTags(): Promise<void> {
    const tags = await this.guard(async () => (await this.tagStore()).listAll());
    this.model.setTags(tags.map((t) => ({ name: displayKey(t.name), setKey: t.key, members: t.members })));
  }

  /** Reads a tag's first page of members (about 500) and marks those whose key no longer exists. */
  async loadTagMembers(tag: TagNode): Promise<void> {
    const members = await this.guard(async () => {
      const driver = await this.options.driver();
      const store = new TagStore(driver, { prefix: this.options.tagPrefix });
      const page = await store.membersPage(this.tagName(tag), '0', 500);
      return Promise.all(page.keys.map(async (key) => {
        const info = await driver.lookup(key);
        return info ? { info, exists: true } : { info: { key, type: 'none', ttlMs: -1, bytes: -1 }, exists: false };
      }));
    });
    this.model.setTagMembers(tag, members, this.now());
  }

  /** The tag's name bytes (the set key without the prefix). */
  tagName(tag: TagNode): Buffer {
    return tag.setKey.subarray(Buffer.byteLength(this.options.tagPrefix, 'utf8'));
  }

  async tagStore(): Promise<TagStore> {
    return new TagStore(await this.options.driver(), { prefix: this.options.tagPrefix });
  }

  dispose(): void {
    this.stopScan();
  }

  private async page(): Promise<number> {
    const driver = await this.guard(() => this.options.driver());
    const caps = driver.capabilities();
    this.model.tagsEnabled = caps.tags;
    if (!caps.listKeys) {
      this.model.setMessages([{ text: caps.note ?? 'This server cannot list its keys; use "Look Up Key".', severity: 'warning' }]);
      this.model.complete = true;
      return 0;
    }
    if (caps.listingPartial) this.model.setMessages([{ text: caps.note ?? 'The listing may be partial.', severity: 'warning' }]);
    if (!this.scan) {
      const controller = new AbortController();
      const { match, type } = this.model.filter;
      const iterable = driver.scan({ match, type, withMeta: true, signal: controller.signal, count: Math.min(1000, this.options.pageSize) });
      this.scan = { iterator: iterable[Symbol.asyncIterator](), controller, leftover: [] };
    }
    const scan = this.scan;
    let added = 0;
    const want = this.options.pageSize;
    const take = (batch: KeyInfo[]): void => {
      const room = want - added;
      const now = this.now();
      this.model.addKeys(batch.slice(0, room), now);
      added += Math.min(room, batch.length);
      if (batch.length > room) scan.leftover = batch.slice(room);
    };
    if (scan.leftover.length) {
      const rest = scan.leftover;
      scan.leftover = [];
      take(rest);
    }
    while (added < want) {
      const next = await this.guard(() => scan.iterator.next(), () => this.stopScan());
      if (next.done) {
        this.model.complete = true;
        this.scan = undefined;
        break;
      }
      take(next.value);
    }
    return added;
  }

  private stopScan(): void {
    if (!this.scan) return;
    this.scan.controller.abort();
    void this.scan.iterator.return?.().catch(() => undefined);
    this.scan = undefined;
  }

  /** Runs a driver call; a lost connection is reported so the driver is reopened next time. */
  private async guard<T>(fn: () => Promise<T>, onFail?: () => void): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      onFail?.();
      if (CacheLensError.is(e) && LOST.has(e.reason)) {
        this.stopScan();
        this.options.onConnectionLost?.(e);
      }
      throw e;
    }
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
