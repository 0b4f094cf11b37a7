/** Shared by the memcached tests: options from a harness URL, and a full listing. */
import { parseConnectionUrl, type MemcachedConnectOptions } from '../../../src/core/driver/url';
import type { CacheDriver, KeyInfo } from '../../../src/core/driver/types';

export function mcOptions(url: string, extra: Partial<MemcachedConnectOptions> = {}): MemcachedConnectOptions {
  return { ...(parseConnectionUrl(url) as MemcachedConnectOptions), ...extra };
}

export async function listAll(driver: CacheDriver, match?: string): Promise<KeyInfo[]> {
  const all: KeyInfo[] = [];
  for await (const batch of driver.scan({ match })) all.push(...batch);
  return all;
}
