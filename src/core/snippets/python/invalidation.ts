import type { PyPattern } from './common';

/** Tag-based and event-based invalidation for Python. */

export const tagInvalidation: PyPattern = {
  caps: ['add'],
  imports: ['import uuid'],
  body: ({ E, L }) => `TAG_PREFIX = KEY_PREFIX + "tag:"
# Tag versions outlive the entries stamped with them; an evicted version only causes misses.
TAG_TTL_SECONDS = TTL_SECONDS * 10


class ${E}TagCache:
    def __init__(self, store: ${E}Store, ${L}: Callable[[str], Optional[${E}]], ttl_seconds: int = TTL_SECONDS) -> None:
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds

    def get(self, id: str, tags: List[str]) -> Optional[${E}]:
        """Reads an entry that depends on tags; it is a miss once any of them was invalidated."""
        versions = [self._version(tag) for tag in tags]
        cached = self._store.get(KEY_PREFIX + id)
        if cached is not None:
            entry = json.loads(cached)
            if all(entry["tags"].get(tag) == version for tag, version in zip(tags, versions)):
                return _decode(entry["v"])
        loaded = self._${L}(id)
        if loaded is not None:
            entry = {"v": _encode(loaded), "tags": dict(zip(tags, versions))}
            self._store.set(KEY_PREFIX + id, json.dumps(entry), _with_jitter(self._ttl))
        return loaded

    def invalidate_tag(self, tag: str) -> None:
        """Every entry stamped with the old version of tag now reads as a miss."""
        self._store.set(TAG_PREFIX + tag, uuid.uuid4().hex, TAG_TTL_SECONDS)

    def _version(self, tag: str) -> str:
        current = self._store.get(TAG_PREFIX + tag)
        if current is not None:
            return current
        # First use, or the version was evicted: a fresh random version cannot match any old entry.
        self._store.add(TAG_PREFIX + tag, uuid.uuid4().hex, TAG_TTL_SECONDS * 1000)
        return self._store.get(TAG_PREFIX + tag) or ""
`,
};

export const eventInvalidation: PyPattern = {
  caps: ['pubsub'],
  imports: ['import logging'],
  body: ({ E, L }) => `CHANNEL = KEY_PREFIX + "invalidate"


class ${E}EventInvalidation:
    def __init__(self, store: ${E}Store, ${L}: Callable[[str], Optional[${E}]], ttl_seconds: int = TTL_SECONDS) -> None:
        self._store = store
        self._${L} = ${L}
        self._ttl = ttl_seconds
        self._stop: Optional[Callable[[], None]] = None

    def get(self, id: str) -> Optional[${E}]:
        cached = self._store.get(KEY_PREFIX + id)
        if cached is not None:
            return _decode(cached)
        loaded = self._${L}(id)
        if loaded is not None:
            self._store.set(KEY_PREFIX + id, _encode(loaded), _with_jitter(self._ttl))
        return loaded

    def publish_change(self, id: str) -> None:
        """Producer side: call after the source of truth changed id (from any service)."""
        self._store.publish(CHANNEL, id)

    def listen(self, on_invalidated: Optional[Callable[[str], None]] = None) -> None:
        """Consumer side: deletes the cached entry of every id announced on the channel."""
        if self._stop is not None:
            return

        def handle(id: str) -> None:
            try:
                self._store.delete(KEY_PREFIX + id)
            except Exception as error:
                logging.getLogger(__name__).error("could not delete %s, the TTL will expire it: %s", KEY_PREFIX + id, error)
                return
            if on_invalidated is not None:
                on_invalidated(id)

        self._stop = self._store.subscribe(CHANNEL, handle)

    def stop(self) -> None:
        stop, self._stop = self._stop, None
        if stop is not None:
            stop()
`,
};
