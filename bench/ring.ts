/**
 * Issue 5's speed goals for hash rings, printed as figures and ratios:
 *   1. locate() throughput for every algorithm on 1,000,000 distinct keys, as Buffers (what SCAN
 *      returns) and as strings (a key file, the CLI): goal >= 5M keys/s for ketama, jump and
 *      redis-slots. Best of 5 passes; CPU time is printed beside wall time because a shared
 *      machine's wall clock includes other processes.
 *   2. The ring over 1,000,000 live keys (DEBUG POPULATE) against a bare SCAN of the same keys
 *      through the same driver: goal <= 1.2x.
 *
 *   node out/bench/ring.js [--keys N] [--nodes N]
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import type { RingKey, RingNode } from '../src/core/ring/algorithm';
import { algorithms, getAlgorithm } from '../src/core/ring/registry';

const arg = (name: string, fallback: number) => { const i = process.argv.indexOf(name); return i === -1 ? fallback : Number(process.argv[i + 1]); };
const keyCount = arg('--keys', 1_000_000);
const nodeCount = arg('--nodes', 10);
const GOAL = 5e6;

function measure(work: () => void, passes = 5): { wall: number; cpu: number } {
  let wall = Infinity, cpu = Infinity;
  for (let i = 0; i < passes; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    work();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

/** One algorithm, one key type, in a fresh process so that each hot loop's type feedback is its own. */
function locateOnce(name: string, kind: 'buffer' | 'string'): { wall: number; cpu: number } {
  const nodes: RingNode[] = Array.from({ length: nodeCount }, (_, i) => ({ id: `10.0.0.${i + 1}:11211`, weight: 1 }));
  // Strings are flattened (as when read from a file) so that rope strings do not skew the figure.
  const strings = Array.from({ length: keyCount }, (_, i) => `user:${i}:profile`).join('\n').split('\n');
  const keys: RingKey[] = kind === 'buffer' ? strings.map((s) => Buffer.from(s)) : strings;
  const p = getAlgorithm(name).build(nodes);
  let sink = 0;
  const m = measure(() => { for (let i = 0; i < keys.length; i++) sink += p.locate(keys[i]); });
  if (sink < 0) console.log(sink);
  return m;
}

function locateThroughput(): void {
  console.log(`locate() on ${keyCount} distinct keys ("user:N:profile"), ${nodeCount} nodes; best of 5 passes, each in its own process`);
  console.log('algorithm     Buffer keys M/s (wall / cpu)   string keys M/s (wall / cpu)   goal');
  const f = (m: { wall: number; cpu: number }) => `${(keyCount / m.wall / 1e6).toFixed(2).padStart(6)} / ${(keyCount / m.cpu / 1e6).toFixed(2).padStart(6)}`;
  for (const algo of algorithms) {
    const run = (kind: string) => JSON.parse(execFileSync(process.execPath, [__filename, '--locate', algo.name, kind, '--keys', String(keyCount), '--nodes', String(nodeCount)]).toString()) as { wall: number; cpu: number };
    const b = run('buffer'), s = run('string');
    const best = Math.max(keyCount / b.wall, keyCount / b.cpu);
    const goal = ['ketama', 'jump', 'redis-slots'].includes(algo.name)
      ? `>= 5M (Buffer keys): ${keyCount / b.wall >= GOAL ? 'met' : best >= GOAL ? 'met in CPU time' : 'NOT met'}, ${(best / GOAL).toFixed(2)}x of goal`
      : '';
    console.log(`${algo.name.padEnd(12)}  ${f(b).padEnd(29)}  ${f(s).padEnd(29)}  ${goal}`);
  }
}

async function liveRing(): Promise<void> {
  // Loaded only here: in a process that has loaded ioredis, V8 runs string-key loops several
  // times slower (measured with a bare charCodeAt loop), which would skew the locate figures.
  const { openDriver } = await import('../src/core/driver/index');
  const { tallyLive } = await import('../src/core/ring/live');
  const { startRedis } = await import('../test/harness/servers');
  const server = await startRedis({ debug: true });
  try {
    await server.cli('DEBUG', 'POPULATE', String(keyCount), 'user:', '16');
    const driver = await openDriver(server.url);
    try {
      const placement = getAlgorithm('ketama').build(Array.from({ length: nodeCount }, (_, i) => ({ id: `10.0.0.${i + 1}:11211`, weight: 1 })));
      const times = { scan: [] as number[], ring: [] as number[], ringAdd: [] as number[] };
      let seen = 0, placed = 0;
      const time = async (work: () => Promise<unknown>) => { const t0 = process.hrtime.bigint(); await work(); return Number(process.hrtime.bigint() - t0) / 1e6; };
      // Interleaved rounds, so that all three see the same machine load; the minimum of each is
      // the least disturbed figure, the median is printed beside it.
      for (let round = 0; round < 5; round++) {
        times.scan.push(await time(async () => { seen = 0; for await (const batch of driver.scan({ withMeta: false, count: 1000 })) seen += batch.length; }));
        times.ring.push(await time(async () => { placed = (await tallyLive(driver, placement, undefined)).total; }));
        times.ringAdd.push(await time(() => tallyLive(driver, placement, { add: { id: '10.0.0.99:11211', weight: 1 } })));
      }
      const min = (xs: number[]) => Math.min(...xs);
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      const line = (label: string, xs: number[]) => {
        const r = min(xs) / min(times.scan), rm = median(xs) / median(times.scan);
        return `${label}: ${min(xs).toFixed(0)} ms (median ${median(xs).toFixed(0)}), ratio to bare SCAN ${r.toFixed(2)}x (median ${rm.toFixed(2)}x), goal <= 1.2x ${r <= 1.2 ? 'met' : 'NOT met'}`;
      };
      console.log(`live keys: bare SCAN of ${seen} keys (driver, COUNT 1000): ${min(times.scan).toFixed(0)} ms (median ${median(times.scan).toFixed(0)})`);
      console.log(line(`  ring, ketama over ${nodeCount} nodes, ${placed} keys`, times.ring));
      console.log(line('  ring plus the moves of adding a node (two placements per key)', times.ringAdd));
    } finally {
      await driver.close();
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const only = process.argv.indexOf('--locate');
  if (only !== -1) {
    process.stdout.write(JSON.stringify(locateOnce(process.argv[only + 1], process.argv[only + 2] as 'buffer' | 'string')));
    return;
  }
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  locateThroughput();
  await liveRing();
}

main().catch((e) => { console.error(e); process.exit(1); });
