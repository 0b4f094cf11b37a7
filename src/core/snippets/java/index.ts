import { PATTERN_INFO } from '../catalog';
import { lowerFirst, pascal } from '../options';
import type { Combination, LanguageTemplates, Pattern, RenderContext } from '../types';
import { SPRING_PATTERNS } from './spring';

/**
 * Java with Jedis (JedisPooled) and Jackson. One public class per file, named after the file;
 * the cache adapter is a nested class so the file stands alone. The entity class (e.g. User)
 * is the user's own, expected in the same package.
 */

interface JavaContext extends RenderContext { E: string; L: string; W: string; cls: string }

type JavaPattern = (j: JavaContext) => { imports: string[]; body: string; needs: Array<'add' | 'release'> };

const loadField = (j: JavaContext) => `    private final Function<String, ${j.E}> ${j.L};`;

const getOrLoad = (j: JavaContext) => `        String cached = store.get(KEY_PREFIX + id);
        // Only a missing key (null) is a miss: an empty string is a cached value.
        if (cached != null) {
            return decode(cached);
        }
        ${j.E} loaded = ${j.L}.apply(id);
        if (loaded != null) {
            store.set(KEY_PREFIX + id, encode(loaded), withJitter(ttlSeconds));
        }
        return loaded;`;

const JEDIS_PATTERNS: Partial<Record<Pattern, JavaPattern>> = {
  'cache-aside': (j) => ({
    imports: ['java.util.function.BiConsumer'],
    needs: [],
    body: `    private final Store store;
${loadField(j)}
    private final BiConsumer<String, ${j.E}> ${j.W};
    private final long ttlSeconds;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, BiConsumer<String, ${j.E}> ${j.W}) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.${j.W} = ${j.W};
        this.ttlSeconds = TTL_SECONDS;
    }

    public ${j.E} get(String id) {
${getOrLoad(j)}
    }

    /** Source of truth first; then drop the cached copy so the next read loads the new value. */
    public void update(String id, ${j.E} value) {
        ${j.W}.accept(id, value);
        store.del(KEY_PREFIX + id);
    }
`,
  }),
  'read-through': (j) => ({
    imports: ['java.util.concurrent.CompletableFuture', 'java.util.concurrent.ConcurrentHashMap'],
    needs: [],
    body: `    private final Store store;
${loadField(j)}
    private final long ttlSeconds;
    /** Loads in progress in this process, so concurrent misses for one id share one load. */
    private final ConcurrentHashMap<String, CompletableFuture<${j.E}>> inFlight = new ConcurrentHashMap<>();

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
    }

    /** The only read path: the cache loads on a miss, callers never talk to the database. */
    public ${j.E} get(String id) {
        String cached = store.get(KEY_PREFIX + id);
        if (cached != null) {
            return decode(cached);
        }
        CompletableFuture<${j.E}> mine = new CompletableFuture<>();
        CompletableFuture<${j.E}> pending = inFlight.putIfAbsent(id, mine);
        if (pending != null) {
            return pending.join();
        }
        try {
            ${j.E} loaded = ${j.L}.apply(id);
            if (loaded != null) {
                store.set(KEY_PREFIX + id, encode(loaded), withJitter(ttlSeconds));
            }
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(id, mine);
        }
    }

    /** Writers call this after changing the source of truth. */
    public void invalidate(String id) {
        store.del(KEY_PREFIX + id);
    }
`,
  }),
  'write-through': (j) => ({
    imports: ['java.util.function.BiConsumer'],
    needs: [],
    body: `    private final Store store;
${loadField(j)}
    private final BiConsumer<String, ${j.E}> ${j.W};
    private final long ttlSeconds;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, BiConsumer<String, ${j.E}> ${j.W}) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.${j.W} = ${j.W};
        this.ttlSeconds = TTL_SECONDS;
    }

    public ${j.E} get(String id) {
${getOrLoad(j)}
    }

    /**
     * The database commits first: if it throws, the cache is untouched and still agrees with it.
     * Only then the cache is written; if that fails, the entry is deleted so the next read reloads.
     */
    public void save(String id, ${j.E} value) {
        ${j.W}.accept(id, value);
        try {
            store.set(KEY_PREFIX + id, encode(value), withJitter(ttlSeconds));
        } catch (RuntimeException e) {
            try {
                store.del(KEY_PREFIX + id);
            } catch (RuntimeException deleteFailed) {
                e.addSuppressed(deleteFailed); // the TTL bounds how long the old value is served
            }
            throw e;
        }
    }
`,
  }),
  'write-behind': (j) => ({
    imports: ['java.util.ArrayList', 'java.util.HashMap', 'java.util.Iterator', 'java.util.LinkedHashMap', 'java.util.List', 'java.util.Map', 'java.util.concurrent.Executors', 'java.util.concurrent.ScheduledExecutorService', 'java.util.concurrent.TimeUnit', 'java.util.concurrent.TimeoutException', 'java.util.function.BiConsumer', 'java.util.function.Consumer'],
    needs: [],
    body: `    /**
     * Knobs: maxQueue (distinct pending ids before save() waits), batchSize, flushIntervalMs,
     * maxRetries and baseBackoffMs (exponential, with jitter), enqueueTimeoutMs.
     */
    public record Options(int maxQueue, int batchSize, long flushIntervalMs, int maxRetries, long baseBackoffMs, long enqueueTimeoutMs) {
        public static Options defaults() {
            return new Options(10_000, 100, 1_000, 5, 100, 5_000);
        }
    }

    private final Store store;
${loadField(j)}
    /** Writes one batch to the source of truth, all or nothing. */
    private final Consumer<List<Map.Entry<String, ${j.E}>>> ${j.W};
    private final BiConsumer<RuntimeException, List<String>> onError;
    private final Options options;
    private final long ttlSeconds;
    /** Insertion order is queue order; a second write to a queued id replaces its value (coalescing). */
    private final LinkedHashMap<String, ${j.E}> queue = new LinkedHashMap<>();
    /** Entries taken by the running flush, readable until they are in the database. */
    private final Map<String, ${j.E}> inFlight = new HashMap<>();
    private final Object flushLock = new Object();
    private final ScheduledExecutorService flusher;
    private boolean closed;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, Consumer<List<Map.Entry<String, ${j.E}>>> ${j.W},
            Options options, BiConsumer<RuntimeException, List<String>> onError) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.${j.W} = ${j.W};
        this.options = options;
        this.onError = onError;
        this.ttlSeconds = TTL_SECONDS;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "write-behind");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(() -> {
            try {
                flush();
            } catch (RuntimeException e) {
                // Already reported through onError and re-queued; the next run retries.
            }
        }, options.flushIntervalMs(), options.flushIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** Distinct ids acknowledged but not yet in the database. */
    public synchronized int pending() {
        return queue.size() + inFlight.size();
    }

    public ${j.E} get(String id) {
        synchronized (this) {
            // Queued writes are newer than anything in the cache or the database.
            ${j.E} queued = queue.containsKey(id) ? queue.get(id) : inFlight.get(id);
            if (queued != null) {
                return queued;
            }
        }
${getOrLoad(j)}
    }

    /** Acknowledged once queued and cached; waits while the queue is full, fails after enqueueTimeoutMs. */
    public void save(String id, ${j.E} value) throws InterruptedException, TimeoutException {
        long deadline = System.currentTimeMillis() + options.enqueueTimeoutMs();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("write-behind: closed, write refused");
            }
            while (!queue.containsKey(id) && queue.size() >= options.maxQueue()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new TimeoutException("write-behind: queue full (" + options.maxQueue() + " pending) for " + options.enqueueTimeoutMs() + " ms");
                }
                wait(Math.min(left, 50));
            }
            queue.put(id, value);
        }
        try {
            store.set(KEY_PREFIX + id, encode(value), withJitter(ttlSeconds));
        } catch (RuntimeException e) {
            // The write stays queued and reads see it; a stale shared copy must not outlive it.
            try {
                store.del(KEY_PREFIX + id);
            } catch (RuntimeException deleteFailed) {
                e.addSuppressed(deleteFailed);
            }
            throw e;
        }
    }

    /** Writes everything queued so far; throws if a batch still fails after its retries. */
    public void flush() {
        synchronized (flushLock) {
            while (true) {
                List<Map.Entry<String, ${j.E}>> batch = new ArrayList<>();
                synchronized (this) {
                    Iterator<Map.Entry<String, ${j.E}>> it = queue.entrySet().iterator();
                    while (it.hasNext() && batch.size() < options.batchSize()) {
                        Map.Entry<String, ${j.E}> e = it.next();
                        batch.add(Map.entry(e.getKey(), e.getValue()));
                        inFlight.put(e.getKey(), e.getValue());
                        it.remove();
                    }
                    notifyAll();
                }
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    writeWithRetry(batch);
                } catch (RuntimeException e) {
                    synchronized (this) {
                        // Put back what no newer write has replaced; nothing acknowledged is dropped.
                        for (Map.Entry<String, ${j.E}> entry : batch) {
                            inFlight.remove(entry.getKey());
                            queue.putIfAbsent(entry.getKey(), entry.getValue());
                        }
                    }
                    onError.accept(e, batch.stream().map(Map.Entry::getKey).toList());
                    throw e;
                }
                synchronized (this) {
                    for (Map.Entry<String, ${j.E}> entry : batch) {
                        inFlight.remove(entry.getKey());
                    }
                }
            }
        }
    }

    /** Stops accepting writes and flushes; call it on shutdown so no acknowledged write is lost. */
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
        }
        flusher.shutdown();
        flusher.awaitTermination(1, TimeUnit.MINUTES);
        flush();
    }

    private void writeWithRetry(List<Map.Entry<String, ${j.E}>> batch) {
        for (int attempt = 0; ; attempt++) {
            try {
                ${j.W}.accept(batch);
                return;
            } catch (RuntimeException e) {
                if (attempt >= options.maxRetries()) {
                    throw e;
                }
                // Exponential backoff with jitter, so many writers do not retry in lockstep.
                long backoff = (long) (options.baseBackoffMs() * Math.pow(2, attempt) * (0.5 + ThreadLocalRandom.current().nextDouble()));
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
`,
  }),
  'stampede-lock': (j) => ({
    imports: ['java.util.UUID'],
    needs: ['add', 'release'],
    body: `    private final Store store;
${loadField(j)}
    private final long ttlSeconds;
    /** Must exceed the slowest load: a lock that expires mid-load lets a second loader in. */
    private final long lockTtlMs;
    private final long waitTimeoutMs;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, long lockTtlMs, long waitTimeoutMs) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
        this.lockTtlMs = lockTtlMs;
        this.waitTimeoutMs = waitTimeoutMs;
    }

    public ${j.E} get(String id) throws InterruptedException {
        String key = KEY_PREFIX + id;
        String lockKey = KEY_PREFIX + "lock:" + id;
        long deadline = System.currentTimeMillis() + waitTimeoutMs;
        long pause = 5;
        while (true) {
            String cached = store.get(key);
            if (cached != null) {
                return decode(cached);
            }
            String token = UUID.randomUUID().toString();
            if (store.add(lockKey, token, lockTtlMs)) {
                try {
                    // Someone may have filled the cache between our miss and our lock.
                    String again = store.get(key);
                    if (again != null) {
                        return decode(again);
                    }
                    ${j.E} loaded = ${j.L}.apply(id);
                    if (loaded != null) {
                        store.set(key, encode(loaded), withJitter(ttlSeconds));
                    }
                    return loaded;
                } finally {
                    // Compare-and-delete: if our lock expired and another caller holds it now, it stays.
                    store.release(lockKey, token);
                }
            }
            if (System.currentTimeMillis() >= deadline) {
                throw new IllegalStateException("stampede lock: gave up waiting for " + key + " after " + waitTimeoutMs + " ms");
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 100);
        }
    }
`,
  }),
  'stampede-xfetch': (j) => ({
    imports: ['com.fasterxml.jackson.databind.node.ObjectNode', 'java.util.function.DoubleSupplier'],
    needs: [],
    body: `    private final Store store;
${loadField(j)}
    private final long ttlSeconds;
    /** 1 is optimal in the XFetch paper; larger refreshes earlier, 0 never refreshes early. */
    private final double beta;
    private final DoubleSupplier random;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, double beta) {
        this(jedis, ${j.L}, beta, ThreadLocalRandom.current()::nextDouble);
    }

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, double beta, DoubleSupplier random) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
        this.beta = beta;
        this.random = random;
    }

    public ${j.E} get(String id) {
        String cached = store.get(KEY_PREFIX + id);
        if (cached != null) {
            try {
                ObjectNode entry = (ObjectNode) JSON.readTree(cached);
                double delta = entry.get("delta").asDouble();
                double expiry = entry.get("expiry").asDouble();
                // XFetch: -ln(random) is exponentially distributed, so early refreshes get likelier near expiry.
                double now = System.currentTimeMillis();
                if (now - delta * beta * Math.log(random.getAsDouble()) < expiry) {
                    return decode(entry.get("v").asText());
                }
            } catch (JsonProcessingException e) {
                // An entry written by older code: recompute it below.
            }
        }
        long started = System.currentTimeMillis();
        ${j.E} loaded = ${j.L}.apply(id);
        if (loaded == null) {
            return null;
        }
        long ttl = withJitter(ttlSeconds);
        long now = System.currentTimeMillis();
        ObjectNode entry = JSON.createObjectNode();
        entry.put("v", encode(loaded));
        entry.put("delta", now - started);
        entry.put("expiry", now + ttl * 1000);
        store.set(KEY_PREFIX + id, entry.toString(), ttl);
        return loaded;
    }
`,
  }),
  'multi-level': (j) => ({
    imports: ['java.util.LinkedHashMap', 'java.util.Map'],
    needs: [],
    body: `    /** A bounded LRU with a per-entry TTL: LinkedHashMap in access order evicts the eldest in O(1). */
    static final class BoundedLru<V> {
        private record Entry<V>(V value, long expiresAt) {}

        private final long ttlMs;
        private final LinkedHashMap<String, Entry<V>> map;

        BoundedLru(int maxEntries, long ttlMs) {
            this.ttlMs = ttlMs;
            this.map = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                    return size() > maxEntries;
                }
            };
        }

        synchronized V get(String key) {
            Entry<V> e = map.get(key);
            if (e == null) {
                return null;
            }
            if (e.expiresAt() <= System.currentTimeMillis()) {
                map.remove(key);
                return null;
            }
            return e.value();
        }

        synchronized void put(String key, V value) {
            map.put(key, new Entry<>(value, System.currentTimeMillis() + ttlMs));
        }

        synchronized void remove(String key) {
            map.remove(key);
        }

        synchronized int size() {
            return map.size();
        }
    }

    private final BoundedLru<${j.E}> l1;
    private final Store store;
${loadField(j)}
    private final long ttlSeconds;

    /** Keep l1TtlMs short: other processes may serve their L1 copy that long. */
    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, int l1MaxEntries, long l1TtlMs) {
        this.l1 = new BoundedLru<>(l1MaxEntries, l1TtlMs);
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
    }

    public ${j.E} get(String id) {
        ${j.E} local = l1.get(id);
        if (local != null) {
            return local;
        }
        String shared = store.get(KEY_PREFIX + id);
        if (shared != null) {
            ${j.E} value = decode(shared);
            l1.put(id, value);
            return value;
        }
        ${j.E} loaded = ${j.L}.apply(id);
        if (loaded != null) {
            store.set(KEY_PREFIX + id, encode(loaded), withJitter(ttlSeconds));
            l1.put(id, loaded);
        }
        return loaded;
    }

    /** Clears both levels here; other processes drop their L1 copy within l1TtlMs. */
    public void invalidate(String id) {
        l1.remove(id);
        store.del(KEY_PREFIX + id);
    }
`,
  }),
  'tag-invalidation': (j) => ({
    imports: ['java.util.HashMap', 'java.util.List', 'java.util.Map', 'java.util.UUID', 'com.fasterxml.jackson.core.type.TypeReference'],
    needs: ['add'],
    body: `    static final String TAG_PREFIX = KEY_PREFIX + "tag:";
    /** Tag versions outlive the entries stamped with them; an evicted version only causes misses. */
    static final long TAG_TTL_SECONDS = TTL_SECONDS * 10;

    private final Store store;
${loadField(j)}
    private final long ttlSeconds;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
    }

    /** Reads an entry that depends on tags; it is a miss once any of them was invalidated. */
    public ${j.E} get(String id, List<String> tags) {
        Map<String, String> versions = new HashMap<>();
        for (String tag : tags) {
            versions.put(tag, version(tag));
        }
        String cached = store.get(KEY_PREFIX + id);
        if (cached != null) {
            try {
                Map<String, Object> entry = JSON.readValue(cached, new TypeReference<Map<String, Object>>() {});
                if (versions.equals(entry.get("tags"))) {
                    return decode((String) entry.get("v"));
                }
            } catch (JsonProcessingException e) {
                // An entry written by older code: reload it below.
            }
        }
        ${j.E} loaded = ${j.L}.apply(id);
        if (loaded != null) {
            Map<String, Object> entry = new HashMap<>();
            entry.put("v", encode(loaded));
            entry.put("tags", versions);
            try {
                store.set(KEY_PREFIX + id, JSON.writeValueAsString(entry), withJitter(ttlSeconds));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("entry is not serializable as JSON", e);
            }
        }
        return loaded;
    }

    /** Every entry stamped with the old version of tag now reads as a miss. */
    public void invalidateTag(String tag) {
        store.set(TAG_PREFIX + tag, UUID.randomUUID().toString(), TAG_TTL_SECONDS);
    }

    private String version(String tag) {
        String current = store.get(TAG_PREFIX + tag);
        if (current != null) {
            return current;
        }
        // First use, or the version was evicted: a fresh random version cannot match any old entry.
        store.add(TAG_PREFIX + tag, UUID.randomUUID().toString(), TAG_TTL_SECONDS * 1000);
        String created = store.get(TAG_PREFIX + tag);
        return created == null ? "" : created;
    }
`,
  }),
  'event-invalidation': (j) => ({
    imports: ['redis.clients.jedis.JedisPubSub', 'java.util.function.Consumer'],
    needs: [],
    body: `    static final String CHANNEL = KEY_PREFIX + "invalidate";

    private final JedisPooled jedis;
    private final Store store;
${loadField(j)}
    private final long ttlSeconds;
    private volatile JedisPubSub listener;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}) {
        this.jedis = jedis;
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
    }

    public ${j.E} get(String id) {
${getOrLoad(j)}
    }

    /** Producer side: call after the source of truth changed id (from any service). */
    public void publishChange(String id) {
        jedis.publish(CHANNEL, id);
    }

    /**
     * Consumer side: deletes the cached entry of every id announced on the channel, on a daemon
     * thread. Pub/sub is at-most-once: events missed while disconnected are covered by the TTL.
     */
    public synchronized void listen(Consumer<String> onInvalidated) {
        if (listener != null) {
            return;
        }
        JedisPubSub pubSub = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String id) {
                store.del(KEY_PREFIX + id);
                onInvalidated.accept(id);
            }
        };
        listener = pubSub;
        Thread thread = new Thread(() -> jedis.subscribe(pubSub, CHANNEL), "cache-invalidation");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        if (listener != null) {
            listener.unsubscribe();
            listener = null;
        }
    }
`,
  }),
  'cache-warming': (j) => ({
    imports: ['java.util.ArrayList', 'java.util.Collections', 'java.util.List', 'java.util.Map', 'java.util.concurrent.ConcurrentHashMap', 'java.util.concurrent.ExecutorService', 'java.util.concurrent.Executors', 'java.util.concurrent.TimeUnit', 'java.util.concurrent.atomic.AtomicInteger'],
    needs: [],
    body: `    /** What a warm-up did; one failure does not stop the rest. */
    public record WarmReport(int warmed, List<String> missing, Map<String, Exception> failed) {}

    private final Store store;
${loadField(j)}
    private final long ttlSeconds;
    private final int concurrency;

    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, int concurrency) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
        this.concurrency = Math.max(1, concurrency);
    }

    /** Loads and caches every id, at most concurrency at a time. */
    public WarmReport warm(List<String> ids) throws InterruptedException {
        AtomicInteger warmed = new AtomicInteger();
        List<String> missing = Collections.synchronizedList(new ArrayList<>());
        Map<String, Exception> failed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            for (String id : ids) {
                pool.execute(() -> {
                    try {
                        ${j.E} value = ${j.L}.apply(id);
                        if (value == null) {
                            missing.add(id);
                            return;
                        }
                        store.set(KEY_PREFIX + id, encode(value), withJitter(ttlSeconds));
                        warmed.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.put(id, e);
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        pool.awaitTermination(Long.MAX_VALUE, TimeUnit.MILLISECONDS);
        return new WarmReport(warmed.get(), missing, failed);
    }
`,
  }),
  'circuit-breaker': (j) => ({
    imports: ['java.util.function.Consumer'],
    needs: [],
    body: `    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final Store store;
${loadField(j)}
    private final long ttlSeconds;
    private final int failureThreshold;
    private final long openMs;
    private final Consumer<RuntimeException> onCacheError;
    private State state = State.CLOSED;
    private int failures;
    private long openedAt;
    private boolean probing;

    /** Closed: use the cache. Open: never call it until openMs passed; then one probe (half-open). */
    public ${j.cls}(JedisPooled jedis, Function<String, ${j.E}> ${j.L}, int failureThreshold, long openMs, Consumer<RuntimeException> onCacheError) {
        this.store = new Store(jedis);
        this.${j.L} = ${j.L};
        this.ttlSeconds = TTL_SECONDS;
        this.failureThreshold = failureThreshold;
        this.openMs = openMs;
        this.onCacheError = onCacheError;
    }

    public synchronized State state() {
        return state;
    }

    public ${j.E} get(String id) {
        if (allowCall()) {
            try {
                String cached = store.get(KEY_PREFIX + id);
                succeeded();
                if (cached != null) {
                    return decode(cached);
                }
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        ${j.E} loaded = ${j.L}.apply(id);
        if (loaded != null && allowCall()) {
            try {
                store.set(KEY_PREFIX + id, encode(loaded), withJitter(ttlSeconds));
                succeeded();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        return loaded;
    }

    private synchronized boolean allowCall() {
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.OPEN) {
            if (System.currentTimeMillis() - openedAt < openMs) {
                return false;
            }
            state = State.HALF_OPEN;
        }
        if (probing) {
            return false;
        }
        probing = true;
        return true;
    }

    private synchronized void succeeded() {
        failures = 0;
        probing = false;
        state = State.CLOSED;
    }

    private void failed(RuntimeException e) {
        onCacheError.accept(e);
        synchronized (this) {
            probing = false;
            failures++;
            if (state == State.HALF_OPEN || failures >= failureThreshold) {
                state = State.OPEN;
                openedAt = System.currentTimeMillis();
            }
        }
    }
`,
  }),
  memoize: (j) => ({
    imports: ['java.nio.charset.StandardCharsets', 'java.security.MessageDigest', 'java.security.NoSuchAlgorithmException', 'java.util.HexFormat', 'com.fasterxml.jackson.core.type.TypeReference'],
    needs: [],
    body: `    private final Store store;
    private final long ttlSeconds;

    public ${j.cls}(JedisPooled jedis) {
        this.store = new Store(jedis);
        this.ttlSeconds = TTL_SECONDS;
    }

    /**
     * Wraps fn so that calls with equal (JSON-equal) arguments share one cached result.
     * The result is stored in an envelope {"v": ...}, so null is a cached result, not a miss.
     */
    public <A, R> Function<A, R> memoize(String name, Function<A, R> fn, TypeReference<R> resultType) {
        return arg -> {
            String key = KEY_PREFIX + name + ":" + sha1(write(arg));
            String cached = store.get(key);
            if (cached != null) {
                try {
                    return JSON.convertValue(JSON.readTree(cached).get("v"), resultType);
                } catch (JsonProcessingException e) {
                    // An entry written by older code: recompute it below.
                }
            }
            R result = fn.apply(arg);
            store.set(key, write(java.util.Collections.singletonMap("v", result)), withJitter(ttlSeconds));
            return result;
        };
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON", e);
        }
    }

    /** A hash keeps keys short whatever the arguments are. */
    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
`,
  }),
};

