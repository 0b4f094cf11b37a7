import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheLensError, redactUrl } from '../../core/errors';
import { RECORD_COST_WARNING, recordRedisTrace, writeRecordedTrace, type RecordedTrace } from '../../core/sim/record';
import { policyNames, resolvePolicyName } from '../../core/sim/registry';
import { parseSizeSpec, type SimResult, type SizeSpec } from '../../core/sim/runner';
import { stepTrace, type StepFrame } from '../../core/sim/step';
import { runSweep, type SweepProgress } from '../../core/sim/sweep';
import { parseFormat, type TraceRef } from '../../core/sim/traces/open';
import type { TraceInfo } from '../../core/sim/traces/types';
import { intOpt, opt, optList, parseArgs } from '../args';
import type { CliCommand, CliIO } from '../io';
import { Progress as ProgressLine } from '../progress';

const usage = `Usage: cachelens simulate --policy lru,lfu,... (--trace SPEC | --trace-file FILE [--format auto|lines|csv|oracleGeneral]
                                              | --record URL [--record-seconds N] [--record-sample P] [--yes] [--save-trace FILE])
                          (--size N[,N...] | --sizes P%[,P%...]) [--bytes] [--warmup N] [--json]
                          [--seed N] [--threads N] [--step]

Replays a trace through eviction policies and prints hit and miss ratios per policy and size.
No server is needed.
  --policy LIST   policies, comma separated (--policy list shows them all)
  --trace SPEC    a synthetic trace, e.g. zipf:alpha=1.0,objects=1000000,requests=10000000,seed=42
                  kinds: zipf, uniform, scan, loop, shift, mix (mix:zipf(alpha=0.9)*0.8+scan*0.2)
                  common: requests, objects, seed, size=N|uniform(a,b)|lognormal(mu,sigma),
                  ttl=N|uniform(a,b), ttlFraction=F, rate=R (requests per second)
  --trace-file F  a trace file: one key per line, CSV time,key,size[,ttl], or libCacheSim's
                  oracleGeneral binary; --format forces one (default auto)
  --record URL    record live traffic from one Redis server (redis:// or rediss://) with MONITOR,
                  then simulate it. MONITOR can halve the server's throughput while it runs, so
                  this asks first on a terminal (--yes to agree up front; refused without both)
  --record-seconds N  how long to record (default 10)
  --record-sample P   keep this fraction of keys, 0 < P <= 1 or a percentage (default 1)
  --save-trace F  also write the recording as CSV time,key,size,ttl (replay it with --trace-file F)
  --size LIST     cache sizes in objects (or bytes with --bytes: 64MB, 1GiB, ...)
  --sizes LIST    cache sizes as percentages of the trace's distinct objects (or bytes)
  --bytes         capacity counts bytes, with object sizes from the trace
  --warmup N      the first N requests warm the cache and are not counted
  --json          {"trace": {...}, "results": [{"policy","size","requests","hits","missRatio","byteMissRatio","mreqPerSec"}]}
  --seed N        seed for randomized policies (default 42)
  --threads N     worker threads for the sweep (default: one per core)
  --step          one policy, one size, a trace of at most 1000 requests: print every request`;

