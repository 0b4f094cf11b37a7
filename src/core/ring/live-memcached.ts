/**
 * A Memcached pool checked against its client's placement: for each key actually stored,
 * where the client's algorithm (ketama as libmemcached does it, or memjs's modulo) says it
 * should live, and where it really is. Keys on the "wrong" server are usually left over from a
 * pool change or written by a client with another algorithm or another server order.
 */
import type { CacheDriver } from '../driver/types';
import type { Placement } from './algorithm';
import { printable } from './live-cluster';
import { liveKeys, type LiveKeyOptions } from './live';

export interface PoolServerReport {
  node: string;
  /** Keys stored on this server. */
  keys: number;
  /** Of those, keys the algorithm places elsewhere. */
  misplaced: number;
  /** Keys the algorithm would put here, wherever they are now. */
  expected: number;
}

export interface PoolReport {
  algo: string;
  total: number;
  misplaced: number;
  misplacedFraction: number;
  servers: PoolServerReport[];
  /** A few misplaced keys with where they are and where they belong. */
  examples: Array<{ key: string; on: string; expected: string }>;
}

/**
 * `placement.nodes[i]` is the client's name for the server listed i-th in `servers` (the
 * driver's host:port): names matter to ketama, order matters to modulo.
 */
export async function checkPool(driver: CacheDriver, servers: readonly string[], placement: Placement, options: LiveKeyOptions = {}): Promise<PoolReport> {
  const index = new Map(servers.map((s, i) => [s, i]));
  const n = servers.length;
  const keys = new Float64Array(n), misplaced = new Float64Array(n), expected = new Float64Array(n);
  const examples: PoolReport['examples'] = [];
  let total = 0;
  for await (const batch of liveKeys(driver, options)) {
    for (let i = 0; i < batch.keys.length; i++) {
      const on = index.get(batch.nodes[i] ?? '');
      if (on === undefined) continue;
      const want = placement.locate(batch.keys[i]);
      keys[on]++; expected[want]++; total++;
      if (want !== on) {
        misplaced[on]++;
        if (examples.length < 20) examples.push({ key: printable(batch.keys[i]), on: servers[on], expected: servers[want] });
      }
    }
  }
  const wrong = misplaced.reduce((a, b) => a + b, 0);
  return {
    algo: placement.algorithm,
    total,
    misplaced: wrong,
    misplacedFraction: total ? wrong / total : 0,
    servers: servers.map((node, i) => ({ node, keys: keys[i], misplaced: misplaced[i], expected: expected[i] })),
    examples,
  };
}
