/**
 * The eviction simulator in a real VS Code: the command opens the panel, a run from the page goes
 * through the host's worker threads and comes back as curves and a table, and the step mode
 * animates a short trace. Recording: a saved connection to a real redis-server is recorded with
 * consent given as an argument, and the page runs the chosen policies on the traffic.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { startRedis, type RedisServer } from '../../harness/servers';
import { eventually, ui } from './ui';

const TITLE = 'CacheLens: Eviction Simulator';

describe('eviction simulator webview', function () {
  this.timeout(120_000);

  // Run alone (CACHELENS_VSCODE_GREP), this suite cannot rely on the activation suite's before().
  before(async () => {
    await vscode.extensions.getExtension('cachelens.cachelens')?.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens its panel from the command, once', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('cachelens.simulator.open'));
    await vscode.commands.executeCommand('cachelens.simulator.open');
    await vscode.commands.executeCommand('cachelens.simulator.open');
    const tabs = await eventually(() => {
      const found = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === TITLE);
      return found.length ? found : undefined;
    }, 'the simulator tab');
    assert.equal(tabs.length, 1);
  });

  it('runs a sweep from the page and shows curves and the table', async function () {
    if (!ui.available) return;
    await eventually(() => ui.webviewEval<number>(TITLE, 'document.querySelectorAll("#policies input").length'), 'the policy list', 30_000);
    await ui.webviewEval(TITLE, `(() => {
      const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change')); };
      set('spec', 'zipf:alpha=1.0,objects=2000,requests=50000,seed=1');
      set('sizes', '1%,10%');
      for (const i of document.querySelectorAll('#policies input')) i.checked = i.value === 'lru' || i.value === 'opt';
      document.getElementById('policies').dispatchEvent(new Event('change'));
      document.getElementById('run').click();
      return true;
    })()`);
    await eventually(() => ui.webviewEval<number>(TITLE, 'document.querySelectorAll("#table tbody tr").length'), 'the results table', 60_000);
    const rows = await ui.webviewEval<string[][]>(TITLE, '[...document.querySelectorAll("#table tbody tr")].map((r) => [...r.children].map((c) => c.textContent))');
    assert.deepEqual(rows.map((r) => r[0]), ['lru', 'opt']);
    const [lru, opt] = rows.map((r) => [Number(r[1]), Number(r[2])]);
    assert.ok(opt[0] < lru[0] && opt[1] < lru[1], `OPT below LRU: ${JSON.stringify(rows)}`);
    assert.ok(lru[1] < lru[0], 'a bigger cache misses less');
    const status = await ui.webviewEval<string>(TITLE, 'document.getElementById("status").textContent');
    assert.match(status, /^Done in [\d.]+ s on \d+ threads?\.$/);
    assert.equal(await ui.webviewEval<number>(TITLE, 'document.querySelectorAll("#curve canvas").length'), 1);
    await ui.screenshot('simulator-curves');
  });

  it('steps through a short trace in step mode', async function () {
    if (!ui.available) return;
    await ui.webviewEval(TITLE, `(() => {
      const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change')); };
      set('step-spec', 'loop:objects=3,requests=6');
      set('step-policy', 'lru');
      set('step-size', '2');
      document.getElementById('step-load').click();
      return true;
    })()`);
    await eventually(async () => /request 0 of 6/.test(await ui.webviewEval<string>(TITLE, 'document.getElementById("step-status").textContent')), 'the loaded trace', 20_000);
    const stepOnce = () => ui.webviewEval<string>(TITLE, '(() => { document.getElementById("step-next").click(); return document.getElementById("step-badge").textContent + "|" + [...document.querySelectorAll("#step-cells .cell")].map((c) => c.className.replace("cell", "").trim() + ":" + c.textContent).join(" "); })()');
    assert.equal(await stepOnce(), 'MISS|new:0');
    assert.equal(await stepOnce(), 'MISS|new:1 :0');
    assert.equal(await stepOnce(), 'MISS|new:2 :1 evicted:0');
    const back = await ui.webviewEval<string>(TITLE, '(() => { document.getElementById("step-prev").click(); return document.getElementById("step-status").textContent; })()');
    assert.match(back, /request 2 of 6/);
    await ui.screenshot('simulator-step');
  });
});

interface RecordOutcome { file: string; requests: number; keys: number; commandsSeen: number; seconds: number }

/** The traffic sent while recording: 4 keys, 10 reads, one write that sizes user:1. */
const READS = ['user:1', 'user:2', 'user:1', 'user:3', 'user:1', 'user:2', 'user:4', 'user:1', 'user:3', 'user:2'];