export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      boolean: ['bytes', 'json', 'step', 'yes'],
      string: ['trace', 'trace-file', 'format', 'warmup', 'seed', 'threads', 'record', 'record-seconds', 'record-sample', 'save-trace'],
      multiple: ['policy', 'size', 'sizes'],
    });
    if (args.positionals.length) throw new CacheLensError('usage', `unexpected argument "${args.positionals[0]}"`);
    const policyArgs = optList(args, 'policy');
    if (policyArgs.length === 1 && policyArgs[0].toLowerCase() === 'list') {
      io.out(policyNames().join('\n') + '\n');
      return 0;
    }
    if (policyArgs.length === 0) throw new CacheLensError('usage', `--policy is required (known: ${policyNames().join(', ')})`);
    const policies = policyArgs.map(resolvePolicyName);
    const recording = recordingOptions(args);
    const sizes = sizeSpecs(args);
    const bytes = args.flags.has('bytes');
    const warmup = intOpt(args, 'warmup', 0) as number;
    if (warmup < 0) throw new CacheLensError('usage', '--warmup must not be negative');
    const seed = intOpt(args, 'seed', 42) as number;
    const threads = intOpt(args, 'threads');
    if (threads !== undefined && threads < 1) throw new CacheLensError('usage', '--threads must be at least 1');
    if (args.flags.has('step') && (policies.length !== 1 || sizes.length !== 1 || !('absolute' in sizes[0]))) {
      throw new CacheLensError('usage', '--step takes one --policy and one absolute --size');
    }
    if (!recording) return simulate(io, args, traceRef(args), { policies, sizes, bytes, warmup, seed, threads });

    if (!args.flags.has('yes') && !(await consent(io, recording))) return 1;
    const recorded = await record(io, recording);
    // Without --save-trace the recording goes to a temp file that is removed afterwards.
    const temp = recording.saveTo ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-recording-'));
    const file = recording.saveTo ?? path.join(temp as string, 'recording.csv');
    try {
      writeRecordedTrace(recorded, file);
      const note = recordingNote(recording, recorded);
      if (!args.flags.has('json')) io.err(note.text + (recording.saveTo ? `; saved to ${recording.saveTo}` : '') + '\n');
      if (recorded.requests.length === 0) {
        throw new CacheLensError('input', `nothing to simulate: no reads of keys were recorded from ${redactUrl(recording.url)} in ${recording.seconds} s`);
      }
      return await simulate(io, args, { file, format: 'csv' }, { policies, sizes, bytes, warmup, seed, threads }, note);
    } finally {
      if (temp) fs.rmSync(temp, { recursive: true, force: true });
    }
  },
};

interface RunChoices { policies: string[]; sizes: SizeSpec[]; bytes: boolean; warmup: number; seed: number; threads: number | undefined }

interface RecordingNote { text: string; json: Record<string, unknown>; source: string }

async function simulate(io: CliIO, args: ReturnType<typeof parseArgs>, trace: TraceRef, run: RunChoices, recording?: RecordingNote): Promise<number> {
    const { policies, sizes, bytes, warmup, seed, threads } = run;
    if (args.flags.has('step')) return step(io, trace, policies, sizes, bytes, seed, args.flags.has('json'));

    const progress = io.errIsTTY && !args.flags.has('json') ? progressPrinter(io) : undefined;
    const report = await runSweep(
      { trace, policies, sizes, bytes, warmup, seed, threads },
      { signal: io.signal, onProgress: progress?.update },
    ).finally(() => progress?.clear());
    const label = recording ? `trace ${recording.source}` : undefined;
    if (recording) report.trace.source = recording.source;
    if (args.flags.has('json')) {
      const doc: Record<string, unknown> = { trace: traceJson(report.trace), results: report.results };
      if (recording) doc.recording = recording.json;
      io.out(JSON.stringify(doc) + '\n');
    } else {
      io.out(describeTrace(report.trace, bytes, warmup, label) + '\n\n' + table(report.results, bytes) + '\n');
    }
    return 0;
}

interface RecordingChoice { url: string; seconds: number; sampleRate: number; saveTo: string | undefined }

function recordingOptions(args: ReturnType<typeof parseArgs>): RecordingChoice | undefined {
  const url = opt(args, 'record');
  const seconds = opt(args, 'record-seconds');
  const sample = opt(args, 'record-sample');
  const saveTo = opt(args, 'save-trace');
  if (url === undefined) {
    const stray = [['record-seconds', seconds], ['record-sample', sample], ['save-trace', saveTo]].find(([, v]) => v !== undefined);
    if (stray) throw new CacheLensError('usage', `--${stray[0]} applies to --record only`);
    if (args.flags.has('yes')) throw new CacheLensError('usage', '--yes applies to --record only');
    return undefined;
  }
  if (opt(args, 'trace') !== undefined || opt(args, 'trace-file') !== undefined) {
    throw new CacheLensError('usage', 'give exactly one of --trace SPEC, --trace-file FILE or --record URL');
  }
  if (opt(args, 'format') !== undefined) throw new CacheLensError('usage', '--format applies to --trace-file only');
  const secs = seconds === undefined ? 10 : Number(seconds);
  if (!(Number.isFinite(secs) && secs > 0 && secs <= 3600)) throw new CacheLensError('usage', `--record-seconds must be a number of seconds in (0, 3600], got "${seconds}"`);
  let rate = 1;
  if (sample !== undefined) {
    const m = /^\s*([\d.]+)\s*(%?)\s*$/.exec(sample);
    rate = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
    if (!(rate > 0 && rate <= 1)) throw new CacheLensError('usage', `--record-sample must be a fraction in (0, 1] or a percentage, got "${sample}"`);
  }
  return { url, seconds: secs, sampleRate: rate, saveTo };
}

