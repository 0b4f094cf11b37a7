import { loaderType } from './common';
import type { TsPattern } from './pattern';

/** Write-through and write-behind: the write-side patterns. */

export const writeThrough: TsPattern = {
  caps: [],
  exports: (c) => [`${c.E}WriteThrough`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader; const W = c.opts.writer;
    return `${exp}class ${E}WriteThrough {
${t(`  private readonly store: ${c.storeClass};
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
    if (cached !== null) return decode(cached);
    const loaded = await this.${L}(id);
    if (loaded !== null) await this.store.set(KEY_PREFIX + id, encode(loaded), withJitter(this.ttlSeconds));
    return loaded;
  }

  /**
   * The database commits first: if it throws, the cache is untouched and still agrees with it.
   * Only then the cache is written; if that fails, the entry is deleted so the next read reloads.
   */
  async save(id${t(': string')}, value${t(`: ${E}`)})${t(': Promise<void>')} {
    await this.${W}(id, value);
    try {
      await this.store.set(KEY_PREFIX + id, encode(value), withJitter(this.ttlSeconds));
    } catch (error) {
      await this.store.del(KEY_PREFIX + id).catch(() => {
        // The delete failed too: the TTL bounds how long the old value can be served.
      });
      throw error;
    }
  }
}
`;
  },
};

export const writeBehind: TsPattern = {
  caps: [],
  needsSleep: true,
  exports: (c) => [`${c.E}WriteBehind`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader; const W = c.opts.writer;
    const entry = `[string, ${E}]`;
    return `${t(`export interface ${E}WriteBehindOptions {
  ttlSeconds?: number;
  /** Pending distinct ids before save() waits (back-pressure). */
  maxQueue?: number;
  /** Entries per call of the batch writer. */
  batchSize?: number;
  flushIntervalMs?: number;
  /** Retries of one batch before it goes back to the queue and onError is called. */
  maxRetries?: number;
  baseBackoffMs?: number;
  /** How long save() waits for room in a full queue before it throws. */
  enqueueTimeoutMs?: number;
  /** Told about a batch that still failed after every retry; the batch stays queued. */
  onError?: (error: unknown, ids: string[]) => void;
}

`)}${exp}class ${E}WriteBehind {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ${W}: (batch: Array<${entry}>) => Promise<void>;
  /** Map order is queue order; a second write to a queued id replaces its value (coalescing). */
  private readonly queue = new Map<string, ${E}>();
  /** Entries taken by the running flush, still readable until they are in the database. */
  private readonly inFlight = new Map<string, ${E}>();
  private readonly ttlSeconds: number;
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly maxRetries: number;
  private readonly baseBackoffMs: number;
  private readonly enqueueTimeoutMs: number;
  private readonly onError: (error: unknown, ids: string[]) => void;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private closed = false;
`)}
  constructor(
    store${t(`: ${c.storeClass}`)},
    ${L}${loaderType(c)},
    ${W}${t(`: (batch: Array<${entry}>) => Promise<void>`)},
    options${t(`: ${E}WriteBehindOptions`)} = {},
  ) {
    this.store = store;
    this.${L} = ${L};
    this.${W} = ${W};${c.typed ? '' : `
    this.queue = new Map();
    this.inFlight = new Map();
    this.flushing = null;
    this.closed = false;`}
    this.ttlSeconds = options.ttlSeconds ?? TTL_SECONDS;
    this.maxQueue = options.maxQueue ?? 10000;
    this.batchSize = options.batchSize ?? 100;
    this.maxRetries = options.maxRetries ?? 5;
    this.baseBackoffMs = options.baseBackoffMs ?? 100;
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5000;
    this.onError = options.onError ?? ((error, ids) => console.error('write-behind: batch of ' + ids.length + ' still failing, kept queued:', error));
    // A failed periodic flush was already reported through onError and its entries re-queued.
    this.timer = setInterval(() => { this.flush().catch(() => undefined); }, options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Distinct ids acknowledged but not yet in the database. */
  get pending()${t(': number')} {
    return this.queue.size + this.inFlight.size;
  }

  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    // Queued writes are newer than anything in the cache or the database.
    const queued = this.queue.get(id) ?? this.inFlight.get(id);
    if (queued !== undefined) return queued;
    const cached = await this.store.get(KEY_PREFIX + id);
    if (cached !== null) return decode(cached);
    const loaded = await this.${L}(id);
    if (loaded !== null) await this.store.set(KEY_PREFIX + id, encode(loaded), withJitter(this.ttlSeconds));
    return loaded;
  }

  /** Acknowledged once queued and cached; waits while the queue is full, throws after enqueueTimeoutMs. */
  async save(id${t(': string')}, value${t(`: ${E}`)})${t(': Promise<void>')} {
    if (this.closed) throw new Error('write-behind: closed, write refused');
    if (!this.queue.has(id)) await this.waitForRoom();
    this.queue.set(id, value);
    try {
      await this.store.set(KEY_PREFIX + id, encode(value), withJitter(this.ttlSeconds));
    } catch (error) {
      // The write stays queued and reads see it; a stale shared copy must not outlive it.
      await this.store.del(KEY_PREFIX + id).catch(() => undefined);
      throw error;
    }
    if (this.queue.size >= this.batchSize) this.flush().catch(() => undefined);
  }

  /** Writes everything queued so far; rejects if a batch still fails after its retries. */
  flush()${t(': Promise<void>')} {
    if (!this.flushing) this.flushing = this.drain().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  /** Stops accepting writes and flushes; call it on shutdown (SIGTERM) so no acknowledged write is lost. */
  async close()${t(': Promise<void>')} {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    // A save that was waiting on the previous flush may have queued one more batch.
    if (this.queue.size > 0) await this.flush();
  }

  ${t('private ')}async waitForRoom()${t(': Promise<void>')} {
    const deadline = Date.now() + this.enqueueTimeoutMs;
    while (this.queue.size >= this.maxQueue) {
      this.flush().catch(() => undefined);
      if (Date.now() >= deadline) throw new Error('write-behind: queue full (' + this.maxQueue + ' pending) for ' + this.enqueueTimeoutMs + ' ms');
      await sleep(10);
    }
  }

  ${t('private ')}async drain()${t(': Promise<void>')} {
    while (this.queue.size > 0) {
      const batch${t(`: Array<${entry}>`)} = [];
      for (const entry of this.queue) {
        batch.push(entry);
        if (batch.length >= this.batchSize) break;
      }
      for (const [id, value] of batch) {
        this.queue.delete(id);
        this.inFlight.set(id, value);
      }
      try {
        await this.writeWithRetry(batch);
      } catch (error) {
        // Put back what no newer write has replaced; nothing acknowledged is dropped.
        for (const [id, value] of batch) if (!this.queue.has(id)) this.queue.set(id, value);
        this.onError(error, batch.map(([id]) => id));
        throw error;
      } finally {
        for (const [id] of batch) this.inFlight.delete(id);
      }
      // Re-assert the persisted values in the cache unless a newer write is already queued.
      for (const [id, value] of batch) {
        if (!this.queue.has(id)) await this.store.set(KEY_PREFIX + id, encode(value), withJitter(this.ttlSeconds)).catch(() => undefined);
      }
    }
  }

  ${t('private ')}async writeWithRetry(batch${t(`: Array<${entry}>`)})${t(': Promise<void>')} {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.${W}(batch);
        return;
      } catch (error) {
        if (attempt >= this.maxRetries) throw error;
        // Exponential backoff with jitter, so many writers do not retry in lockstep.
        await sleep(this.baseBackoffMs * 2 ** attempt * (0.5 + Math.random()));
      }
    }
  }
}
`;
  },
};
