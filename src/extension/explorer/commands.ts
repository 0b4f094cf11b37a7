/**
 * The tree's own commands: refresh, load more, filter, exact-key lookup, copy name, set TTL,
 * rename, and a snapshot of the rendered tree for tests.
 * Each takes optional arguments so tests and other commands skip the prompts.
 */
import * as vscode from 'vscode';
import { CacheLensError } from '../../core/errors';
import type { Container } from '../container';
import { assertWritable } from '../connections/guard';
import type { ConnectionManager } from '../connections/manager';
import { resolveConnection } from '../connections/target';
import { displayKey, parseKeyInput } from '../../core/keyname';
import { formatTtl, parseTtl } from './format';
import type { LoadMoreNode, NamespaceNode, TagNode } from './model';
import { VIEW_ID, type ExplorerProvider, type TreeNode } from './provider';
import type { KeyspaceSession } from './session';
import { keyTargetOf } from './targets';

const KEY_TYPES = ['string', 'hash', 'list', 'set', 'zset', 'stream'];

interface SnapshotItem { label: string; description?: string; contextValue?: string; children?: SnapshotItem[] }

export function registerExplorerCommands(c: Container, manager: ConnectionManager, provider: ExplorerProvider, view: vscode.TreeView<TreeNode>): void {
  c.registerCommand('cachelens.refreshExplorer', async (target?: unknown) => {
    const profile = target === undefined ? undefined : await resolveConnection(manager, target);
    if (!profile) {
      provider.resetAll();
      return;
    }
    await provider.reload(profile.id, provider.session(profile.id).model.filter);
  });

  c.registerCommand('cachelens.loadMore', async (node?: LoadMoreNode | LoadMoreArgs) => {
    const profile = await resolveConnection(manager, node);
    if (!profile) return 0;
    const session = provider.session(profile.id);
    const scope = await loadMoreScope(session, node);
    // The tree shows its own progress bar while a page loads, so a slow page is visibly busy.
    const added = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => (
      scope.tag ? session.loadMoreTagMembers(scope.tag) : session.loadMore(scope.under)));
    provider.refreshConnection(profile.id);
    return added;
  });

  c.registerCommand('cachelens.filterKeys', async (target?: unknown, args?: { match?: string; type?: string }) => {
    const profile = await resolveConnection(manager, target);
    if (!profile) return;
    let filter = args;
    if (!filter) {
      const current = provider.session(profile.id).model.filter;
      const match = await vscode.window.showInputBox({
        title: `CacheLens: filter ${profile.name}`, prompt: 'Glob (Redis MATCH syntax: * ? [abc] \\x); empty for every key',
        value: current.match ?? '',
      });
      if (match === undefined) return;
      const type = await vscode.window.showQuickPick(['any type', ...KEY_TYPES], { title: 'CacheLens: key type' });
      if (type === undefined) return;
      filter = { match: match || undefined, type: type === 'any type' ? undefined : type };
    }
    await provider.reload(profile.id, { match: filter.match || undefined, type: filter.type || undefined });
    await view.reveal(provider.connectionNode(profile.id), { expand: true }).then(undefined, () => undefined);
  });

  c.registerCommand('cachelens.clearFilter', async (target?: unknown) => {
    const profile = await resolveConnection(manager, target);
    if (profile) await provider.reload(profile.id, {});
  });

  c.registerCommand('cachelens.lookupKey', async (target?: unknown, args?: { key?: string; keyBase64?: string }) => {
    const profile = await resolveConnection(manager, target);
    if (!profile) return undefined;
    let key: Buffer | undefined;
    if (args?.keyBase64 !== undefined) key = Buffer.from(args.keyBase64, 'base64');
    else if (args?.key !== undefined) key = Buffer.from(args.key, 'utf8');
    else {
      const name = await vscode.window.showInputBox({ title: `CacheLens: look up a key in ${profile.name}`, prompt: 'The exact key name (\\xHH for a byte that is not text)' });
      if (!name) return undefined;
      key = parseKeyInput(name);
    }
    const node = await provider.session(profile.id).lookup(key);
    provider.refreshConnection(profile.id);
    if (!node) {
      void vscode.window.showInformationMessage(`CacheLens: no key named "${displayKey(key)}" in ${profile.name}.`);
      return { found: false };
    }
    await view.reveal(node, { select: true, focus: false }).then(undefined, () => undefined);
    return { found: true, type: node.type, ttlMs: node.ttlMs, bytes: node.bytes };
  });

  c.registerCommand('cachelens.copyKeyName', async (node?: unknown) => {
    const target = keyTargetOf(node);
    if (!target) throw new CacheLensError('usage', 'Copy Key Name needs a key: run it from a key in the CacheLens tree.');
    const label = node && typeof node === 'object' && 'label' in node && typeof node.label === 'string' ? node.label : target.key.toString('utf8');
    await vscode.env.clipboard.writeText(label);
    return label;
  });

  c.registerCommand('cachelens.setTtl', async (node?: unknown, args?: { ttl?: string | number }) => {
    const target = keyTargetOf(node);
    if (!target) throw new CacheLensError('usage', 'Set TTL needs a key: run it from a key in the CacheLens tree.');
    const profile = manager.require(target.connectionId);
    assertWritable(profile, 'setting a TTL');
    let ttlMs: number | undefined;
    if (typeof args?.ttl === 'number') ttlMs = args.ttl;
    else {
      const text = args?.ttl ?? await vscode.window.showInputBox({
        title: 'CacheLens: set TTL', prompt: 'e.g. 90s, 15m, 2h, 7d; "none" removes the TTL',
        validateInput: (v) => (parseTtl(v) === undefined ? 'Expected a duration like 90s, 15m, 2h, 7d, or "none".' : undefined),
      });
      if (text === undefined) return undefined;
      ttlMs = parseTtl(text);
      if (ttlMs === undefined) throw new CacheLensError('usage', `not a TTL: "${text}"`);
    }
    const done = await manager.withDriver(profile.id, (d) => d.setTtl(target.key, ttlMs!));
    if (!done) throw new CacheLensError('server', 'the key no longer exists');
    await provider.session(profile.id).reread(target.key);
    provider.refreshConnection(profile.id);
    vscode.window.setStatusBarMessage(`CacheLens: TTL ${ttlMs === -1 ? 'removed' : `set to ${formatTtl(ttlMs!)}`}`, 3000);
    return true;
  });

  c.registerCommand('cachelens.renameKey', async (node?: unknown, args?: { newName?: string; newNameBase64?: string }) => {
    const target = keyTargetOf(node);
    if (!target) throw new CacheLensError('usage', 'Rename needs a key: run it from a key in the CacheLens tree.');
    const profile = manager.require(target.connectionId);
    assertWritable(profile, 'rename');
    let to: Buffer | undefined;
    if (args?.newNameBase64 !== undefined) to = Buffer.from(args.newNameBase64, 'base64');
    else {
      const name = args?.newName ?? await vscode.window.showInputBox({ title: 'CacheLens: rename key', value: displayKey(target.key) });
      if (!name) return undefined;
      to = args?.newName !== undefined ? Buffer.from(name, 'utf8') : parseKeyInput(name);
    }
    if (to.equals(target.key)) return false;
    await manager.withDriver(profile.id, (d) => d.rename(target.key, to!));
    const session = provider.session(profile.id);
    session.model.removeKeys([target.key]);
    await session.reread(to);
    provider.refreshConnection(profile.id);
    return true;
  });

  c.registerCommand('cachelens.explorer.snapshot', async (target?: unknown) => {
    const profile = await resolveConnection(manager, target);
    if (!profile) return undefined;
    return snapshot(provider, provider.connectionNode(profile.id));
  });

  c.registerCommand('cachelens.cleanDanglingMembers', async (arg?: TagNode | { connectionId?: string; tag?: string }) => {
    if (!arg?.connectionId) throw new CacheLensError('usage', 'Clean Dangling Members needs a tag in the CacheLens tree.');
    const profile = manager.require(arg.connectionId);
    assertWritable(profile, 'cleaning a tag');
    const session = provider.session(profile.id);
    const node = 'kind' in arg && arg.kind === 'tag' ? arg : await findTag(session, (arg as { tag?: string }).tag);
    const removed = await manager.withDriver(profile.id, async () => (await session.tagStore()).cleanDangling(session.tagName(node)));
    await session.loadTags();
    await session.loadTagMembers(node);
    provider.refreshConnection(profile.id);
    vscode.window.setStatusBarMessage(`CacheLens: removed ${removed} dangling member${removed === 1 ? '' : 's'} from ${node.name}`, 4000);
    return removed;
  });
}

