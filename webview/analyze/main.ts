/**
 * The analyze report: totals, bytes per namespace, the type breakdown and the TTL histogram
 * as charts, and a namespace table. Every key prefix reaches the DOM as text (textContent of
 * created elements), never as markup: key names are data written by anyone.
 */
import '../shared/elements';
import './analyze.css';
import { BarChart, formatBytes } from '../shared/chart';
import { connectToHost } from '../shared/vscodeApi';
import { Cancel, Failed, Progress, Rerun, Result, Started, type AnalyzeNamespaceView, type AnalyzeView } from '../protocol/analyze';

const TOP = 20;

const root = document.getElementById('root') as HTMLElement;
root.innerHTML = `
  <h1 id="title">Analyze</h1>
  <div class="row">
    <span id="summary" class="muted"></span>
    <vscode-button id="rerun" icon="refresh" secondary>Run again</vscode-button>
    <vscode-button id="cancel" icon="debug-stop" secondary hidden>Cancel</vscode-button>
  </div>
  <vscode-progress-bar id="progress" hidden></vscode-progress-bar>
  <p id="status" class="muted"></p>
  <section id="report" hidden>
    <div class="totals">
      <div class="figure"><span id="total-keys" class="value"></span><span class="name">keys</span></div>
      <div class="figure"><span id="total-bytes" class="value"></span><span class="name">memory</span></div>
      <div class="figure"><span id="total-namespaces" class="value"></span><span class="name">top-level namespaces</span></div>
      <div class="figure"><span id="total-ttl" class="value"></span><span class="name">keys with a TTL</span></div>
    </div>
    <div class="charts">
      <div class="wide"><h2>Memory by namespace (top ${TOP})</h2><div id="bytes-chart" class="chart"></div></div>
      <div><h2>Key types</h2><div id="types-chart" class="chart"></div></div>
      <div><h2>TTL histogram</h2><div id="ttl-chart" class="chart"></div></div>
    </div>
    <h2>Namespaces</h2>
    <div class="table-wrap">
      <table id="namespaces" class="namespaces mono">
        <thead><tr><th>namespace</th><th>keys</th><th>memory</th><th class="types">types</th><th>with TTL</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>`;

const el = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const bytesChart = new BarChart(el('bytes-chart'), { label: 'memory by namespace', yFormat: axisBytes, height: 260 });
const typesChart = new BarChart(el('types-chart'), { label: 'keys by type', height: 200 });
const ttlChart = new BarChart(el('ttl-chart'), { label: 'keys by remaining TTL', height: 200 });

const host = connectToHost();

/** Byte counts short enough for the chart's axis gutter ("7.8K" rather than "7.81 KiB"). */
function axisBytes(v: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 || Math.abs(v) >= 10 ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}

function setRunning(running: boolean): void {
  el('progress').hidden = !running;
  el('cancel').hidden = !running;
  el('rerun').toggleAttribute('disabled', running);
}

host.onNotification(Started, ({ connection, scope }) => {
  el('title').textContent = `Analyze: ${connection}`;
  el('summary').textContent = scope;
  el('status').textContent = 'Scanning…';
  el('status').classList.remove('error');
  setRunning(true);
});

host.onNotification(Progress, ({ keys, bytes }) => {
  el('status').textContent = `Scanned ${keys.toLocaleString('en-US')} keys, ${formatBytes(bytes)} so far…`;
});

host.onNotification(Failed, ({ message }) => {
  setRunning(false);
  el('status').textContent = message;
  el('status').classList.add('error');
});

host.onNotification(Result, (view) => render(view));

