/**
 * The hash-ring simulator page: choose an algorithm, nodes, virtual nodes and a key source; the
 * host computes with the ring core and the page draws the ring, the load per node, and what
 * moves when a node joins or leaves. For a Redis Cluster connection it adds the slot strip,
 * keys per master, hash-tag hot spots and a key -> slot search. Key names are server data: they
 * only ever reach the DOM as text (textContent), never as HTML.
 */
import '../shared/elements';
import './ring.css';
import { BarChart, readTheme } from '../shared/chart';
import { escapeHtml } from '../shared/escapeHtml';
import { connectToHost } from '../shared/vscodeApi';
import { Compute, Init, LookupSlot, Show, type AlgorithmView, type ConnectionView, type LoadView, type RingParams, type RingView } from '../protocol/ring';
import { RingCanvas } from './ringCanvas';
import { SlotStrip } from './slotStrip';

const root = document.getElementById('root') as HTMLElement;
root.innerHTML = `
  <h1>Hash ring simulator</h1>
  <p class="muted">Where each key lives under the placement algorithms real clients use, how evenly keys spread, and what moves when a node joins or leaves.</p>
  <div class="form">
    <label for="algo">Algorithm</label>
    <div class="row"><select id="algo" aria-label="algorithm"></select><span id="algo-summary" class="muted"></span></div>
    <label for="nodes">Nodes</label>
    <div class="row"><textarea id="nodes" rows="4" spellcheck="false" aria-label="nodes, one per line, optional weight after a space"></textarea>
      <span class="muted">one per line; an optional weight after a space</span></div>
    <label for="vnodes">Virtual nodes</label>
    <div class="row"><input type="number" id="vnodes" min="1" max="5000" step="1" class="narrow"><span class="muted" id="vnodes-note"></span></div>
    <label>Keys</label>
    <div class="row">
      <label><input type="radio" name="source" id="src-synthetic" checked> synthetic</label>
      <input type="number" id="count" min="1" max="1000000" step="1000" class="narrow" aria-label="synthetic key count">
      <label><input type="radio" name="source" id="src-live"> live keyspace of</label>
      <select id="connection" aria-label="connection"></select>
      <label for="sample">sample</label><input type="number" id="sample" min="1" max="1000000" step="1000" class="narrow">
    </div>
  </div>
  <div class="row actions">
    <vscode-button id="run" icon="play">Compute</vscode-button>
    <span id="status" class="muted" role="status"></span>
  </div>
  <p id="error" class="error" hidden></p>
  <section id="result" hidden>
    <p id="source" class="muted"></p>
    <div class="layout">
      <div class="ring-wrap"><div id="ring"></div><div id="tooltip" class="tooltip mono" hidden></div></div>
      <div class="side">
        <ul id="legend" class="legend" aria-label="nodes"></ul>
        <div class="figures">
          <div class="figure"><span class="value" id="fig-max"></span><span class="name">max / mean</span></div>
          <div class="figure"><span class="value" id="fig-stddev"></span><span class="name">stddev (keys)</span></div>
          <div class="figure"><span class="value" id="fig-rel"></span><span class="name">relative stddev</span></div>
        </div>
        <p id="fig-after" class="muted"></p>
        <h2>Add or remove a node</h2>
        <div class="row"><input type="text" id="add-node" class="medium" spellcheck="false" aria-label="node to add" placeholder="10.0.0.9:11211">
          <vscode-button id="add" secondary icon="add">Add</vscode-button></div>
        <div class="row"><select id="remove-node" aria-label="node to remove"></select>
          <vscode-button id="remove" secondary icon="remove">Remove</vscode-button></div>
        <p id="moved" class="moved" role="status"></p>
        <div class="row"><vscode-button id="keep" secondary hidden>Keep this node list</vscode-button>
          <vscode-button id="replay" secondary icon="debug-restart" hidden>Replay</vscode-button></div>
        <p id="notes" class="muted"></p>
      </div>
    </div>
    <h2>Keys per node</h2>
    <div id="load-chart" class="chart"></div>
    <table id="load-table" class="data mono"></table>
  </section>
  <section id="cluster" hidden>
    <h2>Redis Cluster slots</h2>
    <p id="cluster-summary" class="muted"></p>
    <div id="strip"></div>
    <ul id="strip-legend" class="legend inline" aria-label="masters"></ul>
    <div class="row"><input type="text" id="search" class="medium" spellcheck="false" placeholder="a key, e.g. user:{42}:cart" aria-label="key to locate">
      <vscode-button id="search-go" secondary icon="search">Locate</vscode-button>
      <span id="search-result" class="mono" role="status"></span></div>
    <div class="columns">
      <div><h3>Keys per master</h3><table id="masters" class="data mono"></table></div>
      <div><h3>Hash-tag hot spots</h3><table id="hot-tags" class="data mono"></table></div>
    </div>
  </section>`;

