/**
 * Eviction simulator benchmark: CacheLens side by side with libCacheSim on the issue's trace
 * (Zipf 1.0, 1M objects, 10M requests, caches of 10,000 and 100,000 objects, single thread),
 * then a size sweep on one thread and on every core.
 *
 *   node out/bench/sim.js [--runs N] [--requests N] [--objects N] [--policies a,b] [--json]
 *
 * libCacheSim cannot be fetched in this sandbox: its figures below are the values measured
 * with libCacheSim on this machine kind, as given in issue 4.
 */
import * as os from 'node:os';
import { policyNames, resolvePolicyName } from '../src/core/sim/registry';
import { runJobs, type SimResult } from '../src/core/sim/runner';
import { runSweep } from '../src/core/sim/sweep';
import { prepareTrace } from '../src/core/sim/traces/prepare';
import { SyntheticTrace } from '../src/core/sim/traces/synthetic';

/** libCacheSim, requests per second at 10,000 / 100,000 objects (median of 5). */
const PEER_SPEED: Record<string, [number, number]> = {
  lru: [10.1e6, 7.2e6], fifo: [9.8e6, 7.6e6], sieve: [14.2e6, 10.0e6], arc: [8.6e6, 6.1e6],
  's3-fifo': [4.7e6, 4.0e6], lfu: [4.9e6, 3.6e6], 'w-tinylfu': [4.7e6, 3.5e6],
};
/** libCacheSim, miss ratio at 10,000 / 100,000 objects, no warm-up. */
const PEER_MISS: Record<string, [number, number]> = {
  lru: [0.4150, 0.2230], fifo: [0.4498, 0.2526], arc: [0.3401, 0.1901], 's3-fifo': [0.3378, 0.1885],
  sieve: [0.3422, 0.1902], 'w-tinylfu': [0.3334, 0.1875], clock: [0.4054, 0.2163], '2q': [0.3514, 0.1992], opt: [0.2814, 0.1333],
};
const SPEED_GOAL = 2;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const m = (x: number) => `${(x / 1e6).toFixed(1)}M`;

async function main(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  const requests = Number(arg('requests', '10000000'));
  const objects = Number(arg('objects', '1000000'));
  const sizes = [10_000, 100_000];
  const policies = arg('policies', policyNames().join(',')).split(',').map(resolvePolicyName);
  const spec = `zipf:alpha=1.0,objects=${objects},requests=${requests},seed=42`;
  const json = process.argv.includes('--json');
  const log = (s = '') => { if (!json) console.log(s); };

  log(`CacheLens eviction simulator benchmark: ${spec}`);
  log(`sizes ${sizes.join(' / ')} objects, single thread, median of ${runs} run(s); Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}, load ${os.loadavg()[0].toFixed(1)}`);
  log('libCacheSim figures: measured with libCacheSim on this machine kind (issue 4); libCacheSim itself cannot be fetched here.');
  const t0 = Date.now();
  const trace = await prepareTrace(new SyntheticTrace(spec), { needNext: policies.includes('opt') });
  log(`trace generated and kept in memory in ${((Date.now() - t0) / 1000).toFixed(2)} s (${trace.info.objects.toLocaleString('en-US')} distinct objects)`);
  log();

  const rows: Array<{ policy: string; reqPerSec: [number, number]; cpuReqPerSec: [number, number]; missRatio: [number, number] }> = [];
  const head = ['policy', 'req/s 10k', 'peer', 'ratio', 'req/s 100k', 'peer', 'ratio', 'miss 10k', 'peer', 'miss 100k', 'peer'];
  const widths = [16, 10, 7, 6, 10, 7, 6, 8, 7, 9, 7];
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  log(fmt(head));
  const shortfalls: string[] = [];
  for (const policy of policies) {
    const speeds: [number, number] = [0, 0];
    const misses: [number, number] = [0, 0];
    const cpuSpeeds: [number, number] = [0, 0];
    for (let s = 0; s < sizes.length; s++) {
      const samples: SimResult[] = [];
      const cpuRates: number[] = [];
      for (let r = 0; r < runs; r++) {
        const before = process.cpuUsage();
        samples.push((await runJobs(trace, [{ policy, capacity: sizes[s] }]))[0]);
        const used = process.cpuUsage(before);
        cpuRates.push(requests / ((used.user + used.system) / 1e6));
      }
      speeds[s] = median(samples.map((x) => x.mreqPerSec)) * 1e6;
      cpuSpeeds[s] = median(cpuRates);
      misses[s] = samples[0].missRatio;
    }
    rows.push({ policy, reqPerSec: speeds, cpuReqPerSec: cpuSpeeds, missRatio: misses });
    const peer = PEER_SPEED[policy];
    const pm = PEER_MISS[policy];
    const ratio = (i: number) => (peer ? (speeds[i] / peer[i]).toFixed(2) : '');
    if (peer) for (const i of [0, 1]) if (speeds[i] / peer[i] < SPEED_GOAL) shortfalls.push(`${policy}@${sizes[i]}: ${ratio(i)}x`);
    log(fmt([policy, m(speeds[0]), peer ? m(peer[0]) : '', ratio(0), m(speeds[1]), peer ? m(peer[1]) : '', ratio(1),
      misses[0].toFixed(4), pm ? pm[0].toFixed(4) : '', misses[1].toFixed(4), pm ? pm[1].toFixed(4) : '']));
  }
  const busy = os.loadavg()[0] > os.availableParallelism();
  if (busy) {
    log();
    log(`the machine is busy (load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores): wall-clock rates are low; per CPU-second rates:`);
    for (const r of rows) {
      const peer = PEER_SPEED[r.policy];
      log(`  ${r.policy.padEnd(16)} ${m(r.cpuReqPerSec[0]).padStart(7)}${peer ? ` (${(r.cpuReqPerSec[0] / peer[0]).toFixed(2)}x)` : ''}  ${m(r.cpuReqPerSec[1]).padStart(7)}${peer ? ` (${(r.cpuReqPerSec[1] / peer[1]).toFixed(2)}x)` : ''}`);
    }
  }
  log();
  log(shortfalls.length ? `below the ${SPEED_GOAL}x speed goal (wall clock): ${shortfalls.join(", ")}` : `every policy with a libCacheSim figure is at least ${SPEED_GOAL}x faster`);
  trace.dispose();

  // The sweep: the same jobs on one thread and on every core, wall clock of the runs only.
  const sweepPolicies = policies.filter((p) => p !== 'opt').slice(0, 8);
  const threads = os.availableParallelism();
  const sweep = async (n: number) => runSweep({ trace: { spec }, policies: sweepPolicies, sizes: sizes.map((absolute) => ({ absolute })), threads: n });
  const one = await sweep(1);
  const many = await sweep(threads);
  const speedup = one.runSeconds / many.runSeconds;
  log();
  log(`sweep of ${sweepPolicies.length} policies x ${sizes.length} sizes: 1 thread ${one.runSeconds.toFixed(2)} s, ${many.threads} threads ${many.runSeconds.toFixed(2)} s, speedup ${speedup.toFixed(2)}x`);
  if (json) {
    console.log(JSON.stringify({ spec, runs, sizes, rows, peerSpeed: PEER_SPEED, peerMiss: PEER_MISS, sweep: { policies: sweepPolicies, oneThread: one.runSeconds, threads: many.threads, manyThreads: many.runSeconds, speedup } }, null, 2));
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
