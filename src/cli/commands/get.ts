import { isUtf8 } from 'node:buffer';
import type { ValuePage } from '../../core/driver/types';
import { CacheLensError } from '../../core/errors';
import { displayKey, keyJson, parseKeyInput } from '../../core/keyname';
import { parseArgs } from '../args';
import { withDriver } from '../connect';
import { formatBytes } from '../format';
import type { CliCommand } from '../io';

const usage = `Usage: cachelens get [--url URL] KEY [--json]

Shows one key: its type, TTL, size and value (the first 64 KB / 500 elements).
KEY may use the escapes that \`cachelens keys\` prints for binary keys (\\xff, \\n, \\\\).
Reading the value is a real read: on Memcached it counts as a hit (metadata alone does not).
  --json  {"key","type","ttl","bytes","node","value":...}; bytes that are not UTF-8 come as base64
          ("keyBase64", "valueBase64")`;

function bytesJson(b: Buffer, field: string): Record<string, string> {
  return isUtf8(b) ? { [field]: b.toString('utf8') } : { [`${field}Base64`]: b.toString('base64') };
}

function text(b: Buffer): string {
  return isUtf8(b) ? b.toString('utf8') : displayKey(b);
}

/** The value page as JSON, every binary part as base64. */
export function valueJson(page: ValuePage): Record<string, unknown> {
  if ('unsupported' in page) return { type: page.type, unsupported: true, total: page.total };
  switch (page.type) {
    case 'string': {
      const p = page as Extract<ValuePage, { type: 'string' }>;
      return { ...bytesJson(p.bytes, 'value'), totalBytes: p.totalBytes, offset: p.offset, truncated: p.offset + p.bytes.length < p.totalBytes };
    }
    case 'hash': {
      const p = page as Extract<ValuePage, { type: 'hash' }>;
      return { entries: p.entries.map(([f, v]) => ({ ...bytesJson(f, 'field'), ...bytesJson(v, 'value') })), total: p.total, cursor: p.cursor };
    }
    case 'list': {
      const p = page as Extract<ValuePage, { type: 'list' }>;
      return { items: p.items.map((v) => bytesJson(v, 'value')), total: p.total, offset: p.offset };
    }
    case 'set': {
      const p = page as Extract<ValuePage, { type: 'set' }>;
      return { members: p.members.map((v) => bytesJson(v, 'value')), total: p.total, cursor: p.cursor };
    }
    case 'zset': {
      const p = page as Extract<ValuePage, { type: 'zset' }>;
      return { entries: p.entries.map(([m, score]) => ({ ...bytesJson(m, 'member'), score })), total: p.total, offset: p.offset };
    }
    case 'stream': {
      const p = page as Extract<ValuePage, { type: 'stream' }>;
      return { entries: p.entries.map((e) => ({ id: e.id, fields: e.fields.map(([f, v]) => ({ ...bytesJson(f, 'field'), ...bytesJson(v, 'value') })) })), total: p.total, lastId: p.lastId };
    }
    default:
      return { type: (page as ValuePage).type };
  }
}

/** A string value for people: pretty JSON when it parses, text when UTF-8, hex otherwise. */
function stringText(b: Buffer): string {
  if (!isUtf8(b)) return b.toString('hex').replace(/(.{2})/g, '$1 ').trim();
  const s = b.toString('utf8');
  const t = s.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try { return JSON.stringify(JSON.parse(t), null, 2); } catch { /* not JSON */ }
  }
  return s;
}

function valueText(page: ValuePage): string {
  if ('unsupported' in page) return `(values of type ${page.type} are not shown)`;
  switch (page.type) {
    case 'string': {
      const p = page as Extract<ValuePage, { type: 'string' }>;
      const more = p.offset + p.bytes.length < p.totalBytes ? `\n... (${formatBytes(p.totalBytes)} in all; first ${formatBytes(p.bytes.length)} shown)` : '';
      return stringText(p.bytes) + more;
    }
    case 'hash': return (page as Extract<ValuePage, { type: 'hash' }>).entries.map(([f, v]) => `${text(f)}: ${text(v)}`).join('\n');
    case 'list': return (page as Extract<ValuePage, { type: 'list' }>).items.map((v, i) => `${i}) ${text(v)}`).join('\n');
    case 'set': return (page as Extract<ValuePage, { type: 'set' }>).members.map(text).join('\n');
    case 'zset': return (page as Extract<ValuePage, { type: 'zset' }>).entries.map(([m, s]) => `${s}  ${text(m)}`).join('\n');
    case 'stream': return (page as Extract<ValuePage, { type: 'stream' }>).entries.map((e) => `${e.id}  ${e.fields.map(([f, v]) => `${text(f)}=${text(v)}`).join(' ')}`).join('\n');
    default: return '';
  }
}

export const getCommand: CliCommand = {
  name: 'get',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { boolean: ['json'], string: ['url'] });
    if (args.positionals.length !== 1) throw new CacheLensError('usage', args.positionals.length ? 'give exactly one KEY' : 'missing KEY');
    const key = parseKeyInput(args.positionals[0]);
    return withDriver(args, io, async (driver) => {
      const info = await driver.lookup(key);
      if (!info) throw new CacheLensError('server', `no such key: ${displayKey(key)}`);
      const page = await driver.readValue(key);
      if (!page) throw new CacheLensError('server', `the key ${displayKey(key)} vanished before its value could be read`);
      if (args.flags.has('json')) {
        io.out(JSON.stringify({ ...keyJson(key), type: info.type, ttl: info.ttlMs, bytes: info.bytes, node: info.node, value: valueJson(page) }) + '\n');
        return 0;
      }
      const ttl = info.ttlMs < 0 ? 'none' : `${(info.ttlMs / 1000).toFixed(1)} s`;
      io.out(`${displayKey(key)}  (${info.type}, ttl ${ttl}, ${formatBytes(info.bytes)}${info.node ? `, on ${info.node}` : ''})\n${valueText(page)}\n`);
      return 0;
    });
  },
};
