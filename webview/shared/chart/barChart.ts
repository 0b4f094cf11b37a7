/**
 * A bar chart: one group of bars per category (a namespace, a TTL bucket, a policy), one bar per
 * series in each group, or the series stacked.
 */
import { CanvasChart, drawLegend, fitText, type ChartBox } from './canvasChart';
import { extentOf, formatNumber, linearScale, niceTicks } from './scale';
import { resolveColor, type ChartTheme } from './theme';

export interface BarSeries {
  name: string;
  values: number[];
  color?: string;
}

export interface BarChartOptions {
  label?: string;
  height?: number;
  yFormat?: (v: number) => string;
  stacked?: boolean;
}

export interface BarChartData {
  categories: string[];
  series: BarSeries[];
}

const PAD = { left: 56, right: 16, top: 8, bottom: 40 };

export class BarChart extends CanvasChart {
  private data: BarChartData = { categories: [], series: [] };
  /** The bars the last render drew, in canvas CSS pixels (for tests and hit-testing). */
  lastBars: { category: number; series: number; x: number; y: number; width: number; height: number }[] = [];

  constructor(container: HTMLElement, private readonly options: BarChartOptions = {}) {
    super(container, { height: options.height, label: options.label });
  }

  setData(data: BarChartData): void {
    this.data = data;
    this.canvas.setAttribute('aria-label', `${this.options.label ?? 'bar chart'}: ${data.categories.length} categories`);
    this.render();
  }

  protected draw(ctx: CanvasRenderingContext2D, box: ChartBox, theme: ChartTheme): void {
    const { categories, series } = this.data;
    const stacked = this.options.stacked ?? false;
    const colors = series.map((s, i) => resolveColor(s.color, theme.palette[i % theme.palette.length], this.container));
    const legendHeight = drawLegend(ctx, box, theme, series.map((s, i) => ({ name: s.name, color: colors[i] })), PAD.right);
    const plot = { left: PAD.left, top: PAD.top + legendHeight, right: box.width - PAD.right, bottom: box.height - PAD.bottom };
    this.lastBars = [];
    if (plot.right <= plot.left || plot.bottom <= plot.top || categories.length === 0) return;

    const totals = categories.map((_, c) => series.reduce((sum, s) => sum + Math.max(0, s.values[c] ?? 0), 0));
    const values = stacked ? totals : series.flatMap((s) => s.values);
    const extent = extentOf([0, ...values]) ?? { min: 0, max: 1 };
    const ticks = niceTicks(extent, Math.max(2, Math.floor((plot.bottom - plot.top) / 40)));
    const sy = linearScale({ min: ticks.min, max: ticks.max }, [plot.bottom, plot.top]);
    const yFormat = this.options.yFormat ?? formatNumber;

    ctx.lineWidth = 1;
    ctx.strokeStyle = theme.grid;
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'right';
    for (const t of ticks.ticks) {
      const y = Math.round(sy(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(plot.left, y); ctx.lineTo(plot.right, y); ctx.stroke();
      ctx.fillText(yFormat(t), plot.left - 6, y);
    }

    const groupWidth = (plot.right - plot.left) / categories.length;
    const inner = groupWidth * 0.8;
    const barWidth = stacked || series.length === 0 ? inner : inner / series.length;
    // Skip labels when they would overlap: every n-th category is labelled.
    const labelEvery = Math.max(1, Math.ceil(70 / groupWidth));
    ctx.textAlign = 'center';
    for (let c = 0; c < categories.length; c++) {
      const gx = plot.left + c * groupWidth + (groupWidth - inner) / 2;
      let base = 0;
      series.forEach((s, i) => {
        const v = Math.max(0, s.values[c] ?? 0);
        const x = stacked ? gx : gx + i * barWidth;
        const y0 = sy(base);
        const y1 = sy(stacked ? base + v : v);
        const bar = { category: c, series: i, x, y: y1, width: Math.max(1, barWidth - 1), height: y0 - y1 };
        ctx.fillStyle = colors[i];
        ctx.fillRect(bar.x, bar.y, bar.width, bar.height);
        this.lastBars.push(bar);
        if (stacked) base += v;
      });
      if (c % labelEvery === 0) {
        ctx.fillStyle = theme.foreground;
        ctx.fillText(fitText(ctx, categories[c], groupWidth * labelEvery - 4), gx + inner / 2, plot.bottom + 12);
      }
    }
    ctx.strokeStyle = theme.grid;
    ctx.beginPath(); ctx.moveTo(plot.left, Math.round(plot.bottom) + 0.5); ctx.lineTo(plot.right, Math.round(plot.bottom) + 0.5); ctx.stroke();
  }
}
