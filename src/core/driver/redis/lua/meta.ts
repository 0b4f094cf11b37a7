import { createHash } from 'node:crypto';

/**
 * Type, TTL and size of one key in one round trip (lookup and typeOf; listings use the raw
 * pipeline in ../rawPipe.ts, which costs the server less per key). The key is KEYS[1], so a
 * cluster client routes the call to the key's node. The Redis 7 flags say the script writes
 * nothing (so it also runs on replicas and under OOM).
 *
 * Measured on redis 7.0.15: TYPE and PTTL count as keyspace hits (or misses), MEMORY USAGE and a
 * plain SCAN do not. Redis offers no counter-neutral way to read a type or a TTL, so the script
 * skips PTTL and MEMORY USAGE for a key that does not exist, and the driver records exactly what
 * it caused in its ActivityLedger.
 *
 * ARGV: mode ('full': type, pttl, bytes; 'type': type only), MEMORY USAGE SAMPLES.
 * Reply: { packed, names }: 17 bytes per key (type code u8, pttl f64, bytes f64, big-endian;
 * pttl -1 none, -2 gone; bytes -1 unknown), and the name of a module type (code 7).
 */
const BODY = `
local mode, samples = ARGV[1], ARGV[2]
local keys = KEYS
local codes = { none = 0, string = 1, hash = 2, list = 3, set = 4, zset = 5, stream = 6 }
local out, names = {}, {}
for i = 1, #keys do
  local k = keys[i]
  local t = redis.call('TYPE', k)['ok']
  local c = codes[t]
  if not c then
    c = 7
    names[#names + 1] = t
  end
  if c == 0 then
    out[i] = struct.pack('>Bdd', 0, -2, -1)
  elseif mode == 'type' then
    out[i] = struct.pack('>Bdd', c, -1, -1)
  else
    out[i] = struct.pack('>Bdd', c, redis.call('PTTL', k), redis.call('MEMORY', 'USAGE', k, 'SAMPLES', samples) or -1)
  end
end
return { table.concat(out), names }
`;

const FLAGS = '#!lua flags=no-writes\n';

export interface MetaScript { lua: string; sha: string }

/** The script for a server major version (the shebang flags exist since Redis 7). */
export function metaScript(redisMajor: number): MetaScript {
  const lua = (redisMajor >= 7 ? FLAGS : '') + BODY.trimStart();
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** The script's type codes, by value; 7 means "a module type, named in the reply's second part". */
export const TYPE_CODES = ['none', 'string', 'hash', 'list', 'set', 'zset', 'stream'];
const RECORD = 17;

export interface KeyMeta { type: string; ttlMs: number; bytes: number }

/** Decodes the script's reply. */
export function unpackMeta(reply: [Buffer, Buffer[]]): KeyMeta[] {
  const [packed, names] = reply;
  const out: KeyMeta[] = [];
  let named = 0;
  for (let pos = 0; pos + RECORD <= packed.length; pos += RECORD) {
    const code = packed[pos];
    const type = code < TYPE_CODES.length ? TYPE_CODES[code] : String(names[named++] ?? 'unknown');
    out.push({ type, ttlMs: Math.max(packed.readDoubleBE(pos + 1), -1), bytes: packed.readDoubleBE(pos + 9) });
  }
  return out;
}

/** Samples per aggregate for MEMORY USAGE: Redis's own default, so a 500k-field hash is estimated, not walked. */
export const MEMORY_SAMPLES = 5;
