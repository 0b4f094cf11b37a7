/**
 * `cachelens simulate --record` against a real redis-server: known traffic during the window
 * comes back as the recorded requests, --save-trace replays through --trace-file with the same
 * results, and nothing is recorded without consent.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import type { CliIO } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import { RECORD_COST_WARNING } from '../../../src/core/sim/record';
import { startRedis, type RedisServer } from '../../harness/servers';

interface Captured { code: number; out: string; err: string; prompts: string[] }

function cli(args: string[], answer?: string): Promise<Captured> {
  const got: Captured = { code: -1, out: '', err: '', prompts: [] };
  const io: CliIO = {
    out: (t) => { got.out += t; }, err: (t) => { got.err += t; }, errIsTTY: false, outIsTTY: false, env: {},
    prompt: answer === undefined ? undefined : async (q) => { got.prompts.push(q); return answer; },
  };
  return runCli(args, io).then((code) => ({ ...got, code }));
}

/** True once some client of the server is in MONITOR mode (flag O in CLIENT LIST). */
async function monitoring(client: Redis): Promise<boolean> {
  const list = String(await client.call('CLIENT', 'LIST'));
  return list.split('\n').some((line) => /\bflags=\S*O/.test(line));
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The traffic: 4 keys, 10 reads (6 of them repeats), a write that gives user:1 its size and TTL. */
const READS = ['user:1', 'user:2', 'user:1', 'user:3', 'user:1', 'user:2', 'user:4', 'user:1', 'user:3', 'user:2'];

async function traffic(client: Redis): Promise<void> {
  await client.set('user:1', 'x'.repeat(250), 'EX', 120);
  for (const key of READS) await client.get(key);
  await client.ping();
}

describe('cachelens simulate --record (real redis-server)', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let client: Redis;
  let dir: string;

  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-cli-record-'));
  });

  after(async () => {
    client?.disconnect();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records the traffic of the window, simulates it, and --save-trace replays with identical results', async () => {
    const saved = path.join(dir, 'recorded.csv');
    const run = cli(['simulate', '--record', redis.url, '--record-seconds', '1.5', '--yes', '--save-trace', saved,
      '--policy', 'lru,fifo', '--size', '2,10', '--json', '--threads', '1']);
    await until(() => monitoring(client), 'MONITOR to start');
    await traffic(client);
    const r = await run;
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { trace: Record<string, unknown>; recording: Record<string, unknown>; results: Array<Record<string, number | string>> };
    assert.equal(doc.recording.requests, READS.length);
    assert.equal(doc.recording.keys, 4);
    assert.ok((doc.recording.commandsSeen as number) >= READS.length + 2);
    assert.equal(doc.recording.savedTo, saved);
    assert.match(String(doc.trace.source), /^recording of redis:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual([doc.trace.requests, doc.trace.objects, doc.trace.hasTtls], [10, 4, true]);
    // With room for all 4 keys, every repeat hits: 10 reads - 4 first reads.
    const big = doc.results.find((x) => x.policy === 'lru' && x.size === 10)!;
    assert.deepEqual([big.requests, big.hits], [10, 6]);

    // The saved file is the traffic, in order, with the size and TTL the write taught.
    const rows = fs.readFileSync(saved, 'utf8').trimEnd().split('\n');
    assert.equal(rows[0], 'time,key,size,ttl');
    assert.deepEqual(rows.slice(1).map((l) => l.split(',')[1]), READS);
    assert.deepEqual(rows[1].split(',').slice(2), ['250', '120']);

    const replay = await cli(['simulate', '--trace-file', saved, '--policy', 'lru,fifo', '--size', '2,10', '--json', '--threads', '1']);
    assert.equal(replay.code, 0, replay.err);
    const again = JSON.parse(replay.out) as typeof doc;
    const strip = (rs: typeof doc.results) => rs.map(({ mreqPerSec: _, ...rest }) => rest);
    assert.deepEqual(strip(again.results), strip(doc.results));
    assert.ok(strip(doc.results).some((x) => x.size === 2 && (x.hits as number) < 6), 'a 2-object cache misses more');
  });

  it('asks on a terminal, showing the cost warning, and records after "yes"', async () => {
    const run = cli(['simulate', '--record', redis.url, '--record-seconds', '1', '--policy', 'lru', '--size', '10'], 'yes');
    await until(() => monitoring(client), 'MONITOR to start');
    await traffic(client);
    const r = await run;
    assert.equal(r.code, 0, r.err);
    assert.ok(r.err.includes(RECORD_COST_WARNING), r.err);
    assert.equal(r.prompts.length, 1);
    assert.match(r.prompts[0], /^Record 1 s of traffic from redis:\/\/127\.0\.0\.1:\d+\? Type "yes"/);
    assert.match(r.err, /recorded 10 reads of 4 keys from \d+ commands/);
    assert.match(r.out, /^trace recording of redis:\/\/127\.0\.0\.1:\d+ \(1 s\): 10 requests, 4 objects/);
    assert.match(r.out, /\nlru\s+10\s+10\s+6\s+0\.4000/);
  });

  it('refuses without consent: no terminal, or an answer other than yes; nothing is recorded', async () => {
    for (const answer of [undefined, 'no']) {
      const saved = path.join(dir, `refused-${answer ?? 'none'}.csv`);
      let sawMonitor = false;
      const run = cli(['simulate', '--record', redis.url, '--record-seconds', '1', '--save-trace', saved, '--policy', 'lru', '--size', '10'], answer);
      const watch = (async () => { for (let i = 0; i < 10; i++) { sawMonitor ||= await monitoring(client); await new Promise((res) => setTimeout(res, 30)); } })();
      const [r] = await Promise.all([run, watch]);
      assert.equal(r.code, 1, r.err);
      assert.ok(r.err.includes(RECORD_COST_WARNING));
      assert.match(r.err, answer === undefined ? /nothing recorded: no terminal to ask on; pass --yes/ : /nothing recorded\n$/);
      assert.equal(r.out, '');
      assert.ok(!fs.existsSync(saved), 'no trace was saved');
      assert.ok(!sawMonitor, 'MONITOR never started');
    }
  });

  it('rejects recording options without --record, and bad values, with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--trace', 'uniform:objects=5,requests=10', '--save-trace', 'x.csv'], /--save-trace applies to --record only/],
      [['--trace', 'uniform:objects=5,requests=10', '--yes'], /--yes applies to --record only/],
      [['--record', redis.url, '--trace', 'uniform'], /exactly one of --trace SPEC, --trace-file FILE or --record URL/],
      [['--record', redis.url, '--record-seconds', '0'], /--record-seconds must be/],
      [['--record', redis.url, '--record-sample', '150%'], /--record-sample must be/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(['simulate', '--policy', 'lru', '--size', '10', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, re);
    }
  });

  it('names a server that cannot be recorded, without its password', async () => {
    const r = await cli(['simulate', '--record', 'redis+sentinel://:pw-XYZ@127.0.0.1:1/mymaster', '--yes', '--policy', 'lru', '--size', '10']);
    assert.equal(r.code, 1);
    assert.match(r.err, /recording needs a redis:\/\/ or rediss:\/\/ URL of one Redis server, not redis\+sentinel:\/\/\*\*\*@127\.0\.0\.1:1\/mymaster/);
    assert.ok(!r.err.includes('pw-XYZ'));
  });
});
