/**
 * The explorer's data model for one connection: the keys loaded so far, grouped into a
 * namespace tree by a delimiter, plus tag nodes, exact-key lookups and analyze figures.
 *
 * It is pure (no `vscode`, no I/O) so it can be tested in plain Node; the TreeDataProvider only
 * turns these nodes into TreeItems. Node objects are stable across calls because VS Code
 * identifies a refreshed element by object reference.
 */
import type { KeyInfo } from '../../core/driver/types';
import { formatBytes, formatCount, formatTtl } from './format';

export interface NamespaceNode {
  readonly kind: 'namespace';
  readonly id: string;
  readonly connectionId: string;
  /** The exact bytes every key below starts with, delimiter included ("user:"). */
  readonly prefix: Buffer;
  /** The last segment with its delimiter ("1:" below "user:"). */
  readonly label: string;
  readonly parent: NamespaceNode | undefined;
  /** Loaded keys in this subtree. */
  count: number;
  /** Its own `<prefix>*` scan reached the end: every key below is loaded. */
  scanned: boolean;
  readonly namespaces: Map<string, NamespaceNode>;
  readonly keys: Map<string, KeyNode>;
}

export interface KeyNode {
  readonly kind: 'key';
  readonly id: string;
  readonly connectionId: string;
  readonly key: Buffer;
  /** The full key name, escaped when it is not valid UTF-8. */
  readonly label: string;
  readonly parent: NamespaceNode | undefined;
  type: string;
  /** TTL in ms as read at `readAt`; -1 when none. */
  ttlMs: number;
  readAt: number;
  bytes: number;
  /** A tag member whose key no longer exists. */
  dangling?: boolean;
  /** Where it is shown: the namespace tree, a lookup result, or under a tag. */
  readonly origin: 'tree' | 'lookup' | 'tag';
}

export interface TagsNode { readonly kind: 'tags'; readonly id: string; readonly connectionId: string }

export interface TagNode {
  readonly kind: 'tag';
  readonly id: string;
  readonly connectionId: string;
  /** The tag's name without the prefix. */
  readonly name: string;
  /** The set that holds the members (`tag:<name>`). */
  readonly setKey: Buffer;
  members: number;
  /** Members once loaded (existing keys and dangling ones). */
  loaded: KeyNode[] | undefined;
  /** The SSCAN cursor of the next page of members; null once every member is loaded. */
  cursor: string | null;
}

export interface LoadMoreNode {
  readonly kind: 'loadMore';
  readonly id: string;
  readonly connectionId: string;
  /**
   * What it continues: the connection-wide scan (top level), the namespace's own `<prefix>*`
   * scan, or the tag's member pages.
   */
  readonly under: NamespaceNode | undefined;
  readonly tag?: TagNode;
}

export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly connectionId: string;
  readonly text: string;
  readonly severity: 'info' | 'warning' | 'error';
}

export type ExplorerNode = NamespaceNode | KeyNode | TagsNode | TagNode | LoadMoreNode | MessageNode;

export interface Filter {
  /** A glob in Redis MATCH syntax. */
  match?: string;
  /** Only keys of this type. */
  type?: string;
}

export interface NamespaceFigures { keys: number; bytes: number }

export interface ModelOptions {
  connectionId: string;
  delimiter: string;
  /** How a key is shown: UTF-8 as is, anything else escaped. */
  displayKey(key: Buffer): string;
}

const collator = new Intl.Collator('en', { numeric: true });

/** A byte-exact map key for a Buffer: latin1 maps every byte to one distinct char. */
function mapKey(b: Buffer): string {
  return b.toString('latin1');
}

export class KeyspaceModel {
  readonly connectionId: string;
  readonly delimiter: Buffer;
  private readonly displayKey: (key: Buffer) => string;
  private readonly root: NamespaceNode;
  private readonly lookups = new Map<string, KeyNode>();
  private readonly tagsNode: TagsNode;
  private readonly loadMoreNodes = new Map<string, LoadMoreNode>();
  private tags: TagNode[] | undefined;
  private analysis = new Map<string, NamespaceFigures>();
  private messages: MessageNode[] = [];

  /** The scan reached the end of the keyspace (with the current filter). */
  complete = false;
  /** Tags are shown (Redis). */
  tagsEnabled = false;
  filter: Filter = {};

