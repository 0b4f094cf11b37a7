/**
 * How a value is shown in an editor tab, and how an edited string goes back. Pure (no
 * `vscode`), so the round trip is tested in plain Node.
 *
 * Strings: UTF-8 text as is; JSON pretty-printed only when compacting it again gives back the
 * exact stored bytes (so saving an untouched document never changes the value); anything not
 * valid UTF-8 as a read-only hex dump. Hashes, lists, sets, sorted sets and streams: read-only
 * JSON with the total length and how much is shown.
 */
import type { ValuePage } from '../../core/driver/types';
import { displayKey } from '../../core/keyname';

export type Presentation = 'text' | 'json' | 'hex' | 'collection';

export interface Rendered {
  text: string;
  presentation: Presentation;
  /** The editor language to set. */
  language: 'plaintext' | 'json';
  /** A string shown in full as text or JSON: the only kind that can be saved back. */
  editable: boolean;
  /** Everything is shown (no more pages). */
  complete: boolean;
  /** A one-line note when something is not shown or not editable. */
  note?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A field or member as JSON text: UTF-8 as is, other bytes escaped like key names. */
function text(b: Buffer): string {
  return isUtf8(b) ? b.toString('utf8') : displayKey(b);
}

export function renderString(bytes: Buffer, totalBytes: number): Rendered {
  const complete = bytes.length >= totalBytes;
  const shown = complete ? '' : `first ${bytes.length.toLocaleString('en-US')} of ${totalBytes.toLocaleString('en-US')} bytes shown`;
  // A cut may split a UTF-8 sequence; that alone must not turn text into hex.
  const probe = complete ? bytes : trimPartialUtf8(bytes);
  if (!isUtf8(probe)) {
    return { text: hexDump(bytes), presentation: 'hex', language: 'plaintext', editable: false, complete,
      note: `binary value shown as hex (read-only)${shown ? `; ${shown}` : ''}` };
  }
  const str = probe.toString('utf8');
  if (complete) {
    const pretty = prettyJson(str);
    if (pretty !== undefined) return { text: pretty, presentation: 'json', language: 'json', editable: true, complete };
  }
  return { text: str, presentation: 'text', language: 'plaintext', editable: complete, complete,
    note: complete ? undefined : `${shown} (read-only until the whole value is loaded)` };
}

/** Pretty JSON when the value is a JSON object or array whose compact form is exactly the stored text. */
function prettyJson(str: string): string | undefined {
  const t = str.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(str);
    if (JSON.stringify(parsed) !== str) return undefined;
    return JSON.stringify(parsed, null, 2);
  } catch {
    return undefined;
  }
}

/** The bytes to store for an edited document. */
export function storedBytes(edited: string, presentation: Presentation): Buffer {
  if (presentation === 'json') {
    try {
      return Buffer.from(JSON.stringify(JSON.parse(edited)), 'utf8');
    } catch {
      // Invalid JSON after an edit is stored as typed: the user's text is never lost.
      return Buffer.from(edited, 'utf8');
    }
  }
  return Buffer.from(edited, 'utf8');
}

function trimPartialUtf8(bytes: Buffer): Buffer {
  // Drop up to 3 trailing bytes of an incomplete multi-byte sequence.
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    const candidate = bytes.subarray(0, bytes.length - cut);
    if (isUtf8(candidate)) return candidate;
  }
  return bytes;
}

export function hexDump(bytes: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** Pages of one collection value, gathered until the element limit or the end. */
export interface Collected {
  type: string;
  total: number;
  pages: ValuePage[];
}

export function renderCollection(c: Collected, complete: boolean): Rendered {
  let value: unknown;
  let shown = 0;
  switch (c.type) {
    case 'hash': {
      const obj: Record<string, string> = {};
      for (const p of c.pages) if ('entries' in p && p.type === 'hash') for (const [f, v] of p.entries) { obj[text(f)] = text(v); shown++; }
      value = obj;
      break;
    }
    case 'list': {
      const items: string[] = [];
      for (const p of c.pages) if (p.type === 'list' && 'items' in p) items.push(...p.items.map(text));
      shown = items.length;
      value = items;
      break;
    }
    case 'set': {
      const seen = new Set<string>();
      for (const p of c.pages) if (p.type === 'set' && 'members' in p) for (const m of p.members) seen.add(text(m));
      shown = seen.size;
      value = [...seen];
      break;
    }
    case 'zset': {
      const entries: Array<{ member: string; score: number | string }> = [];
      for (const p of c.pages) if (p.type === 'zset' && 'entries' in p) for (const [m, s] of p.entries) entries.push({ member: text(m), score: Number.isFinite(s) ? s : String(s) });
      shown = entries.length;
      value = entries;
      break;
    }
    case 'stream': {
      const entries: Array<{ id: string; fields: Record<string, string> }> = [];
      for (const p of c.pages) if (p.type === 'stream' && 'entries' in p) {
        for (const e of p.entries) entries.push({ id: e.id, fields: Object.fromEntries(e.fields.map(([f, v]) => [text(f), text(v)])) });
      }
      shown = entries.length;
      value = entries;
      break;
    }
    default:
      return { text: `"${c.type}" values cannot be shown yet.\n`, presentation: 'collection', language: 'plaintext', editable: false, complete: true, note: `unsupported type ${c.type}` };
  }
  const doc = { type: c.type, length: c.total, shown, value };
  return {
    text: JSON.stringify(doc, null, 2) + '\n', presentation: 'collection', language: 'json', editable: false, complete,
    note: complete ? undefined : `${shown.toLocaleString('en-US')} of ${c.total.toLocaleString('en-US')} elements shown`,
  };
}