const el = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const input = (id: string) => el<HTMLInputElement>(id);
const host = connectToHost({ requestTimeoutMs: 120_000 });
const ring = new RingCanvas(el('ring'));
const loadChart = new BarChart(el('load-chart'), { label: 'keys per node', height: 220 });
const strip = new SlotStrip(el('strip'));
let algorithms: AlgorithmView[] = [];
let connections: ConnectionView[] = [];
let view: RingView | undefined;
let params: RingParams | undefined;

// Node colours stay with the node's name across runs, so an added node never repaints the others.
const colorIndex = new Map<string, number>();
let palette: string[] = readTheme().palette;
function colorOf(node: string): string {
  let i = colorIndex.get(node);
  if (i === undefined) { i = colorIndex.size; colorIndex.set(node, i); }
  // The theme's yellow is hard to tell from its orange on a light theme: five theme colours, then hues far apart.
  return i < 5 ? palette[i] : `hsl(${Math.round((170 + (i - 5) * 137.508) % 360)}, 55%, 52%)`;
}

const num = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function renderForm(p: RingParams): void {
  el('algo').innerHTML = algorithms.map((a) => `<option value="${escapeHtml(a.name)}">${escapeHtml(a.name)}</option>`).join('');
  el<HTMLSelectElement>('algo').value = p.algorithm;
  el('connection').innerHTML = connections.length
    ? connections.map((c) => `<option value="${escapeHtml(c.id)}">${escapeHtml(c.name)}</option>`).join('')
    : '<option value="">(no saved connections)</option>';
  el<HTMLTextAreaElement>('nodes').value = p.nodes;
  input('vnodes').value = String(p.vnodes);
  input('src-synthetic').checked = p.source.kind === 'synthetic';
  input('src-live').checked = p.source.kind === 'live';
  input('count').value = String(p.source.kind === 'synthetic' ? p.source.count : 20000);
  input('sample').value = String(p.source.kind === 'live' ? p.source.sample : 100000);
  if (p.source.kind === 'live') el<HTMLSelectElement>('connection').value = p.source.connectionId;
  describeAlgorithm();
}

function describeAlgorithm(): void {
  const a = algorithms.find((x) => x.name === el<HTMLSelectElement>('algo').value);
  el('algo-summary').textContent = a?.summary ?? '';
  input('vnodes').disabled = !a?.supportsVnodes;
  el('vnodes-note').textContent = a?.supportsVnodes ? '' : 'not used by this algorithm';
}

function readForm(): RingParams {
  const live = input('src-live').checked;
  return {
    algorithm: el<HTMLSelectElement>('algo').value,
    nodes: el<HTMLTextAreaElement>('nodes').value,
    vnodes: Math.max(1, Math.floor(Number(input('vnodes').value) || 1)),
    source: live
      ? { kind: 'live', connectionId: el<HTMLSelectElement>('connection').value, sample: Math.max(1, Math.floor(Number(input('sample').value) || 1)) }
      : { kind: 'synthetic', count: Math.max(1, Math.floor(Number(input('count').value) || 1)) },
  };
}

function showError(message: string | undefined): void {
  el('error').hidden = !message;
  el('error').textContent = message ?? '';
}

async function compute(p: RingParams): Promise<void> {
  showError(undefined);
  el('status').textContent = 'Computing…';
  el('run').toggleAttribute('disabled', true);
  const started = performance.now();
  try {
    const v = await host.request(Compute, p);
    el('status').textContent = `Computed in ${((performance.now() - started) / 1000).toFixed(2)} s.`;
    show(v, p.change !== undefined);
  } catch (e) {
    el('status').textContent = '';
    showError(e instanceof Error ? e.message : String(e));
  } finally {
    el('run').toggleAttribute('disabled', false);
  }
}

