/**
 * The code-server launcher the VS Code tests and the demo share: it starts on loopback with its
 * own dirs, reports the workbench's remote authority, fails clearly, and stops its whole group.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerEntry, httpGet, repoRoot, startCodeServer, type CodeServer } from '../../vscode/codeServer';

function groupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

describe('code-server launcher', function () {
  this.timeout(90_000);
  let workspace: string;
  let server: CodeServer;

  before(async function () {
    if (!fs.existsSync(codeServerEntry)) {
      // A fresh machine: install it once (about a minute), as `npm run test:vscode` would.
      this.timeout(300_000);
      const r = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
      assert.equal(r.status, 0, 'installing code-server failed');
    }
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-cs-ws-'));
    server = await startCodeServer({ workspace, settings: { 'editor.fontSize': 15 } });
  });

  after(async () => {
    await server?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('answers /healthz on 127.0.0.1 and serves the workbench for the folder', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await httpGet(`${server.url}/healthz`)).status, 200);
    const page = await httpGet(server.workbenchUrl());
    assert.equal(page.status, 200);
    assert.match(page.body, /data-settings=/);
  });

  it('reads the remote authority and builds payload URLs with it', () => {
    assert.ok(server.authority.length > 0);
    assert.equal(server.remoteUri('/x/y'), `vscode-remote://${server.authority}/x/y`);
    const url = new URL(server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri('/ext')]]));
    assert.equal(url.searchParams.get('folder'), workspace);
    assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? ''), [['extensionDevelopmentPath', `vscode-remote://${server.authority}/ext`]]);
  });

  it('keeps HOME and settings in its own temp dir', () => {
    assert.ok(server.dir.startsWith(os.tmpdir()));
    const settings = JSON.parse(fs.readFileSync(server.userSettingsPath, 'utf8')) as Record<string, unknown>;
    assert.equal(settings['workbench.startupEditor'], 'none');
    assert.equal(settings['editor.fontSize'], 15);
  });

  it('fails with the reason, not a hang, when its port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as net.AddressInfo;
    const started = Date.now();
    try {
      await assert.rejects(startCodeServer({ workspace, port, startTimeoutMs: 20_000 }), /code-server (exited during startup|did not answer)/);
      assert.ok(Date.now() - started < 25_000);
    } finally {
      blocker.close();
    }
  });

  it('stops its whole process group and removes its dir', async () => {
    const { pid, dir } = server;
    assert.equal(groupAlive(pid), true);
    await server.stop();
    assert.equal(groupAlive(pid), false, 'no process of the group is left');
    assert.equal(fs.existsSync(dir), false);
  });
});
