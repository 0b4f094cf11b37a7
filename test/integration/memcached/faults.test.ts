import * as assert from 'node:assert/strict';
import { startMemcached, type MemcachedServer } from '../../harness/servers';
import { openMemcachedDriver } from '../../../src/core/driver/memcached/index';
import { CacheLensError } from '../../../src/core/errors';
import { mcOptions } from './helpers';

describe('memcached faults', () => {
  let server: MemcachedServer;
  before(async () => { server = await startMemcached(); });
  after(async () => { await server?.stop(); });

  it('reports a server killed mid-listing clearly within 5 s', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++) lines.push(`set victim:${i} 0 0 1 noreply\r\nv\r\n`);
    await server.command(lines.join('') + 'mn', /MN\r\n$/);
    const driver = await openMemcachedDriver(mcOptions(server.url));
    let got = 0;
    const start = Date.now();
    let killedAt = 0;
    await assert.rejects(async () => {
      for await (const batch of driver.scan({ count: 100 })) {
        got += batch.length;
        if (!killedAt) {
          killedAt = Date.now();
          await server.kill();
        }
      }
    }, (e) => CacheLensError.is(e) && (e.reason === 'closed' || e.reason === 'timeout') && e.message.includes(`127.0.0.1:${server.port}`));
    assert.ok(got > 0 && got < 50_000, `got ${got}`);
    assert.ok(Date.now() - killedAt < 5000, `took ${Date.now() - start} ms`);
    // Commands after the crash fail fast and clearly too, and work again once it is back.
    await assert.rejects(driver.lookup(Buffer.from('victim:1')), (e) => CacheLensError.is(e, 'unreachable') || CacheLensError.is(e, 'closed'));
    await server.restart();
    await server.command('set back 0 0 1\r\nx');
    assert.ok(await driver.lookup(Buffer.from('back')));
    await driver.close();
  });

  it('stops a listing early when the consumer stops, and cancels on an abort signal', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`set early:${i} 0 0 1 noreply\r\nv\r\n`);
    await server.command(lines.join('') + 'mn', /MN\r\n$/);
    const driver = await openMemcachedDriver(mcOptions(server.url));
    try {
      for await (const batch of driver.scan({ count: 10 })) { assert.ok(batch.length > 0); break; }
      const controller = new AbortController();
      await assert.rejects(async () => {
        for await (const _batch of driver.scan({ count: 10, signal: controller.signal })) controller.abort();
      }, (e) => CacheLensError.is(e, 'cancelled'));
      // The crawler is free again (an unfinished dump would answer BUSY).
      let n = 0;
      for await (const batch of driver.scan()) n += batch.length;
      assert.ok(n >= 20_000);
    } finally {
      await driver.close();
    }
  });

  it('fails within the timeout on an unreachable port', async () => {
    const start = Date.now();
    await assert.rejects(openMemcachedDriver(mcOptions('memcached://127.0.0.1:1')), (e) => CacheLensError.is(e, 'unreachable'));
    assert.ok(Date.now() - start < 5000);
  });
});
