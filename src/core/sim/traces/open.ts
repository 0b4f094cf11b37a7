import * as fs from 'node:fs';
import { CacheLensError } from '../../errors';
import { CsvTrace } from './csv';
import { LinesTrace } from './lines';
import { ORACLE_RECORD, OracleGeneralTrace } from './oracleGeneral';
import { SyntheticTrace } from './synthetic';
import type { TraceSource } from './types';

export type TraceFormat = 'auto' | 'lines' | 'csv' | 'oracleGeneral';
export const TRACE_FORMATS: TraceFormat[] = ['auto', 'lines', 'csv', 'oracleGeneral'];

/** Where a trace comes from; plain data, so it can be posted to a worker. */
export type TraceRef =
  | { spec: string }
  | { file: string; format?: TraceFormat };

export function openTrace(ref: TraceRef): TraceSource {
  if ('spec' in ref) return new SyntheticTrace(ref.spec);
  const format = ref.format === undefined || ref.format === 'auto' ? detectFormat(ref.file) : ref.format;
  switch (format) {
    case 'lines': return new LinesTrace(ref.file);
    case 'csv': return new CsvTrace(ref.file);
    case 'oracleGeneral': return new OracleGeneralTrace(ref.file);
    default: throw new CacheLensError('usage', `unknown trace format "${String(format)}" (known: ${TRACE_FORMATS.join(', ')})`);
  }
}

export function parseFormat(raw: string): TraceFormat {
  const f = TRACE_FORMATS.find((x) => x.toLowerCase() === raw.toLowerCase());
  if (!f) throw new CacheLensError('usage', `unknown trace format "${raw}" (known: ${TRACE_FORMATS.join(', ')})`);
  return f;
}

/**
 * Guesses a file's format from its first 64 KB: NUL bytes mean binary (oracleGeneral); text
 * whose first record looks like `number,key,number` (or a header naming time/key/size) is
 * CSV; any other text is one key per line.
 */
export function detectFormat(file: string): Exclude<TraceFormat, 'auto'> {
  let head: Buffer;
  let size: number;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      size = fs.fstatSync(fd).size;
      head = Buffer.alloc(Math.min(size, 65536));
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new CacheLensError('input', `cannot open trace file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, e);
  }
  if (head.includes(0)) {
    if (size % ORACLE_RECORD !== 0) {
      throw new CacheLensError('input', `${file} looks binary but its ${size} bytes are not a whole number of ${ORACLE_RECORD}-byte oracleGeneral records; pass --format if it is text`);
    }
    return 'oracleGeneral';
  }
  const lines = head.toString('latin1').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '').slice(0, 3);
  if (lines.length === 0) return 'lines';
  const numeric = (s: string | undefined) => s !== undefined && s.trim() !== '' && Number.isFinite(Number(s));
  const looksCsv = (l: string) => {
    const f = l.split(',');
    return (f.length === 3 || f.length === 4) && numeric(f[0]) && numeric(f[2]);
  };
  const first = lines[0].toLowerCase().split(',').map((s) => s.trim());
  const header = first.length >= 3 && first.some((f) => ['key', 'id', 'obj_id', 'object_id'].includes(f)) && first.some((f) => ['size', 'obj_size', 'object_size'].includes(f));
  if (header || looksCsv(lines[0]) || (lines.length > 1 && looksCsv(lines[1]) && lines[0].split(',').length >= 3)) return 'csv';
  // A quoted key makes the simple split fail; a line starting `number,"` is still CSV.
  if (/^\s*[0-9.]+\s*,\s*"/.test(lines[0])) return 'csv';
  return 'lines';
}
