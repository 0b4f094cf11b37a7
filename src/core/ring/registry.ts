/**
 * Every placement algorithm, by CLI name. Adding one is a new file in this folder exporting a
 * `PlacementAlgorithm`, one entry here, and its vectors in test/unit/ring/.
 */
import { CacheLensError } from '../errors';
import type { PlacementAlgorithm } from './algorithm';
import { jump } from './jump';
import { ketama } from './ketama';
import { modulo } from './modulo';
import { redisSlots } from './redis-slots';
import { rendezvous } from './rendezvous';
import { vnodeMd5 } from './vnode-md5';

export const algorithms: readonly PlacementAlgorithm[] = [modulo, vnodeMd5, ketama, jump, rendezvous, redisSlots];

export function algorithmNames(): string[] {
  return algorithms.map((a) => a.name);
}

export function getAlgorithm(name: string): PlacementAlgorithm {
  const a = algorithms.find((x) => x.name === name);
  if (!a) throw new CacheLensError('usage', `unknown algorithm "${name}" (one of: ${algorithmNames().join(', ')})`);
  return a;
}
