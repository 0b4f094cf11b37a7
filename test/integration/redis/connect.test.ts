import * as assert from 'node:assert/strict';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver } from '../../../src/core/driver/types';
import { CacheLensError, type ErrorReason } from '../../../src/core/errors';
import { freePort, startRedis, startSentinel, type RedisServer, type Sentinel } from '../../harness/servers';

const B = (s: string): Buffer => Buffer.from(s);

/** Opens, expecting a CacheLensError of `reason` within `withinMs`; returns it. */
async function failsWith(url: string, reason: ErrorReason, withinMs: number, options: Parameters<typeof openDriver>[1] = {}): Promise<CacheLensError> {
  const t0 = Date.now();
  let caught: unknown;
  let driver: CacheDriver | undefined;
  try {
    driver = await openDriver(url, options);
  } catch (e) {
    caught = e;
  }
  await driver?.close();
  const ms = Date.now() - t0;
  assert.ok(CacheLensError.is(caught), `expected a CacheLensError, got ${String(caught)}`);
  assert.equal(caught.reason, reason, caught.message);
  assert.ok(ms < withinMs, `took ${ms} ms`);
  assert.ok(!caught.message.includes('\n'), 'one line');
  return caught;
}

describe('redis: connecting', () => {
  describe('passwords and ACL users', () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis({ password: 'top-secret' });
      // The ACL user is made at run time: the harness's `users` option passes the rule as one argument, which redis-server 7.0 rejects.
      await server.cli('ACL', 'SETUSER', 'reader', 'on', '>r-pass', '~*', '&*', '+@all');
      await server.cli('SET', 'k', 'v');
    });
    after(() => server?.stop());

    it('authenticates with the default user\'s password', async () => {
      const d = await openDriver(server.url);
      assert.equal((await d.lookup(B('k')))?.type, 'string');
      assert.doesNotMatch(d.display, /top-secret/);
      await d.close();
    });

    it('authenticates an ACL user, with the password given apart from the URL', async () => {
      const d = await openDriver(`redis://reader@127.0.0.1:${server.port}`, { password: 'r-pass' });
      assert.equal(d.display, `redis://reader:***@127.0.0.1:${server.port}/0`);
      assert.equal((await d.lookup(B('k')))?.type, 'string');
      await d.close();
    });

    it('reports a wrong password as an auth error within 5 s, without the password', async () => {
      const e = await failsWith(`redis://:wrong-one@127.0.0.1:${server.port}`, 'auth', 5000);
      assert.match(e.message, /authentication failed/);
      assert.doesNotMatch(e.message, /wrong-one/);
      const u = await failsWith(`redis://reader:nope-nope@127.0.0.1:${server.port}`, 'auth', 5000);
      assert.match(u.message, /user "reader"/);
      assert.doesNotMatch(u.message, /nope-nope/);
    });

    it('reports a missing password as an auth error', async () => {
      await failsWith(`redis://127.0.0.1:${server.port}`, 'auth', 5000);
    });
  });

  it('reports a closed port as unreachable within 5 s', async () => {
    const port = await freePort();
    const e = await failsWith(`redis://127.0.0.1:${port}`, 'unreachable', 5000);
    assert.match(e.message, /ECONNREFUSED/);
  });

  it('reports a server that never answers as unreachable within the timeout', async () => {
    // A listening socket that accepts and stays silent, as a hung server or a wrong service would.
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = net.createServer((s) => { sockets.push(s); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    try {
      await failsWith(`redis://127.0.0.1:${port}`, 'unreachable', 3000, { timeoutMs: 1500 });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('reports a missing socket file as unreachable', async () => {
    await failsWith('redis+unix:///nonexistent/dir/redis.sock', 'unreachable', 5000);
  });

  describe('TLS', () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis({ tls: true });
      await server.cli('SET', 'secure', 'yes');
    });
    after(() => server?.stop());

    it('connects with the CA file', async () => {
      const d = await openDriver(`rediss://127.0.0.1:${server.port}?caFile=${server.tls?.ca}`);
      assert.equal((await d.lookup(B('secure')))?.type, 'string');
      await d.close();
    });

    it('connects with a client certificate and an SNI name', async () => {
      const t = server.tls;
      const d = await openDriver(`rediss://127.0.0.1:${server.port}`, { tls: { caFile: t?.ca, certFile: t?.clientCert, keyFile: t?.clientKey, servername: 'localhost' } });
      assert.equal((await d.lookup(B('secure')))?.type, 'string');
      await d.close();
    });

    it('refuses a certificate from another CA with a tls error', async () => {
      const e = await failsWith(`rediss://127.0.0.1:${server.port}?caFile=${server.tls?.otherCa}`, 'tls', 5000);
      assert.match(e.message, /TLS failure/);
    });

    it('connects without verification when rejectUnauthorized is false', async () => {
      const d = await openDriver(`rediss://127.0.0.1:${server.port}?rejectUnauthorized=false`);
      assert.equal((await d.lookup(B('secure')))?.type, 'string');
      await d.close();
    });

    it('reports an unreadable CA file as a usage error', async () => {
      await failsWith(`rediss://127.0.0.1:${server.port}?caFile=/no/such/ca.pem`, 'usage', 1000);
    });

    it('fails clearly when plain text meets a TLS port', async () => {
      const e = await failsWith(`redis://127.0.0.1:${server.port}`, 'unreachable', 5000, { timeoutMs: 2000 });
      assert.match(e.message, /127\.0\.0\.1/);
    });
  });

  describe('sentinel', () => {
    let sentinel: Sentinel;
    before(async () => {
      sentinel = await startSentinel('cachelens-master');
      await sentinel.master.cli('SET', 'via:sentinel', '1');
    });
    after(() => sentinel?.stop());

    it('resolves the master through the sentinel', async () => {
      const d = await openDriver(sentinel.url);
      assert.equal((await d.lookup(B('via:sentinel')))?.type, 'string');
      await d.writeString(B('written:via:sentinel'), B('ok'));
      assert.equal((await sentinel.master.cli('GET', 'written:via:sentinel')).trim(), 'ok');
      await d.close();
    });

    it('reports an unknown master name clearly within 5 s', async () => {
      await failsWith(`redis+sentinel://127.0.0.1:${sentinel.sentinelPort}/no-such-master`, 'unreachable', 5000, { timeoutMs: 2000 });
    });
  });
});
