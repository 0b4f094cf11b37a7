/**
 * Black-box tests of `cachelens keys | analyze | get | tags | stats` against a real redis-server:
 * the documented JSON shapes and exit codes, and values checked against a keyspace seeded here.
 */
import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { freePort, startRedis, type RedisServer } from '../../harness/servers';
import { assertFailure, assertShape, cachelens, cachelensAll, ensureBuilt, ok, okJson, okJsonLines } from './run';

interface KeyLine { key?: string; keyBase64?: string; type: string; ttl: number; bytes: number }

const BINARY_KEY = Buffer.from([0xff, 0xfe, 0x3a, 0x62, 0x69, 0x6e]); // "\xff\xfe:bin"

/** Every seeded key, its type, and whether it has a TTL. */
const SEEDED: Array<{ key: string; type: string; ttl: boolean }> = [
  { key: 'user:1', type: 'string', ttl: false },
  { key: 'user:2', type: 'string', ttl: false },
  { key: 'user:3', type: 'string', ttl: false },
  { key: 'user:4', type: 'string', ttl: true },
  { key: 'user:42:profile', type: 'string', ttl: false },
  { key: 'user:42:cart', type: 'list', ttl: false },
  { key: 'session:a', type: 'hash', ttl: true },
  { key: 'session:b', type: 'hash', ttl: true },
  { key: 'events:s', type: 'stream', ttl: false },
  { key: 'rank:z', type: 'zset', ttl: false },
  { key: 'tag:red', type: 'set', ttl: false },
  { key: 'tag:blue', type: 'set', ttl: false },
  { key: 'plain', type: 'string', ttl: false },
];

async function seed(url: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true });
  await r.connect();
  try {
    await r.set('user:1', 'hello-1');
    await r.set('user:2', 'hello-2');
    await r.set('user:3', 'hello-3');
    await r.set('user:4', 'hello-4', 'EX', 7200);
    await r.set('user:42:profile', '{"name":"Ada"}');
    await r.rpush('user:42:cart', 'apple', 'pear');
    await r.hset('session:a', 'uid', '1');
    await r.expire('session:a', 50);
    await r.hset('session:b', 'uid', '2');
    await r.expire('session:b', 50);
    await r.xadd('events:s', '*', 'kind', 'login');
    await r.zadd('rank:z', 1, 'ada', 2, 'bob');
    await r.sadd('tag:red', 'user:1', 'user:2', 'gone:1');
    await r.sadd('tag:blue', 'user:3');
    await r.set('plain', 'x');
    await r.set(BINARY_KEY, 'binary-value');
  } finally {
    r.disconnect();
  }
}

