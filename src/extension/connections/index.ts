/**
 * The connections feature: the saved connections, their commands and the status bar item.
 * Other features reach the shared ConnectionManager through `connectionManager(container)`.
 */
import type { Container } from '../container';
import { registerConnectionCommands } from './commands';
import { ConnectionManager } from './manager';
import { createStatusBarItem } from './statusBar';

export function connectionManager(c: Container): ConnectionManager {
  return c.service('connections', () => new ConnectionManager(c.context));
}

export function register(c: Container): void {
  const manager = connectionManager(c);
  registerConnectionCommands(c, manager);
  c.track(createStatusBarItem(manager));
}