/** Shows the cost warning and asks on the terminal; refuses when there is none. */
async function consent(io: CliIO, r: RecordingChoice): Promise<boolean> {
  io.err(`Warning: ${RECORD_COST_WARNING}\n`);
  if (!io.prompt) {
    io.err('cachelens simulate: nothing recorded: no terminal to ask on; pass --yes to agree to the cost\n');
    return false;
  }
  const answer = (await io.prompt(`Record ${r.seconds} s of traffic from ${redactUrl(r.url)}? Type "yes" to continue: `)).trim().toLowerCase();
  if (answer === 'yes' || answer === 'y') return true;
  io.err('cachelens simulate: nothing recorded\n');
  return false;
}

async function record(io: CliIO, r: RecordingChoice): Promise<RecordedTrace> {
  const line = new ProgressLine(io, 200);
  try {
    return await recordRedisTrace({
      url: r.url, seconds: r.seconds, sampleRate: r.sampleRate, acknowledgeCost: true, signal: io.signal,
      onProgress: (requests, elapsed) => line.update(`recording ${redactUrl(r.url)}: ${Math.floor(elapsed)} of ${r.seconds} s, ${requests.toLocaleString('en-US')} requests`, true),
    });
  } finally {
    line.done();
  }
}

function recordingNote(r: RecordingChoice, t: RecordedTrace): RecordingNote {
  const shown = redactUrl(r.url);
  const keys = new Set(t.requests.map((q) => q.key)).size;
  const sample = t.sampleRate === 1 ? '' : `, ${+(t.sampleRate * 100).toFixed(4)}% of keys kept`;
  return {
    text: `recorded ${t.requests.length.toLocaleString('en-US')} reads of ${keys.toLocaleString('en-US')} keys from ${t.commandsSeen.toLocaleString('en-US')} commands in ${t.seconds.toFixed(1)} s${sample}`,
    source: `recording of ${shown} (${r.seconds} s${sample})`,
    json: { url: shown, seconds: t.seconds, commandsSeen: t.commandsSeen, requests: t.requests.length, keys, sampleRate: t.sampleRate, ...(r.saveTo ? { savedTo: r.saveTo } : {}) },
  };
}

function traceRef(args: ReturnType<typeof parseArgs>): TraceRef {
  const spec = opt(args, 'trace');
  const file = opt(args, 'trace-file');
  const format = opt(args, 'format');
  if ((spec === undefined) === (file === undefined)) throw new CacheLensError('usage', 'give exactly one of --trace SPEC, --trace-file FILE or --record URL');
  if (spec !== undefined) {
    if (format !== undefined) throw new CacheLensError('usage', '--format applies to --trace-file only');
    return { spec };
  }
  return { file: file as string, format: format === undefined ? 'auto' : parseFormat(format) };
}

function sizeSpecs(args: ReturnType<typeof parseArgs>): SizeSpec[] {
  const absolute = optList(args, 'size');
  const relative = optList(args, 'sizes');
  if ((absolute.length === 0) === (relative.length === 0)) throw new CacheLensError('usage', 'give exactly one of --size N[,N...] or --sizes P%[,P%...]');
  if (absolute.length) {
    return absolute.map((s) => {
      const spec = parseSizeSpec(s);
      if ('percent' in spec) throw new CacheLensError('usage', `--size takes absolute sizes; use --sizes for "${s}"`);
      return spec;
    });
  }
  return relative.map((s) => parseSizeSpec(/%\s*$/.test(s) ? s : `${s}%`));
}

