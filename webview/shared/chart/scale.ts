/**
 * The arithmetic of the charts: extents, "nice" ticks, number formatting and per-pixel
 * downsampling. No DOM here, so plain unit tests cover it.
 */

export interface Extent { min: number; max: number }

/** Min and max of the finite values; undefined when there are none. */
export function extentOf(values: ArrayLike<number>, into?: Extent): Extent | undefined {
  let min = into?.min ?? Infinity;
  let max = into?.max ?? -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : undefined;
}

/** Widens a zero-width extent so a flat series still gets an axis. */
export function padExtent(e: Extent): Extent {
  if (e.min !== e.max) return e;
  const d = e.min === 0 ? 1 : Math.abs(e.min) * 0.1;
  return { min: e.min - d, max: e.max + d };
}

/** Ticks at 1, 2 or 5 times a power of ten, about `count` of them, covering the extent. */
export function niceTicks(e: Extent, count = 5): { ticks: number[]; step: number; min: number; max: number } {
  const { min, max } = padExtent(e);
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const unit = raw / power;
  const step = (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // Rounding to the step's precision keeps 0.30000000000000004 out of the labels.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toFixed(Math.min(20, digits))));
  return { ticks, step, min: lo, max: hi };
}

/** Maps a domain to a pixel range. */
export function linearScale(domain: Extent, range: [number, number]): (v: number) => number {
  const span = domain.max - domain.min || 1;
  const k = (range[1] - range[0]) / span;
  return (v) => range[0] + (v - domain.min) * k;
}

/** 1234 -> "1.23k", 0.5 -> "0.5", 1e9 -> "1G": short labels for axes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [n, suffix] of units) {
    if (a >= n) return `${trim(v / n)}${suffix}`;
  }
  return trim(v);
}

/** 1536 -> "1.5 KiB": for byte axes. */
export function formatBytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let n = v;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${trim(n)} ${units[i]}`;
}

function trim(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/**
 * Reduces a series to at most four points per pixel column (first, min, max, last), which draws
 * exactly the same line as all the points: 10,000 points on a 600 px chart become at most 2,400
 * and peaks are never lost. Points must be sorted by x.
 */
export function downsampleForPixels(
  xs: ArrayLike<number>, ys: ArrayLike<number>, xToPixel: (x: number) => number,
): { xs: number[]; ys: number[] } {
  const outX: number[] = [];
  const outY: number[] = [];
  let column = NaN;
  let firstI = -1, minI = -1, maxI = -1, lastI = -1;
  const flush = () => {
    if (firstI < 0) return;
    const picked = [...new Set([firstI, minI, maxI, lastI])].sort((a, b) => a - b);
    for (const i of picked) { outX.push(xs[i]); outY.push(ys[i]); }
  };
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y) || !Number.isFinite(xs[i])) continue;
    const c = Math.floor(xToPixel(xs[i]));
    if (c !== column) {
      flush();
      column = c;
      firstI = minI = maxI = lastI = i;
      continue;
    }
    if (y < ys[minI]) minI = i;
    if (y > ys[maxI]) maxI = i;
    lastI = i;
  }
  flush();
  return { xs: outX, ys: outY };
}
