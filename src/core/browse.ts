/**
 * The key tree: namespaces by delimiter with key counts, key leaves with type, TTL and size.
 * Keys arrive page by page from one driver listing ("load more" continues the same cursor), so
 * a million keys never load at once, and `maxKeys` bounds what the tree holds. The model knows
 * nothing about VS Code: a TreeDataProvider maps `children(id)` to tree items and `loadMore()`
 * to a "load more" node, and refreshes the node ids that `loadMore()` reports as changed.
 */
import { CacheLensError } from './errors';
import type { CacheDriver, KeyInfo } from './driver/types';
import { displayKey } from './keyname';
import type { NamespaceStats } from './analyze';

export interface NamespaceNode {
  kind: 'namespace';
  /** Stable id: the prefix bytes as latin1 (binary-safe, one char per byte). */
  id: string;
  /** Full prefix including the trailing delimiter. */
  prefix: Buffer;
  /** The last segment, displayable (escaped when binary), without the delimiter. */
  label: string;
  /** Keys under this prefix loaded so far (all levels). */
  loadedKeys: number;
  /** From an analysis, when one ran: the true count and bytes. */
  analyzed?: { keys: number; bytes: number };
}

export interface KeyLeaf {
  kind: 'key';
  id: string;
  info: KeyInfo;
  /** The key's last segment (after the namespace prefix), displayable. */
  label: string;
  /** When the TTL was read (ms since epoch), so a UI can count it down live. */
  readAt: number;
}

export type TreeNode = NamespaceNode | KeyLeaf;

export interface KeyTreeOptions {
  delimiter?: string;
  /** Glob filter (Redis MATCH syntax). */
  match?: string;
  /** Type filter (`string`, `hash`, ...). */
  type?: string;
  /** Keys per "load more" page. */
  pageSize?: number;
  /** The most keys the tree will hold; loadMore() stops adding beyond it. */
  maxKeys?: number;
}

interface Branch {
  node: NamespaceNode | null;
  namespaces: Map<string, Branch>;
  keys: Map<string, KeyLeaf>;
  sorted: TreeNode[] | null;
}

export const ROOT_ID = '';

export class KeyTree {
  readonly delimiter: Buffer;
  readonly pageSize: number;
  readonly maxKeys: number;
  private readonly branches = new Map<string, Branch>();
  private readonly root: Branch;
  private iterator: AsyncIterator<KeyInfo[]> | null = null;
  /** Keys fetched beyond the last page, kept for the next one. */
  private carry: KeyInfo[] = [];
  private finished = false;
  private loaded = 0;
  private loading: Promise<{ added: number; changed: string[] }> | null = null;

  constructor(private readonly driver: CacheDriver, private readonly options: KeyTreeOptions = {}) {
    this.delimiter = Buffer.from(options.delimiter ?? ':', 'utf8');
    if (this.delimiter.length === 0) throw new CacheLensError('usage', 'the delimiter must not be empty');
    this.pageSize = options.pageSize ?? 500;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.root = { node: null, namespaces: new Map(), keys: new Map(), sorted: null };
    this.branches.set(ROOT_ID, this.root);
  }

  /** True once the listing reached its end. */
  get done(): boolean { return this.finished && this.carry.length === 0; }
  /** True when more keys could be loaded (and the tree is not full). */
  get hasMore(): boolean { return !this.done && this.loaded < this.maxKeys; }
  get loadedKeys(): number { return this.loaded; }

  /**
   * Loads the next page of keys into the tree. Returns how many keys were added and the ids of
   * the namespaces whose children changed (ROOT_ID for the top). Concurrent calls share one load.
   */
  loadMore(signal?: AbortSignal): Promise<{ added: number; changed: string[] }> {
    if (!this.loading) {
      this.loading = this.loadPage(signal).finally(() => { this.loading = null; });
    }
    return this.loading;
  }

  private async loadPage(signal?: AbortSignal): Promise<{ added: number; changed: string[] }> {
    const caps = this.driver.capabilities();
    if (!caps.listKeys) throw new CacheLensError('unsupported', caps.note ?? 'this connection cannot list keys');
    const want = Math.min(this.pageSize, this.maxKeys - this.loaded);
    const changed = new Set<string>();
    let added = 0;
    if (want <= 0) return { added, changed: [] };
    if (!this.iterator && !this.finished) {
      this.iterator = this.driver.scan({
        match: this.options.match, type: this.options.type, withMeta: true,
        count: Math.min(Math.max(this.pageSize, 100), 1000), signal,
      })[Symbol.asyncIterator]();
    }
    while (added < want) {
      if (this.carry.length === 0) {
        if (this.finished || !this.iterator) break;
        const next = await this.iterator.next();
        if (next.done) { this.finished = true; this.iterator = null; break; }
        this.carry = next.value;
      }
      const take = this.carry.splice(0, want - added);
      const now = Date.now();
      for (const info of take) {
        if (this.insert(info, now, changed)) added++;
      }
    }
    this.loaded += added;
    return { added, changed: [...changed] };
  }

