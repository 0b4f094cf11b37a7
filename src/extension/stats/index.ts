/**
 * Live hit/miss rates: sampling per connection, the status bar ratio, alert episodes, the
 * dashboard webview, snapshots while debugging, and the opt-in hit ratio by prefix.
 */
import * as vscode from 'vscode';
import { CacheLensError } from '../../core/errors';
import { AlertTracker, DEFAULT_THRESHOLDS, type AlertThresholds } from '../../core/stats/alerts';
import { PREFIX_PROFILE_WARNING, profilePrefixes, type PrefixProfile } from '../../core/stats/prefixes';
import { Prefixes } from '../../../webview/protocol/stats';
import { connectionManager } from '../connections/index';
import type { ConnectionManager } from '../connections/manager';
import type { Container } from '../container';
import { exportCsv, showDashboard } from './dashboard';
import { DebugSnapshots, DebugSnapshotsTree } from './debug';
import { LiveStatsRegistry, type LiveStats } from './live';
import { renderStatusBar } from './statusBar';

export function liveStats(c: Container, manager: ConnectionManager): LiveStatsRegistry {
  return c.service('liveStats', () => new LiveStatsRegistry(manager, () => Math.max(0.2, c.settings.get<number>('stats.intervalSeconds', 1))));
}

function thresholds(c: Container): AlertThresholds {
  const below = c.settings.get<number>('alerts.hitRatioBelow', 0.8);
  const above = c.settings.get<number>('alerts.evictionsPerSecondAbove', 0);
  return { ...DEFAULT_THRESHOLDS, hitRatioBelow: below > 0 ? below : null, evictionsPerSecAbove: above >= 0 ? above : null };
}

