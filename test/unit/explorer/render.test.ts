import * as assert from 'node:assert/strict';
import { hexDump, renderCollection, renderString, storedBytes } from '../../../src/extension/values/render';
import { formatBytes, formatTtl, parseTtl } from '../../../src/extension/explorer/format';

describe('value rendering', () => {
  it('shows plain UTF-8 text as is and editable', () => {
    const r = renderString(Buffer.from('héllo\nworld'), 12);
    assert.equal(r.presentation, 'text');
    assert.equal(r.text, 'héllo\nworld');
    assert.equal(r.editable, true);
    assert.deepEqual(storedBytes(r.text, r.presentation), Buffer.from('héllo\nworld'));
  });

  it('pretty-prints compact JSON and compacts it back to the exact stored bytes', () => {
    const stored = '{"id":7,"tags":["a","b"],"nested":{"x":null}}';
    const r = renderString(Buffer.from(stored), stored.length);
    assert.equal(r.presentation, 'json');
    assert.equal(r.language, 'json');
    assert.ok(r.text.includes('\n  "id": 7'));
    assert.equal(storedBytes(r.text, r.presentation).toString(), stored);
    const edited = r.text.replace('7', '8');
    assert.equal(storedBytes(edited, r.presentation).toString(), stored.replace('7', '8'));
  });

  it('leaves JSON as typed when re-serializing would change it (big numbers, spacing)', () => {
    for (const stored of ['{"n": 1}', '{"big":12345678901234567890}', '{"a":1.0}']) {
      const r = renderString(Buffer.from(stored), stored.length);
      assert.equal(r.presentation, 'text', stored);
      assert.equal(r.text, stored);
    }
  });

  it('keeps invalid JSON typed into a JSON document instead of losing it', () => {
    assert.equal(storedBytes('{oops', 'json').toString(), '{oops');
  });

  it('shows binary as a read-only hex dump', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x41, 0x80]);
    const r = renderString(bytes, 4);
    assert.equal(r.presentation, 'hex');
    assert.equal(r.editable, false);
    assert.equal(r.text, '00000000  ff 00 41 80' + ' '.repeat(47 - 11) + '  |..A.|\n');
    assert.equal(hexDump(Buffer.alloc(0)), '');
  });

  it('marks a truncated string read-only and does not mistake a split character for binary', () => {
    const full = Buffer.from('aé'.repeat(10));
    const cut = full.subarray(0, 4); // 'a', 'é', 'a', half of 'é'
    const r = renderString(cut, full.length);
    assert.equal(r.presentation, 'text');
    assert.equal(r.complete, false);
    assert.equal(r.editable, false);
    assert.equal(r.text, 'aéa');
    assert.match(r.note ?? '', /first 4 of 30 bytes/);
  });

  it('renders collections as JSON with their length and how much is shown', () => {
    const hash = renderCollection({ type: 'hash', total: 3, pages: [
      { type: 'hash', entries: [[Buffer.from('f1'), Buffer.from('v1')], [Buffer.from([0xff]), Buffer.from('v2')]], total: 3, cursor: '17' },
    ] }, false);
    const doc = JSON.parse(hash.text);
    assert.deepEqual(doc, { type: 'hash', length: 3, shown: 2, value: { f1: 'v1', '\\xff': 'v2' } });
    assert.equal(hash.editable, false);
    assert.match(hash.note ?? '', /2 of 3 elements/);

    const zset = JSON.parse(renderCollection({ type: 'zset', total: 2, pages: [
      { type: 'zset', entries: [[Buffer.from('m'), 1.5], [Buffer.from('n'), Infinity]], total: 2, offset: 0 },
    ] }, true).text);
    assert.deepEqual(zset.value, [{ member: 'm', score: 1.5 }, { member: 'n', score: 'Infinity' }]);

    const stream = JSON.parse(renderCollection({ type: 'stream', total: 1, pages: [
      { type: 'stream', entries: [{ id: '1-0', fields: [[Buffer.from('k'), Buffer.from('v')]] }], total: 1, lastId: '1-0' },
    ] }, true).text);
    assert.deepEqual(stream.value, [{ id: '1-0', fields: { k: 'v' } }]);

    const set = JSON.parse(renderCollection({ type: 'set', total: 2, pages: [
      { type: 'set', members: [Buffer.from('a')], total: 2, cursor: '5' },
      { type: 'set', members: [Buffer.from('a'), Buffer.from('b')], total: 2, cursor: null },
    ] }, true).text);
    assert.deepEqual(set.value, ['a', 'b'], 'SSCAN repeats are dropped');
  });
});

describe('explorer formatting', () => {
  it('formats TTLs and sizes compactly', () => {
    assert.equal(formatTtl(-1), 'no TTL');
    assert.equal(formatTtl(0), 'expired');
    assert.equal(formatTtl(1), '1s');
    assert.equal(formatTtl(3_723_000), '1h 02m');
    assert.equal(formatTtl(2 * 86_400_000 + 3_600_000), '2d 01h');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(-1), '?');
  });

  it('parses TTLs people type', () => {
    assert.equal(parseTtl('90'), 90_000);
    assert.equal(parseTtl('15m'), 900_000);
    assert.equal(parseTtl('2h'), 7_200_000);
    assert.equal(parseTtl('none'), -1);
    assert.equal(parseTtl('soon'), undefined);
    assert.equal(parseTtl('0'), undefined);
  });
});