describe('cachelens CLI end to end: redis (keys, analyze, get, tags)', function () {
  let server: RedisServer;

  before(async function () {
    ensureBuilt();
    server = await startRedis();
    await seed(server.url);
  });
  after(async () => { await server?.stop(); });

  it('keys --json lists exactly the seeded keys with type, ttl and bytes, one JSON object per line', async () => {
    const r = await cachelens(['keys', '--url', server.url, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'stderr is not a terminal: no progress and nothing else on it');
    const lines = r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as KeyLine);
    assert.equal(lines.length, SEEDED.length + 1, `expected ${SEEDED.length + 1} keys, got ${lines.length}`);
    const byName = new Map<string, KeyLine>();
    for (const l of lines) {
      if (l.keyBase64 !== undefined) {
        assertShape(l, { keyBase64: 'string', type: 'string', ttl: 'number', bytes: 'number' }, 'keys --json binary line', true);
        byName.set(`base64:${l.keyBase64}`, l);
      } else {
        assertShape(l, { key: 'string', type: 'string', ttl: 'number', bytes: 'number' }, 'keys --json line', true);
        byName.set(l.key as string, l);
      }
      assert.ok(l.bytes > 0, `bytes must be > 0: ${JSON.stringify(l)}`);
      assert.ok(Number.isInteger(l.ttl), `ttl must be whole milliseconds: ${JSON.stringify(l)}`);
    }
    for (const s of SEEDED) {
      const l = byName.get(s.key);
      assert.ok(l, `key ${s.key} missing from keys --json`);
      assert.equal(l.type, s.type, `type of ${s.key}`);
      if (s.ttl) assert.ok(l.ttl > 0, `${s.key} has a TTL, got ${l.ttl}`);
      else assert.equal(l.ttl, -1, `${s.key} has no TTL`);
    }
    // user:4 has EX 7200: its TTL is in milliseconds, a little under 7,200,000.
    const u4 = byName.get('user:4') as KeyLine;
    assert.ok(u4.ttl > 7_000_000 && u4.ttl <= 7_200_000, `user:4 ttl in ms, got ${u4.ttl}`);
    const bin = byName.get(`base64:${BINARY_KEY.toString('base64')}`);
    assert.ok(bin, `the non-UTF-8 key must come as keyBase64 ${BINARY_KEY.toString('base64')}`);
    assert.equal(bin.type, 'string');
  });

  it('keys --match, --type and --limit select exactly what they say', async () => {
    const runs = await cachelensAll([
      { args: ['keys', '--url', server.url, '--match', 'user:*', '--type', 'string', '--json'] },
      { args: ['keys', '--url', server.url, '--type', 'hash', '--json'] },
      { args: ['keys', '--url', server.url, '--match', 'user:?', '--json'] },
      { args: ['keys', '--url', server.url, '--limit', '3', '--json'] },
    ]);
    const [users, hashes, q, limited] = runs.map((r) => {
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as KeyLine);
    });
    assert.deepEqual(users.map((l) => l.key).sort(), ['user:1', 'user:2', 'user:3', 'user:4', 'user:42:profile']);
    assert.deepEqual(hashes.map((l) => l.key).sort(), ['session:a', 'session:b']);
    assert.deepEqual(q.map((l) => l.key).sort(), ['user:1', 'user:2', 'user:3', 'user:4']);
    assert.equal(limited.length, 3);
  });

  it('keys without --json prints one line per key, the binary key escaped', async () => {
    const out = await ok(['keys', '--url', server.url]);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, SEEDED.length + 1);
    assert.ok(lines.some((l) => l.startsWith('user:42:cart')), out);
    assert.ok(lines.some((l) => l.startsWith('\\xff\\xfe:bin')), `binary key shown escaped:\n${out}`);
  });

  it('uses $CACHELENS_URL when --url is absent, and --url wins over it', async () => {
    const viaEnv = await okJsonLines<KeyLine>(['keys', '--json'], { env: { CACHELENS_URL: server.url } });
    assert.equal(viaEnv.length, SEEDED.length + 1);
    const deadPort = await freePort();
    const viaFlag = await okJsonLines<KeyLine>(['keys', '--url', server.url, '--json'], { env: { CACHELENS_URL: `redis://127.0.0.1:${deadPort}` } });
    assert.equal(viaFlag.length, SEEDED.length + 1);
    const got = await okJson<{ key: string }>(['get', 'user:1', '--json'], { env: { CACHELENS_URL: server.url } });
    assert.equal(got.key, 'user:1');
  });

  it('without --url nor $CACHELENS_URL: exit 2 and one line saying so', async () => {
    const r = await cachelens(['keys', '--json']);
    const msg = assertFailure(r, 2, 'keys without a URL');
    assert.match(msg, /CACHELENS_URL|--url/);
  });

  it('analyze --json counts keys, types and TTL buckets per namespace, children to --depth', async () => {
    interface Ns { prefix: string; keys: number; bytes: number; types: Record<string, number>; ttl: Record<string, number>; children: Ns[] }
    const doc = await okJson<{ keys: number; bytes: number; namespaces: Ns[] }>(['analyze', '--url', server.url, '--depth', '2', '--json']);
    assertShape(doc, { keys: 'number', bytes: 'number', namespaces: 'array' }, 'analyze --json');
    assert.equal(doc.keys, SEEDED.length + 1);
    assert.ok(doc.bytes > 0);
    const check = (ns: Ns, where: string) => {
      // A prefix that is not UTF-8 comes as "prefixBase64", like "keyBase64" in keys --json.
      const name: Record<string, string> = 'prefixBase64' in ns ? { prefixBase64: 'string' } : { prefix: 'string' };
      assertShape(ns, { ...name, keys: 'number', bytes: 'number', types: 'object', ttl: 'object', children: 'array' }, where);
      assert.deepEqual(Object.keys(ns.ttl).sort(), ['<1d', '<1h', '<1m', '<7d', '>=7d', 'none'].sort(), `${where}: ttl buckets`);
      const typeSum = Object.values(ns.types).reduce((a, b) => a + b, 0);
      const ttlSum = Object.values(ns.ttl).reduce((a, b) => a + b, 0);
      assert.equal(typeSum, ns.keys, `${where}: types add up to keys`);
      assert.equal(ttlSum, ns.keys, `${where}: ttl buckets add up to keys`);
      ns.children.forEach((c, i) => check(c, `${where}.children[${i}]`));
    };
    doc.namespaces.forEach((ns, i) => check(ns, `namespaces[${i}]`));
    const find = (list: Ns[], prefix: string) => {
      const ns = list.find((n) => n.prefix === prefix);
      assert.ok(ns, `namespace ${prefix} missing: ${list.map((n) => n.prefix).join(', ')}`);
      return ns;
    };
    const user = find(doc.namespaces, 'user:');
    assert.equal(user.keys, 6);
    assert.deepEqual(user.types, { string: 5, list: 1 });
    assert.equal(user.ttl.none, 5);
    assert.equal(user.ttl['<1d'], 1, 'user:4 (EX 7200) falls in <1d');
    const user42 = find(user.children, 'user:42:');
    assert.equal(user42.keys, 2);
    assert.deepEqual(user42.types, { string: 1, list: 1 });
    const session = find(doc.namespaces, 'session:');
    assert.equal(session.keys, 2);
    assert.deepEqual(session.types, { hash: 2 });
    assert.equal(session.ttl['<1m'], 2, 'EX 50 falls in <1m');
    assert.deepEqual(find(doc.namespaces, 'tag:').types, { set: 2 });
    assert.deepEqual(find(doc.namespaces, 'events:').types, { stream: 1 });
    assert.deepEqual(find(doc.namespaces, 'rank:').types, { zset: 1 });
    const binary = doc.namespaces.find((n) => (n as Ns & { prefixBase64?: string }).prefixBase64 === Buffer.from([0xff, 0xfe, 0x3a]).toString('base64'));
    assert.ok(binary, 'the binary namespace "\\xff\\xfe:" comes as prefixBase64');
    assert.equal(binary.keys, 1);
    assert.equal(doc.namespaces.find((n) => n.prefix === 'plain'), undefined, 'a key without the delimiter is no namespace');

    const shallow = await okJson<{ namespaces: Ns[] }>(['analyze', '--url', server.url, '--depth', '1', '--json']);
    assert.deepEqual(find(shallow.namespaces, 'user:').children, [], '--depth 1 has no children');
  });

  it('analyze --delimiter splits on another character', async () => {
    const doc = await okJson<{ keys: number; namespaces: Array<{ prefix: string; keys: number }> }>(['analyze', '--url', server.url, '--delimiter', '_', '--json']);
    assert.equal(doc.keys, SEEDED.length + 1);
    assert.deepEqual(doc.namespaces, [], 'no key contains "_"');
  });

  it('get --json shows type, TTL, size and the value; binary keys by escape; a missing key fails cleanly', async () => {
    const doc = await okJson<Record<string, unknown>>(['get', '--url', server.url, 'user:1', '--json']);
    assertShape(doc, { key: 'string', type: 'string', ttl: 'number', bytes: 'number', value: 'object' }, 'get --json');
    assert.equal(doc.key, 'user:1');
    assert.equal(doc.type, 'string');
    assert.equal(doc.ttl, -1);
    assert.equal((doc.value as { value: string }).value, 'hello-1');

    const list = await okJson<{ type: string; value: { items: Array<{ value: string }> } }>(['get', '--url', server.url, 'user:42:cart', '--json']);
    assert.equal(list.type, 'list');
    assert.deepEqual(list.value.items.map((i) => i.value), ['apple', 'pear']);

    const bin = await okJson<Record<string, unknown>>(['get', '--url', server.url, '\\xff\\xfe:bin', '--json']);
    assert.equal(bin.keyBase64, BINARY_KEY.toString('base64'));
    assert.equal((bin.value as { value: string }).value, 'binary-value');

    const text = await ok(['get', '--url', server.url, 'user:42:profile']);
    assert.match(text, /"name": "Ada"/, 'a JSON string value is pretty-printed');

    const missing = await cachelens(['get', '--url', server.url, 'no:such:key']);
    const msg = assertFailure(missing, 1, 'get of a missing key');
    assert.match(msg, /no:such:key/);
  });

  it('tags --json lists each tag with its member count, and TAG lists its keys with dangling ones marked', async () => {
    const tags = await okJsonLines<{ tag: string; members: number }>(['tags', '--url', server.url, '--json']);
    tags.forEach((t) => assertShape(t, { tag: 'string', members: 'number' }, 'tags --json line'));
    assert.deepEqual(tags.map((t) => [t.tag, t.members]).sort(), [['blue', 1], ['red', 3]]);

    const red = await okJson<{ tag: string; members: number; dangling: number; keys: Array<{ key: string; exists: boolean }> }>(['tags', '--url', server.url, 'red', '--json']);
    assert.equal(red.tag, 'red');
    assert.equal(red.members, 3);
    assert.equal(red.dangling, 1);
    assert.deepEqual(red.keys.map((k) => [k.key, k.exists]).sort(), [['gone:1', false], ['user:1', true], ['user:2', true]]);
  });
});

