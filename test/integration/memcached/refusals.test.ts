import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { startMemcached, type MemcachedServer } from '../../harness/servers';
import { openMemcachedDriver } from '../../../src/core/driver/memcached/index';
import { CacheLensError } from '../../../src/core/errors';
import { listAll, mcOptions } from './helpers';

/**
 * A protocol-level fake, only for what a real server cannot be made to do here: a clock an hour
 * ahead of ours, and a crawler that is BUSY on the first try.
 */
function fakeMemcached(options: { clockAheadS: number; busyFirst: boolean }): Promise<{ port: number; close(): void; dumps: number }> {
  const state = { dumps: 0 };
  const serverNow = () => Math.floor(Date.now() / 1000) + options.clockAheadS;
  const server = net.createServer((socket) => {
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) !== -1) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (line === 'version') socket.write('VERSION 1.6.18\r\n');
        else if (line === 'stats') socket.write(`STAT pid 1\r\nSTAT time ${serverNow()}\r\nSTAT version 1.6.18\r\nEND\r\n`);
        else if (line === 'lru_crawler metadump all' || line === 'lru_crawler metadump hash') {
          state.dumps++;
          if (options.busyFirst && state.dumps === 1) { socket.write('BUSY currently processing crawler request\r\n'); continue; }
          const t = serverNow();
          socket.write(`key=skew%3A1 exp=${t + 100} la=${t} cas=1 fetch=no cls=1 size=70\nkey=skew%3A2 exp=-1 la=${t} cas=2 fetch=no cls=1 size=71\nEND\r\n`);
        } else socket.write('ERROR\r\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: (server.address() as net.AddressInfo).port,
    close: () => server.close(),
    get dumps() { return state.dumps; },
  })));
}

describe('memcached crawler refusals and clocks', () => {
  it('computes TTLs from the server clock, not the local one (server an hour ahead)', async () => {
    const fake = await fakeMemcached({ clockAheadS: 3600, busyFirst: false });
    const driver = await openMemcachedDriver(mcOptions(`memcached://127.0.0.1:${fake.port}`));
    try {
      const keys = await listAll(driver);
      const one = keys.find((k) => k.key.toString() === 'skew:1');
      assert.ok(one && one.ttlMs > 98_000 && one.ttlMs <= 101_000, `ttl ${one?.ttlMs} (local clock would give ~3,700 s)`);
      assert.equal(keys.find((k) => k.key.toString() === 'skew:2')?.ttlMs, -1);
    } finally {
      await driver.close();
      fake.close();
    }
  });

  it('retries a BUSY crawler, then lists', async () => {
    const fake = await fakeMemcached({ clockAheadS: 0, busyFirst: true });
    const driver = await openMemcachedDriver(mcOptions(`memcached://127.0.0.1:${fake.port}`));
    try {
      assert.equal((await listAll(driver)).length, 2);
      assert.equal(fake.dumps, 2);
    } finally {
      await driver.close();
      fake.close();
    }
  });

  describe('real servers that refuse metadump', () => {
    let noDump: MemcachedServer;
    let noCrawler: MemcachedServer;
    before(async () => {
      [noDump, noCrawler] = await Promise.all([startMemcached({ args: ['-X'] }), startMemcached({ args: ['-o', 'no_lru_crawler'] })]);
    });
    after(async () => { await Promise.all([noDump?.stop(), noCrawler?.stop()]); });

    it('says plainly that listing is not allowed on a server started with -X', async () => {
      const driver = await openMemcachedDriver(mcOptions(noDump.url));
      try {
        await assert.rejects(listAll(driver), (e) => CacheLensError.is(e, 'unsupported') && /not allowed .*-X/.test(e.message));
      } finally {
        await driver.close();
      }
    });

    it('falls back to stats cachedump when the LRU crawler is disabled, and says the list is partial', async () => {
      for (let i = 0; i < 20; i++) await noCrawler.command(`set fallback:${i} 0 0 1\r\nx`);
      const driver = await openMemcachedDriver(mcOptions(noCrawler.url));
      try {
        // cachedump shows only the cold LRU, which new items reach when the LRU maintainer runs.
        let keys = await listAll(driver);
        for (const deadline = Date.now() + 5000; keys.length === 0 && Date.now() < deadline;) {
          await new Promise((r) => setTimeout(r, 200));
          keys = await listAll(driver);
        }
        assert.ok(keys.length > 0);
        assert.ok(keys.every((k) => /^fallback:\d+$/.test(k.key.toString())));
        const caps = driver.capabilities();
        assert.equal(caps.listingPartial, true);
        assert.match(caps.note ?? '', /cachedump, which shows only part of them/);
      } finally {
        await driver.close();
      }
    });
  });
});
