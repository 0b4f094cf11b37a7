/**
 * Generated Go. gomemcache variants (Debian's golang-go and golang-github-bradfitz-gomemcache-dev)
 * are compiled together with go/main.go in GOPATH mode, offline, and run against a real memcached
 * with SQLite (golang-github-mattn-go-sqlite3-dev, cgo) as the source of truth.
 * go-redis v9 is not available here: its files are parsed by gofmt, Go's own parser.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startMemcached, tempDir, type MemcachedServer } from '../../harness/servers';
import { generateSnippet, listCombinations } from '../../../src/core/snippets/generate';
import { REPO_ROOT } from './workspace';

const run = promisify(execFile);
const SCENARIOS = ['cache_aside', 'write_through', 'write_behind', 'stampede_lock', 'stampede_lock_release', 'stampede_xfetch'];

let memcached: MemcachedServer;
const gopath = tempDir('snippets-go');
// cgo builds of go-sqlite3 are the slow part; a build cache outside the temporary GOPATH lets
// every later run, and CI caching this directory, reuse them.
const GOCACHE = process.env.CACHELENS_GOCACHE ?? path.join(os.homedir(), '.cache/cachelens/go-build');
const env = { ...process.env, GO111MODULE: 'off', GOPATH: `${gopath}:/usr/share/gocode`, GOFLAGS: '', GOPROXY: 'off', CGO_ENABLED: '1', GOCACHE };
let results: Record<string, string> = {};
let buildError = '';

describe('generated Go', () => {
before(async () => {
  memcached = await startMemcached();
  fs.mkdirSync(GOCACHE, { recursive: true });
  const root = path.join(gopath, 'src/snippetrun');
  for (const c of listCombinations().filter((x) => x.lang === 'go' && x.client === 'gomemcache')) {
    const pkg = c.pattern.replace(/-/g, '');
    fs.mkdirSync(path.join(root, pkg), { recursive: true });
    fs.writeFileSync(path.join(root, pkg, 'gen.go'), generateSnippet({ ...c, options: { goPackage: pkg, prefix: `go-${pkg}:` } }).code);
  }
  fs.copyFileSync(path.join(REPO_ROOT, 'test/integration/snippets/go/main.go'), path.join(root, 'main.go'));
  try {
    // `./...` compiles every generated package, also those main.go does not run.
    await run('go', ['build', './...'], { cwd: root, env, timeout: 240000 });
    await run('go', ['build', '-o', path.join(gopath, 'snippetrun'), '.'], { cwd: root, env, timeout: 240000 });
    const dbDir = path.join(gopath, 'db');
    fs.mkdirSync(dbDir);
    const { stdout } = await run(path.join(gopath, 'snippetrun'), [`127.0.0.1:${memcached.port}`, dbDir], { timeout: 60000 });
    results = JSON.parse(stdout) as Record<string, string>;
  } catch (e) {
    buildError = String((e as { stderr?: string }).stderr || e);
  }
});

after(async () => {
  await memcached?.stop();
  fs.rmSync(gopath, { recursive: true, force: true });
});

  it('every gomemcache file compiles with go build', () => {
    assert.equal(buildError, '');
  });

  for (const name of SCENARIOS) {
    it(`gomemcache: ${name.replace(/_/g, ' ')}`, () => {
      assert.equal(results[name], '', results[name] ?? 'scenario did not run');
    });
  }

  it('every go-redis file parses (gofmt -e)', async () => {
    const dir = path.join(gopath, 'goredis');
    fs.mkdirSync(dir, { recursive: true });
    const combos = listCombinations().filter((x) => x.lang === 'go' && x.client === 'go-redis');
    assert.ok(combos.length >= 12);
    for (const c of combos) fs.writeFileSync(path.join(dir, `${c.pattern}.go`), generateSnippet(c).code);
    const files = combos.map((c) => path.join(dir, `${c.pattern}.go`));
    // gofmt -e prints every syntax error and exits non-zero; -l lists instead of printing the files.
    const { stderr } = await run('gofmt', ['-e', '-l', ...files]).catch((e: { stderr: string }) => ({ stderr: e.stderr }));
    assert.equal(stderr, '');
  });

  it('a syntax error would be caught by the gofmt check', async () => {
    const bad = path.join(gopath, 'bad.go');
    fs.writeFileSync(bad, generateSnippet({ pattern: 'cache-aside', lang: 'go', client: 'go-redis' }).code.replace('func (c *UserCacheAside) Get(', 'func (c *UserCacheAside) Get(('));
    await assert.rejects(run('gofmt', ['-e', '-l', bad]));
  });
});
