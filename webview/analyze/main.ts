/**
 * The analyze report: totals, bytes per namespace, the type breakdown and the TTL histogram
 * as charts, and a namespace table. Every key prefix reaches the DOM as text (textContent or
 * escapeHtml), never as markup: key names are data written by anyone.
 */
import '../shared/elements';
import { BarChart, formatBytes } from '../shared/chart';
import { escapeHtml } from '../shared/escapeHtml';
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
    <h2>Memory by namespace (top ${TOP})</h2><div id="bytes-chart" class="chart"></div>
    <h2>Key types</h2><div id="types-chart" class="chart"></div>
    <h2>TTL histogram</h2><div id="ttl-chart" class="chart"></div>
    <h2>Namespaces</h2>
    <table id="namespaces" class="mono">
      <thead><tr><th>namespace</th><th>keys</th><th>memory</th><th>types</th><th>with TTL</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>`;

const el = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const bytesChart = new BarChart(el('bytes-chart'), { label: 'memory by namespace', yFormat: formatBytes, height: 260 });
const typesChart = new BarChart(el('types-chart'), { label: 'keys by type', height: 200 });
const ttlChart = new BarChart(el('ttl-chart'), { label: 'keys by remaining TTL', height: 200 });

const host = connectToHost();

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

  const top = [...view.namespaces].sort((a, b) => b.bytes - a.bytes).slice(0, TOP);
  bytesChart.setData({ categories: top.map((n) => n.prefix), series: [{ name: 'bytes', values: top.map((n) => n.bytes) }] });
  const types = Object.entries(view.types).sort((a, b) => b[1] - a[1]);
  typesChart.setData({ categories: types.map(([t]) => t), series: [{ name: 'keys', values: types.map(([, n]) => n) }] });
  ttlChart.setData({ categories: view.ttlBuckets, series: [{ name: 'keys', values: view.ttl }] });

  const body = el('namespaces').querySelector('tbody') as HTMLElement;
  body.replaceChildren(...flatten(view.namespaces, 0).map(row));
}

function flatten(list: AnalyzeNamespaceView[], depth: number): Array<{ ns: AnalyzeNamespaceView; depth: number }> {
  return list.flatMap((ns) => [{ ns, depth }, ...flatten(ns.children, depth + 1)]);
}

function row({ ns, depth }: { ns: AnalyzeNamespaceView; depth: number }): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = 'namespace';
  const withTtl = ns.ttl.slice(1).reduce((a, b) => a + b, 0);
  const types = Object.entries(ns.types).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${escapeHtml(t)} ${n.toLocaleString('en-US')}`).join(', ');
  const name = document.createElement('td');
  name.className = 'prefix';
  name.style.paddingLeft = `${depth * 16}px`;
  // textContent: a prefix such as `<img src=x onerror=...>:` must show as the text it is.
  name.textContent = ns.prefix;
  tr.append(name);
  tr.insertAdjacentHTML('beforeend', `<td>${ns.keys.toLocaleString('en-US')}</td><td>${escapeHtml(formatBytes(ns.bytes))}</td><td>${types}</td><td>${withTtl.toLocaleString('en-US')}</td>`);
  return tr;
}

el('rerun').addEventListener('click', () => { void host.request(Rerun); });
el('cancel').addEventListener('click', () => { void host.request(Cancel); });
host.ready();
