/**
 * A fast seeded pseudo-random generator (xoshiro128**, seeded through splitmix32), shared by
 * the trace generators and the randomized eviction policies. Same seed, same sequence, on every
 * platform: everything is 32-bit integer arithmetic (Math.imul, >>> 0).
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads any seed (even 0 or consecutive seeds) over the 128-bit state,
    // which xoshiro needs to be non-zero and well mixed.
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniform unsigned 32-bit integer. */
  next(): number {
    const b = this.b;
    const t = b << 9;
    let r = Math.imul(b, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return r >>> 0;
  }

  /** A uniform float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.next() / 4294967296;
  }

  /** A uniform integer in [0, n), without modulo bias. n must be at most 2^32. */
  int(n: number): number {
    if (n <= 1) return 0;
    // Rejecting the top partial block of the 2^32 range makes every remainder equally likely;
    // at most half the draws are rejected, usually almost none.
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }
}
