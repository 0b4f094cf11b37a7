/**
 * The purge feature: delete a key or a selection, purge a namespace, a glob or a type,
 * invalidate a tag, flush Memcached. Every command goes through flow.ts (dry run, confirmation,
 * progress with cancel, report) and then updates the tree.
 */
import * as vscode from 'vscode';
import { displayKey } from '../../core/keyname';
import { CacheLensError } from '../../core/errors';
import type { Container } from '../container';
import { connectionManager } from '../connections/index';
import { resolveConnection } from '../connections/target';
import { explorerProvider } from '../explorer/index';
import { keyTargetsOf } from '../explorer/targets';
import { runFlush, runPurge, type ConfirmArgs, type PurgeOutcome } from './flow';

const KEY_TYPES = ['string', 'hash', 'list', 'set', 'zset', 'stream'];

function isArgs(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('kind' in v) && !('connectionId' in v);
}

export function register(c: Container): void {
  const manager = connectionManager(c);
  const explorer = (): ReturnType<typeof explorerProvider> => explorerProvider(c);
  const reloadTree = async (connectionId: string): Promise<void> => {
    const provider = explorer();
    await provider.reload(connectionId, provider.session(connectionId).model.filter);
  };

  c.registerCommand('cachelens.deleteKeys', async (first?: unknown, second?: unknown, third?: unknown) => {
    const args = (isArgs(second) ? second : isArgs(third) ? third : {}) as ConfirmArgs;
    const targets = keyTargetsOf(first, Array.isArray(second) ? second : undefined);
    if (targets.length === 0) throw new CacheLensError('usage', 'Delete needs keys: select them in the CacheLens tree.');
    const connectionId = targets[0].connectionId;
    if (targets.some((t) => t.connectionId !== connectionId)) throw new CacheLensError('usage', 'select keys of one connection at a time');
    const profile = manager.require(connectionId);
    const keys = targets.map((t) => t.key);
    const what = keys.length === 1 ? `key ${displayKey(keys[0])}` : `${keys.length} selected keys`;
    const outcome = await runPurge(manager, profile, { keys }, what, args);
    if (outcome.report) {
      explorer().session(connectionId).model.removeKeys(keys);
      explorer().refreshConnection(connectionId);
    }
    return outcome;
  });

  c.registerCommand('cachelens.purgeNamespace', async (node?: unknown, args: ConfirmArgs = {}): Promise<PurgeOutcome | undefined> => {
    const n = node as { connectionId?: string; prefix?: Buffer | string; prefixBase64?: string } | undefined;
    const prefix = n?.prefixBase64 !== undefined ? Buffer.from(n.prefixBase64, 'base64')
      : Buffer.isBuffer(n?.prefix) ? n.prefix : typeof n?.prefix === 'string' ? Buffer.from(n.prefix) : undefined;
    if (!n?.connectionId || !prefix || prefix.length === 0) throw new CacheLensError('usage', 'Purge Namespace needs a namespace in the CacheLens tree.');
    const profile = manager.require(n.connectionId);
    const outcome = await runPurge(manager, profile, { namespace: prefix }, `namespace ${displayKey(prefix)}`, args);
    if (outcome.report) await reloadTree(profile.id);
    return outcome;
  });

  c.registerCommand('cachelens.purgeByGlob', async (target?: unknown, args: ConfirmArgs & { match?: string } = {}) => {
    const profile = await resolveConnection(manager, target);
    if (!profile) return undefined;
    const match = args.match ?? await vscode.window.showInputBox({
      title: `CacheLens: purge keys of "${profile.name}" by glob`, prompt: 'Redis MATCH syntax: * ? [abc] \\x. The next step shows how many match.',
      validateInput: (v) => (v.trim() === '' ? 'Type a glob; * alone matches every key.' : undefined),
    });
    if (!match) return undefined;
    const outcome = await runPurge(manager, profile, { match }, `keys matching ${match}`, args);
    if (outcome.report) await reloadTree(profile.id);
    return outcome;
  });

  c.registerCommand('cachelens.purgeByType', async (target?: unknown, args: ConfirmArgs & { type?: string; match?: string } = {}) => {
    const profile = await resolveConnection(manager, target);
    if (!profile) return undefined;
    const type = args.type ?? await vscode.window.showQuickPick(KEY_TYPES, { title: `CacheLens: purge every key of one type from "${profile.name}"` });
    if (!type) return undefined;
    const outcome = await runPurge(manager, profile, { type, match: args.match }, `${type} keys${args.match ? ` matching ${args.match}` : ''}`, args);
    if (outcome.report) await reloadTree(profile.id);
    return outcome;
  });

  c.registerCommand('cachelens.invalidateTag', async (node?: unknown, args: ConfirmArgs = {}) => {
    const n = node as { kind?: string; connectionId?: string; setKey?: Buffer; tag?: string; tagBase64?: string } | undefined;
    if (!n?.connectionId) throw new CacheLensError('usage', 'Invalidate Tag needs a tag in the CacheLens tree.');
    const profile = manager.require(n.connectionId);
    const session = explorer().session(profile.id);
    const tagName = n.kind === 'tag' && n.setKey ? session.tagName(n as Parameters<typeof session.tagName>[0])
      : typeof n.tagBase64 === 'string' ? Buffer.from(n.tagBase64, 'base64')
        : typeof n.tag === 'string' ? Buffer.from(n.tag) : undefined;
    if (!tagName) throw new CacheLensError('usage', 'Invalidate Tag needs a tag name.');
    const prefix = c.settings.get<string>('tagPrefix', 'tag:') || 'tag:';
    // The name goes on as bytes: a tag that is not UTF-8 must name its own set, not a look-alike.
    const outcome = await runPurge(manager, profile, { tag: tagName, tagPrefix: prefix }, `tag ${displayKey(tagName)}`, args);
    if (outcome.report) await reloadTree(profile.id);
    return outcome;
  });

  c.registerCommand('cachelens.flushMemcached', async (target?: unknown, args: { typedName?: string } = {}) => {
    const profile = await resolveConnection(manager, target);
    if (!profile) return false;
    const flushed = await runFlush(manager, profile, args);
    if (flushed) await reloadTree(profile.id);
    return flushed;
  });
}
