/**
 * For the explorer tests: read the connection tree through the extension's
 * `cachelens.explorer.snapshot` command and find nodes in it.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

export interface SnapshotItem { label: string; description?: string; contextValue?: string; children?: SnapshotItem[] }

/** The tree of one connection as the explorer shows it now. */
export async function snapshot(id: string): Promise<SnapshotItem> {
  const snap = await vscode.commands.executeCommand<SnapshotItem | undefined>('cachelens.explorer.snapshot', id);
  assert.ok(snap, 'the snapshot command returned nothing');
  return snap;
}

/** The child labelled `label`; fails naming the children there are. */
export function child(item: SnapshotItem | undefined, label: string): SnapshotItem {
  const found = item?.children?.find((c) => c.label === label);
  assert.ok(found, `no "${label}" under "${item?.label}": ${JSON.stringify(item?.children?.map((c) => c.label))}`);
  return found;
}

/** The key nodes directly under a node. */
export const keysOf = (item: SnapshotItem): SnapshotItem[] => (item.children ?? []).filter((c) => c.contextValue?.startsWith('cachelens.key.'));
