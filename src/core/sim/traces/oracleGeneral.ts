import * as fs from 'node:fs';
import { CacheLensError } from '../../errors';
import { U64KeyIndex } from './keyIndex';
import { DEFAULT_CHUNK, type TraceChunk, type TraceSource } from './types';

/**
 * libCacheSim's `oracleGeneral` binary format: 24-byte little-endian records of
 * uint32 time, uint64 id, uint32 size, int64 next access. The next access is libCacheSim's
 * 1-based "virtual time" of the object's next request (what its traceConv writes), so the
 * 0-based request index is vtime - 1; -1 (any negative) or INT64_MAX means never again.
 */
export const ORACLE_RECORD = 24;

export class OracleGeneralTrace implements TraceSource {
  readonly descriptor;
  readonly providesNext = true;
  private readonly index = new U64KeyIndex();

  constructor(private readonly file: string) {
    this.descriptor = { kind: 'oracleGeneral', source: file, params: { format: 'oracleGeneral' } };
  }

  *chunks(chunkSize = DEFAULT_CHUNK, options: { next?: boolean } = {}): Generator<TraceChunk> {
    const file = this.file;
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      throw new CacheLensError('input', `cannot open trace file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, e);
    }
    try {
      const bytes = fs.fstatSync(fd).size;
      if (bytes % ORACLE_RECORD !== 0) {
        const last = bytes - (bytes % ORACLE_RECORD);
        throw new CacheLensError('input', `${file}: ${bytes} bytes is not a whole number of ${ORACLE_RECORD}-byte oracleGeneral records (the record at byte offset ${last} is cut short)`);
      }
      const total = bytes / ORACLE_RECORD;
      // A fresh ArrayBuffer per read keeps the Uint32Array view aligned.
      const buf = Buffer.from(new ArrayBuffer(chunkSize * ORACLE_RECORD));
      const words = new Uint32Array(buf.buffer, 0, chunkSize * 6);
      const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
      for (let start = 0; start < total; start += chunkSize) {
        const length = Math.min(chunkSize, total - start);
        let got = 0;
        while (got < length * ORACLE_RECORD) {
          const n = fs.readSync(fd, buf, got, length * ORACLE_RECORD - got, start * ORACLE_RECORD + got);
          if (n === 0) throw new CacheLensError('input', `${file}: the file ended early at byte offset ${start * ORACLE_RECORD + got}`);
          got += n;
        }
        if (!littleEndian) for (let i = 0; i < length * 6; i++) words[i] = buf.readUInt32LE(i * 4);
        const ids = new Int32Array(length);
        const sizes = new Int32Array(length);
        const times = new Float64Array(length);
        const next = options.next ? new Float64Array(length) : null;
        for (let i = 0; i < length; i++) {
          const w = i * 6;
          times[i] = words[w];
          ids[i] = this.index.id(words[w + 1], words[w + 2]);
          const size = words[w + 3];
          if (size > 0x7fffffff) {
            throw new CacheLensError('input', `${file}: record at byte offset ${(start + i) * ORACLE_RECORD} has size ${size}, too large for a cache object`);
          }
          sizes[i] = size;
          if (next) {
            const hi = words[w + 5] | 0;
            const vtime = hi * 4294967296 + words[w + 4];
            const index = start + i;
            if (hi < 0 || vtime >= 2 ** 53) next[i] = Infinity;
            else if (vtime - 1 <= index) {
              throw new CacheLensError('input', `${file}: record at byte offset ${index * ORACLE_RECORD} says the next access is request ${vtime}, which is not after it`);
            } else next[i] = vtime - 1;
          }
        }
        yield { start, length, ids, sizes, times, expiresAt: null, next };
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  idSpace(): number { return this.index.size; }
  label(id: number): string { return this.index.label(id); }
  close(): void { /* each pass closes its own descriptor */ }
}

/** Writes an oracleGeneral file (for tests, exports and converting other traces). */
export function encodeOracleGeneral(records: Array<{ time: number; id: bigint | number; size: number; next: number }>): Buffer {
  const buf = Buffer.alloc(records.length * ORACLE_RECORD);
  records.forEach((r, i) => {
    const o = i * ORACLE_RECORD;
    buf.writeUInt32LE(r.time >>> 0, o);
    buf.writeBigUInt64LE(BigInt(r.id), o + 4);
    buf.writeUInt32LE(r.size >>> 0, o + 12);
    buf.writeBigInt64LE(BigInt(r.next), o + 16);
  });
  return buf;
}