function show(v: RingView, animate: boolean): void {
  view = v;
  params = v.params;
  palette = readTheme().palette;
  // Colours are handed out in node-list order, not in the order the ring happens to draw them.
  for (const n of [...v.nodes, ...(v.nodesAfter ?? []), ...(v.cluster?.masters.map((m) => m.node) ?? [])]) colorOf(n);
  el('result').hidden = false;
  el('source').textContent = `${v.algorithm} over ${v.source}.`;
  el('notes').textContent = v.notes.join(' ');
  ring.setView(v, colorOf, animate);
  renderLegend(v);
  renderFigures(v.load, v.loadAfter);
  renderLoad(v);
  renderMove(v);
  el('remove-node').innerHTML = v.nodes.map((n) => `<option value="${escapeHtml(n)}">${escapeHtml(n)}</option>`).join('');
  renderCluster(v);
}

/** Builds a list item from text only: node names and keys may come from a server. */
function swatchItem(name: string, detail: string): HTMLLIElement {
  const li = document.createElement('li');
  const sw = document.createElement('span');
  sw.className = 'swatch';
  sw.style.background = colorOf(name);
  const label = document.createElement('span');
  label.className = 'mono';
  label.textContent = name;
  const extra = document.createElement('span');
  extra.className = 'muted';
  extra.textContent = detail;
  li.append(sw, label, extra);
  return li;
}

function renderLegend(v: RingView): void {
  const names = [...new Set([...v.nodes, ...(v.nodesAfter ?? [])])];
  const after = new Map((v.loadAfter?.nodes ?? []).map((n) => [n.node, n]));
  const before = new Map(v.load.nodes.map((n) => [n.node, n]));
  el('legend').replaceChildren(...names.map((name) => {
    const b = before.get(name), a = after.get(name);
    const detail = v.loadAfter
      ? `${b ? pct(b.share) : 'new'} → ${a ? pct(a.share) : 'gone'}`
      : b ? pct(b.share) : '';
    return swatchItem(name, detail);
  }));
}

function renderFigures(load: LoadView, after: LoadView | undefined): void {
  el('fig-max').textContent = load.maxOverMean.toFixed(3);
  el('fig-stddev').textContent = load.stddev.toFixed(1);
  el('fig-rel').textContent = pct(load.relativeStddev);
  el('fig-after').textContent = after
    ? `after the change: max / mean ${after.maxOverMean.toFixed(3)}, stddev ${after.stddev.toFixed(1)}, relative ${pct(after.relativeStddev)}`
    : '';
}

function renderLoad(v: RingView): void {
  const names = [...new Set([...v.nodes, ...(v.nodesAfter ?? [])])];
  const keysOf = (load: LoadView | undefined) => {
    const m = new Map((load?.nodes ?? []).map((n) => [n.node, n.keys]));
    return names.map((n) => m.get(n) ?? 0);
  };
  loadChart.setData({
    categories: names,
    series: v.loadAfter
      ? [{ name: 'before', values: keysOf(v.load) }, { name: 'after', values: keysOf(v.loadAfter), color: '--vscode-charts-orange' }]
      : [{ name: 'keys', values: keysOf(v.load) }],
  });
  const after = new Map((v.loadAfter?.nodes ?? []).map((n) => [n.node, n]));
  const table = el<HTMLTableElement>('load-table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of ['node', 'keys', 'share', 'expected', ...(v.loadAfter ? ['keys after', 'share after'] : [])]) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const n of v.load.nodes) {
    const row = body.insertRow();
    const a = after.get(n.node);
    for (const text of [n.node, num(n.keys), pct(n.share), pct(n.expectedShare), ...(v.loadAfter ? [a ? num(a.keys) : '-', a ? pct(a.share) : '-'] : [])]) {
      row.insertCell().textContent = text;
    }
  }
  const foot = table.createTFoot().insertRow();
  for (const text of ['total', num(v.load.total), '', '', ...(v.loadAfter ? ['', ''] : [])]) foot.insertCell().textContent = text;
}

function renderMove(v: RingView): void {
  const m = v.movement;
  el('keep').hidden = !m;
  el('replay').hidden = !m;
  if (!m || !v.params.change) { el('moved').textContent = ''; return; }
  const c = v.params.change;
  const adding = 'add' in c;
  const n = v.nodes.length;
  const what = 'add' in c ? `adding ${(v.nodesAfter ?? [])[n] ?? ''}` : `removing ${c.remove}`;
  const ideal = adding ? `ideal 1/(N+1) = 1/${n + 1}` : `ideal: its share`;
  el('moved').textContent = `${what}: ${num(m.moved)} of ${num(v.load.total)} keys move (${pct(m.movedFraction)}); ${ideal} = ${pct(m.idealMovedFraction)}` +
    (m.movedBetweenSurvivors ? `; ${num(m.movedBetweenSurvivors)} move between nodes that stay` : '') + '.';
}

