/**
 * "Load more…" under a namespace pages through that namespace's own `<prefix>*` scan, and under
 * a tag through the tag's own SSCAN cursor, against a real redis-server.
 */
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { openDriver } from '../../../src/core/driver/index';
import type { CacheDriver } from '../../../src/core/driver/types';
import { KeyspaceSession, MAX_OPEN_SCANS } from '../../../src/extension/explorer/session';
import type { KeyNode, NamespaceNode } from '../../../src/extension/explorer/model';
import { startRedis, type RedisServer } from '../../harness/servers';

const PAGE = 50;

function session(driver: CacheDriver): KeyspaceSession {
  return new KeyspaceSession({ connectionId: 't', delimiter: ':', pageSize: PAGE, tagPrefix: 'tag:', driver: async () => driver });
}

/** Loaded key counts of every top-level namespace, by label. */
function counts(s: KeyspaceSession): Map<string, number> {
  return new Map(s.model.children().filter((n): n is NamespaceNode => n.kind === 'namespace').map((n) => [n.label, n.count]));
}

describe('explorer paging against real Redis', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let driver: CacheDriver;

  before(async () => {
    redis = await startRedis();
    const seed = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await seed.connect();
    const p = seed.pipeline();
    for (let i = 0; i < 1000; i++) p.set(`user:${i}`, 'u');
    for (let i = 0; i < 2000; i++) p.set(`other:${i}`, 'o');
    // A prefix with glob metacharacters and keys an unescaped `a*:*` would also match.
    for (let i = 0; i < 30; i++) p.set(`a*:${i}`, 'star').set(`ab:${i}`, 'decoy');
    for (let n = 0; n < MAX_OPEN_SCANS + 4; n++) for (let i = 0; i < PAGE + 10; i++) p.set(`ns${n}:${i}`, 'x');
    // A tag too big for one page: 1,100 existing members and 150 dangling ones.
    const members: string[] = [];
    for (let i = 0; i < 1100; i++) members.push(`user:${i % 1000}`, `other:${i}`);
    for (let i = 0; i < 150; i++) members.push(`gone:${i}`);
    p.sadd('tag:big', ...members.slice(0, 1100), ...members.slice(-150));
    await p.exec();
    seed.disconnect();
    driver = await openDriver(redis.url);
  });

  after(async () => {
    await driver?.close();
    await redis?.stop();
  });

  it('pages a namespace through its own scan: only its keys, until its count is exact', async () => {
    const s = session(driver);
    assert.equal(await s.loadMore(), PAGE);
    const before = counts(s);
    // Whichever namespaces the first page touched, `user:` gets its own scan from a lookup.
    await s.lookup(Buffer.from('user:0'));
    const user = s.model.findNamespace(Buffer.from('user:'))!;
    const startCount = user.count;
    let pages = 0;
    while (!user.scanned) {
      const added = await s.loadMore(user);
      assert.ok(added <= PAGE, `a page adds at most ${PAGE} keys, not ${added}`);
      pages++;
      assert.ok(pages < 100, 'the namespace scan ends');
    }
    assert.equal(user.count, 1000);
    assert.ok(pages >= Math.ceil((1000 - startCount) / PAGE), `${pages} pages of at most ${PAGE}`);
    assert.equal(s.model.describeNamespace(user), '1,000 keys', 'no "+" once the namespace is fully scanned');
    assert.equal(s.model.children(user).some((n) => n.kind === 'loadMore'), false);
    for (const [label, n] of counts(s)) {
      if (label !== 'user:') assert.equal(n, before.get(label), `${label} did not grow while paging user:`);
    }
    assert.equal(s.model.complete, false, 'the connection-wide scan is untouched');
    assert.equal(s.model.children().at(-1)?.kind, 'loadMore');
    s.dispose();
  });

  it('escapes glob metacharacters in the prefix', async () => {
    const s = session(driver);
    await s.lookup(Buffer.from('a*:0'));
    const star = s.model.findNamespace(Buffer.from('a*:'))!;
    while (!star.scanned) await s.loadMore(star);
    assert.equal(star.count, 30);
    assert.equal(s.model.findNamespace(Buffer.from('ab:')), undefined, 'no ab: key was loaded by the a*: scan');
    s.dispose();
  });

  it('keeps the connection filter inside a namespace', async () => {
    const s = session(driver);
    await s.refresh({ match: '*:1?' });
    await s.lookup(Buffer.from('user:10'));
    const user = s.model.findNamespace(Buffer.from('user:'))!;
    while (!user.scanned) await s.loadMore(user);
    const names = s.model.keysUnder(user).map((k) => k.label).sort();
    assert.equal(names.length, 10);
    assert.ok(names.every((k) => /^user:1\d$/.test(k)), names.join(' '));
    s.dispose();
  });

  it(`keeps at most ${MAX_OPEN_SCANS} namespace scans open, and a closed one resumes without double counting`, async () => {
    const s = session(driver);
    const spaces: NamespaceNode[] = [];
    for (let n = 0; n < MAX_OPEN_SCANS + 4; n++) {
      await s.lookup(Buffer.from(`ns${n}:0`));
      const ns = s.model.findNamespace(Buffer.from(`ns${n}:`))!;
      assert.equal(await s.loadMore(ns), PAGE);
      spaces.push(ns);
      assert.ok(s.openScans <= MAX_OPEN_SCANS + 1, `${s.openScans} scans open`);
    }
    // ns0's scan was closed to make room; asking again starts over and adds only what is missing.
    const first = spaces[0];
    assert.equal(first.count, PAGE + 1);
    let added = 0;
    while (!first.scanned) added += await s.loadMore(first);
    assert.equal(added, 9);
    assert.equal(first.count, PAGE + 10);
    assert.equal(s.model.describeNamespace(first), `${PAGE + 10} keys`);
    s.dispose();
  });

  it('pages a big tag\'s members with its own cursor, each member once, dangling ones marked', async () => {
    const s = session(driver);
    await s.loadTags();
    const tag = s.model.tagList!.find((t) => t.name === 'big')!;
    assert.equal(tag.members, 1250);
    await s.loadTagMembers(tag);
    const firstPage = tag.loaded!.length;
    assert.ok(firstPage > 0 && firstPage < 1250, `first page ${firstPage}`);
    assert.notEqual(tag.cursor, null);
    assert.equal(s.model.children(tag).at(-1)?.kind, 'loadMore');
    let guard = 0;
    while (tag.cursor !== null && guard++ < 100) await s.loadMoreTagMembers(tag);
    const loaded = tag.loaded as KeyNode[];
    assert.equal(loaded.length, 1250);
    assert.equal(new Set(loaded.map((k) => k.label)).size, 1250);
    assert.equal(loaded.filter((k) => k.dangling).length, 150);
    assert.ok(loaded.filter((k) => k.dangling).every((k) => k.label.startsWith('gone:')));
    assert.equal(s.model.children(tag).some((n) => n.kind === 'loadMore'), false);
    s.dispose();
  });
});