describe('eviction simulator: recording from a connection', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let client: Redis;
  let id: string | undefined;

  before(async () => {
    await vscode.extensions.getExtension('cachelens.cachelens')?.activate();
    redis = await startRedis({ password: 'rec-Secret-42' });
    client = new Redis(redis.url);
  });

  after(async () => {
    if (id) await vscode.commands.executeCommand('cachelens.removeConnection', id, { confirm: true });
    client?.disconnect();
    await redis?.stop();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('records the traffic of the window from a saved connection and the page simulates it', async () => {
    id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'recorded redis', url: redis.url });
    assert.ok(id, 'the connection was added');
    await vscode.commands.executeCommand('cachelens.simulator.open');
    if (ui.available) {
      await eventually(() => ui.webviewEval<number>(TITLE, 'document.querySelectorAll("#policies input").length'), 'the policy list', 30_000);
      assert.equal(await ui.webviewEval<string>(TITLE, 'document.getElementById("record").textContent.trim()'), 'Record from connection…');
      await ui.webviewEval(TITLE, `(() => {
        const sizes = document.getElementById('sizes'); sizes.value = '2,10'; sizes.dispatchEvent(new Event('change'));
        for (const i of document.querySelectorAll('#policies input')) i.checked = i.value === 'lru' || i.value === 'fifo';
        document.getElementById('policies').dispatchEvent(new Event('change'));
        return true;
      })()`);
    }
    // The password lives in SecretStorage only; the recorder gets it from there.
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('cachelens').get('connections')).includes('rec-Secret-42'));
    const recording = vscode.commands.executeCommand<RecordOutcome | undefined>('cachelens.simulator.record', { connectionId: id, seconds: 2, consent: true });
    await eventually(async () => String(await client.call('CLIENT', 'LIST')).split('\n').some((l) => /\bflags=\S*O/.test(l)), 'MONITOR to start', 20_000);
    await client.set('user:1', 'x'.repeat(250), 'EX', 120);
    for (const key of READS) await client.get(key);
    const outcome = await recording;
    assert.ok(outcome, 'the record command returned nothing (see the CacheLens output)');
    assert.deepEqual([outcome.requests, outcome.keys], [READS.length, 4]);
    const rows = fs.readFileSync(outcome.file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(rows.slice(1).map((l) => l.split(',')[1]), READS);
    assert.deepEqual(rows[1].split(',').slice(2), ['250', '120']);

    if (!ui.available) return;
    await eventually(async () => /^Done in/.test(await ui.webviewEval<string>(TITLE, 'document.getElementById("status").textContent')), 'the run on the recording', 60_000);
    assert.match(await ui.webviewEval<string>(TITLE, 'document.getElementById("record-note").textContent'), /^Recorded 10 reads of 4 keys from recorded redis in [\d.]+ s\.$/);
    assert.match(await ui.webviewEval<string>(TITLE, 'document.getElementById("summary").textContent'), /: 10 requests, 4 objects/);
    const rowsShown = await ui.webviewEval<string[][]>(TITLE, '[...document.querySelectorAll("#table tbody tr")].map((r) => [...r.children].map((c) => c.textContent))');
    assert.deepEqual(rowsShown.map((r) => r[0]), ['lru', 'fifo']);
    // With room for all 4 keys only the 4 first reads miss: 0.4000 at size 10.
    assert.deepEqual(rowsShown.map((r) => r[2]), ['0.4000', '0.4000']);
    await ui.screenshot('simulator-recorded');
  });
});
