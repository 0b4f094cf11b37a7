import type { Cluster, Redis } from 'ioredis';
import { CacheLensError } from '../../errors';
import type { ValuePage, ValueRange } from '../types';

/** Defaults of the interface: the first 64 KB of a string, 500 elements of anything else. */
export const DEFAULT_STRING_BYTES = 65536;
export const DEFAULT_ELEMENTS = 500;

type Client = Redis | Cluster;

function pairs(flat: Buffer[]): Array<[Buffer, Buffer]> {
  const out: Array<[Buffer, Buffer]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

function score(raw: Buffer | number): number {
  if (typeof raw === 'number') return raw;
  const text = raw.toString();
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

function positiveInt(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new CacheLensError('usage', `invalid ${what} ${value}`);
  return value;
}

/**
 * Reads one page of a value of a known type. Each type is read by range (GETRANGE, HSCAN,
 * LRANGE, SSCAN, ZRANGE by index, XRANGE COUNT), so a huge value never loads at once; the
 * length comes from the same pipeline. Returns the page and how many keyspace lookups it made
 * (each of these commands counts as one hit when the key exists).
 */
export async function readPage(client: Client, key: Buffer, type: string, range: ValueRange = {}): Promise<{ page: ValuePage; lookups: number }> {
  const limit = positiveInt(range.limit, type === 'string' ? DEFAULT_STRING_BYTES : DEFAULT_ELEMENTS, 'limit');
  const offset = positiveInt(range.offset, 0, 'offset');
  const cursor = range.cursor ?? '0';
  const two = async (a: [string, ...Array<string | number | Buffer>], b: [string, ...Array<string | number | Buffer>]): Promise<[unknown, unknown]> =>
    Promise.all([client.callBuffer(...a), client.callBuffer(...b)]) as Promise<[unknown, unknown]>;

  switch (type) {
    case 'string': {
      const [len, bytes] = await two(['STRLEN', key], ['GETRANGE', key, offset, offset + Math.max(limit, 1) - 1]);
      const body = limit === 0 ? Buffer.alloc(0) : (bytes as Buffer);
      return { page: { type, bytes: body, totalBytes: Number(len), offset }, lookups: 2 };
    }
    case 'hash': {
      const [len, reply] = await two(['HLEN', key], ['HSCAN', key, cursor, 'COUNT', limit]);
      const [next, flat] = reply as [Buffer, Buffer[]];
      const n = next.toString();
      return { page: { type, entries: pairs(flat), total: Number(len), cursor: n === '0' ? null : n }, lookups: 2 };
    }
    case 'list': {
      const [len, items] = await two(['LLEN', key], ['LRANGE', key, offset, offset + limit - 1]);
      return { page: { type, items: limit === 0 ? [] : (items as Buffer[]), total: Number(len), offset }, lookups: 2 };
    }
    case 'set': {
      const [len, reply] = await two(['SCARD', key], ['SSCAN', key, cursor, 'COUNT', limit]);
      const [next, members] = reply as [Buffer, Buffer[]];
      const n = next.toString();
      return { page: { type, members, total: Number(len), cursor: n === '0' ? null : n }, lookups: 2 };
    }
    case 'zset': {
      const [len, flat] = await two(['ZCARD', key], ['ZRANGE', key, offset, offset + limit - 1, 'WITHSCORES']);
      // RESP3 nests each member with its score; RESP2 sends them flat.
      const raw = flat as Array<Buffer | [Buffer, Buffer | number]>;
      const nested = raw.length > 0 && Array.isArray(raw[0]);
      const list = nested ? (raw as Array<[Buffer, Buffer | number]>) : pairs(raw as Buffer[]);
      const entries = limit === 0 ? [] : list.map(([m, s]) => [m, score(s)] as [Buffer, number]);
      return { page: { type, entries, total: Number(len), offset }, lookups: 2 };
    }
    case 'stream': {
      // An exclusive start id ("(" prefix) continues after the last entry shown.
      const start = range.cursor ? `(${range.cursor}` : '-';
      const [len, rows] = await two(['XLEN', key], ['XRANGE', key, start, '+', 'COUNT', Math.max(limit, 1)]);
      const entries = (limit === 0 ? [] : (rows as Array<[Buffer, Buffer[]]>)).map(([id, flat]) => ({ id: id.toString(), fields: pairs(flat ?? []) }));
      return { page: { type, entries, total: Number(len), lastId: entries.length > 0 ? entries[entries.length - 1].id : null }, lookups: 2 };
    }
    default:
      return { page: { type, unsupported: true, total: -1 }, lookups: 0 };
  }
}