  constructor(options: ModelOptions) {
    this.connectionId = options.connectionId;
    this.delimiter = Buffer.from(options.delimiter, 'utf8');
    this.displayKey = options.displayKey;
    this.root = this.newNamespace(Buffer.alloc(0), '', undefined);
    this.tagsNode = { kind: 'tags', id: `${this.connectionId}|tags`, connectionId: this.connectionId };
  }

  /** Loaded keys (the namespace tree only, not lookups or tag members). */
  get loadedCount(): number {
    return this.root.count;
  }

  /**
   * Forgets every loaded key, tag, message and analyze figure (they may be stale after a purge);
   * the filter stays unless a new one is given.
   */
  reset(filter?: Filter): void {
    this.analysis = new Map();
    this.root.namespaces.clear();
    this.root.keys.clear();
    this.root.count = 0;
    this.lookups.clear();
    this.tags = undefined;
    this.messages = [];
    this.loadMoreNodes.clear();
    this.complete = false;
    if (filter) this.filter = { ...filter };
  }

  /** Adds a batch from a scan; a key already loaded is updated in place. Returns how many were new. */
  addKeys(batch: readonly KeyInfo[], now: number): number {
    let added = 0;
    for (const info of batch) if (this.insert(info, now)) added++;
    return added;
  }

  /**
   * Whether every key below a namespace is loaded: the connection-wide scan finished, or the
   * namespace's own scan (or an enclosing namespace's) did.
   */
  isComplete(ns: NamespaceNode | undefined): boolean {
    if (this.complete) return true;
    for (let n = ns; n && n !== this.root; n = n.parent) if (n.scanned) return true;
    return false;
  }

  /** Removes keys (after a delete), wherever they are shown, pruning empty namespaces. */
  removeKeys(keys: readonly Buffer[]): void {
    for (const key of keys) {
      const k = mapKey(key);
      this.lookups.delete(k);
      const ns = this.namespaceFor(key, false);
      if (ns?.keys.delete(k)) {
        for (let n: NamespaceNode | undefined = ns; n; n = n.parent) n.count--;
        this.prune(ns);
      }
      for (const tag of this.tags ?? []) {
        const member = tag.loaded?.find((m) => m.key.equals(key));
        if (member) member.dangling = true;
      }
    }
  }

  /** Shows the result of an exact-key lookup at the top of the connection. */
  addLookup(info: KeyInfo, now: number): KeyNode {
    const k = mapKey(info.key);
    const node = this.keyNode(info, now, undefined, 'lookup');
    this.lookups.set(k, node);
    return node;
  }

  setMessages(messages: Array<{ text: string; severity: MessageNode['severity'] }>): void {
    this.messages = messages.map((m, i) => ({ kind: 'message', id: `${this.connectionId}|msg|${i}|${m.text}`, connectionId: this.connectionId, ...m }));
  }

  setTags(tags: Array<{ name: string; setKey: Buffer; members: number }>): void {
    const old = new Map((this.tags ?? []).map((t) => [t.name, t]));
    this.tags = tags.map((t): TagNode => {
      const prev = old.get(t.name);
      if (prev) {
        prev.members = t.members;
        return prev;
      }
      return { kind: 'tag', id: `${this.connectionId}|tag|${t.setKey.toString('hex')}`, connectionId: this.connectionId, name: t.name, setKey: t.setKey, members: t.members, loaded: undefined, cursor: '0' };
    }).sort((a, b) => collator.compare(a.name, b.name));
  }

  /** Replaces a tag's loaded members with a first page; `cursor` is where the next page starts (null: none). */
  setTagMembers(tag: TagNode, members: Array<{ info: KeyInfo; exists: boolean }>, now: number, cursor: string | null = null): void {
    tag.loaded = [];
    this.addTagMembers(tag, members, now, cursor);
  }

  /**
   * Appends a page of members. SSCAN may return a member twice across pages, so a member
   * already shown is updated in place rather than listed again. Returns how many were new.
   */
  addTagMembers(tag: TagNode, members: Array<{ info: KeyInfo; exists: boolean }>, now: number, cursor: string | null): number {
    const loaded = tag.loaded ?? [];
    const shown = new Map(loaded.map((m) => [mapKey(m.key), m]));
    let added = 0;
    for (const { info, exists } of members) {
      const old = shown.get(mapKey(info.key));
      if (old) {
        update(old, info, now);
        old.dangling = !exists || undefined;
        continue;
      }
      const node = this.keyNode(info, now, undefined, 'tag', `${tag.id}|`);
      if (!exists) node.dangling = true;
      loaded.push(node);
      shown.set(mapKey(info.key), node);
      added++;
    }
    tag.loaded = loaded;
    tag.cursor = cursor;
    return added;
  }

