import { PATTERN_INFO } from '../catalog';
import { pascal } from '../options';
import type { Combination, LanguageTemplates, Pattern, RenderContext } from '../types';

/**
 * C# with StackExchange.Redis and System.Text.Json, async throughout. The entity type (e.g. User)
 * is the user's own class; loader and writer are delegates handed to the constructor.
 */

interface CsContext extends RenderContext { E: string; L: string; W: string; cls: string }
type CsPattern = (c: CsContext) => { usings: string[]; body: string; needs: Array<'add' | 'release'> };

const loaderField = (c: CsContext) => `    private readonly Func<string, Task<${c.E}>> _${c.L};`;

const getOrLoad = (c: CsContext) => `        string cached = await _store.GetAsync(KeyPrefix + id);
        // Only a missing key (null) is a miss: an empty string is a cached value.
        if (cached != null) return Decode(cached);
        ${c.E} loaded = await _${c.L}(id);
        if (loaded != null) await _store.SetAsync(KeyPrefix + id, Encode(loaded), WithJitter(_ttl));
        return loaded;`;

const CS_PATTERNS: Partial<Record<Pattern, CsPattern>> = {
  'cache-aside': (c) => ({
    usings: [],
    needs: [],
    body: `    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly Func<string, ${c.E}, Task> _${c.W};
    private readonly TimeSpan _ttl = Ttl;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, Func<string, ${c.E}, Task> ${c.W})
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
        _${c.W} = ${c.W};
    }

    public async Task<${c.E}> GetAsync(string id)
    {
${getOrLoad(c)}
    }

    /// <summary>Source of truth first; then drop the cached copy so the next read loads the new value.</summary>
    public async Task UpdateAsync(string id, ${c.E} value)
    {
        await _${c.W}(id, value);
        await _store.DeleteAsync(KeyPrefix + id);
    }
`,
  }),
  'read-through': (c) => ({
    usings: ['System.Collections.Concurrent'],
    needs: [],
    body: `    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;
    // Loads in progress in this process, so concurrent misses for one id share one load.
    private readonly ConcurrentDictionary<string, Lazy<Task<${c.E}>>> _inFlight = new ConcurrentDictionary<string, Lazy<Task<${c.E}>>>();

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L})
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
    }

    /// <summary>The only read path: the cache loads on a miss, callers never talk to the database.</summary>
    public async Task<${c.E}> GetAsync(string id)
    {
        string cached = await _store.GetAsync(KeyPrefix + id);
        if (cached != null) return Decode(cached);
        var pending = _inFlight.GetOrAdd(id, key => new Lazy<Task<${c.E}>>(() => FillAsync(key)));
        try
        {
            return await pending.Value;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<${c.E}>>>(id, pending));
        }
    }

    /// <summary>Writers call this after changing the source of truth.</summary>
    public Task InvalidateAsync(string id) => _store.DeleteAsync(KeyPrefix + id);

    private async Task<${c.E}> FillAsync(string id)
    {
        ${c.E} loaded = await _${c.L}(id);
        if (loaded != null) await _store.SetAsync(KeyPrefix + id, Encode(loaded), WithJitter(_ttl));
        return loaded;
    }
`,
  }),
  'write-through': (c) => ({
    usings: [],
    needs: [],
    body: `    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly Func<string, ${c.E}, Task> _${c.W};
    private readonly TimeSpan _ttl = Ttl;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, Func<string, ${c.E}, Task> ${c.W})
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
        _${c.W} = ${c.W};
    }

    public async Task<${c.E}> GetAsync(string id)
    {
${getOrLoad(c)}
    }

    /// <summary>
    /// The database commits first: if it throws, the cache is untouched and still agrees with it.
    /// Only then the cache is written; if that fails, the entry is deleted so the next read reloads.
    /// </summary>
    public async Task SaveAsync(string id, ${c.E} value)
    {
        await _${c.W}(id, value);
        try
        {
            await _store.SetAsync(KeyPrefix + id, Encode(value), WithJitter(_ttl));
        }
        catch (RedisException)
        {
            try
            {
                await _store.DeleteAsync(KeyPrefix + id);
            }
            catch (RedisException)
            {
                // The delete failed too: the TTL bounds how long the old value can be served.
            }
            throw;
        }
    }
`,
  }),
  'write-behind': (c) => ({
    usings: [],
    needs: [],
    body: `    /// <summary>
    /// Knobs: MaxQueue (distinct pending ids before SaveAsync waits), BatchSize, FlushInterval,
    /// MaxRetries and BaseBackoff (exponential, with jitter), EnqueueTimeout.
    /// </summary>
    public sealed class Options
    {
        public int MaxQueue { get; set; } = 10000;
        public int BatchSize { get; set; } = 100;
        public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
        public int MaxRetries { get; set; } = 5;
        public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(100);
        public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(5);
    }

    private readonly ${c.E}Store _store;
${loaderField(c)}
    // Writes one batch to the source of truth, all or nothing.
    private readonly Func<IReadOnlyList<KeyValuePair<string, ${c.E}>>, Task> _${c.W};
    private readonly Action<Exception, IReadOnlyList<string>> _onError;
    private readonly Options _options;
    private readonly TimeSpan _ttl = Ttl;
    private readonly object _gate = new object();
    // Ids in queue order; a second write to a queued id replaces its value (coalescing).
    private readonly LinkedList<string> _order = new LinkedList<string>();
    private readonly Dictionary<string, ${c.E}> _queue = new Dictionary<string, ${c.E}>();
    // Entries taken by the running flush, readable until they are in the database.
    private readonly Dictionary<string, ${c.E}> _inFlight = new Dictionary<string, ${c.E}>();
    private readonly SemaphoreSlim _flushLock = new SemaphoreSlim(1, 1);
    private readonly Timer _timer;
    private bool _closed;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, Func<IReadOnlyList<KeyValuePair<string, ${c.E}>>, Task> ${c.W},
        Options options, Action<Exception, IReadOnlyList<string>> onError)
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
        _${c.W} = ${c.W};
        _options = options;
        _onError = onError;
        // A failed periodic flush was reported through onError and re-queued; the next tick retries.
        _timer = new Timer(_ => FlushAsync().ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted), null, options.FlushInterval, options.FlushInterval);
    }

    /// <summary>Distinct ids acknowledged but not yet in the database.</summary>
    public int Pending { get { lock (_gate) return _queue.Count + _inFlight.Count; } }

    public async Task<${c.E}> GetAsync(string id)
    {
        lock (_gate)
        {
            // Queued writes are newer than anything in the cache or the database.
            if (_queue.TryGetValue(id, out var queued) || _inFlight.TryGetValue(id, out queued)) return queued;
        }
${getOrLoad(c)}
    }

    /// <summary>Acknowledged once queued and cached; waits while the queue is full, throws after EnqueueTimeout.</summary>
    public async Task SaveAsync(string id, ${c.E} value)
    {
        DateTime deadline = DateTime.UtcNow + _options.EnqueueTimeout;
        while (true)
        {
            lock (_gate)
            {
                if (_closed) throw new InvalidOperationException("write-behind: closed, write refused");
                bool queued = _queue.ContainsKey(id);
                if (queued || _queue.Count < _options.MaxQueue)
                {
                    if (!queued) _order.AddLast(id);
                    _queue[id] = value;
                    break;
                }
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"write-behind: queue full ({_options.MaxQueue} pending) for {_options.EnqueueTimeout}");
            await Task.Delay(10);
        }
        try
        {
            await _store.SetAsync(KeyPrefix + id, Encode(value), WithJitter(_ttl));
        }
        catch (RedisException)
        {
            // The write stays queued and reads see it; a stale shared copy must not outlive it.
            try { await _store.DeleteAsync(KeyPrefix + id); } catch (RedisException) { /* the TTL bounds it */ }
            throw;
        }
    }

    /// <summary>Writes everything queued so far; throws if a batch still fails after its retries.</summary>
    public async Task FlushAsync()
    {
        await _flushLock.WaitAsync();
        try
        {
            while (true)
            {
                var batch = new List<KeyValuePair<string, ${c.E}>>();
                lock (_gate)
                {
                    while (_order.First != null && batch.Count < _options.BatchSize)
                    {
                        string id = _order.First.Value;
                        _order.RemoveFirst();
                        batch.Add(new KeyValuePair<string, ${c.E}>(id, _queue[id]));
                        _inFlight[id] = _queue[id];
                        _queue.Remove(id);
                    }
                }
                if (batch.Count == 0) return;
                try
                {
                    await WriteWithRetryAsync(batch);
                }
                catch (Exception e)
                {
                    lock (_gate)
                    {
                        // Put back what no newer write has replaced; nothing acknowledged is dropped.
                        foreach (var entry in batch)
                        {
                            _inFlight.Remove(entry.Key);
                            if (_queue.ContainsKey(entry.Key)) continue;
                            _queue[entry.Key] = entry.Value;
                            _order.AddLast(entry.Key);
                        }
                    }
                    _onError(e, batch.Select(b => b.Key).ToList());
                    throw;
                }
                lock (_gate)
                {
                    foreach (var entry in batch) _inFlight.Remove(entry.Key);
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Stops accepting writes and flushes; call it on shutdown so no acknowledged write is lost.</summary>
    public async Task CloseAsync()
    {
        lock (_gate) _closed = true;
        _timer.Dispose();
        await FlushAsync();
    }

    private async Task WriteWithRetryAsync(IReadOnlyList<KeyValuePair<string, ${c.E}>> batch)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await _${c.W}(batch);
                return;
            }
            catch (Exception) when (attempt < _options.MaxRetries)
            {
                // Exponential backoff with jitter, so many writers do not retry in lockstep.
                double ms = _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble());
                await Task.Delay(TimeSpan.FromMilliseconds(ms));
            }
        }
    }
`,
  }),
  'stampede-lock': (c) => ({
    usings: [],
    needs: ['add', 'release'],
    body: `    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;
    // Must exceed the slowest load: a lock that expires mid-load lets a second loader in.
    private readonly TimeSpan _lockTtl;
    private readonly TimeSpan _waitTimeout;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, TimeSpan lockTtl, TimeSpan waitTimeout)
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
        _lockTtl = lockTtl;
        _waitTimeout = waitTimeout;
    }

    public async Task<${c.E}> GetAsync(string id, CancellationToken cancellationToken = default(CancellationToken))
    {
        string key = KeyPrefix + id;
        string lockKey = KeyPrefix + "lock:" + id;
        DateTime deadline = DateTime.UtcNow + _waitTimeout;
        int pauseMs = 5;
        while (true)
        {
            string cached = await _store.GetAsync(key);
            if (cached != null) return Decode(cached);
            string token = Guid.NewGuid().ToString("N");
            if (await _store.AddAsync(lockKey, token, _lockTtl))
            {
                try
                {
                    // Someone may have filled the cache between our miss and our lock.
                    string again = await _store.GetAsync(key);
                    if (again != null) return Decode(again);
                    ${c.E} loaded = await _${c.L}(id);
                    if (loaded != null) await _store.SetAsync(key, Encode(loaded), WithJitter(_ttl));
                    return loaded;
                }
                finally
                {
                    // Compare-and-delete: if our lock expired and another caller holds it now, it stays.
                    await _store.ReleaseAsync(lockKey, token);
                }
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"stampede lock: gave up waiting for {key} after {_waitTimeout}");
            await Task.Delay(pauseMs, cancellationToken);
            pauseMs = Math.Min(pauseMs * 2, 100);
        }
    }
`,
  }),
  'stampede-xfetch': (c) => ({
    usings: [],
    needs: [],
    body: `    private sealed class Envelope
    {
        public string V { get; set; } = "";
        public double Delta { get; set; }
        public double Expiry { get; set; }
    }

    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;
    // 1 is optimal in the XFetch paper; larger refreshes earlier, 0 never refreshes early.
    private readonly double _beta;
    private readonly Func<double> _random;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, double beta = 1.0, Func<double> random = null)
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
        _beta = beta;
        _random = random ?? Random.Shared.NextDouble;
    }

    public async Task<${c.E}> GetAsync(string id)
    {
        string cached = await _store.GetAsync(KeyPrefix + id);
        if (cached != null)
        {
            Envelope entry = JsonSerializer.Deserialize<Envelope>(cached);
            double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // XFetch: -ln(random) is exponentially distributed, so early refreshes get likelier near expiry.
            if (entry != null && now - entry.Delta * _beta * Math.Log(_random()) < entry.Expiry) return Decode(entry.V);
        }
        long started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        ${c.E} loaded = await _${c.L}(id);
        if (loaded == null) return default(${c.E});
        TimeSpan ttl = WithJitter(_ttl);
        long finished = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var stamped = new Envelope { V = Encode(loaded), Delta = finished - started, Expiry = finished + ttl.TotalMilliseconds };
        await _store.SetAsync(KeyPrefix + id, JsonSerializer.Serialize(stamped), ttl);
        return loaded;
    }
`,
  }),
  'multi-level': (c) => ({
    usings: [],
    needs: [],
    body: `    /// <summary>A bounded LRU with a per-entry TTL: a dictionary over a linked list, O(1) per operation.</summary>
    public sealed class BoundedLru<TValue>
    {
        private readonly int _max;
        private readonly TimeSpan _ttl;
        private sealed class Entry
        {
            public string Key;
            public TValue Value;
            public DateTime ExpiresAt;
        }

        private readonly Dictionary<string, LinkedListNode<Entry>> _map = new Dictionary<string, LinkedListNode<Entry>>();
        private readonly LinkedList<Entry> _order = new LinkedList<Entry>();
        private readonly object _gate = new object();

        public BoundedLru(int maxEntries, TimeSpan ttl)
        {
            _max = Math.Max(1, maxEntries);
            _ttl = ttl;
        }

        public int Count { get { lock (_gate) return _map.Count; } }

        public bool TryGet(string key, out TValue value)
        {
            lock (_gate)
            {
                value = default(TValue);
                if (!_map.TryGetValue(key, out var node)) return false;
                _order.Remove(node);
                if (node.Value.ExpiresAt <= DateTime.UtcNow)
                {
                    _map.Remove(key);
                    return false;
                }
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        public void Set(string key, TValue value)
        {
            lock (_gate)
            {
                if (_map.TryGetValue(key, out var old)) _order.Remove(old);
                _map[key] = _order.AddFirst(new Entry { Key = key, Value = value, ExpiresAt = DateTime.UtcNow + _ttl });
                if (_map.Count > _max)
                {
                    var last = _order.Last;
                    _order.RemoveLast();
                    _map.Remove(last.Value.Key);
                }
            }
        }

        public void Remove(string key)
        {
            lock (_gate)
            {
                if (_map.Remove(key, out var node)) _order.Remove(node);
            }
        }
    }

    public BoundedLru<${c.E}> L1 { get; }
    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;

    /// <summary>Keep l1Ttl short: other processes may serve their L1 copy that long.</summary>
    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, int l1MaxEntries, TimeSpan l1Ttl)
    {
        L1 = new BoundedLru<${c.E}>(l1MaxEntries, l1Ttl);
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
    }

    public async Task<${c.E}> GetAsync(string id)
    {
        if (L1.TryGet(id, out var local)) return local;
        string shared = await _store.GetAsync(KeyPrefix + id);
        if (shared != null)
        {
            ${c.E} value = Decode(shared);
            L1.Set(id, value);
            return value;
        }
        ${c.E} loaded = await _${c.L}(id);
        if (loaded != null)
        {
            await _store.SetAsync(KeyPrefix + id, Encode(loaded), WithJitter(_ttl));
            L1.Set(id, loaded);
        }
        return loaded;
    }

    /// <summary>Clears both levels here; other processes drop their L1 copy within the L1 TTL.</summary>
    public Task InvalidateAsync(string id)
    {
        L1.Remove(id);
        return _store.DeleteAsync(KeyPrefix + id);
    }
`,
  }),
  'tag-invalidation': (c) => ({
    usings: [],
    needs: ['add'],
    body: `    public const string TagPrefix = KeyPrefix + "tag:";
    // Tag versions outlive the entries stamped with them; an evicted version only causes misses.
    public static readonly TimeSpan TagTtl = TimeSpan.FromTicks(Ttl.Ticks * 10);

    private sealed class TaggedEntry
    {
        public string V { get; set; } = "";
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
    }

    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L})
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
    }

    /// <summary>Reads an entry that depends on tags; it is a miss once any of them was invalidated.</summary>
    public async Task<${c.E}> GetAsync(string id, IReadOnlyList<string> tags)
    {
        var versions = new Dictionary<string, string>();
        foreach (string tag in tags) versions[tag] = await VersionAsync(tag);
        string cached = await _store.GetAsync(KeyPrefix + id);
        if (cached != null)
        {
            TaggedEntry entry = JsonSerializer.Deserialize<TaggedEntry>(cached);
            bool fresh = entry != null && versions.All(v => entry.Tags.TryGetValue(v.Key, out var stored) && stored == v.Value);
            if (fresh) return Decode(entry.V);
        }
        ${c.E} loaded = await _${c.L}(id);
        if (loaded != null)
        {
            string stamped = JsonSerializer.Serialize(new TaggedEntry { V = Encode(loaded), Tags = versions });
            await _store.SetAsync(KeyPrefix + id, stamped, WithJitter(_ttl));
        }
        return loaded;
    }

    /// <summary>Every entry stamped with the old version of tag now reads as a miss.</summary>
    public Task InvalidateTagAsync(string tag) => _store.SetAsync(TagPrefix + tag, Guid.NewGuid().ToString("N"), TagTtl);

    private async Task<string> VersionAsync(string tag)
    {
        string current = await _store.GetAsync(TagPrefix + tag);
        if (current != null) return current;
        // First use, or the version was evicted: a fresh random version cannot match any old entry.
        await _store.AddAsync(TagPrefix + tag, Guid.NewGuid().ToString("N"), TagTtl);
        return await _store.GetAsync(TagPrefix + tag) ?? "";
    }
`,
  }),
  'event-invalidation': (c) => ({
    usings: [],
    needs: [],
    body: `    public const string Channel = KeyPrefix + "invalidate";

    private readonly IDatabase _db;
    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L})
    {
        _db = db;
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
    }

    public async Task<${c.E}> GetAsync(string id)
    {
${getOrLoad(c)}
    }

    /// <summary>Producer side: call after the source of truth changed id (from any service).</summary>
    public Task PublishChangeAsync(string id) => _db.Multiplexer.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), id);

    /// <summary>
    /// Consumer side: deletes the cached entry of every id announced on the channel. Pub/sub is
    /// at-most-once: events missed while disconnected are covered by the TTL.
    /// </summary>
    public Task ListenAsync(Action<string> onInvalidated = null) =>
        _db.Multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), async (channel, message) =>
        {
            string id = message.ToString();
            await _store.DeleteAsync(KeyPrefix + id);
            onInvalidated?.Invoke(id);
        });

    public Task StopAsync() => _db.Multiplexer.GetSubscriber().UnsubscribeAsync(RedisChannel.Literal(Channel));
`,
  }),
  'cache-warming': (c) => ({
    usings: ['System.Collections.Concurrent'],
    needs: [],
    body: `    /// <summary>What a warm-up did; one failure does not stop the rest.</summary>
    public sealed class WarmReport
    {
        public int Warmed;
        public ConcurrentBag<string> Missing { get; } = new ConcurrentBag<string>();
        public ConcurrentDictionary<string, Exception> Failed { get; } = new ConcurrentDictionary<string, Exception>();
    }

    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;
    private readonly int _concurrency;

    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, int concurrency = 8)
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
        _concurrency = Math.Max(1, concurrency);
    }

    /// <summary>Loads and caches every id, at most concurrency at a time.</summary>
    public async Task<WarmReport> WarmAsync(IEnumerable<string> ids)
    {
        var report = new WarmReport();
        using (var gate = new SemaphoreSlim(_concurrency))
        {
            var tasks = new List<Task>();
            foreach (string id in ids)
            {
                await gate.WaitAsync();
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        ${c.E} value = await _${c.L}(id);
                        if (value == null)
                        {
                            report.Missing.Add(id);
                            return;
                        }
                        await _store.SetAsync(KeyPrefix + id, Encode(value), WithJitter(_ttl));
                        Interlocked.Increment(ref report.Warmed);
                    }
                    catch (Exception e)
                    {
                        report.Failed[id] = e;
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
            await Task.WhenAll(tasks);
        }
        return report;
    }
`,
  }),
  'circuit-breaker': (c) => ({
    usings: [],
    needs: [],
    body: `    public enum BreakerState { Closed, Open, HalfOpen }

    private readonly ${c.E}Store _store;
${loaderField(c)}
    private readonly TimeSpan _ttl = Ttl;
    private readonly int _failureThreshold;
    private readonly TimeSpan _openFor;
    private readonly Action<Exception> _onCacheError;
    private readonly object _gate = new object();
    private BreakerState _state = BreakerState.Closed;
    private int _failures;
    private DateTime _openedAt;
    private bool _probing;

    /// <summary>Closed: use the cache. Open: never call it until openFor passed; then one probe (half-open).</summary>
    public ${c.cls}(IDatabase db, Func<string, Task<${c.E}>> ${c.L}, int failureThreshold, TimeSpan openFor, Action<Exception> onCacheError)
    {
        _store = new ${c.E}Store(db);
        _${c.L} = ${c.L};
        _failureThreshold = failureThreshold;
        _openFor = openFor;
        _onCacheError = onCacheError;
    }

    public BreakerState State { get { lock (_gate) return _state; } }

    public async Task<${c.E}> GetAsync(string id)
    {
        if (AllowCall())
        {
            try
            {
                string cached = await _store.GetAsync(KeyPrefix + id);
                Succeeded();
                if (cached != null) return Decode(cached);
            }
            catch (RedisException e)
            {
                Failed(e);
            }
        }
        ${c.E} loaded = await _${c.L}(id);
        if (loaded != null && AllowCall())
        {
            try
            {
                await _store.SetAsync(KeyPrefix + id, Encode(loaded), WithJitter(_ttl));
                Succeeded();
            }
            catch (RedisException e)
            {
                Failed(e);
            }
        }
        return loaded;
    }

    private bool AllowCall()
    {
        lock (_gate)
        {
            if (_state == BreakerState.Closed) return true;
            if (_state == BreakerState.Open)
            {
                if (DateTime.UtcNow - _openedAt < _openFor) return false;
                _state = BreakerState.HalfOpen;
            }
            if (_probing) return false;
            _probing = true;
            return true;
        }
    }

    private void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _probing = false;
            _state = BreakerState.Closed;
        }
    }

    private void Failed(Exception e)
    {
        _onCacheError(e);
        lock (_gate)
        {
            _probing = false;
            _failures++;
            if (_state == BreakerState.HalfOpen || _failures >= _failureThreshold)
            {
                _state = BreakerState.Open;
                _openedAt = DateTime.UtcNow;
            }
        }
    }
`,
  }),
  memoize: (c) => ({
    usings: ['System.Security.Cryptography', 'System.Text'],
    needs: [],
    body: `    private sealed class Envelope<TResult>
    {
        public TResult V { get; set; }
    }

    private readonly ${c.E}Store _store;
    private readonly TimeSpan _ttl = Ttl;

    public ${c.cls}(IDatabase db)
    {
        _store = new ${c.E}Store(db);
    }

    /// <summary>
    /// Wraps fn so that calls with equal (JSON-equal) arguments share one cached result.
    /// The result is stored in an envelope, so null is a cached result, not a miss.
    /// </summary>
    public Func<TArg, Task<TResult>> Memoize<TArg, TResult>(string name, Func<TArg, Task<TResult>> fn)
    {
        return async arg =>
        {
            // A hash keeps keys short whatever the arguments are.
            string digest = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(arg))));
            string key = KeyPrefix + name + ":" + digest;
            string cached = await _store.GetAsync(key);
            if (cached != null) return JsonSerializer.Deserialize<Envelope<TResult>>(cached).V;
            TResult result = await fn(arg);
            await _store.SetAsync(key, JsonSerializer.Serialize(new Envelope<TResult> { V = result }), WithJitter(_ttl));
            return result;
        };
    }
`,
  }),
};

