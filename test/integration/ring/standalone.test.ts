import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { runCli } from '../../../src/cli/main';
import { getAlgorithm } from '../../../src/core/ring/registry';
import { startRedis, type RedisServer } from '../../harness/servers';
import { captureIO } from '../../helpers/io';

async function cli(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('ring: the live keys of a standalone Redis as the key set', function () {
  this.timeout(60000);
  let server: RedisServer;
  const keys = [...Array.from({ length: 1500 }, (_, i) => Buffer.from(`order:${i}`)), Buffer.from([0x00, 0xff, 0x7b, 0x7d])];

  before(async () => {
    server = await startRedis();
    const client = new Redis({ host: server.host, port: server.port });
    try {
      const pipe = client.pipeline();
      for (const k of keys) pipe.set(k, 'x');
      await pipe.exec();
    } finally {
      client.disconnect();
    }
  });

  after(async () => { await server?.stop(); });

  it('places every live key (binary ones too) exactly as the simulation of those keys does', async () => {
    const nodes = 'a:6379,b:6379,c:6379';
    const res = await cli('ring', '--url', server.url, '--algo', 'jump', '--nodes', nodes, '--add', 'd:6379', '--json');
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out);
    const p = getAlgorithm('jump').build(nodes.split(',').map((id) => ({ id, weight: 1 })));
    const want = [0, 0, 0];
    for (const k of keys) want[p.locate(k)]++;
    assert.deepEqual(r.nodes.map((n: { keys: number }) => n.keys), want);
    assert.equal(r.movedBetweenSurvivors, 0);
  });

  it('--sample takes that many keys; redis-slots without nodes needs a cluster', async () => {
    const r = JSON.parse((await cli('ring', '--url', server.url, '--algo', 'ketama', '--nodes', 'a,b', '--sample', '300', '--json')).out);
    assert.equal(r.total, 300);
    const notCluster = await cli('ring', '--url', server.url, '--algo', 'redis-slots');
    assert.equal(notCluster.code, 1);
    assert.match(notCluster.err, /not a Redis Cluster/);
  });
});
