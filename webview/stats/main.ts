/**
 * The live stats dashboard: hit ratio with the 80 % and 95 % guides, hits and misses per
 * second, ops/s, memory against maxmemory, evictions and expirations; windows of 1 min to 1 h,
 * pause, CSV export, and the by-prefix table. The window and pause survive hiding the tab
 * (page state); the samples come back from the host on every "ready".
 */
import '../shared/elements';
import './stats.css';
import { LineChart, formatBytes, formatNumber } from '../shared/chart';
import { connectToHost, vscodeApi } from '../shared/vscodeApi';
import { Append, ExportCsv, History, MeasurePrefixes, Prefixes, Status, WINDOWS, type PrefixRowView, type StatsHistory, type StatsPoint } from '../protocol/stats';

interface PageState { windowSeconds: number; paused: boolean }
const api = vscodeApi<PageState>();
const state: PageState = api.getState() ?? { windowSeconds: 300, paused: false };

const root = document.getElementById('root') as HTMLElement;
root.innerHTML = `
  <h1 id="title">Live stats</h1>
  <div class="row">
    <span class="big" id="ratio">–</span>
    <span id="verdict" class="muted"></span>
    <span id="rates" class="muted"></span>
  </div>
  <div class="row">
    <vscode-single-select id="window" aria-label="time window"></vscode-single-select>
    <vscode-button id="pause" secondary icon="debug-pause">Pause</vscode-button>
    <vscode-button id="csv" secondary icon="save">Export CSV</vscode-button>
    <vscode-button id="prefixes" secondary icon="symbol-key">Hit ratio by prefix…</vscode-button>
  </div>
  <p id="error" class="error" hidden></p>
  <h2>Hit ratio</h2><div id="ratio-chart" class="chart"></div>
  <h2>Hits and misses per second</h2><div id="hm-chart" class="chart"></div>
  <h2>Operations per second</h2><div id="ops-chart" class="chart"></div>
  <h2>Memory</h2><div id="mem-chart" class="chart"></div>
  <h2>Evictions and expirations per second</h2><div id="ev-chart" class="chart"></div>
  <section id="prefix-section" hidden>
    <h2>Hit ratio by prefix</h2>
    <p id="prefix-note" class="muted"></p>
    <table id="prefix-table" class="mono"><thead><tr><th>prefix</th><th>reads</th><th>hits</th><th>misses</th><th>hit ratio</th></tr></thead><tbody></tbody></table>
  </section>`;

const el = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const pct = (v: number) => `${Math.round(v * 100)}%`;
const timeFmt = (v: number) => new Date(v).toLocaleTimeString();
const charts = {
  ratio: new LineChart(el('ratio-chart'), { label: 'hit ratio over time', yMin: 0, yMax: 1, yFormat: pct, xFormat: timeFmt, height: 200 }),
  hm: new LineChart(el('hm-chart'), { label: 'hits and misses per second', yMin: 0, xFormat: timeFmt, yFormat: formatNumber, height: 180 }),
  ops: new LineChart(el('ops-chart'), { label: 'operations per second', yMin: 0, xFormat: timeFmt, yFormat: formatNumber, height: 160 }),
  mem: new LineChart(el('mem-chart'), { label: 'memory used', yMin: 0, xFormat: timeFmt, yFormat: formatBytes, height: 160 }),
  ev: new LineChart(el('ev-chart'), { label: 'evictions and expirations per second', yMin: 0, xFormat: timeFmt, yFormat: formatNumber, height: 160 }),
};

let history: StatsHistory = { connection: '', intervalSeconds: 1, evictionPolicy: '', points: [] };
/** Points are kept up to the largest window; the host keeps the truth. */
const MAX_POINTS = 3600 * 10;

const select = el<HTMLElement & { value: string }>('window');
for (const w of WINDOWS) {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', String(w.seconds));
  o.textContent = w.label;
  if (w.seconds === state.windowSeconds) o.setAttribute('selected', '');
  select.appendChild(o);
}
select.addEventListener('change', () => { state.windowSeconds = Number(select.value) || 300; save(); draw(); });
el('pause').addEventListener('click', () => { state.paused = !state.paused; save(); syncPause(); draw(); });
el('csv').addEventListener('click', () => { void host.request(ExportCsv, { windowSeconds: state.windowSeconds }); });
el('prefixes').addEventListener('click', () => { void host.request(MeasurePrefixes); });

function save(): void { api.setState(state); }
function syncPause(): void {
  const b = el('pause');
  b.textContent = state.paused ? 'Resume' : 'Pause';
  b.setAttribute('icon', state.paused ? 'debug-start' : 'debug-pause');
}

