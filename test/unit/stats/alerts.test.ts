import * as assert from 'node:assert/strict';
import { AlertTracker, DEFAULT_THRESHOLDS } from '../../../src/core/stats/alerts';
import { prefixOf, readKeys, withMissEvents } from '../../../src/core/stats/prefixes';
import { RingBuffer } from '../../../src/core/stats/ring-buffer';
import type { Sample } from '../../../src/core/stats/sampler';

function sample(hits: number, misses: number, evictionsPerSec = 0): Sample {
  return {
    t: 0, seconds: 1, hits, misses, commands: hits + misses, evictions: evictionsPerSec, expirations: 0,
    hitRatio: hits + misses ? hits / (hits + misses) : null, totalHits: 0, totalMisses: 0, totalHitRatio: null,
    hitsPerSec: hits, missesPerSec: misses, opsPerSec: hits + misses, evictionsPerSec, expirationsPerSec: 0,
    usedMemory: 0, maxMemory: 0, evictionPolicy: 'noeviction', clients: 1, keys: 0, reset: false, nodes: [], topCommands: [],
  };
}

describe('stats: alert episodes', () => {
  it('raises one alert per episode, not one per sample', () => {
    const t = new AlertTracker({ ...DEFAULT_THRESHOLDS, clearAfter: 3 });
    const fired: string[] = [];
    const feed = (s: Sample) => fired.push(...t.update(s).map((a) => a.kind));
    feed(sample(90, 10));                  // 90 %: fine
    feed(sample(50, 50));                  // 50 %: starts an episode
    for (let i = 0; i < 10; i++) feed(sample(40, 60)); // still low: no new alert
    assert.deepEqual(fired, ['hitRatio']);
    feed(sample(99, 1)); feed(sample(99, 1)); // clear for 2 samples, not yet 3
    feed(sample(10, 90));                  // same episode
    assert.deepEqual(fired, ['hitRatio']);
    feed(sample(99, 1)); feed(sample(99, 1)); feed(sample(99, 1)); // clear for 3: episode over
    feed(sample(10, 90));                  // a new episode
    assert.deepEqual(fired, ['hitRatio', 'hitRatio']);
  });

  it('ignores quiet intervals and alerts on evictions separately', () => {
    const t = new AlertTracker();
    assert.deepEqual(t.update(sample(1, 4)), [], 'fewer reads than minReads');
    const alerts = t.update(sample(100, 0, 12.5));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].kind, 'evictions');
    assert.match(alerts[0].message, /12\.5 keys\/s/);
  });
});

describe('stats: prefix helpers and ring buffer', () => {
  it('cuts prefixes by delimiter and depth', () => {
    assert.equal(prefixOf('user:42:profile', ':', 1), 'user:');
    assert.equal(prefixOf('user:42:profile', ':', 2), 'user:42:');
    assert.equal(prefixOf('user:42', ':', 3), 'user:');
    assert.equal(prefixOf('plain', ':', 1), '(no prefix)');
  });

  it('knows which keys a command reads', () => {
    assert.deepEqual(readKeys(['GET', 'a']), ['a']);
    assert.deepEqual(readKeys(['mget', 'a', 'b']), ['a', 'b']);
    assert.deepEqual(readKeys(['SET', 'a', '1']), []);
    assert.deepEqual(readKeys(['OBJECT', 'ENCODING', 'k']), ['k']);
  });

  it('adds miss events without losing the server\'s own flags', () => {
    assert.equal(withMissEvents(''), 'Em');
    assert.equal(withMissEvents('Kx'), 'KxEm');
    assert.equal(withMissEvents('AKE'), 'AKEm');
    assert.equal(withMissEvents('Em'), 'Em');
  });

  it('a ring buffer drops the oldest past capacity', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
    assert.equal(r.last(), 5);
    assert.equal(r.length, 3);
  });
});
