/**
 * How memcached keys travel. The text protocol splits on spaces and ends lines at CR/LF, so a
 * key with those (or other control bytes) goes in a meta command's base64 mode (`b` flag).
 * metadump and cachedump print keys URI-encoded, which we decode back to the exact bytes.
 */

export const MAX_KEY_BYTES = 250;

/** True when the key can be sent as-is in the text protocol. */
export function isTextSafe(key: Buffer): boolean {
  if (key.length === 0 || key.length > MAX_KEY_BYTES) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** The key token and whether the `b` flag must accompany it in a meta command. */
export function metaKey(key: Buffer): { token: string; base64: boolean } {
  return isTextSafe(key) ? { token: key.toString('latin1'), base64: false } : { token: key.toString('base64'), base64: true };
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Percent-decodes bytes [start, end) of `src` into `dst` at `at` (a malformed escape stays
 * literal) and returns where the decoded key ends. `dst` needs room for `end - start` bytes.
 * Runs a million times per listing: no allocation.
 */
export function uriDecodeInto(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number): number {
  let n = at;
  for (let i = start; i < end; i++) {
    const c = src[i];
    if (c === 0x25 && i + 2 < end) {
      const hi = hexValue(src[i + 1]);
      const lo = hexValue(src[i + 2]);
      if (hi >= 0 && lo >= 0) { dst[n++] = (hi << 4) | lo; i += 2; continue; }
    }
    dst[n++] = c;
  }
  return n;
}

/** Percent-decodes bytes [start, end) of `buf` into a new Buffer (a malformed escape stays literal). */
export function uriDecode(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  return out.subarray(0, uriDecodeInto(buf, start, end, out, 0));
}
