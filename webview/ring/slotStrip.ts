/**
 * The 16384 Redis Cluster slots as a strip: one pixel column per slot range, coloured by the
 * owning master, with keys per slot as a darker bar below and the searched slot marked.
 */
import { CanvasChart, type ChartBox } from '../shared/chart/canvasChart';
import type { ChartTheme } from '../shared/chart';
import type { ClusterView } from '../protocol/ring';

const SLOTS = 16384;
const STRIP = 28;
const DENSITY = 40;

export class SlotStrip extends CanvasChart {
  private cluster: ClusterView | undefined;
  private colorOf: (node: string) => string = () => '#888';
  private marked: number | undefined;
  /** Distinct owners the last render coloured (for the legend and tests). */
  ownersDrawn = 0;

  constructor(container: HTMLElement) {
    super(container, { height: STRIP + DENSITY + 34, label: 'cluster slots by master' });
  }

  setCluster(cluster: ClusterView, colorOf: (node: string) => string): void {
    this.cluster = cluster;
    this.colorOf = colorOf;
    this.marked = undefined;
    this.render();
  }

  mark(slot: number | undefined): void {
    this.marked = slot;
    this.render();
  }

  /** The slot under an x coordinate. */
  slotAt(x: number): number {
    const width = this.canvas.getBoundingClientRect().width;
    return Math.max(0, Math.min(SLOTS - 1, Math.floor((x / width) * SLOTS)));
  }

  protected draw(ctx: CanvasRenderingContext2D, box: ChartBox, theme: ChartTheme): void {
    const c = this.cluster;
    this.ownersDrawn = 0;
    if (!c) return;
    const w = box.width;
    const x = (slot: number) => (slot / SLOTS) * w;
    const owners = new Set<number>();
    for (const range of c.ranges) {
      const x0 = Math.floor(x(range.start)), x1 = Math.max(x0 + 1, Math.floor(x(range.end + 1)));
      ctx.fillStyle = range.owner === -1 ? theme.grid : this.colorOf(c.masters[range.owner].node);
      if (range.owner !== -1) owners.add(range.owner);
      ctx.fillRect(x0, 0, x1 - x0, STRIP);
    }
    this.ownersDrawn = owners.size;

    // Keys per pixel column: many slots share a column, so sum them. A log scale keeps the
    // ordinary columns visible next to a hash-tag hot spot that is a hundred times taller.
    const columns = Math.max(1, Math.floor(w));
    const sums = new Float64Array(columns);
    for (let s = 0; s < SLOTS; s++) sums[Math.min(columns - 1, Math.floor((s / SLOTS) * columns))] += c.keysPerSlot[s] ?? 0;
    const max = Math.log1p(Math.max(1, ...sums));
    ctx.fillStyle = theme.foreground;
    ctx.globalAlpha = 0.55;
    for (let i = 0; i < columns; i++) {
      if (!sums[i]) continue;
      const h = Math.max(1, (Math.log1p(sums[i]) / max) * DENSITY);
      ctx.fillRect(i, STRIP + 4 + DENSITY - h, 1, h);
    }
    ctx.globalAlpha = 1;

    ctx.fillStyle = theme.muted;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText('slot 0', 0, STRIP + DENSITY + 8);
    ctx.textAlign = 'right';
    ctx.fillText('16383', w, STRIP + DENSITY + 8);
    ctx.textAlign = 'center';
    ctx.fillText('keys per slot (sampled, log scale)', w / 2, STRIP + DENSITY + 8);

    if (this.marked !== undefined) {
      const mx = Math.floor(x(this.marked + 0.5)) + 0.5;
      ctx.strokeStyle = theme.foreground;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(mx, 0);
      ctx.lineTo(mx, STRIP + DENSITY + 4);
      ctx.stroke();
      ctx.fillStyle = theme.foreground;
      ctx.beginPath();
      ctx.moveTo(mx - 5, 0);
      ctx.lineTo(mx + 5, 0);
      ctx.lineTo(mx, 7);
      ctx.fill();
    }
  }
}
