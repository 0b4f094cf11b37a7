/**
 * The eviction simulator in a real VS Code: the command opens the panel, a run from the page goes
 * through the host's worker threads and comes back as curves and a table, and the step mode
 * animates a short trace.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
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