  /** Stops the listing (closes the driver's cursor or dump connection). */
  async dispose(): Promise<void> {
    const it = this.iterator;
    this.iterator = null;
    this.finished = true;
    this.carry = [];
    await it?.return?.();
  }

  private insert(info: KeyInfo, now: number, changed: Set<string>): boolean {
    const key = info.key;
    let branch = this.root;
    let branchId = ROOT_ID;
    let pos = 0;
    const d = this.delimiter;
    for (;;) {
      const idx = d.length === 1 ? key.indexOf(d[0], pos) : key.indexOf(d, pos);
      if (idx === -1) break;
      const end = idx + d.length;
      const id = key.toString('latin1', 0, end);
      let child = branch.namespaces.get(id);
      if (!child) {
        const prefix = Buffer.from(key.subarray(0, end));
        child = {
          node: { kind: 'namespace', id, prefix, label: displayKey(key.subarray(pos, idx)), loadedKeys: 0 },
          namespaces: new Map(), keys: new Map(), sorted: null,
        };
        branch.namespaces.set(id, child);
        this.branches.set(id, child);
        branch.sorted = null;
        changed.add(branchId);
      }
      (child.node as NamespaceNode).loadedKeys++;
      branch = child;
      branchId = id;
      pos = end;
    }
    const id = 'k' + key.toString('latin1') + '\u0000' + (info.node ?? '');
    // A key may repeat across SCAN pages (SCAN's contract); it is counted once.
    if (branch.keys.has(id)) {
      this.undoCounts(key);
      return false;
    }
    branch.keys.set(id, { kind: 'key', id, info, label: displayKey(key.subarray(pos)), readAt: now });
    branch.sorted = null;
    changed.add(branchId);
    return true;
  }

  private undoCounts(key: Buffer): void {
    let pos = 0;
    const d = this.delimiter;
    for (;;) {
      const idx = key.indexOf(d, pos);
      if (idx === -1) return;
      const end = idx + d.length;
      const b = this.branches.get(key.toString('latin1', 0, end));
      if (b?.node) b.node.loadedKeys--;
      pos = end;
    }
  }

  /** Children of a namespace (ROOT_ID for the top): namespaces first, then keys, each by name. */
  children(id: string = ROOT_ID): TreeNode[] {
    const branch = this.branches.get(id);
    if (!branch) return [];
    if (!branch.sorted) {
      const ns = [...branch.namespaces.values()].map((b) => b.node as NamespaceNode).sort((a, b) => Buffer.compare(a.prefix, b.prefix));
      const keys = [...branch.keys.values()].sort((a, b) => Buffer.compare(a.info.key, b.info.key));
      branch.sorted = [...ns, ...keys];
    }
    return branch.sorted;
  }

  node(id: string): NamespaceNode | undefined {
    return this.branches.get(id)?.node ?? undefined;
  }

  /** Attaches an analysis's true counts and bytes to the namespace nodes it covers. */
  applyAnalysis(namespaces: NamespaceStats[]): string[] {
    const touched: string[] = [];
    const walk = (list: NamespaceStats[]) => {
      for (const s of list) {
        const b = this.branches.get(s.prefix.toString('latin1'));
        if (b?.node) { b.node.analyzed = { keys: s.keys, bytes: s.bytes }; touched.push(b.node.id); }
        walk(s.children);
      }
    };
    walk(namespaces);
    return touched;
  }

  /** Drops a key from the tree (after a delete), keeping counts right. */
  remove(key: Buffer): boolean {
    let removed = false;
    for (const branch of this.branches.values()) {
      for (const [id, leaf] of branch.keys) {
        if (leaf.info.key.equals(key)) { branch.keys.delete(id); branch.sorted = null; removed = true; }
      }
    }
    if (removed) { this.undoCounts(key); this.loaded--; }
    return removed;
  }
}

/** Exact-key lookup for the tree's search box: metadata without reading the value. */
export async function lookupKey(driver: CacheDriver, key: Buffer): Promise<KeyLeaf | null> {
  const info = await driver.lookup(key);
  return info ? { kind: 'key', id: 'k' + key.toString('latin1') + '\u0000' + (info.node ?? ''), info, label: displayKey(key), readAt: Date.now() } : null;
}

/** The TTL left now for a leaf, counted down from when it was read (-1: none). */
export function liveTtlMs(leaf: KeyLeaf, now = Date.now()): number {
  if (leaf.info.ttlMs < 0) return -1;
  return Math.max(0, leaf.info.ttlMs - (now - leaf.readAt));
}
