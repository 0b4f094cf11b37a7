/**
 * Java (Jedis, Spring Cache) and C# (StackExchange.Redis) cannot run here without their
 * libraries, so every generated file is parsed by a real parser for its language:
 * javac's own parser through JavacTask.parse() (java/ParseCheck.java, compiled once), and
 * Mono's C# compiler in parse-only mode (`mcs --parse`, Debian package mono-mcs).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../../harness/servers';
import { generateSnippet, listCombinations } from '../../../src/core/snippets/generate';
import { REPO_ROOT } from './workspace';

const run = promisify(execFile);
const dir = tempDir('snippets-parse');

type Outcome = { ok: boolean; output: string };
async function outcome(cmd: string, args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 60000 });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: (x.stdout ?? '') + (x.stderr ?? '') || x.message };
  }
}

function writeAll(lang: 'java' | 'csharp', sub: string): string[] {
  const out = path.join(dir, sub);
  fs.mkdirSync(out, { recursive: true });
  return listCombinations().filter((c) => c.lang === lang).map((c) => {
    const s = generateSnippet(c);
    const file = path.join(out, s.fileName);
    assert.ok(!fs.existsSync(file), `file names are unique: ${s.fileName}`);
    fs.writeFileSync(file, s.code);
    return file;
  });
}

describe('generated Java and C# (real parsers)', () => {
before(async () => {
  await run('javac', ['-d', dir, path.join(REPO_ROOT, 'test/integration/snippets/java/ParseCheck.java')], { timeout: 60000 });
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('every Java file parses with javac\'s parser (JavacTask.parse)', async () => {
    const files = writeAll('java', 'java');
    assert.ok(files.length >= 8);
    const r = await outcome('java', ['-cp', dir, 'ParseCheck', ...files]);
    assert.ok(r.ok, r.output);
    assert.match(r.output, new RegExp(`parsed ${files.length} files, 0 errors`));
  });

  it('the Java check rejects a syntax error', async () => {
    const bad = path.join(dir, 'Broken.java');
    fs.writeFileSync(bad, generateSnippet({ pattern: 'cache-aside', lang: 'java', client: 'jedis' }).code.replace('public User get(String id) {', 'public User get(String id {'));
    const r = await outcome('java', ['-cp', dir, 'ParseCheck', bad]);
    assert.equal(r.ok, false);
    assert.match(r.output, /Broken\.java:\d+/);
  });

  it('every C# file parses with mcs --parse', async () => {
    const files = writeAll('csharp', 'cs');
    assert.ok(files.length >= 7);
    for (const f of files) {
      const r = await outcome('mcs', ['--parse', f]);
      assert.ok(r.ok && !/error/.test(r.output), `${path.basename(f)}: ${r.output}`);
    }
  });

  it('the C# check rejects a syntax error', async () => {
    const bad = path.join(dir, 'Broken.cs');
    fs.writeFileSync(bad, generateSnippet({ pattern: 'cache-aside', lang: 'csharp', client: 'stackexchange-redis' }).code.replace('public async Task UpdateAsync(string id, User value)', 'public async Task UpdateAsync(string id User value)'));
    const r = await outcome('mcs', ['--parse', bad]);
    assert.equal(r.ok, false);
    assert.match(r.output, /error CS/);
  });
});
