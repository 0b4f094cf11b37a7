import type { PyPattern } from './common';

/** Write-through and write-behind for Python. */

export const writeThrough: PyPattern = {
  caps: [],
  imports: ['import logging'],
  body: ({ E, L, W }) => `class ${E}WriteThrough:
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
        if cached is not None:
            return _decode(cached)
        loaded = self._${L}(id)
        if loaded is not None:
            self._store.set(KEY_PREFIX + id, _encode(loaded), _with_jitter(self._ttl))
        return loaded

    def save(self, id: str, value: ${E}) -> None:
        """The database commits first: if it raises, the cache is untouched and still agrees with it.
        Only then the cache is written; if that fails, the entry is deleted so the next read reloads."""
        self._${W}(id, value)
        try:
            self._store.set(KEY_PREFIX + id, _encode(value), _with_jitter(self._ttl))
        except Exception:
            try:
                self._store.delete(KEY_PREFIX + id)
            except Exception as delete_error:
                # The TTL bounds how long the old value can be served; say so, then raise the first error.
                logging.getLogger(__name__).warning("could not delete %s after a failed cache write: %s", KEY_PREFIX + id, delete_error)
            raise
`,
};

export const writeBehind: PyPattern = {
  caps: [],
  imports: ['import logging', 'import threading', 'from collections import OrderedDict'],
  body: ({ E, L, W }) => `class QueueFullError(Exception):
    """save() waited enqueue_timeout seconds for room in a full queue."""


class ${E}WriteBehind:
    """Writes are acknowledged once queued and cached; a daemon thread flushes batches.

    Call close() on shutdown: it stops the thread and flushes every acknowledged write.
    """

    def __init__(
        self,
        store: ${E}Store,
        ${L}: Callable[[str], Optional[${E}]],
        ${W}: Callable[[List[Tuple[str, ${E}]]], None],
        ttl_seconds: int = TTL_SECONDS,
        max_queue: int = 10000,
        batch_size: int = 100,
        flush_interval: float = 1.0,
        max_retries: int = 5,
        base_backoff: float = 0.1,
        enqueue_timeout: float = 5.0,
        on_error: Optional[Callable[[BaseException, List[str]], None]] = None,
    ) -> None:
        self._store = store
        self._${L} = ${L}
        self._${W} = ${W}
        self._ttl = ttl_seconds
        self._max_queue = max_queue
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._max_retries = max_retries
        self._base_backoff = base_backoff
        self._enqueue_timeout = enqueue_timeout
        self._on_error = on_error or self._log_error
        # Insertion order is queue order; a second write to a queued id replaces its value (coalescing).
        self._queue: "OrderedDict[str, ${E}]" = OrderedDict()
        # Entries taken by the running flush, still readable until they are in the database.
        self._in_flight: Dict[str, ${E}] = {}
        self._cond = threading.Condition()
        self._flush_lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="write-behind", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Distinct ids acknowledged but not yet in the database."""
        with self._cond:
            return len(self._queue) + len(self._in_flight)

    def get(self, id: str) -> Optional[${E}]:
        with self._cond:
            # Queued writes are newer than anything in the cache or the database.
            if id in self._queue:
                return self._queue[id]
            if id in self._in_flight:
                return self._in_flight[id]
        cached = self._store.get(KEY_PREFIX + id)
        if cached is not None:
            return _decode(cached)
        loaded = self._${L}(id)
        if loaded is not None:
            self._store.set(KEY_PREFIX + id, _encode(loaded), _with_jitter(self._ttl))
        return loaded

    def save(self, id: str, value: ${E}) -> None:
        """Waits while the queue is full (back-pressure) and raises QueueFullError after enqueue_timeout."""
        deadline = time.monotonic() + self._enqueue_timeout
        with self._cond:
            if self._closed:
                raise RuntimeError("write-behind: closed, write refused")
            while id not in self._queue and len(self._queue) >= self._max_queue:
                self._cond.notify_all()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueueFullError(f"write-behind: queue full ({self._max_queue} pending) for {self._enqueue_timeout} s")
                self._cond.wait(min(remaining, 0.05))
            self._queue[id] = value
            if len(self._queue) >= self._batch_size:
                self._cond.notify_all()
        try:
            self._store.set(KEY_PREFIX + id, _encode(value), _with_jitter(self._ttl))
        except Exception:
            # The write stays queued and reads see it; a stale shared copy must not outlive it.
            try:
                self._store.delete(KEY_PREFIX + id)
            except Exception:
                pass  # The queued value is served to readers here; the TTL bounds the shared copy.
            raise

    def flush(self) -> None:
        """Writes everything queued so far; raises if a batch still fails after its retries."""
        with self._flush_lock:
            while True:
                with self._cond:
                    if not self._queue:
                        return
                    batch: List[Tuple[str, ${E}]] = []
                    while self._queue and len(batch) < self._batch_size:
                        batch.append(self._queue.popitem(last=False))
                    self._in_flight.update(batch)
                try:
                    self._write_with_retry(batch)
                except BaseException as error:
                    with self._cond:
                        # Put back what no newer write has replaced; nothing acknowledged is dropped.
                        for id, value in batch:
                            if id not in self._queue:
                                self._queue[id] = value
                        for id, _ in batch:
                            self._in_flight.pop(id, None)
                    self._on_error(error, [id for id, _ in batch])
                    raise
                with self._cond:
                    for id, _ in batch:
                        self._in_flight.pop(id, None)
                    superseded = {id for id, _ in batch if id in self._queue}
                    self._cond.notify_all()
                # Re-assert the persisted values in the cache unless a newer write is already queued.
                for id, value in batch:
                    if id not in superseded:
                        self._store.set(KEY_PREFIX + id, _encode(value), _with_jitter(self._ttl))

    def close(self) -> None:
        """Stops accepting writes and flushes; call it on shutdown so no acknowledged write is lost."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
        self.flush()

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                if len(self._queue) < self._batch_size:
                    self._cond.wait(self._flush_interval)
                if self._closed:
                    return
            try:
                self.flush()
            except Exception:
                pass  # Already reported through on_error and re-queued; the next tick retries.

    def _write_with_retry(self, batch: List[Tuple[str, ${E}]]) -> None:
        attempt = 0
        while True:
            try:
                self._${W}(batch)
                return
            except Exception:
                if attempt >= self._max_retries:
                    raise
                # Exponential backoff with jitter, so many writers do not retry in lockstep.
                time.sleep(self._base_backoff * (2 ** attempt) * (0.5 + random.random()))
                attempt += 1

    @staticmethod
    def _log_error(error: BaseException, ids: List[str]) -> None:
        logging.getLogger(__name__).error("write-behind: batch of %d still failing, kept queued: %s", len(ids), error)
`,
};
