import { CacheLensError } from '../../core/errors';
import { displayKey, keyJson } from '../../core/keyname';
import { intOpt, opt, parseArgs } from '../args';
import { withDriver } from '../connect';
import type { CliCommand } from '../io';
import { Progress } from '../progress';

const usage = `Usage: cachelens keys [--url URL] [--match GLOB] [--type T] [--limit N] [--json]

Lists keys with SCAN (Redis, every cluster master) or lru_crawler metadump (Memcached, every
server), never KEYS, and without reading any value.
  --match GLOB  only keys matching the glob (* ? [abc] \\x)
  --type T      only keys of this type (string, hash, list, set, zset, stream)
  --limit N     stop after N keys
  --json        one JSON object per line: {"key","type","ttl","bytes"}; ttl in ms (-1: none),
                a key that is not UTF-8 has "keyBase64" instead of "key"
Text output: one key per line (escaped like redis-cli when not printable), then type, TTL and
size in bytes, separated by tabs.`;

function formatTtl(ms: number): string {
  if (ms < 0) return 'no-ttl';
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'list keys (SCAN / metadump) with type, TTL and size',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { boolean: ['json'], string: ['url', 'match', 'type', 'limit'] });
    if (args.positionals.length) throw new CacheLensError('usage', `unexpected argument "${args.positionals[0]}"`);
    const limit = intOpt(args, 'limit');
    if (limit !== undefined && limit < 0) throw new CacheLensError('usage', '--limit must not be negative');
    const json = args.flags.has('json');
    return withDriver(args, io, async (driver) => {
      const caps = driver.capabilities();
      if (!caps.listKeys) throw new CacheLensError('unsupported', caps.note ?? 'this connection cannot list keys');
      if (caps.listingPartial && caps.note) io.err(`cachelens keys: note: ${caps.note}\n`);
      const progress = new Progress(io);
      let n = 0;
      if (limit === 0) return 0;
      for await (const batch of driver.scan({ match: opt(args, 'match'), type: opt(args, 'type'), withMeta: true, signal: io.signal })) {
        const take = limit === undefined ? batch : batch.slice(0, limit - n);
        const lines = take.map((k) => json
          ? JSON.stringify({ ...keyJson(k.key), type: k.type, ttl: k.ttlMs, bytes: k.bytes })
          : `${displayKey(k.key)}\t${k.type}\t${formatTtl(k.ttlMs)}\t${k.bytes}`);
        if (lines.length) io.out(lines.join('\n') + '\n');
        n += take.length;
        progress.update(`${n} keys`);
        if (limit !== undefined && n >= limit) break;
      }
      progress.done();
      return 0;
    });
  },
};
