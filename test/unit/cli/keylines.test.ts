import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { CliIO } from '../../../src/cli/io';
import { formatTtl, KeyLineWriter } from '../../../src/cli/keyLines';
import { PackedKeysBuilder } from '../../../src/core/driver/packed';
import { displayKey, keyJson } from '../../../src/core/keyname';

function capture(withBytes: boolean): { io: CliIO; text: () => string } {
  const parts: Buffer[] = [];
  const io: CliIO = {
    out: (t) => { parts.push(Buffer.from(t, 'utf8')); },
    err: () => undefined,
    errIsTTY: false, outIsTTY: false, env: {},
  };
  if (withBytes) io.outBytes = (b) => { parts.push(Buffer.from(b)); };
  return { io, text: () => Buffer.concat(parts).toString('utf8') };
}

const KEYS: Buffer[] = [
  Buffer.from('user:1'), Buffer.from('with "quotes"'), Buffer.from('back\\slash'), Buffer.from('tab\there'),
  Buffer.from('héllo ✓'), Buffer.from([0xff, 0xfe, 0x00, 0x41]), Buffer.alloc(0), Buffer.alloc(70_000, 0x6b),
  Buffer.from('line\nbreak'),
];

describe('cachelens keys rows rendered as bytes', () => {
  for (const json of [false, true]) {
    for (const withBytes of [true, false]) {
      it(`prints exactly what the string path prints (${json ? 'json' : 'text'}, ${withBytes ? 'byte' : 'string'} output)`, () => {
        const { io, text } = capture(withBytes);
        const w = new KeyLineWriter(io, json);
        const b = new PackedKeysBuilder(4);
        const rows: Array<[Buffer, string, number, number]> = [];
        // Enough rows to cross many 64 KB flushes.
        for (let r = 0; r < 3000; r++) {
          const key = KEYS[r % KEYS.length];
          const type = ['string', 'hash', 'zset'][r % 3];
          const ttl = [-1, 0, 999, 59_000, 3_600_000, 90_000_000, 900_000_000][r % 7];
          const bytes = [72, 0, -1, 123456789012][r % 4];
          rows.push([key, type, ttl, bytes]);
          if (type === 'string') {
            b.push(key, ttl, bytes);
            if (b.full) w.writePacked(b.take());
          } else {
            if (b.count) w.writePacked(b.take());
            w.row(key, 0, key.length, type, ttl, bytes);
          }
        }
        if (b.count) w.writePacked(b.take());
        w.flush();
        const want = rows.map(([key, type, ttl, bytes]) => (json
          ? JSON.stringify({ ...keyJson(key), type, ttl, bytes })
          : `${displayKey(key)}\t${type}\t${formatTtl(ttl)}\t${bytes}`) + '\n').join('');
        assert.equal(text(), want);
        assert.equal(w.rows, 3000);
      });
    }
  }

  it('stops a packed batch at the limit', () => {
    const { io, text } = capture(true);
    const w = new KeyLineWriter(io, false);
    const b = new PackedKeysBuilder(10);
    for (let i = 0; i < 10; i++) b.push(Buffer.from(`k${i}`), -1, i);
    assert.equal(w.writePacked(b.take(), 3), 3);
    w.flush();
    assert.equal(text(), 'k0\tstring\tno-ttl\t0\nk1\tstring\tno-ttl\t1\nk2\tstring\tno-ttl\t2\n');
  });
});

describe('cachelens start-up loads only what the command needs', () => {
  it('keys on Memcached, --help and --version never load ioredis, memjs, the simulator or the templates', () => {
    const main = path.join(__dirname, '../../../src/cli/main.js');
    const script = `
      const { runCli } = require(${JSON.stringify(main)});
      const io = { out() {}, err() {}, errIsTTY: false, outIsTTY: false, env: {} };
      (async () => {
        await runCli(['--help'], io);
        await runCli(['--version'], io);
        await runCli(['keys', '--help'], io);
        await runCli(['keys', '--url', 'memcached://127.0.0.1:1'], io);
        const loaded = Object.keys(require.cache);
        console.log(JSON.stringify(loaded.filter((f) => /node_modules[\\\\/](ioredis|memjs)[\\\\/]|[\\\\/]core[\\\\/](sim|snippets|ring)[\\\\/]/.test(f))));
        const all = loaded.some((f) => f.includes('memcached'));
        console.log(all);
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    const [unwanted, sawMemcached] = r.stdout.trim().split('\n');
    assert.deepEqual(JSON.parse(unwanted), []);
    assert.equal(sawMemcached, 'true', 'the memcached driver itself should have loaded');
  });
});
