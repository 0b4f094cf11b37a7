/**
 * The Redis driver's share of issue 2's speed goals, measured at the driver level (no CLI, no
 * aggregation) beside the peer on the same server in the same run:
 *   1. scan with type, TTL and size of 1,000,000 keys vs `redis-cli --memkeys`   (analyze goal <= 0.6x)
 *   2. the same scan without metadata (SCAN alone), as the floor
 *   3. delete of 111,111 of the 1,000,000 keys (scan + UNLINK) vs `redis-cli --scan --pattern | xargs redis-cli unlink` (goal <= 1.1x)
 *
 *   node out/bench/redis-scan.js [--keys N]
 */
import { execFile } from 'node:child_process';
import { openDriver } from '../src/core/driver/index';
import { startRedis } from '../test/harness/servers';

const keys = (() => { const i = process.argv.indexOf('--keys'); return i === -1 ? 1_000_000 : Number(process.argv[i + 1]); })();

function sh(script: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { maxBuffer: 1 << 30 }, (err) => (err ? reject(err) : resolve(Number(process.hrtime.bigint() - t0) / 1e6)));
  });
}

async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const server = await startRedis({ debug: true });
  const cli = `redis-cli -h 127.0.0.1 -p ${server.port}`;
  try {
    await server.cli('DEBUG', 'POPULATE', String(keys), 'user', '64');
    const driver = await openDriver(server.url);
    let n = 0;
    const scanMs = await timeIt(async () => { for await (const b of driver.scan()) n += b.length; });
    const bareMs = await timeIt(async () => { for await (const _ of driver.scan({ withMeta: false })) { /* walk */ } });
    const memkeysMs = await sh(`${cli} --memkeys > /dev/null`);
    console.log(`scan+meta ${n} keys: ${scanMs.toFixed(0)} ms; SCAN alone ${bareMs.toFixed(0)} ms; redis-cli --memkeys ${memkeysMs.toFixed(0)} ms; ratio ${(scanMs / memkeysMs).toFixed(2)}x (goal <= 0.6x for analyze)`);

    // DEBUG POPULATE names keys user:0 .. user:999999, so user:1* matches 111,111 of a million.
    const pattern = 'user:1*';
    const cachelensDelete = await timeIt(async () => {
      const doomed: Buffer[] = [];
      for await (const b of driver.scan({ match: pattern, withMeta: false })) doomed.push(...b.map((k) => k.key));
      const r = await driver.delete(doomed);
      console.log(`  cachelens deleted ${r.deleted} (${r.errors} errors)`);
    });
    await server.cli('FLUSHALL');
    await server.cli('DEBUG', 'POPULATE', String(keys), 'user', '64');
    const peerDelete = await sh(`${cli} --scan --pattern '${pattern}' | xargs ${cli} unlink > /dev/null`);
    console.log(`delete ${pattern}: cachelens driver ${cachelensDelete.toFixed(0)} ms; redis-cli --scan | xargs unlink ${peerDelete.toFixed(0)} ms; ratio ${(cachelensDelete / peerDelete).toFixed(2)}x (goal <= 1.1x)`);
    await driver.close();
  } finally {
    await server.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
