/**
 * What a key command acts on: a tree node, or for tests and other commands a plain
 * `{ connectionId, key }` (UTF-8 name) or `{ connectionId, keyBase64 }` (exact bytes).
 */
export interface KeyTarget { connectionId: string; key: Buffer }

export function keyTargetOf(arg: unknown): KeyTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { connectionId?: unknown; key?: unknown; keyBase64?: unknown; kind?: unknown };
  if (typeof a.connectionId !== 'string') return undefined;
  if (Buffer.isBuffer(a.key)) return { connectionId: a.connectionId, key: a.key };
  if (a.key instanceof Uint8Array) return { connectionId: a.connectionId, key: Buffer.from(a.key) };
  if (typeof a.keyBase64 === 'string') return { connectionId: a.connectionId, key: Buffer.from(a.keyBase64, 'base64') };
  if (typeof a.key === 'string') return { connectionId: a.connectionId, key: Buffer.from(a.key, 'utf8') };
  return undefined;
}

/** The targets of a command run on a multi-selection (VS Code passes the clicked node and the selection). */
export function keyTargetsOf(first: unknown, selection: unknown): KeyTarget[] {
  const list = Array.isArray(selection) && selection.length ? selection : Array.isArray(first) ? first : [first];
  return list.map(keyTargetOf).filter((t): t is KeyTarget => t !== undefined);
}
