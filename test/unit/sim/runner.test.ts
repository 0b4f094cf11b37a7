import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheLensError } from '../../../src/core/errors';
import { policyNames } from '../../../src/core/sim/registry';
import { parseSizeSpec, resolveSizes, runJobs, type SimJob } from '../../../src/core/sim/runner';
import { stepTrace } from '../../../src/core/sim/step';
import { resolveWorkerScript, runSweep } from '../../../src/core/sim/sweep';
import { openTrace } from '../../../src/core/sim/traces/open';
import { prepareTrace } from '../../../src/core/sim/traces/prepare';
import { SyntheticTrace } from '../../../src/core/sim/traces/synthetic';

const prepare = (spec: string, o: Parameters<typeof prepareTrace>[1] = {}) => prepareTrace(new SyntheticTrace(spec), o);

describe('sim runner', () => {
  it('parses sizes: plain, SI and binary units, and percentages', () => {
    assert.deepEqual(['10000', '64k', '1GiB', '2MB', '1.5m', '5%', '0.5 %'].map(parseSizeSpec),
      [{ absolute: 10000 }, { absolute: 64000 }, { absolute: 1 << 30 }, { absolute: 2e6 }, { absolute: 1.5e6 }, { percent: 5 }, { percent: 0.5 }]);
    for (const bad of ['', 'ten', '0', '-5', '0%', '5%%']) {
      assert.throws(() => parseSizeSpec(bad), (e: unknown) => CacheLensError.is(e, 'usage'), bad);
    }
  });

  it('turns percentages into capacities from distinct objects or distinct bytes', async () => {
    const p = await prepare('uniform:objects=1000,requests=20000,size=100,seed=1');
    assert.equal(p.info.objects, 1000);
    assert.deepEqual(resolveSizes([{ percent: 10 }, { absolute: 7 }], p.info, false), [100, 7]);
    assert.deepEqual(resolveSizes([{ percent: 10 }], p.info, true), [10_000]);
  });

  it('counts hits exactly on a loop: LRU thrashes one object short, hits everything at full size', async () => {
    const p = await prepare('loop:objects=5,requests=100');
    const [short, full] = await runJobs(p, [{ policy: 'lru', capacity: 4 }, { policy: 'lru', capacity: 5 }]);
    assert.deepEqual([short.requests, short.hits, short.missRatio], [100, 0, 1]);
    assert.deepEqual([full.requests, full.hits, full.missRatio], [100, 95, 0.05]);
    assert.equal(full.policy, 'lru');
    assert.ok(full.mreqPerSec > 0);
  });

  it('does not count warm-up requests', async () => {
    const p = await prepare('loop:objects=5,requests=100');
    const [r] = await runJobs(p, [{ policy: 'lru', capacity: 5 }], { warmup: 5 });
    assert.deepEqual([r.requests, r.hits, r.missRatio], [95, 95, 0]);
    await assert.rejects(runJobs(p, [{ policy: 'lru', capacity: 5 }], { warmup: 100 }), (e: unknown) => CacheLensError.is(e, 'usage'));
  });

  it('computes byte miss ratios from the trace sizes, in object and byte capacity', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-runner-'));
    try {
      const f = path.join(dir, 't.csv');
      // a(100) b(300) a b a : with room for 1 object (LRU), only nothing hits; with 400 bytes, a and b both stay.
      fs.writeFileSync(f, '1,a,100\n2,b,300\n3,a,100\n4,b,300\n5,a,100\n');
      const p = await prepareTrace(openTrace({ file: f }));
      const [one] = await runJobs(p, [{ policy: 'lru', capacity: 1 }]);
      assert.deepEqual([one.hits, one.byteMissRatio], [0, 1]);
      const [two] = await runJobs(p, [{ policy: 'lru', capacity: 400 }], { bytes: true });
      assert.deepEqual([two.hits, two.missRatio, two.byteMissRatio], [3, 2 / 5, 400 / 900]);
      const [small] = await runJobs(p, [{ policy: 'lru', capacity: 300 }], { bytes: true });
      // 300 bytes: a(100) then b(300) evicts a; a evicts b; ... no hits at all.
      assert.deepEqual([small.hits, small.byteMissRatio], [0, 1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the same results streamed as kept in memory, OPT included', async () => {
    const spec = 'mix:zipf(alpha=0.9,objects=2000)*0.9+scan*0.1,requests=30000,seed=3';
    const jobs: SimJob[] = ['lru', 'fifo', 'sieve', 's3-fifo', 'opt', 'random'].flatMap((policy) => [{ policy, capacity: 50 }, { policy, capacity: 400 }]);
    const kept = await prepare(spec, { needNext: true, chunkSize: 4096 });
    const streamed = await prepare(spec, { needNext: true, chunkSize: 4096, materializeLimit: 10_000 });
    assert.equal(streamed.info.materialized, false);
    const strip = (rs: Awaited<ReturnType<typeof runJobs>>) => rs.map(({ mreqPerSec: _m, ...r }) => r);
    assert.deepEqual(strip(await runJobs(streamed, jobs, { warmup: 1000 })), strip(await runJobs(kept, jobs, { warmup: 1000 })));
    streamed.dispose();
  });

  it('OPT is never worse than any policy, and LRU never gets worse with size', async () => {
    const p = await prepare('zipf:alpha=0.8,objects=5000,requests=60000,seed=11', { needNext: true });
    const sizes = [20, 100, 500, 2000];
    const online = policyNames().filter((n) => n !== 'opt' && !n.startsWith('volatile') && n !== 'noeviction' && n !== 'ttl');
    const jobs = [...online, 'opt'].flatMap((policy) => sizes.map((capacity) => ({ policy, capacity })));
    const results = await runJobs(p, jobs);
    for (const capacity of sizes) {
      const opt = results.find((r) => r.policy === 'opt' && r.size === capacity)!;
      for (const r of results.filter((x) => x.size === capacity && x.policy !== 'opt')) {
        assert.ok(opt.missRatio <= r.missRatio, `${r.policy} at ${capacity}: ${r.missRatio} < OPT ${opt.missRatio}`);
      }
    }
    const lru = results.filter((r) => r.policy === 'lru').map((r) => r.missRatio);
    for (let i = 1; i < lru.length; i++) assert.ok(lru[i] <= lru[i - 1], `LRU ${lru}`);
    assert.ok(lru[0] > lru[3] + 0.2, 'a 100x bigger cache must help a lot on Zipf(0.8)');
  });

  it('reports progress up to the total and stops when cancelled', async () => {
    const p = await prepare('uniform:objects=1000,requests=50000', { chunkSize: 5000 });
    const seen: number[] = [];
    await runJobs(p, [{ policy: 'lru', capacity: 10 }, { policy: 'fifo', capacity: 10 }], { onProgress: (done, total) => { assert.equal(total, 100_000); seen.push(done); } });
    assert.equal(seen.length, 20);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    assert.equal(seen[seen.length - 1], 100_000);
    const controller = new AbortController();
    await assert.rejects(runJobs(p, [{ policy: 'lru', capacity: 10 }], {
      signal: controller.signal, onProgress: (done) => { if (done >= 10_000) controller.abort(); },
    }), (e: unknown) => CacheLensError.is(e, 'cancelled'));
  });
});

describe('sim sweep (worker threads)', () => {
  it('finds its worker script next to the compiled code', () => {
    assert.match(resolveWorkerScript('sweep.worker'), /sweep\.worker\.js$/);
    assert.throws(() => resolveWorkerScript('no-such.worker'), (e: unknown) => CacheLensError.is(e, 'unsupported'));
  });

  it('gives the same numbers on two threads as on one, for a kept and a streamed trace', async () => {
    const base = { trace: { spec: 'zipf:alpha=1,objects=3000,requests=40000,seed=5' }, policies: ['lru', 'arc', 'opt', 'w-tinylfu'], sizes: [{ percent: 1 }, { percent: 10 }], warmup: 2000 };
    const strip = (r: Awaited<ReturnType<typeof runSweep>>) => r.results.map(({ mreqPerSec: _m, ...x }) => x);
    const one = await runSweep({ ...base, threads: 1 });
    const two = await runSweep({ ...base, threads: 2 });
    const streamed = await runSweep({ ...base, threads: 2, materializeLimit: 1000 });
    assert.equal(one.threads, 1);
    assert.equal(two.threads, 2);
    assert.equal(streamed.trace.materialized, false);
    assert.deepEqual(strip(two), strip(one));
    assert.deepEqual(strip(streamed), strip(one));
    const sizes = resolveSizes(base.sizes, one.trace, false);
    assert.deepEqual(one.results.map((r) => [r.policy, r.size]), base.policies.flatMap((p) => sizes.map((c) => [p, c])));
  });

  it('reports progress from the workers and can be cancelled', async () => {
    const controller = new AbortController();
    const phases = new Set<string>();
    await assert.rejects(runSweep({ trace: { spec: 'uniform:objects=100000,requests=3000000' }, policies: ['lru', 'fifo'], sizes: [{ absolute: 1000 }], threads: 2 }, {
      signal: controller.signal,
      onProgress: (p) => { phases.add(p.phase); if (p.phase === 'simulating' && p.done > 0) controller.abort(); },
    }), (e: unknown) => CacheLensError.is(e, 'cancelled'));
    assert.deepEqual([...phases].sort(), ['reading', 'simulating']);
  });

  it('reports an unknown policy before reading the trace', async () => {
    await assert.rejects(runSweep({ trace: { spec: 'uniform' }, policies: ['lru', 'nope'], sizes: [{ absolute: 5 }] }),
      (e: unknown) => CacheLensError.is(e, 'usage') && /Unknown eviction policy "nope"/.test(e.message));
  });
});

describe('sim step mode', () => {
  it('records hit, evictions and contents after every request', async () => {
    const run = await stepTrace({ spec: 'loop:objects=3,requests=5' }, { policy: 'lru', capacity: 2 });
    assert.equal(run.policy, 'lru');
    assert.deepEqual(run.frames.map((f) => [f.id, f.hit, f.evicted, f.contents]), [
      [0, false, [], [0]],
      [1, false, [], [1, 0]],
      [2, false, [0], [2, 1]],
      [0, false, [1], [0, 2]],
      [1, false, [2], [1, 0]],
    ]);
    assert.equal(run.hits, 0);
    assert.equal(run.labels[2], '2');
  });

  it('labels frames with the file keys and runs OPT with next accesses', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-step-'));
    try {
      const f = path.join(dir, 'keys.txt');
      fs.writeFileSync(f, 'a\nb\nc\na\nb\nd\na\n');
      const run = await stepTrace({ file: f }, { policy: 'opt', capacity: 2 });
      assert.deepEqual(run.frames.map((x) => x.key), ['a', 'b', 'c', 'a', 'b', 'd', 'a']);
      // OPT keeps a and b (requested again soonest) and never caches c or d.
      assert.deepEqual(run.frames.map((x) => x.hit), [false, false, false, true, true, false, true]);
      assert.equal(run.hits, 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses traces longer than the step limit', async () => {
    await assert.rejects(stepTrace({ spec: 'uniform:requests=5000' }, { policy: 'lru', capacity: 2 }), (e: unknown) => CacheLensError.is(e, 'usage') && /at most 1000/.test(e.message));
  });
});
