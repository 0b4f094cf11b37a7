/**
 * How key bytes are shown and typed. Keys are Buffers everywhere; only here do they become
 * text. A key that is valid UTF-8 without control characters or backslashes is shown as is;
 * any other key is shown escaped like redis-cli does (`\xff`, `\n`, `\\`), and that escaped
 * form parses back to the exact bytes. JSON output uses base64 for keys that are not UTF-8.
 */
import { isUtf8 } from 'node:buffer';

function needsEscape(key: Buffer): boolean {
  if (!isUtf8(key)) return true;
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c < 0x20 || c === 0x7f || c === 0x5c) return true;
  }
  return false;
}

const NAMED: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b', 0x5c: '\\\\' };

/** True when every byte is printable ASCII other than a backslash (the common case). */
function isPlainAscii(key: Buffer): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return false;
  }
  return true;
}

/** The key as one line of text: plain when safe, otherwise escaped byte by byte. */
export function displayKey(key: Buffer): string {
  // latin1 decoding of plain ASCII is the same text, and much cheaper than UTF-8 decoding.
  if (isPlainAscii(key)) return key.toString('latin1');
  if (!needsEscape(key)) return key.toString('utf8');
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    const named = NAMED[c];
    if (named !== undefined) out += named;
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out;
}

/** True when displayKey() had to escape this key. */
export function isEscapedDisplay(key: Buffer): boolean {
  return needsEscape(key);
}

/**
 * Parses what a person typed back into key bytes: `\xHH`, `\n`, `\r`, `\t`, `\a`, `\b`, `\\`
 * and `\"` are escapes, everything else is UTF-8 text. The inverse of displayKey().
 */
export function parseKeyInput(text: string): Buffer {
  if (!text.includes('\\')) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let plain = '';
  const flush = () => { if (plain) { parts.push(Buffer.from(plain, 'utf8')); plain = ''; } };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\\' || i + 1 >= text.length) { plain += ch; continue; }
    const next = text[i + 1];
    if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      flush();
      parts.push(Buffer.from([parseInt(text.slice(i + 2, i + 4), 16)]));
      i += 3;
      continue;
    }
    const simple: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, a: 0x07, b: 0x08, '\\': 0x5c, '"': 0x22 };
    if (next in simple) {
      flush();
      parts.push(Buffer.from([simple[next]]));
      i += 1;
      continue;
    }
    plain += ch;
  }
  flush();
  return Buffer.concat(parts);
}

/** The JSON form of a key: `{ key }` when it is UTF-8 text, `{ keyBase64 }` otherwise. */
export function keyJson(key: Buffer): { key: string } | { keyBase64: string } {
  return isUtf8(key) ? { key: key.toString('utf8') } : { keyBase64: key.toString('base64') };
}

/** The JSON form of a namespace prefix, by the same rule. */
export function prefixJson(prefix: Buffer): { prefix: string } | { prefixBase64: string } {
  return isUtf8(prefix) ? { prefix: prefix.toString('utf8') } : { prefixBase64: prefix.toString('base64') };
}

/** Escapes glob metacharacters so a literal prefix can be used as a MATCH pattern. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}

/**
 * A MATCH pattern for every key under a namespace prefix, or undefined when the prefix is not
 * UTF-8 (a glob is text): callers then list everything and compare prefix bytes themselves.
 */
export function prefixGlob(prefix: Buffer): string | undefined {
  return isUtf8(prefix) ? escapeGlob(prefix.toString('utf8')) + '*' : undefined;
}
