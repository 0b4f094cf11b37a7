import { loaderType, type TsContext } from './common';
import type { TsPattern } from './pattern';

/** Cache-aside, read-through, multi-level, cache warming and memoize: the read-side patterns. */

export const cacheAside: TsPattern = {
  caps: [],
  exports: (c) => [`${c.E}CacheAside`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader; const W = c.opts.writer;
    return `${exp}class ${E}CacheAside {
${c.t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ${W}: (id: string, value: ${E}) => Promise<void>;
  private readonly ttlSeconds: number;
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, ${W}${t(`: (id: string, value: ${E}) => Promise<void>`)}, ttlSeconds = TTL_SECONDS) {
    this.store = store;
    this.${L} = ${L};
    this.${W} = ${W};
    this.ttlSeconds = ttlSeconds;
  }

  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const cached = await this.store.get(KEY_PREFIX + id);
    // Only a missing key is a miss: an empty string is a cached value.
    if (cached !== null) return decode(cached);
    const loaded = await this.${L}(id);
    // Not-found results are not cached here; cache a tombstone if misses for absent ids are hot.
    if (loaded !== null) await this.store.set(KEY_PREFIX + id, encode(loaded), withJitter(this.ttlSeconds));
    return loaded;
  }

  /** Source of truth first; then drop the cached copy so the next read loads the new value. */
  async update(id${t(': string')}, value${t(`: ${E}`)})${t(': Promise<void>')} {
    await this.${W}(id, value);
    await this.store.del(KEY_PREFIX + id);
  }
}
`;
  },
};

export const readThrough: TsPattern = {
  caps: [],
  exports: (c) => [`${c.E}ReadThrough`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `${exp}class ${E}ReadThrough {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
  /** Loads in progress in this process, so concurrent misses for one id share one load. */
  private readonly inFlight = new Map<string, Promise<${E} | null>>();
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, ttlSeconds = TTL_SECONDS) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = ttlSeconds;${c.typed ? '' : '\n    this.inFlight = new Map();'}
  }

  /** The only read path: the cache loads on a miss, callers never talk to the database. */
  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const cached = await this.store.get(KEY_PREFIX + id);
    if (cached !== null) return decode(cached);
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = this.fill(id).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    return pending;
  }

  /** Writers call this after changing the source of truth. */
  async invalidate(id${t(': string')})${t(': Promise<void>')} {
    await this.store.del(KEY_PREFIX + id);
  }

  ${t('private ')}async fill(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const loaded = await this.${L}(id);
    if (loaded !== null) await this.store.set(KEY_PREFIX + id, encode(loaded), withJitter(this.ttlSeconds));
    return loaded;
  }
}
`;
  },
};

