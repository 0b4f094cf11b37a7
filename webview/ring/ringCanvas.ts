/**
 * The ring on a canvas: node marks (one tick per virtual node) on a circle, key dots on an inner
 * track, and after an add or remove the keys that move fly out to an outer track in their new
 * owner's colour. Everything drawn comes from the host's RingView; nothing is computed here.
 */
import { CanvasChart, type ChartBox } from '../shared/chart/canvasChart';
import type { ChartTheme } from '../shared/chart';
import type { DotView, MarkView, RingView } from '../protocol/ring';

/** Long enough to follow with the eye, short enough not to wait for. */
const ANIMATION_MS = 900;

export type ColorOf = (node: string) => string;

export interface HoverHit { text: string; x: number; y: number }

export class RingCanvas extends CanvasChart {
  private view: RingView | undefined;
  private colorOf: ColorOf = () => '#888';
  /** 0 = before the change, 1 = after; in between while animating. */
  private progress = 1;
  private animation = 0;
  /** Where each dot was last drawn (CSS pixels), for hover. */
  private drawn: { x: number; y: number; dot: DotView; moved: boolean }[] = [];
  private geometry = { cx: 0, cy: 0, r: 0 };
  movedDrawn = 0;

  constructor(container: HTMLElement) {
    super(container, { height: 440, label: 'hash ring' });
  }

  setView(view: RingView, colorOf: ColorOf, animate: boolean): void {
    this.view = view;
    this.colorOf = colorOf;
    cancelAnimationFrame(this.animation);
    if (!animate || !view.movement) { this.progress = 1; this.render(); return; }
    const start = performance.now();
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / ANIMATION_MS);
      this.progress = t;
      this.render();
      if (t < 1) this.animation = requestAnimationFrame(step);
    };
    this.progress = 0;
    this.render();
    this.animation = requestAnimationFrame(step);
  }

  get animating(): boolean { return this.progress < 1; }

  /** The dot or mark under a point, as text for a tooltip. */
  hit(x: number, y: number): HoverHit | undefined {
    let best: { d: number; text: string } | undefined;
    for (const p of this.drawn) {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d < 36 && (!best || d < best.d)) {
        const v = this.view as RingView;
        const owner = p.moved && p.dot.after ? `${v.nodes[p.dot.node]} → ${(v.nodesAfter ?? [])[p.dot.after.node]}` : this.ownerName(p.dot);
        best = { d, text: `${p.dot.key}\n${owner}` };
      }
    }
    if (best) return { text: best.text, x, y };
    const { cx, cy, r } = this.geometry;
    const dist = Math.hypot(x - cx, y - cy);
    if (!this.view || Math.abs(dist - r) > 10) return undefined;
    // Near the circle: name the node that owns this arc (the next mark clockwise).
    const position = ((Math.atan2(y - cy, x - cx) + Math.PI / 2) / (2 * Math.PI) + 1) % 1;
    const { marks, names } = this.current();
    const next = marks.find((m) => m.position >= position) ?? marks[0];
    return next ? { text: names[next.node] ?? '', x, y } : undefined;
  }

  private ownerName(dot: DotView): string {
    const v = this.view as RingView;
    return dot.after && this.progress >= 1 ? (v.nodesAfter ?? [])[dot.after.node] : v.nodes[dot.node];
  }

  private current(): { marks: MarkView[]; names: string[] } {
    const v = this.view as RingView;
    return v.marksAfter && v.nodesAfter && this.progress >= 0.5 ? { marks: v.marksAfter, names: v.nodesAfter } : { marks: v.marks, names: v.nodes };
  }

  protected draw(ctx: CanvasRenderingContext2D, box: ChartBox, theme: ChartTheme): void {
    this.drawn = [];
    this.movedDrawn = 0;
    const v = this.view;
    if (!v) return;
    const r = Math.max(40, Math.min(box.width, box.height) / 2 - 40);
    const cx = box.width / 2, cy = box.height / 2;
    this.geometry = { cx, cy, r };
    const angle = (p: number) => p * 2 * Math.PI - Math.PI / 2;
    const at = (p: number, radius: number) => ({ x: cx + radius * Math.cos(angle(p)), y: cy + radius * Math.sin(angle(p)) });

    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, 2 * Math.PI);
    ctx.stroke();

    // Marks: the before ring fades out while the after ring fades in.
    const drawMarks = (marks: MarkView[], names: string[], alpha: number) => {
      if (alpha <= 0) return;
      ctx.globalAlpha = alpha;
      ctx.lineWidth = v.layout === 'sectors' ? 3 : marks.length > 2000 ? 1 : 2;
      for (const m of marks) {
        const a = at(m.position, r - 9), b = at(m.position, r + 9);
        ctx.strokeStyle = this.colorOf(names[m.node]);
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    };
    const t = this.progress;
    if (v.marksAfter && v.nodesAfter) {
      drawMarks(v.marks, v.nodes, 1 - t);
      drawMarks(v.marksAfter, v.nodesAfter, t);
    } else {
      drawMarks(v.marks, v.nodes, 1);
    }
    if (v.layout === 'sectors') {
      ctx.fillStyle = theme.muted;
      ctx.textAlign = 'center';
      ctx.fillText('no ring: keys grouped by node', cx, cy + 2 * theme.fontSize + 8);
    }

    // Keys: unmoved ones on the inner track, moved ones travel to the outer track.
    const inner = r - 22, outer = r + 20;
    const ease = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
    const movedDots: { x: number; y: number; color: string; dot: DotView }[] = [];
    for (const dot of v.dots) {
      const after = dot.after;
      const moved = after !== undefined && (v.nodesAfter ?? [])[after.node] !== v.nodes[dot.node];
      if (!moved) {
        const p = after && t >= 1 ? after.position : dot.position;
        const q = at(p, inner);
        ctx.fillStyle = this.colorOf(v.nodes[dot.node]);
        ctx.fillRect(q.x - 1.5, q.y - 1.5, 3, 3);
        this.drawn.push({ ...q, dot, moved: false });
        continue;
      }
      // Shortest way round the circle from the old position to the new one.
      let delta = (after as { position: number }).position - dot.position;
      if (delta > 0.5) delta -= 1; else if (delta < -0.5) delta += 1;
      const q = at(dot.position + delta * ease, inner + (outer - inner) * ease);
      const color = this.colorOf(ease < 0.5 ? v.nodes[dot.node] : (v.nodesAfter ?? [])[(after as { node: number }).node]);
      movedDots.push({ ...q, color, dot });
    }
    // Moved keys are drawn last and larger so they stand out from the rest.
    ctx.lineWidth = 1;
    for (const m of movedDots) {
      ctx.fillStyle = m.color;
      ctx.beginPath();
      ctx.arc(m.x, m.y, 3, 0, 2 * Math.PI);
      ctx.fill();
      ctx.strokeStyle = theme.foreground;
      ctx.stroke();
      this.drawn.push({ x: m.x, y: m.y, dot: m.dot, moved: true });
    }
    this.movedDrawn = movedDots.length;

    ctx.fillStyle = theme.foreground;
    ctx.textAlign = 'center';
    ctx.font = `600 ${theme.fontSize + 2}px ${theme.fontFamily}`;
    ctx.fillText(v.algorithm, cx, cy - 8);
    ctx.font = `${theme.fontSize}px ${theme.fontFamily}`;
    ctx.fillStyle = theme.muted;
    ctx.fillText(`${v.dots.length.toLocaleString('en-US')} of ${v.load.total.toLocaleString('en-US')} keys drawn`, cx, cy + 10);
  }
}
