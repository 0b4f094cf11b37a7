/** Number formatting shared by the CLI's text output. */

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** 0.9534 -> "95.3 %"; null (no reads) -> "n/a". */
export function formatRatio(r: number | null): string {
  return r === null ? 'n/a' : `${(r * 100).toFixed(1)} %`;
}

/** The chapter's thresholds: good above 80 %, excellent above 95 %. */
export function ratioLabel(r: number | null): string {
  if (r === null) return '(no reads)';
  if (r > 0.95) return '(excellent)';
  if (r > 0.8) return '(good)';
  return '(poor: below 80 %)';
}
