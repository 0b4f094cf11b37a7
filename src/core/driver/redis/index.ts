import type { CacheDriver } from '../types';
import type { RedisConnectOptions } from '../url';
import { connectRedis } from './connect';
import { RedisDriver } from './driver';

export { RedisDriver } from './driver';

/** Connects (standalone, socket, sentinel; a cluster is detected) and returns the driver. */
export async function openRedisDriver(options: RedisConnectOptions): Promise<CacheDriver & RedisDriver> {
  return new RedisDriver(await connectRedis(options), options);
}
