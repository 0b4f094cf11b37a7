/**
 * The hash-ring simulator in a real VS Code: the command (with arguments, the palette's code path)
 * opens the panel; the load figures and the moved count the page shows are the ring core's own;
 * against a real 3-master Redis Cluster the slot strip has three owners and the key search gives
 * the slot CLUSTER KEYSLOT gives, on the master that really holds the key.
 */
import { strict as assert } from 'node:assert';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { analyze, syntheticKeys } from '../../../src/core/ring/metrics';
import { getAlgorithm } from '../../../src/core/ring/registry';
import type { RingParams, RingView } from '../../../webview/protocol/ring';
import { startRedisCluster, type RedisCluster } from '../../harness/servers';
import { eventually, ui } from './ui';

const TITLE = 'CacheLens: Hash Ring Simulator';
const NODES = ['10.0.0.1:11211', '10.0.0.2:11211', '10.0.0.3:11211', '10.0.0.4:11211', '10.0.0.5:11211'];
const KEYS = 12000;
const ADDED = '10.0.0.6:11211';

describe('hash ring webview', function () {
  this.timeout(120_000);
  let cluster: RedisCluster | undefined;
  let connectionId: string | undefined;

  before(async () => {
    await vscode.extensions.getExtension('cachelens.cachelens')?.activate();
    cluster = await startRedisCluster(3);
  });

  after(async () => {
    if (connectionId) await vscode.commands.executeCommand('cachelens.removeConnection', connectionId, { confirm: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cluster?.stop();
  });

  const eval_ = <T>(expression: string) => ui.webviewEval<T>(TITLE, expression);
  const text = (id: string) => eval_<string>(`document.getElementById(${JSON.stringify(id)}).textContent`);

  it('opens from the command and shows the core\'s load figures for synthetic keys', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('cachelens.ring.open'));
    const params: RingParams = { algorithm: 'ketama', nodes: NODES.join('\n'), vnodes: 160, source: { kind: 'synthetic', count: KEYS } };
    const view = await vscode.commands.executeCommand<RingView>('cachelens.ring.open', params);
    const placement = getAlgorithm('ketama').build(NODES.map((id) => ({ id, weight: 1 })), { vnodes: 160 });
    const core = analyze(placement, syntheticKeys(KEYS)).load;
    assert.deepEqual(view.load.nodes.map((n) => n.keys), core.nodes.map((n) => n.keys));
    assert.equal(view.dots.length, 3000);
    assert.equal(view.layout, 'ring');

    const tabs = await eventually(() => {
      const found = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === TITLE);
      return found.length ? found : undefined;
    }, 'the ring tab');
    assert.equal(tabs.length, 1);
    if (!ui.available) return;
    const rows = await eventually(async () => {
      const r = await eval_<string[][]>('[...document.querySelectorAll("#load-table tbody tr")].map((r) => [...r.cells].map((c) => c.textContent))');
      return r.length === NODES.length && r[0][0] === NODES[0] ? r : undefined;
    }, 'the load table', 30_000);
    assert.deepEqual(rows.map((r) => [r[0], Number(r[1].replace(/,/g, ''))]), core.nodes.map((n) => [n.node, n.keys]));
    assert.equal(await text('fig-max'), core.maxOverMean.toFixed(3));
    assert.equal(await text('fig-stddev'), core.stddev.toFixed(1));
    assert.equal(await text('fig-rel'), `${(core.relativeStddev * 100).toFixed(1)}%`);
    // One bar chart canvas, and one legend entry per node.
    assert.equal(await eval_<number>('document.querySelectorAll("#load-chart canvas").length'), 1);
    assert.equal(await eval_<number>('document.querySelectorAll("#legend li").length'), NODES.length);
  });

  it('adding a node moves the keys the core says, and shows the ideal 1/(N+1)', async function () {
    if (!ui.available) return;
    await eval_(`(() => {
      document.getElementById('add-node').value = ${JSON.stringify(ADDED)};
      document.getElementById('add').click();
      return true;
    })()`);
    const moved = await eventually(async () => {
      const t = await text('moved');
      return t.startsWith(`adding ${ADDED}`) ? t : undefined;
    }, 'the moved count', 30_000);
    const placement = getAlgorithm('ketama').build(NODES.map((id) => ({ id, weight: 1 })), { vnodes: 160 });
    const core = analyze(placement, syntheticKeys(KEYS), { add: { id: ADDED, weight: 1 } }).movement;
    assert.ok(core && core.moved > 0);
    const m = /: ([\d,]+) of ([\d,]+) keys move \(([\d.]+)%\); ideal 1\/\(N\+1\) = 1\/6 = 16\.7%/.exec(moved);
    assert.ok(m, moved);
    assert.equal(Number(m[1].replace(/,/g, '')), core.moved);
    assert.equal(Number(m[2].replace(/,/g, '')), KEYS);
    // Ketama is consistent: nothing moves between the nodes that stay.
    assert.equal(core.movedBetweenSurvivors, 0);
    assert.doesNotMatch(moved, /between nodes that stay/);
    // The table now has the "after" columns, with the new node's keys equal to the moved count.
    const after = await eval_<string[]>('[...document.querySelectorAll("#load-table thead th")].map((c) => c.textContent)');
    assert.deepEqual(after.slice(-2), ['keys after', 'share after']);
    const legend = await eval_<string[]>('[...document.querySelectorAll("#legend li")].map((li) => li.textContent)');
    assert.ok(legend.some((l) => l.startsWith(ADDED) && l.includes('new')), legend.join(' | '));
    // Wait for the animation to end so the screenshot shows where the moved keys went.
    await new Promise((r) => setTimeout(r, 1200));
    await ui.screenshot('ring');
  });

  it('a real 3-master cluster: the slot strip has 3 owners and the search gives CLUSTER KEYSLOT\'s slot', async function () {
    const c = cluster as RedisCluster;
    const seed = new Redis.Cluster([{ host: '127.0.0.1', port: c.nodes[0].port }], { lazyConnect: true });
    await seed.connect();
    try {
      // A cluster pipeline must stay in one slot; these keys are spread on purpose.
      await Promise.all([
        ...Array.from({ length: 600 }, (_, i) => seed.set(`page:${i}`, 'p')),
        ...Array.from({ length: 150 }, (_, i) => seed.set(`user:{42}:item:${i}`, 'x')),
      ]);
    } finally {
      seed.disconnect();
    }
    connectionId = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: 'ring cluster', url: c.url });
    const params: RingParams = { algorithm: 'redis-slots', nodes: '', vnodes: 1, source: { kind: 'live', connectionId, sample: 100000 } };
    const view = await vscode.commands.executeCommand<RingView>('cachelens.ring.open', params);
    assert.ok(view.cluster, 'a cluster view');
    assert.equal(view.cluster.masters.length, 3);
    assert.equal(view.cluster.total, 750);
    assert.equal(view.cluster.hotTags[0].tag, '42');
    assert.equal(view.cluster.hotTags[0].keys, 150);
    if (!ui.available) return;

    await eventually(async () => !(await eval_<boolean>('document.getElementById("cluster").hidden')), 'the cluster section', 30_000);
    // Count the colours actually painted along the strip's top row, not what the page meant to paint.
    const colours = await eval_<number>(`(() => {
      const canvas = document.querySelector('#strip canvas');
      const ctx = canvas.getContext('2d');
      const row = ctx.getImageData(0, 4, canvas.width, 1).data;
      const seen = new Set();
      for (let i = 0; i < row.length; i += 4) seen.add(row[i] + ',' + row[i + 1] + ',' + row[i + 2]);
      return seen.size;
    })()`);
    assert.equal(colours, 3);
    assert.equal(await eval_<number>('document.querySelectorAll("#strip-legend li").length'), 3);
    const masters = await eval_<string[][]>('[...document.querySelectorAll("#masters tbody tr")].map((r) => [...r.cells].map((c) => c.textContent))');
    assert.equal(masters.reduce((s, r) => s + Number(r[2].replace(/,/g, '')), 0), 750);
    assert.equal((await eval_<string[]>('[...document.querySelectorAll("#hot-tags tbody tr td:first-child")].map((c) => c.textContent)'))[0], '42');

    const key = 'user:{42}:item:7';
    await eval_(`(() => {
      document.getElementById('search').value = ${JSON.stringify(key)};
      document.getElementById('search-go').click();
      document.getElementById('cluster').scrollIntoView();
      return true;
    })()`);
    const found = await eventually(async () => /^slot \d+ on /.test(await text('search-result')) ? text('search-result') : undefined, 'the key search', 15_000);
    const expected = Number((await c.nodes[0].cli('CLUSTER', 'KEYSLOT', key)).trim());
    const m = /^slot (\d+) on 127\.0\.0\.1:(\d+)$/.exec(found);
    assert.ok(m, found);
    assert.equal(Number(m[1]), expected);
    // The named master really holds the key: it answers EXISTS instead of redirecting.
    const owner = c.nodes.find((n) => n.port === Number(m[2]));
    assert.ok(owner, `a master of this cluster: ${found}`);
    assert.equal((await owner.cli('EXISTS', key)).trim(), '1');
    await ui.screenshot('ring-cluster');
  });
});
