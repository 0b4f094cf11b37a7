/**
 * Slots: a cached object owns a slot, and per-object state lives in arrays indexed by slot,
 * as small as the cache, instead of arrays as large as the id space. A policy keeps one per-id
 * array (id -> slot) and everything it walks (queue links, bits, frequencies) per slot, so that
 * evictions touch L1/L2-resident memory. See docs/sim-speed.md.
 */
import type { PolicyConfig } from '../policy';

/**
 * How many objects can be cached at once: the capacity in object mode (every object weighs 1),
 * the id space in bytes mode (sizes can be tiny). At least 1 so arrays are never empty.
 */
export function slotCount(config: PolicyConfig): number {
  const n = config.bytes ? config.idSpace : Math.min(config.idSpace, Math.floor(config.capacity));
  return Math.max(1, n);
}

/** A full stack of free slots; popping gives 0, 1, 2, ... in that order. */
export function freeSlotStack(slots: number): Int32Array {
  const free = new Int32Array(slots);
  for (let i = 0; i < slots; i++) free[i] = slots - 1 - i;
  return free;
}
