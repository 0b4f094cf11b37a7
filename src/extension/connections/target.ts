/**
 * Which connection a command acts on: the tree node it was run on, an id passed by a test or
 * another command, the active connection, or one the user picks.
 */
import * as vscode from 'vscode';
import type { ConnectionManager } from './manager';
import type { ConnectionProfile } from './profile';

/** Anything a command may receive that names a connection. */
export type ConnectionArg = string | { connectionId?: string; id?: string } | undefined;

export function connectionIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null) {
    const { connectionId, id } = arg as { connectionId?: unknown; id?: unknown };
    if (typeof connectionId === 'string') return connectionId;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/**
 * Resolves the connection, asking only when there is no hint and no active connection.
 * Says so when nothing is configured, and returns undefined when the user backs out.
 */
export async function resolveConnection(manager: ConnectionManager, arg: unknown, options: { preferActive?: boolean } = {}): Promise<ConnectionProfile | undefined> {
  const id = connectionIdOf(arg);
  if (id) {
    const profile = manager.get(id);
    if (!profile) void vscode.window.showErrorMessage(`CacheLens: no saved connection with id ${id}.`);
    return profile;
  }
  const all = manager.list();
  if (all.length === 0) {
    const add = 'Add Connection';
    if (await vscode.window.showInformationMessage('CacheLens: there is no connection yet.', add) === add) {
      await vscode.commands.executeCommand('cachelens.addConnection');
    }
    return undefined;
  }
  if (options.preferActive !== false && manager.active()) return manager.active();
  if (all.length === 1) return all[0];
  return pickConnection(manager, 'Choose a connection');
}

export async function pickConnection(manager: ConnectionManager, placeHolder: string): Promise<ConnectionProfile | undefined> {
  const active = manager.active()?.id;
  const picked = await vscode.window.showQuickPick(manager.list().map((p) => ({
    label: `${p.id === active ? '$(check) ' : ''}${p.name}`,
    description: p.url + (p.readOnly ? ' (read-only)' : ''),
    profile: p,
  })), { placeHolder });
  return picked?.profile;
}