function store(c: CsContext, needs: Array<'add' | 'release'>): string {
  const m = [`    /// <summary>null on a miss; an empty string is a value.</summary>
    public async Task<string> GetAsync(string key)
    {
        RedisValue value = await _db.StringGetAsync(key);
        return value.IsNull ? null : value.ToString();
    }

    public Task SetAsync(string key, string value, TimeSpan ttl) => _db.StringSetAsync(key, value, ttl);

    public Task DeleteAsync(string key) => _db.KeyDeleteAsync(key);`];
  if (needs.includes('add')) m.push(`    /// <summary>SET key value PX ttl NX: one atomic command; true when this caller created the key.</summary>
    public Task<bool> AddAsync(string key, string value, TimeSpan ttl) => _db.StringSetAsync(key, value, ttl, When.NotExists);`);
  if (needs.includes('release')) m.push(`    /// <summary>Deletes the key only if it still holds token; false when someone else holds it now.</summary>
    public async Task<bool> ReleaseAsync(string key, string token)
    {
        RedisResult result = await _db.ScriptEvaluateAsync(ReleaseLock, new RedisKey[] { key }, new RedisValue[] { token });
        return (long)result == 1;
    }`);
  const lua = needs.includes('release')
    ? `    // Deletes the lock only while it still holds the caller's token: a compare-and-delete in one step.
    private const string ReleaseLock = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

`
    : '';
  return `/// <summary>The cache operations this file needs, over StackExchange.Redis.</summary>
public sealed class ${c.E}Store
{
${lua}    private readonly IDatabase _db;

    public ${c.E}Store(IDatabase db)
    {
        _db = db;
    }

${m.join('\n\n')}
}
`;
}

