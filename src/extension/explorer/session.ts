/**
 * Fills a KeyspaceModel from a driver, one page at a time. The connection's top level pages
 * through one connection-wide scan; a namespace pages through its own `<prefix>*` scan and a
 * tag through its own SSCAN cursor, so "Load more…" under `user:` brings only `user:` keys.
 * Each scan's iterator is kept between pages so "Load more…" continues where the last page
 * stopped, and memory holds only what the user asked to see. No `vscode` import: it runs the
 * same in plain Node tests.
 */
import type { CacheDriver, KeyInfo } from '../../core/driver/types';
import { CacheLensError } from '../../core/errors';
import { TagStore } from '../../core/tags';
import { KeyspaceModel, type Filter, type KeyNode, type NamespaceNode, type TagNode } from './model';
import { displayKey } from '../../core/keyname';
import { scopeScan, type ScopeScan } from './scope';

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
  /** Keeps only keys of the scope, for what the server-side MATCH cannot express. */
  keep: ScopeScan['keep'];
}

/**
 * Namespace scans kept open at once. Each holds a cursor and at most one batch; beyond this the
 * least recently used is closed and, if asked again, starts over (keys already shown are not
 * counted twice), so expanding many namespaces cannot grow memory without bound.
 */
export const MAX_OPEN_SCANS = 16;

const LOST: ReadonlySet<string> = new Set(['unreachable', 'closed', 'timeout', 'tls', 'auth']);

export class KeyspaceSession {
  readonly model: KeyspaceModel;
  /** Open scans by scope: '' for the connection, the prefix's latin1 text for a namespace. */
  private readonly scans = new Map<string, OpenScan>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  /** Set after the first page was requested, so a collapsed connection costs nothing. */
  started = false;

  constructor(private readonly options: SessionOptions) {
    this.model = new KeyspaceModel({ connectionId: options.connectionId, delimiter: options.delimiter, displayKey });
    this.now = options.now ?? Date.now;
  }

  /**
   * Loads the next page of the connection (no argument) or of one namespace; resolves with how
   * many keys it added. Calls run one after another.
   */
  loadMore(under?: NamespaceNode): Promise<number> {
    this.started = true;
    return this.serialize(() => this.page(under));
  }

  /** Starts over (optionally with a new filter) and loads the first page. */
  refresh(filter?: Filter): Promise<number> {
    this.stopScans();
    this.model.reset(filter);
    return this.loadMore();
  }

