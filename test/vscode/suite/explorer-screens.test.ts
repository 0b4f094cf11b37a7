/**
 * The explorer as a person sees it in the workbench: the tree expanded by keyboard with
 * namespaces, keys, TTLs and sizes; a JSON value in an editor tab; the analyze report with its
 * charts and styled namespace table. Each step checks the rendered DOM, then saves a screenshot
 * (the README's, into media/screenshots/ with SCREENSHOTS=1).
 */
import { strict as assert } from 'node:assert';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { startRedis, type RedisServer } from '../../harness/servers';
import { eventually, ui } from './ui';

const NAME = 'shop cache';
const REPORT = `CacheLens: Analyze ${NAME}`;

interface Row { label: string; description: string; expanded: string | null; focused: boolean }

/** The rows of the Connections tree as rendered, top to bottom. */
function treeRows(): Promise<Row[]> {
  return ui.workbenchEval<Row[]>(`(() => {
    const pane = [...document.querySelectorAll('.pane')].find((p) => p.querySelector('.pane-header')?.textContent?.toLowerCase().includes('connections'));
    if (!pane) return [];
    const rows = [...pane.querySelectorAll('.monaco-list-row')].sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
    return rows.map((r) => ({
      label: r.querySelector('.label-name')?.textContent ?? '',
      description: r.querySelector('.label-description')?.textContent ?? '',
      // The tree marks expansion on the row's inner container, not on the list row itself.
      expanded: r.querySelector('[aria-expanded]')?.getAttribute('aria-expanded') ?? r.getAttribute('aria-expanded'),
      focused: r.classList.contains('focused'),
    }));
  })()`);
}

/**
 * Puts the keyboard focus into the Connections list, as a click into it would: the view's
 * focus command selects the view but the page's DOM focus may stay where it was.
 */
async function focusTree(): Promise<boolean> {
  // Until the new connection's row is rendered, the view shows its welcome content instead.
  let last = '';
  await eventually(async () => (last = await tryFocusTree()) === 'ok', 'the Connections tree to take the keyboard focus').catch((e: Error) => {
    throw new Error(`${e.message}: ${last}`);
  });
  return true;
}

function tryFocusTree(): Promise<string> {
  return ui.workbenchEval<string>(`(() => {
    const panes = [...document.querySelectorAll('.pane')];
    const pane = panes.find((p) => p.querySelector('.pane-header')?.textContent?.toLowerCase().includes('connections'));
    const list = pane?.querySelector('.monaco-list');
    if (!list) return 'no list; panes: ' + panes.map((p) => p.querySelector('.pane-header')?.textContent).join('|');
    list.focus();
    const a = document.activeElement;
    return list.contains(a) ? 'ok' : 'active: ' + (a ? a.tagName + '.' + a.className : 'none') + ' list: ' + list.className + ' tabindex ' + list.getAttribute('tabindex');
  })()`);
}

/** Moves the tree's keyboard focus down to the row labelled `label` and expands it. */
async function expandRow(label: string): Promise<void> {
  assert.ok(await focusTree(), 'the Connections list takes the keyboard focus');
  for (let steps = 0; steps < 80; steps++) {
    const rows = await treeRows();
    const focused = rows.find((r) => r.focused);
    if (focused?.label === label) {
      if (focused.expanded !== 'true') await ui.press('ArrowRight');
      await eventually(async () => (await treeRows()).find((r) => r.label === label)?.expanded === 'true', `${label} to expand`);
      return;
    }
    await ui.press('ArrowDown');
  }
  throw new Error(`no row "${label}" in the tree: ${JSON.stringify((await treeRows()).map((r) => r.label))}`);
}

/** A tidy window: no panel, no notifications, no stray hover. */
async function tidy(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('notifications.clearAll');
}