function render(ctx: RenderContext): string {
  const E = ctx.opts.entity;
  const c: CsContext = { ...ctx, E, L: ctx.opts.loader[0].toLowerCase() + ctx.opts.loader.slice(1), W: ctx.opts.writer[0].toLowerCase() + ctx.opts.writer.slice(1), cls: `${E}${pascal(ctx.pattern)}` };
  const p = CS_PATTERNS[ctx.pattern];
  if (!p) throw new Error(`no C# template for ${ctx.pattern}`);
  const { usings, body, needs } = p(c);
  const json = ctx.opts.serializer === 'json';
  const all = [...new Set(['System', 'System.Collections.Generic', 'System.Linq', 'System.Text.Json', 'System.Threading', 'System.Threading.Tasks', 'StackExchange.Redis', ...usings])].sort();
  return `${all.map((u) => `using ${u};`).join('\n')}

${store(c, needs)}
/// <summary>${PATTERN_INFO[ctx.pattern].title} for ${E} (your own class).</summary>
public sealed class ${c.cls}
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(${ctx.opts.ttl});
    public const string KeyPrefix = "${ctx.opts.prefix}";

${body}
    private static string Encode(${E} value) => ${json ? 'JsonSerializer.Serialize(value)' : 'value.ToString()'};

    private static ${E} Decode(string text) => ${json ? `JsonSerializer.Deserialize<${E}>(text) ?? throw new InvalidOperationException("cached ${E} == null")` : `(${E})(object)text`};

    /// <summary>Up to 10% random extra TTL, so entries written together do not all expire together.</summary>
    private static TimeSpan WithJitter(TimeSpan ttl) => ttl + TimeSpan.FromSeconds(Random.Shared.Next(Math.Max(1, (int)(ttl.TotalSeconds / 10))));
}
`;
}

export const csharpTemplates: LanguageTemplates = {
  lang: 'csharp',
  extension: 'cs',
  combinations(): Combination[] {
    return (Object.keys(PATTERN_INFO) as Pattern[]).filter((p) => CS_PATTERNS[p]).map((pattern) => ({ pattern, lang: 'csharp', client: 'stackexchange-redis', backend: 'redis' }));
  },
  render,
};
