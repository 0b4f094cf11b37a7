/**
 * The eviction simulator page: choose a trace, policies and sizes, run (in the host's worker
 * threads) with progress and cancel, then read the miss-ratio curves and the table, export CSV or
 * PNG. Below, the step mode replays a short trace request by request (step, back, play).
 */
import '../shared/elements';
import './simulator.css';
import { LineChart, formatNumber } from '../shared/chart';
import { escapeHtml } from '../shared/escapeHtml';
import { connectToHost, vscodeApi } from '../shared/vscodeApi';
import {
  Cancel, Done, ExportCsv, ExportPng, Failed, FilePicked, Init, PickFile, Progress, RecordFromConnection, Recorded, Run, Step,
  resultsCsv, type PolicyView, type RunDone, type StepView, type TraceChoice,
} from '../protocol/simulator';

interface PageState {
  spec: string; file: string; source: 'spec' | 'file'; policies: string[]; sizes: string; bytes: boolean; warmup: number;
  stepSpec: string; stepPolicy: string; stepSize: number;
}
const api = vscodeApi<PageState>();
const state: PageState = api.getState() ?? {
  spec: '', file: '', source: 'spec', policies: ['lru', 'fifo', 'sieve', 's3-fifo', 'w-tinylfu', 'opt'], sizes: '', bytes: false, warmup: 0,
  stepSpec: 'zipf:alpha=1.0,objects=12,requests=40,seed=1', stepPolicy: 'lru', stepSize: 4,
};
const save = () => api.setState(state);

const root = document.getElementById('root') as HTMLElement;
root.innerHTML = `
  <h1>Eviction simulator</h1>
  <p class="muted">Which eviction policy, and how much memory, for this workload? Miss ratio per policy over a range of cache sizes.</p>
  <div class="form">
    <label><input type="radio" name="source" value="spec" id="src-spec"> Synthetic trace</label>
    <input type="text" id="spec" aria-label="synthetic trace spec" spellcheck="false">
    <label><input type="radio" name="source" value="file" id="src-file"> Trace file</label>
    <div class="row"><input type="text" id="file" aria-label="trace file" spellcheck="false" style="flex:1">
      <select id="format" aria-label="file format"><option value="auto">auto</option><option value="lines">lines</option><option value="csv">csv</option><option value="oracleGeneral">oracleGeneral</option></select>
      <vscode-button id="browse" secondary>Browse…</vscode-button></div>
    <label>Live traffic</label>
    <div class="row"><vscode-button id="record" secondary icon="record" title="Sampled Redis MONITOR for a few seconds; you are asked first, because it costs the server throughput">Record from connection…</vscode-button>
      <span id="record-note" class="muted" role="status"></span></div>
    <label>Policies</label><div class="policies" id="policies"></div>
    <label for="sizes">Sizes</label>
    <div class="row"><input type="text" id="sizes" style="flex:1" spellcheck="false" aria-label="cache sizes">
      <label><input type="checkbox" id="bytes"> in bytes</label>
      <label for="warmup">warm-up</label><input type="number" id="warmup" min="0" step="1" style="width:110px"></div>
  </div>
  <div class="row" style="margin-top:10px">
    <vscode-button id="run" icon="play">Run</vscode-button>
    <vscode-button id="cancel" secondary icon="debug-stop" disabled>Cancel</vscode-button>
    <progress id="progress" max="1" value="0" hidden></progress>
    <span id="status" class="muted" role="status"></span>
  </div>
  <p id="error" class="error" hidden></p>
  <section id="results" hidden>
    <h2>Miss-ratio curves</h2>
    <p id="summary" class="muted"></p>
    <div id="curve" class="chart"></div>
    <div class="row">
      <vscode-button id="csv" secondary icon="save">Export CSV</vscode-button>
      <vscode-button id="png" secondary icon="file-media">Export PNG</vscode-button>
    </div>
    <table class="results mono" id="table"></table>
  </section>
  <h2>Step mode</h2>
  <p class="muted">One policy, one size, a short trace (up to 1000 requests): the cache after every request.</p>
  <div class="row">
    <input type="text" id="step-spec" style="flex:1;min-width:280px" spellcheck="false" aria-label="step trace spec">
    <select id="step-policy" aria-label="step policy"></select>
    <label for="step-size">size</label><input type="number" id="step-size" min="1" step="1" style="width:70px">
    <vscode-button id="step-load" secondary>Load</vscode-button>
  </div>
  <div class="row" style="margin-top:6px">
    <vscode-button id="step-prev" secondary icon="debug-step-back" disabled>Back</vscode-button>
    <vscode-button id="step-next" secondary icon="debug-step-over" disabled>Step</vscode-button>
    <vscode-button id="step-play" secondary icon="debug-start" disabled>Play</vscode-button>
    <span id="step-status" class="muted" role="status"></span>
  </div>
  <div class="requests" id="step-requests"></div>
  <div><span id="step-badge"></span> <span id="step-what"></span></div>
  <div class="cells" id="step-cells" aria-label="cache contents"></div>`;

