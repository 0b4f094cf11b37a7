/**
 * The connections tree: connection -> messages, lookups, tags, namespaces, keys, "Load more…".
 * It only turns model nodes into TreeItems and loads on expansion; the grouping lives in
 * model.ts and the paging in session.ts. TTL descriptions of visible keys tick every second.
 */
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connections/manager';
import type { ConnectionProfile } from '../connections/profile';
import { describeError } from '../connections/manager';
import type { ExplorerNode, KeyNode, MessageNode } from './model';
import { remainingTtl } from './model';
import { KeyspaceSession } from './session';
import { formatBytes, formatTtl } from './format';
import { displayKey } from '../../core/keyname';

export interface ConnectionNode { readonly kind: 'connection'; readonly id: string; readonly connectionId: string }
export type TreeNode = ConnectionNode | ExplorerNode;

/** The Connections tree view's id (package.json `views`). */
export const VIEW_ID = 'cachelens.connections';

export interface ExplorerSettings { delimiter: string; pageSize: number; tagPrefix: string }

const TYPE_ICONS: Record<string, string> = {
  string: 'symbol-string', hash: 'symbol-object', list: 'list-ordered', set: 'symbol-array',
  zset: 'list-filter', stream: 'pulse', none: 'warning',
};

/** At most this many key rows are re-rendered per tick, so a huge open namespace stays cheap. */
const MAX_TICKING = 2000;

