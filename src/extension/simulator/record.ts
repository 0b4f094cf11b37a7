/**
 * "Record from connection…": records live Redis traffic from a saved connection with MONITOR,
 * saves it as a CSV trace and hands it to the simulator page, which runs the chosen policies on
 * it. Every step can be given as an argument (tests, other commands) or is asked for (palette,
 * page button), so both share one code path. Consent is never assumed: without `consent: true`
 * the cost warning is shown in a modal first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CacheLensError } from '../../core/errors';
import { RECORD_COST_WARNING, recordRedisTrace, writeRecordedTrace } from '../../core/sim/record';
import { Recorded } from '../../../webview/protocol/simulator';
import { connectionManager } from '../connections/index';
import type { ConnectionProfile } from '../connections/profile';
import type { Container } from '../container';
import { openSimulator } from './panel';

export interface RecordArgs {
  connectionId?: string;
  seconds?: number;
  /** Fraction of keys kept, (0, 1]; default 1. */
  sampleRate?: number;
  /** True when the caller has shown the cost warning and the user agreed. */
  consent?: boolean;
}

export interface RecordOutcome {
  /** The CSV trace (time,key,size,ttl), kept in the extension's storage for replays. */
  file: string;
  requests: number;
  keys: number;
  commandsSeen: number;
  seconds: number;
}

const DEFAULT_SECONDS = 10;
/** Older recordings beyond this many are deleted, so the storage folder cannot grow forever. */
const KEEP_RECORDINGS = 10;

export async function recordFromConnection(c: Container, args: RecordArgs = {}): Promise<RecordOutcome | undefined> {
  const channel = openSimulator(c);
  const profile = await chooseConnection(c, args.connectionId);
  if (!profile) return undefined;
  if (/^memcached/i.test(profile.url)) {
    throw new CacheLensError('unsupported', `${profile.name} is a Memcached connection; recording needs Redis MONITOR`);
  }
  const seconds = args.seconds ?? await askSeconds();
  if (seconds === undefined) return undefined;
  if (!(seconds > 0 && seconds <= 3600)) throw new CacheLensError('usage', `the recording time must be in (0, 3600] seconds, got ${seconds}`);
  const consent = args.consent ?? await askConsent(profile, seconds);
  if (!consent) return undefined;

  const manager = connectionManager(c);
  const password = await manager.password(profile.id);
  const trace = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, title: `CacheLens: recording ${profile.name}`, cancellable: true,
  }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    let reported = 0;
    try {
      return await recordRedisTrace({
        url: profile.url, password, seconds, sampleRate: args.sampleRate, acknowledgeCost: true, signal: controller.signal,
        onProgress: (requests, elapsed) => {
          const fraction = Math.min(1, elapsed / seconds);
          progress.report({ message: `${Math.floor(elapsed)} of ${seconds} s, ${requests.toLocaleString('en-US')} requests`, increment: 100 * (fraction - reported) });
          reported = fraction;
        },
      });
    } finally {
      sub.dispose();
    }
  });

  const file = recordingFile(c, profile);
  writeRecordedTrace(trace, file);
  const keys = new Set(trace.requests.map((r) => r.key)).size;
  const outcome: RecordOutcome = { file, requests: trace.requests.length, keys, commandsSeen: trace.commandsSeen, seconds: trace.seconds };
  c.logger.info(`recorded ${outcome.requests} reads of ${keys} keys from ${profile.name} into ${file}`);
  if (outcome.requests === 0) {
    void vscode.window.showWarningMessage(`CacheLens: no reads of keys were recorded from ${profile.name} in ${seconds} s (${trace.commandsSeen} commands seen).`);
    return outcome;
  }
  const sample = trace.sampleRate === 1 ? '' : `, ${+(trace.sampleRate * 100).toFixed(4)}% of keys`;
  // The page posts its Init on "ready"; waiting for it keeps the policies in place before the run starts.
  await channel.whenReady();
  channel.notify(Recorded, {
    file,
    summary: `Recorded ${outcome.requests.toLocaleString('en-US')} reads of ${keys.toLocaleString('en-US')} keys from ${profile.name} in ${trace.seconds.toFixed(1)} s${sample}.`,
  });
  return outcome;
}

async function chooseConnection(c: Container, id: string | undefined): Promise<ConnectionProfile | undefined> {
  const manager = connectionManager(c);
  if (id !== undefined) return manager.require(id);
  const all = manager.list();
  if (all.length === 0) {
    const add = 'Add Connection';
    if (await vscode.window.showInformationMessage('CacheLens: there is no saved connection to record from.', add) === add) {
      await vscode.commands.executeCommand('cachelens.addConnection');
    }
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(all.map((p) => ({
    label: p.name, description: p.url, detail: /^memcached/i.test(p.url) ? 'Memcached has no MONITOR: cannot be recorded' : undefined, profile: p,
  })), { title: 'CacheLens: record live traffic from', placeHolder: 'A Redis connection (a replica is best)' });
  return picked?.profile;
}

async function askSeconds(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'CacheLens: record for how many seconds?', value: String(DEFAULT_SECONDS), ignoreFocusOut: true,
    validateInput: (v) => (Number(v) > 0 && Number(v) <= 3600 ? undefined : 'A number of seconds from 1 to 3600'),
  });
  return text === undefined ? undefined : Number(text);
}

async function askConsent(profile: ConnectionProfile, seconds: number): Promise<boolean> {
  const record = 'Record';
  const choice = await vscode.window.showWarningMessage(`Record ${seconds} s of traffic from ${profile.name}?`,
    { modal: true, detail: RECORD_COST_WARNING }, record);
  return choice === record;
}

function recordingFile(c: Container, profile: ConnectionProfile): string {
  const dir = path.join(c.context.globalStorageUri.fsPath, 'recordings');
  fs.mkdirSync(dir, { recursive: true });
  const old = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  for (const f of old.slice(0, Math.max(0, old.length - KEEP_RECORDINGS + 1))) fs.rmSync(path.join(dir, f), { force: true });
  const name = profile.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40) || 'connection';
  return path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}.csv`);
}
