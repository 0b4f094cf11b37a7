/**
 * Golden tests: for every policy, a small trace worked out by hand. Each comment walks through
 * the reasoning so that a failure points at the step that differs. Letters are ids (a = 0).
 * Unless stated otherwise, capacity counts objects and time is the request index.
 */
import * as assert from 'node:assert/strict';
import type { ArcPolicy } from '../../../src/core/sim/policies/arc';
import type { LfuPolicy } from '../../../src/core/sim/policies/lfu';
import type { RedisPolicy } from '../../../src/core/sim/policies/redis';
import type { S3FifoPolicy } from '../../../src/core/sim/policies/s3-fifo';
import type { TwoQPolicy } from '../../../src/core/sim/policies/2q';
import type { WTinyLfuPolicy } from '../../../src/core/sim/policies/w-tinylfu';
import { cachedOrder, cachedSet, idOf, make, run, type Req } from './policiesHelpers';

const at = (letter: string, time: number, expiresAt = Infinity): Req => ({ id: idOf(letter), time, expiresAt });

describe('sim policies: golden traces worked by hand', () => {
  it('lru evicts the least recently used object', () => {
    const p = make('lru', 3);
    // a b c fill [c b a]; a hits -> [a c b]; d evicts b -> [d a c]; b evicts c -> [b d a];
    // e evicts a -> [e b d]; a evicts d -> [a e b].
    assert.equal(run(p, 'a b c a d b e a'), 'MMMHMMMM');
    assert.equal(cachedOrder(p), 'a e b');
  });

  it('fifo ignores hits and evicts in admission order', () => {
    const p = make('fifo', 3);
    // a b c fill [c b a]; a hits, nothing moves; d evicts a -> [d c b]; b hits;
    // e evicts b -> [e d c]; a evicts c -> [a e d].
    assert.equal(run(p, 'a b c a d b e a'), 'MMMHMHMM');
    assert.equal(cachedOrder(p), 'a e d');
  });

  it('clock gives hit objects a second pass, moving them to the head', () => {
    const p = make('clock', 3);
    // a b c fill [c b a] with bits 0; c, b, a hit (bits 1). d: the tail a has its bit, so it
    // is cleared and a moves to the head [a c b]; same for b [b a c] and c [c b a]; now a is
    // at the tail with bit 0 and is evicted: [d c b]. a: tail b has bit 0 -> evicted: [a d c].
    assert.equal(run(p, 'a b c c b a d a'), 'MMMHHHMM');
    assert.equal(cachedOrder(p), 'a d c');
    const q = make('clock', 3);
    // a b c [c b a]; a hits (bit). d: a cleared and moved [a c b]; b evicted -> [d a c].
    // b: tail c bit 0 -> evicted [b d a]; e: tail a (bit cleared earlier) evicted -> [e b d].
    assert.equal(run(q, 'a b c a d b e'), 'MMMHMMM');
    assert.equal(cachedOrder(q), 'e b d');
  });

  it('sieve keeps survivors in place and resumes from its hand', () => {
    const p = make('sieve', 3);
    // a b c [c b a]; a hits (visited). d: the hand starts at the tail a: visited, cleared, the
    // hand moves newer to b: not visited -> evicted; hand rests on c. [d c a].
    // b: hand at c, not visited -> evicted, hand rests on d. [b d a].
    // e: hand at d, not visited -> evicted, hand rests on b. [e b a]: a survived in place,
    // where CLOCK (above) evicted it.
    assert.equal(run(p, 'a b c a d b e'), 'MMMHMMM');
    assert.equal(cachedOrder(p), 'e b a');
  });

  it('lfu evicts the least frequent, earliest to reach that count first', () => {
    const p = make('lfu', 3) as LfuPolicy;
    // a:1, a:2, b:1, b:2, c:1; d: only c has count 1 -> evicted, d:1; a:3; c misses (its count
    // was dropped with it): only d has count 1 -> evicted, c:1.
    assert.equal(run(p, 'a a b b c d a c'), 'MHMHMMHM');
    assert.equal(cachedOrder(p), 'c b a');
    assert.deepEqual([p.frequency(idOf('a')), p.frequency(idOf('b')), p.frequency(idOf('c'))], [3, 2, 1]);
    const q = make('lfu', 3);
    // a b c at 1 (in that order); b:2. d: a and c have 1, a reached it first -> evicted.
    // e: c and d have 1, c reached it first -> evicted. Left: d, e at 1 and b at 2.
    assert.equal(run(q, 'a b c b d e'), 'MMMHMM');
    assert.equal(cachedOrder(q), 'd e b');
  });

  it('lfu-perfect remembers counts of evicted objects and may refuse newcomers', () => {
    const p = make('lfu-perfect', 1);
    // a:1 admitted; a:2 hit. b:1 < a:2 -> not admitted. b:2 >= a:2 -> replaces a.
    // a:3 >= b:2 -> replaces b. (Plain lfu would have hit on the second b.)
    assert.equal(run(p, 'a a b b a'), 'MHMMM');
    assert.equal(cachedSet(p), 'a');
    const lfu = make('lfu', 1);
    assert.equal(run(lfu, 'a a b b a'), 'MHMHM');
    const q = make('lfu-perfect', 2);
    // a:1, a:2, b:1 (room). c:1 >= b:1 -> replaces b. c:2 hit. b:2: a and c both have 2, a
    // reached it first -> replaced. b:3 hit.
    assert.equal(run(q, 'a a b c c b b'), 'MHMMHMH');
    assert.equal(cachedSet(q), 'b c');
  });

  it('ttl evicts the soonest to expire, objects without TTL last', () => {
    const p = make('ttl', 2);
    const trace = [
      at('a', 0, 100), // miss, [a]
      at('b', 1, 50), // miss, [a b]
      at('c', 2), // miss: b expires first (50) -> evicted
      at('d', 3, 10), // miss: a (100) goes before c (no TTL)
      at('c', 4), // hit
      at('d', 11), // d expired at 10: a miss, and it comes back without TTL
      at('e', 12), // miss: c and d have no TTL; c was admitted earlier -> evicted
    ];
    assert.equal(run(p, trace), 'MMMMHMM');
    assert.equal(cachedSet(p), 'd e');
  });

  it('opt evicts the farthest next use and bypasses a newcomer used even later', () => {
    const p = make('opt', 2);
    // Next uses: a@0 -> 3, b@1 -> 4, c@2 -> 5. c is needed later than a and b: bypassed.
    // a, b hit. The last c is never needed again: bypassed.
    assert.equal(run(p, 'a b c a b c'), 'MMMHHM');
    assert.equal(cachedSet(p), 'a b');
    const q = make('opt', 2);
    // Next uses: a@0 -> 3, b@1 -> never, c@2 -> 4. c evicts b (never used again). a, c hit.
    assert.equal(run(q, 'a b c a c'), 'MMMHH');
    assert.equal(cachedSet(q), 'a c');
    const admitAll = make('opt', 2, { params: { bypass: 0 } });
    // Without bypass (libCacheSim's Belady): c must enter and evicts b (next 4, farther than
    // a's 3); a hits; b evicts a (never needed again) ; c hits.
    assert.equal(run(admitAll, 'a b c a b c'), 'MMMHMH');
    assert.equal(cachedSet(admitAll), 'b c');
  });

  it('2q filters through A1in, remembers in A1out and promotes ghosts to Am', () => {
    const p = make('2q', 4) as TwoQPolicy;
    // Capacity 4: A1in share 1, A1out 2 ghosts, Am 3.
    // a b c d fill A1in (no eviction needed yet); a hits in A1in (no change).
    // e: A1in holds 4 > 1 -> its oldest, a, leaves into A1out. A1in [e d c b].
    // a: ghost hit -> leaves A1out; room is made by evicting b from A1in into A1out; a enters Am.
    // f: A1in evicts c into A1out [c b]. b: ghost hit; A1in evicts d into A1out [d c]; b -> Am.
    // a: hit in Am, refreshed to its head.
    assert.equal(run(p, 'a b c a d e a f b a'), 'MMMHMMMMMH');
    assert.equal(cachedOrder(p), 'f e a b');
    assert.deepEqual(p.ghosts().map((i) => String.fromCharCode(97 + i)), ['d', 'c']);
  });

  it('s3-fifo promotes hit objects from small, reinserts hit ones in main, and uses its ghost', () => {
    const p = make('s3-fifo', 5, { params: { 'small-ratio': 0.4 } }) as S3FifoPolicy;
    // Capacity 5: small 2, main 3, ghost 4.
    // a b -> small [b a]. Before any eviction, new objects find small full and go to main:
    // c, d, e -> main [e d c]. a and b hit (freq 1).
    // f: main is within its share, so small is evicted from: a (freq 1) moves to main, b too;
    // small is empty, nothing freed yet, so main (5 > 3) evicts its oldest unhit object, c.
    // f -> small. c is new again (main evictions are not remembered): main evicts d; c -> small.
    // g: small evicts f (never hit) into the ghost. f: ghost hit -> straight to main, after
    // small evicts c into the ghost. e hits (freq 1).
    // h: main holds 4 > 3: e has freq 1 -> reinserted with 0; a (0) evicted. h -> small.
    assert.equal(run(p, 'a b c a d e b f c g f e h'), 'MMMHMMHMMMMHM');
    assert.equal(cachedOrder(p), 'h g e f b');
    assert.deepEqual(p.ghosts().map((i) => String.fromCharCode(97 + i)), ['c']);
  });

  it('arc adapts its target size on ghost hits', () => {
    const p = make('arc', 2) as ArcPolicy;
    // a, b -> T1 [b a]; a hits -> T2 [a]. c: REPLACE takes T1's LRU b (|T1| 1 > p 0) into B1.
    // b: B1 hit -> p = 1; REPLACE takes T2's a (|T1| 1 is not > p 1) into B2; b -> T2.
    // a: B2 hit -> p = 0; REPLACE takes T1's c into B1; a -> T2 [a b].
    // d: |T1|+|B1| = 1 < 2; REPLACE: T1 is empty -> T2's LRU b into B2; d -> T1.
    // c: B1 hit -> p = min(2, 0 + max(|B2|/|B1|, 1)) = 1; REPLACE takes T2's a into B2; c -> T2.
    assert.equal(run(p, 'a b a c b a d c'), 'MMHMMMMM');
    assert.equal(cachedOrder(p), 'd c');
    const letters = (xs: number[]) => xs.map((i) => String.fromCharCode(97 + i)).join(' ');
    const l = p.lists();
    assert.deepEqual([letters(l.t1), letters(l.t2), letters(l.b1), letters(l.b2)], ['d', 'c', '', 'a b']);
    assert.equal(p.target(), 1);
  });

  it('w-tinylfu admits window victims to the main cache only when the sketch prefers them', () => {
    const p = make('w-tinylfu', 3) as WTinyLfuPolicy;
    // Capacity 3: window 1, main 2 (protected share 1). The sketch counts every request.
    // a a: window [a]. b: a leaves the window into main (room). c: b goes to main (room).
    // d: window victim c (count 1) vs main victim a (count 2): c is dropped.
    // a: hit in probation -> protected. e: d (1) vs b (1): not more frequent -> dropped.
    // d: e (1) vs b (1) -> dropped. e: d (2) vs b (1) -> d wins, b evicted.
    // b: e (2) vs d (2) -> dropped. Window [b], probation [d], protected [a].
    assert.equal(run(p, 'a a b c d a e d e b'), 'MHMMMHMMMM');
    assert.equal(cachedOrder(p), 'b d a');
    // The reasoning above assumes exact counts (no sketch collisions among these ids).
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((x) => p.estimate(idOf(x))), [3, 2, 1, 2, 2]);
  });

  it('noeviction refuses new objects when full', () => {
    const p = make('noeviction', 2);
    assert.equal(run(p, 'a b c a b c'), 'MMMHHM');
    assert.equal(cachedSet(p), 'a b');
  });

  it("allkeys-lru follows Redis's pool, including its stale scores", () => {
    const p = make('allkeys-lru', 3);
    // With no more keys than maxmemory-samples, every key is sampled.
    // d (t3): idle a 3, b 2, c 1 -> pool [c b a], a evicted; the pool keeps c(1) and b(2).
    // b hits at t4 but its pooled score stays 2. e (t5): c and b are already pooled, d scores
    // 5-3 = 2 and lands left of b, so b, the rightmost, is evicted although it was just used.
    // True LRU would have evicted c.
    assert.equal(run(p, 'a b c d b e'), 'MMMMHM');
    assert.equal(cachedSet(p), 'c d e');
    const lru = make('lru', 3);
    run(lru, 'a b c d b e');
    assert.equal(cachedSet(lru), 'b d e');
  });

  it("allkeys-lfu uses Redis's logarithmic counter and its decay", () => {
    // lfu-log-factor 0 makes every increment certain so that the counts can be worked by hand.
    const trace = [at('a', 0), at('a', 1), at('a', 2), at('a', 3), at('b', 600), at('c', 610)];
    const decaying = make('allkeys-lfu', 2, { params: { 'lfu-log-factor': 0 } }) as RedisPolicy;
    // a starts at 5 and reaches 8 with three hits in minute 0. b starts at 5 in minute 10.
    // c at minute 10: a has decayed by 10 periods of one minute to 0 (score 255) and b scores
    // 250: a is evicted.
    assert.equal(run(decaying, trace), 'MHHHMM');
    assert.equal(cachedSet(decaying), 'b c');
    const steady = make('allkeys-lfu', 2, { params: { 'lfu-log-factor': 0, 'lfu-decay-time': 0 } }) as RedisPolicy;
    // Without decay a keeps 8 (score 247) and b, at 5 (score 250), is evicted.
    assert.equal(run(steady, trace), 'MHHHMM');
    assert.equal(cachedSet(steady), 'a c');
    assert.equal(steady.lfuCounter(idOf('a'), 610), 8);
  });

  it('volatile-lru, volatile-lfu and volatile-random only evict keys with a TTL', () => {
    for (const name of ['volatile-lru', 'volatile-lfu', 'volatile-random']) {
      const p = make(name, 2);
      // b is the only key with a TTL, so c evicts it; then no key has a TTL and d is refused.
      const trace = [at('a', 0), at('b', 1, 1000), at('c', 2), at('d', 3), at('a', 4)];
      assert.equal(run(p, trace), 'MMMMH', name);
      assert.equal(cachedSet(p), 'a c', name);
    }
  });

  it('volatile-ttl evicts the key with the soonest expiry', () => {
    const p = make('volatile-ttl', 2);
    // c evicts b (expires at 50, before a at 100); d evicts a, the only key with a TTL left
    // (c has none); e evicts d.
    const trace = [at('a', 0, 100), at('b', 1, 50), at('c', 2), at('d', 3, 10), at('e', 4)];
    assert.equal(run(p, trace), 'MMMMM');
    assert.equal(cachedSet(p), 'c e');
  });

  it('random, allkeys-random: a full cache of one evicts its only object', () => {
    for (const name of ['random', 'allkeys-random']) {
      const p = make(name, 1);
      assert.equal(run(p, 'a b a'), 'MMM', name);
      assert.equal(cachedSet(p), 'a', name);
    }
  });
});
