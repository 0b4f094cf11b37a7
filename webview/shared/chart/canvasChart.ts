/**
 * What every chart shares: a canvas sized for the device pixel ratio (sharp on HiDPI), redrawn
 * when its box resizes or the theme changes, and exported as PNG.
 */
import { readTheme, type ChartTheme } from './theme';

export interface ChartBox { width: number; height: number }

export abstract class CanvasChart {
  readonly canvas: HTMLCanvasElement;
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;
  private frame = 0;

  constructor(readonly container: HTMLElement, options: { height?: number; label?: string } = {}) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'cachelens-chart';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', options.label ?? 'chart');
    this.canvas.style.display = 'block';
    this.canvas.style.width = '100%';
    this.canvas.style.height = `${options.height ?? 240}px`;
    container.appendChild(this.canvas);
    this.resizeObserver = new ResizeObserver(() => this.scheduleRender());
    this.resizeObserver.observe(this.canvas);
    // VS Code swaps the body's theme class (vscode-light, vscode-dark, ...) on a theme change.
    this.themeObserver = new MutationObserver(() => this.scheduleRender());
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  }

  /** Draws now, synchronously; tests and PNG export rely on this. */
  render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const ratio = window.devicePixelRatio || 1;
    const rect = this.canvas.getBoundingClientRect();
    const box = { width: Math.max(1, Math.round(rect.width)), height: Math.max(1, Math.round(rect.height)) };
    const pixelWidth = Math.round(box.width * ratio);
    const pixelHeight = Math.round(box.height * ratio);
    if (this.canvas.width !== pixelWidth) this.canvas.width = pixelWidth;
    if (this.canvas.height !== pixelHeight) this.canvas.height = pixelHeight;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const theme = readTheme(this.container);
    // An opaque background keeps the exported PNG readable outside the editor.
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, box.width, box.height);
    ctx.font = `${theme.fontSize}px ${theme.fontFamily}`;
    ctx.textBaseline = 'middle';
    this.draw(ctx, box, theme);
  }

  /** The chart as a PNG data URL at device resolution, e.g. for a "Save as PNG" button. */
  toPng(): string {
    this.render();
    return this.canvas.toDataURL('image/png');
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.canvas.remove();
  }

  protected scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  protected abstract draw(ctx: CanvasRenderingContext2D, box: ChartBox, theme: ChartTheme): void;
}

/** Draws a legend row (swatch + name) right-aligned at the top; returns its height. */
export function drawLegend(ctx: CanvasRenderingContext2D, box: ChartBox, theme: ChartTheme, items: { name: string; color: string }[], right: number): number {
  if (items.length < 2) return 0;
  const h = theme.fontSize + 6;
  let x = box.width - right;
  ctx.textAlign = 'right';
  for (let i = items.length - 1; i >= 0; i--) {
    const { name, color } = items[i];
    ctx.fillStyle = theme.foreground;
    ctx.fillText(name, x, h / 2);
    x -= ctx.measureText(name).width + 6;
    ctx.fillStyle = color;
    ctx.fillRect(x - 10, h / 2 - 4, 10, 8);
    x -= 24;
  }
  return h;
}

/** Truncates `text` with an ellipsis to fit `maxWidth` pixels. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= maxWidth) lo = mid; else hi = mid - 1;
  }
  return lo === 0 ? '' : text.slice(0, lo) + '…';
}
