/**
 * Black-box tests of the commands that need no server (`simulate`, `ring`, `ring locate`,
 * `scaffold`) and of the usage contract of every command: `--help` (exit 0, every documented
 * option named) and unknown options (exit 2, one line).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertFailure, assertShape, cachelens, cachelensAll, ensureBuilt, FIXTURES, ok, okJson, type CliRun } from './run';

interface SimResult { policy: string; size: number; requests: number; hits: number; missRatio: number; byteMissRatio: number; mreqPerSec: number }
interface SimDoc { trace: Record<string, unknown>; results: SimResult[] }

const RESULT_SHAPE = { policy: 'string', size: 'number', requests: 'number', hits: 'number', missRatio: 'number', byteMissRatio: 'number', mreqPerSec: 'number' };

function result(doc: SimDoc, policy: string, size: number): SimResult {
  const r = doc.results.find((x) => x.policy === policy && x.size === size);
  assert.ok(r, `no result for ${policy} at ${size}: ${JSON.stringify(doc.results)}`);
  return r;
}

/** The options each issue documents for each command (issues 2 to 6, "CLI" sections). */
const DOCUMENTED: Record<string, string[]> = {
  keys: ['--url', '--match', '--type', '--limit', '--json'],
  analyze: ['--url', '--delimiter', '--depth', '--json'],
  get: ['--url', 'KEY', '--json'],
  tags: ['--url', 'TAG', '--json'],
  purge: ['--url', '--match', '--tag', '--key', '--dry-run', '--yes', '--json'],
  stats: ['--url', '--interval', '--watch', '--json'],
  simulate: ['--policy', '--trace', '--trace-file', '--format', '--size', '--sizes', '--bytes', '--warmup', '--json'],
  ring: ['--algo', '--nodes', '--weights', '--vnodes', '--keys', '--url', '--synthetic', '--add', '--remove', '--json', 'locate'],
  scaffold: ['--pattern', '--lang', '--client', '--backend', '--ttl', '--prefix', '--entity', '--out', '--list', '--json'],
};

