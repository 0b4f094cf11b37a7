/**
 * Reads a value for an editor tab by range: the first 64 KB of a string or the first 500
 * elements of a collection, times `scale` when the user asked for more. A 500k-field hash is
 * read in HSCAN pages up to the limit and never loads at once. No `vscode` import.
 */
import type { CacheDriver, KeyInfo, ValuePage } from '../../core/driver/types';
import { renderCollection, renderString, type Rendered } from './render';

export const STRING_BYTES = 65536;
export const ELEMENTS = 500;

export interface ValueView { info: KeyInfo; rendered: Rendered }

export async function readValueView(driver: CacheDriver, key: Buffer, scale = 1): Promise<ValueView | null> {
  const info = await driver.lookup(key);
  if (!info) return null;
  if (info.type === 'string') {
    const page = await driver.readValue(key, { limit: STRING_BYTES * scale });
    if (!page) return null;
    if (page.type !== 'string' || !('bytes' in page)) return { info, rendered: renderCollection({ type: page.type, total: 0, pages: [] }, true) };
    return { info, rendered: renderString(page.bytes, page.totalBytes) };
  }
  const limit = ELEMENTS * scale;
  const pages: ValuePage[] = [];
  let total = 0;
  let shown = 0;
  let complete = false;
  let cursor: string | null = null;
  for (;;) {
    const page: ValuePage | null = await driver.readValue(key, cursor === null ? { limit } : { limit: limit - shown, cursor });
    if (!page) return null;
    pages.push(page);
    if ('unsupported' in page || !('total' in page)) {
      complete = true;
      break;
    }
    total = page.total;
    if ('cursor' in page) {
      shown += 'entries' in page ? page.entries.length : page.members.length;
      cursor = page.cursor;
      if (cursor === null) {
        complete = true;
        break;
      }
      if (shown >= limit) break;
    } else {
      shown += 'items' in page ? page.items.length : 'entries' in page ? page.entries.length : 0;
      complete = shown >= total;
      break;
    }
  }
  return { info, rendered: renderCollection({ type: info.type, total, pages }, complete) };
}
