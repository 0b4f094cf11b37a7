/**
 * What live sampling costs the process that runs it (the extension host): the sampler at a
 * fixed rate against a real redis-server under light traffic, for a set time. Reports the CPU
 * used as a share of one core, and the heap after GC at the start and the end (flat = no growth).
 *
 *   node --expose-gc out/bench/stats.js [--minutes 10] [--hz 1] [--ring 60]
 */
import Redis from 'ioredis';
import { openDriver } from '../src/core/driver/index';
import { RingBuffer } from '../src/core/stats/ring-buffer';
import { StatsSampler } from '../src/core/stats/sampler';
import { startRedis } from '../test/harness/servers';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) { gc(); gc(); }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const minutes = arg('minutes', 10);
  const hz = arg('hz', 1);
  const server = await startRedis();
  // Light application traffic so every sample has real deltas to compute.
  const app = new Redis(server.port, '127.0.0.1');
  const traffic = setInterval(() => { void app.set('k', '1'); void app.get('k'); void app.get('missing'); }, 20);
  const driver = await openDriver(server.url);
  // As the extension does (src/extension/stats/live.ts): the sampler keeps one sample, the ring the history.
  const sampler = new StatsSampler(driver, { capacity: 1 });
  // A small ring so it is full after a minute: from then on any growth would be a leak.
  const points = new RingBuffer<string>(arg('ring', 60));
  let samples = 0;
  await sampler.sample();
  const heap0 = heapAfterGc();
  const heaps: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const end = t0 + minutes * 60_000;
  let nextHeap = t0 + 60_000;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      void sampler.sample().then((s) => {
        // What the extension does with each sample: keep it and post it to the dashboard.
        if (s) { points.push(JSON.stringify(s)); samples++; }
      });
      if (Date.now() >= nextHeap) { heaps.push(heapAfterGc()); nextHeap += 60_000; }
      if (Date.now() >= end) { clearInterval(timer); resolve(); }
    }, 1000 / hz);
  });
  const wall = Date.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(traffic);
  const heap1 = heapAfterGc();
  // The traffic generator runs in this process too; measure its share alone for the same time.
  const cpuT0 = process.cpuUsage();
  const tt0 = Date.now();
  const traffic2 = setInterval(() => { void app.set('k', '1'); void app.get('k'); void app.get('missing'); }, 20);
  await new Promise((r) => setTimeout(r, Math.min(wall, 60_000)));
  clearInterval(traffic2);
  const trafficCpu = process.cpuUsage(cpuT0);
  const trafficShare = (trafficCpu.user + trafficCpu.system) / 1000 / (Date.now() - tt0);
  const share = (cpu.user + cpu.system) / 1000 / wall - trafficShare;
  app.disconnect();
  await driver.close();
  await server.stop();
  const mb = (n: number) => (n / 1048576).toFixed(2);
  console.log(`stats sampling: ${samples} samples at ${hz} Hz over ${(wall / 60000).toFixed(1)} min`);
  console.log(`  CPU: ${(share * 100).toFixed(3)} % of one core (target < 1 %) -> ratio to target ${(share / 0.01).toFixed(3)}`);
  console.log(`  heap after GC: start ${mb(heap0)} MB, per minute [${heaps.map(mb).join(', ')}], end ${mb(heap1)} MB (growth ${mb(heap1 - heap0)} MB)`);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
