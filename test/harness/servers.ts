/**
 * Real servers for tests: redis-server (standalone, ACL, TLS, cluster, sentinel) and memcached
 * (plain, SASL, TLS), each on a free loopback port in its own temp dir, stopped by pid.
 * Every process started here is also killed when the test process exits, so a crashed run
 * leaves nothing behind.
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { freePort } from './ports';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

/** Re-exported: tests take every server helper from here. */
export { freePort };

const started = new Set<ChildProcess>();
function killAll(): void {
  for (const child of started) {
    try { if (child.pid) process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killAll);
// A test run stopped from outside (Ctrl-C, a CI timeout) must not leave servers behind either.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => { killAll(); process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)); });
}

export function requireBinary(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${name} is not installed: run \`npm test\` (it installs it as root) or \`apt-get install ${name === 'memcached' ? 'memcached' : name === 'saslpasswd2' ? 'sasl2-bin' : 'redis-server'}\``);
}


export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cachelens-${prefix}-`));
  // memcached runs as `nobody` and must reach its files.
  fs.chmodSync(dir, 0o755);
  return dir;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Sends one line over a fresh socket (TLS optional) and resolves with what came back. */
export function rawCommand(port: number, line: string, options: { tls?: tls.ConnectionOptions; timeoutMs?: number; until?: RegExp } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const onConnect = () => socket.write(line);
    const socket: net.Socket = options.tls
      ? tls.connect({ host: '127.0.0.1', port, ...options.tls }, onConnect)
      : net.connect({ host: '127.0.0.1', port }, onConnect);
    let data = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer on port ${port}`)); }, options.timeoutMs ?? 2000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      if ((options.until ?? /\r\n$/).test(data)) { clearTimeout(timer); socket.end(); resolve(data); }
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess | undefined, logFile: string | undefined, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) break;
    try { if (await check()) return; } catch { /* not yet */ }
    if (Date.now() > deadline) break;
    await sleep(50);
  }
  const log = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new Error(`${what} did not start${child && child.exitCode !== null ? ` (exit ${child.exitCode})` : ''}\n${log}`);
}

function launch(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string }): ChildProcess {
  const out = fs.openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', out, out], env: opts.env ?? process.env, cwd: opts.cwd });
  fs.closeSync(out);
  started.add(child);
  child.on('exit', () => started.delete(child));
  return child;
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// TLS material: one throwaway CA and a server certificate for localhost / 127.0.0.1 per process.

export interface TlsFiles { dir: string; ca: string; cert: string; key: string; clientCert: string; clientKey: string; otherCa: string }
let tlsFiles: TlsFiles | undefined;

export function tlsMaterial(): TlsFiles {
  if (tlsFiles) return tlsFiles;
  const dir = tempDir('tls');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=cachelens-test-ca');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=cachelens-client');
  run('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2');
  // A second, unrelated CA: a client trusting only this one must fail verification.
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-days', '2', '-subj', '/CN=unrelated-ca');
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  tlsFiles = {
    dir,
    ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key'),
    clientCert: path.join(dir, 'client.crt'), clientKey: path.join(dir, 'client.key'), otherCa: path.join(dir, 'other.crt'),
  };
  return tlsFiles;
}

// ---------------------------------------------------------------------------------------------
// Redis

export interface RedisOptions {
  /** `requirepass` for the default user. */
  password?: string;
  /** Extra ACL users: `ACL SETUSER name on >password ~* &* +@all` unless rules are given. */
  users?: Array<{ name: string; password: string; rules?: string }>;
  /** Serve TLS only (port 0 for plain), with tlsMaterial()'s certificates. */
  tls?: boolean;
  /** `--enable-debug-command local`, for DEBUG POPULATE in benchmarks. */
  debug?: boolean;
  /** Also listen on a unix socket in the temp dir. */
  unixSocket?: boolean;
  /** A port to reuse (for restart tests); a free one otherwise. */
  port?: number;
  args?: string[];
}

