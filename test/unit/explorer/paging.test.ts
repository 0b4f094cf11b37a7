import * as assert from 'node:assert/strict';
import type { KeyInfo } from '../../../src/core/driver/types';
import { displayKey } from '../../../src/core/keyname';
import { KeyspaceModel, type KeyNode, type LoadMoreNode, type TagNode } from '../../../src/extension/explorer/model';
import { scopeScan } from '../../../src/extension/explorer/scope';

function info(key: string | Buffer, extra: Partial<KeyInfo> = {}): KeyInfo {
  return { key: typeof key === 'string' ? Buffer.from(key) : key, type: 'string', ttlMs: -1, bytes: 56, ...extra };
}

function model(): KeyspaceModel {
  return new KeyspaceModel({ connectionId: 'c1', delimiter: ':', displayKey });
}

describe('explorer paging: namespaces and tags page on their own', () => {
  it('gives each namespace its own "Load more…" until its own scan is complete', () => {
    const m = model();
    assert.equal(m.addKeys([info('user:1:a'), info('user:2:a'), info('order:1')], 0), 3);
    assert.equal(m.addKeys([info('user:1:a')], 0), 0, 'a key already loaded is not counted again');
    const user = m.findNamespace(Buffer.from('user:'))!;
    const inner = m.findNamespace(Buffer.from('user:1:'))!;
    const more = m.children(user).at(-1) as LoadMoreNode;
    assert.equal(more.kind, 'loadMore');
    assert.equal(more.under, user, 'the node says which namespace it continues');
    assert.equal(m.parentOf(more), user);
    assert.equal(m.describeNamespace(user), '2+ keys');

    user.scanned = true;
    assert.equal(m.isComplete(user), true);
    assert.equal(m.isComplete(inner), true, 'a namespace inside a fully scanned one is complete too');
    assert.equal(m.describeNamespace(user), '2 keys', 'the count is exact');
    assert.equal(m.describeNamespace(inner), '1 key');
    assert.equal(m.children(user).some((n) => n.kind === 'loadMore'), false);
    assert.equal(m.children(inner).some((n) => n.kind === 'loadMore'), false);
    const order = m.findNamespace(Buffer.from('order:'))!;
    assert.equal(m.isComplete(order), false, 'other namespaces still page');
    assert.equal(m.children().at(-1)?.kind, 'loadMore', 'the top level still pages the connection-wide scan');
  });

  it('pages tag members: "Load more…" while the cursor has more, duplicates across pages shown once', () => {
    const m = model();
    m.tagsEnabled = true;
    m.setTags([{ name: 'big', setKey: Buffer.from('tag:big'), members: 4 }]);
    const tag = m.tagList![0] as TagNode;
    assert.deepEqual(m.children(tag), [], 'nothing before the first page');
    m.setTagMembers(tag, [{ info: info('k:1'), exists: true }, { info: info('k:2'), exists: false }], 0, '17');
    let kids = m.children(tag);
    assert.deepEqual(kids.map((n) => n.kind), ['key', 'key', 'loadMore']);
    const more = kids[2] as LoadMoreNode;
    assert.equal(more.tag, tag);
    assert.equal(m.parentOf(more), tag);
    assert.notEqual(more.id, m.children().at(-1)?.id);
    // SSCAN may repeat k:2 on a later page; by then it exists again.
    assert.equal(m.addTagMembers(tag, [{ info: info('k:2'), exists: true }, { info: info('k:3'), exists: true }], 0, null), 1);
    kids = m.children(tag);
    assert.deepEqual(kids.map((n) => (n as KeyNode).label), ['k:1', 'k:2', 'k:3']);
    assert.equal((kids[1] as KeyNode).dangling, undefined);
    assert.equal(new Set(kids.map((n) => n.id)).size, 3);
  });
});

describe('explorer paging: the scan of a namespace', () => {
  it('is a MATCH on the prefix with glob metacharacters escaped', () => {
    assert.deepEqual(scopeScan(Buffer.from('user:'), {}), { match: 'user:*', type: undefined, keep: undefined });
    const odd = scopeScan(Buffer.from('a*[b]?\\:'), { type: 'hash' });
    assert.equal(odd.match, 'a\\*\\[b\\]\\?\\\\:*');
    assert.equal(odd.type, 'hash');
  });

  it('is the filter alone for the connection', () => {
    assert.deepEqual(scopeScan(undefined, { match: 'x*', type: 'set' }), { match: 'x*', type: 'set' });
  });

  it('checks a filter glob on the client when the prefix takes the MATCH', () => {
    const s = scopeScan(Buffer.from('user:'), { match: '*:1*' });
    assert.equal(s.match, 'user:*');
    assert.ok(s.keep);
    assert.equal(s.keep(Buffer.from('user:12')), true);
    assert.equal(s.keep(Buffer.from('user:2')), false);
  });

  it('compares a prefix that is not UTF-8 byte by byte', () => {
    const prefix = Buffer.from([0x62, 0xff, 0x3a]);
    const s = scopeScan(prefix, { match: 'b*' });
    assert.equal(s.match, 'b*', 'the filter still narrows on the server');
    assert.ok(s.keep);
    assert.equal(s.keep(Buffer.from([0x62, 0xff, 0x3a, 0x31])), true);
    assert.equal(s.keep(Buffer.from([0x62, 0xfe, 0x3a, 0x31])), false, 'one byte off is another namespace');
    assert.equal(s.keep(Buffer.from([0x62, 0xff])), false);
  });
});