function traceJson(info: TraceInfo): Record<string, unknown> {
  return {
    kind: info.kind, source: info.source, params: info.params, requests: info.requests, objects: info.objects,
    objectBytes: info.objectBytes, requestBytes: info.requestBytes, hasSizes: info.hasSizes, hasTtls: info.hasTtls,
  };
}

function describeTrace(info: TraceInfo, bytes: boolean, warmup: number, label?: string): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [label ?? `trace ${info.kind === 'lines' || info.kind === 'csv' || info.kind === 'oracleGeneral' ? `${info.source} (${info.kind})` : info.source}`,
    `${n(info.requests)} requests, ${n(info.objects)} objects`];
  if (info.hasSizes) parts.push(`${n(info.objectBytes)} bytes of distinct objects`);
  if (info.hasTtls) parts.push('with TTLs');
  const tail = [`capacity in ${bytes ? 'bytes' : 'objects'}`];
  if (warmup) tail.push(`first ${n(warmup)} requests not counted`);
  return `${parts[0]}: ${parts.slice(1).join(', ')}\n${tail.join('; ')}`;
}

/** An aligned table, one row per policy and size. */
export function table(results: SimResult[], bytes: boolean): string {
  const head = ['policy', bytes ? 'size (bytes)' : 'size', 'requests', 'hits', 'miss ratio', 'byte miss ratio', 'Mreq/s'];
  const rows = results.map((r) => [r.policy, String(r.size), String(r.requests), String(r.hits),
    r.missRatio.toFixed(4), r.byteMissRatio.toFixed(4), r.mreqPerSec.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

async function step(io: CliIO, trace: TraceRef, policies: string[], sizes: SizeSpec[], bytes: boolean, seed: number, json: boolean): Promise<number> {
  if (policies.length !== 1 || sizes.length !== 1 || !('absolute' in sizes[0])) {
    throw new CacheLensError('usage', '--step takes one --policy and one absolute --size');
  }
  const run = await stepTrace(trace, { policy: policies[0], capacity: sizes[0].absolute, bytes, seed });
  if (json) { io.out(JSON.stringify(run) + '\n'); return 0; }
  // With --bytes every key shows its size, and each line ends with the bytes the cache holds.
  const known = new Map<number, number>();
  const named = (id: number) => run.labels[id] ?? String(id);
  const label = (id: number) => (bytes ? `${named(id)}:${known.get(id) ?? run.sizes[id] ?? 1}` : named(id));
  const keyText = (f: StepFrame) => (bytes ? `${f.key} (${f.size} B)` : f.key);
  const width = Math.max(3, ...run.frames.map((f) => keyText(f).length));
  const usedWidth = 2 * String(run.capacity).length + 3;
  const lines = run.frames.map((f) => {
    known.set(f.id, f.size);
    const used = bytes ? `${`${f.contents.reduce((sum, id) => sum + (known.get(id) ?? 1), 0)}/${run.capacity} B`.padStart(usedWidth)}  ` : '';
    return `${String(f.index + 1).padStart(4)}  ${keyText(f).padEnd(width)}  ${f.hit ? 'hit ' : 'miss'}  ` +
      `${used}${f.evicted.length ? `evict ${f.evicted.map(label).join(',')}`.padEnd(14) : ''.padEnd(14)}  [${f.contents.map(label).join(' ')}]`;
  });
  io.out(`${run.policy}, capacity ${run.capacity}${bytes ? ' bytes' : ''}: ${run.hits} hits of ${run.requests} requests\n${lines.join('\n')}\n`);
  return 0;
}

function progressPrinter(io: CliIO): { update: (p: SweepProgress) => void; clear: () => void } {
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const text = p.phase === 'reading' || !p.total
        ? `reading the trace: ${p.done.toLocaleString('en-US')} requests`
        : `simulating: ${Math.floor((100 * p.done) / p.total)}%`;
      io.err(`\r${text}\x1b[K`);
    },
    clear: () => { if (last) io.err('\r\x1b[K'); },
  };
}