export interface RedisServer {
  host: string;
  port: number;
  /** `redis://` or `rediss://` URL with credentials of the default user, if any. */
  url: string;
  dir: string;
  socketPath?: string;
  tls?: TlsFiles;
  readonly pid: number | undefined;
  /** redis-cli against this server; resolves with its stdout. */
  cli(...args: string[]): Promise<string>;
  /** Stops gracefully (SIGTERM). */
  stop(): Promise<void>;
  /** Kills at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts again on the same port and dir after stop/kill. */
  restart(): Promise<void>;
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const bin = requireBinary('redis-server');
  const dir = tempDir('redis');
  const port = options.port ?? await freePort();
  const logFile = path.join(dir, 'log');
  const t = options.tls ? tlsMaterial() : undefined;
  const socketPath = options.unixSocket ? path.join(dir, 'redis.sock') : undefined;
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile];
  if (t) args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', t.cert, '--tls-key-file', t.key, '--tls-ca-cert-file', t.ca, '--tls-auth-clients', 'optional');
  else args.push('--port', String(port));
  if (options.password) args.push('--requirepass', options.password);
  if (options.debug) args.push('--enable-debug-command', 'local');
  if (socketPath) args.push('--unixsocket', socketPath, '--unixsocketperm', '700');
  for (const u of options.users ?? []) args.push('--user', u.name, 'on', `>${u.password}`, ...(u.rules ?? '~* &* +@all').split(' '));
  args.push(...(options.args ?? []));

  const cliBase = (): string[] => {
    const a = ['-h', '127.0.0.1', '-p', String(port)];
    if (t) a.push('--tls', '--cacert', t.ca);
    if (options.password) a.push('--no-auth-warning', '-a', options.password);
    return a;
  };
  const ping = async () => {
    const reply = await rawCommand(port, options.password ? `AUTH ${options.password}\r\nPING\r\n` : 'PING\r\n',
      { tls: t ? { ca: fs.readFileSync(t.ca), servername: 'localhost' } : undefined, until: /PONG\r\n$/ });
    return reply.includes('PONG');
  };
  let child: ChildProcess;
  const boot = async () => {
    child = launch(bin, args, { logFile });
    await waitFor(`redis-server on port ${port}`, ping, child, logFile);
  };
  await boot();
  const scheme = t ? 'rediss' : 'redis';
  const server: RedisServer = {
    host: '127.0.0.1', port, dir, socketPath, tls: t,
    url: `${scheme}://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    get pid() { return child.pid; },
    cli: (...cmd) => new Promise((resolve, reject) => {
      execFile('redis-cli', [...cliBase(), ...cmd], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`redis-cli ${cmd.join(' ')}: ${stderr || err.message}`)); else resolve(stdout);
      });
    }),
    stop: () => terminate(child),
    kill: () => terminate(child, 'SIGKILL'),
    restart: boot,
  };
  return server;
}

export interface RedisCluster {
  nodes: RedisServer[];
  /** `redis://127.0.0.1:<first port>`: a seed; clients discover the rest. */
  url: string;
  stop(): Promise<void>;
}

/** A real Redis Cluster of `masters` redis-server processes (no replicas), slots spread evenly. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  for (let i = 0; i < masters; i++) {
    nodes.push(await startRedis({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'] }));
  }
  try {
    await new Promise<void>((resolve, reject) => {
      execFile('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
        (err, _out, stderr) => (err ? reject(new Error(`cluster create failed: ${stderr || err.message}`)) : resolve()));
    });
    const deadline = Date.now() + 15000;
    for (const n of nodes) {
      for (;;) {
        const info = await n.cli('cluster', 'info');
        const slots = await n.cli('cluster', 'slots');
        if (info.includes('cluster_state:ok') && slots.trim() !== '') break;
        if (Date.now() > deadline) throw new Error(`cluster did not become ok: ${info}`);
        await sleep(100);
      }
    }
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
  return {
    nodes,
    url: `redis://127.0.0.1:${nodes[0].port}`,
    stop: async () => { await Promise.all(nodes.map((n) => n.stop())); },
  };
}

export interface Sentinel {
  master: RedisServer;
  masterName: string;
  sentinelPort: number;
  /** `redis+sentinel://127.0.0.1:<sentinel port>/<master name>` */
  url: string;
  stop(): Promise<void>;
}

