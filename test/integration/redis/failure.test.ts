import * as assert from 'node:assert/strict';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver } from '../../../src/core/driver/types';
import { CacheLensError } from '../../../src/core/errors';
import { startRedis, type RedisServer } from '../../harness/servers';

const B = (s: string): Buffer => Buffer.from(s);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('redis: a server that dies mid-operation', () => {
  let server: RedisServer;
  let driver: CacheDriver;

  before(async () => {
    server = await startRedis({ debug: true });
    await server.cli('DEBUG', 'POPULATE', '100000', 'item:', '8');
    driver = await openDriver(server.url);
  });
  after(async () => {
    await driver?.close();
    await server?.stop();
  });

  it('fails a running scan with a closed error within 5 s, without hanging', async () => {
    const t0 = Date.now();
    let batches = 0;
    let caught: unknown;
    try {
      for await (const _batch of driver.scan({ count: 100 })) {
        batches++;
        if (batches === 3) await server.kill();
      }
    } catch (e) {
      caught = e;
    }
    const ms = Date.now() - t0;
    assert.ok(CacheLensError.is(caught, 'closed'), `expected closed, got ${String(caught)}`);
    assert.match(caught.message, /connection to redis:\/\/127\.0\.0\.1:\d+\/0 was lost/);
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.ok(batches >= 3 && batches < 1000, `${batches} batches`);
  });

  it('fails fast while the server is down', async () => {
    const t0 = Date.now();
    await assert.rejects(driver.lookup(B('item:1')), (e) => CacheLensError.is(e, 'closed'));
    assert.ok(Date.now() - t0 < 1000, 'no waiting in an offline queue');
  });

  it('reconnects by itself when the server is back on the same port', async () => {
    await server.restart();
    await server.cli('SET', 'after:restart', 'yes');
    const deadline = Date.now() + 8000;
    let info = null;
    while (Date.now() < deadline) {
      try {
        info = await driver.lookup(B('after:restart'));
        break;
      } catch (e) {
        assert.ok(CacheLensError.is(e, 'closed'), String(e));
        await sleep(200);
      }
    }
    assert.equal(info?.type, 'string');
  });

  it('times out on a frozen server instead of hanging, and recovers when it resumes', async () => {
    const quick = await openDriver(server.url, { timeoutMs: 1500 });
    try {
      process.kill(server.pid as number, 'SIGSTOP');
      const t0 = Date.now();
      try {
        await assert.rejects(quick.lookup(B('after:restart')), (e) => CacheLensError.is(e, 'timeout') && /did not answer in time/.test(e.message));
        assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
      } finally {
        process.kill(server.pid as number, 'SIGCONT');
      }
      assert.equal((await quick.lookup(B('after:restart')))?.type, 'string');
    } finally {
      await quick.close();
    }
  });

  it('does not storm a failing server with reconnects', async () => {
    // While the server is down, a listener on its port counts the driver's attempts and drops each one.
    await server.stop();
    const net = await import('node:net');
    let attempts = 0;
    const counter = net.createServer((s) => { attempts++; s.destroy(); });
    await new Promise<void>((r) => counter.listen(server.port, '127.0.0.1', () => r()));
    await sleep(5000);
    await new Promise<void>((r) => counter.close(() => r()));
    // Backoff grows to one attempt every 2 s: about 4-6 attempts in 5 s, never hundreds.
    assert.ok(attempts >= 1 && attempts <= 8, `${attempts} attempts in 5 s`);
    await server.restart();
    const deadline = Date.now() + 8000;
    let info = null;
    while (Date.now() < deadline && info === null) {
      try { info = await driver.lookup(B('after:restart')); } catch { await sleep(200); }
      if (info === null) await server.cli('SET', 'after:restart', 'again');
    }
    assert.equal(info?.type, 'string');
  });
});
