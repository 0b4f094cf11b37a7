import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { listCombinations } from '../../../src/core/snippets/generate';
import { captureIO } from '../../helpers/io';

describe('cachelens scaffold', () => {
  it('--list --json prints every combination as {pattern, lang, client, backend}', async () => {
    const io = captureIO();
    assert.equal(await runCli(['scaffold', '--list', '--json'], io), 0);
    const parsed = JSON.parse(io.stdout) as Array<Record<string, string>>;
    assert.deepEqual(parsed, listCombinations().map(({ pattern, lang, client, backend }) => ({ pattern, lang, client, backend })));
    assert.deepEqual(Object.keys(parsed[0]), ['pattern', 'lang', 'client', 'backend']);
    assert.deepEqual(parsed[0], { pattern: 'cache-aside', lang: 'typescript', client: 'ioredis', backend: 'redis' });
  });

  it('--list prints a table', async () => {
    const io = captureIO();
    assert.equal(await runCli(['scaffold', '--list'], io), 0);
    const lines = io.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^PATTERN\s+LANG\s+CLIENT\s+BACKEND$/);
    assert.equal(lines.length, listCombinations().length + 1);
  });

  it('prints the code with the options applied', async () => {
    const io = captureIO();
    assert.equal(await runCli(['scaffold', '--pattern', 'stampede-lock', '--lang', 'python', '--backend', 'memcached', '--ttl', '60', '--prefix', 'acct:', '--entity', 'Account'], io), 0);
    assert.match(io.stdout, /^# Stampede protection with a lock for Account, memcached via pymemcache\./);
    assert.match(io.stdout, /TTL_SECONDS = 60/);
    assert.match(io.stdout, /KEY_PREFIX = "acct:"/);
  });

  it('--out writes the file and refuses to overwrite without --force', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-scaffold-'));
    try {
      const out = path.join(dir, 'cache.go');
      let io = captureIO();
      assert.equal(await runCli(['scaffold', '--pattern', 'cache-aside', '--lang', 'go', '--client', 'gomemcache', '--out', out], io), 0);
      assert.match(fs.readFileSync(out, 'utf8'), /package cache/);
      assert.equal(io.stdout, '');
      io = captureIO();
      assert.equal(await runCli(['scaffold', '--pattern', 'cache-aside', '--lang', 'go', '--out', out], io), 2);
      assert.match(io.stderr, /exists; pass --force/);
      io = captureIO();
      assert.equal(await runCli(['scaffold', '--pattern', 'cache-aside', '--lang', 'go', '--out', out, '--force'], io), 0);
      assert.match(fs.readFileSync(out, 'utf8'), /go-redis/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad usage exits 2 with one line; an impossible combination exits 1', async () => {
    let io = captureIO();
    assert.equal(await runCli(['scaffold', '--lang', 'go'], io), 2);
    assert.match(io.stderr, /--pattern and --lang are required/);
    io = captureIO();
    assert.equal(await runCli(['scaffold', '--pattern', 'cache-aside', '--lang', 'go', '--ttl', 'soon'], io), 2);
    assert.match(io.stderr, /--ttl must be a whole number/);
    io = captureIO();
    assert.equal(await runCli(['scaffold', '--pattern', 'event-invalidation', '--lang', 'go', '--backend', 'memcached'], io), 1);
    assert.equal(io.stderr.trimEnd().split('\n').length, 1);
    assert.match(io.stderr, /not available/);
  });
});