/** What "Load more" continues when called with arguments instead of a tree node. */
interface LoadMoreArgs { connectionId: string; prefix?: string; prefixBase64?: string; tag?: string }

async function loadMoreScope(session: KeyspaceSession, node: LoadMoreNode | LoadMoreArgs | undefined): Promise<{ under?: NamespaceNode; tag?: TagNode }> {
  if (typeof node !== 'object' || node === null) return {};
  if ('kind' in node) return { under: node.under, tag: node.tag };
  if (node.tag !== undefined) return { tag: await findTag(session, node.tag) };
  const prefix = node.prefixBase64 !== undefined ? Buffer.from(node.prefixBase64, 'base64') : node.prefix !== undefined ? Buffer.from(node.prefix, 'utf8') : undefined;
  if (prefix === undefined) return {};
  const under = session.model.findNamespace(prefix);
  if (!under) throw new CacheLensError('usage', `no namespace "${displayKey(prefix)}" is loaded`);
  return { under };
}

/** A tag node by name, for callers that pass `{ connectionId, tag }` instead of a node. */
async function findTag(session: KeyspaceSession, name: string | undefined): Promise<TagNode> {
  if (name === undefined) throw new CacheLensError('usage', 'say which tag');
  await session.loadTags();
  const tag = session.model.tagList?.find((t) => t.name === name);
  if (!tag) throw new CacheLensError('usage', `no tag named "${name}"`);
  return tag;
}

/** What the tree shows for a connection: every row already loaded, expanded, as plain data. */
async function snapshot(provider: ExplorerProvider, node: TreeNode, depth = 0): Promise<SnapshotItem> {
  const item = provider.getTreeItem(node);
  const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
  const out: SnapshotItem = { label, description: typeof item.description === 'string' ? item.description : undefined, contextValue: item.contextValue };
  if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None && depth < 8) {
    const loadsOnOpen = node.kind === 'tag' && !node.loaded;
    if (!loadsOnOpen) {
      out.children = [];
      for (const child of await provider.getChildren(node)) out.children.push(await snapshot(provider, child, depth + 1));
    }
  }
  return out;
}
