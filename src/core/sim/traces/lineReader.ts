import * as fs from 'node:fs';
import { CacheLensError } from '../../errors';

/**
 * Reads a text file line by line in constant memory (4 MB blocks), as latin1 so that every
 * byte of a key is kept exactly (keys need not be UTF-8). Lines end in `\n`; a trailing `\r`
 * is dropped. Line numbers are 1-based, for error messages.
 */
export function* readLines(file: string, blockSize = 4 << 20): Generator<{ line: string; lineNo: number }> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new CacheLensError('input', `cannot open trace file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, e);
  }
  const buf = Buffer.allocUnsafe(blockSize);
  let carry = '';
  let lineNo = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, blockSize, null);
      if (n === 0) break;
      const text = carry + buf.toString('latin1', 0, n);
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        if (nl === -1) break;
        lineNo++;
        const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield { line: text.slice(from, end), lineNo };
        from = nl + 1;
      }
      carry = text.slice(from);
      if (carry.length > blockSize) {
        throw new CacheLensError('input', `${file}: line ${lineNo + 1} is longer than ${blockSize} bytes; is this a binary file? (try --format oracleGeneral)`);
      }
    }
    if (carry.length > 0) {
      lineNo++;
      const end = carry.charCodeAt(carry.length - 1) === 13 ? carry.length - 1 : carry.length;
      yield { line: carry.slice(0, end), lineNo };
    }
  } finally {
    fs.closeSync(fd);
  }
}