describe('cachelens CLI end to end: usage contract of every command', function () {
  const help = new Map<string, CliRun>();
  const unknown = new Map<string, CliRun>();

  // Every invocation is independent: run them all up front, in parallel, and check each in its own test.
  before(async () => {
    ensureBuilt();
    const commands = Object.keys(DOCUMENTED);
    const runs = await cachelensAll([
      ...commands.map((c) => ({ args: [c, '--help'] })),
      ...commands.map((c) => ({ args: [c, '--no-such-option', '--url', 'redis://127.0.0.1:1'] })),
    ]);
    commands.forEach((c, i) => { help.set(c, runs[i]); unknown.set(c, runs[commands.length + i]); });
  });

  for (const [command, options] of Object.entries(DOCUMENTED)) {
    it(`${command} --help exits 0 and names every documented option`, () => {
      const r = help.get(command) as CliRun;
      assert.equal(r.code, 0, r.stderr);
      for (const o of options) {
        const re = new RegExp(`(^|[^\\w-])${o.replace(/[-]/g, '\\-')}(?![\\w-])`);
        assert.match(r.stdout, re, `${command} --help does not mention ${o}`);
      }
    });

    it(`${command} with an unknown option exits 2 with one line naming it`, () => {
      const msg = assertFailure(unknown.get(command) as CliRun, 2, `${command} --no-such-option`);
      assert.match(msg, /--no-such-option/);
    });
  }

  it('cachelens --help lists every command; an unknown command exits 2', async () => {
    const help = await ok(['--help']);
    for (const command of Object.keys(DOCUMENTED)) assert.match(help, new RegExp(`^\\s+${command}\\s`, 'm'), `--help lacks ${command}`);
    assertFailure(await cachelens(['frobnicate']), 2, 'unknown command');
  });

  it('ring locate --help exits 0 and names its options', async () => {
    const r = await cachelens(['ring', 'locate', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const o of ['--algo', '--nodes', '--weights', '--json']) assert.ok(r.stdout.includes(o), `ring locate --help lacks ${o}`);
  });
});

describe('cachelens CLI end to end: simulate', function () {
  before(() => ensureBuilt());

  it('a synthetic Zipf trace: the documented JSON, reproducible, OPT best, LRU better with size', async () => {
    const args = ['simulate', '--policy', 'lru,fifo,opt', '--trace', 'zipf:alpha=1.0,objects=2000,requests=30000,seed=7', '--size', '50,400', '--json'];
    const doc = await okJson<SimDoc>(args);
    assertShape(doc, { trace: 'object', results: 'array' }, 'simulate --json');
    assert.equal(doc.results.length, 6);
    for (const r of doc.results) {
      assertShape(r, RESULT_SHAPE, 'simulate result');
      assert.equal(r.requests, 30000);
      assert.ok(Math.abs(r.missRatio - (1 - r.hits / r.requests)) < 1e-9, `missRatio agrees with hits: ${JSON.stringify(r)}`);
      assert.ok(r.mreqPerSec > 0);
    }
    for (const size of [50, 400]) {
      assert.ok(result(doc, 'opt', size).hits >= result(doc, 'lru', size).hits, `OPT beats LRU at ${size}`);
      assert.ok(result(doc, 'opt', size).hits >= result(doc, 'fifo', size).hits, `OPT beats FIFO at ${size}`);
    }
    assert.ok(result(doc, 'lru', 400).missRatio < result(doc, 'lru', 50).missRatio, 'LRU improves with size');
    const again = await okJson<SimDoc>(args);
    assert.deepEqual(again.results.map((r) => r.hits), doc.results.map((r) => r.hits), 'same seed, same hits');
  });

  it('a trace file worked out by hand: a b a c a b at capacity 2', async () => {
    const doc = await okJson<SimDoc>(['simulate', '--policy', 'lru,fifo', '--trace-file', path.join(FIXTURES, 'abacab.lines'), '--size', '2', '--json']);
    // LRU: a b miss, a hit, c evicts b, a hit, b miss -> 2 hits. FIFO: c evicts a, so a and b miss -> 1 hit.
    assert.equal(result(doc, 'lru', 2).hits, 2);
    assert.equal(result(doc, 'fifo', 2).hits, 1);
    assert.equal(result(doc, 'lru', 2).requests, 6);
    const warm = await okJson<SimDoc>(['simulate', '--policy', 'lru', '--trace-file', path.join(FIXTURES, 'abacab.lines'), '--size', '2', '--warmup', '2', '--json']);
    assert.equal(result(warm, 'lru', 2).requests, 4, '--warmup 2 leaves 4 counted requests');
    assert.equal(result(warm, 'lru', 2).hits, 2);
  });

  it('a CSV trace with sizes gives the byte miss ratio', async () => {
    const doc = await okJson<SimDoc>(['simulate', '--policy', 'lru', '--trace-file', path.join(FIXTURES, 'abacab.csv'), '--format', 'csv', '--size', '2', '--json']);
    // Misses: a(100) b(200) c(300) b(200) = 800 of 1000 requested bytes.
    assert.ok(Math.abs(result(doc, 'lru', 2).byteMissRatio - 0.8) < 1e-9, JSON.stringify(doc.results));
  });

  it('a malformed trace file: exit 1, one line naming the file and the line', async () => {
    const r = await cachelens(['simulate', '--policy', 'lru', '--trace-file', path.join(FIXTURES, 'bad-size.csv'), '--size', '2', '--json']);
    const msg = assertFailure(r, 1, 'simulate of a malformed CSV');
    assert.match(msg, /line 3\b/, msg);
    assert.match(msg, /bad-size\.csv/, msg);
    assert.equal(r.stdout, '');
  });

  it('a missing trace file: exit 1, one line; an unknown policy or no size: exit 2', async () => {
    const runs = await cachelensAll([
      { args: ['simulate', '--policy', 'lru', '--trace-file', path.join(FIXTURES, 'nope.txt'), '--size', '2'] },
      { args: ['simulate', '--policy', 'bogus', '--trace', 'zipf:alpha=1,objects=10,requests=10', '--size', '2'] },
      { args: ['simulate', '--policy', 'lru', '--trace', 'zipf:alpha=1,objects=10,requests=10'] },
    ]);
    assertFailure(runs[0], 1, 'simulate of a missing file');
    assertFailure(runs[1], 2, 'simulate --policy bogus');
    assertFailure(runs[2], 2, 'simulate without --size');
  });
});

describe('cachelens CLI end to end: ring and ring locate', function () {
  before(() => ensureBuilt());

  it('ring locate --algo redis-slots gives slot 12739 for "123456789" and honours hash tags', async () => {
    const doc = await okJson<Array<{ key: string; slot: number }>>(['ring', 'locate', '--algo', 'redis-slots', '123456789', '{user}:1', '{user}:2', 'user', '--json']);
    doc.forEach((d) => assertShape(d, { key: 'string', slot: 'number' }, 'ring locate redis-slots'));
    assert.deepEqual(doc.map((d) => d.key), ['123456789', '{user}:1', '{user}:2', 'user']);
    assert.equal(doc[0].slot, 12739);
    assert.equal(doc[1].slot, doc[3].slot, '{user}:1 hashes as "user"');
    assert.equal(doc[2].slot, doc[3].slot, '{user}:2 hashes as "user"');
  });

  it('ring locate with nodes: [{"key","node"}], each node one of the list, stable across runs', async () => {
    const nodes = ['a:11211', 'b:11211', 'c:11211'];
    const algos = ['ketama', 'jump', 'modulo', 'rendezvous', 'vnode-md5'];
    const argsOf = (algo: string) => ['ring', 'locate', '--algo', algo, '--nodes', nodes.join(','), 'k1', 'k2', 'k3', '--json'];
    // Each algorithm twice, to show placement is deterministic across processes.
    const runs = await cachelensAll([...algos, ...algos].map((algo) => ({ args: argsOf(algo) })));
    for (const [i, algo] of algos.entries()) {
      assert.equal(runs[i].code, 0, `${algo}: ${runs[i].stderr}`);
      const doc = JSON.parse(runs[i].stdout) as Array<{ key: string; node: string }>;
      doc.forEach((d) => assertShape(d, { key: 'string', node: 'string' }, `ring locate ${algo}`));
      assert.deepEqual(doc.map((d) => d.key), ['k1', 'k2', 'k3']);
      for (const d of doc) assert.ok(nodes.includes(d.node), `${algo}: ${d.node} is not a node`);
      assert.deepEqual(JSON.parse(runs[i + algos.length].stdout), doc, `${algo} is deterministic`);
    }
  });

  it('ring --synthetic --add: the documented JSON, loads add up, jump moves about the ideal share', async () => {
    const doc = await okJson<Record<string, unknown>>(['ring', '--algo', 'jump', '--nodes', 'a:1,b:1,c:1', '--synthetic', '3000', '--add', 'd:1', '--json']);
    assertShape(doc, { algo: 'string', nodes: 'array', maxOverMean: 'number', stddev: 'number', moved: 'number', movedFraction: 'number', idealMovedFraction: 'number' }, 'ring --json');
    assert.equal(doc.algo, 'jump');
    const nodes = doc.nodes as Array<{ node: string; keys: number; share: number }>;
    nodes.forEach((n) => assertShape(n, { node: 'string', keys: 'number', share: 'number' }, 'ring node'));
    assert.deepEqual(nodes.map((n) => n.node).sort(), ['a:1', 'b:1', 'c:1']);
    assert.equal(nodes.reduce((s, n) => s + n.keys, 0), 3000);
    assert.ok(Math.abs(nodes.reduce((s, n) => s + n.share, 0) - 1) < 1e-9);
    assert.equal(doc.idealMovedFraction, 0.25);
    assert.equal(doc.moved, Math.round((doc.movedFraction as number) * 3000));
    assert.ok(Math.abs((doc.movedFraction as number) - 0.25) < 0.05, `jump moves about 1/4: ${doc.movedFraction}`);

    const modulo = await okJson<{ movedFraction: number }>(['ring', '--algo', 'modulo', '--nodes', 'a:1,b:1,c:1', '--synthetic', '3000', '--add', 'd:1', '--json']);
    assert.ok(modulo.movedFraction > 0.6, `modulo moves most keys: ${modulo.movedFraction}`);
  });

  it('ring --keys FILE --remove: every key of the file is placed, the removed node\'s keys move', async () => {
    const doc = await okJson<{ nodes: Array<{ node: string; keys: number }>; moved: number; idealMovedFraction: number }>(
      ['ring', '--algo', 'ketama', '--nodes', 'a:11211,b:11211,c:11211,d:11211', '--keys', path.join(FIXTURES, 'keys200.txt'), '--remove', 'd:11211', '--json']);
    assert.equal(doc.nodes.reduce((s, n) => s + n.keys, 0), 200);
    const onD = doc.nodes.find((n) => n.node === 'd:11211');
    assert.ok(onD, 'd:11211 is listed before its removal');
    assert.equal(doc.moved, onD.keys, 'ketama moves exactly the keys of the removed node');
  });

  it('ring without a key source, or with a bad algorithm: exit 2', async () => {
    const runs = await cachelensAll([
      { args: ['ring', '--algo', 'jump', '--nodes', 'a:1,b:1'] },
      { args: ['ring', '--algo', 'nope', '--nodes', 'a:1', '--synthetic', '10'] },
      { args: ['ring', 'locate', '--algo', 'jump', '--nodes', 'a:1'] },
    ]);
    assertFailure(runs[0], 2, 'ring without keys');
    assertFailure(runs[1], 2, 'ring --algo nope');
    assertFailure(runs[2], 2, 'ring locate without KEY');
  });
});

describe('cachelens CLI end to end: scaffold', function () {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-cli-e2e-'));
  });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('scaffold --list --json lists every combination with the documented fields', async () => {
    const list = await okJson<Array<{ pattern: string; lang: string; client: string; backend: string }>>(['scaffold', '--list', '--json']);
    assert.ok(Array.isArray(list) && list.length > 0);
    list.forEach((c) => assertShape(c, { pattern: 'string', lang: 'string', client: 'string', backend: 'string' }, 'scaffold --list --json', true));
    assert.ok(list.some((c) => c.pattern === 'cache-aside' && c.lang === 'typescript' && c.client === 'ioredis' && c.backend === 'redis'));
    const patterns = new Set(list.map((c) => c.pattern));
    for (const p of ['cache-aside', 'read-through', 'write-through', 'write-behind', 'tag-invalidation', 'event-invalidation',
      'stampede-lock', 'stampede-xfetch', 'multi-level', 'cache-warming', 'circuit-breaker', 'memoize']) {
      assert.ok(patterns.has(p), `pattern ${p} missing from --list`);
    }
    const langs = new Set(list.map((c) => c.lang));
    for (const l of ['typescript', 'javascript', 'python', 'go', 'java', 'csharp']) assert.ok(langs.has(l), `language ${l} missing`);
    for (const b of list.map((c) => c.backend)) assert.ok(b === 'redis' || b === 'memcached', b);
    const keys = list.map((c) => `${c.pattern}/${c.lang}/${c.client}/${c.backend}`);
    assert.equal(new Set(keys).size, keys.length, 'no combination listed twice');
  });

  it('scaffold of one pattern to --out writes the file with the options applied, and will not overwrite it silently', async () => {
    const out = path.join(dir, 'accountCache.ts');
    const r = await cachelens(['scaffold', '--pattern', 'cache-aside', '--lang', 'typescript', '--client', 'ioredis',
      '--ttl', '123', '--prefix', 'acct:', '--entity', 'Account', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'with --out the code goes to the file, not stdout');
    const code = fs.readFileSync(out, 'utf8');
    assert.match(code, /from 'ioredis'/);
    assert.match(code, /acct:/);
    assert.match(code, /\b123\b/);
    assert.match(code, /Account/);
    const again = await cachelens(['scaffold', '--pattern', 'write-through', '--lang', 'typescript', '--out', out]);
    assert.notEqual(again.code, 0, 'an existing file is not overwritten without --force');
    assert.equal(fs.readFileSync(out, 'utf8'), code);
  });

  it('scaffold prints to stdout without --out, for the client asked', async () => {
    const py = await ok(['scaffold', '--pattern', 'cache-aside', '--lang', 'python', '--client', 'redis-py']);
    assert.match(py, /import redis|from redis/);
    const go = await ok(['scaffold', '--pattern', 'cache-aside', '--lang', 'go', '--backend', 'memcached']);
    assert.match(go, /gomemcache/);
  });

  it('scaffold with an unknown pattern or language, or without --pattern: exit 2, one line', async () => {
    const runs = await cachelensAll([
      { args: ['scaffold', '--pattern', 'nope', '--lang', 'typescript'] },
      { args: ['scaffold', '--pattern', 'cache-aside', '--lang', 'cobol'] },
      { args: ['scaffold', '--lang', 'typescript'] },
    ]);
    assertFailure(runs[0], 2, 'scaffold --pattern nope');
    assertFailure(runs[1], 2, 'scaffold --lang cobol');
    assertFailure(runs[2], 2, 'scaffold without --pattern');
  });
});