export function register(c: Container): void {
  const manager = connectionManager(c);
  const registry = liveStats(c, manager);
  const item = c.track(vscode.window.createStatusBarItem('cachelens.hitRatio', vscode.StatusBarAlignment.Left, 9));
  item.name = 'CacheLens hit ratio';
  item.command = 'cachelens.stats.openDashboard';
  const alerts = new Map<string, AlertTracker>();

  const refresh = (): void => {
    const active = manager.active();
    const live = active ? registry.get(active.id) : undefined;
    if (!active || !live) { item.hide(); return; }
    renderStatusBar(item, active.name, live.lastSample, live.error);
    item.show();
  };
  const wire = (live: LiveStats): void => {
    c.track(live.onSample((s) => {
      if (manager.active()?.id === live.connectionId) refresh();
      let tracker = alerts.get(live.connectionId);
      if (!tracker) { tracker = new AlertTracker(thresholds(c)); alerts.set(live.connectionId, tracker); }
      for (const a of tracker.update(s)) {
        const name = manager.get(live.connectionId)?.name ?? 'connection';
        void vscode.window.showWarningMessage(`CacheLens: ${name}: ${a.message}`, 'Open Dashboard').then((pick) => {
          if (pick) void vscode.commands.executeCommand('cachelens.stats.openDashboard', live.connectionId);
        });
      }
    }));
    c.track(live.onError(() => refresh()));
  };
  c.track(registry.onDidStart(wire));
  c.track(c.settings.onDidChange('alerts', () => { for (const t of alerts.values()) t.setThresholds(thresholds(c)); }));
  c.track(manager.onDidChange(() => {
    const active = manager.active();
    if (active && c.settings.get<boolean>('stats.statusBar', true)) registry.ensure(active.id);
    refresh();
  }));
  const first = manager.active();
  if (first && c.settings.get<boolean>('stats.statusBar', true)) registry.ensure(first.id);
  refresh();

  const pickConnection = async (arg: unknown): Promise<string | undefined> => {
    const id = typeof arg === 'string' ? arg : (arg as { connectionId?: string } | undefined)?.connectionId ?? manager.active()?.id;
    if (id && manager.get(id)) return id;
    if (!manager.list().length) {
      void vscode.window.showInformationMessage('CacheLens: add a connection first.', 'Add Connection').then((p) => { if (p) void vscode.commands.executeCommand('cachelens.addConnection'); });
      return undefined;
    }
    return (await vscode.window.showQuickPick(manager.list().map((p) => ({ label: p.name, description: p.url, id: p.id })), { title: 'CacheLens: which connection?' }))?.id;
  };

  const measure = async (connectionId: string, seconds?: number): Promise<PrefixProfile | undefined> => {
    const profile = manager.require(connectionId);
    const ok = seconds !== undefined ? 'Measure' : await vscode.window.showWarningMessage(PREFIX_PROFILE_WARNING, { modal: true }, 'Measure');
    if (ok !== 'Measure') return undefined;
    const duration = seconds ?? Number((await vscode.window.showQuickPick(['10', '30', '60', '300'], { title: 'Measure for how many seconds?' })) ?? 0);
    if (!duration) return undefined;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `CacheLens: measuring hit ratio by prefix on ${profile.name}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return manager.withDriver(connectionId, async (driver) => {
        const dedicated = (driver as { dedicatedNodeClients?: () => Promise<Array<{ node: string; admin: import('ioredis').Redis; monitor: import('ioredis').Redis; subscriber: import('ioredis').Redis }>> }).dedicatedNodeClients;
        if (driver.kind !== 'redis' || !dedicated) throw new vscode.CancellationError();
        const nodes = await dedicated.call(driver);
        try {
          let last = 0;
          const result = await profilePrefixes(nodes, {
            seconds: duration, delimiter: c.settings.get<string>('delimiter', ':'), signal: abort.signal,
            onProgress: (t) => { progress.report({ increment: ((t - last) / duration) * 100, message: `${Math.floor(t)} of ${duration} s` }); last = t; },
          });
          const panel = c.webviews.get('stats', connectionId);
          panel?.channel.notify(Prefixes, { seconds: result.seconds, rows: result.rows });
          if (!panel) showPrefixDocument(profile.name, result);
          return result;
        } finally {
          for (const n of nodes) { n.admin.disconnect(); n.monitor.disconnect(); n.subscriber.disconnect(); }
        }
      });
    });
  };

  c.registerCommand('cachelens.stats.openDashboard', async (arg?: unknown) => {
    const id = await pickConnection(arg);
    if (!id) return;
    const live = registry.ensure(id);
    showDashboard(c, live, manager.require(id).name, async () => { await measure(id); });
  });
  c.registerCommand('cachelens.stats.exportCsv', async (arg?: unknown, target?: vscode.Uri, windowSeconds?: number) => {
    const id = await pickConnection(arg);
    if (!id) return undefined;
    const live = registry.get(id);
    if (!live) throw new CacheLensError('usage', 'nothing sampled yet: open the dashboard or start sampling first');
    return exportCsv(live, windowSeconds ?? 3600, target);
  });
  c.registerCommand('cachelens.stats.start', async (arg?: unknown) => {
    const id = await pickConnection(arg);
    if (id) { registry.ensure(id); refresh(); }
  });
  c.registerCommand('cachelens.stats.stop', async (arg?: unknown) => {
    const id = await pickConnection(arg);
    if (id) { registry.stop(id); refresh(); }
  });
  c.registerCommand('cachelens.stats.measurePrefixes', async (arg?: unknown, seconds?: number) => {
    const id = await pickConnection(arg);
    if (!id) return undefined;
    if (manager.require(id).url.startsWith('memcached')) {
      void vscode.window.showInformationMessage('CacheLens: the hit ratio by prefix needs Redis keyspace miss events; Memcached has no equivalent.');
      return undefined;
    }
    return measure(id, typeof seconds === 'number' ? seconds : undefined);
  });

  const debugModel = c.track(new DebugSnapshots(c, manager, registry));
  c.track(vscode.window.createTreeView('cachelens.debugSnapshots', { treeDataProvider: new DebugSnapshotsTree(debugModel) }));
  // For tests and for people who script VS Code: the snapshots as plain data.
  c.registerCommand('cachelens.stats.debugRecords', () => JSON.parse(JSON.stringify(debugModel.records)) as unknown);
  c.registerCommand('cachelens.stats.sampleNow', async (arg?: unknown) => {
    const id = await pickConnection(arg);
    return id ? registry.ensure(id).tick() : undefined;
  });
}

function showPrefixDocument(connection: string, p: PrefixProfile): void {
  const lines = [`# Hit ratio by prefix: ${connection}`, '', `Measured for ${p.seconds.toFixed(1)} s.`, '', '| prefix | reads | hits | misses | hit ratio |', '|---|---|---|---|---|'];
  for (const r of p.rows) lines.push(`| \`${r.prefix.replace(/[`|]/g, '\\$&')}\` | ${r.reads} | ${r.hits} | ${r.misses} | ${r.hitRatio === null ? 'n/a' : (r.hitRatio * 100).toFixed(1) + ' %'} |`);
  void vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') + '\n' }).then((d) => vscode.window.showTextDocument(d));
}
