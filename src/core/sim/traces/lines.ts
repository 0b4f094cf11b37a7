import { StringKeyIndex } from './keyIndex';
import { readLines } from './lineReader';
import { DEFAULT_CHUNK, type TraceChunk, type TraceSource } from './types';

/** One key per line; blank lines are skipped. No sizes, no times, no TTLs. */
export class LinesTrace implements TraceSource {
  readonly descriptor;
  private readonly index = new StringKeyIndex();

  constructor(private readonly file: string) {
    this.descriptor = { kind: 'lines', source: file, params: { format: 'lines' } };
  }

  *chunks(chunkSize = DEFAULT_CHUNK): Generator<TraceChunk> {
    let ids = new Int32Array(chunkSize);
    let n = 0;
    let start = 0;
    for (const { line } of readLines(this.file)) {
      if (line === '') continue;
      ids[n++] = this.index.id(line);
      if (n === chunkSize) {
        yield { start, length: n, ids, sizes: null, times: null, expiresAt: null, next: null };
        start += n;
        n = 0;
        ids = new Int32Array(chunkSize);
      }
    }
    if (n > 0) yield { start, length: n, ids: ids.subarray(0, n), sizes: null, times: null, expiresAt: null, next: null };
  }

  idSpace(): number { return this.index.size; }
  label(id: number): string { return this.index.label(id); }
  close(): void { /* readLines closes its file at the end of each pass */ }
}
