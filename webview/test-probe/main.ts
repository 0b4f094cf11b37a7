/**
 * A page that exercises the shared webview pieces so the VS Code tests can check them in a real
 * workbench. It is bundled only by the test runner (scripts/build.mjs skips `test-*` folders).
 */
import '../shared/elements';
import { BarChart, LineChart, readTheme } from '../shared/chart';
import { escapeHtml } from '../shared/escapeHtml';
import { connectToHost, initialState } from '../shared/vscodeApi';
import { Echo, Facts, Hello } from '../protocol/test-probe';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));

const state = initialState<{ title: string }>();
const root = document.getElementById('root') as HTMLElement;
root.innerHTML = `
  <h1 id="heading">${escapeHtml(state?.title ?? 'no initial state')}</h1>
  <div class="row">
    <vscode-button id="export" icon="device-camera">Export PNG</vscode-button>
    <vscode-badge>20,000 points</vscode-badge>
  </div>
  <h2>Hit ratio</h2><div id="line" class="chart"></div>
  <h2>Memory by namespace</h2><div id="bar" class="chart"></div>`;

const N = 10_000;
const xs = Float64Array.from({ length: N }, (_, i) => i * 100);
const lru = Float64Array.from(xs, (x, i) => 0.62 + 0.25 * (1 - Math.exp(-i / 1500)) + 0.03 * Math.sin(i / 40));
const lfu = Float64Array.from(xs, (x, i) => 0.55 + 0.35 * (1 - Math.exp(-i / 2500)) + 0.02 * Math.cos(i / 55));
const line = new LineChart(document.getElementById('line') as HTMLElement, {
  label: 'hit ratio', yMin: 0.5, yMax: 1, xLabel: 'requests', yFormat: (v) => `${Math.round(v * 100)}%`,
});
const started = performance.now();
line.setData({
  series: [{ name: 'LRU', xs, ys: lru }, { name: 'LFU', xs, ys: lfu }],
  guides: [{ axis: 'y', value: 0.9, label: 'target 90%', color: '--vscode-charts-red' }, { axis: 'x', value: 500_000, label: 'warm' }],
});
const renderMs = performance.now() - started;
const bar = new BarChart(document.getElementById('bar') as HTMLElement, { label: 'memory by namespace', stacked: false });
bar.setData({
  categories: ['user:', 'session:', 'product:', 'cart:', 'tag:'],
  series: [{ name: 'keys', values: [1200, 800, 450, 300, 40] }, { name: 'expiring', values: [100, 800, 0, 300, 0] }],
});

function coloredPixels(canvas: HTMLCanvasElement): number {
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const [r0, g0, b0] = [data[0], data[1], data[2]];
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - r0) + Math.abs(data[i + 1] - g0) + Math.abs(data[i + 2] - b0) > 60) n++;
  }
  return n;
}

const host = connectToHost();
const hellos: string[] = [];
host.onNotification(Hello, ({ text }) => hellos.push(text));
host.onRequest(Facts, async () => {
  await customElements.whenDefined('vscode-button');
  await document.fonts.load('16px codicon');
  const png = line.toPng();
  return {
    hellos,
    initialTitle: state?.title ?? null,
    headingHtml: (document.getElementById('heading') as HTMLElement).innerHTML,
    cspViolations: violations,
    definedElements: ['vscode-button', 'vscode-badge', 'vscode-icon', 'vscode-table', 'vscode-progress-bar'].filter((t) => customElements.get(t)),
    buttonRendered: (document.querySelector('vscode-button')?.shadowRoot?.childElementCount ?? 0) > 0,
    codiconFontLoaded: document.fonts.check('16px codicon'),
    themeForeground: readTheme().foreground,
    echo: await host.request(Echo, { text: 'ping' }),
    line: {
      canvasWidth: line.canvas.width, cssWidth: line.canvas.clientWidth, devicePixelRatio: window.devicePixelRatio,
      drawnPoints: line.lastDrawnPoints, inputPoints: 2 * N, renderMs, coloredPixels: coloredPixels(line.canvas),
    },
    bar: { bars: bar.lastBars.length },
    pngPrefix: png.slice(0, 22),
    pngBytes: Math.floor((png.length - 22) * 3 / 4),
  };
});
(document.getElementById('export') as HTMLElement).addEventListener('click', () => host.request(Echo, { text: 'export' }));
host.ready();
