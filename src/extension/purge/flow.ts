/**
 * The one flow every destructive command follows: a dry-run count with a sample, a modal
 * confirmation, the deletion with progress and cancel, then a report. Tests pass
 * `{ confirm: true | false }` instead of clicking the modal; nothing else changes.
 */
import * as vscode from 'vscode';
import { displayKey } from '../../core/keyname';
import { CacheLensError } from '../../core/errors';
import { isMemcachedDriver } from '../../core/driver/memcached/index';
import { executePurge, planPurge, type PurgeReport, type PurgeSelection } from '../../core/purge';
import { assertWritable } from '../connections/guard';
import type { ConnectionManager } from '../connections/manager';
import type { ConnectionProfile } from '../connections/profile';

export interface ConfirmArgs {
  /** Skips the modal: true confirms, false declines (tests, scripted use). */
  confirm?: boolean;
}

export interface PurgeOutcome {
  /** What the dry run found. */
  plan: { matched: number; sample: string[] };
  confirmed: boolean;
  /** Undefined when nothing matched or the user declined. */
  report?: PurgeReport;
}

const SAMPLE_SHOWN = 10;

export async function runPurge(manager: ConnectionManager, profile: ConnectionProfile, selection: PurgeSelection,
  what: string, args: ConfirmArgs = {}): Promise<PurgeOutcome> {
  assertWritable(profile, `deleting ${what}`);
  const plan = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, title: `CacheLens: counting ${what}…`, cancellable: true,
  }, (progress, token) => manager.withDriver(profile.id, (driver) => planPurge(driver, selection, {
    signal: abortOn(token),
    onProgress: (p) => progress.report({ message: `${p.matched.toLocaleString('en-US')} so far` }),
  })));
  const sample = plan.sample.map(displayKey);
  const outcome: PurgeOutcome = { plan: { matched: plan.matched, sample }, confirmed: false };
  if (plan.matched === 0) {
    void vscode.window.showInformationMessage(`CacheLens: nothing to delete: no key matches ${what} in "${profile.name}".`);
    return outcome;
  }
  outcome.confirmed = args.confirm ?? await confirm(profile, plan.matched, what, sample);
  if (!outcome.confirmed) return outcome;

  outcome.report = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, title: `CacheLens: deleting ${what}`, cancellable: true,
  }, (progress, token) => manager.withDriver(profile.id, (driver) => {
    let last = 0;
    return executePurge(driver, selection, {
      signal: abortOn(token),
      onProgress: (p) => {
        const pct = Math.min(100, (p.deleted / plan.matched) * 100);
        progress.report({ message: `${p.deleted.toLocaleString('en-US')} of ${plan.matched.toLocaleString('en-US')}`, increment: pct - last });
        last = pct;
      },
    });
  }));
  showReport(profile, what, outcome.report);
  return outcome;
}

async function confirm(profile: ConnectionProfile, matched: number, what: string, sample: string[]): Promise<boolean> {
  const button = `Delete ${matched.toLocaleString('en-US')} Key${matched === 1 ? '' : 's'}`;
  const more = matched > sample.slice(0, SAMPLE_SHOWN).length ? `\n… and ${(matched - Math.min(sample.length, SAMPLE_SHOWN)).toLocaleString('en-US')} more` : '';
  const choice = await vscode.window.showWarningMessage(
    `Delete ${matched.toLocaleString('en-US')} key${matched === 1 ? '' : 's'} (${what}) from "${profile.name}"?`,
    { modal: true, detail: `For example:\n${sample.slice(0, SAMPLE_SHOWN).join('\n')}${more}\n\nThis cannot be undone.` },
    button);
  return choice === button;
}

function showReport(profile: ConnectionProfile, what: string, r: PurgeReport): void {
  const text = `CacheLens: ${r.cancelled ? 'cancelled; ' : ''}${what} in "${profile.name}": matched ${r.matched.toLocaleString('en-US')}, deleted ${r.deleted.toLocaleString('en-US')}, errors ${r.errors}.`;
  if (r.errors > 0) void vscode.window.showWarningMessage(text);
  else void vscode.window.showInformationMessage(text);
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/**
 * Memcached flush_all: only after the user types the connection's name (or a test passes it as
 * `typedName`), because it drops every item on every server and cannot be previewed per key.
 */
export async function runFlush(manager: ConnectionManager, profile: ConnectionProfile, args: { typedName?: string } = {}): Promise<boolean> {
  assertWritable(profile, 'flush');
  const typed = args.typedName ?? await vscode.window.showInputBox({
    title: `CacheLens: flush every item of "${profile.name}"`,
    prompt: `This runs flush_all on every server. Type the connection's name (${profile.name}) to confirm.`,
    ignoreFocusOut: true,
    validateInput: (v) => (v === '' || v === profile.name ? undefined : 'The name does not match.'),
  });
  if (typed === undefined || typed === '') return false;
  if (typed !== profile.name) throw new CacheLensError('usage', `flush refused: "${typed}" is not the connection's name`);
  await manager.withDriver(profile.id, async (driver) => {
    if (!isMemcachedDriver(driver)) throw new CacheLensError('unsupported', 'flush is for Memcached connections; use a purge by glob on Redis');
    await driver.flush();
  });
  void vscode.window.showInformationMessage(`CacheLens: flushed every item of "${profile.name}".`);
  return true;
}
