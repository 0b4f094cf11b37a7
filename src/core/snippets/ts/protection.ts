import { loaderType } from './common';
import type { TsPattern } from './pattern';

/** Stampede protection (lock, XFetch) and the circuit breaker: patterns that protect a backend. */

export const stampedeLock: TsPattern = {
  caps: ['add', 'release'],
  needsSleep: true,
  nodeImports: { crypto: ['randomUUID'] },
  exports: (c) => [`${c.E}StampedeLock`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `${t(`export interface ${E}StampedeLockOptions {
  ttlSeconds?: number;
  /** Must exceed the slowest load: a lock that expires mid-load lets a second loader in. */
  lockTtlMs?: number;
  /** How long a caller waits for another caller's load before giving up. */
  waitTimeoutMs?: number;
}

`)}${exp}class ${E}StampedeLock {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
  private readonly lockTtlMs: number;
  private readonly waitTimeoutMs: number;
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, options${t(`: ${E}StampedeLockOptions`)} = {}) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = options.ttlSeconds ?? TTL_SECONDS;
    this.lockTtlMs = options.lockTtlMs ?? 10000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 15000;
  }

  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const key = KEY_PREFIX + id;
    const lockKey = KEY_PREFIX + 'lock:' + id;
    const deadline = Date.now() + this.waitTimeoutMs;
    let pause = 5;
    for (;;) {
      const cached = await this.store.get(key);
      if (cached !== null) return decode(cached);
      const token = randomUUID();
      if (await this.store.add(lockKey, token, this.lockTtlMs)) {
        try {
          // Someone may have filled the cache between our miss and our lock.
          const again = await this.store.get(key);
          if (again !== null) return decode(again);
          const loaded = await this.${L}(id);
          if (loaded !== null) await this.store.set(key, encode(loaded), withJitter(this.ttlSeconds));
          return loaded;
        } finally {
          // Compare-and-delete: if our lock expired and another caller holds it now, it stays.
          await this.store.release(lockKey, token);
        }
      }
      if (Date.now() >= deadline) throw new Error('stampede lock: gave up waiting for ' + key + ' after ' + this.waitTimeoutMs + ' ms');
      await sleep(pause);
      pause = Math.min(pause * 2, 100);
    }
  }
}
`;
  },
};

export const stampedeXfetch: TsPattern = {
  caps: [],
  exports: (c) => [`${c.E}XFetch`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `${t(`export interface ${E}XFetchOptions {
  ttlSeconds?: number;
  /** 1 is optimal in the XFetch paper; larger refreshes earlier, 0 never refreshes early. */
  beta?: number;
  random?: () => number;
}

interface Envelope {
  /** The encoded value. */
  v: string;
  /** How long the last computation took, in ms. */
  delta: number;
  /** When the entry expires, epoch ms. */
  expiry: number;
}

`)}${exp}class ${E}XFetch {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
  private readonly beta: number;
  private readonly random: () => number;
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, options${t(`: ${E}XFetchOptions`)} = {}) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = options.ttlSeconds ?? TTL_SECONDS;
    this.beta = options.beta ?? 1;
    this.random = options.random ?? Math.random;
  }

  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const cached = await this.store.get(KEY_PREFIX + id);
    if (cached !== null) {
      const entry = JSON.parse(cached)${t(' as Envelope')};
      // XFetch: -ln(random) is exponentially distributed, so early refreshes get likelier near expiry.
      const early = Date.now() - entry.delta * this.beta * Math.log(this.random()) >= entry.expiry;
      if (!early) return decode(entry.v);
    }
    return this.recompute(id);
  }

  ${t('private ')}async recompute(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const started = Date.now();
    const loaded = await this.${L}(id);
    if (loaded === null) return null;
    const ttl = withJitter(this.ttlSeconds);
    const now = Date.now();
    const entry${t(': Envelope')} = { v: encode(loaded), delta: now - started, expiry: now + ttl * 1000 };
    await this.store.set(KEY_PREFIX + id, JSON.stringify(entry), ttl);
    return loaded;
  }
}
`;
  },
};

export const circuitBreaker: TsPattern = {
  caps: [],
  exports: (c) => [`${c.E}CircuitBreakerCache`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `${t(`export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ${E}CircuitBreakerOptions {
  ttlSeconds?: number;
  /** Consecutive cache failures that open the breaker. */
  failureThreshold?: number;
  /** How long the breaker stays open before one probe may try the cache. */
  openMs?: number;
  onCacheError?: (error: unknown) => void;
}

`)}${exp}class ${E}CircuitBreakerCache {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
  private readonly failureThreshold: number;
  private readonly openMs: number;
  private readonly onCacheError: (error: unknown) => void;
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, options${t(`: ${E}CircuitBreakerOptions`)} = {}) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = options.ttlSeconds ?? TTL_SECONDS;
    this.failureThreshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 30000;
    this.onCacheError = options.onCacheError ?? ((error) => console.warn('cache call failed:', error));${c.typed ? '' : `
    this.failures = 0;
    this.openedAt = 0;
    this.probing = false;
    this.current = 'closed';`}
  }

  get state()${t(': BreakerState')} {
    return this.current;
  }

  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    if (this.allowCall()) {
      try {
        const cached = await this.store.get(KEY_PREFIX + id);
        this.succeeded();
        if (cached !== null) return decode(cached);
      } catch (error) {
        this.failed(error);
      }
    }
    const loaded = await this.${L}(id);
    if (loaded !== null && this.allowCall()) {
      try {
        await this.store.set(KEY_PREFIX + id, encode(loaded), withJitter(this.ttlSeconds));
        this.succeeded();
      } catch (error) {
        this.failed(error);
      }
    }
    return loaded;
  }

  /** Closed: always. Open: never, until openMs passed; then one probe at a time (half-open). */
  ${t('private ')}allowCall()${t(': boolean')} {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (Date.now() - this.openedAt < this.openMs) return false;
      this.current = 'half-open';
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  ${t('private ')}succeeded()${t(': void')} {
    this.failures = 0;
    this.probing = false;
    this.current = 'closed';
  }

  ${t('private ')}failed(error${t(': unknown')})${t(': void')} {
    this.onCacheError(error);
    this.probing = false;
    this.failures++;
    if (this.current === 'half-open' || this.failures >= this.failureThreshold) {
      this.current = 'open';
      this.openedAt = Date.now();
    }
  }
}
`;
  },
};
