import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { getAlgorithm, algorithms } from '../../../src/core/ring/registry';
import { digest, md5 } from '../../../src/core/ring/md5';
import { fnv1a64, r64 } from '../../../src/core/ring/int64';
import { memjsHashCode } from '../../../src/core/ring/modulo';
import { ketamaPointCounts } from '../../../src/core/ring/ketama';
import { crc16, evenSlotMap, keySlot } from '../../../src/core/ring/redis-slots';
import type { RingNode } from '../../../src/core/ring/algorithm';
import { CacheLensError } from '../../../src/core/errors';
import { ketamaConfigs, ketamaKeys } from './ketama-libmemcached.vectors';

// memjs's own code, the reference for `modulo`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const memjsUtils = require('memjs/lib/memjs/utils') as { hashCode(s: string): number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const memjs = require('memjs') as { Client: { create(servers: string, options?: object): { getServer(key: string): number } } };

const nodes = (ids: string[], weights?: number[]): RingNode[] => ids.map((id, i) => ({ id, weight: weights?.[i] ?? 1 }));

function randomKeys(n: number, seed: number): string[] {
  let s = seed;
  const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 0x100000000; };
  const alphabet = Array.from('abcdefghijklmnopqrstuvwxyz0123456789:_-{}.é日€😀');
  return Array.from({ length: n }, (_, i) => {
    let k = i % 3 === 0 ? `user:${i}:` : '';
    const len = 1 + Math.floor(rnd() * 40);
    for (let j = 0; j < len; j++) k += alphabet[Math.floor(rnd() * alphabet.length)];
    return k;
  });
}

describe('ring: hash primitives', () => {
  it('md5 matches node:crypto on every tail length, one and two blocks', () => {
    for (let len = 0; len <= 200; len++) {
      const bytes = crypto.randomBytes(len);
      md5(bytes, len);
      const want = crypto.createHash('md5').update(bytes).digest();
      for (let w = 0; w < 4; w++) assert.equal(digest[w], want.readInt32LE(w * 4), `length ${len}, word ${w}`);
    }
  });

  it('FNV-1a 64 gives the published check values', () => {
    const check = (text: string, hex: string) => {
      const b = Buffer.from(text);
      fnv1a64(b, b.length);
      assert.equal(r64.hi.toString(16).padStart(8, '0') + r64.lo.toString(16).padStart(8, '0'), hex, text);
    };
    check('', 'cbf29ce484222325');
    check('a', 'af63dc4c8601ec8c');
    check('foobar', '85944171f73967e8');
  });

  it('CRC16 XMODEM of "123456789" is 0x31C3, slot 12739', () => {
    const b = Buffer.from('123456789');
    assert.equal(crc16(b, 0, b.length), 0x31c3);
    assert.equal(keySlot('123456789'), 12739);
  });
});

describe('ring: modulo (memjs)', () => {
  it('hashCode equals memjs utils.hashCode, unicode included', () => {
    for (const k of randomKeys(2000, 7)) assert.equal(memjsHashCode(k), memjsUtils.hashCode(k), k);
  });

  it('places every key on the server memjs Client.getServer picks, for strings and their UTF-8 bytes', () => {
    const servers = ['a:11211', 'b:11211', 'c:11211', 'd:11211', 'e:11211'];
    const client = memjs.Client.create(servers.join(','), { logger: { log() { /* quiet */ } } });
    const p = getAlgorithm('modulo').build(nodes(servers));
    for (const k of randomKeys(3000, 11)) {
      assert.equal(p.locate(k), client.getServer(k), k);
      assert.equal(p.locate(Buffer.from(k)), client.getServer(k), k);
    }
  });
});

