/**
 * Turns a key into bytes for hashing without allocating on the hot path: Buffers are used
 * as they are, strings are encoded into one shared scratch buffer (ASCII by a plain loop,
 * anything else by Buffer.write). Callers read `loaded.bytes` and `loaded.length` right
 * after `loadKey` and before the next call.
 */
import type { RingKey } from './algorithm';

let scratch = Buffer.allocUnsafe(4096);

export const loaded: { bytes: Uint8Array; length: number } = { bytes: scratch, length: 0 };

export function loadKey(key: RingKey): void {
  if (typeof key !== 'string') {
    loaded.bytes = key;
    loaded.length = key.length;
    return;
  }
  const n = key.length;
  if (n * 3 > scratch.length) scratch = Buffer.allocUnsafe(n * 3 + 1024);
  let i = 0;
  for (; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) break;
    scratch[i] = c;
  }
  loaded.bytes = scratch;
  loaded.length = i === n ? n : scratch.write(key, 0, 'utf8');
}