export class ExplorerProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sessions = new Map<string, KeyspaceSession>();
  private readonly connectionNodes = new Map<string, ConnectionNode>();
  private readonly errors = new Map<string, MessageNode>();
  /**
   * Expanded nodes by id, for the TTL ticker: only their keys are on screen. Ids, not objects,
   * because a reload replaces the node objects while VS Code keeps them expanded.
   */
  private readonly expanded = new Map<string, TreeNode>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly manager: ConnectionManager, private settings: () => ExplorerSettings) {
    this.subscriptions.push(manager.onDidChange(() => this.syncConnections()));
  }

  /** Hooks the tree view's expansion and visibility events. */
  attach(view: vscode.TreeView<TreeNode>): void {
    this.subscriptions.push(
      view.onDidExpandElement((e) => this.expanded.set(e.element.id, e.element)),
      view.onDidCollapseElement((e) => this.expanded.delete(e.element.id)),
      view.onDidChangeVisibility((e) => this.setTicking(e.visible)),
    );
    this.setTicking(view.visible);
  }

  /** The session of a connection (created on first use). */
  session(connectionId: string): KeyspaceSession {
    let s = this.sessions.get(connectionId);
    if (!s) {
      const { delimiter, pageSize, tagPrefix } = this.settings();
      s = new KeyspaceSession({
        connectionId, delimiter, pageSize, tagPrefix,
        driver: () => this.manager.driver(connectionId),
        onConnectionLost: () => void this.manager.disconnect(connectionId),
      });
      this.sessions.set(connectionId, s);
    }
    return s;
  }

  connectionNode(connectionId: string): ConnectionNode {
    let node = this.connectionNodes.get(connectionId);
    if (!node) {
      node = { kind: 'connection', id: `conn|${connectionId}`, connectionId };
      this.connectionNodes.set(connectionId, node);
    }
    return node;
  }

  /** Re-renders one node's row and children (or everything). */
  refreshNode(node?: TreeNode): void {
    this.changed.fire(node);
  }

  /** Re-renders a connection after its model changed. */
  refreshConnection(connectionId: string): void {
    this.changed.fire(this.connectionNode(connectionId));
  }

  /** Forgets what was loaded (for example after the delimiter changed). */
  resetAll(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.errors.clear();
    this.changed.fire(undefined);
  }

  /** Starts over and loads the first page; failures show in the tree and in a notification. */
  async reload(connectionId: string, filter?: { match?: string; type?: string }): Promise<void> {
    this.errors.delete(connectionId);
    try {
      await this.session(connectionId).refresh(filter);
    } catch (e) {
      this.fail(connectionId, e);
    }
    this.refreshConnection(connectionId);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'connection': return this.connectionItem(this.manager.get(node.connectionId), node);
      case 'namespace': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = this.session(node.connectionId).model.describeNamespace(node);
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = `cachelens.namespace${this.access(node.connectionId)}`;
        item.tooltip = `${node.label} — ${item.description}`;
        return item;
      }
      case 'key': return this.keyItem(node);
      case 'tags': {
        const item = new vscode.TreeItem('Tags', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'cachelens.tags';
        item.description = this.session(node.connectionId).model.tagList?.length.toString();
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = `${node.members} key${node.members === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = `cachelens.tag${this.access(node.connectionId)}`;
        return item;
      }
      case 'loadMore': {
        const model = this.session(node.connectionId).model;
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        if (node.tag) item.description = `${(node.tag.loaded?.length ?? 0).toLocaleString('en-US')} of ${node.tag.members.toLocaleString('en-US')} members`;
        else if (node.under) item.description = `${node.under.count.toLocaleString('en-US')} of ${displayKey(node.under.prefix)}* loaded`;
        else item.description = `${model.loadedCount.toLocaleString('en-US')} loaded`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'cachelens.loadMore', title: 'Load more', arguments: [node] };
        item.contextValue = 'cachelens.loadMore';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.text;
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : node.severity === 'warning' ? 'warning' : 'info');
        item.contextValue = `cachelens.message.${node.severity}`;
        return item;
      }
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.manager.list().map((p) => this.connectionNode(p.id));
    const session = this.session(node.connectionId);
    if (node.kind === 'connection') {
      const error = this.errors.get(node.connectionId);
      if (error) return [error];
      if (!session.started) {
        try {
          await session.loadMore();
        } catch (e) {
          this.fail(node.connectionId, e);
          return [this.errors.get(node.connectionId)!];
        }
      }
      return session.model.children();
    }
    if (node.kind === 'tags' && !session.model.tagList) {
      await this.tryLoad(node.connectionId, () => session.loadTags());
    }
    if (node.kind === 'tag' && !node.loaded) {
      await this.tryLoad(node.connectionId, async () => { await session.loadTagMembers(node); });
    }
    return session.model.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'connection') return undefined;
    return this.session(node.connectionId).model.parentOf(node) ?? this.connectionNode(node.connectionId);
  }

  dispose(): void {
    this.setTicking(false);
    for (const s of this.sessions.values()) s.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private connectionItem(profile: ConnectionProfile | undefined, node: ConnectionNode): vscode.TreeItem {
    const item = new vscode.TreeItem(profile?.name ?? node.connectionId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const model = this.sessions.get(node.connectionId)?.model;
    const filter = model && (model.filter.match || model.filter.type)
      ? ` · filter ${[model.filter.match, model.filter.type].filter(Boolean).join(' ')}` : '';
    item.description = `${profile?.url ?? ''}${profile?.readOnly ? ' · read-only' : ''}${filter}`;
    item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(profile?.name ?? '')}**\n\n${escapeMarkdown(profile?.url ?? '')}${profile?.readOnly ? '\n\nRead-only: every write is refused.' : ''}`);
    const active = this.manager.active()?.id === node.connectionId;
    item.iconPath = new vscode.ThemeIcon(this.errors.has(node.connectionId) ? 'debug-disconnect' : profile?.readOnly ? 'lock' : 'database',
      active ? new vscode.ThemeColor('charts.green') : undefined);
    const kind = profile?.url.startsWith('memcache') ? 'memcached' : 'redis';
    item.contextValue = `cachelens.connection.${kind}${this.access(node.connectionId)}${filter ? ' filtered' : ''}`;
    return item;
  }

  private keyItem(node: KeyNode): vscode.TreeItem {
    const model = this.session(node.connectionId).model;
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = model.describeKey(node, Date.now());
    item.iconPath = new vscode.ThemeIcon(node.dangling ? 'warning' : TYPE_ICONS[node.type] ?? 'symbol-key');
    const origin = node.origin === 'tag' ? ' member' : '';
    item.contextValue = `cachelens.key.${node.dangling ? 'dangling' : node.type}${this.access(node.connectionId)}${origin}`;
    const ttl = formatTtl(remainingTtl(node, Date.now()));
    item.tooltip = new vscode.MarkdownString(`\`${node.label.replace(/`/g, '\\`')}\`\n\n${node.type} · ${ttl} · ${node.bytes >= 0 ? formatBytes(node.bytes) : 'size unknown'}`);
    if (!node.dangling) item.command = { command: 'cachelens.openValue', title: 'Open Value', arguments: [node] };
    return item;
  }

  private access(connectionId: string): string {
    return this.manager.get(connectionId)?.readOnly ? ' readonly' : ' writable';
  }

  private fail(connectionId: string, e: unknown): void {
    const message = describeError(e);
    this.errors.set(connectionId, {
      kind: 'message', id: `${connectionId}|error|${message}`, connectionId, text: message, severity: 'error',
    });
    const profile = this.manager.get(connectionId);
    void vscode.window.showErrorMessage(`CacheLens: ${profile?.name ?? connectionId}: ${message}`);
  }

  private async tryLoad(connectionId: string, load: () => Promise<void>): Promise<void> {
    try {
      await load();
    } catch (e) {
      const profile = this.manager.get(connectionId);
      void vscode.window.showErrorMessage(`CacheLens: ${profile?.name ?? connectionId}: ${describeError(e)}`);
    }
  }

  private syncConnections(): void {
    const ids = new Set(this.manager.list().map((p) => p.id));
    for (const [id, s] of this.sessions) {
      if (!ids.has(id)) {
        s.dispose();
        this.sessions.delete(id);
        this.connectionNodes.delete(id);
        this.errors.delete(id);
      }
    }
    this.changed.fire(undefined);
  }

  private current(node: TreeNode, session: KeyspaceSession): TreeNode | undefined {
    return currentNode(node, session, this.connectionNode(node.connectionId));
  }

  private setTicking(on: boolean): void {
    if (on && !this.ticker) this.ticker = setInterval(() => this.tick(), 1000);
    if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** Re-renders the keys with a TTL that are on screen, so their countdown moves. */
  private tick(): void {
    const due: TreeNode[] = [];
    for (const remembered of this.expanded.values()) {
      const session = this.sessions.get(remembered.connectionId);
      if (!session) continue;
      const node = this.current(remembered, session);
      if (!node) continue;
      const children = node.kind === 'connection' ? session.model.children() : session.model.children(node);
      for (const child of children) {
        if (child.kind === 'key' && child.ttlMs >= 0 && due.length < MAX_TICKING) due.push(child);
      }
    }
    if (due.length) this.changed.fire(due);
  }
}

/** Today's node object for a node remembered from before a reload, if it still exists. */
function currentNode(node: TreeNode, session: KeyspaceSession, connection: ConnectionNode): TreeNode | undefined {
  switch (node.kind) {
    case 'connection': return connection;
    case 'namespace': return session.model.findNamespace(node.prefix);
    case 'tag': return session.model.tagList?.find((t) => t.id === node.id);
    default: return undefined;
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
