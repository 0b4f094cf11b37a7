import * as assert from 'node:assert/strict';
import { openDriver } from '../../../src/core/driver/index';
import type { RedisDriver } from '../../../src/core/driver/redis/driver';
import { CacheLensError } from '../../../src/core/errors';
import { TagStore } from '../../../src/core/tags';
import { startRedis, startMemcached, type MemcachedServer, type RedisServer } from '../../harness/servers';

const B = (s: string): Buffer => Buffer.from(s);
const BINARY = Buffer.from([0xff, 0xfe, 0x3a, 0x00]);

async function snapshot(server: RedisServer): Promise<string> {
  return server.cli('EVAL', `local out = {} for _, k in ipairs(redis.call('KEYS', '*')) do out[#out+1] = k .. '=' .. redis.call('TYPE', k)['ok'] .. '/' .. redis.call('PTTL', k) end table.sort(out) return table.concat(out, ',')`, '0');
}

describe('redis: tags', () => {
  let server: RedisServer;
  let driver: RedisDriver;
  let tags: TagStore;

  before(async () => {
    server = await startRedis();
    driver = await openDriver(server.url) as RedisDriver;
    tags = new TagStore(driver);
  });
  beforeEach(async () => {
    await server.cli('FLUSHALL');
    for (const k of ['user:1', 'user:2', 'post:1', 'post:2', 'unrelated']) await server.cli('SET', k, 'v');
    await server.cli('SADD', 'tag:user:1', 'user:1', 'post:1', 'post:9-gone');
    await server.cli('SADD', 'tag:posts', 'post:1', 'post:2');
    await server.cli('SADD', 'notatag', 'user:1');
    await server.cli('SET', 'tag:not-a-set', 'string');
  });
  after(async () => {
    await driver?.close();
    await server?.stop();
  });

  it('lists tag sets with member counts, ignoring non-sets and other prefixes', async () => {
    const list = await tags.listAll();
    assert.deepEqual(list.map((t) => [t.name.toString(), t.key.toString(), t.members]), [['posts', 'tag:posts', 2], ['user:1', 'tag:user:1', 3]]);
  });

  it('pages the keys of a tag', async () => {
    const all: string[] = [];
    for await (const page of tags.members('user:1', { count: 1 })) all.push(...page.map(String));
    assert.deepEqual([...new Set(all)].sort(), ['post:1', 'post:9-gone', 'user:1']);
  });

  it('finds the tags of a key, and says when the search was cut short', async () => {
    assert.deepEqual((await tags.tagsOf(B('post:1'))).tags.map(String), ['posts', 'user:1']);
    assert.deepEqual((await tags.tagsOf(B('unrelated'))), { tags: [], complete: true });
    const bounded = await tags.tagsOf(B('post:1'), { maxTags: 1 });
    assert.equal(bounded.complete, false);
    assert.equal(bounded.tags.length, 1);
  });

  it('finds and cleans dangling members', async () => {
    const d = await tags.dangling('user:1');
    assert.equal(d.members, 3);
    assert.deepEqual(d.dangling.map(String), ['post:9-gone']);
    assert.equal(await tags.cleanDangling('user:1'), 1);
    assert.deepEqual((await server.cli('SMEMBERS', 'tag:user:1')).trim().split('\n').sort(), ['post:1', 'user:1']);
    assert.equal(await tags.cleanDangling('posts'), 0);
  });

  it('plans, then invalidates a tag: its keys and the set, nothing else', async () => {
    const plan = await tags.planInvalidate('user:1', 2);
    assert.equal(plan.members, 3);
    assert.equal(plan.sample.length, 2);
    const progress: number[] = [];
    const report = await tags.invalidate('user:1', { onProgress: (p) => progress.push(p.done) });
    assert.deepEqual(report, { matched: 3, deleted: 2, errors: 0, setDeleted: true });
    assert.deepEqual(progress, [3]);
    const left = (await server.cli('KEYS', '*')).trim().split('\n').sort();
    assert.deepEqual(left, ['notatag', 'post:2', 'tag:not-a-set', 'tag:posts', 'user:2', 'unrelated'].sort());
  });

  it('supports another prefix and binary tag members', async () => {
    await server.cli('SET', 'cached', 'v');
    const other = new TagStore(driver, { prefix: 'grp*' });
    await driver.writeString(BINARY, B('v'));
    // The prefix has a glob character: it must be matched literally.
    await server.cli('SADD', 'grp*x', 'cached');
    await server.cli('SADD', 'grp-y', 'cached');
    await driver.command('SADD', B('grp*x'), [BINARY]);
    assert.deepEqual((await other.listAll()).map((t) => [t.name.toString(), t.members]), [['x', 2]]);
    assert.deepEqual((await other.tagsOf(BINARY)).tags.map(String), ['x']);
    const r = await other.invalidate('x');
    assert.equal(r.deleted, 2);
    assert.equal(await driver.lookup(BINARY), null);
  });

  it('cancels an invalidation before deleting the set', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(tags.invalidate('posts', { signal: ac.signal }), (e) => CacheLensError.is(e, 'cancelled'));
    assert.equal((await server.cli('EXISTS', 'tag:posts')).trim(), '1');
  });

  it('refuses a Memcached connection', async () => {
    let mc: MemcachedServer | undefined;
    try {
      mc = await startMemcached();
      const d = await openDriver(mc.url);
      try {
        assert.throws(() => new TagStore(d), (e) => CacheLensError.is(e, 'unsupported'));
      } finally {
        await d.close();
      }
    } finally {
      await mc?.stop();
    }
  });
});

describe('redis: read-only connections', () => {
  let server: RedisServer;
  let driver: RedisDriver;

  before(async () => {
    server = await startRedis();
    await server.cli('SET', 'k', 'v', 'PX', '500000');
    await server.cli('SADD', 'tag:t', 'k', 'gone');
    driver = await openDriver(server.url, { readOnly: true }) as RedisDriver;
  });
  after(async () => {
    await driver?.close();
    await server?.stop();
  });

  it('still reads', async () => {
    assert.equal((await driver.lookup(B('k')))?.type, 'string');
    const batches: number[] = [];
    for await (const b of driver.scan()) batches.push(b.length);
    assert.deepEqual(batches, [2]);
  });

  it('refuses every write path and leaves the data untouched', async () => {
    const before = await snapshot(server);
    const tags = new TagStore(driver);
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['writeString', () => driver.writeString(B('k'), B('changed'), { keepTtl: true })],
      ['setTtl', () => driver.setTtl(B('k'), 1000)],
      ['persist', () => driver.setTtl(B('k'), -1)],
      ['rename', () => driver.rename(B('k'), B('k2'))],
      ['delete', () => driver.delete([B('k')])],
      ['removeMembers', () => driver.removeMembers(B('tag:t'), [B('gone')])],
      ['cleanDangling', () => tags.cleanDangling('t')],
      ['invalidate', () => tags.invalidate('t')],
      ['raw SADD', () => driver.command('SADD', B('tag:t'), [B('x')])],
      ['raw per-key DEL', () => driver.perKey('DEL', [B('k')])],
    ];
    for (const [name, write] of writes) {
      await assert.rejects(write(), (e) => CacheLensError.is(e, 'readonly') && /read-only/.test(e.message), name);
    }
    const after = await snapshot(server);
    assert.equal(after.replace(/\/\d+/g, '/ttl'), before.replace(/\/\d+/g, '/ttl'));
    assert.equal((await server.cli('GET', 'k')).trim(), 'v');
  });
});
