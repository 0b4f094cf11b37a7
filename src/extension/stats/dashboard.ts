/** Hosts the live stats dashboard webview for one connection. */
import * as vscode from 'vscode';
import { ExportCsv, History, Append, MeasurePrefixes, Status, toCsv, type StatsHistory } from '../../../webview/protocol/stats';
import type { Container } from '../container';
import type { LiveStats } from './live';

export function showDashboard(c: Container, live: LiveStats, connectionName: string, measurePrefixes: () => Promise<void>): void {
  const { channel, created, panel } = c.webviews.show({ name: 'stats', title: `CacheLens: Live Stats (${connectionName})` }, { key: live.connectionId });
  if (!created) return;
  const history = (): StatsHistory => ({
    connection: connectionName, intervalSeconds: live.intervalSeconds,
    evictionPolicy: live.lastSample?.evictionPolicy ?? '', points: live.points.toArray(), error: live.error,
  });
  // The page rebuilds after being hidden: send it everything again.
  channel.onReady(() => channel.notify(History, history()));
  const subs = [
    live.onSample(() => { const p = live.points.last(); if (p) channel.notify(Append, p); }),
    live.onError((error) => channel.notify(Status, { error })),
  ];
  channel.onRequest(ExportCsv, async ({ windowSeconds }) => (await exportCsv(live, windowSeconds)) !== undefined);
  channel.onRequest(MeasurePrefixes, () => measurePrefixes());
  panel.onDidDispose(() => subs.forEach((s) => s.dispose()));
}

/**
 * Writes the samples of the last `windowSeconds` as CSV to `target`, asking where when it is not
 * given. Resolves with the file written, or undefined when the user cancelled.
 */
export async function exportCsv(live: LiveStats, windowSeconds: number, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const points = live.points.toArray();
  const end = points.length ? points[points.length - 1].t : Date.now();
  const selected = points.filter((p) => p.t >= end - windowSeconds * 1000);
  const uri = target ?? await vscode.window.showSaveDialog({
    filters: { CSV: ['csv'] }, saveLabel: 'Export',
    defaultUri: vscode.Uri.file(`cachelens-stats-${new Date(end).toISOString().replace(/[:.]/g, '-')}.csv`),
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(toCsv(selected), 'utf8'));
  if (!target) void vscode.window.showInformationMessage(`CacheLens: exported ${selected.length} samples to ${uri.fsPath}`);
  return uri;
}
