import type { Rng } from '../rng';

/**
 * Zipf sampling in O(1) per request with Walker's alias method (Vose's construction): rank i
 * (0-based) has probability (i+1)^-alpha / H(n, alpha). Works for any alpha >= 0, including 1.
 * Building the table is O(n); tables are cached per (n, alpha) because sweeps and workers build
 * the same trace repeatedly.
 */
export class ZipfSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  private constructor(readonly n: number, readonly alpha: number, prob: Float64Array, alias: Int32Array) {
    this.prob = prob;
    this.alias = alias;
  }

  private static cache = new Map<string, ZipfSampler>();

  static get(n: number, alpha: number): ZipfSampler {
    const key = `${n}:${alpha}`;
    let s = ZipfSampler.cache.get(key);
    if (!s) {
      // A few tables are plenty; dropping old ones keeps a long-lived extension host small.
      if (ZipfSampler.cache.size >= 4) ZipfSampler.cache.clear();
      s = ZipfSampler.build(n, alpha);
      ZipfSampler.cache.set(key, s);
    }
    return s;
  }

  /** The exact probability of each rank, for tests and theory. */
  static probabilities(n: number, alpha: number): Float64Array {
    const p = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) { p[i] = Math.pow(i + 1, -alpha); sum += p[i]; }
    for (let i = 0; i < n; i++) p[i] /= sum;
    return p;
  }

  private static build(n: number, alpha: number): ZipfSampler {
    const scaled = ZipfSampler.probabilities(n, alpha);
    for (let i = 0; i < n; i++) scaled[i] *= n;
    const prob = new Float64Array(n);
    const alias = new Int32Array(n);
    // Two stacks in one array: small entries grow from the left, large ones from the right.
    const work = new Int32Array(n);
    let small = 0;
    let large = n;
    for (let i = 0; i < n; i++) {
      if (scaled[i] < 1) work[small++] = i; else work[--large] = i;
    }
    while (small > 0 && large < n) {
      const s = work[--small];
      const l = work[large++];
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) work[small++] = l; else work[--large] = l;
    }
    // Whatever remains is 1 up to rounding.
    while (large < n) { const l = work[large++]; prob[l] = 1; alias[l] = l; }
    while (small > 0) { const s = work[--small]; prob[s] = 1; alias[s] = s; }
    return new ZipfSampler(n, alpha, prob, alias);
  }

  /**
   * One rank in [0, n). Two 32-bit draws: one picks the column (multiply-shift: each column's
   * share is off by at most n/2^32, under 0.03% for a million objects), one flips its coin.
   */
  sample(rng: Rng): number {
    const i = Math.floor((rng.next() * this.n) / 4294967296);
    return rng.float() < this.prob[i] ? i : this.alias[i];
  }
}
