import * as assert from 'node:assert/strict';
import { CacheLensError, redactUrl } from '../../../src/core/errors';
import { describeTarget, parseConnectionUrl, type RedisConnectOptions, type MemcachedConnectOptions } from '../../../src/core/driver/url';
import { resolveConnectOptions } from '../../../src/core/driver/index';

function redis(url: string): RedisConnectOptions {
  const o = parseConnectionUrl(url);
  assert.equal(o.kind, 'redis');
  return o as RedisConnectOptions;
}

function usageError(url: string, pattern: RegExp): CacheLensError {
  let caught: unknown;
  try { parseConnectionUrl(url); } catch (e) { caught = e; }
  assert.ok(CacheLensError.is(caught, 'usage'), `expected a usage error for ${url}, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

describe('redis: connection URLs', () => {
  it('parses redis:// with user, password, port and db', () => {
    const o = redis('redis://alice:s3cret@cache.local:6380/4');
    assert.deepEqual(o, { kind: 'redis', mode: 'standalone', hosts: [{ host: 'cache.local', port: 6380 }], db: 4, protocol: 3, username: 'alice', password: 's3cret' });
  });

  it('defaults port 6379, db 0, RESP3 and no credentials', () => {
    const o = redis('redis://localhost');
    assert.deepEqual(o.hosts, [{ host: 'localhost', port: 6379 }]);
    assert.equal(o.db, 0);
    assert.equal(o.protocol, 3);
    assert.equal(o.username, undefined);
    assert.equal(o.password, undefined);
    assert.equal(o.tls, undefined);
  });

  it('takes a password without a user, percent-decoded, and unencoded @ and / inside it', () => {
    assert.equal(redis('redis://:p%40ss@h:1').password, 'p@ss');
    const o = redis('redis://bob:a/b@c@h:2/1');
    assert.equal(o.username, 'bob');
    assert.equal(o.password, 'a/b@c');
    assert.deepEqual(o.hosts, [{ host: 'h', port: 2 }]);
    assert.equal(o.db, 1);
  });

  it('reads ?protocol=2 and ?db=', () => {
    assert.equal(redis('redis://h?protocol=2').protocol, 2);
    assert.equal(redis('redis://h/?db=7').db, 7);
  });

  it('parses rediss:// with every TLS option', () => {
    const o = redis('rediss://h:6390?caFile=/ca.pem&certFile=/c.pem&keyFile=/k.pem&servername=cache.example&rejectUnauthorized=false');
    assert.deepEqual(o.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', servername: 'cache.example', rejectUnauthorized: false });
    assert.deepEqual(redis('rediss://h').tls, {});
  });

  it('parses IPv6 hosts', () => {
    assert.deepEqual(redis('redis://[::1]:7000').hosts, [{ host: '::1', port: 7000 }]);
  });

  it('parses unix sockets in both spellings, with credentials and db', () => {
    const o = redis('redis+unix://:pw@/var/run/redis.sock?db=3');
    assert.equal(o.mode, 'socket');
    assert.equal(o.path, '/var/run/redis.sock');
    assert.equal(o.password, 'pw');
    assert.equal(o.db, 3);
    assert.equal(redis('unix:///tmp/r.sock').path, '/tmp/r.sock');
  });

  it('parses sentinel URLs with several sentinels, the master name and a db', () => {
    const o = redis('redis+sentinel://u:p@10.0.0.1:26379,10.0.0.2/mymaster/2');
    assert.equal(o.mode, 'sentinel');
    assert.deepEqual(o.hosts, [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26379 }]);
    assert.equal(o.masterName, 'mymaster');
    assert.equal(o.db, 2);
    assert.equal(redis('redis+sentinel://h:1/m?db=5').db, 5);
    assert.deepEqual(redis('rediss+sentinel://h:1/m').tls, {});
  });

  it('parses memcached pools, TLS and SASL credentials', () => {
    const o = parseConnectionUrl('memcacheds://user:pw@a:11211,b?caFile=/ca') as MemcachedConnectOptions;
    assert.equal(o.kind, 'memcached');
    assert.deepEqual(o.servers, [{ host: 'a', port: 11211 }, { host: 'b', port: 11211 }]);
    assert.equal(o.username, 'user');
    assert.equal(o.password, 'pw');
    assert.deepEqual(o.tls, { caFile: '/ca' });
    assert.equal((parseConnectionUrl('memcached://m') as MemcachedConnectOptions).tls, undefined);
  });

  it('rejects bad URLs with a clear usage error that never shows the password', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://h', /unsupported URL scheme "http:\/\/"/],
      ['localhost:6379', /not a connection URL/],
      ['redis://h:99999', /invalid port "99999"/],
      ['redis://h:abc', /invalid port "abc"/],
      ['redis://h/x', /invalid database number "x"/],
      ['redis://h?protocol=4', /invalid protocol "4"/],
      ['redis://h?caFile=/x', /needs a TLS scheme/],
      ['redis://h?colour=blue', /unknown URL option "colour"/],
      ['redis://a,b', /several hosts/],
      ['redis+sentinel://h:1', /missing master name/],
      ['redis+unix://host/x.sock', /has no host/],
      ['redis+unix://', /missing socket path/],
      ['rediss://h?certFile=/c', /certFile needs keyFile/],
      ['memcached://user@h', /needs both a user name and a password/],
      ['redis://', /missing host/],
      ['redis://h/1?db=2', /given twice/],
    ];
    for (const [url, pattern] of cases) usageError(url, pattern);
    const e = usageError('redis://bob:hunter2@h:0', /invalid port "0"/);
    assert.ok(!e.message.includes('hunter2'));
    const bad = usageError('redis://bob:hunter2%zz@h', /percent-encoding/);
    assert.ok(!bad.message.includes('hunter2'));
  });

  it('describes a target without its password', () => {
    assert.equal(describeTarget(parseConnectionUrl('redis://bob:hunter2@h:1/2')), 'redis://bob:***@h:1/2');
    assert.equal(describeTarget(parseConnectionUrl('rediss://:x@h')), 'rediss://***@h:6379/0');
    assert.equal(describeTarget(parseConnectionUrl('redis+sentinel://a:1,b:2/m')), 'redis+sentinel://a:1,b:2/m/0');
    assert.equal(describeTarget(parseConnectionUrl('memcached://u:p@a,b:2')), 'memcached://u:***@a:11211,b:2');
  });

  it('redacts passwords that contain unencoded @ or / in a printed URL', () => {
    assert.equal(redactUrl('redis://bob:a/b@c@h:2/1'), 'redis://bob:***@h:2/1');
    assert.equal(redactUrl('redis+unix://:pw@/tmp/r.sock'), 'redis+unix://***@/tmp/r.sock');
  });

  it('lets the caller override password, TLS, read-only and timeout', () => {
    const o = resolveConnectOptions('rediss://u:old@h?caFile=/ca', { password: 'new', tls: { rejectUnauthorized: false }, readOnly: true, timeoutMs: 1234 });
    assert.equal(o.password, 'new');
    assert.deepEqual(o.tls, { caFile: '/ca', rejectUnauthorized: false });
    assert.equal(o.readOnly, true);
    assert.equal(o.timeoutMs, 1234);
    assert.equal(resolveConnectOptions('redis://h').timeoutMs, 5000);
    assert.equal(resolveConnectOptions('redis://h?timeout=250').timeoutMs, 250);
  });
});
