/**
 * The active connection's hit ratio in the status bar, coloured by the chapter's thresholds
 * (excellent above 95 %, good above 80 %, a warning background below), with the rates in the
 * tooltip. A click opens the dashboard.
 */
import * as vscode from 'vscode';
import type { Sample } from '../../core/stats/sampler';

export function ratioText(r: number | null): string {
  return r === null ? 'no reads' : `${(r * 100).toFixed(1)} %`;
}

export function renderStatusBar(item: vscode.StatusBarItem, connectionName: string, s: Sample | undefined, error: string | undefined): void {
  if (error) {
    item.text = '$(warning) hit ratio: offline';
    item.tooltip = `CacheLens: sampling ${connectionName} failed: ${error}`;
    item.color = undefined;
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    return;
  }
  // The ratio since sampling began is steadier than one interval's; the tooltip has both.
  const r = s ? (s.hitRatio ?? s.totalHitRatio) : null;
  item.text = `$(pulse) ${s ? ratioText(r) : '…'}`;
  item.backgroundColor = r !== null && r <= 0.8 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  item.color = r === null ? undefined : r > 0.95 ? new vscode.ThemeColor('charts.green') : r > 0.8 ? new vscode.ThemeColor('charts.yellow') : undefined;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**CacheLens: ${escapeMd(connectionName)}**\n\n`);
  if (s) {
    md.appendMarkdown(`| | |\n|---|---|\n`);
    md.appendMarkdown(`| hit ratio (last ${s.seconds.toFixed(1)} s) | ${ratioText(s.hitRatio)} |\n`);
    md.appendMarkdown(`| hit ratio (since sampling began) | ${ratioText(s.totalHitRatio)} |\n`);
    md.appendMarkdown(`| hits/s | ${s.hitsPerSec.toFixed(1)} |\n| misses/s | ${s.missesPerSec.toFixed(1)} |\n`);
    md.appendMarkdown(`| ops/s | ${s.opsPerSec.toFixed(1)} |\n| evictions/s | ${s.evictionsPerSec.toFixed(1)} |\n`);
    md.appendMarkdown(`| keys | ${s.keys} |\n`);
  } else {
    md.appendMarkdown('waiting for the first interval…');
  }
  md.appendMarkdown('\n\nClick to open the live dashboard.');
  item.tooltip = md;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
