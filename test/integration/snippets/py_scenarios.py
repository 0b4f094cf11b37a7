"""Runs generated Python cache code against real servers, with SQLite as the source of truth.

Usage: python3 py_scenarios.py CLIENT MODULE_DIR REDIS_PORT MEMCACHED_PORT PREFIX
Prints one JSON object: scenario name -> null (passed) or the failure text.
Each scenario asserts what would break if the generated pattern were wrong.
"""
import atexit
import importlib.util
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import traceback

CLIENT, MODULE_DIR, REDIS_PORT, MC_PORT, PREFIX = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
TTL = 120


def load(pattern):
    path = os.path.join(MODULE_DIR, pattern.replace("-", "_") + ".py")
    spec = importlib.util.spec_from_file_location("gen_" + pattern.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if CLIENT == "redis-py":
    import redis

    RAW = redis.Redis(host="127.0.0.1", port=REDIS_PORT)

    def client():
        return RAW

    def raw(key):
        v = RAW.get(key)
        return None if v is None else v.decode()

    def ttl(key):
        ms = RAW.pttl(key)
        return None if ms == -2 else ms / 1000
else:
    import socket
    from pymemcache.client.base import PooledClient

    RAW = PooledClient(("127.0.0.1", MC_PORT), max_pool_size=64)

    def client():
        return RAW

    def raw(key):
        v = RAW.get(key)
        return None if v is None else v.decode()

    def ttl(key):
        # Meta get with the t flag: remaining TTL, without fetching the value.
        with socket.create_connection(("127.0.0.1", MC_PORT)) as s:
            s.sendall(f"mg {key} t\r\n".encode())
            reply = s.recv(1024).decode()
        if reply.startswith("EN"):
            return None
        for token in reply.split():
            if token.startswith("t"):
                return int(token[1:])
        return None


class Db:
    """users(id, name) with a CHECK constraint; a second connection can hold the write lock."""

    def __init__(self):
        folder = tempfile.mkdtemp(prefix="cachelens-snippets-py-db-")
        atexit.register(shutil.rmtree, folder, True)
        self.file = os.path.join(folder, "users.db")
        self.conn = sqlite3.connect(self.file, timeout=0, check_same_thread=False, isolation_level=None)
        self.conn.execute("CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0))")
        for i in range(1, 21):
            self.conn.execute("INSERT INTO users VALUES (?, ?)", (str(i), f"user {i}"))
        self.lock = threading.Lock()
        self.loads = 0
        self.batches = []
        self.blocker = None

    def row(self, id):
        with self.lock:
            r = self.conn.execute("SELECT id, name FROM users WHERE id = ?", (id,)).fetchone()
        return None if r is None else {"id": r[0], "name": r[1]}

    def loader(self, delay=0.0):
        def load(id):
            with self.lock:
                self.loads += 1
            if delay:
                time.sleep(delay)
            return self.row(id)
        return load

    def writer(self, id, value):
        with self.lock:
            self.conn.execute("INSERT OR REPLACE INTO users VALUES (?, ?)", (id, value["name"]))

    def batch_writer(self, batch):
        with self.lock:
            self.conn.execute("BEGIN")
            try:
                for id, value in batch:
                    self.conn.execute("INSERT OR REPLACE INTO users VALUES (?, ?)", (id, value["name"]))
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.batches.append([id for id, _ in batch])

    def lock_db(self):
        self.blocker = sqlite3.connect(self.file, timeout=0, isolation_level=None)
        self.blocker.execute("BEGIN EXCLUSIVE")

    def unlock_db(self):
        self.blocker.execute("COMMIT")
        self.blocker.close()


def check_ttl(key):
    left = ttl(key)
    assert left is not None and 0 < left <= TTL * 1.1 + 1, f"TTL of {key} is set (got {left})"


def cache_aside():
    m, db = load("cache-aside"), Db()
    c = m.UserCacheAside(m.UserStore(client()), db.loader(), db.writer)
    assert c.get("1") == {"id": "1", "name": "user 1"}
    assert c.get("1") == {"id": "1", "name": "user 1"}
    assert db.loads == 1, "the second read is a hit"
    check_ttl(PREFIX + "1")
    c.update("1", {"id": "1", "name": "renamed"})
    assert raw(PREFIX + "1") is None, "the write deleted the cached entry"
    assert c.get("1")["name"] == "renamed" and db.loads == 2
    assert c.get("missing") is None


def cache_aside_empty_value():
    m, db = load("string-cache-aside"), Db()
    store = m.UserStore(client())
    store.set(PREFIX + "s:empty", "", 60)
    c = m.UserCacheAside(store, db.loader(), db.writer)
    assert c.get("empty") == "" and db.loads == 0, "an empty cached value is a hit"


def read_through():
    m, db = load("read-through"), Db()
    c = m.UserReadThrough(m.UserStore(client()), db.loader(0.05))
    results = []
    threads = [threading.Thread(target=lambda: results.append(c.get("2"))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r["name"] == "user 2" for r in results) and len(results) == 20
    assert db.loads == 1, f"concurrent misses share one load (got {db.loads})"
    check_ttl(PREFIX + "2")
    c.invalidate("2")
    c.get("2")
    assert db.loads == 2


def write_through():
    m, db = load("write-through"), Db()
    c = m.UserWriteThrough(m.UserStore(client()), db.loader(), db.writer)
    c.save("3", {"id": "3", "name": "three"})
    assert json.loads(raw(PREFIX + "3")) == {"id": "3", "name": "three"} and db.row("3")["name"] == "three"
    check_ttl(PREFIX + "3")
    try:
        c.save("3", {"id": "3", "name": ""})
        raise AssertionError("the CHECK constraint should have failed the write")
    except sqlite3.IntegrityError:
        pass
    assert db.row("3")["name"] == "three"
    assert json.loads(raw(PREFIX + "3"))["name"] == "three", "cache still equals the database"


def write_behind_coalesce_and_close():
    m, db = load("write-behind"), Db()
    wb = m.UserWriteBehind(m.UserStore(client()), db.loader(), db.batch_writer, flush_interval=60, batch_size=50)
    for i in range(1, 6):
        wb.save("4", {"id": "4", "name": f"v{i}"})
    wb.save("5", {"id": "5", "name": "five"})
    assert db.row("4")["name"] == "user 4", "not yet in the database"
    assert wb.get("4")["name"] == "v5" and wb.pending == 2
    wb.close()
    assert db.row("4")["name"] == "v5" and db.row("5")["name"] == "five"
    assert db.batches == [["4", "5"]], f"writes to one id coalesce (got {db.batches})"
    check_ttl(PREFIX + "4")
    try:
        wb.save("6", {"id": "6", "name": "late"})
        raise AssertionError("a closed write-behind must refuse writes")
    except RuntimeError:
        pass


def write_behind_retries():
    m, db = load("write-behind"), Db()
    errors = []
    wb = m.UserWriteBehind(m.UserStore(client()), db.loader(), db.batch_writer, flush_interval=0.02, batch_size=10,
                           max_retries=2, base_backoff=0.005, on_error=lambda e, ids: errors.append(ids))
    db.lock_db()
    for i in range(1, 26):
        wb.save(str(100 + i), {"id": str(100 + i), "name": f"n{i}"})
    time.sleep(0.3)
    assert errors, "failed batches were reported, not dropped"
    assert wb.pending == 25, f"every write is still queued (got {wb.pending})"
    db.unlock_db()
    wb.close()
    for i in range(1, 26):
        assert db.row(str(100 + i))["name"] == f"n{i}"
    assert wb.pending == 0


def write_behind_back_pressure():
    m, db = load("write-behind"), Db()
    wb = m.UserWriteBehind(m.UserStore(client()), db.loader(), db.batch_writer, flush_interval=60, batch_size=100,
                           max_queue=3, enqueue_timeout=0.1, max_retries=0, on_error=lambda e, ids: None)
    db.lock_db()
    for i in range(1, 4):
        wb.save(f"bp{i}", {"id": f"bp{i}", "name": "x"})
    started = time.monotonic()
    try:
        wb.save("bp4", {"id": "bp4", "name": "x"})
        raise AssertionError("a full queue must push back")
    except m.QueueFullError:
        pass
    assert time.monotonic() - started >= 0.09
    wb.save("bp1", {"id": "bp1", "name": "coalesced"})
    db.unlock_db()
    wb.close()
    assert db.row("bp1")["name"] == "coalesced" and db.row("bp4") is None


def tag_invalidation():
    m, db = load("tag-invalidation"), Db()
    c = m.UserTagCache(m.UserStore(client()), db.loader())
    c.get("6", ["team:a"])
    c.get("7", ["team:b"])
    c.get("6", ["team:a"])
    assert db.loads == 2
    check_ttl(PREFIX + "6")
    c.invalidate_tag("team:a")
    c.get("6", ["team:a"])
    c.get("7", ["team:b"])
    assert db.loads == 3, "only the entry tagged team:a was reloaded"


def event_invalidation():
    m, db = load("event-invalidation"), Db()
    store = m.UserStore(client())
    listener, producer = m.UserEventInvalidation(store, db.loader()), m.UserEventInvalidation(store, db.loader())
    seen = []
    listener.listen(seen.append)
    time.sleep(0.1)
    listener.get("8")
    assert raw(PREFIX + "8") is not None
    check_ttl(PREFIX + "8")
    producer.publish_change("8")
    for _ in range(100):
        if seen:
            break
        time.sleep(0.01)
    listener.stop()
    assert seen == ["8"] and raw(PREFIX + "8") is None


def stampede_lock():
    m, db = load("stampede-lock"), Db()
    c = m.UserStampedeLock(m.UserStore(client()), db.loader(0.1), lock_ttl_ms=5000)
    results = []
    barrier = threading.Barrier(50)

    def read():
        barrier.wait()
        results.append(c.get("9"))

    threads = [threading.Thread(target=read) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.loads == 1, f"50 concurrent cold reads run the loader once (got {db.loads})"
    assert len(results) == 50 and all(r["name"] == "user 9" for r in results)
    check_ttl(PREFIX + "9")
    assert raw(PREFIX + "lock:9") is None, "the lock was released"


def stampede_lock_release():
    m = load("stampede-lock")
    s = m.UserStore(client())
    assert s.add(PREFIX + "lock:x", "token-a", 5000) is True
    assert s.add(PREFIX + "lock:x", "token-b", 5000) is False
    assert s.release(PREFIX + "lock:x", "token-b") is False
    assert raw(PREFIX + "lock:x") == "token-a", "a wrong token leaves the lock in place"
    assert s.release(PREFIX + "lock:x", "token-a") is True
    assert raw(PREFIX + "lock:x") is None


def stampede_xfetch():
    m, db = load("stampede-xfetch"), Db()
    s = m.UserStore(client())
    never = m.UserXFetch(s, db.loader(0.015), beta=0)
    never.get("10")
    never.get("10")
    assert db.loads == 1, "beta 0 never refreshes early"
    env = json.loads(raw(PREFIX + "10"))
    assert env["delta"] >= 0.01 and env["expiry"] > time.time() + TTL - 5
    check_ttl(PREFIX + "10")
    m.UserXFetch(s, db.loader(0.015), beta=1000, rand=lambda: 1e-300).get("10")
    assert db.loads == 2, "a reader close enough to expiry refreshes"
    m.UserXFetch(s, db.loader(0.015), beta=1000, rand=lambda: 1.0).get("10")
    assert db.loads == 2, "random() = 1 means -ln = 0: no early refresh"


def multi_level():
    m, db = load("multi-level"), Db()
    c = m.UserMultiLevel(m.UserStore(client()), db.loader(), l1_max_entries=3, l1_ttl_seconds=0.1)
    for id in ["11", "12", "13", "14", "15"]:
        c.get(id)
    assert len(c.l1) == 3, "L1 never holds more than l1_max_entries"
    check_ttl(PREFIX + "15")
    RAW.delete(PREFIX + "15")
    assert c.get("15")["name"] == "user 15" and db.loads == 5, "served from L1"
    time.sleep(0.15)
    c.get("15")
    assert db.loads == 6, "after the L1 TTL the read went past L1"
    c.get("14")
    assert db.loads == 6, "an expired L1 entry falls back to L2"


def cache_warming():
    m, db = load("cache-warming"), Db()
    report = m.UserCacheWarmer(m.UserStore(client()), db.loader(0.005), concurrency=4).warm(["16", "17", "18", "nope"])
    assert report.warmed == 3 and report.missing == ["nope"] and report.failed == []
    assert json.loads(raw(PREFIX + "17")) == {"id": "17", "name": "user 17"}
    check_ttl(PREFIX + "18")


def memoize():
    m = load("memoize")
    calls = []

    @m.memoize(m.UserStore(client()))
    def add(a, b):
        calls.append((a, b))
        return None if a + b == 0 else a + b

    assert add(1, 2) == 3 and add(1, 2) == 3 and len(calls) == 1
    assert add(0, 0) is None and add(0, 0) is None and len(calls) == 2, "None is a cached result"
    threads = [threading.Thread(target=add, args=(5, 5)) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 3, f"concurrent calls share one computation (got {len(calls)})"


def circuit_breaker():
    """The breaker in front of a store whose server is not listening: it opens, then stops calling."""
    m, db = load("circuit-breaker"), Db()
    if CLIENT == "redis-py":
        import redis
        dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    else:
        from pymemcache.client.base import Client
        dead = Client(("127.0.0.1", 1), connect_timeout=0.2, timeout=0.2)
    calls = []
    base = m.UserStore(dead)

    class Counting:
        def get(self, key):
            calls.append(key)
            return base.get(key)

        def set(self, key, value, ttl_seconds):
            calls.append(key)
            return base.set(key, value, ttl_seconds)

    c = m.UserCircuitBreakerCache(Counting(), db.loader(), failure_threshold=2, open_seconds=0.3, on_cache_error=lambda e: None)
    assert c.get("1")["name"] == "user 1"
    assert c.state == "open"
    before = len(calls)
    for _ in range(5):
        assert c.get("2")["name"] == "user 2"
    assert len(calls) == before, "an open breaker does not call the cache"
    live = m.UserCircuitBreakerCache(m.UserStore(client()), db.loader(), failure_threshold=2, open_seconds=0.3)
    live._state, live._opened_at = "open", time.monotonic() - 1
    live.get("3")
    assert live.state == "closed", "a successful probe closes the breaker"


SCENARIOS = [cache_aside, cache_aside_empty_value, read_through, write_through, write_behind_coalesce_and_close,
             write_behind_retries, write_behind_back_pressure, tag_invalidation, event_invalidation, stampede_lock,
             stampede_lock_release, stampede_xfetch, multi_level, cache_warming, memoize, circuit_breaker]

if __name__ == "__main__":
    results = {}
    for scenario in SCENARIOS:
        if scenario is event_invalidation and CLIENT != "redis-py":
            continue
        try:
            scenario()
            results[scenario.__name__] = None
        except BaseException:
            results[scenario.__name__] = traceback.format_exc()
    print(json.dumps(results))
