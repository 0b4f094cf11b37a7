import * as assert from 'node:assert/strict';
import { startRedis, startRedisCluster, startSentinel, startMemcached, rawCommand } from '../../harness/servers';

// The harness itself: every kind of server the other integration tests rely on really starts,
// answers, and is gone after stop().
describe('test harness: real servers', () => {
  it('starts and stops a standalone redis-server with a password', async () => {
    const r = await startRedis({ password: 's3cret' });
    try {
      assert.match(await r.cli('ping'), /PONG/);
      assert.match(r.url, /^redis:\/\/:s3cret@127\.0\.0\.1:\d+$/);
    } finally { await r.stop(); }
    await assert.rejects(rawCommand(r.port, 'PING\r\n', { timeoutMs: 500 }));
  });

  it('starts a TLS redis-server that answers only over TLS', async () => {
    const r = await startRedis({ tls: true });
    try {
      assert.match(await r.cli('ping'), /PONG/);
      assert.ok(r.url.startsWith('rediss://'));
    } finally { await r.stop(); }
  });

  it('forms a 3-master cluster with every slot assigned', async () => {
    const c = await startRedisCluster(3);
    try {
      const info = await c.nodes[0].cli('cluster', 'info');
      assert.match(info, /cluster_slots_assigned:16384/);
      assert.match(info, /cluster_known_nodes:3/);
    } finally { await c.stop(); }
  });

  it('starts a sentinel that knows the master', async () => {
    const s = await startSentinel();
    try {
      const r = await rawCommand(s.sentinelPort, `SENTINEL GET-MASTER-ADDR-BY-NAME ${s.masterName}\r\n`, { until: /\r\n.*\r\n.*\r\n.*\r\n$/ });
      assert.ok(r.includes(String(s.master.port)));
    } finally { await s.stop(); }
  });

  it('starts memcached plain, TLS and SASL', async () => {
    const plain = await startMemcached();
    const secure = await startMemcached({ tls: true });
    const sasl = await startMemcached({ sasl: { user: 'app', password: 'pw' } });
    try {
      assert.match(await plain.command('version'), /^VERSION 1\./);
      assert.match(await secure.command('version'), /^VERSION 1\./);
      // A SASL server refuses the text protocol.
      const refused = await rawCommand(sasl.port, 'version\r\n', { timeoutMs: 1000 }).catch((e: Error) => e.message);
      assert.doesNotMatch(refused, /^VERSION/);
      assert.match(sasl.url, /^memcached:\/\/app:pw@127\.0\.0\.1:\d+$/);
    } finally { await Promise.all([plain.stop(), secure.stop(), sasl.stop()]); }
  });
});

describe('test harness: ACL users', () => {
  it('starts redis-server with an extra ACL user who can log in', async () => {
    const r = await startRedis({ users: [{ name: 'app', password: 'app-pw' }] });
    try {
      const reply = await rawCommand(r.port, 'AUTH app app-pw\r\nPING\r\n', { until: /PONG\r\n$/ });
      assert.match(reply, /^\+OK\r\n\+PONG\r\n$/);
    } finally { await r.stop(); }
  });
});
