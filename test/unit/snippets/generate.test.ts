/** The generator's contract: combinations, option handling, headers, and the chapter's flaws kept out. */
import * as assert from 'node:assert/strict';
import { generateSnippet, listCombinations, resolveCombination } from '../../../src/core/snippets/generate';
import { PATTERNS, LANGS } from '../../../src/core/snippets/types';
import { CacheLensError } from '../../../src/core/errors';

const all = listCombinations();
const code = (pattern: string, lang: string, client?: string, options = {}) => generateSnippet({ pattern, lang, client, options }).code;

describe('snippet generator', () => {
  it('lists every pattern for TypeScript, JavaScript, Python and Go, on both backends where it makes sense', () => {
    for (const lang of ['typescript', 'javascript', 'python', 'go']) {
      for (const pattern of PATTERNS) {
        const backends = new Set(all.filter((c) => c.lang === lang && c.pattern === pattern).map((c) => c.backend));
        assert.ok(backends.has('redis'), `${pattern} ${lang} redis`);
        assert.equal(backends.has('memcached'), pattern !== 'event-invalidation', `${pattern} ${lang} memcached`);
      }
    }
    for (const lang of LANGS) assert.ok(all.some((c) => c.lang === lang), lang);
    for (const client of ['jedis', 'stackexchange-redis']) {
      assert.deepEqual(all.filter((c) => c.client === client).map((c) => c.pattern), [...PATTERNS], client);
    }
  });

  it('lists each combination once, in a stable order', () => {
    const keys = all.map((c) => `${c.pattern}/${c.lang}/${c.client}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(listCombinations(), all);
  });

  it('picks the client from the backend, and the backend from the client', () => {
    assert.equal(resolveCombination({ pattern: 'cache-aside', lang: 'typescript', backend: 'memcached' }).client, 'memjs');
    assert.equal(resolveCombination({ pattern: 'cache-aside', lang: 'python', client: 'pymemcache' }).backend, 'memcached');
    assert.equal(resolveCombination({ pattern: 'cache-aside', lang: 'go' }).client, 'go-redis');
  });

  it('rejects unknown or impossible requests with one clear line', () => {
    const fails = (req: Parameters<typeof resolveCombination>[0], reason: string, text: RegExp) => assert.throws(() => resolveCombination(req), (e: unknown) => CacheLensError.is(e, reason as never) && text.test((e as Error).message) && !(e as Error).message.includes('\n'));
    fails({ pattern: 'cache-sideways', lang: 'go' }, 'usage', /unknown pattern "cache-sideways"/);
    fails({ pattern: 'cache-aside', lang: 'cobol' }, 'usage', /unknown language/);
    fails({ pattern: 'cache-aside', lang: 'python', client: 'ioredis' }, 'usage', /unknown client "ioredis" for python/);
    fails({ pattern: 'event-invalidation', lang: 'python', backend: 'memcached' }, 'unsupported', /needs redis/);
    fails({ pattern: 'cache-aside', lang: 'go', backend: 'mongo' }, 'usage', /backend must be redis or memcached/);
  });

  it('validates options so the output always compiles', () => {
    assert.throws(() => code('cache-aside', 'typescript', undefined, { entity: 'my user' }), /entity must be an identifier/);
    assert.throws(() => code('cache-aside', 'typescript', undefined, { ttl: 0 }), /ttl must be a positive/);
    assert.throws(() => code('cache-aside', 'typescript', undefined, { prefix: 'a"b' }), /prefix may contain only/);
    assert.throws(() => code('cache-aside', 'typescript', undefined, { loader: 'load-user' }), /loader must be an identifier/);
  });

  it('applies TTL, prefix, entity, loader and writer names', () => {
    const ts = code('cache-aside', 'typescript', 'ioredis', { ttl: 42, prefix: 'acct:', entity: 'account', loader: 'fetchAccount', writer: 'storeAccount' });
    assert.match(ts, /const TTL_SECONDS = 42;/);
    assert.match(ts, /const KEY_PREFIX = 'acct:';/);
    assert.match(ts, /export class AccountCacheAside/);
    assert.match(ts, /this\.fetchAccount\(id\)/);
    assert.match(ts, /this\.storeAccount\(id, value\)/);
    const py = code('cache-aside', 'python', 'redis-py', { loader: 'fetchAccount', entity: 'Account' });
    assert.match(py, /self\._fetch_account\(id\)/, 'Python gets snake_case names');
    assert.match(code('cache-aside', 'go', 'go-redis', { ttl: 42 }), /TTL\s+= 42 \* time\.Second/);
    assert.match(code('cache-aside', 'typescript', 'ioredis', { serializer: 'string' }), /export type User = string;/);
  });

  it('starts every file with what it does, its trade-offs and its knobs', () => {
    for (const c of all) {
      const text = generateSnippet(c).code;
      const head = text.slice(0, text.indexOf('Knobs:') + 400);
      for (const part of ['What it does:', 'Trade-offs:', 'write speed:', 'read speed:', 'consistency:', 'complexity:', 'Knobs:', 'TTL']) {
        assert.ok(head.includes(part), `${c.pattern}/${c.lang}/${c.client} header has ${part}`);
      }
    }
    assert.match(code('write-behind', 'python', 'redis-py'), /LOSS WINDOW/);
  });

  describe('keeps the chapter\'s flaws out', () => {
    const redisLocks = all.filter((c) => c.pattern === 'stampede-lock' && c.backend === 'redis').map((c) => generateSnippet(c).code);
    it('locks are taken atomically with an expiry and released by compare-and-delete of a random token', () => {
      assert.ok(redisLocks.length >= 6);
      for (const text of redisLocks) {
        assert.match(text, /if redis\.call\('get', KEYS\[1\]\) == ARGV\[1\] then\s+return redis\.call\('del', KEYS\[1\]\)/);
        assert.match(text, /randomUUID|uuid4|randomToken|UUID\.randomUUID|Guid\.NewGuid/);
        assert.match(text, /NX|nx=True|SetNX|nx\(\)|When\.NotExists/);
        assert.doesNotMatch(text, /\bSETNX\b|\.setnx\(|\bSETEX\b|\.setex\(|\.expire\(/);
      }
      for (const c of all.filter((x) => x.pattern === 'stampede-lock' && x.backend === 'memcached')) {
        assert.match(generateSnippet(c).code, /cas|CAS|CompareAndSwap/);
      }
    });

    it('pymemcache calls never rely on noreply defaults', () => {
      for (const c of all.filter((x) => x.client === 'pymemcache')) {
        const text = generateSnippet(c).code;
        const calls = text.split('\n').filter((line) => /self\._mc\.(set|add|delete|cas)\(/.test(line));
        assert.ok(calls.length >= 2);
        for (const line of calls) assert.match(line, /noreply=False/, `${c.pattern}: ${line.trim()}`);
      }
    });

    it('memcached TTLs over 30 days become absolute times', () => {
      for (const c of all.filter((x) => x.backend === 'memcached')) assert.match(generateSnippet(c).code, /2592000/, `${c.pattern}/${c.lang}`);
    });

    it('cache-aside treats only a missing key as a miss', () => {
      for (const lang of ['typescript', 'javascript']) assert.match(code('cache-aside', lang), /if \(cached !== null\)/);
      assert.match(code('cache-aside', 'python'), /if cached is not None:/);
    });

    it('write-through writes the database before the cache', () => {
      for (const c of all.filter((x) => x.pattern === 'write-through' && x.client !== 'spring-cache')) {
        const text = generateSnippet(c).code;
        const save = text.slice(text.search(/save\(|Save\(|SaveAsync\(/));
        const db = save.search(/saveUser|save_user|\.saveUser|_saveUser/);
        const cache = save.search(/store\.set|_store\.set|\.Set\(ctx|SetAsync|fill\(ctx/i);
        assert.ok(db > 0 && cache > db, `${c.lang}/${c.client}: database first`);
      }
    });

    it('XFetch uses -delta * beta * ln(random), not a linear age/ttl chance', () => {
      for (const c of all.filter((x) => x.pattern === 'stampede-xfetch')) {
        assert.match(generateSnippet(c).code, /delta \* this\.beta \* Math\.log|delta"\] \* self\._beta \* math\.log|Delta\*c\.Beta\*math\.Log|delta \* beta \* Math\.log|Delta \* _beta \* Math\.Log/, `${c.lang}`);
      }
    });

    it('the multi-level L1 is bounded and expires', () => {
      for (const c of all.filter((x) => x.pattern === 'multi-level')) {
        const text = generateSnippet(c).code;
        assert.match(text, /max|Max/);
        assert.match(text, /expiresAt|ExpiresAt|expires_at|time\.monotonic\(\) \+ self\._ttl/);
      }
    });

    it('the write-behind queue is bounded, coalesces, retries with backoff and is never silently dropped', () => {
      for (const c of all.filter((x) => x.pattern === 'write-behind')) {
        const text = generateSnippet(c).code;
        assert.match(text, /maxQueue|max_queue|MaxQueue/);
        assert.match(text, /2 \*\* attempt|math\.Pow\(2|Math\.[pP]ow\(2|\(2 \*\* attempt\)/);
        assert.match(text, /onError|on_error|OnError/);
        assert.doesNotMatch(text, /except:\s*\n/, 'no bare except');
      }
    });

    it('the circuit breaker does not call the cache while open', () => {
      for (const c of all.filter((x) => x.pattern === 'circuit-breaker')) {
        const text = generateSnippet(c).code;
        assert.match(text, /allowCall|_allow_call|AllowCall/);
      }
    });
  });
});
