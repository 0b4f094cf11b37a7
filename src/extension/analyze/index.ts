/**
 * The analyze feature: one full pass over a connection (or one namespace) with progress and
 * cancel; the figures go into the tree's namespace descriptions and into a webview report
 * with charts (webview/analyze).
 */
import * as vscode from 'vscode';
import { analyze, TTL_BUCKETS, type AnalyzeResult, type NamespaceStats } from '../../core/analyze';
import { CacheLensError } from '../../core/errors';
import { displayKey, prefixGlob } from '../../core/keyname';
import { Cancel, Failed, Progress, Rerun, Result, Started, type AnalyzeNamespaceView, type AnalyzeView } from '../../../webview/protocol/analyze';
import type { Container } from '../container';
import { connectionManager } from '../connections/index';
import type { ConnectionProfile } from '../connections/profile';
import { resolveConnection } from '../connections/target';
import { explorerProvider } from '../explorer/index';

interface Scope { profile: ConnectionProfile; prefix?: Buffer }

export function register(c: Container): void {
  const manager = connectionManager(c);
  const running = new Map<string, AbortController>();
  const lastScope = new Map<string, Scope>();

  const run = async (scope: Scope): Promise<AnalyzeView | undefined> => {
    const { profile, prefix } = scope;
    const key = profile.id;
    running.get(key)?.abort();
    const controller = new AbortController();
    running.set(key, controller);
    const delimiter = c.settings.get<string>('delimiter', ':') || ':';
    const configured = c.settings.get<number>('analyzeDepth', 3);
    const depth = Math.max(1, Number.isInteger(configured) ? configured : 3);
    const scopeText = prefix ? `namespace ${displayKey(prefix)}` : 'every key';
    const { channel } = c.webviews.show({ name: 'analyze', title: `CacheLens: Analyze ${profile.name}` }, { key, preserveFocus: true });
    channel.notify(Started, { connection: profile.name, scope: scopeText });
    let lastPost = 0;
    try {
      const result = await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification, title: `CacheLens: analyzing ${profile.name} (${scopeText})`, cancellable: true,
      }, (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return manager.withDriver(profile.id, (driver) => analyze(driver, {
          delimiter, depth: prefix ? depth + levels(prefix, delimiter) : depth,
          match: prefix ? prefixGlob(prefix) : undefined, signal: controller.signal,
          onProgress: (p) => {
            const now = Date.now();
            if (now - lastPost < 200) return;
            lastPost = now;
            progress.report({ message: `${p.keys.toLocaleString('en-US')} keys` });
            channel.notify(Progress, p);
          },
        }));
      });
      const view = toView(profile.name, scopeText, result);
      const explorer = explorerProvider(c);
      explorer.session(profile.id).model.setAnalysis(flatten(result.namespaces));
      explorer.refreshConnection(profile.id);
      channel.notify(Result, view);
      return view;
    } catch (e) {
      const message = CacheLensError.is(e, 'cancelled') || controller.signal.aborted ? 'Cancelled.' : CacheLensError.is(e) ? e.message : String(e);
      channel.notify(Failed, { message });
      if (CacheLensError.is(e, 'cancelled') || controller.signal.aborted) return undefined;
      throw e;
    } finally {
      if (running.get(key) === controller) running.delete(key);
    }
  };

  c.registerCommand('cachelens.analyze', async (target?: unknown) => {
    const node = target as { kind?: string; prefix?: Buffer; connectionId?: string } | undefined;
    const profile = await resolveConnection(manager, target);
    if (!profile) return undefined;
    // A namespace that is not UTF-8 has no MATCH glob; it is analyzed as part of the whole keyspace.
    const prefix = node?.kind === 'namespace' && Buffer.isBuffer(node.prefix) && prefixGlob(node.prefix) ? node.prefix : undefined;
    const scope: Scope = { profile, prefix };
    lastScope.set(profile.id, scope);
    const open = c.webviews.show({ name: 'analyze', title: `CacheLens: Analyze ${profile.name}` }, { key: profile.id, preserveFocus: true });
    if (open.created) {
      open.channel.onRequest(Rerun, () => { void run(lastScope.get(profile.id) ?? scope).catch((e) => c.reportError(e, 'analyze')); });
      open.channel.onRequest(Cancel, () => running.get(profile.id)?.abort());
    }
    return run(scope);
  });
}

/** How many delimiter levels a prefix already has (`user:42:` has 2). */
function levels(prefix: Buffer, delimiter: string): number {
  const d = Buffer.from(delimiter);
  let n = 0;
  for (let i = prefix.indexOf(d); i >= 0; i = prefix.indexOf(d, i + d.length)) n++;
  return n;
}

function flatten(list: NamespaceStats[]): NamespaceStats[] {
  return list.flatMap((n) => [n, ...flatten(n.children)]);
}

function toNamespaceView(n: NamespaceStats): AnalyzeNamespaceView {
  const v: AnalyzeNamespaceView = { prefix: displayKey(n.prefix), keys: n.keys, bytes: n.bytes, types: n.types, ttl: n.ttl, children: n.children.map(toNamespaceView) };
  if (n.other) v.other = n.other;
  return v;
}

export function toView(connection: string, scope: string, r: AnalyzeResult): AnalyzeView {
  return {
    connection, scope, keys: r.keys, bytes: r.bytes, types: r.types, ttl: r.ttl, ttlBuckets: [...TTL_BUCKETS],
    namespaces: r.namespaces.map(toNamespaceView), complete: r.complete, durationMs: r.durationMs,
  };
}
