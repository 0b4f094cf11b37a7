/**
 * The demo's data: what a small shop's cache might hold. Namespaces user:, session:, product:,
 * cart:, page:, with TTLs from a minute to a week, every Redis type, tag sets `tag:<name>`
 * (one with a dangling member), and a few keys that are not valid UTF-8.
 */
import type Redis from 'ioredis';
import type { MemcachedText } from './memcachedText';

export const USERS = 120;
export const PRODUCTS = 80;
export const SESSIONS = 60;

/** Keys the traffic reads that exist (hits); the traffic also reads keys that do not (misses). */
export function hotRedisKeys(): string[] {
  return [
    ...Array.from({ length: 20 }, (_, i) => `product:${i + 1}:name`),
    ...Array.from({ length: 10 }, (_, i) => `user:${i + 1}:profile`),
    'config:feature-flags',
  ];
}

export function hotMemcachedKeys(): string[] {
  return [...Array.from({ length: 20 }, (_, i) => `product:${i + 1}`), 'page:/', 'page:/products'];
}

/** A small deterministic generator, so every demo shows the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FIRST = ['Ada', 'Linus', 'Grace', 'Ken', 'Barbara', 'Dennis', 'Margaret', 'Guido', 'Anders', 'Radia'];
const ITEMS = ['kettle', 'lamp', 'notebook', 'backpack', 'headphones', 'mug', 'chair', 'keyboard', 'bottle', 'scarf'];

export interface SeedSummary { keys: number; tags: string[]; binaryKeys: number }

export async function seedRedis(redis: Redis): Promise<SeedSummary> {
  const random = rng(42);
  const p = redis.pipeline();
  const DAY = 86_400;
  for (let i = 1; i <= USERS; i++) {
    const name = `${FIRST[i % FIRST.length]} ${String.fromCharCode(65 + (i % 26))}.`;
    p.hset(`user:${i}`, { name, email: `user${i}@example.com`, plan: i % 7 === 0 ? 'pro' : 'free', created: String(1_700_000_000 + i * 3600) });
    p.set(`user:${i}:profile`, JSON.stringify({ id: i, name, theme: i % 2 ? 'dark' : 'light', langs: ['en', i % 3 ? 'fr' : 'de'] }));
    if (i % 3 === 0) p.expire(`user:${i}:profile`, DAY);
  }
  for (let i = 1; i <= SESSIONS; i++) {
    const id = Math.floor(random() * 2 ** 48).toString(16).padStart(12, '0');
    p.set(`session:${id}`, JSON.stringify({ user: 1 + (i % USERS), ip: `10.0.${i % 256}.${(i * 7) % 256}` }), 'EX', 60 + Math.floor(random() * 7200));
  }
  for (let i = 1; i <= PRODUCTS; i++) {
    const item = ITEMS[i % ITEMS.length];
    p.hset(`product:${i}`, { name: `${item} #${i}`, price: (5 + random() * 195).toFixed(2), stock: String(Math.floor(random() * 40)) });
    p.set(`product:${i}:name`, `${item} #${i}`, 'EX', 3600 + i * 60);
    p.set(`product:${i}:views`, String(Math.floor(random() * 5000)));
    p.zadd('product:top', Math.floor(random() * 1000), `product:${i}`);
  }
  for (let u = 1; u <= 25; u++) {
    const items = Array.from({ length: 1 + (u % 4) }, (_, k) => `product:${1 + ((u * 7 + k * 13) % PRODUCTS)}`);
    p.rpush(`cart:${u}`, ...items);
    p.expire(`cart:${u}`, 7 * DAY);
  }
  p.set('config:feature-flags', JSON.stringify({ newCheckout: true, recommendations: 'v2', banner: null }));
  p.sadd('config:admins', 'user:1', 'user:7');
  p.rpush('queue:emails', ...Array.from({ length: 12 }, (_, i) => JSON.stringify({ to: `user${i + 1}@example.com`, template: 'welcome' })));
  for (let i = 1; i <= 15; i++) p.xadd('stream:orders', '*', 'order', String(1000 + i), 'user', String(1 + (i % USERS)), 'total', (10 + i * 3.5).toFixed(2));
  p.pfadd('stats:visitors', ...Array.from({ length: 200 }, (_, i) => `v${i}`));

  // Tags: a set `tag:<name>` whose members are key names (the caching chapter's convention).
  const tags: Record<string, string[]> = {
    'catalog': Array.from({ length: 20 }, (_, i) => `product:${i + 1}`),
    'homepage': ['product:top', 'config:feature-flags', 'product:1:name', 'product:2:name'],
    'user-7': ['user:7', 'user:7:profile', 'cart:7'],
    // product:999 was deleted without cleaning its tags: a dangling member.
    'sale': ['product:3', 'product:5', 'product:999'],
  };
  for (const [name, members] of Object.entries(tags)) p.sadd(`tag:${name}`, ...members);

  // Keys that are not valid UTF-8: the explorer must show them escaped and act on exact bytes.
  const binaryKeys = [
    Buffer.from([0x62, 0x69, 0x6e, 0x3a, 0xff, 0xfe, 0x01]),
    Buffer.concat([Buffer.from('bin:'), Buffer.from([0xc3, 0x28])]),
    Buffer.concat([Buffer.from('img:thumb:'), Buffer.from([0x89, 0x50, 0x4e, 0x47])]),
  ];
  p.set(binaryKeys[0], Buffer.from([0, 1, 2, 3, 255]));
  p.set(binaryKeys[1], 'value under a key with an invalid UTF-8 sequence', 'EX', 600);
  p.set(binaryKeys[2], Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

  const results = await p.exec();
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0] as Error;
  return { keys: await redis.dbsize(), tags: Object.keys(tags).map((t) => `tag:${t}`), binaryKeys: binaryKeys.length };
}

export async function seedMemcached(mc: MemcachedText): Promise<number> {
  let n = 0;
  for (let i = 1; i <= 50; i++) {
    await mc.set(`product:${i}`, JSON.stringify({ id: i, name: `${ITEMS[i % ITEMS.length]} #${i}` }), 3600);
    n++;
  }
  for (let i = 1; i <= 40; i++) {
    await mc.set(`user:${i}`, JSON.stringify({ id: i, name: FIRST[i % FIRST.length] }), i % 2 ? 86_400 : 0);
    n++;
  }
  for (let i = 1; i <= 30; i++) {
    await mc.set(`session:${(i * 2654435761 >>> 0).toString(16)}`, `user=${i}`, 60 + i * 30);
    n++;
  }
  for (const pagePath of ['/', '/products', '/cart', '/about']) {
    await mc.set(`page:${pagePath}`, `<html><body>${pagePath}</body></html>`, 300);
    n++;
  }
  return n;
}
