/**
 * Live stats in a real VS Code against a real redis-server: exact interval counts through the
 * extension's sampler, the dashboard webview in the browser, and snapshots at every breakpoint
 * of a real Node program run under the real debugger (js-debug).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { startRedis, type RedisServer } from '../../harness/servers';
import { eventually, ui } from './ui';

interface SampleLike { hits: number; misses: number; hitRatio: number | null }
interface SnapshotLike { index: number; reason: string; hits: number; misses: number }
interface RecordLike { name: string; connection: string; snapshots: SnapshotLike[]; summary?: { hits: number; misses: number; stops: number }; active: boolean }

describe('live stats: sampler, dashboard, debug snapshots', function () {
  this.timeout(90_000);
  let redis: RedisServer;
  let app: Redis;
  let id: string;

  before(async () => {
    redis = await startRedis();
    app = new Redis(redis.port, '127.0.0.1');
    for (let i = 0; i < 20; i++) await app.set(`item:${i}`, String(i));
    id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'stats redis', url: redis.url });
    assert.ok(id);
    await vscode.workspace.getConfiguration('cachelens').update('debug.connection', 'stats redis', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('cachelens').update('debug.connection', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('cachelens.removeConnection', id, { confirm: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    app.disconnect();
    await redis.stop();
  });

  it('samples exact hits and misses for an interval', async () => {
    await vscode.commands.executeCommand('cachelens.stats.sampleNow', id);
    // Let a timer tick that may be in flight finish, then take a clean baseline.
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('cachelens.stats.stop', id);
    await vscode.commands.executeCommand('cachelens.stats.sampleNow', id);
    await vscode.commands.executeCommand('cachelens.stats.sampleNow', id);
    for (let i = 0; i < 9; i++) await app.get(`item:${i}`);
    for (let i = 0; i < 3; i++) await app.get(`nothing:${i}`);
    const s = await vscode.commands.executeCommand<SampleLike>('cachelens.stats.sampleNow', id);
    assert.ok(s, 'a sample came back');
    assert.equal(s.hits, 9);
    assert.equal(s.misses, 3);
    assert.equal(s.hitRatio, 0.75);
  });

  it('takes a snapshot at every breakpoint of a real debug session, and a summary at the end', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-debug-'));
    const program = path.join(dir, 'app.js');
    const ioredis = require.resolve('ioredis');
    fs.writeFileSync(program, [
      `const Redis = require(${JSON.stringify(ioredis)});`,
      '(async () => {',
      `  const r = new Redis(${redis.port}, '127.0.0.1');`,
      '  await r.ping();',
      '  debugger;',
      '  await r.get("item:1"); await r.get("item:2"); await r.get("absent:1");',
      '  debugger;',
      '  await r.get("item:3");',
      '  debugger;',
      '  r.disconnect();',
      '})();',
      '',
    ].join('\n'));
    const records = () => vscode.commands.executeCommand<RecordLike[]>('cachelens.stats.debugRecords');
    const before = (await records()).length;
    const started = await vscode.debug.startDebugging(undefined, { type: 'node', request: 'launch', name: 'cache app', program, console: 'internalConsole' });
    assert.ok(started, 'the debugger started');
    const current = async () => (await records()).length > before ? (await records())[0] : undefined;
    for (let stop = 1; stop <= 3; stop++) {
      await eventually(async () => ((await current())?.snapshots.length ?? 0) >= stop, `snapshot ${stop}`, 30_000);
      await vscode.commands.executeCommand('workbench.action.debug.continue');
    }
    const done = await eventually(async () => { const r = await current(); return r && !r.active && r.summary ? r : undefined; }, 'the session summary', 30_000);
    const stops = done.snapshots.filter((s) => s.reason === 'stopped');
    assert.equal(stops.length, 3, 'child sessions count once: one snapshot per stop');
    assert.deepEqual(stops.map((s) => [s.hits, s.misses]), [[0, 0], [2, 1], [1, 0]]);
    assert.equal(done.summary?.hits, 3);
    assert.equal(done.summary?.misses, 1);
    assert.equal(done.connection, 'stats redis');
  });

  it('draws the dashboard with the live ratio', async function () {
    await vscode.commands.executeCommand('cachelens.stats.start', id);
    const traffic = setInterval(() => { void app.get('item:1'); void app.get('item:2'); void app.get('nope'); }, 50);
    try {
      await vscode.commands.executeCommand('cachelens.stats.openDashboard', id);
      if (!ui.available) return;
      const title = 'CacheLens: Live Stats (stats redis)';
      const ratio = await eventually(() => ui.webviewEval<string>(title, 'document.getElementById("ratio").textContent'), 'the ratio', 20_000);
      await eventually(async () => /^\d+\.\d %$/.test(await ui.webviewEval<string>(title, 'document.getElementById("ratio").textContent')), `a percentage (was ${ratio})`, 20_000);
      const canvases = await ui.webviewEval<number>(title, 'document.querySelectorAll("canvas").length');
      assert.equal(canvases, 5);
      await ui.screenshot('stats-dashboard');
      // Choose the 1 min window, hide the tab, show it again: the window and the samples survive.
      await ui.webviewEval(title, '(() => { const s = document.getElementById("window"); s.value = "60"; s.dispatchEvent(new Event("change")); return true; })()');
      const pointsBefore = Number(await ui.webviewEval<string>(title, 'document.body.dataset.points'));
      assert.ok(pointsBefore > 0);
      await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
      await new Promise((r) => setTimeout(r, 1500));
      await vscode.commands.executeCommand('cachelens.stats.openDashboard', id);
      await eventually(async () => Number(await ui.webviewEval<string>(title, 'document.body.dataset.points')) >= pointsBefore, 'the samples after re-showing', 20_000);
      assert.equal(await ui.webviewEval<string>(title, 'document.body.dataset.window'), '60');
      // CSV export of what was sampled.
      const csv = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-csv-')), 'stats.csv'));
      const written = await vscode.commands.executeCommand<vscode.Uri>('cachelens.stats.exportCsv', id, csv, 3600);
      assert.equal(written?.fsPath, csv.fsPath);
      const lines = fs.readFileSync(csv.fsPath, 'utf8').trim().split('\n');
      assert.equal(lines[0], 'time,hitRatio,hits,misses,hitsPerSec,missesPerSec,opsPerSec,evictionsPerSec,expirationsPerSec,usedMemory,maxMemory,keys,clients');
      assert.ok(lines.length > pointsBefore / 2, `${lines.length} CSV lines`);
      assert.ok(lines.slice(1).every((l) => /^\d{4}-\d\d-\d\dT/.test(l)), 'every row starts with an ISO time');
    } finally {
      clearInterval(traffic);
      await vscode.commands.executeCommand('cachelens.stats.stop', id);
    }
  });
});
