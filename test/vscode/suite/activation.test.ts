import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CacheLensApi } from '../../../src/extension/extension';
import { features } from '../../../src/extension/features';
import { eventually, ui } from './ui';

const EXTENSION_ID = 'cachelens.cachelens';

interface PackageJson {
  main: string;
  contributes: {
    commands?: { command: string; title: string; category?: string }[];
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string }[]>;
  };
}

describe('activation', () => {
  let extension: vscode.Extension<CacheLensApi>;
  let pkg: PackageJson;
  let api: CacheLensApi;

  before(async () => {
    const found = vscode.extensions.getExtension<CacheLensApi>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
    extension = found;
    pkg = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.json'), 'utf8')) as PackageJson;
    api = await extension.activate();
  });

  it('runs the esbuild bundle named in package.json', () => {
    assert.equal(extension.isActive, true);
    assert.equal(pkg.main, './dist/extension.js');
    assert.ok(fs.existsSync(path.join(extension.extensionPath, 'dist', 'extension.js')));
  });

  it('registers every feature in the table and none fails', () => {
    assert.deepEqual(api.failed, [], `failed features: ${JSON.stringify(api.failed)}`);
    assert.deepEqual(api.registered, features.map((f) => f.id));
  });

  it('registers every contributed command', async () => {
    const contributed = (pkg.contributes.commands ?? []).map((c) => c.command);
    assert.ok(contributed.includes('cachelens.showLog'));
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'commands contributed in package.json but not registered');
  });

  it('titles every command under the "CacheLens" category', () => {
    const stray = (pkg.contributes.commands ?? []).filter((c) => c.category !== 'CacheLens' && !c.title.startsWith('CacheLens'));
    assert.deepEqual(stray.map((c) => c.command), []);
  });

  it('contributes the CacheLens view container', async () => {
    const container = pkg.contributes.viewsContainers?.activitybar?.find((c) => c.id === 'cachelens');
    assert.deepEqual(container && { id: container.id, title: container.title }, { id: 'cachelens', title: 'CacheLens' });
    // The workbench registers an "open" command for every view container it knows.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('workbench.view.extension.cachelens'), 'workbench.view.extension.cachelens is not registered');
  });

  it('shows the CacheLens container in the activity bar when it has views', async function () {
    const views = pkg.contributes.views?.cachelens ?? [];
    if (views.length === 0 || !ui.available) this.skip();
    const label = await eventually(() => ui.workbenchEval<string | null>(
      `(() => { const el = [...document.querySelectorAll('.activitybar .action-item a, .activitybar .action-label')].find((a) => (a.getAttribute('aria-label') || '').startsWith('CacheLens')); return el ? el.getAttribute('aria-label') : null; })()`,
    ), 'the CacheLens activity bar item');
    assert.match(label, /^CacheLens/);
  });

  it('"CacheLens: Show Log" opens the CacheLens output from the command palette', async function () {
    if (!ui.available) this.skip();
    await ui.runCommand('CacheLens: Show Log');
    const shown = await eventually(() => ui.workbenchEval<boolean>(
      // The channel's first line is the container's "activated: N feature(s)"; no other channel has it.
      `(() => { const panel = document.querySelector('.part.panel'); if (!panel || panel.offsetParent === null) return false;
        return /\\[info\\]\\sactivated:\\s\\d+\\sfeature/.test(panel.querySelector('.view-lines')?.textContent ?? ''); })()`,
    ), 'the output panel showing the CacheLens log');
    assert.equal(shown, true);
    await ui.screenshot('output-log');
  });
});