  /** Per-namespace figures from analyze, keyed by the namespace prefix bytes. */
  setAnalysis(figures: Iterable<{ prefix: Buffer; keys: number; bytes: number }>): void {
    this.analysis = new Map();
    for (const f of figures) this.analysis.set(mapKey(f.prefix), { keys: f.keys, bytes: f.bytes });
  }

  analysisFor(ns: NamespaceNode): NamespaceFigures | undefined {
    return this.analysis.get(mapKey(ns.prefix));
  }

  get tagList(): readonly TagNode[] | undefined {
    return this.tags;
  }

  /** The children of a node, or the connection's top level when `parent` is undefined. */
  children(parent?: ExplorerNode): ExplorerNode[] {
    if (!parent) {
      const top: ExplorerNode[] = [...this.messages, ...this.lookups.values()];
      if (this.tagsEnabled) top.push(this.tagsNode);
      top.push(...this.namespaceChildren(this.root));
      if (!this.complete) top.push(this.loadMore(undefined));
      return top;
    }
    switch (parent.kind) {
      case 'namespace': {
        const list: ExplorerNode[] = this.namespaceChildren(parent);
        if (!this.isComplete(parent)) list.push(this.loadMore(parent));
        return list;
      }
      case 'tags': return [...(this.tags ?? [])];
      case 'tag': {
        const list: ExplorerNode[] = [...(parent.loaded ?? [])];
        if (parent.loaded && parent.cursor !== null) list.push(this.loadMore(undefined, parent));
        return list;
      }
      default: return [];
    }
  }

  parentOf(node: ExplorerNode): ExplorerNode | undefined {
    if (node.kind === 'namespace' || node.kind === 'key') {
      return node.parent && node.parent !== this.root ? node.parent : undefined;
    }
    if (node.kind === 'tag') return this.tagsNode;
    if (node.kind === 'loadMore') return node.tag ?? node.under;
    return undefined;
  }

  /** The tree node of a loaded key, if it is loaded. */
  findKey(key: Buffer): KeyNode | undefined {
    return this.namespaceFor(key, false)?.keys.get(mapKey(key)) ?? this.lookups.get(mapKey(key));
  }

  /** The namespace node for a prefix, if any key below it is loaded. */
  findNamespace(prefix: Buffer): NamespaceNode | undefined {
    let ns: NamespaceNode | undefined = this.root;
    for (const seg of this.segments(prefix).namespaces) {
      ns = ns.namespaces.get(mapKey(seg));
      if (!ns) return undefined;
    }
    return ns === this.root ? undefined : ns;
  }

  /** Every loaded key in the tree below a namespace (or all of them). */
  keysUnder(ns?: NamespaceNode): KeyNode[] {
    const out: KeyNode[] = [];
    const walk = (n: NamespaceNode): void => {
      out.push(...n.keys.values());
      for (const child of n.namespaces.values()) walk(child);
    };
    walk(ns ?? this.root);
    return out;
  }

  describeNamespace(ns: NamespaceNode): string {
    const analyzed = this.analysisFor(ns);
    if (analyzed) return `${keys(analyzed.keys, '')} · ${formatBytes(analyzed.bytes)}`;
    return keys(ns.count, this.isComplete(ns) ? '' : '+');
  }

  /** Type, remaining TTL (counting down from when it was read) and size. */
  describeKey(node: KeyNode, now: number): string {
    if (node.dangling) return 'dangling: the key no longer exists';
    const parts = [node.type, formatTtl(remainingTtl(node, now))];
    if (node.bytes >= 0) parts.push(formatBytes(node.bytes));
    return parts.join(' · ');
  }

