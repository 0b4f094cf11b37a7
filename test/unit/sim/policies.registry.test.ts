/**
 * The policy registry: names as on the CLI, aliases matched ignoring case and hyphens,
 * descriptions, parameters, and clear usage errors.
 */
import * as assert from 'node:assert/strict';
import { CacheLensError } from '../../../src/core/errors';
import { createPolicy, findPolicy, policyInfos, policyNames, resolvePolicyName } from '../../../src/core/sim/registry';

const config = { capacity: 10, bytes: false, idSpace: 100, seed: 1 };

describe('sim policies: registry', () => {
  it('lists every policy of issue 4 under its CLI name', () => {
    assert.deepEqual([...policyNames()].sort(), [
      '2q', 'allkeys-lfu', 'allkeys-lru', 'allkeys-random', 'arc', 'clock', 'fifo', 'lfu', 'lfu-perfect', 'lru',
      'noeviction', 'opt', 'random', 's3-fifo', 'sieve', 'ttl', 'volatile-lfu', 'volatile-lru', 'volatile-random',
      'volatile-ttl', 'w-tinylfu',
    ]);
  });

  it('creates each policy with its own canonical name and a one-line description', () => {
    for (const info of policyInfos()) {
      const p = createPolicy(info.name, config);
      assert.equal(p.name, info.name);
      assert.ok(info.description.length > 20 && !info.description.includes('\n'), info.name);
      assert.deepEqual(p.contents(), []);
    }
  });

  it('matches names and aliases ignoring case, hyphens and underscores', () => {
    assert.equal(resolvePolicyName('S3FIFO'), 's3-fifo');
    assert.equal(resolvePolicyName('s3_fifo'), 's3-fifo');
    assert.equal(resolvePolicyName('W-TinyLFU'), 'w-tinylfu');
    assert.equal(resolvePolicyName('wtinylfu'), 'w-tinylfu');
    assert.equal(resolvePolicyName('Belady'), 'opt');
    assert.equal(resolvePolicyName('ALLKEYS_LRU'), 'allkeys-lru');
    assert.equal(resolvePolicyName('TwoQ'), '2q');
    assert.equal(resolvePolicyName('lfuperfect'), 'lfu-perfect');
    assert.equal(createPolicy('SIEVE', config).name, 'sieve');
    assert.equal(findPolicy('nope'), undefined);
  });

  it('rejects an unknown policy with a usage error naming the known ones', () => {
    assert.throws(() => createPolicy('lirs', config), (e: unknown) => {
      assert.ok(CacheLensError.is(e, 'usage'));
      assert.match(e.message, /Unknown eviction policy "lirs"/);
      assert.match(e.message, /s3-fifo/);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  });

  it('checks parameters: typos fail, other policies\' parameters are ignored, ranges are enforced', () => {
    assert.throws(() => createPolicy('lru', { ...config, params: { 'maxmemory-sample': 5 } }), /Unknown policy parameter "maxmemory-sample"/);
    // A shared parameter set for a comparison: lru simply ignores Redis's knob.
    assert.equal(createPolicy('lru', { ...config, params: { 'maxmemory-samples': 10 } }).name, 'lru');
    assert.throws(() => createPolicy('allkeys-lru', { ...config, params: { 'maxmemory-samples': 0 } }),
      (e: unknown) => CacheLensError.is(e, 'usage') && /maxmemory-samples must be between 1 and 64/.test(e.message));
    for (const info of policyInfos()) {
      for (const [key, value] of Object.entries(info.params)) {
        assert.equal(createPolicy(info.name, { ...config, params: { [key]: value } }).name, info.name, `${info.name} ${key}`);
      }
    }
  });

  it('rejects impossible capacities and id spaces', () => {
    assert.throws(() => createPolicy('lru', { ...config, capacity: 0 }), (e: unknown) => CacheLensError.is(e, 'usage'));
    assert.throws(() => createPolicy('lru', { ...config, capacity: Number.NaN }), (e: unknown) => CacheLensError.is(e, 'usage'));
    assert.throws(() => createPolicy('arc', { ...config, idSpace: 0 }), (e: unknown) => CacheLensError.is(e, 'usage'));
  });

  it('marks the offline and the randomized policies', () => {
    assert.deepEqual(policyInfos().filter((p) => p.needsFuture).map((p) => p.name), ['opt']);
    const randomized = policyInfos().filter((p) => p.randomized).map((p) => p.name).sort();
    assert.deepEqual(randomized, ['allkeys-lfu', 'allkeys-lru', 'allkeys-random', 'random', 'volatile-lfu', 'volatile-lru', 'volatile-random', 'volatile-ttl']);
  });
});