describe('explorer screens: the tree, a value and the analyze report in the workbench', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let id: string;

  before(async function () {
    if (!ui.available) this.skip();
    redis = await startRedis();
    const client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await client.connect();
    const p = client.pipeline();
    const plans = ['free', 'pro', 'team'];
    for (let i = 1; i <= 40; i++) {
      p.set(`product:${i}`, JSON.stringify({ id: i, name: `Product ${i}`, price: 9.5 + i, tags: ['shoes', 'sale'].slice(0, 1 + (i % 2)), stock: (i * 7) % 50 }));
    }
    for (let i = 1; i <= 25; i++) {
      p.hset(`user:${1000 + i}:profile`, 'name', `User ${i}`, 'email', `user${i}@example.com`, 'plan', plans[i % 3]);
      p.rpush(`user:${1000 + i}:cart`, ...Array.from({ length: 1 + (i % 4) }, (_, k) => `product:${k + i}`));
    }
    const sessions = ['4f9a', '7c21', '9be0', 'a13d', 'c5e8', 'd02f'];
    sessions.forEach((s, i) => p.set(`session:${s}`, JSON.stringify({ user: 1001 + i }), 'EX', 300 + i * 420));
    for (const path of ['/', '/pricing', '/docs', '/blog']) p.set(`page:${path}`, `<html>${'x'.repeat(800)}</html>`, 'EX', 3600);
    for (let i = 0; i < 12; i++) p.set(`rate:10.0.0.${i}`, String(i), 'EX', 60);
    p.zadd('leaderboard:weekly', 310, 'user:1001', 290, 'user:1002', 120, 'user:1003');
    p.xadd('events:orders', '*', 'order', '9001', 'total', '59.90');
    p.sadd('tag:sale', 'product:1', 'product:3', 'product:5');
    await p.exec();
    client.disconnect();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    id = await vscode.commands.executeCommand<string>('cachelens.addConnection', { name: NAME, url: redis.url });
    await vscode.commands.executeCommand('cachelens.selectConnection', id);
  });

  after(async () => {
    if (id) await vscode.commands.executeCommand('cachelens.removeConnection', id, { confirm: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await redis?.stop();
  });

  it('renders namespaces with counts and keys with type, TTL and size', async () => {
    await tidy();
    await vscode.commands.executeCommand('cachelens.connections.focus');
    assert.ok(await focusTree());
    await ui.press('Home');
    await expandRow(NAME);
    await eventually(async () => (await treeRows()).some((r) => r.label === 'session:'), 'the first page to load');
    await expandRow('session:');
    // Children render a moment after the row shows as expanded.
    const isSessionKey = (r: Row) => r.label.startsWith('session:') && r.label !== 'session:';
    const rows = await eventually(async () => {
      const now = await treeRows();
      return now.filter(isSessionKey).length >= 6 ? now : undefined;
    }, 'the session keys to render');
    assert.equal(rows.find((r) => r.label === 'product:')?.description, '40 keys');
    assert.equal(rows.find((r) => r.label === 'session:')?.description, '6 keys');
    const sessionRows = rows.filter(isSessionKey);
    assert.equal(sessionRows.length, 6);
    for (const r of sessionRows) assert.match(r.description, /^string · \d+m \d\ds · \d+ B$/);
    await ui.screenshot('explorer');
  });

  it('opens a JSON value pretty-printed in an editor tab', async () => {
    const opened = await vscode.commands.executeCommand<{ uri: string; presentation: string }>('cachelens.openValue', { connectionId: id, key: 'product:7' });
    assert.equal(opened.presentation, 'json');
    const shown = await eventually(() => ui.workbenchEval<string>(`(() => {
      const editor = document.querySelector('.editor-instance .monaco-editor .view-lines');
      return editor ? editor.textContent.replace(/\u00a0/g, ' ') : '';
    })()`).then((t) => (t.includes('"Product 7"') ? t : undefined)), 'the value to render in the editor');
    assert.match(shown, /"price":\s*16\.5/);
    await tidy();
    await ui.screenshot('value');
  });

  it('shows the analyze report with charts and a styled namespace table', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const view = await vscode.commands.executeCommand<{ keys: number }>('cachelens.analyze', id);
    assert.equal(view.keys, 40 + 50 + 6 + 4 + 12 + 3);
    const page = await eventually(() => ui.webviewEval<{
      rows: number; top: string[]; charts: number[]; badges: number; sticky: string; keysAlign: string; collapse: string; share: string; totals: string;
    }>(REPORT, `(() => {
      const th = document.querySelector('#namespaces thead th');
      const keys = document.querySelector('#namespaces td.keys');
      const bar = document.querySelector('#namespaces td.memory .share > span');
      return {
        rows: document.querySelectorAll('#namespaces tr.namespace').length,
        top: [...document.querySelectorAll('#namespaces tr.depth-0 td.prefix')].map((td) => td.textContent),
        charts: [...document.querySelectorAll('canvas')].map((c) => c.width),
        badges: document.querySelectorAll('#namespaces .type-badge').length,
        sticky: th ? getComputedStyle(th).position : '',
        keysAlign: keys ? getComputedStyle(keys).textAlign : '',
        collapse: getComputedStyle(document.getElementById('namespaces')).borderCollapse,
        share: bar ? bar.style.width : '',
        totals: document.getElementById('total-keys').textContent,
      };
    })()`).then((d) => (d.rows > 0 ? d : undefined)), 'the report to render', 20_000);
    assert.ok(page.top.includes('product:') && page.top.includes('user:'), JSON.stringify(page.top));
    assert.equal(page.totals, String(view.keys));
    assert.ok(page.charts.length >= 3 && page.charts.every((w) => w > 0), `charts drawn: ${JSON.stringify(page.charts)}`);
    assert.ok(page.badges >= page.rows, 'every namespace lists its types as badges');
    assert.equal(page.sticky, 'sticky', 'the header stays while the table scrolls');
    assert.equal(page.keysAlign, 'right', 'numbers align right');
    assert.equal(page.collapse, 'collapse');
    assert.match(page.share, /^\d+%$/);
    await tidy();
    await ui.screenshot('analyze');
  });
});
