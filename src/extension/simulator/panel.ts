/**
 * Hosts the simulator webview. Runs go through runSweep on worker threads (at least two, so the
 * replay never runs on the extension host's thread; only the trace's first pass does, in
 * chunks that yield to the event loop), with throttled progress and cancel.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { CacheLensError } from '../../core/errors';
import { policyInfos } from '../../core/sim/registry';
import { parseSizeSpec } from '../../core/sim/runner';
import { stepTrace } from '../../core/sim/step';
import { runSweep } from '../../core/sim/sweep';
import type { TraceRef } from '../../core/sim/traces/open';
import {
  Cancel, Done, ExportCsv, ExportPng, Failed, FilePicked, Init, PickFile, Progress, RecordFromConnection, Run, Step,
  isRunParams, isStepParams, type TraceChoice,
} from '../../../webview/protocol/simulator';
import type { Container } from '../container';
import type { WebviewChannel } from '../webview/host';

const DEFAULT_SPEC = 'zipf:alpha=1.0,objects=100000,requests=1000000,seed=42';
const DEFAULT_SIZES = '0.5%,1%,2%,5%,10%,20%';

/** Opens (or reveals) the panel and returns its channel. */
export function openSimulator(c: Container): WebviewChannel {
  const { channel, created, panel } = c.webviews.show({ name: 'simulator', title: 'CacheLens: Eviction Simulator', retainContextWhenHidden: true });
  if (!created) return channel;
  let running: AbortController | undefined;
  channel.onReady(() => channel.notify(Init, {
    policies: policyInfos().map((p) => ({ name: p.name, family: p.family, description: p.description })),
    defaultSpec: DEFAULT_SPEC, defaultSizes: DEFAULT_SIZES,
  }));

  channel.onNotification(Run, (params) => {
    if (!isRunParams(params)) return;
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const { runId } = params;
    let last = 0;
    const started = Date.now();
    void runSweep({
      trace: toRef(params.trace), policies: params.policies, sizes: params.sizes.map(parseSizeSpec),
      bytes: params.bytes, warmup: params.warmup, threads: Math.max(2, os.availableParallelism()),
    }, {
      signal: controller.signal,
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        channel.notify(Progress, { runId, phase: p.phase, done: p.done, fraction: p.total ? p.done / p.total : null });
      },
    }).then((report) => {
      const t = report.trace;
      channel.notify(Done, {
        runId, results: report.results, bytes: params.bytes, threads: report.threads, seconds: (Date.now() - started) / 1000,
        trace: { kind: t.kind, source: t.source, requests: t.requests, objects: t.objects, objectBytes: t.objectBytes, hasSizes: t.hasSizes, hasTtls: t.hasTtls },
      });
    }, (e: unknown) => {
      const cancelled = CacheLensError.is(e, 'cancelled');
      if (!CacheLensError.is(e)) c.logger.error('simulation failed', e);
      channel.notify(Failed, { runId, cancelled, message: cancelled ? 'Cancelled.' : CacheLensError.is(e) ? e.message : 'The simulation failed; see the CacheLens output.' });
    }).finally(() => { if (running === controller) running = undefined; });
  });

  channel.onNotification(Cancel, () => running?.abort());

  channel.onRequest(Step, async (params) => {
    if (!isStepParams(params)) throw new CacheLensError('usage', 'bad step request');
    return stepTrace(toRef(params.trace), { policy: params.policy, capacity: params.capacity, bytes: params.bytes });
  });

  channel.onNotification(PickFile, async () => {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Simulate', title: 'Trace file (keys, CSV or oracleGeneral)' });
    if (picked?.[0]) channel.notify(FilePicked, { file: picked[0].fsPath });
  });

  channel.onNotification(ExportCsv, async ({ csv }) => {
    await save(c, 'cachelens-simulation.csv', { CSV: ['csv'] }, Buffer.from(csv, 'utf8'));
  });

  channel.onNotification(ExportPng, async ({ dataUrl }) => {
    const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
    if (!m) return;
    await save(c, 'cachelens-miss-ratio-curves.png', { PNG: ['png'] }, Buffer.from(m[1], 'base64'));
  });

  channel.onNotification(RecordFromConnection, () => {
    void vscode.commands.executeCommand('cachelens.simulator.record');
  });

  panel.onDidDispose(() => running?.abort());
  return channel;
}

function toRef(choice: TraceChoice): TraceRef {
  return 'spec' in choice ? { spec: choice.spec } : { file: choice.file, format: choice.format };
}

async function save(c: Container, name: string, filters: Record<string, string[]>, data: Uint8Array): Promise<void> {
  try {
    const target = await vscode.window.showSaveDialog({ filters, saveLabel: 'Export', defaultUri: vscode.Uri.file(name) });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, data);
    void vscode.window.showInformationMessage(`CacheLens: saved ${target.fsPath}`);
  } catch (e) {
    c.reportError(e, 'simulator export');
  }
}
