import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { CacheLensError } from '../../../src/core/errors';
import { RECORD_COST_WARNING, recordRedisTrace, writeRecordedTrace, type RecordOptions } from '../../../src/core/sim/record';
import { runJobs } from '../../../src/core/sim/runner';
import { openTrace } from '../../../src/core/sim/traces/open';
import { prepareTrace } from '../../../src/core/sim/traces/prepare';
import { startRedis, type RedisServer } from '../../harness/servers';

/** Records while `traffic` runs against the server, starting it once MONITOR is active. */
async function recordDuring(options: Omit<RecordOptions, 'onProgress'>, traffic: () => Promise<void>) {
  let started!: () => void;
  const active = new Promise<void>((resolve) => { started = resolve; });
  let first = true;
  const recording = recordRedisTrace({ ...options, onProgress: () => { if (first) { first = false; started(); } } });
  await active;
  await traffic();
  return recording;
}

describe('sim: recording a live Redis workload (MONITOR)', () => {
  let redis: RedisServer;
  let secured: RedisServer;
  let client: Redis;
  let dir: string;

  before(async () => {
    [redis, secured] = await Promise.all([startRedis(), startRedis({ password: 's3cret-pw' })]);
    client = new Redis(redis.url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-record-'));
  });

  after(async () => {
    client?.disconnect();
    await Promise.all([redis?.stop(), secured?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records reads as requests, with sizes and TTLs learned from writes, and the trace simulates', async () => {
    const trace = await recordDuring({ url: redis.url, seconds: 1.2, acknowledgeCost: true }, async () => {
      await client.set('user:1', 'x'.repeat(100), 'EX', 60);
      await client.get('user:1');
      await client.get('user:2');
      await client.mget('user:1', 'user:3');
      await client.hset('h', 'f', 'v');
      await client.hget('h', 'f');
      await client.get('user:1');
      await client.ping();
    });
    assert.deepEqual(trace.requests.map((r) => r.key), ['user:1', 'user:2', 'user:1', 'user:3', 'h', 'user:1']);
    const first = trace.requests[0];
    assert.deepEqual([first.size, first.ttl], [100, 60]);
    // No write told us about h: its size comes from MEMORY USAGE, which is more than the one byte we would guess.
    assert.ok(trace.requests[4].size > 1);
    assert.equal(trace.requests[1].size, 1, 'a missing key keeps the default size');
    assert.ok(trace.commandsSeen >= 8);
    assert.ok(trace.requests.every((r, i) => i === 0 || r.time >= trace.requests[i - 1].time));

    const file = path.join(dir, 'recorded.csv');
    writeRecordedTrace(trace, file);
    const prepared = await prepareTrace(openTrace({ file }));
    assert.deepEqual([prepared.info.kind, prepared.info.requests, prepared.info.objects, prepared.info.hasTtls], ['csv', 6, 4, true]);
    const [lru] = await runJobs(prepared, [{ policy: 'lru', capacity: 10 }]);
    assert.equal(lru.hits, 2);
  });

  it('samples by key: every request of a kept key, none of a dropped one', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `k:${i}`);
    const trace = await recordDuring({ url: redis.url, seconds: 1.5, acknowledgeCost: true, sampleRate: 0.3 }, async () => {
      for (let round = 0; round < 3; round++) await client.mget(...keys);
    });
    const perKey = new Map<string, number>();
    for (const r of trace.requests) perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    assert.ok(perKey.size > 30 && perKey.size < 100, `${perKey.size} of 200 keys kept`);
    for (const [k, n] of perKey) assert.equal(n, 3, k);
    assert.equal(trace.sampleRate, 0.3);
  });

  it('refuses to record without consent, and shows the cost warning', async () => {
    await assert.rejects(recordRedisTrace({ url: redis.url, seconds: 1, acknowledgeCost: false }),
      (e: unknown) => CacheLensError.is(e, 'usage') && e.message.includes(RECORD_COST_WARNING));
    assert.match(RECORD_COST_WARNING, /MONITOR/);
  });

  it('fails clearly on a wrong password without showing it', async () => {
    const url = `redis://:wrong-pw-123@127.0.0.1:${secured.port}`;
    await assert.rejects(recordRedisTrace({ url, seconds: 1, acknowledgeCost: true }), (e: unknown) => {
      assert.ok(CacheLensError.is(e, 'auth'), String(e));
      assert.ok(!e.message.includes('wrong-pw-123'), e.message);
      assert.match(e.message, /^authentication failed at redis:\/\/\*\*\*@127\.0\.0\.1:\d+$/);
      return true;
    });
  });

  it('takes the password apart from the URL, as the extension passes it from SecretStorage', async () => {
    const secure = new Redis(secured.url);
    try {
      const trace = await recordDuring({ url: `redis://127.0.0.1:${secured.port}`, password: 's3cret-pw', seconds: 1, acknowledgeCost: true }, async () => {
        await secure.get('a');
        await secure.get('b');
      });
      assert.deepEqual(trace.requests.map((r) => r.key), ['a', 'b']);
    } finally {
      secure.disconnect();
    }
  });

  it('names an unreachable server', async () => {
    await assert.rejects(recordRedisTrace({ url: 'redis://127.0.0.1:1', seconds: 1, acknowledgeCost: true }),
      (e: unknown) => CacheLensError.is(e, 'unreachable') && /cannot start MONITOR on redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/.test(e.message));
  });

  it('stops early when cancelled', async () => {
    const controller = new AbortController();
    const t0 = Date.now();
    const recording = recordRedisTrace({ url: redis.url, seconds: 30, acknowledgeCost: true, signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(recording, (e: unknown) => CacheLensError.is(e, 'cancelled'));
    assert.ok(Date.now() - t0 < 5000);
  });
});
