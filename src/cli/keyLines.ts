/**
 * The rows of `cachelens keys`, rendered straight into bytes: a million keys become a few
 * hundred 64 KB writes instead of a million strings. Plain keys (printable ASCII without `\`
 * or `"`) are copied byte for byte; any other key goes through displayKey() / keyJson(), so
 * the output is exactly what the string path would print.
 */
import { displayKey, keyJson } from '../core/keyname';
import type { PackedKeys } from '../core/driver/types';
import type { CliIO } from './io';

const CHUNK = 1 << 16;

/** `ms` as the text column shows it: no-ttl, 850ms, 42s, 12m, 5h, 3d. */
export function formatTtl(ms: number): string {
  if (ms < 0) return 'no-ttl';
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** True when bytes [s, e) can be printed as they are in both text and JSON output. */
function plainRange(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c < 0x20 || c >= 0x7f || c === 0x5c || c === 0x22) return false;
  }
  return true;
}

export class KeyLineWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private at = 0;
  /** Rows written so far. */
  rows = 0;
  private lastType = '';
  private lastTypeJson = '""';

  constructor(private readonly io: CliIO, private readonly json: boolean) {}

  /** Every key of a packed batch, up to `limit` rows in all; returns how many were written. */
  writePacked(p: PackedKeys, limit = Infinity): number {
    const n = Math.min(p.count, limit - this.rows);
    for (let i = 0; i < n; i++) this.row(p.keyBytes, p.offsets[i], p.offsets[i + 1], p.type, p.ttlMs[i], p.bytes[i]);
    return n;
  }

  /** One key: bytes [s, e) of `keyBytes`. */
  row(keyBytes: Buffer, s: number, e: number, type: string, ttlMs: number, bytes: number): void {
    this.rows++;
    if (e - s + 128 > CHUNK - this.at) this.flush();
    if (e - s + 128 > CHUNK || !plainRange(keyBytes, s, e)) {
      const key = keyBytes.subarray(s, e);
      const line = this.json
        ? JSON.stringify({ ...keyJson(key), type, ttl: ttlMs, bytes })
        : `${displayKey(key)}\t${type}\t${formatTtl(ttlMs)}\t${bytes}`;
      this.text(line + '\n');
      return;
    }
    if (this.json) this.ascii('{"key":"');
    // A byte loop: Buffer#copy costs more than the copy itself for keys this short.
    const b = this.buf;
    let at = this.at;
    for (let i = s; i < e; i++) b[at++] = keyBytes[i];
    this.at = at;
    if (this.json) {
      this.ascii('","type":');
      if (type !== this.lastType) { this.lastType = type; this.lastTypeJson = JSON.stringify(type); }
      this.ascii(this.lastTypeJson);
      this.ascii(',"ttl":');
      this.number(ttlMs);
      this.ascii(',"bytes":');
      this.number(bytes);
      this.ascii('}\n');
    } else {
      this.ascii('\t');
      this.ascii(type);
      this.ascii('\t');
      this.ascii(formatTtl(ttlMs));
      this.ascii('\t');
      this.number(bytes);
      this.ascii('\n');
    }
  }

  /** Hands what is buffered to stdout; a fresh buffer follows, since a write may still read this one. */
  flush(): void {
    if (this.at === 0) return;
    const chunk = this.buf.subarray(0, this.at);
    if (this.io.outBytes) this.io.outBytes(chunk);
    else this.io.out(chunk.toString('utf8'));
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.at = 0;
  }

  /** Short ASCII text (names, numbers); the caller made room. */
  private ascii(t: string): void {
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < t.length; i++) b[at++] = t.charCodeAt(i);
    this.at = at;
  }

  private number(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) { this.ascii(String(n)); return; }
    if (n === 0) { this.buf[this.at++] = 0x30; return; }
    let digits = 0;
    for (let v = n; v > 0; v = Math.floor(v / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    for (let v = n; v > 0; v = Math.floor(v / 10)) this.buf[--at] = 0x30 + (v % 10);
  }

  /** Any text (escaped keys, long lines), as UTF-8. */
  private text(t: string): void {
    const len = Buffer.byteLength(t, 'utf8');
    if (len > CHUNK - this.at) this.flush();
    if (len > CHUNK) { this.io.out(t); return; }
    this.at += this.buf.write(t, this.at, 'utf8');
  }
}