export async function startSentinel(masterName = 'mymaster'): Promise<Sentinel> {
  const master = await startRedis();
  const dir = tempDir('sentinel');
  const port = await freePort();
  const conf = path.join(dir, 'sentinel.conf');
  const logFile = path.join(dir, 'log');
  fs.writeFileSync(conf, [
    `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
    `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`,
    `sentinel down-after-milliseconds ${masterName} 1000`, '',
  ].join('\n'));
  const child = launch(requireBinary('redis-server'), [conf, '--sentinel'], { logFile });
  await waitFor(`sentinel on port ${port}`, async () => {
    const r = await rawCommand(port, `SENTINEL GET-MASTER-ADDR-BY-NAME ${masterName}\r\n`, { until: /\r\n.*\r\n.*\r\n.*\r\n$|\$-1\r\n|\*-1\r\n/ });
    return r.includes(String(master.port));
  }, child, logFile);
  return {
    master, masterName, sentinelPort: port,
    url: `redis+sentinel://127.0.0.1:${port}/${masterName}`,
    stop: async () => { await terminate(child); await master.stop(); },
  };
}

// ---------------------------------------------------------------------------------------------
// Memcached

export interface MemcachedOptions {
  /** SASL PLAIN with this one user (the text protocol is then refused by the server). */
  sasl?: { user: string; password: string };
  /** TLS with tlsMaterial()'s certificates. */
  tls?: boolean;
  /** Memory in MB (default 64). */
  memoryMb?: number;
  port?: number;
  args?: string[];
}

export interface MemcachedServer {
  host: string;
  port: number;
  /** `memcached://127.0.0.1:P`, `memcacheds://...` with TLS, with `user:password@` for SASL. */
  url: string;
  dir: string;
  tls?: TlsFiles;
  readonly pid: number | undefined;
  /** One text-protocol command (not on SASL servers); resolves with the raw reply up to END/OK/etc. */
  command(line: string, until?: RegExp): Promise<string>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export async function startMemcached(options: MemcachedOptions = {}): Promise<MemcachedServer> {
  const bin = requireBinary('memcached');
  const dir = tempDir('memcached');
  const port = options.port ?? await freePort();
  const logFile = path.join(dir, 'log');
  const t = options.tls ? tlsMaterial() : undefined;
  const args = ['-u', 'nobody', '-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', String(options.memoryMb ?? 64)];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (t) args.push('-Z', '-o', `ssl_chain_cert=${t.cert},ssl_key=${t.key}`);
  if (options.sasl) {
    const saslDir = path.join(dir, 'sasl');
    fs.mkdirSync(saslDir, { mode: 0o755 });
    const db = path.join(saslDir, 'memcached-sasldb2');
    fs.writeFileSync(path.join(saslDir, 'memcached.conf'), `mech_list: plain\nsasldb_path: ${db}\n`);
    execFileSync(requireBinary('saslpasswd2'), ['-a', 'memcached', '-c', '-p', '-f', db, options.sasl.user], { input: options.sasl.password });
    fs.chmodSync(db, 0o644);
    env.SASL_CONF_PATH = saslDir;
    args.push('-S');
  }
  args.push(...(options.args ?? []));
  const tlsOpts = t ? { ca: fs.readFileSync(t.ca), servername: 'localhost' } : undefined;
  const ready = options.sasl
    ? () => new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    })
    : async () => (await rawCommand(port, 'version\r\n', { tls: tlsOpts })).startsWith('VERSION');
  let child: ChildProcess;
  const boot = async () => {
    child = launch(bin, args, { env, logFile });
    await waitFor(`memcached on port ${port}`, ready, child, logFile);
  };
  await boot();
  const cred = options.sasl ? `${encodeURIComponent(options.sasl.user)}:${encodeURIComponent(options.sasl.password)}@` : '';
  return {
    host: '127.0.0.1', port, dir, tls: t,
    url: `${t ? 'memcacheds' : 'memcached'}://${cred}127.0.0.1:${port}`,
    get pid() { return child.pid; },
    command: (line, until) => rawCommand(port, line.endsWith('\r\n') ? line : line + '\r\n', { tls: tlsOpts, until: until ?? /(VERSION [^\r]*|END|OK|STORED|NOT_STORED|EXISTS|NOT_FOUND|DELETED|TOUCHED|ERROR[^\r]*|HD|NF|NS|EN|EX)\r\n$/, timeoutMs: 10000 }),
    stop: () => terminate(child),
    kill: () => terminate(child, 'SIGKILL'),
    restart: boot,
  };
}