function windowed(): StatsPoint[] {
  const pts = history.points;
  if (!pts.length) return pts;
  const end = pts[pts.length - 1].t;
  const from = end - state.windowSeconds * 1000;
  let i = pts.length;
  while (i > 0 && pts[i - 1].t >= from) i--;
  return pts.slice(i);
}

function draw(): void {
  // Observable state for people who inspect the page and for the tests.
  document.body.dataset.points = String(history.points.length);
  document.body.dataset.window = String(state.windowSeconds);
  if (state.paused) return;
  const pts = windowed();
  const xs = pts.map((p) => p.t);
  // A null ratio (no reads in the interval) is a gap, not a zero.
  const ratioPts = pts.filter((p) => p.hitRatio !== null);
  charts.ratio.setData({
    series: [
      { name: 'hit ratio', xs: ratioPts.map((p) => p.t), ys: ratioPts.map((p) => p.hitRatio as number), color: '--vscode-charts-blue' },
      { name: 'since start', xs: pts.filter((p) => p.totalHitRatio !== null).map((p) => p.t), ys: pts.filter((p) => p.totalHitRatio !== null).map((p) => p.totalHitRatio as number), color: '--vscode-charts-purple', dashed: true },
    ],
    guides: [{ axis: 'y', value: 0.8, label: 'good 80%', color: '--vscode-charts-yellow' }, { axis: 'y', value: 0.95, label: 'excellent 95%', color: '--vscode-charts-green' }],
  });
  charts.hm.setData({ series: [
    { name: 'hits/s', xs, ys: pts.map((p) => p.hitsPerSec), color: '--vscode-charts-green' },
    { name: 'misses/s', xs, ys: pts.map((p) => p.missesPerSec), color: '--vscode-charts-red' },
  ] });
  charts.ops.setData({ series: [{ name: 'ops/s', xs, ys: pts.map((p) => p.opsPerSec) }] });
  const max = pts.length ? pts[pts.length - 1].maxMemory : 0;
  charts.mem.setData({
    series: [{ name: 'used', xs, ys: pts.map((p) => p.usedMemory), color: '--vscode-charts-orange' }],
    guides: max > 0 ? [{ axis: 'y', value: max, label: `maxmemory ${formatBytes(max)}`, color: '--vscode-charts-red' }] : [],
  });
  charts.ev.setData({ series: [
    { name: 'evictions/s', xs, ys: pts.map((p) => p.evictionsPerSec), color: '--vscode-charts-red' },
    { name: 'expirations/s', xs, ys: pts.map((p) => p.expirationsPerSec), color: '--vscode-charts-yellow' },
  ] });
  const last = pts[pts.length - 1];
  const ratio = last?.hitRatio ?? null;
  el('ratio').textContent = ratio === null ? 'no reads' : `${(ratio * 100).toFixed(1)} %`;
  el('ratio').className = 'big ' + (ratio === null ? '' : ratio > 0.95 ? 'excellent' : ratio > 0.8 ? 'good' : 'poor');
  el('verdict').textContent = ratio === null ? '' : ratio > 0.95 ? 'excellent' : ratio > 0.8 ? 'good' : 'below 80 %';
  el('rates').textContent = last ? `${formatNumber(last.hitsPerSec)} hits/s · ${formatNumber(last.missesPerSec)} misses/s · ${formatNumber(last.opsPerSec)} ops/s · ${last.keys} keys` : '';
}

function showPrefixes(seconds: number, rows: PrefixRowView[]): void {
  el('prefix-section').hidden = false;
  el('prefix-note').textContent = `measured for ${seconds.toFixed(1)} s; ${rows.length} prefixes`;
  const body = el('prefix-table').querySelector('tbody') as HTMLElement;
  body.replaceChildren(...rows.map((r) => {
    const tr = document.createElement('tr');
    // Prefixes are key names from the server: text nodes only, never markup.
    for (const v of [r.prefix, String(r.reads), String(r.hits), String(r.misses), r.hitRatio === null ? 'n/a' : `${(r.hitRatio * 100).toFixed(1)} %`]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    return tr;
  }));
}

const host = connectToHost();
host.onNotification(History, (h) => {
  history = { ...h, points: h.points.slice(-MAX_POINTS) };
  el('title').textContent = `Live stats: ${h.connection}`;
  el('error').hidden = !h.error;
  el('error').textContent = h.error ?? '';
  draw();
});
host.onNotification(Append, (p) => {
  history.points.push(p);
  if (history.points.length > MAX_POINTS) history.points.splice(0, history.points.length - MAX_POINTS);
  el('error').hidden = true;
  draw();
});
host.onNotification(Status, ({ error }) => { el('error').hidden = !error; el('error').textContent = error ?? ''; });
host.onNotification(Prefixes, ({ seconds, rows }) => showPrefixes(seconds, rows));
syncPause();
host.ready();