describe('ring: ketama (libmemcached)', () => {
  it("gives each server libmemcached's point counts (weights 600..100 over 8 servers)", () => {
    const counts = ketamaPointCounts(nodes(['1', '2', '3', '4', '5', '6', '7', '8'], [600, 300, 200, 350, 1000, 800, 950, 100]));
    assert.equal(counts.length, 8);
    for (const c of counts) assert.equal(c % 4, 0);
    // 160 points per server on average, less the floor() losses.
    assert.ok(counts.reduce((a, b) => a + b, 0) <= 160 * 8);
    assert.deepEqual(ketamaPointCounts(nodes(['a', 'b', 'c'])), [160, 160, 160]);
  });

  it('matches the 99 vectors of libmemcached tests/ketama_test_cases (hash, point and server)', () => {
    const pool = nodes(['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4', '10.0.1.5', '10.0.1.6', '10.0.1.7', '10.0.1.8'].map((h) => `${h}:11211`),
      [600, 300, 200, 350, 1000, 800, 950, 100]);
    const p = getAlgorithm('ketama').build(pool);
    const points = new Set(p.points!().map((x) => Math.round(x.position * 0x100000000)));
    for (const [key, hash1, hash2, server] of LIBMEMCACHED_KETAMA_CASES) {
      assert.equal(Math.round(p.ringPosition!(key) * 0x100000000), hash1, `hash of ${key}`);
      assert.ok(points.has(hash2), `continuum point ${hash2} for ${key}`);
      assert.equal(p.nodes[p.locate(key)].id, `${server}:11211`, key);
    }
    // "VDEAAAAA hashes to fffcd1b5, after the last continuum point": wraps to the first point's server.
    assert.equal(p.locate('VDEAAAAA'), p.points!()[0].node);
  });

  it('matches libmemcached 1.1.4 on five more server lists (ports, host names, weights)', () => {
    for (const c of ketamaConfigs) {
      const p = getAlgorithm('ketama').build(c.nodes);
      const got = ketamaKeys.map((k) => p.locate(k));
      assert.deepEqual(got, c.expected, c.name);
      assert.deepEqual(ketamaKeys.map((k) => p.locate(Buffer.from(k))), c.expected, `${c.name} (Buffer keys)`);
      const out = new Int32Array(ketamaKeys.length);
      p.locateMany!(ketamaKeys.map((k) => Buffer.from(k)), out);
      assert.deepEqual(Array.from(out), c.expected, `${c.name} (batch of Buffer keys)`);
    }
  });

  it('the batch path agrees with locate for every mix of key kinds, lengths and counts', () => {
    const p = getAlgorithm('ketama').build(nodes(['a:1', 'b:2', 'c:3', 'd:4']));
    const keys: Array<Buffer | string> = [];
    for (let i = 0; i < 301; i++) {
      const text = i % 7 === 0 ? 'x'.repeat(50 + (i % 20)) : `k:${i}`;
      keys.push(i % 3 === 0 ? text : Buffer.from(text));
    }
    for (const n of [0, 1, 2, 3, 300, 301]) {
      const out = new Int32Array(n);
      p.locateMany!(keys.slice(0, n), out);
      assert.deepEqual(Array.from(out), keys.slice(0, n).map((k) => p.locate(k)), `${n} keys`);
    }
    const one = getAlgorithm('ketama').build(nodes(['only:1']));
    const out = new Int32Array(3).fill(7);
    one.locateMany!([Buffer.from('a'), 'b', Buffer.from('c')], out);
    assert.deepEqual(Array.from(out), [0, 0, 0]);
  });
});

describe('ring: vnode-md5, jump, rendezvous against the Python reference', () => {
  const ids = ['cache1:11211', 'cache2:11211', 'cache3:11211', 'cache4:11211', 'cache5:11211', 'cache6:11211', 'cache7:11211'];
  const weights = [1, 2, 3, 1, 5, 1, 2];
  const keys = [...randomKeys(1500, 3), 'user:123', 'user:456', 'user:789'];
  let ref: { vnode: number[]; fnv: string[]; jump: number[]; rendezvous: number[]; rendezvousWeighted: number[] };

  before(() => {
    const run = spawnSync('python3', [path.join(__dirname, '../../../../test/unit/ring/reference.py')], {
      input: JSON.stringify({ keys, nodes: ids, weights, vnodes: 150 }), maxBuffer: 64 << 20,
    });
    assert.equal(run.status, 0, String(run.stderr));
    ref = JSON.parse(String(run.stdout));
  });

  it("vnode-md5 places every key where the chapter's ConsistentHashing does", () => {
    const p = getAlgorithm('vnode-md5').build(nodes(ids), { vnodes: 150 });
    assert.deepEqual(keys.map((k) => p.locate(k)), ref.vnode);
  });

  it('jump equals the paper\'s algorithm over FNV-1a 64, bucket for bucket', () => {
    keys.forEach((k, i) => {
      const b = Buffer.from(k);
      fnv1a64(b, b.length);
      assert.equal(r64.hi.toString(16).padStart(8, '0') + r64.lo.toString(16).padStart(8, '0'), ref.fnv[i], k);
    });
    const p = getAlgorithm('jump').build(nodes(ids));
    assert.deepEqual(keys.map((k) => p.locate(k)), ref.jump);
  });

  it('rendezvous, plain and weighted, picks the same node as the reference', () => {
    assert.deepEqual(keys.map((k) => getAlgorithm('rendezvous').build(nodes(ids)).locate(k)), ref.rendezvous);
    const w = getAlgorithm('rendezvous').build(nodes(ids, weights));
    assert.deepEqual(keys.map((k) => w.locate(k)), ref.rendezvousWeighted);
  });
});

