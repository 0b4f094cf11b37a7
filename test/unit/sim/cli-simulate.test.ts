import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { policyNames } from '../../../src/core/sim/registry';

interface Captured { code: number; out: string; err: string }

async function cli(args: string[], tty = false): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; }, errIsTTY: tty, outIsTTY: false, env: {} };
  const code = await runCli(args, io);
  return { code, out, err };
}

const ZIPF = 'zipf:alpha=1.0,objects=20000,requests=200000,seed=42';

describe('cachelens simulate', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-cli-sim-')); });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('prints the --json contract: trace plus one row per policy and size', async () => {
    const r = await cli(['simulate', '--policy', 'lru,sieve', '--policy', 'OPT', '--trace', ZIPF, '--size', '200,2000', '--json', '--threads', '1']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { trace: Record<string, unknown>; results: Array<Record<string, number | string>> };
    assert.equal(doc.trace.kind, 'zipf');
    assert.equal(doc.trace.requests, 200000);
    assert.deepEqual(doc.results.map((x) => [x.policy, x.size]), [['lru', 200], ['lru', 2000], ['sieve', 200], ['sieve', 2000], ['opt', 200], ['opt', 2000]]);
    for (const row of doc.results) {
      assert.deepEqual(Object.keys(row), ['policy', 'size', 'requests', 'hits', 'missRatio', 'byteMissRatio', 'mreqPerSec']);
      assert.equal(row.requests, 200000);
      assert.equal(row.missRatio, (200000 - (row.hits as number)) / 200000);
      assert.equal(row.byteMissRatio, row.missRatio);
    }
    const miss = (p: string, s: number) => doc.results.find((x) => x.policy === p && x.size === s)!.missRatio as number;
    assert.ok(miss('opt', 200) < miss('sieve', 200) && miss('sieve', 200) < miss('lru', 200));
    assert.ok(miss('lru', 2000) < miss('lru', 200));
    assert.equal(r.err, '', 'no progress on a non-terminal');
  });

  it('prints an aligned table with the trace summary', async () => {
    const r = await cli(['simulate', '--policy', 'lru,w-tinylfu', '--trace', ZIPF, '--sizes', '1%,10', '--warmup', '1000']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0], /^trace zipf:alpha=1\.0.*: 200,000 requests, \d{1,3},\d{3} objects$/);
    assert.match(lines[1], /capacity in objects; first 1,000 requests not counted/);
    const table = lines.slice(3);
    assert.match(table[0], /^policy\s+size\s+requests\s+hits\s+miss ratio\s+byte miss ratio\s+Mreq\/s$/);
    assert.equal(table.length, 5);
    // Right-aligned numeric columns end at the same offsets on every row.
    const ends = (line: string, re: RegExp) => [...line.matchAll(re)].slice(-3).map((m) => (m.index as number) + m[0].length);
    const headerEnds = ends(table[0], /ratio|Mreq\/s/g);
    for (const row of table.slice(1)) assert.deepEqual(ends(row, /\S+/g), headerEnds);
    assert.match(table[1], /^lru\s+\d+\s+199000\s+\d+\s+0\.\d{4}\s+0\.\d{4}\s+\d+\.\d$/);
  });

  it('exits 2 with the list of policies for an unknown one', async () => {
    const r = await cli(['simulate', '--policy', 'lru,belladonna', '--trace', ZIPF, '--size', '10']);
    assert.equal(r.code, 2);
    assert.match(r.err, /Unknown eviction policy "belladonna"/);
    for (const name of policyNames()) assert.ok(r.err.includes(name), name);
    assert.equal(r.out, '');
  });

  it('lists the policies with --policy list', async () => {
    const r = await cli(['simulate', '--policy', 'list']);
    assert.equal(r.code, 0);
    assert.deepEqual(r.out.trim().split('\n'), policyNames());
  });

  it('rejects bad combinations of options with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--policy', 'lru', '--size', '10'], /exactly one of --trace SPEC, --trace-file FILE or --record URL/],
      [['--policy', 'lru', '--trace', 'uniform', '--trace-file', 'x', '--size', '10'], /exactly one of --trace/],
      [['--policy', 'lru', '--trace', 'uniform'], /exactly one of --size/],
      [['--policy', 'lru', '--trace', 'uniform', '--size', '10', '--sizes', '5%'], /exactly one of --size/],
      [['--policy', 'lru', '--trace', 'uniform', '--size', '5%'], /use --sizes/],
      [['--policy', 'lru', '--trace', 'uniform', '--size', '10', '--format', 'csv'], /--format applies to --trace-file only/],
      [['--policy', 'lru', '--trace-file', 'x', '--format', 'parquet', '--size', '10'], /unknown trace format "parquet"/],
      [['--policy', 'lru', '--trace', 'zipf:alpah=1', '--size', '10'], /zipf has no parameter "alpah"/],
      [['--trace', 'uniform', '--size', '10'], /--policy is required/],
      [['--policy', 'lru', '--trace', 'uniform', '--size', '10', '--warmup', 'x'], /--warmup must be a whole number/],
      [['--policy', 'lru', '--trace', 'uniform:requests=100', '--size', '10', '--warmup', '100'], /leaves no request to count/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(['simulate', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, re, args.join(' '));
    }
  });

  it('simulates a CSV file in bytes, and names the bad line of a broken file (exit 1)', async () => {
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'time,key,size\n1,a,100\n2,b,300\n3,a,100\n4,b,300\n5,a,100\n');
    const r = await cli(['simulate', '--policy', 'lru', '--trace-file', good, '--size', '400', '--bytes', '--json']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { trace: { kind: string; objects: number; objectBytes: number }; results: Array<{ hits: number; byteMissRatio: number }> };
    assert.deepEqual([doc.trace.kind, doc.trace.objects, doc.trace.objectBytes], ['csv', 2, 400]);
    assert.deepEqual([doc.results[0].hits, doc.results[0].byteMissRatio], [3, 400 / 900]);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, '1,a,100\n2,b,lots\n');
    const e = await cli(['simulate', '--policy', 'lru', '--trace-file', bad, '--size', '4']);
    assert.equal(e.code, 1);
    assert.match(e.err, /^cachelens simulate: .*bad\.csv: line 2: size "lots" is not a whole number of bytes\n$/);
  });

  it('shows every request with --step', async () => {
    const r = await cli(['simulate', '--policy', 'fifo', '--trace', 'loop:objects=3,requests=4', '--size', '2', '--step']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines[0], 'fifo, capacity 2: 0 hits of 4 requests');
    assert.match(lines[3], /^\s+3\s+2\s+miss\s+evict 0\s+\[2 1\]$/);
    assert.match(lines[4], /^\s+4\s+0\s+miss\s+evict 1\s+\[0 2\]$/);
  });

  it('shows sizes and the bytes held with --step --bytes', async () => {
    const file = path.join(dir, 'step-bytes.csv');
    fs.writeFileSync(file, 'time,key,size\n1,a,100\n2,b,200\n3,a,100\n4,c,150\n5,b,200\n');
    const r = await cli(['simulate', '--policy', 'lru', '--trace-file', file, '--size', '300', '--bytes', '--step']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines[0], 'lru, capacity 300 bytes: 1 hits of 5 requests');
    assert.match(lines[2], /^\s+2\s+b \(200 B\)\s+miss\s+300\/300 B\s+\[b:200 a:100\]$/);
    assert.match(lines[4], /^\s+4\s+c \(150 B\)\s+miss\s+250\/300 B\s+evict b:200\s+\[c:150 a:100\]$/);
    assert.match(lines[5], /^\s+5\s+b \(200 B\)\s+miss\s+200\/300 B\s+evict a:100,c:150\s+\[b:200\]$/);
  });

  it('writes progress to stderr only on a terminal, and clears it', async () => {
    const r = await cli(['simulate', '--policy', 'lru', '--trace', 'uniform:objects=1000,requests=3000000', '--size', '10', '--threads', '1'], true);
    assert.equal(r.code, 0);
    assert.match(r.err, /\r(reading the trace: [\d,]+ requests|simulating: \d+%)/);
    assert.ok(r.err.endsWith('\r\x1b[K'));
  });

  it('runs as a real process', async () => {
    const root = path.resolve(__dirname, '..', '..', '..', '..');
    const main = path.join(root, 'out', 'src', 'cli', 'main.js');
    const run = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['-e', `process.argv.splice(1, 0, 'cachelens'); require(${JSON.stringify(main)}).main()`, ...args],
        (err, stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr }));
    });
    const ok = await run(['simulate', '--policy', 'lru,fifo', '--trace', 'zipf:objects=1000,requests=20000', '--size', '100', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const doc = JSON.parse(ok.stdout) as { results: Array<{ policy: string; hits: number }> };
    assert.deepEqual(doc.results.map((x) => x.policy), ['lru', 'fifo']);
    assert.ok(doc.results.every((x) => x.hits > 5000));
    const bad = await run(['simulate', '--policy', 'nope', '--trace', 'uniform', '--size', '1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Known policies: lru, /);
  });
});