export const multiLevel: TsPattern = {
  caps: [],
  exports: (c) => [`${c.E}MultiLevel`, 'BoundedLru', c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `/**
 * A bounded LRU with a per-entry TTL. A Map keeps insertion order, so re-inserting on a hit
 * makes the oldest entry the first key: eviction is O(1).
 */
${exp}class BoundedLru${t('<V>')} {
${t(`  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
`)}
  constructor(maxEntries${t(': number')}, ttlMs${t(': number')}) {
    if (maxEntries < 1) throw new Error('maxEntries must be at least 1');
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;${c.typed ? '' : '\n    this.entries = new Map();'}
  }

  get size()${t(': number')} {
    return this.entries.size;
  }

  get(key${t(': string')})${t(': V | undefined')} {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= Date.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key${t(': string')}, value${t(': V')})${t(': void')} {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  delete(key${t(': string')})${t(': void')} {
    this.entries.delete(key);
  }
}

${t(`export interface ${E}MultiLevelOptions {
  ttlSeconds?: number;
  /** L1 capacity in entries; the least recently used entry goes first. */
  l1MaxEntries?: number;
  /** How long this process may serve its own copy without asking L2. */
  l1TtlMs?: number;
}

`)}${exp}class ${E}MultiLevel {
${t(`  readonly l1: BoundedLru<${E}>;
  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, options${t(`: ${E}MultiLevelOptions`)} = {}) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = options.ttlSeconds ?? TTL_SECONDS;
    this.l1 = new BoundedLru(options.l1MaxEntries ?? 1000, options.l1TtlMs ?? 5000);
  }

  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const local = this.l1.get(id);
    if (local !== undefined) return local;
    const shared = await this.store.get(KEY_PREFIX + id);
    if (shared !== null) {
      const value = decode(shared);
      this.l1.set(id, value);
      return value;
    }
    const loaded = await this.${L}(id);
    if (loaded !== null) {
      await this.store.set(KEY_PREFIX + id, encode(loaded), withJitter(this.ttlSeconds));
      this.l1.set(id, loaded);
    }
    return loaded;
  }

  /** Clears both levels in this process; other processes drop their L1 copy within l1TtlMs. */
  async invalidate(id${t(': string')})${t(': Promise<void>')} {
    this.l1.delete(id);
    await this.store.del(KEY_PREFIX + id);
  }
}
`;
  },
};

export const cacheWarming: TsPattern = {
  caps: [],
  exports: (c) => [`${c.E}CacheWarmer`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `${t(`export interface WarmReport {
  warmed: number;
  missing: string[];
  failed: Array<{ id: string; error: unknown }>;
}

`)}${exp}class ${E}CacheWarmer {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
  private readonly concurrency: number;
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, options${t(': { ttlSeconds?: number; concurrency?: number }')} = {}) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = options.ttlSeconds ?? TTL_SECONDS;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
  }

  /** Loads and caches every id, at most \`concurrency\` at a time; one failure does not stop the rest. */
  async warm(ids${t(': string[]')})${t(': Promise<WarmReport>')} {
    const report${t(': WarmReport')} = { warmed: 0, missing: [], failed: [] };
    let next = 0;
    const worker = async ()${t(': Promise<void>')} => {
      while (next < ids.length) {
        const id = ids[next++];
        try {
          const value = await this.${L}(id);
          if (value === null) {
            report.missing.push(id);
            continue;
          }
          await this.store.set(KEY_PREFIX + id, encode(value), withJitter(this.ttlSeconds));
          report.warmed++;
        } catch (error) {
          report.failed.push({ id, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, ids.length) }, worker));
    return report;
  }
}
`;
  },
};

export const memoize: TsPattern = {
  caps: [],
  noDecode: true,
  nodeImports: { crypto: ['createHash'] },
  exports: (c) => ['memoize', c.storeClass],
  body: (c: TsContext) => {
    const { t, exp } = c;
    return `/**
 * Wraps \`fn\` so that calls with equal (JSON-equal) arguments share one cached result.
 * The result is stored inside an envelope, so null, 0 and "" are cached results, not misses.
 */
${exp}function memoize${t('<A extends unknown[], R>')}(
  store${t(`: ${c.storeClass}`)},
  name${t(': string')},
  fn${t(': (...args: A) => Promise<R>')},
  ttlSeconds = TTL_SECONDS,
)${t(': (...args: A) => Promise<R>')} {
  const inFlight = new Map${t('<string, Promise<R>>')}();
  const compute = async (key${t(': string')}, args${t(': A')})${t(': Promise<R>')} => {
    const cached = await store.get(key);
    if (cached !== null) return (JSON.parse(cached)${t(' as { v: R }')}).v;
    const result = await fn(...args);
    await store.set(key, JSON.stringify({ v: result }), withJitter(ttlSeconds));
    return result;
  };
  return (...args${t(': A')}) => {
    // A hash keeps keys short and valid for memcached whatever the arguments are.
    const key = KEY_PREFIX + name + ':' + createHash('sha1').update(JSON.stringify(args)).digest('hex');
    let pending = inFlight.get(key);
    if (!pending) {
      pending = compute(key, args).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}
`;
  },
};
