import { CacheLensError } from '../../core/errors';
import { intOpt, opt, parseArgs } from '../args';
import { withDriver } from '../connect';
import type { CliCommand } from '../io';
import { KeyLineWriter } from '../keyLines';
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

export const keysCommand: CliCommand = {
  name: 'keys',
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
      const out = new KeyLineWriter(io, json);
      const max = limit ?? Infinity;
      if (max === 0) return 0;
      const scanOptions = { match: opt(args, 'match'), type: opt(args, 'type'), withMeta: true, signal: io.signal };
      if (driver.scanPacked) {
        // Memcached's metadump: rows go from the parsed columns to bytes, no object per key.
        for await (const batch of driver.scanPacked({ ...scanOptions, count: 4096 })) {
          out.writePacked(batch, max);
          progress.update(`${out.rows} keys`);
          if (out.rows >= max) break;
        }
      } else {
        for await (const batch of driver.scan(scanOptions)) {
          for (const k of batch) {
            if (out.rows >= max) break;
            out.row(k.key, 0, k.key.length, k.type, k.ttlMs, k.bytes);
          }
          progress.update(`${out.rows} keys`);
          if (out.rows >= max) break;
        }
      }
      out.flush();
      progress.done();
      return 0;
    });
  },
};
