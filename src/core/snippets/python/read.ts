import type { PyPattern } from './common';

/** Cache-aside, read-through, multi-level, cache warming and memoize for Python. */

export const cacheAside: PyPattern = {
  caps: [],
  imports: [],
  body: ({ E, L, W }) => `class ${E}CacheAside:
    def __init__(
        self,
        store: ${E}Store,
        ${L}: Callable[[str], Optional[${E}]],
        ${W}: Callable[[str, ${E}], None],
        ttl_seconds: int = TTL_SECONDS,
    ) -> None:
        self._store = store
        self._${L} = ${L}
        self._${W} = ${W}
        self._ttl = ttl_seconds

    def get(self, id: str) -> Optional[${E}]:
        cached = self._store.get(KEY_PREFIX + id)
        # Only a missing key is a miss: an empty string is a cached value.
        if cached is not None:
            return _decode(cached)
        loaded = self._${L}(id)
        # Not-found results are not cached; cache a tombstone if misses for absent ids are hot.
        if loaded is not None:
            self._store.set(KEY_PREFIX + id, _encode(loaded), _with_jitter(self._ttl))
        return loaded

    def update(self, id: str, value: ${E}) -> None:
        """Source of truth first; then drop the cached copy so the next read loads the new value."""
        self._${W}(id, value)
        self._store.delete(KEY_PREFIX + id)
`,
};

export const readThrough: PyPattern = {
  caps: [],
  imports: ['import threading', 'from concurrent.futures import Future'],
  body: ({ E, L }) => `class ${E}ReadThrough:
    """The only read path: the cache loads on a miss; concurrent misses in this process share one load."""

    def __init__(self, store: ${E}Store, ${L}: Callable[[str], Optional[${E}]], ttl_seconds: int = TTL_SECONDS) -> None:
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._in_flight: Dict[str, "Future[Optional[${E}]]"] = {}

    def get(self, id: str) -> Optional[${E}]:
        cached = self._store.get(KEY_PREFIX + id)
        if cached is not None:
            return _decode(cached)
        with self._lock:
            pending = self._in_flight.get(id)
            leader = pending is None
            if pending is None:
                pending = Future()
                self._in_flight[id] = pending
        if not leader:
            return pending.result()
        try:
            loaded = self._${L}(id)
            if loaded is not None:
                self._store.set(KEY_PREFIX + id, _encode(loaded), _with_jitter(self._ttl))
            pending.set_result(loaded)
            return loaded
        except BaseException as error:
            pending.set_exception(error)
            raise
        finally:
            with self._lock:
                del self._in_flight[id]

    def invalidate(self, id: str) -> None:
        """Writers call this after changing the source of truth."""
        self._store.delete(KEY_PREFIX + id)
`,
};

export const multiLevel: PyPattern = {
  caps: [],
  imports: ['import threading', 'from collections import OrderedDict'],
  body: ({ E, L }) => `class BoundedLru:
    """A thread-safe LRU with a per-entry TTL; OrderedDict makes every operation O(1)."""

    def __init__(self, max_entries: int, ttl_seconds: float) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max = max_entries
        self._ttl = ttl_seconds
        self._entries: "OrderedDict[str, Tuple[Any, float]]" = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Optional[Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[1] <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._entries[key] = (value, time.monotonic() + self._ttl)
            self._entries.move_to_end(key)
            if len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)


class ${E}MultiLevel:
    def __init__(
        self,
        store: ${E}Store,
        ${L}: Callable[[str], Optional[${E}]],
        ttl_seconds: int = TTL_SECONDS,
        l1_max_entries: int = 1000,
        l1_ttl_seconds: float = 5.0,
    ) -> None:
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds
        self.l1 = BoundedLru(l1_max_entries, l1_ttl_seconds)

    def get(self, id: str) -> Optional[${E}]:
        local = self.l1.get(id)
        if local is not None:
            return local
        shared = self._store.get(KEY_PREFIX + id)
        if shared is not None:
            value = _decode(shared)
            self.l1.set(id, value)
            return value
        loaded = self._${L}(id)
        if loaded is not None:
            self._store.set(KEY_PREFIX + id, _encode(loaded), _with_jitter(self._ttl))
            self.l1.set(id, loaded)
        return loaded

    def invalidate(self, id: str) -> None:
        """Clears both levels here; other processes drop their L1 copy within l1_ttl_seconds."""
        self.l1.delete(id)
        self._store.delete(KEY_PREFIX + id)
`,
};

export const cacheWarming: PyPattern = {
  caps: [],
  imports: ['from concurrent.futures import ThreadPoolExecutor'],
  body: ({ E, L }) => `class WarmReport:
    def __init__(self) -> None:
        self.warmed = 0
        self.missing: List[str] = []
        self.failed: List[Tuple[str, BaseException]] = []


class ${E}CacheWarmer:
    def __init__(self, store: ${E}Store, ${L}: Callable[[str], Optional[${E}]], ttl_seconds: int = TTL_SECONDS, concurrency: int = 8) -> None:
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds
        self._concurrency = max(1, concurrency)

    def warm(self, ids: Iterable[str]) -> WarmReport:
        """Loads and caches every id, concurrency at a time; one failure does not stop the rest."""
        report = WarmReport()

        def one(id: str) -> None:
            value = self._${L}(id)
            if value is None:
                report.missing.append(id)
                return
            self._store.set(KEY_PREFIX + id, _encode(value), _with_jitter(self._ttl))
            report.warmed += 1

        with ThreadPoolExecutor(max_workers=self._concurrency) as pool:
            futures = [(id, pool.submit(one, id)) for id in ids]
        for id, future in futures:
            error = future.exception()
            if error is not None:
                report.failed.append((id, error))
        return report
`,
};

export const memoize: PyPattern = {
  caps: [],
  noCodec: true,
  imports: ['import functools', 'import hashlib', 'import threading'],
  body: ({ E }) => `def memoize(store: ${E}Store, ttl_seconds: int = TTL_SECONDS) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: calls with equal (JSON-equal) arguments share one cached result.

    The result is stored inside an envelope, so None, 0 and "" are cached results, not misses.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = fn.__module__ + "." + fn.__qualname__
        # Striped locks: a bounded set, so memory does not grow with the number of distinct arguments.
        stripes = [threading.Lock() for _ in range(64)]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # A hash keeps keys short and valid for memcached whatever the arguments are.
            digest = hashlib.sha1(json.dumps([args, kwargs], sort_keys=True, default=str).encode("utf-8")).hexdigest()
            key = KEY_PREFIX + name + ":" + digest
            cached = store.get(key)
            if cached is not None:
                return json.loads(cached)["v"]
            # Concurrent callers with the same arguments wait for the first one, then read its result.
            with stripes[int(digest[:8], 16) % len(stripes)]:
                cached = store.get(key)
                if cached is not None:
                    return json.loads(cached)["v"]
                result = fn(*args, **kwargs)
                store.set(key, json.dumps({"v": result}), _with_jitter(ttl_seconds))
                return result

        return wrapper

    return decorate
`,
};
