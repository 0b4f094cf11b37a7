import type { PyPattern } from './common';

/** Stampede protection (lock, XFetch) and the circuit breaker for Python. */

export const stampedeLock: PyPattern = {
  caps: ['add', 'release'],
  imports: ['import uuid'],
  body: ({ E, L }) => `class LockTimeoutError(Exception):
    """Gave up waiting for another caller's load."""


class ${E}StampedeLock:
    def __init__(
        self,
        store: ${E}Store,
        ${L}: Callable[[str], Optional[${E}]],
        ttl_seconds: int = TTL_SECONDS,
        lock_ttl_ms: int = 10000,
        wait_timeout: float = 15.0,
    ) -> None:
        # lock_ttl_ms must exceed the slowest load: a lock that expires mid-load lets a second loader in.
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds
        self._lock_ttl_ms = lock_ttl_ms
        self._wait_timeout = wait_timeout

    def get(self, id: str) -> Optional[${E}]:
        key = KEY_PREFIX + id
        lock_key = KEY_PREFIX + "lock:" + id
        deadline = time.monotonic() + self._wait_timeout
        pause = 0.005
        while True:
            cached = self._store.get(key)
            if cached is not None:
                return _decode(cached)
            token = uuid.uuid4().hex
            if self._store.add(lock_key, token, self._lock_ttl_ms):
                try:
                    # Someone may have filled the cache between our miss and our lock.
                    again = self._store.get(key)
                    if again is not None:
                        return _decode(again)
                    loaded = self._${L}(id)
                    if loaded is not None:
                        self._store.set(key, _encode(loaded), _with_jitter(self._ttl))
                    return loaded
                finally:
                    # Compare-and-delete: if our lock expired and another caller holds it now, it stays.
                    self._store.release(lock_key, token)
            if time.monotonic() >= deadline:
                raise LockTimeoutError(f"stampede lock: gave up waiting for {key} after {self._wait_timeout} s")
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
`,
};

export const stampedeXfetch: PyPattern = {
  caps: [],
  imports: ['import math'],
  body: ({ E, L }) => `class ${E}XFetch:
    """beta = 1 is optimal in the XFetch paper; larger refreshes earlier, 0 never refreshes early."""

    def __init__(
        self,
        store: ${E}Store,
        ${L}: Callable[[str], Optional[${E}]],
        ttl_seconds: int = TTL_SECONDS,
        beta: float = 1.0,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds
        self._beta = beta
        self._rand = rand

    def get(self, id: str) -> Optional[${E}]:
        cached = self._store.get(KEY_PREFIX + id)
        if cached is not None:
            entry = json.loads(cached)
            # XFetch: -ln(random) is exponentially distributed, so early refreshes get likelier near expiry.
            r = self._rand()
            gap = math.inf if r <= 0 else -entry["delta"] * self._beta * math.log(r)
            if time.time() + gap < entry["expiry"]:
                return _decode(entry["v"])
        return self._recompute(id)

    def _recompute(self, id: str) -> Optional[${E}]:
        started = time.time()
        loaded = self._${L}(id)
        if loaded is None:
            return None
        ttl = _with_jitter(self._ttl)
        now = time.time()
        entry = {"v": _encode(loaded), "delta": now - started, "expiry": now + ttl}
        self._store.set(KEY_PREFIX + id, json.dumps(entry), ttl)
        return loaded
`,
};

export const circuitBreaker: PyPattern = {
  caps: [],
  imports: ['import logging', 'import threading'],
  body: ({ E, L }) => `class ${E}CircuitBreakerCache:
    """Closed: use the cache. Open: never call it until open_seconds passed; then one probe (half-open)."""

    def __init__(
        self,
        store: ${E}Store,
        ${L}: Callable[[str], Optional[${E}]],
        ttl_seconds: int = TTL_SECONDS,
        failure_threshold: int = 5,
        open_seconds: float = 30.0,
        on_cache_error: Optional[Callable[[BaseException], None]] = None,
    ) -> None:
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds
        self._threshold = failure_threshold
        self._open_seconds = open_seconds
        self._on_cache_error = on_cache_error or (lambda e: logging.getLogger(__name__).warning("cache call failed: %s", e))
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False
        self._state = "closed"

    @property
    def state(self) -> str:
        return self._state

    def get(self, id: str) -> Optional[${E}]:
        if self._allow_call():
            try:
                cached = self._store.get(KEY_PREFIX + id)
                self._succeeded()
                if cached is not None:
                    return _decode(cached)
            except Exception as error:
                self._failed(error)
        loaded = self._${L}(id)
        if loaded is not None and self._allow_call():
            try:
                self._store.set(KEY_PREFIX + id, _encode(loaded), _with_jitter(self._ttl))
                self._succeeded()
            except Exception as error:
                self._failed(error)
        return loaded

    def _allow_call(self) -> bool:
        with self._lock:
            if self._state == "closed":
                return True
            if self._state == "open":
                if time.monotonic() - self._opened_at < self._open_seconds:
                    return False
                self._state = "half-open"
            if self._probing:
                return False
            self._probing = True
            return True

    def _succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            self._probing = False
            self._state = "closed"

    def _failed(self, error: BaseException) -> None:
        self._on_cache_error(error)
        with self._lock:
            self._probing = False
            self._failures += 1
            if self._state == "half-open" or self._failures >= self._threshold:
                self._state = "open"
                self._opened_at = time.monotonic()
`,
};
