/**
 * Cache snapshots while debugging. When a debug session starts, sampling starts for the
 * workspace's chosen connection; at each `stopped` event of the debug adapter protocol a
 * snapshot of what happened since the previous stop is taken; a summary comes when the session
 * ends. It only listens to the protocol, so it works with any debugger. Child sessions (js-debug
 * starts one per process) are folded into their root session, and several `stopped` events
 * without a resume between them (threads or child sessions stopping together) count once.
 */
import * as vscode from 'vscode';
import { DebugSnapshotRecorder, describeSnapshot, type SessionSummary, type Snapshot } from '../../core/stats/snapshots';
import type { ConnectionManager } from '../connections/manager';
import type { Container } from '../container';
import type { LiveStatsRegistry } from './live';

const CHOICE_KEY = 'cachelens.debug.connectionId';
/** Requests after which the debuggee runs again: the next `stopped` is a new stop. */
const RESUMES = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restartFrame', 'restart']);

export interface DebugRecord {
  sessionId: string;
  name: string;
  connection: string;
  snapshots: Snapshot[];
  summary?: SessionSummary;
  active: boolean;
}

export function rootOf(session: vscode.DebugSession): vscode.DebugSession {
  let s = session;
  while (s.parentSession) s = s.parentSession;
  return s;
}