describe('cachelens CLI end to end: stats against a redis with known traffic', function () {
  let server: RedisServer;

  before(async function () {
    ensureBuilt();
    server = await startRedis({ args: ['--maxmemory', '104857600'] });
  });
  after(async () => { await server?.stop(); });

  it('stats --json reports exactly the hits and misses an application made', async () => {
    await server.cli('set', 'k', 'v');
    await server.cli('config', 'resetstat');
    for (let i = 0; i < 4; i++) await server.cli('get', 'k');
    for (let i = 0; i < 3; i++) await server.cli('get', `missing:${i}`);
    const doc = await okJson<Record<string, unknown>>(['stats', '--url', server.url, '--json']);
    assertShape(doc, { hits: 'number', misses: 'number', hitRatio: ['number', 'null'], evictions: 'number', expirations: 'number', usedMemory: 'number', maxMemory: 'number' }, 'stats --json');
    assert.equal(doc.hits, 4);
    assert.equal(doc.misses, 3);
    assert.ok(Math.abs((doc.hitRatio as number) - 4 / 7) < 1e-9, `hitRatio ${doc.hitRatio}`);
    assert.equal(doc.maxMemory, 104857600);
    assert.ok((doc.usedMemory as number) > 0);
  });

  it('stats --watch --json prints one object per interval with the documented fields', async () => {
    const r = await cachelens(['stats', '--url', server.url, '--watch', '--json', '--interval', '0.3', '--count', '2']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    for (const l of lines) {
      assertShape(l, {
        t: 'string', hits: 'number', misses: 'number', hitRatio: ['number', 'null'], opsPerSec: 'number',
        evictions: 'number', expirations: 'number', usedMemory: 'number', maxMemory: 'number',
      }, 'stats --watch --json line');
      assert.ok(!Number.isNaN(Date.parse(l.t as string)) && (l.t as string).endsWith('Z'), `t is an ISO time: ${l.t}`);
      // Nobody reads during the watch, and CacheLens's own sampling must not count.
      assert.equal(l.hits, 0);
      assert.equal(l.misses, 0);
      assert.equal(l.hitRatio, null, 'no reads in the interval: hitRatio is null');
      assert.equal(l.maxMemory, 104857600);
    }
  });

  it('stats rejects a bad --interval with exit 2', async () => {
    assertFailure(await cachelens(['stats', '--url', server.url, '--interval', 'soon']), 2, 'stats --interval soon');
  });
});
