import * as assert from 'node:assert/strict';
import { parseDumpLine, dumpRefusal } from '../../../src/core/driver/memcached/metadump';
import { parseCachedumpLine } from '../../../src/core/driver/memcached/cachedump';
import { isTextSafe, metaKey, uriDecode } from '../../../src/core/driver/memcached/keycodec';
import { ttlFromMetaDebug, statsToRecord } from '../../../src/core/driver/memcached/driver';
import { memjsServerIndex } from '../../../src/core/driver/memcached/placement';
import { CacheLensError } from '../../../src/core/errors';
// memjs's own hash, to check that new keys land where memjs clients look for them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const memjsUtils = require('memjs/lib/memjs/utils') as { hashCode(s: string): number };

describe('memcached protocol parsing', () => {
  it('parses metadump lines tolerantly: any field order, unknown fields, URI-encoded keys', () => {
    const line = Buffer.from('key=user%3A1%20x exp=1795701967 la=1795701867 cas=1 fetch=yes cls=1 size=68');
    assert.deepEqual(parseDumpLine(line, 0, line.length), { key: Buffer.from('user:1 x'), exp: 1795701967, size: 68 });
    const reordered = Buffer.from('size=9 newfield=zz exp=-1 key=%FF%00bin');
    assert.deepEqual(parseDumpLine(reordered, 0, reordered.length), { key: Buffer.from([0xff, 0x00, 0x62, 0x69, 0x6e]), exp: -1, size: 9 });
    const nokey = Buffer.from('exp=1 size=2');
    assert.equal(parseDumpLine(nokey, 0, nokey.length), null);
    // A literal "%2520" in a dump is the key "%20".
    const pct = Buffer.from('key=a%2520b exp=-1');
    assert.equal(parseDumpLine(pct, 0, pct.length)?.key.toString(), 'a%20b');
  });

  it('decodes percent escapes and leaves malformed ones literal', () => {
    const b = Buffer.from('a%zzb%4');
    assert.equal(uriDecode(b, 0, b.length).toString(), 'a%zzb%4');
  });

  it('maps every crawler refusal to a clear error', () => {
    const where = '127.0.0.1:11211';
    const expect: Array<[string, string]> = [
      ['BUSY currently processing crawler request', 'server'], ['BADCLASS invalid class id', 'server'],
      ['CLIENT_ERROR lru crawler disabled', 'unsupported'], ['ERROR metadump not allowed', 'unsupported'],
      ['ERROR locked try again later', 'server'], ['ERROR cannot pipeline other commands before metadump', 'server'],
    ];
    for (const [line, reason] of expect) {
      const e = dumpRefusal(line, where);
      assert.ok(e instanceof CacheLensError && e.reason === reason && e.message.includes(where), line);
    }
    assert.equal(dumpRefusal('key=x exp=-1', where), null);
  });

  it('parses stats cachedump lines (fallback listing)', () => {
    assert.deepEqual(parseCachedumpLine('ITEM a%20b [1 b; 0 s]', 1000), { key: Buffer.from('a%20b'), size: 1, exp: -1 });
    assert.deepEqual(parseCachedumpLine('ITEM k [5 b; 2000 s]', 1000), { key: Buffer.from('k'), size: 5, exp: 2000 });
    assert.equal(parseCachedumpLine('ITEM k [5 b; 900 s]', 1000)?.exp, -1, 'old servers print their start time for no expiry');
    assert.equal(parseCachedumpLine('STAT x', 0), null);
  });

  it('reads `me` expiry as (now - expiry), -1 being none', () => {
    assert.equal(ttlFromMetaDebug(-1), -1);
    assert.equal(ttlFromMetaDebug(-98), 98_000);
    assert.equal(ttlFromMetaDebug(0), 0);
  });

  it('sends keys with spaces or control bytes in base64 meta mode, others as text', () => {
    assert.equal(isTextSafe(Buffer.from('user:1')), true);
    assert.equal(isTextSafe(Buffer.from([0x80, 0xff])), true);
    assert.deepEqual(metaKey(Buffer.from('a b')), { token: Buffer.from('a b').toString('base64'), base64: true });
    assert.deepEqual(metaKey(Buffer.from([0x0a])), { token: 'Cg==', base64: true });
    assert.equal(isTextSafe(Buffer.alloc(251, 0x61)), false);
  });

  it('parses stats replies', () => {
    assert.deepEqual(statsToRecord(['STAT pid 1', 'STAT version 1.6.18', 'junk']), { pid: '1', version: '1.6.18' });
  });

  it('places new keys in a pool exactly as memjs does', () => {
    for (const key of ['user:1', 'session:abcdef', 'caf\u00e9', 'x'.repeat(200), 'k42']) {
      for (const n of [2, 3, 5]) assert.equal(memjsServerIndex(Buffer.from(key), n), memjsUtils.hashCode(key) % n, `${key} / ${n}`);
    }
  });
});
