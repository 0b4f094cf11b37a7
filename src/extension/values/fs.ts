/**
 * The `cachelens:` file system: one read-by-range value per editor tab. Saving a string writes
 * it back with KEEPTTL (its TTL stays); collections, binary strings, truncated strings and
 * read-only connections open read-only.
 *
 * URI: cachelens:/<connection id>/<key, base64url>/<display name>?scale=<n>
 */
import * as vscode from 'vscode';
import { CacheLensError } from '../../core/errors';
import type { ConnectionManager } from '../connections/manager';
import { describeError } from '../connections/manager';
import { displayKey } from '../../core/keyname';
import { readValueView } from './reader';
import { storedBytes, type Rendered } from './render';

export const SCHEME = 'cachelens';

export interface ValueAddress { connectionId: string; key: Buffer; scale: number }

interface Entry { data: Uint8Array; mtime: number; ctime: number; rendered: Rendered; readOnly: boolean }

export function valueUri(address: ValueAddress): vscode.Uri {
  const name = displayKey(address.key).replace(/[/\\]/g, '∕').slice(0, 80) || '(empty)';
  return vscode.Uri.from({
    scheme: SCHEME,
    path: `/${address.connectionId}/${address.key.toString('base64url')}/${name}`,
    query: address.scale > 1 ? `scale=${address.scale}` : '',
  });
}

export function parseValueUri(uri: vscode.Uri): ValueAddress {
  const [, connectionId, key] = uri.path.split('/');
  if (uri.scheme !== SCHEME || !connectionId || key === undefined) throw vscode.FileSystemError.FileNotFound(uri);
  const scale = Number(new URLSearchParams(uri.query).get('scale') ?? '1');
  return { connectionId, key: Buffer.from(key, 'base64url'), scale: Number.isInteger(scale) && scale > 0 ? scale : 1 };
}

export class ValueFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly entries = new Map<string, Entry>();
  /** Called after a successful save so the tree can re-read the key. */
  onDidWrite: ((address: ValueAddress) => void) | undefined;

  constructor(private readonly manager: ConnectionManager) {}

  /** What the last read of this URI showed (for the open command's notes). */
  entry(uri: vscode.Uri): Entry | undefined {
    return this.entries.get(uri.toString());
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const entry = this.entries.get(uri.toString()) ?? await this.load(uri);
    return {
      type: vscode.FileType.File, ctime: entry.ctime, mtime: entry.mtime, size: entry.data.byteLength,
      permissions: entry.readOnly ? vscode.FilePermission.Readonly : undefined,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.load(uri)).data;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const address = parseValueUri(uri);
    const profile = this.manager.get(address.connectionId);
    if (!profile) throw vscode.FileSystemError.FileNotFound(uri);
    const entry = this.entries.get(uri.toString()) ?? await this.load(uri);
    if (profile.readOnly) throw vscode.FileSystemError.NoPermissions(`"${profile.name}" is read-only: saving refused`);
    if (!entry.rendered.editable) throw vscode.FileSystemError.NoPermissions(entry.rendered.note ?? 'this value cannot be edited here');
    const bytes = storedBytes(Buffer.from(content).toString('utf8'), entry.rendered.presentation);
    try {
      await this.manager.withDriver(address.connectionId, (d) => d.writeString(address.key, bytes, { keepTtl: true }));
    } catch (e) {
      throw vscode.FileSystemError.Unavailable(describeError(e));
    }
    this.entries.delete(uri.toString());
    await this.load(uri);
    this.onDidWrite?.(address);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: delete keys from the CacheLens tree`);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: rename keys from the CacheLens tree`);
  }

  dispose(): void {
    this.changed.dispose();
    this.entries.clear();
  }

  /** Reads the value; keeps the old mtime when nothing changed, so VS Code sees no conflict on save. */
  private async load(uri: vscode.Uri): Promise<Entry> {
    const address = parseValueUri(uri);
    const profile = this.manager.get(address.connectionId);
    if (!profile) throw vscode.FileSystemError.FileNotFound(uri);
    let view;
    try {
      view = await this.manager.withDriver(address.connectionId, (d) => readValueView(d, address.key, address.scale));
    } catch (e) {
      if (CacheLensError.is(e)) throw vscode.FileSystemError.Unavailable(`${profile.name}: ${e.message}`);
      throw e;
    }
    if (!view) throw vscode.FileSystemError.FileNotFound(`the key ${displayKey(address.key)} no longer exists`);
    const data = Buffer.from(view.rendered.text, 'utf8');
    const previous = this.entries.get(uri.toString());
    const now = Date.now();
    const same = previous !== undefined && Buffer.from(previous.data).equals(data);
    const entry: Entry = {
      data, rendered: view.rendered, readOnly: profile.readOnly || !view.rendered.editable,
      ctime: previous?.ctime ?? now, mtime: same ? previous.mtime : Math.max(now, (previous?.mtime ?? 0) + 1),
    };
    this.entries.set(uri.toString(), entry);
    if (previous && !same) this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    return entry;
  }
}
