/**
 * The values feature: "Open Value" shows a key's value in an editor tab through the
 * `cachelens:` file system, and "Load More of Value" reopens it with four times the range.
 */
import * as vscode from 'vscode';
import { CacheLensError } from '../../core/errors';
import type { Container } from '../container';
import { connectionManager } from '../connections/index';
import { resolveConnection } from '../connections/target';
import { explorerProvider } from '../explorer/index';
import { keyTargetOf } from '../explorer/targets';
import { parseValueUri, SCHEME, ValueFileSystem, valueUri, type ValueAddress } from './fs';

export interface OpenedValue { uri: string; presentation: string; editable: boolean; complete: boolean; readOnly: boolean }

export function register(c: Container): void {
  const manager = connectionManager(c);
  const fs = new ValueFileSystem(manager);
  c.track(fs);
  c.track(vscode.workspace.registerFileSystemProvider(SCHEME, fs, { isCaseSensitive: true }));
  fs.onDidWrite = (address) => {
    const explorer = explorerProvider(c);
    void explorer.session(address.connectionId).reread(address.key)
      .then(() => explorer.refreshConnection(address.connectionId), () => undefined);
  };

  const open = async (address: ValueAddress): Promise<OpenedValue> => {
    const uri = valueUri(address);
    let doc = await vscode.workspace.openTextDocument(uri);
    const entry = fs.entry(uri);
    if (entry?.rendered.language === 'json' && doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    if (entry && !entry.rendered.complete) {
      const more = 'Load More';
      void vscode.window.showInformationMessage(`CacheLens: ${entry.rendered.note ?? 'part of the value is shown'}.`, more).then((choice) => {
        if (choice === more) void vscode.commands.executeCommand('cachelens.loadMoreValue', uri);
      });
    } else if (entry?.rendered.note) {
      vscode.window.setStatusBarMessage(`CacheLens: ${entry.rendered.note}`, 5000);
    }
    return {
      uri: uri.toString(), presentation: entry?.rendered.presentation ?? 'text', editable: entry?.rendered.editable ?? false,
      complete: entry?.rendered.complete ?? true, readOnly: entry?.readOnly ?? true,
    };
  };

  c.registerCommand('cachelens.openValue', async (node?: unknown, args?: { key?: string; keyBase64?: string }) => {
    let target = keyTargetOf(node);
    if (!target) {
      const profile = await resolveConnection(manager, node);
      if (!profile) return undefined;
      const key = args?.keyBase64 !== undefined ? Buffer.from(args.keyBase64, 'base64') : args?.key !== undefined ? Buffer.from(args.key)
        : await vscode.window.showInputBox({ title: `CacheLens: open a value from ${profile.name}`, prompt: 'The exact key name' }).then((k) => (k ? Buffer.from(k) : undefined));
      if (!key) return undefined;
      target = { connectionId: profile.id, key };
    }
    return open({ connectionId: target.connectionId, key: target.key, scale: 1 });
  });

  c.registerCommand('cachelens.loadMoreValue', async (arg?: vscode.Uri | string) => {
    const uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== SCHEME) throw new CacheLensError('usage', 'Load More of Value works on a value opened from the CacheLens tree.');
    const address = parseValueUri(uri);
    return open({ ...address, scale: address.scale * 4 });
  });
}
