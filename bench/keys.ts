/**
 * Issue 2's figures, CacheLens side by side with the named peer on the same server in the same
 * run, printed as ratios (lower is better for times and memory):
 *   1. `cachelens analyze` of 1,000,000 keys (DEBUG POPULATE) vs `redis-cli --memkeys`  (goal <= 0.6x)
 *   2. first tree page (KeyTree.loadMore, 500 keys)                                    (goal < 200 ms)
 *   3. CLI peak RSS during analyze of 1M keys                                           (goal < 200 MB)
 *   4. the same at 5,000,000 keys                                                       (goal <= 1.5x the 1M peak)
 *   5. `cachelens purge --match` of 111,111 of 1M keys vs `redis-cli --scan | xargs redis-cli unlink` (goal <= 1.1x)
 *   6. memcached `cachelens keys` of 1,000,000 keys vs a raw `lru_crawler metadump all`  (goal >= 99.9 %, <= 1.2x)
 *
 *   node out/bench/keys.js [--only redis|memcached] [--skip-5m] [--runs N]
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMemcached, startRedis, type RedisServer } from '../test/harness/servers';
import { openDriver } from '../src/core/driver/index';
import { KeyTree } from '../src/core/browse';

const ENTRY = path.join(__dirname, 'keys-cli-entry.js');
const only = (() => { const i = process.argv.indexOf('--only'); return i === -1 ? undefined : process.argv[i + 1]; })();
const runs = (() => { const i = process.argv.indexOf('--runs'); return i === -1 ? 1 : Number(process.argv[i + 1]); })();
const skip5m = process.argv.includes('--skip-5m');

interface Run { ms: number; out: string; err: string; code: number; rssMb: number }

/** Newlines in a file, read in chunks. */
function countLines(file: string): number {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let lines = 0;
  for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) {
    for (let i = buf.indexOf(10); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
  }
  fs.closeSync(fd);
  return lines;
}

/**
 * Runs a command, measuring its wall time. With `countOnly`, stdout goes to a file (counted in
 * lines afterwards) so that a busy reader never holds the command back, as for the raw peer.
 */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, countOnly = false): Promise<Run & { lines: number }> {
  return new Promise((resolve, reject) => {
    const outFile = path.join(os.tmpdir(), `cachelens-bench-${process.pid}.out`);
    const outFd = countOnly ? fs.openSync(outFile, 'w') : undefined;
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', outFd ?? 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let lines = 0;
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (outFd !== undefined) { fs.closeSync(outFd); lines = countLines(outFile); fs.unlinkSync(outFile); }
      const hwm = /VmHWM_KB=(\d+)/.exec(err)?.[1];
      resolve({ ms, out, err, code: code ?? -1, rssMb: hwm ? Number(hwm) / 1024 : NaN, lines });
    });
  });
}

function cachelens(args: string[], countOnly = false): Promise<Run & { lines: number }> {
  return timed(process.execPath, [ENTRY, ...args], { CACHELENS_BENCH_RSS: '1' }, countOnly);
}

function sh(script: string): Promise<Run & { lines: number }> {
  return timed('/bin/sh', ['-c', script]);
}

function redisCli(server: RedisServer, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile('redis-cli', ['-p', String(server.port), ...args], { maxBuffer: 1 << 26 },
    (e, out) => (e ? reject(e) : resolve(out))));
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const row = (name: string, ours: string, peer: string, ratio: string, goal: string, ok: boolean) =>
  console.log(`${name.padEnd(44)} ${ours.padStart(10)} ${peer.padStart(10)} ${ratio.padStart(8)}  ${goal.padEnd(10)} ${ok ? 'ok' : 'MISSED'}`);

async function populate(server: RedisServer, n: number): Promise<void> {
  await redisCli(server, 'flushall');
  await redisCli(server, 'debug', 'populate', String(n), 'user', '64');
  const size = Number((await redisCli(server, 'dbsize')).trim());
  if (size !== n) throw new Error(`DEBUG POPULATE made ${size} keys, wanted ${n}`);
}

