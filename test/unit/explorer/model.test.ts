import * as assert from 'node:assert/strict';
import type { KeyInfo } from '../../../src/core/driver/types';
import { KeyspaceModel, remainingTtl, type ExplorerNode, type KeyNode, type NamespaceNode } from '../../../src/extension/explorer/model';
import { displayKey } from '../../../src/core/keyname';

function info(key: string | Buffer, extra: Partial<KeyInfo> = {}): KeyInfo {
  return { key: typeof key === 'string' ? Buffer.from(key) : key, type: 'string', ttlMs: -1, bytes: 56, ...extra };
}

function labels(nodes: ExplorerNode[]): string[] {
  return nodes.map((n) => ('label' in n ? n.label : n.kind));
}

function model(delimiter = ':'): KeyspaceModel {
  return new KeyspaceModel({ connectionId: 'c1', delimiter, displayKey });
}

describe('explorer model', () => {
  it('groups keys into nested namespaces by the delimiter, with subtree counts', () => {
    const m = model();
    m.addKeys(['user:1:profile', 'user:1:cart', 'user:2:profile', 'session:abc', 'plain'].map((k) => info(k)), 0);
    m.complete = true;
    const top = m.children();
    assert.deepEqual(labels(top), ['session:', 'user:', 'plain']);
    const user = top[1] as NamespaceNode;
    assert.equal(user.count, 3);
    assert.equal(m.describeNamespace(user), '3 keys');
    const userKids = m.children(user);
    assert.deepEqual(labels(userKids), ['1:', '2:']);
    assert.equal((userKids[0] as NamespaceNode).count, 2);
    assert.deepEqual(labels(m.children(userKids[0])), ['user:1:cart', 'user:1:profile']);
    assert.equal(m.parentOf(userKids[0]), user);
    assert.equal(m.parentOf(user), undefined);
    assert.equal(m.loadedCount, 5);
  });

  it('marks counts as partial and offers "Load more" under every level until the scan is complete', () => {
    const m = model();
    m.addKeys([info('a:1'), info('a:2')], 0);
    const top = m.children();
    assert.equal(top.at(-1)?.kind, 'loadMore');
    const a = top[0] as NamespaceNode;
    assert.equal(m.describeNamespace(a), '2+ keys');
    const inner = m.children(a).at(-1)!;
    assert.equal(inner.kind, 'loadMore');
    assert.notEqual(inner.id, top.at(-1)!.id, 'each load-more node needs its own id');
    m.complete = true;
    assert.equal(m.children().some((n) => n.kind === 'loadMore'), false);
  });

  it('keeps node objects stable across calls and updates a re-read key in place', () => {
    const m = model();
    m.addKeys([info('a:1', { ttlMs: 5000 })], 0);
    const first = m.children(m.children()[0])[0] as KeyNode;
    m.addKeys([info('a:1', { ttlMs: 9000, type: 'hash' })], 100);
    const again = m.children(m.children()[0])[0] as KeyNode;
    assert.equal(again, first);
    assert.equal(again.type, 'hash');
    assert.equal(m.loadedCount, 1);
  });

  it('orders numerically so key 10 follows key 9', () => {
    const m = model();
    m.addKeys(['k:10', 'k:9', 'k:100'].map((k) => info(k)), 0);
    m.complete = true;
    assert.deepEqual(labels(m.children(m.children()[0])), ['k:9', 'k:10', 'k:100']);
  });

  it('keeps binary keys byte-exact and shows them escaped', () => {
    const m = model();
    const raw = Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0xfe, 0x00, 0x41]);
    const similar = Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0xfd, 0x00, 0x41]);
    m.addKeys([info(raw), info(similar)], 0);
    m.complete = true;
    const keys = m.children(m.children()[0]) as KeyNode[];
    assert.equal(keys.length, 2, 'two keys differing in one invalid byte stay distinct');
    const node = keys.find((k) => k.key.equals(raw))!;
    assert.ok(node.label.startsWith('bin:'), node.label);
    assert.ok(!node.label.includes('\uFFFD'), 'no replacement characters');
    assert.match(node.label, /\\xff\\xfe/);
    assert.equal(m.findKey(raw), node);
    m.removeKeys([raw]);
    assert.equal(m.findKey(raw), undefined);
    assert.ok(m.findKey(similar));
  });

  it('removes deleted keys and prunes namespaces that become empty', () => {
    const m = model();
    m.addKeys(['x:a:1', 'x:b:1', 'y'].map((k) => info(k)), 0);
    m.removeKeys([Buffer.from('x:a:1')]);
    const x = m.children()[0] as NamespaceNode;
    assert.equal(x.count, 1);
    assert.deepEqual(labels(m.children(x)).filter((l) => l !== 'loadMore'), ['b:']);
    m.removeKeys([Buffer.from('x:b:1')]);
    assert.deepEqual(labels(m.children()).filter((l) => l !== 'loadMore'), ['y']);
    assert.equal(m.findNamespace(Buffer.from('x:')), undefined);
  });

  it('supports a multi-byte delimiter and no delimiter at all', () => {
    const m = model('::');
    m.addKeys([info('a::b::c'), info('a:b')], 0);
    m.complete = true;
    assert.deepEqual(labels(m.children()), ['a::', 'a:b']);
    const flat = model('');
    flat.addKeys([info('a:b'), info('c')], 0);
    flat.complete = true;
    assert.deepEqual(labels(flat.children()), ['a:b', 'c']);
  });

  it('describes keys with type, a TTL that counts down, and size', () => {
    const m = model();
    m.addKeys([info('t:1', { type: 'hash', ttlMs: 90_000, bytes: 2048 })], 1_000);
    const key = m.findKey(Buffer.from('t:1'))!;
    assert.equal(m.describeKey(key, 1_000), 'hash · 1m 30s · 2.0 KB');
    assert.equal(m.describeKey(key, 31_000), 'hash · 1m 00s · 2.0 KB');
    assert.equal(m.describeKey(key, 200_000), 'hash · expired · 2.0 KB');
    assert.equal(remainingTtl({ ttlMs: -1, readAt: 0 }, 1e9), -1);
  });

  it('shows analyze figures on namespaces once analyzed', () => {
    const m = model();
    m.addKeys([info('user:1'), info('user:2')], 0);
    m.addKeys([info('one:1')], 0);
    m.setAnalysis([{ prefix: Buffer.from('user:'), keys: 12345, bytes: 3 * 1024 * 1024 }]);
    const user = m.findNamespace(Buffer.from('user:'))!;
    assert.equal(m.describeNamespace(user), '12,345 keys · 3.0 MB');
    m.complete = true;
    assert.equal(m.describeNamespace(m.findNamespace(Buffer.from('one:'))!), '1 key');
  });

  it('shows lookups, messages and tags at the top, tag members with dangling ones marked', () => {
    const m = model();
    m.tagsEnabled = true;
    m.addKeys([info('user:1')], 0);
    const looked = m.addLookup(info('user:1'), 0);
    m.addKeys([info('user:1', { ttlMs: 5000 })], 10);
    assert.equal(looked.ttlMs, 5000, 'a re-read key updates its lookup row too');
    m.setMessages([{ text: 'listing is partial', severity: 'warning' }]);
    m.setTags([{ name: 'b', setKey: Buffer.from('tag:b'), members: 2 }, { name: 'a', setKey: Buffer.from('tag:a'), members: 1 }]);
    const top = m.children();
    assert.deepEqual(top.map((n) => n.kind), ['message', 'key', 'tags', 'namespace', 'loadMore']);
    const ids = new Set(top.map((n) => n.id));
    assert.equal(ids.size, top.length);
    const tags = m.children(top[2]);
    assert.deepEqual(tags.map((t) => (t.kind === 'tag' ? t.name : '')), ['a', 'b']);
    const b = tags[1];
    assert.equal(b.kind, 'tag');
    if (b.kind !== 'tag') return;
    m.setTagMembers(b, [{ info: info('user:1'), exists: true }, { info: info('gone:1', { type: 'none' }), exists: false }], 0);
    const members = m.children(b) as KeyNode[];
    assert.equal(members.length, 2);
    assert.equal(members[1].dangling, true);
    assert.match(m.describeKey(members[1], 0), /dangling/);
    assert.equal(m.parentOf(b), top[2]);
    m.removeKeys([Buffer.from('user:1')]);
    assert.equal(members[0].dangling, true, 'a deleted member becomes dangling');
  });

  it('reset forgets everything and keeps or replaces the filter', () => {
    const m = model();
    m.addKeys([info('a:1')], 0);
    m.complete = true;
    m.setAnalysis([{ prefix: Buffer.from('a:'), keys: 9, bytes: 900 }]);
    m.reset({ match: 'a:*', type: 'hash' });
    m.addKeys([info('a:1')], 0);
    assert.equal(m.describeNamespace(m.findNamespace(Buffer.from('a:'))!), '1+ keys', 'stale analyze figures are dropped');
    m.reset();
    assert.equal(m.loadedCount, 0);
    assert.equal(m.complete, false);
    assert.deepEqual(m.filter, { match: 'a:*', type: 'hash' });
    assert.deepEqual(m.children().map((n) => n.kind), ['loadMore']);
  });

  it('lists every key under a namespace for purge previews', () => {
    const m = model();
    m.addKeys(['n:1', 'n:2:x', 'o:1'].map((k) => info(k)), 0);
    const n = m.findNamespace(Buffer.from('n:'))!;
    assert.deepEqual(m.keysUnder(n).map((k) => k.label).sort(), ['n:1', 'n:2:x']);
    assert.equal(m.keysUnder().length, 3);
  });
});