function renderCluster(v: RingView): void {
  const c = v.cluster;
  el('cluster').hidden = !c;
  if (!c) return;
  el('cluster-summary').textContent = `${c.masters.length} masters, ${num(c.total)} keys sampled` +
    (c.unownedSlots ? `, ${num(c.unownedSlots)} slots without an owner` : '') +
    (c.misplaced ? `, ${num(c.misplaced)} keys on a master that does not own their slot (resharding?)` : '') + '.';
  strip.setCluster(c, colorOf);
  el('strip-legend').replaceChildren(...c.masters.map((m) => swatchItem(m.node, `${num(m.slots)} slots`)));
  fillTable(el<HTMLTableElement>('masters'), ['master', 'slots', 'keys', 'share'],
    c.masters.map((m) => [m.node, num(m.slots), num(m.keys), pct(m.share)]));
  fillTable(el<HTMLTableElement>('hot-tags'), ['{tag}', 'keys', 'share', 'slot', 'master'],
    c.hotTags.map((t) => [t.tag, num(t.keys), pct(t.share), String(t.slot), t.node ?? 'unowned']));
  el('search-result').textContent = '';
}

function fillTable(table: HTMLTableElement, headers: string[], rows: string[][]): void {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of headers) { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); }
  const body = table.createTBody();
  if (!rows.length) { const cell = body.insertRow().insertCell(); cell.colSpan = headers.length; cell.textContent = 'none'; cell.className = 'muted'; }
  for (const r of rows) { const row = body.insertRow(); for (const text of r) row.insertCell().textContent = text; }
}

async function locate(): Promise<void> {
  const key = input('search').value;
  if (!key || !params || params.source.kind !== 'live') return;
  try {
    const r = await host.request(LookupSlot, { connectionId: params.source.connectionId, key });
    el('search-result').textContent = `slot ${r.slot} on ${r.node ?? 'no master'}`;
    strip.mark(r.slot);
  } catch (e) {
    el('search-result').textContent = e instanceof Error ? e.message : String(e);
  }
}

function change(c: RingParams['change']): void {
  if (!params) return;
  void compute({ ...params, change: c });
}

el('run').addEventListener('click', () => void compute(readForm()));
el('algo').addEventListener('change', describeAlgorithm);
el('add').addEventListener('click', () => { const id = input('add-node').value.trim(); if (id) change({ add: id }); });
el('remove').addEventListener('click', () => { const id = el<HTMLSelectElement>('remove-node').value; if (id) change({ remove: id }); });
el('replay').addEventListener('click', () => { if (view) ring.setView(view, colorOf, true); });
// Keeping the change makes the node list after it the new starting point.
el('keep').addEventListener('click', () => {
  if (!params?.change) return;
  const c = params.change;
  const lines = params.nodes.split(/[\n,]/).map((l) => l.trim()).filter(Boolean);
  const removed = 'remove' in c ? c.remove : undefined;
  const next = 'add' in c ? [...lines, c.add.trim()] : lines.filter((l) => l.split(/[\s*]/)[0] !== removed);
  const p: RingParams = { ...params, nodes: next.join('\n'), change: undefined };
  renderForm(p);
  void compute(p);
});
el('search-go').addEventListener('click', () => void locate());
input('search').addEventListener('keydown', (e) => { if (e.key === 'Enter') void locate(); });
for (const id of ['count']) input(id).addEventListener('focus', () => { input('src-synthetic').checked = true; });
for (const id of ['connection', 'sample']) el(id).addEventListener('focus', () => { input('src-live').checked = true; });

const ringCanvas = el('ring').querySelector('canvas') as HTMLCanvasElement;
ringCanvas.addEventListener('mousemove', (e) => {
  const rect = ringCanvas.getBoundingClientRect();
  const hit = ring.hit(e.clientX - rect.left, e.clientY - rect.top);
  const tip = el('tooltip');
  tip.hidden = !hit;
  if (!hit) return;
  tip.textContent = hit.text;
  tip.style.left = `${hit.x + 14}px`;
  tip.style.top = `${hit.y + 14}px`;
});
ringCanvas.addEventListener('mouseleave', () => { el('tooltip').hidden = true; });

host.onNotification(Init, (init) => {
  algorithms = init.algorithms;
  connections = init.connections;
  params = init.params;
  renderForm(init.params);
});
host.onNotification(Show, (v) => {
  renderForm(v.params);
  show(v, v.params.change !== undefined);
});
host.ready();
