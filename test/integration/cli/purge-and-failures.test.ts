/**
 * Black-box tests of `cachelens purge` (it deletes exactly the match, compared with redis-cli
 * --scan before and after) and of how every connecting command fails: bad URL, unreachable
 * server, wrong password — exit code, one line, never the password.
 */
import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { freePort, startRedis, type RedisServer } from '../../harness/servers';
import { assertFailure, cachelens, cachelensAll, ensureBuilt, okJson } from './run';

const PASSWORD = 'pw-Secret-9z';

/** A small deterministic PRNG, so a failing keyspace can be reproduced. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Near-miss prefixes on purpose: a purge of `a:*` must not touch `ab:`, `a`, `A:` or `xa:`. */
const PREFIXES = ['a:', 'ab:', 'a', 'A:', 'xa:', 'a:b:', 'b:', 'c:[1]:', 'c:*:'];

async function scanAll(server: RedisServer, pattern = '*'): Promise<string[]> {
  const out = await server.cli('--scan', '--pattern', pattern);
  return out.split('\n').filter((l) => l !== '').sort();
}

describe('cachelens CLI end to end: purge on a randomized redis keyspace', function () {
  let server: RedisServer;

  before(async function () {
    ensureBuilt();
    server = await startRedis({ password: PASSWORD });
    const r = new Redis(server.url, { lazyConnect: true });
    await r.connect();
    const rand = mulberry32(20261126);
    const pipe = r.pipeline();
    for (let i = 0; i < 600; i++) {
      const prefix = PREFIXES[Math.floor(rand() * PREFIXES.length)];
      const key = `${prefix}${Math.floor(rand() * 100000)}`;
      const kind = Math.floor(rand() * 3);
      if (kind === 0) pipe.set(key, 'v');
      else if (kind === 1) pipe.hset(key, 'f', 'v');
      else pipe.sadd(key, 'm');
    }
    pipe.sadd('tag:t1', 'b:tagged-1', 'b:tagged-2', 'b:never-existed');
    pipe.set('b:tagged-1', '1');
    pipe.set('b:tagged-2', '2');
    await pipe.exec();
    r.disconnect();
  });
  after(async () => { await server?.stop(); });

  it('purge --dry-run --json counts the match and deletes nothing', async () => {
    const before = await scanAll(server);
    const expected = await scanAll(server, 'a:*');
    assert.ok(expected.length > 50, `the seed should give many a:* keys, got ${expected.length}`);
    const doc = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--match', 'a:*', '--dry-run', '--json']);
    assert.deepEqual(doc, { matched: expected.length, deleted: 0 });
    assert.deepEqual(await scanAll(server), before, 'a dry run changed the keyspace');
  });

  it('purge without --yes and without a terminal refuses, says why, and deletes nothing', async () => {
    const before = await scanAll(server);
    const r = await cachelens(['purge', '--url', server.url, '--match', 'a:*'], { input: 'yes\n' });
    assert.ok(r.code === 1 || r.code === 2, `expected exit 1 or 2, got ${r.code}`);
    const last = r.stderr.trim().split('\n').pop() ?? '';
    assert.match(last, /--yes/, `the refusal should name --yes: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!r.stderr.includes(PASSWORD) && !r.stdout.includes(PASSWORD), 'the password leaked');
    assert.deepEqual(await scanAll(server), before, 'a refused purge deleted keys');
  });

  it('purge --match --yes --json deletes exactly the keys redis-cli --scan matches, and nothing else', async () => {
    const before = await scanAll(server);
    const matching = await scanAll(server, 'a:*');
    const doc = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--match', 'a:*', '--yes', '--json']);
    assert.deepEqual(doc, { matched: matching.length, deleted: matching.length });
    const gone = new Set(matching);
    assert.deepEqual(await scanAll(server), before.filter((k) => !gone.has(k)));
  });

  it('purge treats glob brackets as redis does: c:[1]:* is not the literal prefix', async () => {
    const before = await scanAll(server);
    const matching = await scanAll(server, 'c:\\[1\\]:*');
    assert.ok(matching.length > 0);
    const doc = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--match', 'c:\\[1\\]:*', '--yes', '--json']);
    assert.deepEqual(doc, { matched: matching.length, deleted: matching.length });
    const gone = new Set(matching);
    assert.deepEqual(await scanAll(server), before.filter((k) => !gone.has(k)));
  });

  it('purge of a glob that matches nothing: {"matched":0,"deleted":0}, exit 0', async () => {
    const before = await scanAll(server);
    const doc = await okJson(['purge', '--url', server.url, '--match', 'zzz:*', '--yes', '--json']);
    assert.deepEqual(doc, { matched: 0, deleted: 0 });
    assert.deepEqual(await scanAll(server), before);
  });

  it('purge --key deletes exactly the named keys', async () => {
    const before = await scanAll(server);
    const two = before.filter((k) => k.startsWith('ab:')).slice(0, 2);
    assert.equal(two.length, 2);
    const doc = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--key', two[0], two[1], '--yes', '--json']);
    assert.equal(doc.deleted, 2);
    assert.deepEqual(await scanAll(server), before.filter((k) => !two.includes(k)));
  });

  it('purge --tag deletes the tag\'s keys and the tag set, nothing else', async () => {
    const before = await scanAll(server);
    const doc = await okJson<{ matched: number; deleted: number }>(['purge', '--url', server.url, '--tag', 't1', '--yes', '--json']);
    assert.ok(doc.deleted >= 2, `deleted ${doc.deleted}`);
    const removed = ['b:tagged-1', 'b:tagged-2', 'tag:t1'];
    assert.deepEqual(await scanAll(server), before.filter((k) => !removed.includes(k)));
  });

  it('purge with two selectors or none is bad usage (exit 2) and deletes nothing', async () => {
    const before = await scanAll(server);
    assertFailure(await cachelens(['purge', '--url', server.url, '--match', 'b:*', '--tag', 't1', '--yes']), 2, 'purge --match --tag', [PASSWORD]);
    assertFailure(await cachelens(['purge', '--url', server.url, '--yes']), 2, 'purge without a selector', [PASSWORD]);
    assert.deepEqual(await scanAll(server), before);
  });

  it('a wrong password: exit 1, one line, neither password in it', async () => {
    const wrong = 'not-the-Pw-31';
    const url = `redis://:${wrong}@127.0.0.1:${server.port}`;
    // One run alone, timed (issue 2: a clear message within 5 s); the others in parallel.
    const alone = await cachelens(['keys', '--url', url]);
    assertFailure(alone, 1, 'keys with a wrong password', [wrong, PASSWORD]);
    assert.ok(alone.ms < 5000, `a wrong password took ${alone.ms} ms to report`);
    const commands = [['analyze'], ['get', 'b:1'], ['tags'], ['purge', '--match', 'b:*', '--yes'], ['stats']];
    const runs = await cachelensAll(commands.map((args) => ({ args: [...args, '--url', url] })), 5);
    for (const [i, args] of commands.entries()) {
      const msg = assertFailure(runs[i], 1, `${args[0]} with a wrong password`, [wrong, PASSWORD]);
      assert.match(msg, /auth|password/i, `${args[0]}: the message should say authentication failed: ${msg}`);
    }
    assert.ok((await scanAll(server, 'b:*')).length > 0, 'nothing was purged');
  });

  it('the right password in --url works', async () => {
    const doc = await okJson<{ matched: number }>(['purge', '--url', server.url, '--match', 'b:*', '--dry-run', '--json']);
    assert.equal(doc.matched, (await scanAll(server, 'b:*')).length);
  });
});

describe('cachelens CLI end to end: bad and unreachable URLs', function () {
  const secret = 'hunter2-Top';

  before(() => ensureBuilt());

  it('an unreachable server: exit 1 within 6 s, one line, no password', async () => {
    const port = await freePort();
    const url = `redis://:${secret}@127.0.0.1:${port}`;
    // One run alone, timed; the other connecting commands in parallel for the message contract.
    const alone = await cachelens(['keys', '--url', url], { timeoutMs: 20000 });
    const msg = assertFailure(alone, 1, 'keys on a closed port', [secret]);
    assert.ok(alone.ms < 6000, `keys took ${alone.ms} ms to give up`);
    assert.match(msg, new RegExp(`reach|refused|connect|${port}`, 'i'), msg);
    const commands = [['analyze'], ['get', 'k'], ['tags'], ['purge', '--match', '*', '--yes'], ['stats']];
    const runs = await cachelensAll(commands.map((args) => ({ args: [...args, '--url', url], options: { timeoutMs: 20000 } })), 5);
    for (const [i, args] of commands.entries()) {
      const m = assertFailure(runs[i], 1, `${args[0]} on a closed port`, [secret]);
      assert.match(m, new RegExp(`reach|refused|connect|${port}`, 'i'), m);
    }
  });

  it('an unreachable memcached: exit 1 within 6 s, one line', async () => {
    const port = await freePort();
    const r = await cachelens(['keys', '--url', `memcached://127.0.0.1:${port}`], { timeoutMs: 20000 });
    assertFailure(r, 1, 'keys on a closed memcached port');
    assert.ok(r.ms < 6000, `took ${r.ms} ms`);
  });

  it('a malformed URL is bad usage: exit 2, one line, the password never echoed', async () => {
    const bad = [
      `foo://user:${secret}@127.0.0.1:6379`,
      `redis://:${secret}@127.0.0.1:notaport`,
      `redis://:${secret}@127.0.0.1:99999`,
      'not a url at all',
    ];
    // Every bad URL with keys, and one of them with the other connecting commands.
    const cases = [
      ...bad.map((url) => ({ url, args: ['keys'] })),
      ...[['get', 'k'], ['purge', '--match', '*', '--yes'], ['analyze'], ['stats']].map((args) => ({ url: bad[1], args })),
    ];
    const runs = await cachelensAll(cases.map((c) => ({ args: [...c.args, '--url', c.url] })), 6);
    cases.forEach((c, i) => assertFailure(runs[i], 2, `${c.args[0]} --url ${c.url.replace(secret, '***')}`, [secret]));
  });

  it('a malformed $CACHELENS_URL is reported the same way, without its password', async () => {
    const r = await cachelens(['keys'], { env: { CACHELENS_URL: `redis://:${secret}@127.0.0.1:notaport` } });
    assertFailure(r, 2, 'keys with a bad $CACHELENS_URL', [secret]);
  });
});
