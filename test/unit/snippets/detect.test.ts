import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectStacks, detectStacksInDir } from '../../../src/core/snippets/detect';

const files = (o: Record<string, string>) => new Map(Object.entries(o));

describe('workspace stack detection', () => {
  it('finds TypeScript + ioredis and offers it before the bare language', () => {
    const found = detectStacks(files({ 'package.json': JSON.stringify({ dependencies: { ioredis: '^5' } }), 'tsconfig.json': '{}' }));
    assert.deepEqual(found[0], { lang: 'typescript', client: 'ioredis', backend: 'redis', source: 'package.json' });
  });

  it('tells JavaScript from TypeScript and node-redis / memjs from ioredis', () => {
    const found = detectStacks(files({ 'package.json': JSON.stringify({ dependencies: { redis: '^4', memjs: '1' } }) }));
    assert.deepEqual(found.map((f) => `${f.lang}/${f.client ?? '-'}`), ['javascript/node-redis', 'javascript/memjs', 'javascript/-']);
  });

  it('reads requirements.txt and pyproject.toml without matching look-alike names', () => {
    assert.deepEqual(detectStacks(files({ 'requirements.txt': 'Django==4\nredis>=4.3\n' }))[0].client, 'redis-py');
    assert.deepEqual(detectStacks(files({ 'pyproject.toml': '[project]\ndependencies = ["pymemcache~=3.5"]\n' }))[0].client, 'pymemcache');
    assert.equal(detectStacks(files({ 'requirements.txt': 'redis-om==0.1\ndjango-redis-cache\n' }))[0].client, undefined);
  });

  it('reads go.mod, Maven/Gradle and .csproj files', () => {
    assert.equal(detectStacks(files({ 'go.mod': 'require github.com/redis/go-redis/v9 v9.5.1\n' }))[0].client, 'go-redis');
    assert.equal(detectStacks(files({ 'go.mod': 'require github.com/bradfitz/gomemcache v0.0.0\n' }))[0].client, 'gomemcache');
    assert.equal(detectStacks(files({ 'pom.xml': '<artifactId>spring-boot-starter-data-redis</artifactId>' }))[0].client, 'spring-cache');
    assert.equal(detectStacks(files({ 'build.gradle': "implementation 'redis.clients:jedis:5.1.0'" }))[0].client, 'jedis');
    assert.equal(detectStacks(files({ 'Api.csproj': '<PackageReference Include="StackExchange.Redis" Version="2.7" />' }))[0].client, 'stackexchange-redis');
  });

  it('survives a broken package.json and an empty folder', () => {
    assert.deepEqual(detectStacks(files({ 'package.json': '{ nope' })), [{ lang: 'javascript', source: 'package.json' }]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-detect-'));
    try {
      assert.deepEqual(detectStacksInDir(dir), []);
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module x\nrequire github.com/redis/go-redis/v9 v9.0.0\n');
      assert.equal(detectStacksInDir(dir)[0].client, 'go-redis');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(detectStacksInDir('/nonexistent/cachelens'), []);
  });
});

describe('preferDetected', () => {
  it('puts the detected language and client first, then the language, then the rest', async () => {
    const { preferDetected } = await import('../../../src/core/snippets/detect');
    const { listCombinations } = await import('../../../src/core/snippets/generate');
    const combos = listCombinations().filter((c) => c.pattern === 'cache-aside');
    const ordered = preferDetected(combos, detectStacks(files({ 'requirements.txt': 'pymemcache\n' })));
    assert.deepEqual(ordered.slice(0, 2).map((c) => `${c.lang}/${c.client}/${c.detectedIn ?? ''}`), ['python/pymemcache/requirements.txt', 'python/redis-py/']);
    assert.equal(ordered.length, combos.length);
    assert.deepEqual(preferDetected(combos, []), combos);
  });

  it('treats a client found in package.json as the client for TypeScript and JavaScript alike', async () => {
    const { preferDetected } = await import('../../../src/core/snippets/detect');
    const { listCombinations } = await import('../../../src/core/snippets/generate');
    const ts = listCombinations().filter((c) => c.pattern === 'cache-aside' && c.lang === 'typescript');
    const stacks = detectStacks(files({ 'package.json': JSON.stringify({ dependencies: { memjs: '^1.3.2' } }) }));
    assert.ok(stacks.every((s) => s.lang !== 'typescript'), 'no typescript dependency: the project reads as JavaScript');
    const first = preferDetected(ts, stacks)[0];
    assert.equal(first.client, 'memjs');
    assert.equal(first.detectedIn, 'package.json');
  });
});
