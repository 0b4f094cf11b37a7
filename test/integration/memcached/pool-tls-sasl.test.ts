import * as assert from 'node:assert/strict';
import * as memjs from 'memjs';
import { startMemcached, tlsMaterial, type MemcachedServer } from '../../harness/servers';
import { openMemcachedDriver } from '../../../src/core/driver/memcached/index';
import { CacheLensError } from '../../../src/core/errors';
import { listAll, mcOptions } from './helpers';

describe('memcached pool of two servers', () => {
  let a: MemcachedServer;
  let b: MemcachedServer;
  before(async () => { [a, b] = await Promise.all([startMemcached(), startMemcached()]); });
  after(async () => { await Promise.all([a?.stop(), b?.stop()]); });

  it('lists, looks up and deletes across both servers', async () => {
    await a.command('set on:a 0 0 1\r\nx');
    await b.command('set on:b 0 0 1\r\ny');
    await b.command('set both 0 0 1\r\nz');
    await a.command('set both 0 0 1\r\nz');
    const driver = await openMemcachedDriver(mcOptions(`memcached://127.0.0.1:${a.port},127.0.0.1:${b.port}`));
    try {
      assert.deepEqual(driver.nodes(), [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
      const keys = await listAll(driver);
      const byNode = keys.map((k) => `${k.key.toString()}@${k.node}`).sort();
      assert.deepEqual(byNode, [`both@127.0.0.1:${a.port}`, `both@127.0.0.1:${b.port}`, `on:a@127.0.0.1:${a.port}`, `on:b@127.0.0.1:${b.port}`].sort());
      assert.equal((await driver.lookup(Buffer.from('on:b')))?.node, `127.0.0.1:${b.port}`);
      assert.equal((await driver.readValue(Buffer.from('on:b')) as { bytes: Buffer }).bytes.toString(), 'y');
      assert.deepEqual(await driver.delete([Buffer.from('both'), Buffer.from('on:a')]), { deleted: 2, errors: 0 });
      assert.deepEqual((await listAll(driver)).map((k) => k.key.toString()), ['on:b']);
      assert.equal((await driver.stats()).length, 2);
    } finally {
      await driver.close();
    }
  });

  it('fails clearly when one server of the pool is unreachable', async () => {
    const start = Date.now();
    await assert.rejects(openMemcachedDriver(mcOptions(`memcached://127.0.0.1:${a.port},127.0.0.1:1`)),
      (e) => CacheLensError.is(e, 'unreachable') && /127\.0\.0\.1:1: connection refused/.test(e.message));
    assert.ok(Date.now() - start < 5000);
  });
});

describe('memcached over TLS (memcacheds://)', () => {
  let server: MemcachedServer;
  before(async () => { server = await startMemcached({ tls: true }); });
  after(async () => { await server?.stop(); });

  it('connects with the CA, lists and reads keys', async () => {
    await server.command('set secure:1 0 0 2\r\nok');
    const driver = await openMemcachedDriver(mcOptions(server.url, { tls: { caFile: tlsMaterial().ca, servername: 'localhost' } }));
    try {
      assert.deepEqual((await listAll(driver)).map((k) => k.key.toString()), ['secure:1']);
      assert.equal((await driver.readValue(Buffer.from('secure:1')) as { bytes: Buffer }).bytes.toString(), 'ok');
    } finally {
      await driver.close();
    }
  });

  it('refuses a certificate from an unknown CA with a TLS error, and accepts it when told not to verify', async () => {
    await assert.rejects(openMemcachedDriver(mcOptions(server.url, { tls: { caFile: tlsMaterial().otherCa } })),
      (e) => CacheLensError.is(e, 'tls') && e.message.includes(`127.0.0.1:${server.port}`));
    const driver = await openMemcachedDriver(mcOptions(server.url, { tls: { rejectUnauthorized: false } }));
    await driver.close();
  });

  it('tells a plain client that the server may need TLS', async () => {
    await assert.rejects(openMemcachedDriver(mcOptions(`memcached://127.0.0.1:${server.port}`, { timeoutMs: 1500 })),
      (e) => CacheLensError.is(e) && /TLS|memcacheds/.test(e.message));
  });
});

describe('memcached with SASL (memjs)', () => {
  let server: MemcachedServer;
  before(async () => { server = await startMemcached({ sasl: { user: 'app', password: 's3cret-pw' } }); });
  after(async () => { await server?.stop(); });

  it('says plainly that keys cannot be listed, and looks up an exact key', async () => {
    const writer = memjs.Client.create(`127.0.0.1:${server.port}`, { username: 'app', password: 's3cret-pw', logger: { log: () => undefined } });
    await writer.set('session:42', 'payload', { expires: 0 });
    writer.close();
    const driver = await openMemcachedDriver(mcOptions(server.url));
    try {
      const caps = driver.capabilities();
      assert.equal(caps.listKeys, false);
      assert.equal(caps.note, 'this server uses SASL authentication, which disables the text protocol: keys cannot be listed; exact-key lookup works');
      await assert.rejects(listAll(driver), (e) => CacheLensError.is(e, 'unsupported') && e.message === caps.note);
      const info = await driver.lookup(Buffer.from('session:42'));
      assert.equal(info?.bytes, 7);
      assert.equal(await driver.lookup(Buffer.from('session:missing')), null);
      assert.equal((await driver.readValue(Buffer.from('session:42')) as { bytes: Buffer }).bytes.toString(), 'payload');
      assert.deepEqual(await driver.delete([Buffer.from('session:42')]), { deleted: 1, errors: 0 });
      assert.equal(await driver.lookup(Buffer.from('session:42')), null);
      assert.ok(Number((await driver.stats())[0].fields.curr_connections) >= 1);
    } finally {
      await driver.close();
    }
  });

  it('turns a wrong password into "authentication failed for USER at HOST:PORT", without the password', async () => {
    const start = Date.now();
    await assert.rejects(openMemcachedDriver(mcOptions(`memcached://app:wrong-pw@127.0.0.1:${server.port}`)), (e) => {
      assert.ok(CacheLensError.is(e, 'auth'), String(e));
      assert.equal(e.message, `authentication failed for app at 127.0.0.1:${server.port}`);
      return true;
    });
    assert.ok(Date.now() - start < 5000);
  });

  it('tells a client without credentials that the server may need SASL', async () => {
    await assert.rejects(openMemcachedDriver(mcOptions(`memcached://127.0.0.1:${server.port}`, { timeoutMs: 2000 })),
      (e) => CacheLensError.is(e) && /SASL/.test(e.message));
  });
});