const el = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const input = (id: string) => el<HTMLInputElement>(id);
const host = connectToHost();
const chart = new LineChart(el('curve'), { label: 'miss ratio by cache size', yMin: 0, yFormat: (v) => v.toFixed(2), xFormat: formatNumber, xLabel: 'cache size', yLabel: 'miss ratio', height: 300 });
let policies: PolicyView[] = [];
let runId = 0;
let last: RunDone | undefined;

function renderForm(): void {
  input('spec').value = state.spec;
  input('file').value = state.file;
  input('src-spec').checked = state.source === 'spec';
  input('src-file').checked = state.source === 'file';
  input('sizes').value = state.sizes;
  input('bytes').checked = state.bytes;
  input('warmup').value = String(state.warmup);
  input('step-spec').value = state.stepSpec;
  input('step-size').value = String(state.stepSize);
  el('policies').innerHTML = policies.map((p) => `<label title="${escapeHtml(p.description)}"><input type="checkbox" value="${escapeHtml(p.name)}"${state.policies.includes(p.name) ? ' checked' : ''}> ${escapeHtml(p.name)}</label>`).join('');
  el('step-policy').innerHTML = policies.map((p) => `<option value="${escapeHtml(p.name)}"${p.name === state.stepPolicy ? ' selected' : ''}>${escapeHtml(p.name)}</option>`).join('');
}

