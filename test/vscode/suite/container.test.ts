/**
 * The container and the feature table's guard, in the real extension host: a feature that throws
 * is reported and the others still register; commands report failures instead of throwing; and
 * disposing the container unregisters everything it tracked.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { CacheLensError } from '../../../src/core/errors';
import { Container } from '../../../src/extension/container';
import { registerFeatures } from '../../../src/extension/extension';

function testContainer(): Container {
  const extension = vscode.extensions.getExtension('cachelens.cachelens');
  assert.ok(extension);
  // Only what the container reads: the extension's folder and a subscriptions list.
  const context = { extensionUri: extension.extensionUri, subscriptions: [] as vscode.Disposable[] } as unknown as vscode.ExtensionContext;
  return new Container(context);
}

describe('container and feature registration', () => {
  it('keeps registering after a feature throws, and reports which one failed', async () => {
    const c = testContainer();
    try {
      const api = await registerFeatures(c, [
        { id: 'broken', register: () => { throw new Error('cannot start'); } },
        { id: 'async-broken', register: async () => { await Promise.resolve(); throw new Error('later'); } },
        { id: 'working', register: (k) => { k.registerCommand('cachelens.test.working', () => 42); } },
      ]);
      assert.deepEqual(api.registered, ['working']);
      assert.deepEqual(api.failed, [{ id: 'broken', message: 'cannot start' }, { id: 'async-broken', message: 'later' }]);
      assert.equal(await vscode.commands.executeCommand('cachelens.test.working'), 42);
    } finally {
      c.dispose();
    }
  });

  it('a command that fails resolves to undefined instead of throwing into VS Code', async () => {
    const c = testContainer();
    try {
      c.registerCommand('cachelens.test.expected', () => { throw new CacheLensError('unreachable', 'cannot reach 127.0.0.1:1'); });
      c.registerCommand('cachelens.test.bug', () => { throw new TypeError('x is undefined'); });
      assert.equal(await vscode.commands.executeCommand('cachelens.test.expected'), undefined);
      assert.equal(await vscode.commands.executeCommand('cachelens.test.bug'), undefined);
    } finally {
      c.dispose();
    }
  });

  it('shares one instance of a service and disposes it with the container', () => {
    const c = testContainer();
    let created = 0;
    let disposed = 0;
    const make = () => { created++; return { dispose: () => { disposed++; } }; };
    const a = c.service('svc', make);
    const b = c.service('svc', make);
    assert.equal(a, b);
    assert.equal(created, 1);
    c.dispose();
    assert.equal(disposed, 1);
  });

  it('unregisters its commands on dispose', async () => {
    const c = testContainer();
    c.registerCommand('cachelens.test.temporary', () => 'here');
    assert.ok((await vscode.commands.getCommands(true)).includes('cachelens.test.temporary'));
    c.dispose();
    assert.ok(!(await vscode.commands.getCommands(true)).includes('cachelens.test.temporary'));
  });

  it('reads cachelens.* settings with a fallback', () => {
    const c = testContainer();
    try {
      assert.equal(c.settings.get('no.such.setting', 'fallback'), 'fallback');
    } finally {
      c.dispose();
    }
  });
});
