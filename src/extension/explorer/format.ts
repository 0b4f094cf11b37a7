/**
 * Short human-readable figures for tree descriptions and tooltips. Pure, so the model and its
 * tests share exactly what the tree shows.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  if (bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** "no TTL" for -1, "expired" at or below zero, otherwise the two largest units ("1h 05m"). */
export function formatTtl(remainingMs: number): string {
  if (remainingMs === -1) return 'no TTL';
  if (remainingMs <= 0) return 'expired';
  const total = Math.ceil(remainingMs / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${String(h).padStart(2, '0')}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Parses a TTL typed by a person: "90", "90s", "15m", "2h", "7d"; "none"/"-1" removes it. */
export function parseTtl(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === '-1' || t === 'persist') return -1;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(t);
  if (!m) return undefined;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's'] ?? 1000;
  const ms = Math.round(Number(m[1]) * factor);
  return ms > 0 ? ms : undefined;
}
