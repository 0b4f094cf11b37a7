/**
 * The fallback listing for servers older than 1.4.31: `stats cachedump <class> 0` per slab
 * class. The server caps each reply (about 2 MB) and walks only part of the LRU, so this list
 * is partial; capabilities() says so. Lines look like `ITEM <key> [<size> b; <exp> s]`.
 */
import { CacheLensError } from '../../errors';
import { readUntilEnd, type TextConnection } from './connection';
import type { DumpItem } from './metadump';

const ITEM_LINE = /^ITEM (\S+) \[(\d+) b; (\d+) s\]$/;

/** Parses one cachedump line; an `exp` of 0 (or the server's start time on old versions) means none. */
export function parseCachedumpLine(line: string, serverStartS: number): DumpItem | null {
  const m = ITEM_LINE.exec(line);
  if (!m) return null;
  const exp = Number(m[3]);
  return { key: Buffer.from(m[1], 'latin1'), size: Number(m[2]), exp: exp === 0 || exp <= serverStartS ? -1 : exp };
}

export async function* cachedump(conn: TextConnection, where: string, signal?: AbortSignal): AsyncGenerator<DumpItem[]> {
  const statsLines = await conn.send('stats\r\n', readUntilEnd, 'stats');
  let time = 0;
  let uptime = 0;
  for (const l of statsLines) {
    if (l.startsWith('STAT time ')) time = Number(l.slice(10));
    if (l.startsWith('STAT uptime ')) uptime = Number(l.slice(12));
  }
  const serverStartS = time - uptime;
  const items = await conn.send('stats items\r\n', readUntilEnd, 'stats items');
  const classes = new Set<number>();
  for (const l of items) {
    const m = /^STAT items:(\d+):number /.exec(l);
    if (m) classes.add(Number(m[1]));
  }
  for (const cls of classes) {
    if (signal?.aborted) throw new CacheLensError('cancelled', 'key listing cancelled');
    const lines = await conn.send(`stats cachedump ${cls} 0\r\n`, readUntilEnd, `stats cachedump on ${where}`);
    const batch: DumpItem[] = [];
    for (const l of lines) {
      const item = parseCachedumpLine(l, serverStartS);
      if (item) batch.push(item);
    }
    if (batch.length > 0) yield batch;
  }
}
