/**
 * Live key sets: the keys of any connection, streamed by the driver's SCAN (never KEYS) and
 * fed to a placement batch by batch, so the ring over a million live keys costs little more
 * than the SCAN itself.
 */
import type { CacheDriver } from '../driver/types';
import type { Placement } from './algorithm';
import { RingTally, type Change } from './metrics';

export interface LiveKeyOptions {
  /** Stop after this many keys (a sample in SCAN order, which is hash order); all keys when unset. */
  sample?: number;
  match?: string;
  /** SCAN COUNT hint; 1000 by default. */
  count?: number;
  signal?: AbortSignal;
}

/** Batches of keys with the node each came from (cluster master or pool member). */
export interface LiveBatch { keys: Buffer[]; nodes: Array<string | undefined> }

export async function* liveKeys(driver: CacheDriver, options: LiveKeyOptions = {}): AsyncGenerator<LiveBatch> {
  let left = options.sample ?? Infinity;
  if (left <= 0) return;
  for await (const batch of driver.scan({ withMeta: false, match: options.match, count: options.count ?? 1000, signal: options.signal })) {
    const take = batch.length <= left ? batch : batch.slice(0, left);
    yield { keys: take.map((k) => k.key), nodes: take.map((k) => k.node) };
    left -= take.length;
    if (left <= 0) return;
  }
}

/** Streams every key of a connection through a placement (and a simulated change). */
export async function tallyLive(driver: CacheDriver, placement: Placement, change: Change | undefined, options: LiveKeyOptions = {}): Promise<RingTally> {
  const tally = new RingTally(placement, change);
  for await (const batch of liveKeys(driver, options)) tally.add(batch.keys);
  return tally;
}
