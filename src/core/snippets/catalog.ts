import type { Backend, Client, Lang, Pattern } from './types';

/** What a pattern does and what it costs; rendered into the header comment of every file. */
export interface PatternInfo {
  title: string;
  what: string[];
  tradeoffs: { writeSpeed: string; readSpeed: string; consistency: string; complexity: string };
  knobs: string[];
  /** Backends the pattern makes sense on. */
  backends: Backend[];
}

const bothBackends: Backend[] = ['redis', 'memcached'];

export const PATTERN_INFO: Record<Pattern, PatternInfo> = {
  'cache-aside': {
    title: 'Cache-aside (lazy loading)',
    what: [
      'Reads look in the cache first; on a miss they load from the source of truth and fill the cache.',
      'Writes go to the source of truth first, then delete the cached entry so the next read reloads it.',
      'An empty string or other falsy value in the cache is a hit: only a missing key is a miss.',
    ],
    tradeoffs: { writeSpeed: 'fast (one write plus one delete)', readSpeed: 'fast on a hit; a miss costs three round trips', consistency: 'good: stale at most until the delete lands, bounded by the TTL if it fails', complexity: 'low' },
    knobs: ['TTL (seconds), with up to 10% random jitter so entries written together do not expire together', 'key prefix + id', 'loader and writer functions'],
    backends: bothBackends,
  },
  'read-through': {
    title: 'Read-through cache',
    what: [
      'The application asks only the cache; the cache object owns the loader and fills itself on a miss.',
      'Concurrent misses for the same key inside one process share a single load (single flight).',
    ],
    tradeoffs: { writeSpeed: 'n/a (pair it with write-through or invalidate on write)', readSpeed: 'fast on a hit; one load per key per process on a miss', consistency: 'good: bounded by the TTL unless writers invalidate', complexity: 'medium' },
    knobs: ['TTL with jitter', 'key prefix', 'loader function'],
    backends: bothBackends,
  },
  'write-through': {
    title: 'Write-through cache',
    what: [
      'Every write goes to the source of truth first and, only once it has committed, to the cache.',
      'If the database write fails, the cache is left untouched, so both still agree.',
      'If the cache write fails after the commit, the entry is deleted so no stale value stays behind.',
    ],
    tradeoffs: { writeSpeed: 'slow (database plus cache on every write)', readSpeed: 'fast: recently written entries are already cached', consistency: 'excellent: the cache only ever holds committed data', complexity: 'medium' },
    knobs: ['TTL with jitter', 'key prefix', 'loader and writer functions'],
    backends: bothBackends,
  },
  'write-behind': {
    title: 'Write-behind (write-back) cache',
    what: [
      'A write updates the cache at once and is queued; a background flusher writes batches to the source of truth.',
      'The queue is bounded; writes to the same key coalesce (only the latest value is written).',
      'Failed batches are retried with exponential backoff and put back in the queue, never dropped silently.',
      'When the queue is full, writers wait (back-pressure) and fail after a timeout; close() flushes everything.',
      'LOSS WINDOW: acknowledged writes still in the queue (at most maxQueue keys, normally one flush interval) are lost if the process dies without close().',
    ],
    tradeoffs: { writeSpeed: 'very fast (a cache write and an in-memory enqueue)', readSpeed: 'fast: the cache has the newest value', consistency: 'eventual: the database lags by about one flush interval', complexity: 'high' },
    knobs: ['TTL with jitter', 'maxQueue (back-pressure threshold)', 'batchSize', 'flushIntervalMs', 'maxRetries and baseBackoffMs', 'enqueueTimeoutMs', 'writer function (receives a batch)'],
    backends: bothBackends,
  },
  'tag-invalidation': {
    title: 'Tag-based invalidation',
    what: [
      'Each entry is stored with the current version of each of its tags; invalidating a tag gives it a new random version.',
      'A read whose stored tag versions differ from the current ones is a miss, so one write invalidates every entry of a tag in O(1).',
      'A version key that was evicted is recreated with a new random version, which also reads as a miss: never stale.',
    ],
    tradeoffs: { writeSpeed: 'fast (one write per invalidated tag)', readSpeed: 'one extra round trip per tag on each read', consistency: 'good: invalidation is immediate for every tagged entry', complexity: 'medium' },
    knobs: ['TTL with jitter', 'key prefix (tag versions live under PREFIX + "tag:")', 'loader function'],
    backends: bothBackends,
  },
  'event-invalidation': {
    title: 'Event-based invalidation (Redis pub/sub)',
    what: [
      'Whoever changes the data publishes an event naming the changed id; every listener deletes that cached entry.',
      'Pub/sub is at-most-once: a listener that is disconnected misses events, so the TTL still bounds staleness.',
    ],
    tradeoffs: { writeSpeed: 'fast (one publish)', readSpeed: 'fast (plain cache-aside reads)', consistency: 'good: invalidation within milliseconds; bounded by the TTL if an event is lost', complexity: 'medium' },
    knobs: ['TTL with jitter', 'key prefix', 'channel name (PREFIX + "invalidate")', 'loader function'],
    backends: ['redis'],
  },
  'stampede-lock': {
    title: 'Stampede protection with a lock',
    what: [
      'On a miss, one caller takes a short lock (SET NX PX with a random token, or memcached add) and loads; the others wait for the value.',
      'The lock is released only by its holder: a compare-and-delete (Redis Lua script; memcached CAS) checks the token, so a slow holder never deletes a lock someone else now holds.',
      'Waiters poll with backoff; if the holder dies, the lock expires and a waiter takes over. No caller loads without the lock.',
    ],
    tradeoffs: { writeSpeed: 'n/a', readSpeed: 'a hit is one round trip; waiters on a cold key pay the load time plus polling', consistency: 'good (cache-aside semantics)', complexity: 'medium' },
    knobs: ['TTL with jitter', 'lockTtlMs (longer than the slowest load)', 'waitTimeoutMs', 'key prefix (locks live under PREFIX + "lock:")', 'loader function'],
    backends: bothBackends,
  },
  'stampede-xfetch': {
    title: 'Stampede protection by probabilistic early expiration (XFetch)',
    what: [
      'Each entry records how long it took to compute (delta) and when it expires.',
      'A reader recomputes early when now - delta * beta * ln(random()) >= expiry: the closer to expiry and the slower the load, the likelier.',
      'So one reader usually refreshes the value before it expires, and the herd never sees a miss.',
    ],
    tradeoffs: { writeSpeed: 'n/a', readSpeed: 'fast; an occasional reader pays for an early refresh', consistency: 'good: refreshed before expiry', complexity: 'low' },
    knobs: ['TTL with jitter', 'beta (1.0 is the optimum; above 1 refreshes earlier)', 'key prefix', 'loader function'],
    backends: bothBackends,
  },
  'multi-level': {
    title: 'Multi-level cache (in-process L1 in front of a shared L2)',
    what: [
      'L1 is a bounded in-process LRU with its own short TTL; L2 is the shared cache; then the source of truth.',
      'L1 evicts the least recently used entry in O(1) when full and drops entries past their L1 TTL.',
      'Invalidation clears both levels here; other processes keep their L1 copy for at most the L1 TTL.',
    ],
    tradeoffs: { writeSpeed: 'fast (a delete per level)', readSpeed: 'fastest: an L1 hit costs no network round trip', consistency: 'weaker: other processes may serve an L1 copy up to the L1 TTL old', complexity: 'medium' },
    knobs: ['L2 TTL with jitter', 'l1MaxEntries', 'l1TtlMs (keep it short)', 'key prefix', 'loader function'],
    backends: bothBackends,
  },
  'cache-warming': {
    title: 'Cache warming',
    what: [
      'Loads a known set of hot ids before traffic arrives and writes them to the cache, with bounded concurrency.',
      'TTLs get random jitter so the warmed entries do not all expire at the same moment.',
      'A failure for one id is reported, not fatal: the rest still warm.',
    ],
    tradeoffs: { writeSpeed: 'n/a', readSpeed: 'no cold-start misses for the warmed ids', consistency: 'as good as the loader at warm time; then TTL-bound', complexity: 'low' },
    knobs: ['TTL with jitter', 'concurrency', 'key prefix', 'loader function'],
    backends: bothBackends,
  },
  'circuit-breaker': {
    title: 'Circuit breaker around the cache',
    what: [
      'Counts consecutive cache failures; after failureThreshold it opens and every read goes straight to the source of truth without calling the cache.',
      'After openMs it lets one probe call through (half-open); success closes it, failure opens it again.',
      'The cache being down costs latency, never availability.',
    ],
    tradeoffs: { writeSpeed: 'n/a', readSpeed: 'normal when closed; database speed while open', consistency: 'good (cache-aside semantics)', complexity: 'medium' },
    knobs: ['TTL with jitter', 'failureThreshold', 'openMs', 'key prefix', 'loader function'],
    backends: bothBackends,
  },
  memoize: {
    title: 'Memoize a function in the shared cache',
    what: [
      'Wraps a function so that a call with the same arguments returns the cached result.',
      'Results are stored wrapped, so null, 0 and "" are cached as results, not read back as misses.',
      'Concurrent calls with the same arguments in one process share one computation.',
    ],
    tradeoffs: { writeSpeed: 'n/a', readSpeed: 'a hit is one round trip', consistency: 'TTL-bound: results may be up to TTL old', complexity: 'low' },
    knobs: ['TTL with jitter', 'key prefix + function name + hash of the arguments'],
    backends: bothBackends,
  },
};