function readForm(): void {
  state.spec = input('spec').value.trim();
  state.file = input('file').value.trim();
  state.source = input('src-file').checked ? 'file' : 'spec';
  state.sizes = input('sizes').value.trim();
  state.bytes = input('bytes').checked;
  state.warmup = Math.max(0, Math.floor(Number(input('warmup').value) || 0));
  state.policies = [...el('policies').querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  state.stepSpec = input('step-spec').value.trim();
  state.stepPolicy = el<HTMLSelectElement>('step-policy').value;
  state.stepSize = Math.max(1, Math.floor(Number(input('step-size').value) || 1));
  save();
}

function traceChoice(): TraceChoice {
  return state.source === 'file'
    ? { file: state.file, format: el<HTMLSelectElement>('format').value as 'auto' }
    : { spec: state.spec };
}

function setRunning(running: boolean): void {
  el('run').toggleAttribute('disabled', running);
  el('cancel').toggleAttribute('disabled', !running);
  el('progress').hidden = !running;
}

function showError(message: string | undefined): void {
  el('error').hidden = !message;
  el('error').textContent = message ?? '';
}

el('run').addEventListener('click', () => {
  readForm();
  showError(undefined);
  if (!state.policies.length) return showError('Choose at least one policy.');
  const sizes = state.sizes.split(',').map((s) => s.trim()).filter(Boolean);
  if (!sizes.length) return showError('Give at least one size, e.g. 1%,5%,10% or 1000,10000.');
  runId++;
  setRunning(true);
  el('status').textContent = 'Reading the trace…';
  host.notify(Run, { runId, trace: traceChoice(), policies: state.policies, sizes, bytes: state.bytes, warmup: state.warmup });
});
el('cancel').addEventListener('click', () => host.notify(Cancel));
el('browse').addEventListener('click', () => host.notify(PickFile));
el('record').addEventListener('click', () => host.notify(RecordFromConnection));
el('csv').addEventListener('click', () => { if (last) host.notify(ExportCsv, { csv: resultsCsv(last.results) }); });
el('png').addEventListener('click', () => host.notify(ExportPng, { dataUrl: chart.toPng() }));
for (const id of ['spec', 'file', 'sizes', 'bytes', 'warmup', 'src-spec', 'src-file', 'step-spec', 'step-size', 'step-policy']) el(id).addEventListener('change', readForm);
el('policies').addEventListener('change', readForm);

host.onNotification(Init, (init) => {
  policies = init.policies;
  if (!state.spec) state.spec = init.defaultSpec;
  if (!state.sizes) state.sizes = init.defaultSizes;
  state.policies = state.policies.filter((p) => policies.some((x) => x.name === p));
  renderForm();
});
host.onNotification(FilePicked, ({ file }) => { state.file = file; state.source = 'file'; save(); renderForm(); });
// A recording arrives as a CSV trace file: select it and run the chosen policies, as for any trace.
host.onNotification(Recorded, ({ file, summary }) => {
  state.file = file;
  state.source = 'file';
  save();
  renderForm();
  el<HTMLSelectElement>('format').value = 'csv';
  el('record-note').textContent = summary;
  el('run').click();
});
host.onNotification(Progress, (p) => {
  if (p.runId !== runId) return;
  const bar = el<HTMLProgressElement>('progress');
  if (p.fraction === null) bar.removeAttribute('value'); else bar.value = p.fraction;
  el('status').textContent = p.phase === 'reading' ? `Reading the trace: ${formatNumber(p.done)} requests` : `Simulating: ${Math.floor((p.fraction ?? 0) * 100)}%`;
});
host.onNotification(Failed, (f) => {
  if (f.runId !== runId) return;
  setRunning(false);
  el('status').textContent = '';
  showError(f.cancelled ? undefined : f.message);
  if (f.cancelled) el('status').textContent = 'Cancelled.';
});
host.onNotification(Done, (done) => {
  if (done.runId !== runId) return;
  setRunning(false);
  last = done;
  el('status').textContent = `Done in ${done.seconds.toFixed(1)} s on ${done.threads} thread${done.threads === 1 ? '' : 's'}.`;
  renderResults(done);
});

function renderResults(done: RunDone): void {
  el('results').hidden = false;
  const t = done.trace;
  el('summary').textContent = `${t.source}: ${formatNumber(t.requests)} requests, ${formatNumber(t.objects)} objects${t.hasSizes ? `, ${formatNumber(t.objectBytes)} bytes of distinct objects` : ''}${t.hasTtls ? ', with TTLs' : ''}; sizes in ${done.bytes ? 'bytes' : 'objects'}.`;
  const byPolicy = new Map<string, typeof done.results>();
  for (const r of done.results) byPolicy.set(r.policy, [...(byPolicy.get(r.policy) ?? []), r]);
  chart.setData({
    series: [...byPolicy].map(([name, rows]) => {
      const sorted = [...rows].sort((a, b) => a.size - b.size);
      return { name, xs: sorted.map((r) => r.size), ys: sorted.map((r) => r.missRatio), dashed: name === 'opt' };
    }),
  });
  const sizes = [...new Set(done.results.map((r) => r.size))].sort((a, b) => a - b);
  const online = done.results.filter((r) => r.policy !== 'opt');
  const best = new Map(sizes.map((s) => [s, Math.min(...online.filter((r) => r.size === s).map((r) => r.missRatio))]));
  el('table').innerHTML = `<thead><tr><th>policy</th>${sizes.map((s) => `<th>${formatNumber(s)}</th>`).join('')}<th>Mreq/s</th></tr></thead><tbody>` +
    [...byPolicy].map(([name, rows]) => `<tr><td>${escapeHtml(name)}</td>${sizes.map((s) => {
      const r = rows.find((x) => x.size === s);
      return r ? `<td class="${name !== 'opt' && r.missRatio === best.get(s) ? 'best' : ''}" title="byte miss ratio ${r.byteMissRatio.toFixed(4)}">${r.missRatio.toFixed(4)}</td>` : '<td></td>';
    }).join('')}<td>${(rows.reduce((a, r) => a + r.mreqPerSec, 0) / rows.length).toFixed(1)}</td></tr>`).join('') + '</tbody>';
}

// ---- step mode ------------------------------------------------------------------------------
let steps: StepView | undefined;
let position = -1;
let timer: ReturnType<typeof setInterval> | undefined;

el('step-load').addEventListener('click', () => {
  readForm();
  stop();
  el('step-status').textContent = 'Loading…';
  host.request(Step, { trace: { spec: state.stepSpec }, policy: state.stepPolicy, capacity: state.stepSize, bytes: false }).then((view) => {
    steps = view;
    position = -1;
    renderStep();
  }, (e: unknown) => { steps = undefined; el('step-status').textContent = e instanceof Error ? e.message : String(e); renderStep(); });
});
el('step-next').addEventListener('click', () => { stop(); move(1); });
el('step-prev').addEventListener('click', () => { stop(); move(-1); });
el('step-play').addEventListener('click', () => {
  if (timer) return stop();
  if (steps && position >= steps.frames.length - 1) position = -1;
  el('step-play').textContent = 'Pause';
  timer = setInterval(() => { if (!move(1)) stop(); }, 600);
});

function stop(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
  el('step-play').textContent = 'Play';
}

function move(delta: number): boolean {
  if (!steps) return false;
  const next = Math.min(steps.frames.length - 1, Math.max(-1, position + delta));
  if (next === position) return false;
  position = next;
  renderStep();
  return true;
}

function renderStep(): void {
  const has = steps !== undefined && steps.frames.length > 0;
  el('step-prev').toggleAttribute('disabled', !has || position < 0);
  el('step-next').toggleAttribute('disabled', !has || position >= (steps?.frames.length ?? 0) - 1);
  el('step-play').toggleAttribute('disabled', !has);
  if (!steps) { el('step-requests').innerHTML = ''; el('step-cells').innerHTML = ''; el('step-badge').innerHTML = ''; el('step-what').textContent = ''; return; }
  const frames = steps.frames;
  const label = (id: number) => escapeHtml(steps?.labels[id] ?? String(id));
  el('step-requests').innerHTML = frames.map((f, i) => `<span class="${i === position ? 'current' : ''} ${f.hit ? 'hit' : 'miss'} ${i <= position ? 'done' : ''}">${escapeHtml(f.key)}</span>`).join('');
  const hitsSoFar = frames.slice(0, position + 1).filter((f) => f.hit).length;
  el('step-status').textContent = `${steps.policy}, size ${steps.capacity}: request ${position + 1} of ${frames.length}, ${hitsSoFar} hit${hitsSoFar === 1 ? '' : 's'} so far (${steps.hits} in all)`;
  if (position < 0) { el('step-badge').innerHTML = ''; el('step-what').textContent = 'Press Step or Play.'; el('step-cells').innerHTML = ''; return; }
  const f = frames[position];
  el('step-badge').innerHTML = `<span class="badge ${f.hit ? 'hit' : 'miss'}">${f.hit ? 'HIT' : 'MISS'}</span>`;
  el('step-what').innerHTML = `${escapeHtml(f.key)}${f.evicted.length ? `, evicted ${f.evicted.map(label).join(', ')}` : ''}`;
  el('step-cells').innerHTML = f.contents.map((id) => `<span class="cell ${id === f.id ? (f.hit ? 'hit' : 'new') : ''}">${label(id)}</span>`).join('') +
    f.evicted.map((id) => `<span class="cell evicted">${label(id)}</span>`).join('');
}

renderForm();
host.ready();
