/**
 * The demo's own redis-server and memcached: foreground children on free loopback ports, in a
 * temp dir, stopped by pid. (The test harness has richer versions; the demo needs only these.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort } from '../../test/harness/ports';

export interface DemoServer { name: string; host: string; port: number; pid: number; url: string; stop(): Promise<void> }


function which(bin: string): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    if (fs.existsSync(path.join(dir, bin))) return path.join(dir, bin);
  }
  throw new Error(`${bin} is not installed (apt-get install ${bin === 'memcached' ? 'memcached' : 'redis-server'})`);
}

async function waitForPort(child: ChildProcess, port: number, name: string, log: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-10).join('\n') : '';
  throw new Error(`${name} did not start on port ${port}\n${tail}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
}

export async function startRedis(dir: string, port?: number): Promise<DemoServer> {
  const p = port ?? await freePort();
  const log = path.join(dir, 'redis.log');
  const out = fs.openSync(log, 'a');
  const child = spawn(which('redis-server'), ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  await waitForPort(child, p, 'redis-server', log);
  return { name: 'redis', host: '127.0.0.1', port: p, pid: child.pid ?? 0, url: `redis://127.0.0.1:${p}`, stop: stopper(child) };
}

export async function startMemcached(dir: string, port?: number): Promise<DemoServer> {
  const p = port ?? await freePort();
  const log = path.join(dir, 'memcached.log');
  const out = fs.openSync(log, 'a');
  // As root memcached refuses to start without a user to drop to.
  const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const child = spawn(which('memcached'), [...user, '-l', '127.0.0.1', '-p', String(p), '-U', '0', '-m', '64'], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  await waitForPort(child, p, 'memcached', log);
  return { name: 'memcached', host: '127.0.0.1', port: p, pid: child.pid ?? 0, url: `memcached://127.0.0.1:${p}`, stop: stopper(child) };
}
