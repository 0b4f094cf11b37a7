/**
 * Black-box tests of `cachelens keys | get | purge` with memcached:// URLs against a real
 * memcached, and of a SASL memcached: listing is impossible (said plainly), lookup works.
 */
import * as assert from 'node:assert/strict';
import * as memjs from 'memjs';
import { startMemcached, type MemcachedServer } from '../../harness/servers';
import { assertFailure, assertShape, cachelens, ensureBuilt, ok, okJson, okJsonLines } from './run';

interface KeyLine { key?: string; keyBase64?: string; type: string; ttl: number; bytes: number }

async function set(server: MemcachedServer, key: string, value: string, exptime = 0): Promise<void> {
  const reply = await server.command(`set ${key} 0 ${exptime} ${Buffer.byteLength(value)}\r\n${value}`);
  assert.match(reply, /STORED/);
}

async function exists(server: MemcachedServer, key: string): Promise<boolean> {
  // `mg` without flags answers HD when the item exists and EN when it does not.
  const reply = await server.command(`mg ${key}`, /(HD|EN)\r\n$/);
  return reply.startsWith('HD');
}

describe('cachelens CLI end to end: memcached', function () {
  let server: MemcachedServer;

  before(async function () {
    ensureBuilt();
    server = await startMemcached();
    await set(server, 'mc:a', 'alpha');
    await set(server, 'mc:b', 'beta', 3600);
    await set(server, 'mc:c', 'gamma');
    await set(server, 'other:z', 'zeta');
  });
  after(async () => { await server?.stop(); });

  it('keys --json lists exactly the stored items with ttl and bytes', async () => {
    const lines = await okJsonLines<KeyLine>(['keys', '--url', server.url, '--json']);
    lines.forEach((l) => assertShape(l, { key: 'string', type: 'string', ttl: 'number', bytes: 'number' }, 'memcached keys --json line', true));
    assert.deepEqual(lines.map((l) => l.key).sort(), ['mc:a', 'mc:b', 'mc:c', 'other:z']);
    for (const l of lines) {
      assert.ok(l.bytes > 0, JSON.stringify(l));
      if (l.key === 'mc:b') assert.ok(l.ttl > 3_500_000 && l.ttl <= 3_600_000, `mc:b ttl in ms: ${l.ttl}`);
      else assert.equal(l.ttl, -1, `${l.key} never expires`);
    }
    const matched = await okJsonLines<KeyLine>(['keys', '--url', server.url, '--match', 'mc:*', '--json']);
    assert.deepEqual(matched.map((l) => l.key).sort(), ['mc:a', 'mc:b', 'mc:c']);
  });

  it('get --json reads one item', async () => {
    const doc = await okJson<{ key: string; value: { value: string }; ttl: number }>(['get', '--url', server.url, 'mc:a', '--json']);
    assert.equal(doc.key, 'mc:a');
    assert.equal(doc.value.value, 'alpha');
    const text = await ok(['get', '--url', server.url, 'mc:b']);
    assert.match(text, /beta/);
    assertFailure(await cachelens(['get', '--url', server.url, 'mc:none']), 1, 'memcached get of a missing key');
  });

  it('stats --json counts exactly the application\'s hits and misses (listing moves nothing)', async () => {
    type Stats = { hits: number; misses: number; hitRatio: number | null };
    const before = await okJson<Stats>(['stats', '--url', server.url, '--json']);
    await ok(['keys', '--url', server.url, '--json']);
    await server.command('get mc:a');
    await server.command('get mc:c');
    await server.command('get mc:missing');
    const after = await okJson<Stats>(['stats', '--url', server.url, '--json']);
    assert.equal(after.hits - before.hits, 2, 'two hits');
    assert.equal(after.misses - before.misses, 1, 'one miss; `keys` must not count');
    assert.ok(after.hitRatio !== null && after.hitRatio > 0 && after.hitRatio <= 1);
  });

  it('analyze --json counts the memcached namespaces', async () => {
    const doc = await okJson<{ keys: number; namespaces: Array<{ prefix: string; keys: number }> }>(['analyze', '--url', server.url, '--json']);
    assert.equal(doc.keys, 4);
    assert.deepEqual(doc.namespaces.map((n) => [n.prefix, n.keys]).sort(), [['mc:', 3], ['other:', 1]]);
  });

  it('purge --dry-run deletes nothing; purge --match --yes deletes exactly the match', async () => {
    const dry = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--match', 'mc:*', '--dry-run', '--json']);
    assert.deepEqual(dry, { matched: 3, deleted: 0 });
    assert.ok(await exists(server, 'mc:a'));
    const refused = await cachelens(['purge', '--url', server.url, '--match', 'mc:*']);
    assert.ok(refused.code === 1 || refused.code === 2, `no terminal, no --yes: exit ${refused.code}`);
    assert.ok(await exists(server, 'mc:a'), 'a refused purge deleted a key');
    const doc = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--match', 'mc:*', '--yes', '--json']);
    assert.deepEqual(doc, { matched: 3, deleted: 3 });
    for (const k of ['mc:a', 'mc:b', 'mc:c']) assert.equal(await exists(server, k), false, `${k} survived the purge`);
    assert.equal(await exists(server, 'other:z'), true, 'other:z must survive');
  });

  it('purge --key deletes one named item', async () => {
    await set(server, 'solo:1', 'one');
    const doc = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--key', 'solo:1', '--yes', '--json']);
    assert.equal(doc.deleted, 1);
    assert.equal(await exists(server, 'solo:1'), false);
    assert.equal(await exists(server, 'other:z'), true);
  });
});

describe('cachelens CLI end to end: SASL memcached', function () {
  const user = 'app';
  const password = 'sasl-Pw-77x';
  let server: MemcachedServer;

  before(async function () {
    ensureBuilt();
    server = await startMemcached({ sasl: { user, password } });
    const client = memjs.Client.create(`127.0.0.1:${server.port}`, { username: user, password, logger: { log: () => undefined } });
    try {
      await client.set('sasl:key', 'sasl-value', { expires: 0 });
    } finally {
      client.close();
    }
  });
  after(async () => { await server?.stop(); });

  it('keys says plainly that a SASL server cannot list keys: exit 1, one line, no password', async () => {
    const r = await cachelens(['keys', '--url', server.url, '--json']);
    const msg = assertFailure(r, 1, 'keys on SASL memcached', [password]);
    assert.match(msg, /SASL/i, `the message should name SASL: ${msg}`);
    assert.match(msg, /list/i, `the message should say listing is impossible: ${msg}`);
    assert.equal(r.stdout, '');
  });

  it('get works on a SASL server', async () => {
    const doc = await okJson<{ key: string; value: { value: string } }>(['get', '--url', server.url, 'sasl:key', '--json']);
    assert.equal(doc.key, 'sasl:key');
    assert.equal(doc.value.value, 'sasl-value');
  });

  it('a wrong SASL password: exit 1, one line, no password', async () => {
    const wrong = 'wrong-Sasl-55';
    const r = await cachelens(['get', '--url', `memcached://${user}:${wrong}@127.0.0.1:${server.port}`, 'sasl:key']);
    assertFailure(r, 1, 'get with a wrong SASL password', [wrong, password]);
  });
});
