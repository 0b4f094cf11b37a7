import { CacheLensError } from '../../errors';
import { StringKeyIndex } from './keyIndex';
import { readLines } from './lineReader';
import { DEFAULT_CHUNK, type TraceChunk, type TraceSource } from './types';

/**
 * CSV traces: `time,key,size[,ttl]`. A first line whose time or size is not a number is a
 * header; a header naming its columns (time/timestamp, key/id/obj_id, size/obj_size, ttl) may
 * order them freely. Keys may be quoted ("a,b" and "say ""hi""" as in RFC 4180); a quoted
 * field cannot span lines. A TTL of 0 or less means none.
 */
interface Columns { time: number; key: number; size: number; ttl: number }

const NAMES: Record<keyof Columns, string[]> = {
  time: ['time', 'timestamp', 'clock_time', 'real_time', 'ts'],
  key: ['key', 'id', 'obj_id', 'object_id', 'objid'],
  size: ['size', 'obj_size', 'object_size', 'value_size', 'bytes'],
  ttl: ['ttl', 'expire', 'expiry'],
};

export class CsvTrace implements TraceSource {
  readonly descriptor;
  private readonly index = new StringKeyIndex();
  private hasTtl = false;

  constructor(private readonly file: string) {
    this.descriptor = { kind: 'csv', source: file, params: { format: 'csv' } as Record<string, string | number | boolean> };
  }

  *chunks(chunkSize = DEFAULT_CHUNK): Generator<TraceChunk> {
    let cols: Columns | null = null;
    let ids = new Int32Array(chunkSize);
    let sizes = new Int32Array(chunkSize);
    let times = new Float64Array(chunkSize);
    let expiresAt: Float64Array | null = null;
    let n = 0;
    let start = 0;
    const file = this.file;
    const fail = (lineNo: number, why: string): never => {
      throw new CacheLensError('input', `${file}: line ${lineNo}: ${why}`);
    };
    for (const { line, lineNo } of readLines(file)) {
      if (line === '') continue;
      const fields = line.includes('"') ? splitQuoted(line, lineNo, fail) : line.split(',');
      if (cols === null) {
        const header = detectHeader(fields);
        cols = header ?? { time: 0, key: 1, size: 2, ttl: fields.length >= 4 ? 3 : -1 };
        this.hasTtl = cols.ttl !== -1;
        this.descriptor.params.header = header !== null;
        this.descriptor.params.ttl = this.hasTtl;
        if (header) continue;
      }
      if (fields.length < 3) fail(lineNo, `expected time,key,size[,ttl], got ${fields.length} field${fields.length === 1 ? '' : 's'}`);
      const time = Number(fields[cols.time]);
      if (fields[cols.time] === '' || !Number.isFinite(time)) fail(lineNo, `time "${fields[cols.time]}" is not a number`);
      const sizeText = fields[cols.size];
      const size = Number(sizeText);
      if (sizeText === undefined || sizeText === '' || !Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
        fail(lineNo, `size "${sizeText ?? ''}" is not a whole number of bytes`);
      }
      const key = fields[cols.key];
      if (key === undefined) fail(lineNo, 'the key field is missing');
      ids[n] = this.index.id(key as string);
      sizes[n] = size;
      times[n] = time;
      if (cols.ttl !== -1) {
        const ttlText = fields[cols.ttl] ?? '';
        const ttl = ttlText === '' ? 0 : Number(ttlText);
        if (!Number.isFinite(ttl)) fail(lineNo, `ttl "${ttlText}" is not a number`);
        expiresAt ??= new Float64Array(chunkSize);
        expiresAt[n] = ttl > 0 ? time + ttl : Infinity;
      }
      if (++n === chunkSize) {
        yield { start, length: n, ids, sizes, times, expiresAt, next: null };
        start += n;
        n = 0;
        ids = new Int32Array(chunkSize);
        sizes = new Int32Array(chunkSize);
        times = new Float64Array(chunkSize);
        expiresAt = expiresAt ? new Float64Array(chunkSize) : null;
      }
    }
    if (n > 0) {
      yield {
        start, length: n, ids: ids.subarray(0, n), sizes: sizes.subarray(0, n), times: times.subarray(0, n),
        expiresAt: expiresAt ? expiresAt.subarray(0, n) : null, next: null,
      };
    }
  }

  idSpace(): number { return this.index.size; }
  label(id: number): string { return this.index.label(id); }
  close(): void { /* readLines closes its file at the end of each pass */ }
}

/** A header is a first line whose time or size column is not numeric. */
function detectHeader(fields: string[]): Columns | null {
  const numeric = (s: string | undefined) => s !== undefined && s.trim() !== '' && Number.isFinite(Number(s));
  if (numeric(fields[0]) && numeric(fields[2])) return null;
  const lower = fields.map((f) => f.trim().toLowerCase());
  const find = (k: keyof Columns) => lower.findIndex((f) => NAMES[k].includes(f));
  const named = { time: find('time'), key: find('key'), size: find('size'), ttl: find('ttl') };
  if (named.time !== -1 && named.key !== -1 && named.size !== -1) return named;
  return { time: 0, key: 1, size: 2, ttl: fields.length >= 4 ? 3 : -1 };
}

/** RFC 4180 fields on one line: quotes around a field, `""` for a quote inside. */
export function splitQuoted(line: string, lineNo: number, fail: (lineNo: number, why: string) => never): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q === -1) fail(lineNo, `unterminated quoted field starting at column ${i + 1}`);
        value += line.slice(j, q);
        if (line[q + 1] === '"') { value += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === line.length) return out;
      if (line[i] !== ',') fail(lineNo, `unexpected character after a quoted field at column ${i + 1}`);
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c === -1) { out.push(line.slice(i)); return out; }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}
