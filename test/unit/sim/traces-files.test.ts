import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheLensError } from '../../../src/core/errors';
import { U64KeyIndex } from '../../../src/core/sim/traces/keyIndex';
import { detectFormat, openTrace } from '../../../src/core/sim/traces/open';
import { encodeOracleGeneral } from '../../../src/core/sim/traces/oracleGeneral';
import { prepareTrace } from '../../../src/core/sim/traces/prepare';
import { SyntheticTrace } from '../../../src/core/sim/traces/synthetic';
import type { TraceSource } from '../../../src/core/sim/traces/types';

function collect(source: TraceSource, chunkSize?: number, next = false) {
  const out = { ids: [] as number[], sizes: [] as number[], times: [] as number[], expiresAt: [] as number[], next: [] as number[] };
  for (const c of source.chunks(chunkSize, { next })) {
    for (const v of c.ids) out.ids.push(v);
    if (c.sizes) for (const v of c.sizes) out.sizes.push(v);
    if (c.times) for (const v of c.times) out.times.push(v);
    if (c.expiresAt) for (const v of c.expiresAt) out.expiresAt.push(v);
    if (c.next) for (const v of c.next) out.next.push(v);
  }
  return out;
}

/** Next-access indices worked out the slow, obvious way. */
function bruteNext(ids: number[]): number[] {
  return ids.map((id, i) => { const j = ids.indexOf(id, i + 1); return j === -1 ? Infinity : j; });
}

const inputError = (pattern: RegExp) => (e: unknown) => CacheLensError.is(e, 'input') && pattern.test(e.message);

