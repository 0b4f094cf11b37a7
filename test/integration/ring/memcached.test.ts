import * as assert from 'node:assert/strict';
import * as memjs from 'memjs';
import { runCli } from '../../../src/cli/main';
import { startMemcached, type MemcachedServer } from '../../harness/servers';
import { captureIO } from '../../helpers/io';
import { getAlgorithm } from '../../../src/core/ring/registry';

async function cli(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('ring: a real memcached pool written by memjs', function () {
  this.timeout(60000);
  let a: MemcachedServer, b: MemcachedServer;
  let url: string;
  const keys = Array.from({ length: 2000 }, (_, i) => `session:${i}:${'é'.repeat(i % 3)}`);

  before(async () => {
    [a, b] = await Promise.all([startMemcached(), startMemcached()]);
    url = `memcached://127.0.0.1:${a.port},127.0.0.1:${b.port}`;
    const client = memjs.Client.create(`127.0.0.1:${a.port},127.0.0.1:${b.port}`, { logger: { log() { /* quiet */ } } });
    try {
      for (let i = 0; i < keys.length; i += 100) await Promise.all(keys.slice(i, i + 100).map((k) => client.set(k, 'v', {})));
    } finally {
      client.close();
    }
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const items = async (s: MemcachedServer) => Number(/STAT curr_items (\d+)/.exec(await s.command('stats\r\n', /END\r\n$/))?.[1]);

  it('modulo: every key memjs wrote is where memjs placement says, server by server', async () => {
    const res = await cli('ring', '--url', url, '--algo', 'modulo', '--json');
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out);
    assert.equal(r.misplaced, 0);
    assert.equal(r.total, keys.length);
    assert.deepEqual(r.nodes.map((n: { keys: number }) => n.keys), [await items(a), await items(b)]);
    assert.deepEqual(r.servers.map((s: { expected: number }) => s.expected), r.nodes.map((n: { keys: number }) => n.keys));
  });

  it('ketama: a libmemcached client would look for about half of them on the other server', async () => {
    const r = JSON.parse((await cli('ring', '--url', url, '--algo', 'ketama', '--json')).out);
    const p = getAlgorithm('ketama').build([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].map((id) => ({ id, weight: 1 })));
    const m = getAlgorithm('modulo').build([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].map((id) => ({ id, weight: 1 })));
    const disagree = keys.filter((k) => p.locate(k) !== m.locate(k)).length;
    assert.equal(r.misplaced, disagree);
    assert.ok(r.misplacedFraction > 0.3 && r.misplacedFraction < 0.7, String(r.misplacedFraction));
  });

  it('a key stored on the wrong server is reported with where it is and where it belongs', async () => {
    const m = getAlgorithm('modulo').build([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].map((id) => ({ id, weight: 1 })));
    const key = Array.from({ length: 100 }, (_, i) => `stray:${i}`).find((k) => m.locate(k) === 0) as string;
    assert.match(await b.command(`set ${key} 0 0 1\r\nx\r\n`, /\r\n$/), /STORED/);
    const r = JSON.parse((await cli('ring', '--url', url, '--algo', 'modulo', '--json')).out);
    assert.equal(r.misplaced, 1);
    assert.deepEqual(r.examples, [{ key, on: `127.0.0.1:${b.port}`, expected: `127.0.0.1:${a.port}` }]);
    const text = await cli('ring', '--url', url, '--algo', 'modulo');
    assert.match(text.out, new RegExp(`${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: on 127\\.0\\.0\\.1:${b.port}, expected on 127\\.0\\.0\\.1:${a.port}`));
  });
});
