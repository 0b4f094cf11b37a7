/**
 * Alert episodes: a condition that holds over consecutive samples raises one alert when it
 * starts, and nothing more until it has been clear for `clearAfter` samples. People get one
 * notification per problem, not one per second.
 */
import type { Sample } from './sampler';

export interface AlertThresholds {
  /** Alert when the interval's hit ratio is below this (0..1); null disables. Default 0.8. */
  hitRatioBelow: number | null;
  /** Alert when evictions per second exceed this; null disables. Default 0. */
  evictionsPerSecAbove: number | null;
  /** Intervals with fewer reads than this never raise a hit-ratio alert (noise). Default 10. */
  minReads: number;
  /** Clear samples needed before the same alert may fire again. Default 5. */
  clearAfter: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { hitRatioBelow: 0.8, evictionsPerSecAbove: 0, minReads: 10, clearAfter: 5 };

export type AlertKind = 'hitRatio' | 'evictions';

export interface Alert { kind: AlertKind; message: string; sample: Sample }

export class AlertTracker {
  private readonly active = new Map<AlertKind, number>();

  constructor(private thresholds: AlertThresholds = DEFAULT_THRESHOLDS) {}

  setThresholds(t: AlertThresholds): void { this.thresholds = t; }

  /** Feeds one sample; returns the alerts that start with it (usually none). */
  update(s: Sample): Alert[] {
    const t = this.thresholds;
    const out: Alert[] = [];
    const reads = s.hits + s.misses;
    const lowRatio = t.hitRatioBelow !== null && reads >= t.minReads && s.hitRatio !== null && s.hitRatio < t.hitRatioBelow;
    const evicting = t.evictionsPerSecAbove !== null && s.evictionsPerSec > t.evictionsPerSecAbove;
    this.step('hitRatio', lowRatio, () => ({
      kind: 'hitRatio', sample: s,
      message: `hit ratio ${(100 * (s.hitRatio ?? 0)).toFixed(1)} % is below ${(100 * (t.hitRatioBelow ?? 0)).toFixed(0)} % (${s.hits} hits, ${s.misses} misses in ${s.seconds.toFixed(1)} s)`,
    }), out);
    this.step('evictions', evicting, () => ({
      kind: 'evictions', sample: s,
      message: `the server is evicting ${s.evictionsPerSec.toFixed(1)} keys/s (memory ${s.usedMemory} of ${s.maxMemory || 'unlimited'} bytes, policy ${s.evictionPolicy || 'unknown'})`,
    }), out);
    return out;
  }

  private step(kind: AlertKind, firing: boolean, make: () => Alert, out: Alert[]): void {
    const clear = this.active.get(kind);
    if (firing) {
      if (clear === undefined) out.push(make());
      this.active.set(kind, 0);
    } else if (clear !== undefined) {
      if (clear + 1 >= this.thresholds.clearAfter) this.active.delete(kind);
      else this.active.set(kind, clear + 1);
    }
  }
}