export class DebugSnapshots implements vscode.Disposable {
  readonly records: DebugRecord[] = [];
  /**
   * One recorder per root session. `running` is false from a stop until the debuggee is resumed:
   * a second `stopped` in between (another thread or child session stopping with it) is the
   * same stop, however long after it arrives.
   */
  private readonly recorders = new Map<string, { recorder: DebugSnapshotRecorder; record: DebugRecord; running: boolean; ready: Promise<void> }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly c: Container, private readonly manager: ConnectionManager, private readonly live: LiveStatsRegistry) {
    this.subs.push(
      vscode.debug.onDidStartDebugSession((s) => { void this.started(s); }),
      vscode.debug.onDidTerminateDebugSession((s) => { void this.ended(s); }),
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onWillReceiveMessage: (m: { type?: string; command?: string }) => {
            if (m.type === 'request' && m.command && RESUMES.has(m.command)) this.resumed(session);
          },
          onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string } }) => {
            if (m.type === 'event' && m.event === 'stopped') void this.stopped(session, m.body?.reason);
            else if (m.type === 'event' && m.event === 'continued') this.resumed(session);
          },
        }),
      }),
    );
  }

  /** The connection to watch while debugging: the setting, the workspace's earlier answer, or ask once. */
  private async chooseConnection(): Promise<string | undefined> {
    const setting = this.c.settings.get<string>('debug.connection', '').trim();
    if (setting === 'off') return undefined;
    const profiles = this.manager.list();
    if (setting) {
      const p = profiles.find((x) => x.name === setting || x.id === setting);
      if (p) return p.id;
      this.c.logger.warn(`cachelens.debug.connection names "${setting}", which is not a saved connection`);
      return undefined;
    }
    const remembered = this.c.context.workspaceState.get<string>(CHOICE_KEY);
    if (remembered === 'off') return undefined;
    if (remembered && profiles.some((p) => p.id === remembered)) return remembered;
    if (profiles.length === 0) return undefined;
    if (profiles.length === 1) return profiles[0].id;
    const pick = await vscode.window.showQuickPick(
      [...profiles.map((p) => ({ label: p.name, description: p.url, id: p.id })), { label: 'Don\'t watch a cache while debugging', description: '', id: 'off' }],
      { title: 'CacheLens: which cache does this workspace use while debugging?', ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    await this.c.context.workspaceState.update(CHOICE_KEY, pick.id);
    return pick.id === 'off' ? undefined : pick.id;
  }

  private async started(session: vscode.DebugSession): Promise<void> {
    if (session.parentSession) return; // folded into its root
    const connectionId = await this.chooseConnection();
    if (!connectionId) return;
    const profile = this.manager.get(connectionId);
    if (!profile) return;
    this.live.ensure(connectionId);
    const record: DebugRecord = { sessionId: session.id, name: session.name, connection: profile.name, snapshots: [], active: true };
    try {
      const driver = await this.manager.driver(connectionId);
      const recorder = new DebugSnapshotRecorder(driver);
      const ready = recorder.start();
      this.recorders.set(session.id, { recorder, record, running: true, ready });
      this.records.unshift(record);
      if (this.records.length > 20) this.records.pop();
      await ready;
      this.changed.fire();
    } catch (e) {
      this.c.logger.warn(`debug snapshots for ${session.name}: cannot reach ${profile.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async stopped(session: vscode.DebugSession, reason: string | undefined): Promise<void> {
    const entry = this.recorders.get(rootOf(session).id);
    if (!entry || !entry.running) return;
    entry.running = false;
    await entry.ready;
    try {
      const snap = await entry.recorder.stopped(reason);
      if (snap) {
        entry.record.snapshots = [...entry.recorder.snapshots];
        this.changed.fire();
      }
    } catch (e) {
      this.c.logger.warn(`debug snapshot failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private resumed(session: vscode.DebugSession): void {
    const entry = this.recorders.get(rootOf(session).id);
    if (entry) entry.running = true;
  }

  private async ended(session: vscode.DebugSession): Promise<void> {
    const entry = this.recorders.get(session.id);
    if (!entry) return;
    this.recorders.delete(session.id);
    await entry.ready;
    try {
      const summary = await entry.recorder.end();
      entry.record.summary = summary;
      entry.record.snapshots = [...entry.recorder.snapshots];
      if (this.c.settings.get<boolean>('debug.summaryNotification', true)) {
        void vscode.window.showInformationMessage(`CacheLens: ${entry.record.name} on ${entry.record.connection}: ${describeSnapshot(summary)} over ${summary.stops} stop(s).`);
      }
    } catch (e) {
      this.c.logger.warn(`debug summary failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      entry.record.active = false;
      this.changed.fire();
    }
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** The "Cache While Debugging" view: sessions, then one node per stop with a hover summary. */
export class DebugSnapshotsTree implements vscode.TreeDataProvider<DebugRecord | Snapshot> {
  readonly onDidChangeTreeData: vscode.Event<void>;
  constructor(private readonly model: DebugSnapshots) { this.onDidChangeTreeData = model.onDidChange; }

  getChildren(element?: DebugRecord | Snapshot): Array<DebugRecord | Snapshot> {
    if (!element) return this.model.records;
    if ('snapshots' in element) return [...element.snapshots].reverse();
    return [];
  }

  getTreeItem(element: DebugRecord | Snapshot): vscode.TreeItem {
    if ('snapshots' in element) {
      const item = new vscode.TreeItem(element.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = element.summary ? describeSnapshot(element.summary) : `${element.connection}${element.active ? ' (running)' : ''}`;
      item.iconPath = new vscode.ThemeIcon(element.active ? 'debug-alt' : 'debug-stop');
      item.tooltip = `${element.name} watching ${element.connection}`;
      return item;
    }
    const label = element.reason === 'ended' ? 'session ended' : `stop ${element.index}${element.detail ? ` (${element.detail})` : ''}`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.description = describeSnapshot(element);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${label}** — ${element.seconds.toFixed(1)} s since the previous stop\n\n`);
    md.appendMarkdown(`| hits | misses | hit ratio | commands |\n|---|---|---|---|\n| ${element.hits} | ${element.misses} | ${element.hitRatio === null ? 'n/a' : (element.hitRatio * 100).toFixed(1) + ' %'} | ${element.commands} |\n\n`);
    if (element.topCommands.length) md.appendMarkdown('Top commands: ' + element.topCommands.slice(0, 5).map((c) => `\`${c.command}\` ×${c.calls}`).join(', '));
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(element.hitRatio === null ? 'circle-outline' : element.hitRatio > 0.8 ? 'pass' : 'warning');
    return item;
  }
}
