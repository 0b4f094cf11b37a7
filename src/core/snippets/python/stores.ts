import type { RenderContext } from '../types';

/** Extra operations a pattern may need beyond get / set / delete. */
export type PyCapability = 'add' | 'release' | 'pubsub';

/**
 * One adapter class per client, so each pattern is written once against get / set / delete
 * (+ add, release, publish / subscribe). A missing key is None; an empty string is a value.
 */
export function renderPyStore(ctx: RenderContext, caps: PyCapability[]): { imports: string[]; code: string } {
  return ctx.client === 'redis-py' ? redisPy(ctx, caps) : pymemcache(ctx, caps);
}

function redisPy(ctx: RenderContext, caps: PyCapability[]): { imports: string[]; code: string } {
  const E = ctx.opts.entity;
  const m: string[] = [`    def get(self, key: str) -> Optional[str]:
        value = self._redis.get(key)
        if value is None:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self._redis.set(key, value, ex=ttl_seconds)

    def delete(self, key: str) -> None:
        self._redis.delete(key)`];
  if (caps.includes('add')) m.push(`    def add(self, key: str, value: str, ttl_ms: int) -> bool:
        """SET key value PX ttl NX: one atomic command; True when this caller created the key."""
        return bool(self._redis.set(key, value, px=ttl_ms, nx=True))`);
  if (caps.includes('release')) m.push(`    def release(self, key: str, token: str) -> bool:
        """Deletes the key only if it still holds token; False when someone else holds it now."""
        return self._release(keys=[key], args=[token]) == 1`);
  if (caps.includes('pubsub')) m.push(`    def publish(self, channel: str, message: str) -> None:
        self._redis.publish(channel, message)

    def subscribe(self, channel: str, on_message: Callable[[str], None]) -> Callable[[], None]:
        """Listens on its own connection in a daemon thread; the returned function stops it."""
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)

        def handle(message: Dict[str, Any]) -> None:
            data = message["data"]
            on_message(data.decode("utf-8") if isinstance(data, bytes) else data)

        pubsub.subscribe(**{channel: handle})
        worker = pubsub.run_in_thread(sleep_time=0.05, daemon=True)

        def stop() -> None:
            worker.stop()
            worker.join(timeout=1)
            pubsub.close()

        return stop`);
  const init = caps.includes('release')
    ? `        self._redis = client
        self._release = client.register_script(RELEASE_LOCK)`
    : `        self._redis = client`;
  const lua = caps.includes('release')
    ? `# Deletes the lock only while it still holds the caller's token: a compare-and-delete in one step.
RELEASE_LOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


`
    : '';
  return {
    imports: ['import redis'],
    code: `${lua}class ${E}Store:
    """The cache operations this file needs, over redis-py."""

    def __init__(self, client: "redis.Redis") -> None:
${init}

${m.join('\n\n')}
`,
  };
}

function pymemcache(ctx: RenderContext, caps: PyCapability[]): { imports: string[]; code: string } {
  const E = ctx.opts.entity;
  const m: string[] = [`    def get(self, key: str) -> Optional[str]:
        value = self._mc.get(key)
        return None if value is None else value.decode("utf-8")

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self._mc.set(key, value.encode("utf-8"), expire=_expiry(ttl_seconds), noreply=False)

    def delete(self, key: str) -> None:
        self._mc.delete(key, noreply=False)`];
  if (caps.includes('add')) m.push(`    def add(self, key: str, value: str, ttl_ms: int) -> bool:
        """memcached add: stores only if absent. noreply=False, or add() would always say True."""
        seconds = max(1, math.ceil(ttl_ms / 1000))
        return bool(self._mc.add(key, value.encode("utf-8"), expire=_expiry(seconds), noreply=False))`);
  if (caps.includes('release')) m.push(`    def release(self, key: str, token: str) -> bool:
        """Deletes the key only if it still holds token: a CAS write that expires the item at once
        (negative exptime) succeeds only if nobody changed the key since we read it."""
        value, cas = self._mc.gets(key)
        if value is None or value.decode("utf-8") != token:
            return False
        return bool(self._mc.cas(key, b"", cas, expire=-1, noreply=False))`);
  return {
    imports: caps.includes('add') ? ['import math', 'from pymemcache.client.base import Client'] : ['from pymemcache.client.base import Client'],
    code: `def _expiry(ttl_seconds: int) -> int:
    """memcached reads a TTL over 30 days as an absolute unix time, so long TTLs are converted."""
    return int(time.time()) + ttl_seconds if ttl_seconds > 2592000 else ttl_seconds


class ${E}Store:
    """The cache operations this file needs, over pymemcache (a Client, or a PooledClient across threads).

    Every call passes noreply=False so failures surface instead of being ignored.
    """

    def __init__(self, client: Client) -> None:
        self._mc = client

${m.join('\n\n')}
`,
  };
}