describe('ring: redis-slots', () => {
  const slotOf = (s: string) => keySlot(Buffer.from(s));
  const whole = (s: string) => { const b = Buffer.from(s); return crc16(b, 0, b.length) & 16383; };
  const tag = (t: string) => whole(t);

  it('follows the hash-tag rules of the Redis Cluster specification', () => {
    assert.equal(slotOf('{user1000}.following'), slotOf('{user1000}.followers'));
    assert.equal(slotOf('{user1000}.following'), tag('user1000'));
    assert.equal(slotOf('foo{}{bar}'), whole('foo{}{bar}'));
    assert.equal(slotOf('foo{{bar}}zap'), tag('{bar'));
    assert.equal(slotOf('foo{bar}{zap}'), tag('bar'));
    assert.equal(slotOf('{}'), whole('{}'));
    assert.equal(slotOf('{'), whole('{'));
    assert.equal(slotOf('}{'), whole('}{'));
    assert.equal(slotOf('}{a}'), tag('a'));
  });

  it('differs from the cluster-key-slot package where it is wrong: empty braces before a tag', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cks = require('cluster-key-slot') as (key: string | Buffer) => number;
    for (const k of ['{}{a}', 'x{}{tag}y', '{}{user}:1']) {
      assert.equal(slotOf(k), whole(k), k);
      assert.notEqual(cks(k), whole(k), `cluster-key-slot agrees on ${k}; the known bug is gone?`);
    }
  });

  it('splits slots across masters exactly like redis-cli --cluster create', () => {
    const ranges = (n: number) => {
      const map = evenSlotMap(nodes(Array.from({ length: n }, (_, i) => `m${i}`)));
      const out: Array<[number, number]> = [];
      for (let s = 0; s < 16384; s++) {
        if (s === 0 || map.owner[s] !== map.owner[s - 1]) out.push([s, s]); else out[out.length - 1][1] = s;
      }
      return out;
    };
    assert.deepEqual(ranges(3), [[0, 5460], [5461, 10922], [10923, 16383]]);
    assert.deepEqual(ranges(1), [[0, 16383]]);
    assert.deepEqual(ranges(6), [[0, 2730], [2731, 5460], [5461, 8191], [8192, 10922], [10923, 13652], [13653, 16383]]);
  });
});

describe('ring: registry and node checks', () => {
  it('has the six algorithms and refuses unknown names with a usage error', () => {
    assert.deepEqual(algorithms.map((a) => a.name), ['modulo', 'vnode-md5', 'ketama', 'jump', 'rendezvous', 'redis-slots']);
    assert.throws(() => getAlgorithm('maglev'), (e: unknown) => CacheLensError.is(e, 'usage') && /one of: modulo/.test(e.message));
  });

  it('refuses weights where the algorithm has none, duplicate nodes and empty lists', () => {
    assert.throws(() => getAlgorithm('jump').build(nodes(['a', 'b'], [1, 2])), /does not support weights/);
    assert.throws(() => getAlgorithm('modulo').build(nodes(['a', 'b'], [2, 2])), /does not support weights/);
    assert.throws(() => getAlgorithm('ketama').build(nodes(['a', 'a'])), /listed twice/);
    assert.throws(() => getAlgorithm('rendezvous').build([]), /at least one node/);
    assert.throws(() => getAlgorithm('ketama').build(nodes(['a', 'b'], [1.5, 1])), /whole numbers/);
  });
});

