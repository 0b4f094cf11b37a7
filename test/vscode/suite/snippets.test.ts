/**
 * Generating caching code in a real VS Code: the workspace's own client is detected and chosen,
 * the code goes at the cursor or into a new file, per-pattern commands work, and `cl-` short
 * forms complete.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('generate caching code', function () {
  this.timeout(60_000);
  let folder: string;
  const created: string[] = [];

  before(() => {
    const ws = vscode.workspace.workspaceFolders?.[0];
    assert.ok(ws, 'the test runs with a workspace folder');
    folder = ws.uri.fsPath;
    // A workspace whose Node project uses memjs and whose Python side uses redis-py.
    for (const [name, text] of [
      ['package.json', JSON.stringify({ name: 'shop', dependencies: { memjs: '^1.3.2' } })],
      ['requirements.txt', 'redis==4.3.4\n'],
    ]) {
      const file = path.join(folder, name);
      assert.ok(!fs.existsSync(file), `${name} must not exist before the test`);
      fs.writeFileSync(file, text);
      created.push(file);
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of created) fs.rmSync(f, { force: true });
  });

  it('inserts at the cursor, with the client the workspace already uses', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: '' });
    await vscode.window.showTextDocument(doc);
    const where = await vscode.commands.executeCommand<string>('cachelens.generateCode', {
      pattern: 'cache-aside', lang: 'typescript', entity: 'Product', ttl: 120, prefix: 'product:', target: 'cursor',
    });
    assert.equal(where, doc.uri.toString());
    const text = doc.getText();
    assert.match(text, /cache-aside/i, 'the header names the pattern');
    assert.match(text, /memjs/, 'package.json declares memjs, so the memjs variant is chosen');
    assert.doesNotMatch(text, /from 'ioredis'/);
    assert.match(text, /product:/);
    assert.match(text, /120/);
  });

  it('writes a new file for a per-pattern command, detecting redis-py', async () => {
    const target = vscode.Uri.file(path.join(folder, 'product_lock.py'));
    created.push(target.fsPath);
    const where = await vscode.commands.executeCommand<string>('cachelens.generateCode.stampedeLock', {
      lang: 'python', entity: 'Product', ttl: 60, target,
    });
    assert.equal(where, target.toString());
    const text = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(text, /import redis/, 'requirements.txt declares redis, so redis-py is chosen');
    assert.match(text, /nx=True/, 'the lock is SET NX with an expiry');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'the new file is opened');
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'python');
  });

  it('completes cl- short forms in a supported language', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'cl-write' });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 8));
    const ours = list.items.filter((i) => String(typeof i.label === 'string' ? i.label : i.label.label).startsWith('cl-'));
    const labels = ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('cl-write-behind'), `completions: ${labels.join(', ')}`);
    const wb = ours.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'cl-write-behind');
    assert.match(String(typeof wb?.insertText === 'string' ? wb.insertText : wb?.insertText?.value), /flush|close/i);
  });

  it('refuses a combination that does not exist, with a clear message and no edit', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'go', content: '' });
    await vscode.window.showTextDocument(doc);
    const where = await vscode.commands.executeCommand<string | undefined>('cachelens.generateCode', {
      pattern: 'event-invalidation', lang: 'go', client: 'gomemcache', target: 'cursor',
    });
    assert.equal(where, undefined);
    assert.equal(doc.getText(), '');
  });
});
