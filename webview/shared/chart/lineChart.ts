/**
 * A line chart with several series and guide lines (a target hit ratio, a memory limit, "now").
 * Each series is downsampled to the pixel columns it covers, so 10,000 points per series draw
 * as fast as 2,000 and look identical.
 */
import { CanvasChart, drawLegend, type ChartBox } from './canvasChart';
import { downsampleForPixels, extentOf, formatNumber, linearScale, niceTicks, type Extent } from './scale';
import { resolveColor, type ChartTheme } from './theme';

export interface LineSeries {
  name: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** A CSS color or a theme variable name such as `--vscode-charts-red`; default: the palette. */
  color?: string;
  dashed?: boolean;
}

export interface GuideLine {
  axis: 'x' | 'y';
  value: number;
  label?: string;
  color?: string;
}

export interface LineChartOptions {
  label?: string;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** Fixed y bounds (e.g. 0 and 1 for a ratio); otherwise from the data and guides. */
  yMin?: number;
  yMax?: number;
}

export interface LineChartData {
  series: LineSeries[];
  guides?: GuideLine[];
}

const PAD = { left: 56, right: 16, top: 8, bottom: 36 };

export class LineChart extends CanvasChart {
  private data: LineChartData = { series: [] };
  /** How many points the last render drew, per series, after downsampling (for tests). */
  lastDrawnPoints: number[] = [];

  constructor(container: HTMLElement, private readonly options: LineChartOptions = {}) {
    super(container, { height: options.height, label: options.label });
  }

  setData(data: LineChartData): void {
    this.data = data;
    const total = data.series.reduce((n, s) => n + s.xs.length, 0);
    this.canvas.setAttribute('aria-label', `${this.options.label ?? 'line chart'}: ${data.series.length} series, ${total} points`);
    this.render();
  }

  protected draw(ctx: CanvasRenderingContext2D, box: ChartBox, theme: ChartTheme): void {
    const { series, guides = [] } = this.data;
    const colors = series.map((s, i) => resolveColor(s.color, theme.palette[i % theme.palette.length], this.container));
    const legendHeight = drawLegend(ctx, box, theme, series.map((s, i) => ({ name: s.name, color: colors[i] })), PAD.right);
    const plot = { left: PAD.left, top: PAD.top + legendHeight, right: box.width - PAD.right, bottom: box.height - PAD.bottom };
    if (plot.right <= plot.left || plot.bottom <= plot.top) return;

    let xExtent: Extent | undefined;
    let yExtent: Extent | undefined;
    for (const s of series) {
      xExtent = extentOf(s.xs, xExtent) ?? xExtent;
      yExtent = extentOf(s.ys, yExtent) ?? yExtent;
    }
    for (const g of guides) {
      if (g.axis === 'x') xExtent = extentOf([g.value], xExtent);
      else yExtent = extentOf([g.value], yExtent);
    }
    if (this.options.yMin !== undefined) yExtent = { min: this.options.yMin, max: Math.max(yExtent?.max ?? this.options.yMin, this.options.yMin) };
    if (this.options.yMax !== undefined) yExtent = { min: Math.min(yExtent?.min ?? this.options.yMax, this.options.yMax), max: this.options.yMax };
    xExtent ??= { min: 0, max: 1 };
    yExtent ??= { min: 0, max: 1 };
    const yTicks = niceTicks(yExtent, Math.max(2, Math.floor((plot.bottom - plot.top) / 40)));
    const yDomain = {
      min: this.options.yMin ?? yTicks.min,
      max: this.options.yMax ?? yTicks.max,
    };
    const xTicks = niceTicks(xExtent, Math.max(2, Math.floor((plot.right - plot.left) / 90)));
    const xDomain = xExtent.min === xExtent.max ? { min: xTicks.min, max: xTicks.max } : xExtent;
    const sx = linearScale(xDomain, [plot.left, plot.right]);
    const sy = linearScale(yDomain, [plot.bottom, plot.top]);
    const xFormat = this.options.xFormat ?? formatNumber;
    const yFormat = this.options.yFormat ?? formatNumber;

    // Grid and axis labels.
    ctx.lineWidth = 1;
    ctx.strokeStyle = theme.grid;
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'right';
    for (const t of yTicks.ticks) {
      if (t < yDomain.min || t > yDomain.max) continue;
      const y = Math.round(sy(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(plot.left, y); ctx.lineTo(plot.right, y); ctx.stroke();
      ctx.fillText(yFormat(t), plot.left - 6, y);
    }
    ctx.textAlign = 'center';
    for (const t of xTicks.ticks) {
      if (t < xDomain.min || t > xDomain.max) continue;
      const x = Math.round(sx(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, plot.bottom); ctx.lineTo(x, plot.bottom + 4); ctx.stroke();
      ctx.fillText(xFormat(t), x, plot.bottom + 12);
    }
    if (this.options.xLabel) ctx.fillText(this.options.xLabel, (plot.left + plot.right) / 2, box.height - 8);
    if (this.options.yLabel) {
      ctx.save();
      ctx.translate(12, (plot.top + plot.bottom) / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(this.options.yLabel, 0, 0);
      ctx.restore();
    }

    // Series, clipped to the plot area so fixed y bounds cut lines cleanly.
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
    ctx.clip();
    ctx.lineWidth = 1.5;
    ctx.lineJoin = 'round';
    this.lastDrawnPoints = series.map((s, i) => {
      const pts = downsampleForPixels(s.xs, s.ys, sx);
      ctx.strokeStyle = colors[i];
      ctx.setLineDash(s.dashed ? [5, 4] : []);
      ctx.beginPath();
      for (let j = 0; j < pts.xs.length; j++) {
        const x = sx(pts.xs[j]);
        const y = sy(pts.ys[j]);
        if (j === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      if (pts.xs.length === 1) ctx.arc(sx(pts.xs[0]), sy(pts.ys[0]), 2, 0, Math.PI * 2);
      ctx.stroke();
      return pts.xs.length;
    });
    ctx.restore();

    // Guides over the series, dashed, labelled at their end.
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 4]);
    for (const g of guides) {
      const color = resolveColor(g.color, theme.muted, this.container);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.beginPath();
      if (g.axis === 'y') {
        const y = Math.round(sy(g.value)) + 0.5;
        ctx.moveTo(plot.left, y); ctx.lineTo(plot.right, y); ctx.stroke();
        if (g.label) { ctx.textAlign = 'right'; ctx.fillText(g.label, plot.right - 4, y - theme.fontSize / 2 - 2); }
      } else {
        const x = Math.round(sx(g.value)) + 0.5;
        ctx.moveTo(x, plot.top); ctx.lineTo(x, plot.bottom); ctx.stroke();
        if (g.label) { ctx.textAlign = 'left'; ctx.fillText(g.label, x + 4, plot.top + theme.fontSize / 2 + 2); }
      }
    }
    ctx.setLineDash([]);
    ctx.strokeStyle = theme.grid;
    ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.right - plot.left - 1, plot.bottom - plot.top - 1);
  }
}