  /** One stable node per place it is shown, since VS Code needs distinct ids. */
  private loadMore(under: NamespaceNode | undefined, tag?: TagNode): LoadMoreNode {
    const id = tag ? `${this.connectionId}|more|tag|${tag.setKey.toString('hex')}` : `${this.connectionId}|more|${under ? under.prefix.toString('hex') : ''}`;
    let node = this.loadMoreNodes.get(id);
    // A namespace node is replaced when it is pruned and loaded again; follow it.
    if (!node || node.under !== under || node.tag !== tag) {
      node = { kind: 'loadMore', id, connectionId: this.connectionId, under, tag };
      this.loadMoreNodes.set(id, node);
    }
    return node;
  }

  private namespaceChildren(ns: NamespaceNode): ExplorerNode[] {
    const spaces = [...ns.namespaces.values()].sort((a, b) => collator.compare(a.label, b.label));
    const keys = [...ns.keys.values()].sort((a, b) => collator.compare(a.label, b.label));
    return [...spaces, ...keys];
  }

  private insert(info: KeyInfo, now: number): boolean {
    const ns = this.namespaceFor(info.key, true)!;
    const k = mapKey(info.key);
    const lookup = this.lookups.get(k);
    if (lookup) update(lookup, info, now);
    const existing = ns.keys.get(k);
    if (existing) {
      update(existing, info, now);
      return false;
    }
    ns.keys.set(k, this.keyNode(info, now, ns, 'tree'));
    for (let n: NamespaceNode | undefined = ns; n; n = n.parent) n.count++;
    return true;
  }

  private keyNode(info: KeyInfo, now: number, parent: NamespaceNode | undefined, origin: KeyNode['origin'], idPrefix = ''): KeyNode {
    return {
      kind: 'key',
      id: `${this.connectionId}|${origin}|${idPrefix}${info.key.toString('hex')}`,
      connectionId: this.connectionId,
      key: info.key,
      label: this.displayKey(info.key),
      parent,
      type: info.type,
      ttlMs: info.ttlMs,
      readAt: now,
      bytes: info.bytes,
      origin,
    };
  }

  /** Splits a key into its namespace segments (each with its delimiter) and its last part. */
  private segments(key: Buffer): { namespaces: Buffer[] } {
    const namespaces: Buffer[] = [];
    if (this.delimiter.length === 0) return { namespaces };
    let start = 0;
    for (;;) {
      const i = key.indexOf(this.delimiter, start);
      if (i < 0) break;
      namespaces.push(key.subarray(start, i + this.delimiter.length));
      start = i + this.delimiter.length;
    }
    return { namespaces };
  }

  private namespaceFor(key: Buffer, create: boolean): NamespaceNode | undefined {
    let ns = this.root;
    let offset = 0;
    for (const seg of this.segments(key).namespaces) {
      offset += seg.length;
      const k = mapKey(seg);
      let next = ns.namespaces.get(k);
      if (!next) {
        if (!create) return undefined;
        // Top-level namespaces link to the hidden root too, so counts walk up in one loop;
        // `parentOf` hides the root from VS Code.
        next = this.newNamespace(Buffer.from(key.subarray(0, offset)), this.displayKey(seg), ns);
        ns.namespaces.set(k, next);
      }
      ns = next;
    }
    return ns;
  }

  private newNamespace(prefix: Buffer, label: string, parent: NamespaceNode | undefined): NamespaceNode {
    return {
      kind: 'namespace',
      id: `${this.connectionId}|ns|${prefix.toString('hex')}`,
      connectionId: this.connectionId,
      prefix,
      label,
      parent,
      count: 0,
      scanned: false,
      namespaces: new Map(),
      keys: new Map(),
    };
  }

  private prune(ns: NamespaceNode): void {
    for (let n: NamespaceNode | undefined = ns; n && n !== this.root; n = n.parent) {
      if (n.count > 0 || !n.parent) return;
      n.parent.namespaces.delete(mapKey(n.prefix.subarray(n.parent.prefix.length)));
    }
  }
}

function keys(n: number, suffix: string): string {
  return `${formatCount(n)}${suffix} key${n === 1 && !suffix ? '' : 's'}`;
}

function update(node: KeyNode, info: KeyInfo, now: number): void {
  node.type = info.type;
  node.ttlMs = info.ttlMs;
  node.bytes = info.bytes;
  node.readAt = now;
}

/** The TTL left now, given what was read at `readAt`. */
export function remainingTtl(node: Pick<KeyNode, 'ttlMs' | 'readAt'>, now: number): number {
  if (node.ttlMs < 0) return -1;
  return Math.max(0, node.ttlMs - (now - node.readAt));
}