export interface ClientInfo {
  client: Client;
  lang: Lang;
  backend: Backend;
  /** What a user types or reads: the package name in that ecosystem. */
  packageName: string;
}

export const CLIENTS: ClientInfo[] = [
  { client: 'ioredis', lang: 'typescript', backend: 'redis', packageName: 'ioredis' },
  { client: 'node-redis', lang: 'typescript', backend: 'redis', packageName: 'redis' },
  { client: 'memjs', lang: 'typescript', backend: 'memcached', packageName: 'memjs' },
  { client: 'ioredis', lang: 'javascript', backend: 'redis', packageName: 'ioredis' },
  { client: 'node-redis', lang: 'javascript', backend: 'redis', packageName: 'redis' },
  { client: 'memjs', lang: 'javascript', backend: 'memcached', packageName: 'memjs' },
  { client: 'redis-py', lang: 'python', backend: 'redis', packageName: 'redis' },
  { client: 'pymemcache', lang: 'python', backend: 'memcached', packageName: 'pymemcache' },
  { client: 'go-redis', lang: 'go', backend: 'redis', packageName: 'github.com/redis/go-redis/v9' },
  { client: 'gomemcache', lang: 'go', backend: 'memcached', packageName: 'github.com/bradfitz/gomemcache' },
  { client: 'jedis', lang: 'java', backend: 'redis', packageName: 'redis.clients:jedis' },
  { client: 'spring-cache', lang: 'java', backend: 'redis', packageName: 'org.springframework.boot:spring-boot-starter-data-redis' },
  { client: 'stackexchange-redis', lang: 'csharp', backend: 'redis', packageName: 'StackExchange.Redis' },
];

export function clientsFor(lang: Lang): ClientInfo[] {
  return CLIENTS.filter((c) => c.lang === lang);
}
