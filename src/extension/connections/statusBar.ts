/** The active connection in the status bar; clicking it picks another. */
import * as vscode from 'vscode';
import type { ConnectionManager } from './manager';

export function createStatusBarItem(manager: ConnectionManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('cachelens.activeConnection', vscode.StatusBarAlignment.Left, 10);
  item.name = 'CacheLens connection';
  item.command = 'cachelens.selectConnection';
  const update = (): void => {
    const active = manager.active();
    if (!active) {
      item.text = '$(database) CacheLens: no connection';
      item.tooltip = 'Add a Redis or Memcached connection';
      item.command = 'cachelens.addConnection';
    } else {
      item.text = `$(database) ${active.name}${active.readOnly ? ' $(lock)' : ''}`;
      item.tooltip = `CacheLens: ${active.url}${active.readOnly ? ' (read-only)' : ''}. Click to choose another connection.`;
      item.command = 'cachelens.selectConnection';
    }
    item.show();
  };
  update();
  const sub = manager.onDidChange(update);
  return vscode.Disposable.from(item, sub);
}
