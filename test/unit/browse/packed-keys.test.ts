import * as assert from 'node:assert/strict';
import { appendDumpLine, expiryToTtl, parseDumpLine } from '../../../src/core/driver/memcached/metadump';
import { filterPacked, packedKey, PackedKeysBuilder, unpackKeys } from '../../../src/core/driver/packed';
import { globMatcher, globRangeMatcher } from '../../../src/core/glob';

/** Random metadump-like lines: usual layout, reordered, extra fields, escapes, odd spacing. */
function randomLines(n: number, seed = 7): string[] {
  let s = seed;
  const rnd = (k: number) => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s % k; };
  const keyChar = () => {
    const r = rnd(10);
    if (r < 6) return String.fromCharCode(0x61 + rnd(26));
    if (r < 8) return '%' + rnd(256).toString(16).toUpperCase().padStart(2, '0');
    return [':', '-', '_', '%zz', '%4', '.'][rnd(6)];
  };
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    let key = '';
    for (let j = 1 + rnd(20); j > 0; j--) key += keyChar();
    const exp = rnd(4) === 0 ? '-1' : String(1795700000 + rnd(100000));
    const size = String(rnd(4) === 0 ? 0 : rnd(1_000_000));
    switch (rnd(6)) {
      case 0: lines.push(`size=${size} exp=${exp} key=${key}`); break;
      case 1: lines.push(`key=${key} exp=${exp} la=1 cas=2 fetch=no cls=1 size=${size} flags=0`); break;
      case 2: lines.push(`key=${key} la=1 exp=${exp} size=${size}`); break;
      case 3: lines.push(`key=${key} exp=${exp}`); break;
      default: lines.push(`key=${key} exp=${exp} la=1795700000 cas=${i} fetch=yes cls=${1 + rnd(40)} size=${size}`);
    }
  }
  return lines;
}

describe('packed key batches (bulk listing without an object per key)', () => {
  it('appendDumpLine reads every line exactly as the tolerant parser does', () => {
    const lines = randomLines(5000);
    const b = new PackedKeysBuilder(lines.length, 64);
    for (const line of lines) {
      const buf = Buffer.from(line, 'latin1');
      assert.equal(appendDumpLine(b, buf, 0, buf.length), true, line);
    }
    const batch = b.take();
    assert.equal(batch.count, lines.length);
    lines.forEach((line, i) => {
      const buf = Buffer.from(line, 'latin1');
      const want = parseDumpLine(buf, 0, buf.length);
      assert.ok(want);
      assert.deepEqual([packedKey(batch, i), batch.ttlMs[i], batch.bytes[i]], [want.key, want.exp, want.size], line);
    });
  });

  it('grows its key slab without moving keys already in it, and never reuses a handed-over batch', () => {
    const b = new PackedKeysBuilder(3, 4);
    const long = Buffer.alloc(300, 0x78);
    b.push(Buffer.from('ab'), 1, 2);
    b.push(long, 3, 4);
    b.push(Buffer.from([0xff, 0x00]), -1, 5);
    const first = b.take();
    b.push(Buffer.from('zz'), 9, 9);
    assert.deepEqual(unpackKeys(first).map((k) => [k.key, k.ttlMs, k.bytes]), [[Buffer.from('ab'), 1, 2], [long, 3, 4], [Buffer.from([0xff, 0x00]), -1, 5]]);
    assert.equal(b.take().count, 1);
  });

  it('turns absolute expiry into remaining ms, leaving no-TTL alone and never going negative', () => {
    const b = new PackedKeysBuilder(3);
    b.push(Buffer.from('a'), -1, 1);
    b.push(Buffer.from('b'), 1000, 1);
    b.push(Buffer.from('c'), 990, 1);
    assert.deepEqual([...expiryToTtl(b.take(), 995.5).ttlMs], [-1, 4500, 0]);
  });

  it('filters a batch in place with the same answers as the Buffer matcher', () => {
    const keys = ['user:1', 'user:2x', 'session:1', 'user:', 'User:3', 'a\\b', 'usr'].map((k) => Buffer.from(k));
    keys.push(Buffer.from([0x75, 0x73, 0x65, 0x72, 0x3a, 0xff]));
    for (const glob of ['user:*', 'user:?', '*:1', '[su]*', 'a\\\\b', '*', 'nothing']) {
      const b = new PackedKeysBuilder(keys.length);
      keys.forEach((k, i) => b.push(k, i, 10 * i));
      const m = globRangeMatcher(glob);
      const kept = m === null ? b.take() : filterPacked(b.take(), m);
      const want = keys.map((k, i) => [k, i, 10 * i] as const).filter(([k]) => globMatcher(glob)(k));
      assert.deepEqual(unpackKeys(kept).map((k) => [k.key, k.ttlMs, k.bytes]), want, glob);
    }
  });
});
