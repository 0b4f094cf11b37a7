/**
 * `npm start`: a local redis-server and memcached with seeded data and live traffic, and the
 * extension in a real VS Code (desktop `code` when installed, otherwise code-server on a loopback
 * URL). Ctrl-C stops everything it started. scripts/start.sh installs and builds first, then
 * runs this (bundled by esbuild).
 *
 *   --no-editor   servers and traffic only (for the CLI, and for testing this script)
 *   --no-traffic  no background reads and writes
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startCodeServer, repoRoot, codeServerEntry, type CodeServer } from '../../test/vscode/codeServer';
import { MemcachedText } from './memcachedText';
import { seedMemcached, seedRedis } from './seed';
import { startMemcached, startRedis, type DemoServer } from './servers';
import { startTraffic, type Traffic } from './traffic';

const args = new Set(process.argv.slice(2));
const say = (line: string) => process.stdout.write(`${line}\n`);

function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-demo-'));
  fs.chmodSync(dir, 0o755); // memcached drops to `nobody`
  const servers: DemoServer[] = [];
  let redis: Redis | undefined;
  let mc: MemcachedText | undefined;
  let traffic: Traffic | undefined;
  let codeServer: CodeServer | undefined;
  let desktop: ChildProcess | undefined;

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping the demo…');
    traffic?.stop();
    redis?.disconnect();
    mc?.close();
    await codeServer?.stop().catch(() => undefined);
    if (desktop?.pid && desktop.exitCode === null) {
      try { process.kill(-desktop.pid, 'SIGTERM'); } catch { /* already closed */ }
    }
    for (const s of servers) await s.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    servers.push(await startRedis(dir));
    servers.push(await startMemcached(dir));
    const [r, m] = servers;
    redis = new Redis({ host: r.host, port: r.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    mc = await MemcachedText.connect(m.host, m.port);
    const seeded = await seedRedis(redis);
    const mcKeys = await seedMemcached(mc);
    if (!args.has('--no-traffic')) traffic = startTraffic(redis, mc);

    say('');
    say('CacheLens demo');
    say(`  Redis      ${r.url}   (${seeded.keys} keys: user:, session:, product:, cart:, ${seeded.tags.join(', ')}, ${seeded.binaryKeys} binary keys)`);
    say(`  Memcached  ${m.url}   (${mcKeys} keys: product:, user:, session:, page:)`);
    say(`  Traffic    ${traffic ? 'about 30 reads/s with ~20% misses, a new session every 2 s' : 'off'}`);
    say('');
    say('  Try the CLI in another terminal:');
    say(`    export CACHELENS_URL=${r.url}`);
    say(`    node dist/cli.js keys --match 'user:*' --limit 5`);
    say(`    node dist/cli.js analyze`);
    say(`    node dist/cli.js tags`);
    say('');

    const connections = [
      { id: 'demo-redis', name: 'Demo Redis', url: r.url, readOnly: false },
      { id: 'demo-memcached', name: 'Demo Memcached', url: m.url, readOnly: false },
    ];
    // The connections go into the workspace settings; there are no passwords to keep out of them.
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'cachelens.connections': connections }, null, 2));
    fs.writeFileSync(path.join(workspace, 'README.md'), `# CacheLens demo\n\nRedis: ${r.url}\nMemcached: ${m.url}\n\nOpen the CacheLens view in the activity bar.\n`);

    say(`DEMO_READY ${JSON.stringify({ redis: r.url, memcached: m.url, dir, redisPid: r.pid, memcachedPid: m.pid })}`);

    if (args.has('--no-editor')) {
      say('Servers and traffic are running. Ctrl-C stops them.');
      return;
    }
    const code = which('code');
    if (code && !process.env.CACHELENS_DEMO_CODE_SERVER) {
      const userDir = path.join(dir, 'vscode-user');
      fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
      fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }));
      desktop = spawn(code, ['--wait', '--new-window', `--user-data-dir=${userDir}`, `--extensions-dir=${path.join(dir, 'vscode-ext')}`,
        `--extensionDevelopmentPath=${repoRoot}`, workspace], { detached: true, stdio: 'ignore' });
      say(`Opened VS Code (${code}) with the extension. Ctrl-C here stops the servers; close the window yourself.`);
      desktop.on('exit', () => say('VS Code closed; the servers keep running until Ctrl-C.'));
      return;
    }
    if (!fs.existsSync(codeServerEntry)) {
      say('No desktop `code` found: installing code-server (once, about a minute)…');
      const res = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
      if (res.status !== 0) throw new Error('installing code-server failed; the servers are up: use --no-editor and the CLI');
    }
    codeServer = await startCodeServer({
      workspace,
      port: process.env.CACHELENS_DEMO_PORT ? Number(process.env.CACHELENS_DEMO_PORT) : undefined,
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    });
    const url = codeServer.workbenchUrl([['extensionDevelopmentPath', codeServer.remoteUri(repoRoot)], ['skipWelcome', 'true']]);
    say('VS Code (code-server) with the extension is running. Open in a browser on this machine:');
    say(`  ${url}`);
    say('Ctrl-C stops everything.');
  } catch (e) {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    await stop(1);
  }
}

void main();
