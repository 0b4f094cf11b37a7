import { analyze, analyzeJson, TTL_BUCKETS, type NamespaceStats } from '../../core/analyze';
import { CacheLensError } from '../../core/errors';
import { displayKey } from '../../core/keyname';
import { intOpt, opt, parseArgs } from '../args';
import { withDriver } from '../connect';
import { formatBytes } from '../format';
import type { CliCommand } from '../io';
import { Progress } from '../progress';

const usage = `Usage: cachelens analyze [--url URL] [--delimiter D] [--depth N] [--json]

One pass over every key (SCAN / metadump, no value reads): per namespace, the key count, bytes,
type breakdown and TTL histogram (none, <1m, <1h, <1d, <7d, >=7d).
  --delimiter D  namespace separator (default ":")
  --depth N      namespace levels to break down (default 2)
  --json         {"keys","bytes","namespaces":[{"prefix","keys","bytes","types":{...},
                 "ttl":{"none","<1m","<1h","<1d","<7d",">=7d"},"children":[...]}]}
Keys without the delimiter count in the totals only.`;

function line(s: NamespaceStats, indent: string): string {
  const types = Object.entries(s.types).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ');
  const ttl = TTL_BUCKETS.map((b, i) => (s.ttl[i] ? `${b} ${s.ttl[i]}` : '')).filter(Boolean).join(', ');
  return `${indent}${displayKey(s.prefix)}  ${s.keys} keys  ${formatBytes(s.bytes)}  [${types}]  ttl: ${ttl}`;
}

function render(list: NamespaceStats[], indent: string, out: string[]): void {
  for (const s of list) {
    out.push(line(s, indent));
    render(s.children, indent + '  ', out);
    if (s.other) out.push(`${indent}  (${s.other.namespaces}+ more namespaces: ${s.other.keys} keys, ${formatBytes(s.other.bytes)})`);
  }
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { boolean: ['json'], string: ['url', 'delimiter', 'depth'] });
    if (args.positionals.length) throw new CacheLensError('usage', `unexpected argument "${args.positionals[0]}"`);
    const depth = intOpt(args, 'depth', 2) as number;
    if (depth < 1) throw new CacheLensError('usage', '--depth must be at least 1');
    const delimiter = opt(args, 'delimiter') ?? ':';
    if (delimiter === '') throw new CacheLensError('usage', '--delimiter must not be empty');
    return withDriver(args, io, async (driver) => {
      const progress = new Progress(io);
      const result = await analyze(driver, {
        delimiter, depth, signal: io.signal,
        onProgress: (p) => progress.update(`${p.keys} keys, ${formatBytes(p.bytes)}`),
      });
      progress.done();
      if (!result.complete) io.err(`cachelens analyze: note: ${driver.capabilities().note ?? 'the listing may be partial'}\n`);
      if (args.flags.has('json')) {
        io.out(JSON.stringify(analyzeJson(result)) + '\n');
        return 0;
      }
      const out = [`${driver.display}: ${result.keys} keys, ${formatBytes(result.bytes)} (${(result.durationMs / 1000).toFixed(1)} s)`];
      render(result.namespaces, '  ', out);
      io.out(out.join('\n') + '\n');
      return 0;
    });
  },
};
