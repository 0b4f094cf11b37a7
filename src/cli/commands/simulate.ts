import { CacheLensError } from '../../core/errors';
import { policyNames, resolvePolicyName } from '../../core/sim/registry';
import { parseSizeSpec, type SimResult, type SizeSpec } from '../../core/sim/runner';
import { stepTrace } from '../../core/sim/step';
import { runSweep, type SweepProgress } from '../../core/sim/sweep';
import { parseFormat, type TraceRef } from '../../core/sim/traces/open';
import type { TraceInfo } from '../../core/sim/traces/types';
import { intOpt, opt, optList, parseArgs } from '../args';
import type { CliCommand, CliIO } from '../io';

const usage = `Usage: cachelens simulate --policy lru,lfu,... (--trace SPEC | --trace-file FILE [--format auto|lines|csv|oracleGeneral])
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
  summary: 'simulate eviction policies on a synthetic or recorded trace (miss-ratio curves)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      boolean: ['bytes', 'json', 'step'],
      string: ['trace', 'trace-file', 'format', 'warmup', 'seed', 'threads'],
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
    const trace = traceRef(args);
    const sizes = sizeSpecs(args);
    const bytes = args.flags.has('bytes');
    const warmup = intOpt(args, 'warmup', 0) as number;
    if (warmup < 0) throw new CacheLensError('usage', '--warmup must not be negative');
    const seed = intOpt(args, 'seed', 42) as number;
    const threads = intOpt(args, 'threads');
    if (threads !== undefined && threads < 1) throw new CacheLensError('usage', '--threads must be at least 1');

    if (args.flags.has('step')) return step(io, trace, policies, sizes, bytes, seed, args.flags.has('json'));

    const progress = io.errIsTTY && !args.flags.has('json') ? progressPrinter(io) : undefined;
    const report = await runSweep(
      { trace, policies, sizes, bytes, warmup, seed, threads },
      { signal: io.signal, onProgress: progress?.update },
    ).finally(() => progress?.clear());
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ trace: traceJson(report.trace), results: report.results }) + '\n');
    } else {
      io.out(describeTrace(report.trace, bytes, warmup) + '\n\n' + table(report.results, bytes) + '\n');
    }
    return 0;
  },
};

function traceRef(args: ReturnType<typeof parseArgs>): TraceRef {
  const spec = opt(args, 'trace');
  const file = opt(args, 'trace-file');
  const format = opt(args, 'format');
  if ((spec === undefined) === (file === undefined)) throw new CacheLensError('usage', 'give exactly one of --trace SPEC or --trace-file FILE');
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

function describeTrace(info: TraceInfo, bytes: boolean, warmup: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [`trace ${info.kind === 'lines' || info.kind === 'csv' || info.kind === 'oracleGeneral' ? `${info.source} (${info.kind})` : info.source}`,
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
  const label = (id: number) => run.labels[id] ?? String(id);
  const width = Math.max(3, ...run.frames.map((f) => f.key.length));
  const lines = run.frames.map((f) => `${String(f.index + 1).padStart(4)}  ${f.key.padEnd(width)}  ${f.hit ? 'hit ' : 'miss'}  ` +
    `${f.evicted.length ? `evict ${f.evicted.map(label).join(',')}`.padEnd(14) : ''.padEnd(14)}  [${f.contents.map(label).join(' ')}]`);
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
