/**
 * The `npm start` demo without an editor: it seeds both servers, keeps traffic flowing, writes
 * the connections without passwords, and Ctrl-C stops every process it started.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import Redis from 'ioredis';
import { MemcachedText } from '../../../scripts/demo/memcachedText';
import { PRODUCTS, USERS } from '../../../scripts/demo/seed';

const root = path.resolve(__dirname, '..', '..', '..', '..');

interface Ready { redis: string; memcached: string; dir: string; redisPid: number; memcachedPid: number }

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('npm start demo (--no-editor)', function () {
  this.timeout(60_000);
  let bundle: string;
  let demo: ChildProcess;
  let ready: Ready;
  let redis: Redis;
  let mc: MemcachedText;
  let output = '';

  before(async () => {
    bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-demo-test-')), 'demo.js');
    await esbuild.build({ entryPoints: [path.join(root, 'scripts', 'demo', 'main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: bundle, logLevel: 'warning' });
    demo = spawn(process.execPath, [bundle, '--no-editor'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
    ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no DEMO_READY within 20 s:\n${output}`)), 20_000);
      demo.stdout?.on('data', (c: Buffer) => {
        output += c.toString();
        const m = /DEMO_READY (\{.*\})/.exec(output);
        if (m) { clearTimeout(timer); resolve(JSON.parse(m[1]) as Ready); }
      });
      demo.on('exit', (code) => { clearTimeout(timer); reject(new Error(`demo exited ${code}:\n${output}`)); });
    });
    const port = Number(new URL(ready.redis).port);
    redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
    mc = await MemcachedText.connect('127.0.0.1', Number(new URL(ready.memcached.replace('memcached:', 'http:')).port));
  });

  after(() => {
    redis?.disconnect();
    mc?.close();
    if (demo && demo.exitCode === null && demo.pid) process.kill(demo.pid, 'SIGKILL');
    fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
  });

  it('serves both on loopback', () => {
    assert.match(ready.redis, /^redis:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.memcached, /^memcached:\/\/127\.0\.0\.1:\d+$/);
  });

  it('seeds every Redis type under the namespaces, with TTLs', async () => {
    assert.ok(await redis.dbsize() >= USERS * 2 + PRODUCTS * 3);
    const types = await Promise.all(['user:1', 'user:1:profile', 'cart:1', 'product:top', 'config:admins', 'stream:orders'].map((k) => redis.type(k)));
    assert.deepEqual(types, ['hash', 'string', 'list', 'zset', 'set', 'stream']);
    const sessions = await redis.keys('session:*');
    assert.ok(sessions.length >= 60);
    for (const s of sessions.slice(0, 10)) assert.ok(await redis.ttl(s) > 0, `${s} expires`);
    assert.equal(await redis.ttl('config:feature-flags'), -1, 'some keys never expire');
  });

  it('seeds tag sets, one with a dangling member', async () => {
    assert.deepEqual((await redis.keys('tag:*')).sort(), ['tag:catalog', 'tag:homepage', 'tag:sale', 'tag:user-7']);
    const sale = await redis.smembers('tag:sale');
    assert.ok(sale.includes('product:999'));
    assert.equal(await redis.exists('product:999'), 0);
  });

  it('seeds keys that are not valid UTF-8, with their exact bytes', async () => {
    const key = Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0xfe, 0x01]);
    assert.deepEqual(await redis.getBuffer(key), Buffer.from([0, 1, 2, 3, 255]));
  });

  it('seeds memcached', async () => {
    const stats = await mc.stats();
    assert.ok(Number(stats.curr_items) >= 120, `curr_items ${stats.curr_items}`);
  });

  it('keeps hits and misses moving on both servers', async () => {
    const info = async () => Object.fromEntries((await redis.info('stats')).split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')));
    const [r0, m0] = [await info(), await mc.stats()];
    await new Promise((r) => setTimeout(r, 1500));
    const [r1, m1] = [await info(), await mc.stats()];
    assert.ok(Number(r1.keyspace_hits) > Number(r0.keyspace_hits), 'redis hits grow');
    assert.ok(Number(r1.keyspace_misses) > Number(r0.keyspace_misses), 'redis misses grow');
    assert.ok(Number(m1.get_hits) > Number(m0.get_hits), 'memcached hits grow');
    assert.ok(Number(m1.get_misses) > Number(m0.get_misses), 'memcached misses grow');
  });

  it('pre-defines both connections in settings, without passwords', () => {
    const settings = JSON.parse(fs.readFileSync(path.join(ready.dir, 'workspace', '.vscode', 'settings.json'), 'utf8')) as Record<string, { name: string; url: string }[]>;
    assert.deepEqual(settings['cachelens.connections'].map((c) => [c.name, c.url]), [['Demo Redis', ready.redis], ['Demo Memcached', ready.memcached]]);
    assert.doesNotMatch(JSON.stringify(settings), /password|@/i);
  });

  it('stops every process it started and removes its files on Ctrl-C', async () => {
    const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    demo.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.equal(alive(ready.redisPid), false, 'redis-server stopped');
    assert.equal(alive(ready.memcachedPid), false, 'memcached stopped');
    assert.equal(fs.existsSync(ready.dir), false, 'temp dir removed');
  });
});
