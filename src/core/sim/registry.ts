/**
 * Every eviction policy by its CLI name, with aliases, a one-line description and its knobs.
 * Names are matched ignoring case, hyphens, underscores and spaces ("S3FIFO", "s3_fifo" and
 * "s3-fifo" are the same). Adding a policy: one file in ./policies and one entry here.
 */
import { CacheLensError } from '../errors';
import type { EvictionPolicy, PolicyConfig, PolicyFactory } from './policy';
import { createArc } from './policies/arc';
import { createClock } from './policies/clock';
import { createFifo } from './policies/fifo';
import { createLfu } from './policies/lfu';
import { createLfuPerfect } from './policies/lfu-perfect';
import { createLru } from './policies/lru';
import { createOpt } from './policies/opt';
import { createRandom } from './policies/random';
import {
  createAllkeysLfu, createAllkeysLru, createAllkeysRandom, createNoEviction,
  createVolatileLfu, createVolatileLru, createVolatileRandom, createVolatileTtl,
} from './policies/redis';
import { createS3Fifo } from './policies/s3-fifo';
import { createSieve } from './policies/sieve';
import { createTtl } from './policies/ttl';
import { createTwoQ } from './policies/2q';
import { createWTinyLfu } from './policies/w-tinylfu';

export type PolicyFamily = 'classic' | 'modern' | 'redis' | 'offline';

export interface PolicyInfo {
  /** Canonical name, as on the CLI and in results. */
  name: string;
  aliases: string[];
  family: PolicyFamily;
  description: string;
  /** Knobs accepted in config.params, with their defaults. */
  params: Record<string, number>;
  /** True when results depend on config.seed. */
  randomized: boolean;
  /** True when the policy needs each request's nextAccess (offline policies). */
  needsFuture: boolean;
  factory: PolicyFactory;
}

const REDIS_SAMPLING = { 'maxmemory-samples': 5 };
const REDIS_LFU = { 'maxmemory-samples': 5, 'lfu-log-factor': 10, 'lfu-decay-time': 1 };

const POLICIES: PolicyInfo[] = [
  info('lru', [], 'classic', 'Least recently used: evicts the object not requested for the longest time.', {}, createLru),
  info('lfu', [], 'classic', 'Least frequently used, O(1); counts kept only while cached, LRU among equal counts (as libCacheSim).', {}, createLfu),
  info('lfu-perfect', ['perfect-lfu', 'plfu'], 'classic', 'LFU with counts for every object ever seen; admits a newcomer only if it is counted at least as often as the least counted cached object.', {}, createLfuPerfect),
  info('fifo', [], 'classic', 'First in, first out: evicts the object admitted longest ago; hits change nothing.', {}, createFifo),
  info('ttl', ['soonest-expiry'], 'classic', 'Evicts the object that expires soonest; objects without a TTL go last.', {}, createTtl),
  info('random', ['rand', 'rr'], 'classic', 'Evicts a cached object chosen uniformly at random.', {}, createRandom, true),
  info('clock', ['second-chance', 'fifo-reinsertion'], 'modern', 'CLOCK: FIFO that gives objects hit since admission a second pass (1-bit, as libCacheSim).', { bits: 1 }, createClock),
  info('2q', ['twoq', 'two-queue'], 'modern', '2Q: a FIFO for new objects (25%), a ghost of its evictions (50%), an LRU for objects seen again (75%).', { 'in-ratio': 0.25, 'out-ratio': 0.5 }, createTwoQ),
  info('arc', [], 'modern', 'Adaptive Replacement Cache: recency and frequency lists whose balance adapts using ghost hits.', {}, createArc),
  info('s3-fifo', [], 'modern', 'S3-FIFO: small FIFO (10%) filtering one-hit wonders, main FIFO with reinsertion (90%), ghost FIFO.', { 'small-ratio': 0.1, 'ghost-ratio': 0.9, 'move-to-main-threshold': 1 }, createS3Fifo),
  info('sieve', [], 'modern', 'SIEVE: FIFO with a visited bit and a moving hand; survivors stay in place.', {}, createSieve),
  info('w-tinylfu', ['tinylfu', 'wtlfu', 'caffeine'], 'modern', 'W-TinyLFU: 1% LRU window, segmented-LRU main cache, admission by a count-min frequency sketch (Caffeine defaults).', { 'window-ratio': 0.01, 'protected-ratio': 0.8, doorkeeper: 0, 'sample-factor': 10 }, createWTinyLfu),
  info('opt', ['belady', 'min', 'optimal'], 'offline', "Belady's OPT: evicts the object requested farthest in the future (needs the whole trace); the lower bound.", { bypass: 1 }, createOpt, false, true),
  info('noeviction', [], 'redis', 'Redis noeviction: when full, new keys are refused (the miss is not admitted).', {}, createNoEviction),
  info('allkeys-lru', [], 'redis', 'Redis allkeys-lru: approximated LRU over all keys (sampling + eviction pool of 16).', REDIS_SAMPLING, createAllkeysLru, true),
  info('allkeys-lfu', [], 'redis', "Redis allkeys-lfu: approximated LFU with Redis's logarithmic 8-bit counter and decay.", REDIS_LFU, createAllkeysLfu, true),
  info('allkeys-random', [], 'redis', 'Redis allkeys-random: evicts a random key.', {}, createAllkeysRandom, true),
  info('volatile-lru', [], 'redis', 'Redis volatile-lru: approximated LRU among keys with a TTL; like noeviction when none has one.', REDIS_SAMPLING, createVolatileLru, true),
  info('volatile-lfu', [], 'redis', 'Redis volatile-lfu: approximated LFU among keys with a TTL; like noeviction when none has one.', REDIS_LFU, createVolatileLfu, true),
  info('volatile-random', [], 'redis', 'Redis volatile-random: a random key among those with a TTL; like noeviction when none has one.', {}, createVolatileRandom, true),
  info('volatile-ttl', [], 'redis', 'Redis volatile-ttl: the sampled key with the soonest expiry; like noeviction when none has a TTL.', REDIS_SAMPLING, createVolatileTtl, true),
];