describe('sim traces: files', () => {
  let dir: string;
  const write = (name: string, content: string | Buffer) => { const p = path.join(dir, name); fs.writeFileSync(p, content); return p; };
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-sim-files-')); });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  describe('lines', () => {
    it('maps keys to dense ids in first-seen order, skipping blank lines and CRs', () => {
      const f = write('keys.txt', 'user:1\r\nuser:2\n\nuser:1\nsession:9\nuser:2');
      const t = openTrace({ file: f, format: 'lines' });
      assert.deepEqual(collect(t).ids, [0, 1, 0, 2, 1]);
      assert.equal(t.idSpace(), 3);
      assert.equal(t.label(2), 'session:9');
      // A second pass gives the same ids.
      assert.deepEqual(collect(t, 2).ids, [0, 1, 0, 2, 1]);
    });

    it('keeps keys that differ only in non-UTF-8 bytes apart', () => {
      const f = write('binkeys.txt', Buffer.concat([Buffer.from([0xff, 0x41, 0x0a]), Buffer.from([0xfe, 0x41, 0x0a]), Buffer.from([0xff, 0x41, 0x0a])]));
      const src = openTrace({ file: f, format: 'lines' });
      assert.deepEqual(collect(src).ids, [0, 1, 0]);
      assert.equal(src.label(0), '\\xffA');
    });

    it('shows UTF-8 keys as text', () => {
      const f = write('utf8.txt', 'café\n日本\ncafé\n');
      const src = openTrace({ file: f });
      assert.deepEqual(collect(src).ids, [0, 1, 0]);
      assert.deepEqual([src.label(0), src.label(1)], ['café', '日本']);
    });

    it('streams a file larger than one read block without splitting lines', () => {
      const keys = Array.from({ length: 300_000 }, (_, i) => `key:${i % 70_000}:${'x'.repeat(i % 13)}`);
      const f = write('big.txt', keys.join('\n') + '\n');
      assert.ok(fs.statSync(f).size > 4 << 20);
      const t = openTrace({ file: f });
      const ids = collect(t, 65536).ids;
      assert.equal(ids.length, keys.length);
      const first = new Map<string, number>();
      keys.forEach((k, i) => { if (!first.has(k)) first.set(k, first.size); assert.equal(ids[i], first.get(k)); });
    });

    it('names a missing file in a clear input error', () => {
      assert.throws(() => collect(openTrace({ file: path.join(dir, 'nope.txt'), format: 'lines' })), inputError(/cannot open trace file .*nope\.txt: ENOENT/));
    });
  });

  describe('csv', () => {
    it('reads time,key,size,ttl without a header', () => {
      const f = write('plain.csv', '1,a,100,0\n2,b,200,10\n3,a,100,5\n');
      const t = collect(openTrace({ file: f, format: 'csv' }));
      assert.deepEqual(t.ids, [0, 1, 0]);
      assert.deepEqual(t.sizes, [100, 200, 100]);
      assert.deepEqual(t.times, [1, 2, 3]);
      assert.deepEqual(t.expiresAt, [Infinity, 12, 8]);
    });

    it('detects a header and honours its column order', () => {
      const f = write('header.csv', 'obj_size,key,timestamp\n64,x,10\n32,y,11\n64,x,12\n');
      const src = openTrace({ file: f, format: 'csv' });
      const t = collect(src);
      assert.deepEqual(t.ids, [0, 1, 0]);
      assert.deepEqual(t.sizes, [64, 32, 64]);
      assert.deepEqual(t.times, [10, 11, 12]);
      assert.equal(t.expiresAt.length, 0);
      assert.equal(src.descriptor.params.header, true);
    });

    it('reads quoted keys with commas and doubled quotes', () => {
      const f = write('quoted.csv', 'time,key,size\n1,"a,b",10\n2,"say ""hi""",20\n3,"a,b",10\n4,plain,5\n');
      const src = openTrace({ file: f });
      assert.deepEqual(collect(src).ids, [0, 1, 0, 2]);
      assert.equal(src.label(0), 'a,b');
      assert.equal(src.label(1), 'say "hi"');
    });

    it('names the line of a bad record', () => {
      const cases: Array<[string, RegExp]> = [
        ['1,a,10\n2,b,ten\n', /line 2: size "ten" is not a whole number/],
        ['time,key,size\n1,a,10\n\nx,b,3\n', /line 4: time "x" is not a number/],
        ['1,a,10\n2,b\n', /line 2: expected time,key,size\[,ttl\], got 2 fields/],
        ['1,"a,10\n', /line 1: unterminated quoted field/],
        ['1,a,10,soon\n', /line 1: ttl "soon" is not a number/],
      ];
      cases.forEach(([text, re], i) => {
        const f = write(`bad${i}.csv`, text);
        assert.throws(() => collect(openTrace({ file: f, format: 'csv' })), inputError(re), text);
      });
    });
  });

  describe('oracleGeneral', () => {
    const records = [
      { time: 1, id: 0xfedcba9876543210n, size: 100, next: 3 },
      { time: 2, id: 5, size: 7, next: -1 },
      { time: 3, id: 0xfedcba9876543210n, size: 100, next: 4 },
      { time: 4, id: 0xfedcba9876543210n, size: 100, next: -1 },
      { time: 5, id: 5n + (1n << 32n), size: 9, next: -1 },
    ];

    it('reads 64-bit ids, sizes, times and 1-based next-access vtimes', () => {
      const f = write('t.oracleGeneral', encodeOracleGeneral(records));
      const src = openTrace({ file: f });
      assert.equal(src.descriptor.kind, 'oracleGeneral');
      const t = collect(src, 2, true);
      assert.deepEqual(t.ids, [0, 1, 0, 0, 2]);
      assert.deepEqual(t.sizes, [100, 7, 100, 100, 9]);
      assert.deepEqual(t.times, [1, 2, 3, 4, 5]);
      assert.deepEqual(t.next, [2, Infinity, 3, Infinity, Infinity]);
      assert.deepEqual(t.next, bruteNext(t.ids));
      assert.equal(src.label(0), String(0xfedcba9876543210n));
    });

    it('reports a truncated file with the byte offset of the cut record', () => {
      const f = write('cut.bin', encodeOracleGeneral(records).subarray(0, 24 * 2 + 10));
      assert.throws(() => collect(openTrace({ file: f, format: 'oracleGeneral' })), inputError(/58 bytes .* byte offset 48 is cut short/));
    });

    it('reports a next access that points backwards with its byte offset', () => {
      const f = write('back.bin', encodeOracleGeneral([{ time: 1, id: 1, size: 1, next: -1 }, { time: 2, id: 1, size: 1, next: 1 }]));
      assert.throws(() => collect(openTrace({ file: f, format: 'oracleGeneral' }), undefined, true), inputError(/byte offset 24 says the next access is request 1/));
    });
  });

  it('detects the format of each kind of file', () => {
    assert.equal(detectFormat(write('d1', 'user:1\nuser:2\n')), 'lines');
    assert.equal(detectFormat(write('d2', '1,user:1,10\n2,user:2,20\n')), 'csv');
    assert.equal(detectFormat(write('d3', 'time,key,size,ttl\n1,a,1,0\n')), 'csv');
    assert.equal(detectFormat(write('d4', '1,"a,b",10\n')), 'csv');
    assert.equal(detectFormat(write('d5', encodeOracleGeneral(records5()))), 'oracleGeneral');
    assert.throws(() => detectFormat(write('d6', Buffer.from([0, 1, 2]))), inputError(/looks binary/));
  });

  it('the 64-bit key index keeps ids exact through many resizes', () => {
    const index = new U64KeyIndex(4);
    for (let i = 0; i < 50_000; i++) assert.equal(index.id(i * 7919, i & 3), i);
    for (let i = 0; i < 50_000; i += 997) assert.equal(index.id(i * 7919, i & 3), i);
    assert.equal(index.size, 50_000);
  });

  describe('prepareTrace', () => {
    it('summarizes the trace and keeps it in memory with correct next-access indices', async () => {
      const f = write('p.csv', '1,a,10\n2,b,20\n3,a,10\n4,c,30\n5,b,20\n6,a,10\n');
      const p = await prepareTrace(openTrace({ file: f }), { needNext: true, chunkSize: 4 });
      assert.equal(p.info.materialized, true);
      assert.deepEqual([p.info.requests, p.info.objects, p.info.objectBytes, p.info.requestBytes, p.info.idSpace, p.info.hasSizes, p.info.hasTtls],
        [6, 3, 60, 100, 3, true, false]);
      const ids = [...p.chunks()].flatMap((c) => [...c.ids]);
      const next = [...p.chunks()].flatMap((c) => [...(c.next as Float64Array)]);
      assert.deepEqual(next, bruteNext(ids));
      p.dispose();
    });

    it('streams a trace over the limit and computes next-access indices through a spill file', async () => {
      const spec = 'zipf:alpha=0.9,objects=300,requests=5000,seed=9';
      const kept = await prepareTrace(new SyntheticTrace(spec), { needNext: true, chunkSize: 1000 });
      const streamed = await prepareTrace(new SyntheticTrace(spec), { needNext: true, chunkSize: 1000, materializeLimit: 1500 });
      assert.equal(kept.info.materialized, true);
      assert.equal(streamed.info.materialized, false);
      assert.ok(streamed.nextFile && fs.existsSync(streamed.nextFile));
      const flat = (p: typeof kept) => [...p.chunks()].flatMap((c) => [...c.ids].map((id, i) => [id, (c.next as Float64Array)[i]]));
      const a = flat(kept);
      assert.deepEqual(flat(streamed), a);
      assert.deepEqual(a.map((x) => x[1]), bruteNext(a.map((x) => x[0])));
      assert.deepEqual({ ...streamed.info, materialized: true }, kept.info);
      const spill = streamed.nextFile as string;
      streamed.dispose();
      assert.equal(fs.existsSync(spill), false);
    });

    it('uses the next-access column of an oracleGeneral file when streaming', async () => {
      const ids = [3, 1, 3, 2, 1, 3, 3, 9];
      const next = bruteNext(ids);
      const f = write('n.bin', encodeOracleGeneral(ids.map((id, i) => ({ time: i, id, size: 1, next: Number.isFinite(next[i]) ? next[i] + 1 : -1 }))));
      const p = await prepareTrace(openTrace({ file: f }), { needNext: true, materializeLimit: 2, chunkSize: 3 });
      assert.equal(p.info.materialized, false);
      assert.equal(p.nextFile, null);
      assert.deepEqual([...p.chunks()].flatMap((c) => [...(c.next as Float64Array)]), next);
    });

    it('stops with a cancelled error when the signal fires', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(prepareTrace(new SyntheticTrace('uniform:requests=10'), { signal: controller.signal }), (e: unknown) => CacheLensError.is(e, 'cancelled'));
    });
  });
});

function records5() {
  return [1, 2, 3, 4, 5].map((i) => ({ time: i, id: i, size: 10, next: -1 }));
}
