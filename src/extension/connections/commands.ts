/**
 * Add / edit / test / remove / select connections. Every command takes optional arguments so the
 * palette (which asks through quick input) and tests or other commands (which pass values) share
 * one code path.
 */
import * as vscode from 'vscode';
import type { Container } from '../container';
import { type ConnectionManager, type NewConnection, type TestResult } from './manager';
import { defaultName, splitPassword, validateUrl, type ConnectionProfile } from './profile';
import { pickConnection, resolveConnection } from './target';

interface AddArgs extends Partial<NewConnection> {
  /** Test before saving (default: true when asked interactively, false when the URL is passed). */
  test?: boolean;
}

interface EditArgs { name?: string; url?: string; password?: string | null; readOnly?: boolean }

export function registerConnectionCommands(c: Container, manager: ConnectionManager): void {
  c.registerCommand('cachelens.addConnection', (args?: AddArgs) => addConnection(manager, args));
  c.registerCommand('cachelens.editConnection', (target?: unknown, args?: EditArgs) => editConnection(manager, target, args));
  c.registerCommand('cachelens.testConnection', (target?: unknown) => testConnection(manager, target));
  c.registerCommand('cachelens.removeConnection', (target?: unknown, args?: { confirm?: boolean }) => removeConnection(manager, target, args));
  c.registerCommand('cachelens.selectConnection', (target?: unknown) => selectConnection(manager, target));
  c.registerCommand('cachelens.toggleReadOnly', (target?: unknown) => toggleReadOnly(manager, target));
}

async function addConnection(manager: ConnectionManager, args: AddArgs = {}): Promise<string | undefined> {
  if (args.url !== undefined) {
    const problem = validateUrl(args.url);
    if (problem) {
      void vscode.window.showErrorMessage(`CacheLens: ${problem}`);
      return undefined;
    }
    const input: NewConnection = { name: args.name ?? defaultName(args.url), url: args.url, password: args.password, readOnly: args.readOnly };
    if (args.test && !(await reportTest(await manager.test(input.url, input.password), input.name))) return undefined;
    return (await manager.add(input)).id;
  }
  const input = await askConnection({});
  if (!input) return undefined;
  const result = await withProgress(`Connecting to ${input.name}…`, () => manager.test(input.url, input.password));
  if (!result.ok) {
    const save = 'Save Anyway';
    const choice = await vscode.window.showErrorMessage(`CacheLens: ${input.name}: ${result.message}`, save);
    if (choice !== save) return undefined;
  }
  const profile = await manager.add(input);
  await manager.setActive(profile.id);
  if (result.ok) void vscode.window.showInformationMessage(`CacheLens: ${result.message}.`);
  return profile.id;
}

/** Asks URL, password, name and read-only in turn; undefined when the user presses Escape. */
async function askConnection(current: Partial<ConnectionProfile>): Promise<NewConnection | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'CacheLens: connection URL',
    prompt: 'redis://host:6379/0, rediss://…, redis+sentinel://host:26379/mymaster, memcached://host:11211',
    value: current.url ?? 'redis://127.0.0.1:6379',
    ignoreFocusOut: true,
    validateInput: (v) => validateUrl(v),
  });
  if (url === undefined) return undefined;
  const split = splitPassword(url);
  let password = split.password;
  if (password === undefined) {
    password = await vscode.window.showInputBox({
      title: 'CacheLens: password (leave empty for none)',
      prompt: current.id ? 'Leave empty to keep the stored password.' : 'Kept in VS Code SecretStorage, never in settings.',
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return undefined;
  }
  const name = await vscode.window.showInputBox({
    title: 'CacheLens: connection name', value: current.name ?? defaultName(split.url), ignoreFocusOut: true,
  });
  if (name === undefined) return undefined;
  const mode = await vscode.window.showQuickPick([
    { label: 'Read and write', readOnly: false },
    { label: 'Read-only', description: 'refuse delete, purge, edit, TTL, rename, flush and tag invalidation', readOnly: true },
  ], { title: 'CacheLens: access', ignoreFocusOut: true });
  if (!mode) return undefined;
  return { name, url: split.url, password: password || undefined, readOnly: mode.readOnly };
}

async function editConnection(manager: ConnectionManager, target: unknown, args?: EditArgs): Promise<boolean> {
  const profile = await resolveConnection(manager, target, { preferActive: false });
  if (!profile) return false;
  if (args) {
    if (args.url !== undefined && validateUrl(args.url)) {
      void vscode.window.showErrorMessage(`CacheLens: ${validateUrl(args.url)}`);
      return false;
    }
    await manager.update(profile.id, args);
    return true;
  }
  const input = await askConnection(profile);
  if (!input) return false;
  await manager.update(profile.id, { name: input.name, url: input.url, password: input.password, readOnly: input.readOnly });
  const result = await withProgress(`Connecting to ${input.name}…`, () => manager.testSaved(profile.id));
  await reportTest(result, input.name);
  return true;
}

async function testConnection(manager: ConnectionManager, target: unknown): Promise<TestResult | undefined> {
  const profile = await resolveConnection(manager, target, { preferActive: false });
  if (!profile) return undefined;
  const result = await withProgress(`Connecting to ${profile.name}…`, () => manager.testSaved(profile.id));
  if (result.ok) await manager.disconnect(profile.id);
  await reportTest(result, profile.name);
  return result;
}

async function removeConnection(manager: ConnectionManager, target: unknown, args?: { confirm?: boolean }): Promise<boolean> {
  const profile = await resolveConnection(manager, target, { preferActive: false });
  if (!profile) return false;
  let confirmed = args?.confirm;
  if (confirmed === undefined) {
    const remove = 'Remove';
    confirmed = await vscode.window.showWarningMessage(`Remove the connection "${profile.name}"?`,
      { modal: true, detail: 'Its stored password is deleted too. Nothing on the server changes.' }, remove) === remove;
  }
  if (!confirmed) return false;
  await manager.remove(profile.id);
  return true;
}

async function selectConnection(manager: ConnectionManager, target: unknown): Promise<string | undefined> {
  const profile = target !== undefined ? await resolveConnection(manager, target) : manager.list().length
    ? await pickConnection(manager, 'Choose the active connection') : await resolveConnection(manager, undefined);
  if (!profile) return undefined;
  await manager.setActive(profile.id);
  return profile.id;
}

async function toggleReadOnly(manager: ConnectionManager, target: unknown): Promise<boolean | undefined> {
  const profile = await resolveConnection(manager, target);
  if (!profile) return undefined;
  const next = await manager.update(profile.id, { readOnly: !profile.readOnly });
  return next.readOnly;
}

/** Shows the outcome; returns whether it succeeded. */
async function reportTest(result: TestResult, name: string): Promise<boolean> {
  if (result.ok) void vscode.window.showInformationMessage(`CacheLens: ${name}: ${result.message} in ${result.ms} ms.`);
  else void vscode.window.showErrorMessage(`CacheLens: ${name}: ${result.message}`);
  return result.ok;
}

function withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
}
