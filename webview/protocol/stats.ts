/**
 * The live stats dashboard. The host samples and keeps the history (a bounded ring buffer); the
 * page draws it. On every "ready" the host re-sends the whole history, so the page rebuilds
 * after being hidden without losing anything.
 */
import { defineNotification, defineRequest } from './base';

/** One sample, flattened to what the charts need. Rates are per second. */
export interface StatsPoint {
  /** ms since the epoch */
  t: number;
  hitRatio: number | null;
  totalHitRatio: number | null;
  hits: number;
  misses: number;
  hitsPerSec: number;
  missesPerSec: number;
  opsPerSec: number;
  evictionsPerSec: number;
  expirationsPerSec: number;
  usedMemory: number;
  maxMemory: number;
  keys: number;
  clients: number;
  reset: boolean;
}

export interface StatsHistory {
  connection: string;
  intervalSeconds: number;
  evictionPolicy: string;
  points: StatsPoint[];
  /** Set while the connection is failing; the page shows it and keeps the old points. */
  error?: string;
}

export interface PrefixRowView { prefix: string; reads: number; misses: number; hits: number; hitRatio: number | null }

/** host -> page: the whole history (on ready, and when the connection changes). */
export const History = defineNotification<StatsHistory>('stats/history');
/** host -> page: one more sample. */
export const Append = defineNotification<StatsPoint>('stats/append');
/** host -> page: sampling failed or recovered (error undefined). */
export const Status = defineNotification<{ error?: string }>('stats/status');
/** host -> page: the result of a by-prefix measurement. */
export const Prefixes = defineNotification<{ seconds: number; rows: PrefixRowView[] }>('stats/prefixes');
/** page -> host: export the points of the last `windowSeconds` as CSV; resolves false when cancelled. */
export const ExportCsv = defineRequest<{ windowSeconds: number }, boolean>('stats/exportCsv');
/** page -> host: measure the hit ratio by prefix (the host asks for consent first). */
export const MeasurePrefixes = defineRequest<void, void>('stats/measurePrefixes');

export const WINDOWS: Array<{ label: string; seconds: number }> = [
  { label: '1 min', seconds: 60 }, { label: '5 min', seconds: 300 }, { label: '15 min', seconds: 900 }, { label: '1 h', seconds: 3600 },
];

/** CSV of points (shared so the host writes exactly what the page shows). */
export function toCsv(points: StatsPoint[]): string {
  const cols: Array<keyof StatsPoint> = ['hitRatio', 'hits', 'misses', 'hitsPerSec', 'missesPerSec', 'opsPerSec', 'evictionsPerSec', 'expirationsPerSec', 'usedMemory', 'maxMemory', 'keys', 'clients'];
  const lines = ['time,' + cols.join(',')];
  for (const p of points) {
    lines.push([new Date(p.t).toISOString(), ...cols.map((c) => {
      const v = p[c];
      return v === null ? '' : typeof v === 'number' ? String(Math.round(v * 10000) / 10000) : String(v);
    })].join(','));
  }
  return lines.join('\n') + '\n';
}