async function benchRedis(): Promise<void> {
  const server = await startRedis({ debug: true });
  try {
    await populate(server, 1_000_000);
    const ours: number[] = [];
    const peer: number[] = [];
    let rss1m = 0;
    for (let i = 0; i < runs; i++) {
      const p = await sh(`redis-cli -p ${server.port} --memkeys > /dev/null`);
      peer.push(p.ms);
      const a = await cachelens(['analyze', '--url', server.url, '--json']);
      if (a.code !== 0) throw new Error(`analyze failed: ${a.err}`);
      const keys = (JSON.parse(a.out) as { keys: number }).keys;
      if (keys !== 1_000_000) throw new Error(`analyze counted ${keys} keys`);
      ours.push(a.ms);
      rss1m = Math.max(rss1m, a.rssMb);
    }
    const r1 = median(ours) / median(peer);
    row('analyze 1M keys vs redis-cli --memkeys', fmt(median(ours)), fmt(median(peer)), `${r1.toFixed(2)}x`, '<= 0.6x', r1 <= 0.6);

    const driver = await openDriver(server.url);
    const t0 = Date.now();
    const tree = new KeyTree(driver, { pageSize: 500 });
    const page = await tree.loadMore();
    const firstPage = Date.now() - t0;
    await tree.dispose();
    await driver.close();
    row(`first tree page (${page.added} keys)`, `${firstPage} ms`, '-', '-', '< 200 ms', firstPage < 200);
    row('CLI peak RSS, analyze 1M keys', `${rss1m.toFixed(0)} MB`, '-', '-', '< 200 MB', rss1m < 200);

    if (!skip5m) {
      await populate(server, 5_000_000);
      const a5 = await cachelens(['analyze', '--url', server.url, '--json']);
      if (a5.code !== 0) throw new Error(`analyze 5M failed: ${a5.err}`);
      const r5 = a5.rssMb / rss1m;
      row('CLI peak RSS, analyze 5M keys vs 1M', `${a5.rssMb.toFixed(0)} MB`, `${rss1m.toFixed(0)} MB`, `${r5.toFixed(2)}x`, '<= 1.5x', r5 <= 1.5);
      console.log(`   (analyze of 5M keys took ${fmt(a5.ms)})`);
    }

    // 111,111 keys match user:1* among user:0 .. user:999999.
    const oursP: number[] = [];
    const peerP: number[] = [];
    for (let i = 0; i < runs; i++) {
      await populate(server, 1_000_000);
      const p = await sh(`redis-cli -p ${server.port} --scan --pattern 'user:1*' | xargs redis-cli -p ${server.port} unlink > /dev/null`);
      peerP.push(p.ms);
      if (Number((await redisCli(server, 'dbsize')).trim()) !== 888_889) throw new Error('peer purge left the wrong number of keys');
      await populate(server, 1_000_000);
      const c = await cachelens(['purge', '--url', server.url, '--match', 'user:1*', '--yes', '--json']);
      if (c.code !== 0) throw new Error(`purge failed: ${c.err}`);
      const rep = JSON.parse(c.out) as { matched: number; deleted: number };
      if (rep.deleted !== 111_111) throw new Error(`purge deleted ${rep.deleted}`);
      oursP.push(c.ms);
    }
    const rp = median(oursP) / median(peerP);
    row('purge --match 111,111 of 1M vs scan|xargs unlink', fmt(median(oursP)), fmt(median(peerP)), `${rp.toFixed(2)}x`, '<= 1.1x', rp <= 1.1);
  } finally {
    await server.stop();
  }
}

/** Fills memcached with `n` keys over one raw socket, pipelined with noreply. */
async function fillMemcached(port: number, n: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      const chunk = 10_000;
      for (let i = 0; i < n; i += chunk) {
        let buf = '';
        for (let j = i; j < Math.min(n, i + chunk); j++) buf += `set key:${j} 0 0 8 noreply\r\nabcdefgh\r\n`;
        s.write(buf);
      }
      s.write('mn\r\n');
    });
    let got = '';
    s.on('data', (d) => { got += d.toString(); if (got.includes('MN\r\n')) { s.end(); resolve(); } });
    s.on('error', reject);
  });
}

/** A raw `lru_crawler metadump all` over a socket: wall time and item lines. */
function rawMetadump(port: number): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let lines = 0;
    let tail = '';
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('lru_crawler metadump all\r\n'));
    s.on('data', (d: Buffer) => {
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
      tail = (tail + d.toString('latin1', Math.max(0, d.length - 8))).slice(-8);
      if (tail.endsWith('END\r\n')) { s.destroy(); resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, lines: lines - 1 }); }
    });
    s.on('error', reject);
  });
}

async function benchMemcached(): Promise<void> {
  const server = await startMemcached({ memoryMb: 1024 });
  try {
    const n = 1_000_000;
    await fillMemcached(server.port, n);
    const ours: number[] = [];
    const peer: number[] = [];
    let listed = 0;
    for (let i = 0; i < Math.max(runs, 3); i++) {
      const raw = await rawMetadump(server.port);
      peer.push(raw.ms);
      const c = await cachelens(['keys', '--url', server.url], true);
      if (c.code !== 0) throw new Error(`keys failed: ${c.err}`);
      ours.push(c.ms);
      listed = c.lines;
    }
    const r = median(ours) / median(peer);
    const share = listed / n;
    row(`memcached keys: ${(share * 100).toFixed(2)} % of 1M listed`, fmt(median(ours)), fmt(median(peer)), `${r.toFixed(2)}x`, '<= 1.2x', r <= 1.2 && share >= 0.999);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(`CacheLens keys benchmark (issue 2), median of ${runs} run(s); Node ${process.version}`);
  console.log(`${'figure'.padEnd(44)} ${'cachelens'.padStart(10)} ${'peer'.padStart(10)} ${'ratio'.padStart(8)}  goal`);
  if (only !== 'redis') await benchMemcached();
  if (only !== 'memcached') await benchRedis();
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