function info(
  name: string, aliases: string[], family: PolicyFamily, description: string,
  params: Record<string, number>, factory: PolicyFactory, randomized = false, needsFuture = false,
): PolicyInfo {
  return { name, aliases, family, description, params, randomized, needsFuture, factory };
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

const BY_KEY = new Map<string, PolicyInfo>();
for (const p of POLICIES) {
  for (const key of [p.name, ...p.aliases]) BY_KEY.set(normalize(key), p);
}

/** Canonical names, in display order. */
export function policyNames(): string[] {
  return POLICIES.map((p) => p.name);
}

/** Name, aliases, description and knobs of every policy, in display order. */
export function policyInfos(): readonly PolicyInfo[] {
  return POLICIES;
}

/** The policy for a name or alias, or undefined. */
export function findPolicy(name: string): PolicyInfo | undefined {
  return BY_KEY.get(normalize(name));
}

/** The canonical name for a name or alias; throws a usage error listing the valid names. */
export function resolvePolicyName(name: string): string {
  return createInfo(name).name;
}

function createInfo(name: string): PolicyInfo {
  const p = findPolicy(name);
  if (p === undefined) {
    throw new CacheLensError('usage', `Unknown eviction policy "${name}". Known policies: ${policyNames().join(', ')}.`);
  }
  return p;
}

/**
 * A fresh policy instance; throws a usage error for an unknown name or bad config. A parameter
 * that no policy knows is an error (most likely a typo); one that only other policies know is
 * ignored, so that one parameter set can be shared by a whole comparison.
 */
export function createPolicy(name: string, config: PolicyConfig): EvictionPolicy {
  const p = createInfo(name);
  const given = config.params ?? {};
  const own: Record<string, number> = {};
  for (const key of Object.keys(given)) {
    if (key in p.params) own[key] = given[key];
    else if (!ALL_PARAMS.has(key)) {
      throw new CacheLensError('usage', `Unknown policy parameter "${key}". Known parameters: ${[...ALL_PARAMS].join(', ')}.`);
    }
  }
  return p.factory({ ...config, params: own });
}

const ALL_PARAMS = new Set(POLICIES.flatMap((p) => Object.keys(p.params)));
