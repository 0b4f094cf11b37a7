import { parentPort } from 'node:worker_threads';
import { CacheLensError } from '../errors';
import { runJobs } from './runner';
import type { FromWorker, ToWorker } from './sweep';
import { openTrace } from './traces/open';
import { rehydrateTrace, type PreparedTrace } from './traces/prepare';

/**
 * A sweep worker: receives the prepared trace once, then runs the jobs it is sent, one message
 * per batch, reporting progress every chunk.
 */
const port = parentPort;
if (!port) throw new Error('sweep.worker must run as a worker thread');
let trace: PreparedTrace | null = null;
let options: Extract<ToWorker, { type: 'init' }>['options'] = {};

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    options = m.options;
    const source = m.held ? null : openTrace(m.ref);
    trace = rehydrateTrace(m.info, source ?? openTraceStub(m.info), m.held, m.nextFile, m.needNext);
    return;
  }
  const t = trace;
  if (!t) { post({ type: 'error', reason: 'internal', message: 'sweep worker got work before its trace' }); return; }
  runJobs(t, m.jobs, { ...options, onProgress: (done) => post({ type: 'progress', done }) }).then(
    (results) => post({ type: 'result', tag: m.tag, results }),
    (e: unknown) => post(CacheLensError.is(e)
      ? { type: 'error', reason: e.reason, message: e.message }
      : { type: 'error', reason: 'internal', message: e instanceof Error ? e.message : String(e) }),
  );
});

function post(m: FromWorker): void {
  port?.postMessage(m);
}

/** A kept trace needs no reader; this stands in for one. */
function openTraceStub(info: PreparedTrace['info']): PreparedTrace['source'] {
  return {
    descriptor: { kind: info.kind, source: info.source, params: info.params },
    chunks: function* () { /* the kept chunks are used instead */ },
    idSpace: () => info.idSpace,
    label: (id) => String(id),
    close: () => { /* nothing held */ },
  };
}