/** libmemcached tests/fixtures/ketama.hpp, ketama_test_cases: key, MD5 key hash, continuum point, server. */
const LIBMEMCACHED_KETAMA_CASES: Array<[string, number, number, string]> = [
  ["SVa_]_V41)", 443691461, 445379617, "10.0.1.7"],
  ["*/Z;?V(.\\8", 1422915503, 1428303028, "10.0.1.1"],
  ["30C1*Z*S/_", 1473165754, 1480075959, "10.0.1.2"],
  ["ERR:EC58G>", 2148406511, 2168579133, "10.0.1.7"],
  ["1I=cTMNTKF", 2882686667, 2885206587, "10.0.1.5"],
  ["]VG<`I*Z8)", 1103544263, 1104827657, "10.0.1.5"],
  ["UUTC`-V159", 3716288206, 3727224240, "10.0.1.5"],
  ["@7RU6C6T+Z", 3862737685, 3871917949, "10.0.1.5"],
  ["/XLN0@+36;", 1623269830, 1627683651, "10.0.1.1"],
  ["4(`X;\\V.^c", 373546328, 383925769, "10.0.1.1"],
  ["726bW=9*a4", 4213440020, 4213950705, "10.0.1.7"],
  ["\\`)<B)UE,c", 951096736, 955226069, "10.0.1.1"],
  ["P1[Ma3=K1/", 1989324036, 1994028240, "10.0.1.8"],
  ["C89I.-V?cT", 1604239957, 1606398093, "10.0.1.8"],
  ["D[HE+cFXDK", 2117036136, 2117124014, "10.0.1.3"],
  ["P1L?NAB[)K", 2129972569, 2132542634, "10.0.1.1"],
  ["cDT0)Z5P6,", 176485284, 178675413, "10.0.1.5"],
  ["@JW`+[WAO8", 2720940826, 2743975456, "10.0.1.5"],
  ["\\39DKW^)N_", 3548879868, 3550704865, "10.0.1.3"],
  ["EM75N0+[X1", 1558531507, 1559308507, "10.0.1.4"],
  ["`,SS]NBP,b", 1883545960, 1884847278, "10.0.1.1"],
  ["XX1a9LT+F?", 653487707, 656410408, "10.0.1.5"],
  ["Zc\\-,F-c6V", 1160802451, 1171575728, "10.0.1.5"],
  ["1*RTMC7,03", 1602398012, 1606398093, "10.0.1.8"],
  ["*Xc+V0P>32", 536016577, 539988520, "10.0.1.7"],
  ["U))Fb-(`,.", 4128682289, 4136854163, "10.0.1.7"],
  ["R-08RNTaRT", 3718170086, 3727224240, "10.0.1.5"],
  ["(LHcO203I3", 1007779411, 1014643570, "10.0.1.5"],
  ["=256P+;Qc8", 3976201210, 3976304873, "10.0.1.5"],
  ["OI5XZ_BBT(", 2155922164, 2168579133, "10.0.1.7"],
  ["2TLRL/UL;:", 1086800909, 1095659802, "10.0.1.7"],
  ["WHD\\O1`ZRW", 3087923411, 3095471560, "10.0.1.5"],
  [".=54)_c;=T", 2497691631, 2502731301, "10.0.1.1"],
  [";G<W-XWZ@b", 2888169733, 2888728739, "10.0.1.5"],
  ["(,>E`)FT\\4", 580747448, 581063326, "10.0.1.2"],
  ["HZAU*;P*N]", 2564670474, 2565697267, "10.0.1.7"],
  ["NZ@ZE=O84_", 533335275, 539988520, "10.0.1.7"],
  ["6,cEI`F_P>", 3972869246, 3974773167, "10.0.1.6"],
  ["c,5AQ/T5)6", 2835605783, 2847870057, "10.0.1.8"],
  [".O,>>BT)RX", 3857978174, 3871917949, "10.0.1.5"],
  ["XY\\X::LX50", 1749241099, 1752196488, "10.0.1.6"],
  ["+550F^/.01", 3781824099, 3783248219, "10.0.1.6"],
  ["<.X9E2S5+9", 3232479481, 3234387706, "10.0.1.7"],
  ["]\\.UH8_0a1", 2419699252, 2423002920, "10.0.1.4"],
  ["8(6=(T0/Z0", 728266737, 729026070, "10.0.1.7"],
  ["8*6a;Sc*X+", 4223431086, 4230156966, "10.0.1.2"],
  ["<QW:;3K6;H", 2731158143, 2743975456, "10.0.1.5"],
  ["7C@EY@-Y?_", 760770733, 761576669, "10.0.1.5"],
  ["aPb3E1WD4K", 2500489218, 2502731301, "10.0.1.1"],
  ["?@12R<=1BH", 1494795329, 1502505505, "10.0.1.8"],
  ["QR(a+Q=1FU", 3238535074, 3238996435, "10.0.1.6"],
  ["`C9^FV,960", 2628553463, 2628733766, "10.0.1.6"],
  ["UNHVP..^8H", 977096483, 977319837, "10.0.1.4"],
  [":Y.2W2[(35", 2777083668, 2784182515, "10.0.1.7"],
  ["M/HV^_HZ4O", 3623390946, 3624445007, "10.0.1.7"],
  ["ZY16KQ<ICD", 1831153193, 1838563516, "10.0.1.4"],
  ["bV2,`a.PY9", 1962228869, 1962648654, "10.0.1.1"],
  ["U;9:-+5N]9", 269504649, 277560877, "10.0.1.1"],
  ["1S/:aJ[1(;", 578069729, 581063326, "10.0.1.2"],
  ["Nb-X^]M)I:", 330865696, 331009896, "10.0.1.6"],
  ["2;M;ES>J5/", 2776949824, 2784182515, "10.0.1.7"],
  ["[>RZHG97Q9", 71954686, 72034069, "10.0.1.6"],
  ["J3/G[)9<^Z", 2799896459, 2805183696, "10.0.1.7"],
  ["N-)88>[O`,", 50404102, 51792557, "10.0.1.5"],
  ["NP:=FR\\OaA", 3837333776, 3837792034, "10.0.1.7"],
  ["`@L+W;a,O[", 1512157148, 1522285852, "10.0.1.6"],
  ["W2`P:-+1T[", 2945171975, 2946196424, "10.0.1.5"],
  ["-6G7K^YDIN", 3168617340, 3170513015, "10.0.1.7"],
  ["U>*>9ZI6V5", 668514946, 674097631, "10.0.1.6"],
  [".I?^6Ic9RK", 938419020, 942832691, "10.0.1.6"],
  ["0OZH^9BKM[", 3682518606, 3686781297, "10.0.1.8"],
  ["5?50UGZ:ML", 868610882, 869425986, "10.0.1.5"],
  ["?K2NF@3=IU", 381218851, 383925769, "10.0.1.1"],
  ["YI@G-2X?UB", 3688706179, 3693197681, "10.0.1.5"],
  ["7cY</BSaL=", 3976870223, 3978903843, "10.0.1.6"],
  ["A(`KF:[RH8", 3292979676, 3294849139, "10.0.1.6"],
  [";=ZT\\W^P+H", 1401102653, 1416290674, "10.0.1.4"],
  ["b2?WFF56;R", 480494704, 486971192, "10.0.1.4"],
  ["CTR74,J+N.", 137446045, 146633907, "10.0.1.8"],
  ["<b;*R+QDST", 1304985302, 1308223778, "10.0.1.5"],
  ["\\R^7=9UCG`", 126218373, 129199837, "10.0.1.5"],
  ["1bQS5]WOXB", 1853470245, 1855329369, "10.0.1.4"],
  ["M(@X^b[L:K", 3019630308, 3022260113, "10.0.1.1"],
  ["431cBF8,YO", 1679726993, 1685224295, "10.0.1.7"],
  ["(bEIQJ:E./", 2922607787, 2925521819, "10.0.1.6"],
  ["WS/3H*)7F;", 419488232, 422140585, "10.0.1.5"],
  ["ZJF[Ia6Q)+", 3960568056, 3962489998, "10.0.1.7"],
  ["<]*QCK8U,>", 2590140172, 2598117636, "10.0.1.7"],
  ["\\[a\\^=V_M0", 689410119, 698690782, "10.0.1.6"],
  ["7;RM+8J9YC", 1530175299, 1531107082, "10.0.1.7"],
  ["4*=.SPR[AV", 3928582722, 3928853792, "10.0.1.1"],
  ["-2F+^88P4U", 3023552752, 3025823613, "10.0.1.7"],
  ["X;-F`(N?9D", 570465234, 572485994, "10.0.1.7"],
  ["R=F_D-K2a]", 1287750228, 1290935562, "10.0.1.7"],
  ["X*+2aaC.EG", 3200948713, 3201088518, "10.0.1.5"],
  ["[1ZXONX2]a", 4108881567, 4109865744, "10.0.1.4"],
  ["FL;\\GWacaV", 458449508, 467374054, "10.0.1.4"],
  ["\\MQ_XNT7L-", 1259349383, 1259509450, "10.0.1.7"],
  ["VD6D0]ba_\\", 3842502950, 3842588691, "10.0.1.1"],
];