  /** How many scans are open now (for tests of the memory bound). */
  get openScans(): number {
    return this.scans.size;
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

  /** Reads a tag's first page of members and marks those whose key no longer exists. */
  loadTagMembers(tag: TagNode): Promise<number> {
    return this.serialize(async () => {
      const { members, cursor } = await this.tagPage(tag, '0');
      this.model.setTagMembers(tag, members, this.now(), cursor);
      return members.length;
    });
  }

  /** Reads the tag's next page of members; resolves with how many new members it added. */
  loadMoreTagMembers(tag: TagNode): Promise<number> {
    return this.serialize(async () => {
      if (!tag.loaded) {
        const first = await this.tagPage(tag, '0');
        this.model.setTagMembers(tag, first.members, this.now(), first.cursor);
        return first.members.length;
      }
      if (tag.cursor === null) return 0;
      const { members, cursor } = await this.tagPage(tag, tag.cursor);
      return this.model.addTagMembers(tag, members, this.now(), cursor);
    });
  }

  /** The tag's name bytes (the set key without the prefix). */
  tagName(tag: TagNode): Buffer {
    return tag.setKey.subarray(Buffer.byteLength(this.options.tagPrefix, 'utf8'));
  }

  async tagStore(): Promise<TagStore> {
    return new TagStore(await this.options.driver(), { prefix: this.options.tagPrefix });
  }

  dispose(): void {
    this.stopScans();
  }

  /** One page of a tag's members from `cursor`, each with its metadata or marked dangling. */
  private tagPage(tag: TagNode, cursor: string): Promise<{ members: Array<{ info: KeyInfo; exists: boolean }>; cursor: string | null }> {
    return this.guard(async () => {
      const driver = await this.options.driver();
      const store = new TagStore(driver, { prefix: this.options.tagPrefix });
      const page = await store.membersPage(this.tagName(tag), cursor, this.options.pageSize);
      const members = await Promise.all(page.keys.map(async (key) => {
        const info = await driver.lookup(key);
        return info ? { info, exists: true } : { info: { key, type: 'none', ttlMs: -1, bytes: -1 }, exists: false };
      }));
      return { members, cursor: page.cursor };
    });
  }

  private async page(under: NamespaceNode | undefined): Promise<number> {
    const driver = await this.guard(() => this.options.driver());
    const caps = driver.capabilities();
    this.model.tagsEnabled = caps.tags;
    if (!caps.listKeys) {
      this.model.setMessages([{ text: caps.note ?? 'This server cannot list its keys; use "Look Up Key".', severity: 'warning' }]);
      this.model.complete = true;
      return 0;
    }
    if (caps.listingPartial) this.model.setMessages([{ text: caps.note ?? 'The listing may be partial.', severity: 'warning' }]);
    if (this.model.isComplete(under)) return 0;
    const id = under ? under.prefix.toString('latin1') : '';
    let scan = this.scans.get(id);
    if (scan) {
      // Most recently used last, so the first entry is the one to close when there are too many.
      this.scans.delete(id);
      this.scans.set(id, scan);
    } else {
      const controller = new AbortController();
      const scope = scopeScan(under?.prefix, this.model.filter);
      const iterable = driver.scan({ match: scope.match, type: scope.type, withMeta: true, signal: controller.signal, count: Math.min(1000, this.options.pageSize) });
      scan = { iterator: iterable[Symbol.asyncIterator](), controller, leftover: [], keep: scope.keep };
      this.scans.set(id, scan);
      this.closeLeastRecent();
    }
    const open = scan;
    let added = 0;
    const want = this.options.pageSize;
    // Counts only keys that were not shown yet, so a namespace page is not used up by keys the
    // connection-wide scan (or an earlier pass of this scan) already loaded.
    const take = (batch: KeyInfo[]): void => {
      const now = this.now();
      let i = 0;
      for (; i < batch.length && added < want; i++) {
        if (open.keep && !open.keep(batch[i].key)) continue;
        added += this.model.addKeys([batch[i]], now);
      }
      if (i < batch.length) open.leftover = batch.slice(i);
    };
    if (open.leftover.length) {
      const rest = open.leftover;
      open.leftover = [];
      take(rest);
    }
    while (added < want) {
      const next = await this.guard(() => open.iterator.next(), () => this.stopScan(id));
      if (next.done) {
        if (under) under.scanned = true;
        else this.model.complete = true;
        this.scans.delete(id);
        break;
      }
      take(next.value);
    }
    return added;
  }

  private closeLeastRecent(): void {
    // The connection-wide scan is never closed: its cursor is the top level's only progress.
    for (const id of this.scans.keys()) {
      if (this.scans.size <= MAX_OPEN_SCANS + 1) return;
      if (id !== '') this.stopScan(id);
    }
  }

  private stopScan(id: string): void {
    const scan = this.scans.get(id);
    if (!scan) return;
    scan.controller.abort();
    void scan.iterator.return?.().catch(() => undefined);
    this.scans.delete(id);
  }

  private stopScans(): void {
    for (const id of [...this.scans.keys()]) this.stopScan(id);
  }

  /** Runs a driver call; a lost connection is reported so the driver is reopened next time. */
  private async guard<T>(fn: () => Promise<T>, onFail?: () => void): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      onFail?.();
      if (CacheLensError.is(e) && LOST.has(e.reason)) {
        this.stopScans();
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
