/**
 * A little live traffic so hit ratios and ops/s move while someone watches: every tick reads a
 * few hot keys (hits), a few keys that do not exist (misses, about one in five), and now and then
 * writes a new short-lived session.
 */
import type Redis from 'ioredis';
import type { MemcachedText } from './memcachedText';
import { hotMemcachedKeys, hotRedisKeys } from './seed';

export interface Traffic {
  readonly counts: { redisGets: number; memcachedGets: number; writes: number };
  stop(): void;
}

export function startTraffic(redis: Redis, mc: MemcachedText, intervalMs = 250): Traffic {
  const redisKeys = hotRedisKeys();
  const mcKeys = hotMemcachedKeys();
  const counts = { redisGets: 0, memcachedGets: 0, writes: 0 };
  let tick = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    tick++;
    const p = redis.pipeline();
    for (let i = 0; i < 4; i++) p.get(redisKeys[(tick * 4 + i) % redisKeys.length]);
    p.get(`product:${1000 + (tick % 50)}:name`); // never exists: a miss
    if (tick % 8 === 0) {
      p.set(`session:live${tick}`, JSON.stringify({ user: tick % 120 }), 'EX', 90);
      counts.writes++;
    }
    counts.redisGets += 5;
    const mcReads = [mcKeys[tick % mcKeys.length], mcKeys[(tick + 7) % mcKeys.length], `product:${5000 + tick % 30}`];
    counts.memcachedGets += mcReads.length;
    Promise.all([p.exec(), ...mcReads.map((k) => mc.get(k))])
      .catch(() => undefined) // a server stopping under the demo is not worth a stack trace
      .finally(() => { busy = false; });
  }, intervalMs);
  return { counts, stop: () => clearInterval(timer) };
}
