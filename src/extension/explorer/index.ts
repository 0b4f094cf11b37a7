/**
 * The explorer feature: the "Connections" tree in the CacheLens activity-bar container.
 * Other features (values, purge, analyze) reach the same provider through `explorerProvider`
 * to refresh what they changed.
 */
import * as vscode from 'vscode';
import type { Container } from '../container';
import { connectionManager } from '../connections/index';
import { registerExplorerCommands } from './commands';
import { ExplorerProvider, VIEW_ID, type ExplorerSettings, type TreeNode } from './provider';

export { VIEW_ID };

function readSettings(c: Container): ExplorerSettings {
  const pageSize = c.settings.get<number>('pageSize', 500);
  return {
    delimiter: c.settings.get<string>('delimiter', ':'),
    pageSize: Number.isInteger(pageSize) && pageSize > 0 ? pageSize : 500,
    tagPrefix: c.settings.get<string>('tagPrefix', 'tag:') || 'tag:',
  };
}

export function explorerProvider(c: Container): ExplorerProvider {
  return c.service('explorer', () => new ExplorerProvider(connectionManager(c), () => readSettings(c)));
}

export function register(c: Container): void {
  const manager = connectionManager(c);
  const provider = explorerProvider(c);
  const view = c.track(vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true }));
  provider.attach(view);
  registerExplorerCommands(c, manager, provider, view);
  for (const section of ['delimiter', 'pageSize', 'tagPrefix']) {
    c.track(c.settings.onDidChange(section, () => provider.resetAll()));
  }
}