function jedisStore(needs: Array<'add' | 'release'>): string {
  const m = [`        /** null on a miss; an empty string is a value. */
        String get(String key) {
            return jedis.get(key);
        }

        void set(String key, String value, long ttlSeconds) {
            jedis.set(key, value, SetParams.setParams().ex(ttlSeconds));
        }

        void del(String key) {
            jedis.del(key);
        }`];
  if (needs.includes('add')) m.push(`        /** SET key value PX ttl NX: one atomic command; true when this caller created the key. */
        boolean add(String key, String value, long ttlMs) {
            return "OK".equals(jedis.set(key, value, SetParams.setParams().nx().px(ttlMs)));
        }`);
  if (needs.includes('release')) m.push(`        /** Deletes the key only if it still holds token; false when someone else holds it now. */
        boolean release(String key, String token) {
            return Long.valueOf(1L).equals(jedis.eval(RELEASE_LOCK, List.of(key), List.of(token)));
        }`);
  return `    /** The cache operations this class needs, over Jedis. */
    static final class Store {
        private final JedisPooled jedis;

        Store(JedisPooled jedis) {
            this.jedis = jedis;
        }

${m.join('\n\n')}
    }
`;
}

function renderJedis(ctx: RenderContext): string {
  const E = ctx.opts.entity;
  const j: JavaContext = { ...ctx, E, L: lowerFirst(ctx.opts.loader), W: lowerFirst(ctx.opts.writer), cls: `${E}${pascal(ctx.pattern)}` };
  const p = JEDIS_PATTERNS[ctx.pattern];
  if (!p) throw new Error(`no Jedis template for ${ctx.pattern}`);
  const { imports, body, needs } = p(j);
  const json = ctx.opts.serializer === 'json';
  const all = new Set([
    'redis.clients.jedis.JedisPooled', 'redis.clients.jedis.params.SetParams', 'java.util.concurrent.ThreadLocalRandom',
    'java.util.function.Function', 'com.fasterxml.jackson.core.JsonProcessingException', 'com.fasterxml.jackson.databind.ObjectMapper',
    ...imports, ...(needs.includes('release') ? ['java.util.List'] : []),
  ]);
  const sorted = [...all].sort();
  const lua = needs.includes('release')
    ? `    /** Deletes the lock only while it still holds the caller's token: a compare-and-delete in one step. */
    static final String RELEASE_LOCK =
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

`
    : '';
  return `${sorted.map((i) => `import ${i};`).join('\n')}

/** ${PATTERN_INFO[ctx.pattern].title} for ${E} (your own class, in this package). */
public final class ${j.cls} {
    static final long TTL_SECONDS = ${ctx.opts.ttl};
    static final String KEY_PREFIX = "${ctx.opts.prefix}";
    private static final ObjectMapper JSON = new ObjectMapper();

${lua}${jedisStore(needs)}
${body}
    private static String encode(${E} value) {
${json ? `        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("${E} is not serializable as JSON", e);
        }` : '        return value.toString();'}
    }

    private static ${E} decode(String text) {
${json ? `        try {
            return JSON.readValue(text, ${E}.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cached ${E} is not valid JSON", e);
        }` : `        return ${E}.valueOf(text);`}
    }

    /** Up to 10% random extra TTL, so entries written together do not all expire together. */
    private static long withJitter(long ttlSeconds) {
        return ttlSeconds + ThreadLocalRandom.current().nextLong(Math.max(1, ttlSeconds / 10));
    }
}
`;
}

export const javaTemplates: LanguageTemplates = {
  lang: 'java',
  extension: 'java',
  combinations(): Combination[] {
    const out: Combination[] = [];
    for (const pattern of Object.keys(PATTERN_INFO) as Pattern[]) {
      if (JEDIS_PATTERNS[pattern]) out.push({ pattern, lang: 'java', client: 'jedis', backend: 'redis' });
      if (SPRING_PATTERNS[pattern]) out.push({ pattern, lang: 'java', client: 'spring-cache', backend: 'redis' });
    }
    return out;
  },
  render(ctx: RenderContext): string {
    if (ctx.client === 'spring-cache') {
      const p = SPRING_PATTERNS[ctx.pattern];
      if (!p) throw new Error(`no Spring Cache template for ${ctx.pattern}`);
      return p(ctx);
    }
    return renderJedis(ctx);
  },
};