function render(view: AnalyzeView): void {
  setRunning(false);
  el('title').textContent = `Analyze: ${view.connection}`;
  el('summary').textContent = `${view.scope} · ${view.keys.toLocaleString('en-US')} keys · ${formatBytes(view.bytes)} · ${(view.durationMs / 1000).toFixed(1)} s`;
  el('status').textContent = view.complete ? '' : 'The listing may be partial (this server only offers stats cachedump).';
  el('status').classList.remove('error');
  el('report').hidden = false;
  el('total-keys').textContent = view.keys.toLocaleString('en-US');
  el('total-bytes').textContent = formatBytes(view.bytes);
  el('total-namespaces').textContent = view.namespaces.length.toLocaleString('en-US');
  el('total-ttl').textContent = view.ttl.slice(1).reduce((a, b) => a + b, 0).toLocaleString('en-US');

  const top = [...view.namespaces].sort((a, b) => b.bytes - a.bytes).slice(0, TOP);
  bytesChart.setData({ categories: top.map((n) => n.prefix), series: [{ name: 'bytes', values: top.map((n) => n.bytes) }] });
  const types = Object.entries(view.types).sort((a, b) => b[1] - a[1]);
  typesChart.setData({ categories: types.map(([t]) => t), series: [{ name: 'keys', values: types.map(([, n]) => n) }] });
  ttlChart.setData({ categories: view.ttlBuckets, series: [{ name: 'keys', values: view.ttl }] });

  const body = el('namespaces').querySelector('tbody') as HTMLElement;
  body.replaceChildren(...flatten(view.namespaces, 0).map((r) => ('other' in r ? otherRow(r) : row(r, view.bytes))));
}

type Row = { ns: AnalyzeNamespaceView; depth: number } | { other: NonNullable<AnalyzeNamespaceView['other']>; depth: number };

function flatten(list: AnalyzeNamespaceView[], depth: number): Row[] {
  return list.flatMap((ns): Row[] => [
    { ns, depth },
    ...flatten(ns.children, depth + 1),
    ...(ns.other ? [{ other: ns.other, depth: depth + 1 }] : []),
  ]);
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function row({ ns, depth }: { ns: AnalyzeNamespaceView; depth: number }, totalBytes: number): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = `namespace depth-${Math.min(depth, 9)}`;
  const withTtl = ns.ttl.slice(1).reduce((a, b) => a + b, 0);
  // textContent: a prefix such as `<img src=x onerror=...>:` must show as the text it is.
  const name = cell(ns.prefix, 'prefix');
  name.style.paddingLeft = `${12 + depth * 18}px`;
  const memory = cell(formatBytes(ns.bytes), 'memory');
  const share = document.createElement('span');
  share.className = 'share';
  const fill = document.createElement('span');
  fill.style.width = `${totalBytes > 0 ? Math.max(1, Math.round((ns.bytes / totalBytes) * 100)) : 0}%`;
  share.append(fill);
  share.title = totalBytes > 0 ? `${((ns.bytes / totalBytes) * 100).toFixed(1)}% of all memory` : '';
  memory.append(share);
  const types = cell('', 'types');
  for (const [t, n] of Object.entries(ns.types).sort((a, b) => b[1] - a[1])) {
    const badge = document.createElement('span');
    badge.className = 'type-badge';
    badge.textContent = `${t} ${n.toLocaleString('en-US')}`;
    types.append(badge);
  }
  tr.append(name, cell(ns.keys.toLocaleString('en-US'), 'keys'), memory, types, cell(withTtl.toLocaleString('en-US'), 'ttl'));
  return tr;
}

/** The namespaces beyond the per-namespace cap, added up in one row. */
function otherRow({ other, depth }: { other: NonNullable<AnalyzeNamespaceView['other']>; depth: number }): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = `other depth-${Math.min(depth, 9)}`;
  const name = cell(`… ${other.namespaces.toLocaleString('en-US')} more namespace${other.namespaces === 1 ? '' : 's'}`, 'prefix');
  name.style.paddingLeft = `${12 + depth * 18}px`;
  tr.append(name, cell(other.keys.toLocaleString('en-US'), 'keys'), cell(formatBytes(other.bytes), 'memory'), cell('', 'types'), cell('', 'ttl'));
  return tr;
}

el('rerun').addEventListener('click', () => { void host.request(Rerun); });
el('cancel').addEventListener('click', () => { void host.request(Cancel); });
host.ready();
