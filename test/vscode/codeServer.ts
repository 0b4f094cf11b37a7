/**
 * Starts code-server (installed by scripts/install-code-server.sh) on a free loopback port with
 * its own HOME, XDG dirs and user-data dir, and stops it by killing its process group. Used by
 * the VS Code test runner and by the `npm start` demo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../harness/ports';

/** The repository, found from here (out/ or a bundle inside it) or else from the working dir. */
export const repoRoot = findRepoRoot(__dirname) ?? findRepoRoot(process.cwd()) ?? process.cwd();

function findRepoRoot(from: string): string | undefined {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'scripts', 'build.mjs'))) {
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return dir;
}

export const codeServerEntry = path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  workspace: string;
  /** Merged into the user settings.json. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host it starts. */
  env?: NodeJS.ProcessEnv;
  /** Where the server's own output goes; default: a file in its temp dir. */
  onOutput?: (line: string) => void;
  /** Fixed port, else a free one. */
  port?: number;
  /** Keep the temp dir after stop (for debugging). */
  keepDir?: boolean;
  startTimeoutMs?: number;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  /** The workbench's remoteAuthority, needed for vscode-remote:// URIs in the payload. */
  readonly authority: string;
  readonly dir: string;
  readonly userSettingsPath: string;
  readonly logFile: string;
  readonly pid: number;
  /** A workbench URL for the folder with a development payload (see docs/vscode.md). */
  workbenchUrl(payload?: [string, string][]): string;
  /** Turns an absolute path on this machine into a URI the workbench resolves on the server. */
  remoteUri(absPath: string): string;
  stop(): Promise<void>;
}


export function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** Kills a whole process group (code-server, its extension host, its file watcher). */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

function groupAlive(pid: number): boolean {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(codeServerEntry)) {
    throw new Error(`code-server is not installed (${codeServerEntry}); run: bash scripts/install-code-server.sh`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-code-server-'));
  const home = path.join(dir, 'home');
  const userDir = path.join(dir, 'user');
  const userSettingsPath = path.join(userDir, 'User', 'settings.json');
  for (const d of [home, path.join(dir, 'config'), path.join(dir, 'data'), path.join(dir, 'cache'), path.join(dir, 'tmp'), path.join(dir, 'ext'), path.dirname(userSettingsPath)]) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.writeFileSync(userSettingsPath, JSON.stringify({
    // Otherwise the Welcome page steals focus from what the tests open.
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    ...options.settings,
  }, null, 2));

  const port = options.port ?? await freePort();
  const logFile = path.join(dir, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    TMPDIR: path.join(dir, 'tmp'),
    // code-server reads a password from these if set; we run without auth on loopback only.
    PASSWORD: undefined,
    HASHED_PASSWORD: undefined,
  };
  // detached puts the server in its own session and process group (setsid), so stop() can kill
  // the group: killing only the server's pid leaves the extension host and watcher running.
  const child: ChildProcess = spawn(process.execPath, [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDir,
    '--extensions-dir', path.join(dir, 'ext'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override',
    options.workspace,
  ], { detached: true, stdio: ['ignore', log, log], env, cwd: dir });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server could not be spawned');

  let tail = 0;
  const forward = options.onOutput ? setInterval(() => {
    const text = fs.readFileSync(logFile, 'utf8');
    for (const line of text.slice(tail).split('\n').filter(Boolean)) options.onOutput?.(line);
    tail = text.length;
  }, 500) : undefined;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (forward) clearInterval(forward);
    killGroup(pid, 'SIGTERM');
    for (let i = 0; i < 40 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
    if (!options.keepDir) fs.rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const out = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      await stop();
      throw new Error(`code-server exited during startup (${child.exitCode ?? child.signalCode}):\n${out}`);
    }
    try {
      if ((await httpGet(`${url}/healthz`, 1000)).status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const out = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      await stop();
      throw new Error(`code-server did not answer /healthz within ${options.startTimeoutMs ?? 30_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  // The workbench page carries its configuration, remoteAuthority included, in data-settings.
  const page = await httpGet(`${url}/?folder=${encodeURIComponent(options.workspace)}`, 5000);
  const m = /data-settings="([^"]*)"/.exec(page.body);
  const settings = m ? JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as { remoteAuthority?: string } : {};
  const authority = settings.remoteAuthority ?? 'remote';

  const remoteUri = (abs: string) => `vscode-remote://${authority}${abs}`;
  return {
    url, port, authority, dir, userSettingsPath, logFile, pid, remoteUri, stop,
    workbenchUrl(payload) {
      const q = new URLSearchParams({ folder: options.workspace });
      if (payload) q.set('payload', JSON.stringify(payload));
      return `${url}/?${q.toString()}`;
    },
  };
}
