/**
 * Generated Python (redis-py 4.3 and pymemcache 3.5 from Debian, run by /usr/bin/python3)
 * executed against real redis-server and memcached, with SQLite as the source of truth.
 * The scenarios live in py_scenarios.py; each one becomes a test case here.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startMemcached, startRedis, tempDir, type MemcachedServer, type RedisServer } from '../../harness/servers';
import { listCombinations, generateSnippet } from '../../../src/core/snippets/generate';
import { REPO_ROOT } from './workspace';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(REPO_ROOT, 'test/integration/snippets/py_scenarios.py');

const EXPECTED = ['cache_aside', 'cache_aside_empty_value', 'read_through', 'write_through', 'write_behind_coalesce_and_close',
  'write_behind_retries', 'write_behind_back_pressure', 'tag_invalidation', 'event_invalidation', 'stampede_lock',
  'stampede_lock_release', 'stampede_xfetch', 'multi_level', 'cache_warming', 'memoize', 'circuit_breaker'];

let redis: RedisServer;
let memcached: MemcachedServer;
const results = new Map<string, Record<string, string | null>>();
const dir = tempDir('snippets-py');

describe('generated Python', () => {
before(async () => {
  [redis, memcached] = await Promise.all([startRedis(), startMemcached()]);
  await Promise.all((['redis-py', 'pymemcache'] as const).map(async (client) => {
    const out = path.join(dir, client);
    fs.mkdirSync(out);
    const prefix = `py-${client}:`;
    for (const c of listCombinations().filter((x) => x.lang === 'python' && x.client === client)) {
      const code = generateSnippet({ ...c, options: { ttl: 120, prefix } }).code;
      fs.writeFileSync(path.join(out, `${c.pattern.replace(/-/g, '_')}.py`), code);
    }
    fs.writeFileSync(path.join(out, 'string_cache_aside.py'),
      generateSnippet({ pattern: 'cache-aside', lang: 'python', client, options: { ttl: 120, prefix: prefix + 's:', serializer: 'string' } }).code);
    const { stdout } = await run(PYTHON, [SCRIPT, client, out, String(redis.port), String(memcached.port), prefix], { timeout: 90000 });
    results.set(client, JSON.parse(stdout) as Record<string, string | null>);
  }));
});

after(async () => {
  await Promise.all([redis?.stop(), memcached?.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

  for (const client of ['redis-py', 'pymemcache'] as const) {
    describe(client, () => {
      it('ran every scenario', () => {
        const names = Object.keys(results.get(client) ?? {});
        assert.deepEqual(names, EXPECTED.filter((n) => client === 'redis-py' || n !== 'event_invalidation'));
      });
      for (const name of EXPECTED) {
        if (name === 'event_invalidation' && client !== 'redis-py') continue;
        it(name.replace(/_/g, ' '), () => {
          const outcome = results.get(client)?.[name];
          assert.equal(outcome, null, outcome ?? undefined);
        });
      }
    });
  }
});
