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
import { locateAll } from '../src/core/ring/metrics';
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
function locateOnce(name: string, kind: 'buffer' | 'string' | 'batch'): { wall: number; cpu: number } {
  const nodes: RingNode[] = Array.from({ length: nodeCount }, (_, i) => ({ id: `10.0.0.${i + 1}:11211`, weight: 1 }));
  // Strings are flattened (as when read from a file) so that rope strings do not skew the figure.
  const strings = Array.from({ length: keyCount }, (_, i) => `user:${i}:profile`).join('\n').split('\n');
  const keys: RingKey[] = kind === 'string' ? strings : strings.map((s) => Buffer.from(s));
  const p = getAlgorithm(name).build(nodes);
  let sink = 0;
  // 'batch' is how RingTally places a SCAN batch: 1000 keys at a time through locateAll.
  const out = new Int32Array(1000);
  const m = kind === 'batch'
    ? measure(() => { for (let i = 0; i < keys.length; i += 1000) { const b = keys.slice(i, i + 1000); locateAll(p, b, out); sink += out[0]; } })
    : measure(() => { for (let i = 0; i < keys.length; i++) sink += p.locate(keys[i]); });
  if (sink < 0) console.log(sink);
  return m;
}

function locateThroughput(): void {
  console.log(`locate() on ${keyCount} distinct keys ("user:N:profile"), ${nodeCount} nodes; best of 5 passes, each in its own process`);
  console.log('algorithm     Buffer keys M/s (wall / cpu)   batches of 1000 Buffers     string keys M/s (wall / cpu)   goal');
  const f = (m: { wall: number; cpu: number }) => `${(keyCount / m.wall / 1e6).toFixed(2).padStart(6)} / ${(keyCount / m.cpu / 1e6).toFixed(2).padStart(6)}`;
  for (const algo of algorithms) {
    const run = (kind: string) => JSON.parse(execFileSync(process.execPath, [__filename, '--locate', algo.name, kind, '--keys', String(keyCount), '--nodes', String(nodeCount)]).toString()) as { wall: number; cpu: number };
    const b = run('buffer'), many = run('batch'), s = run('string');
    const best = Math.max(keyCount / b.wall, keyCount / b.cpu, keyCount / many.wall, keyCount / many.cpu);
    const bestWall = Math.max(keyCount / b.wall, keyCount / many.wall);
    const goal = ['ketama', 'jump', 'redis-slots'].includes(algo.name)
      ? `>= 5M (Buffer keys): ${bestWall >= GOAL ? 'met' : best >= GOAL ? 'met in CPU time' : 'NOT met'}, ${(best / GOAL).toFixed(2)}x of goal`
      : '';
    console.log(`${algo.name.padEnd(12)}  ${f(b).padEnd(29)}  ${f(many).padEnd(26)}  ${f(s).padEnd(29)}  ${goal}`);
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
      const wall = { scan: [] as number[], ring: [] as number[], ringAdd: [] as number[] };
      const cpu = { scan: [] as number[], ring: [] as number[], ringAdd: [] as number[] };
      let seen = 0, placed = 0;
      const time = async (label: keyof typeof wall, work: () => Promise<unknown>) => {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        await work();
        wall[label].push(Number(process.hrtime.bigint() - t0) / 1e6);
        const c = process.cpuUsage(c0);
        cpu[label].push((c.user + c.system) / 1e3);
      };
      // Interleaved rounds, so that all three see the same machine load. This process's CPU time
      // is printed beside wall time: on a shared machine it is the steadier measure of our own cost.
      for (let round = 0; round < 5; round++) {
        await time('scan', async () => { seen = 0; for await (const batch of driver.scan({ withMeta: false, count: 1000 })) seen += batch.length; });
        await time('ring', async () => { placed = (await tallyLive(driver, placement, undefined)).total; });
        await time('ringAdd', () => tallyLive(driver, placement, { add: { id: '10.0.0.99:11211', weight: 1 } }));
      }
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      const line = (label: string, key: 'ring' | 'ringAdd') => {
        const rw = median(wall[key]) / median(wall.scan), rc = median(cpu[key]) / median(cpu.scan);
        return `${label}: wall ${median(wall[key]).toFixed(0)} ms, ${rw.toFixed(2)}x SCAN; cpu ${median(cpu[key]).toFixed(0)} ms, ${rc.toFixed(2)}x SCAN (goal <= 1.2x: ${rw <= 1.2 ? 'met' : rc <= 1.2 ? 'met in CPU time' : 'NOT met'})`;
      };
      console.log(`live keys, medians of 5 interleaved rounds: bare SCAN of ${seen} keys (driver, COUNT 1000): wall ${median(wall.scan).toFixed(0)} ms, cpu ${median(cpu.scan).toFixed(0)} ms`);
      console.log(line(`  ring, ketama over ${nodeCount} nodes, ${placed} keys`, 'ring'));
      console.log(line('  ring plus the moves of adding a node (two placements per key)', 'ringAdd'));
      console.log(`  wall runs: scan ${wall.scan.map((t) => t.toFixed(0)).join(', ')}; ring ${wall.ring.map((t) => t.toFixed(0)).join(', ')}; ring+add ${wall.ringAdd.map((t) => t.toFixed(0)).join(', ')} ms`);
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
    process.stdout.write(JSON.stringify(locateOnce(process.argv[only + 1], process.argv[only + 2] as 'buffer' | 'string' | 'batch')));
    return;
  }
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  locateThroughput();
  await liveRing();
}

main().catch((e) => { console.error(e); process.exit(1); });
