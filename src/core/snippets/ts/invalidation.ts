import { loaderType } from './common';
import type { TsPattern } from './pattern';

/** Tag-based and event-based invalidation. */

export const tagInvalidation: TsPattern = {
  caps: ['add'],
  nodeImports: { crypto: ['randomUUID'] },
  exports: (c) => [`${c.E}TagCache`, c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `${exp}const TAG_PREFIX = KEY_PREFIX + 'tag:';
/** Tag versions outlive the entries stamped with them; an evicted version only causes misses. */
const TAG_TTL_SECONDS = TTL_SECONDS * 10;

${exp}class ${E}TagCache {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, ttlSeconds = TTL_SECONDS) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = ttlSeconds;
  }

  /** Reads an entry that depends on \`tags\`; it is a miss once any of them was invalidated. */
  async get(id${t(': string')}, tags${t(': string[]')})${t(`: Promise<${E} | null>`)} {
    const versions = await this.versions(tags);
    const cached = await this.store.get(KEY_PREFIX + id);
    if (cached !== null) {
      const entry = JSON.parse(cached)${t(' as { v: string; tags: Record<string, string> }')};
      const fresh = tags.every((tag, i) => entry.tags[tag] === versions[i]);
      if (fresh) return decode(entry.v);
    }
    const loaded = await this.${L}(id);
    if (loaded !== null) {
      const stamped = Object.fromEntries(tags.map((tag, i) => [tag, versions[i]]));
      await this.store.set(KEY_PREFIX + id, JSON.stringify({ v: encode(loaded), tags: stamped }), withJitter(this.ttlSeconds));
    }
    return loaded;
  }

  /** Every entry stamped with the old version of \`tag\` now reads as a miss. */
  async invalidateTag(tag${t(': string')})${t(': Promise<void>')} {
    await this.store.set(TAG_PREFIX + tag, randomUUID(), TAG_TTL_SECONDS);
  }

  ${t('private ')}async versions(tags${t(': string[]')})${t(': Promise<string[]>')} {
    return Promise.all(tags.map(async (tag) => {
      const current = await this.store.get(TAG_PREFIX + tag);
      if (current !== null) return current;
      // First use, or the version was evicted: a fresh random version cannot match any old entry.
      await this.store.add(TAG_PREFIX + tag, randomUUID(), TAG_TTL_SECONDS * 1000);
      return (await this.store.get(TAG_PREFIX + tag)) ?? '';
    }));
  }
}
`;
  },
};

export const eventInvalidation: TsPattern = {
  caps: ['pubsub'],
  exports: (c) => [`${c.E}EventInvalidation`, 'CHANNEL', c.storeClass],
  body: (c) => {
    const { t, E, exp } = c;
    const L = c.opts.loader;
    return `${exp}const CHANNEL = KEY_PREFIX + 'invalidate';

${exp}class ${E}EventInvalidation {
${t(`  private readonly store: ${c.storeClass};
  private readonly ${L}: (id: string) => Promise<${E} | null>;
  private readonly ttlSeconds: number;
  private unsubscribe: (() => Promise<void>) | null = null;
`)}
  constructor(store${t(`: ${c.storeClass}`)}, ${L}${loaderType(c)}, ttlSeconds = TTL_SECONDS) {
    this.store = store;
    this.${L} = ${L};
    this.ttlSeconds = ttlSeconds;${c.typed ? '' : '\n    this.unsubscribe = null;'}
  }

  async get(id${t(': string')})${t(`: Promise<${E} | null>`)} {
    const cached = await this.store.get(KEY_PREFIX + id);
    if (cached !== null) return decode(cached);
    const loaded = await this.${L}(id);
    if (loaded !== null) await this.store.set(KEY_PREFIX + id, encode(loaded), withJitter(this.ttlSeconds));
    return loaded;
  }

  /** Producer side: call after the source of truth changed \`id\` (from any service). */
  async publishChange(id${t(': string')})${t(': Promise<void>')} {
    await this.store.publish(CHANNEL, id);
  }

  /** Consumer side: deletes the cached entry of every id announced on the channel. */
  async listen(onInvalidated${t('?: (id: string) => void')})${t(': Promise<void>')} {
    if (this.unsubscribe) return;
    this.unsubscribe = await this.store.subscribe(CHANNEL, (id) => {
      this.store.del(KEY_PREFIX + id).then(
        () => onInvalidated?.(id),
        (error${t(': unknown')}) => console.error('event invalidation: could not delete ' + KEY_PREFIX + id + ', the TTL will expire it:', error),
      );
    });
  }

  async stop()${t(': Promise<void>')} {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    if (unsubscribe) await unsubscribe();
  }
}
`;
  },
};
