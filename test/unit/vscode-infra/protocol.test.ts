import { strict as assert } from 'node:assert';
import {
  Endpoint, ReadyNotification, defineNotification, defineRequest, isChannelMessage, type ChannelMessage,
} from '../../../webview/protocol/base';

const Progress = defineNotification<{ done: number }>('test/progress');
const Sum = defineRequest<{ a: number; b: number }, number>('test/sum');
const Fail = defineRequest<void, string>('test/fail');

/** Two endpoints wired back to back through an asynchronous hop, like postMessage. */
function pair(options = {}) {
  const log: ChannelMessage[] = [];
  // eslint-disable-next-line prefer-const
  let b: Endpoint;
  const a = new Endpoint((m) => { log.push(m); setImmediate(() => b.receive(structuredClone(m))); }, options);
  b = new Endpoint((m) => { log.push(m); setImmediate(() => a.receive(structuredClone(m))); }, options);
  return { a, b, log };
}

describe('webview protocol: descriptors', () => {
  it('type guards accept only their own method and kind', () => {
    assert.equal(Progress.is({ kind: 'notification', method: 'test/progress', params: { done: 1 } }), true);
    assert.equal(Progress.is({ kind: 'notification', method: 'test/other', params: {} }), false);
    assert.equal(Progress.is({ kind: 'request', id: 1, method: 'test/progress' }), false);
    assert.equal(Sum.is({ kind: 'request', id: 3, method: 'test/sum', params: { a: 1, b: 2 } }), true);
    assert.equal(Sum.is({ kind: 'request', method: 'test/sum' }), false, 'a request needs a numeric id');
    assert.equal(Sum.is(null), false);
    assert.equal(ReadyNotification.method, 'ready');
  });

  it('isChannelMessage rejects foreign messages', () => {
    assert.equal(isChannelMessage({ kind: 'response', id: 1, method: 'x' }), true);
    assert.equal(isChannelMessage({ type: 'vscode-internal' }), false);
    assert.equal(isChannelMessage('ready'), false);
    assert.equal(isChannelMessage({ kind: 'response', method: 'x' }), false);
  });
});

describe('webview protocol: Endpoint', () => {
  it('delivers notifications with their params to every handler', async () => {
    const { a, b } = pair();
    const got: number[] = [];
    b.onNotification(Progress, (p) => got.push(p.done));
    const sub = b.onNotification(Progress, (p) => got.push(p.done * 10));
    // Delivery is a setImmediate; one queued after it runs after it, however loaded the machine.
    const delivered = () => new Promise((r) => setImmediate(r));
    a.notify(Progress, { done: 4 });
    await delivered();
    sub.dispose();
    a.notify(Progress, { done: 5 });
    await delivered();
    assert.deepEqual(got, [4, 40, 5]);
  });

  it('matches concurrent responses to their requests by id', async () => {
    const { a, b } = pair();
    // The handler answers the first request last, so order alone would mismatch them.
    b.onRequest(Sum, async ({ a: x, b: y }) => { await new Promise((r) => setTimeout(r, x === 1 ? 20 : 1)); return x + y; });
    const results = await Promise.all([a.request(Sum, { a: 1, b: 1 }), a.request(Sum, { a: 2, b: 5 }), a.request(Sum, { a: 3, b: 9 })]);
    assert.deepEqual(results, [2, 7, 12]);
  });

  it('turns a throwing handler into a rejected request with a one-line message', async () => {
    const { a, b } = pair();
    b.onRequest(Fail, () => { throw new Error('server unreachable\n    at stack line'); });
    await assert.rejects(a.request(Fail), { message: 'server unreachable' });
  });

  it('rejects a request nobody handles', async () => {
    const { a } = pair();
    await assert.rejects(a.request(Sum, { a: 1, b: 2 }), /no handler for test\/sum/);
  });

  it('rejects a request that gets no response within the timeout', async () => {
    const silent = new Endpoint(() => undefined, { requestTimeoutMs: 30 });
    const started = Date.now();
    await assert.rejects(silent.request(Sum, { a: 1, b: 1 }), /no response within 30 ms/);
    assert.ok(Date.now() - started >= 25);
  });

  it('rejects pending requests on dispose', async () => {
    const silent = new Endpoint(() => undefined);
    const pending = silent.request(Sum, { a: 1, b: 1 });
    silent.dispose();
    await assert.rejects(pending, /closed/);
  });

  it('ignores messages that are not part of the channel', () => {
    const e = new Endpoint(() => undefined);
    assert.equal(e.receive({ command: 'legacy' }), false);
    assert.equal(e.receive({ kind: 'response', id: 999, method: 'x', result: 1 }), true, 'an unknown id is dropped quietly');
  });

  it('reports a throwing notification handler and keeps delivering to the others', async () => {
    const errors: string[] = [];
    const { a, b } = pair({ onError: (method: string) => errors.push(method) });
    let delivered = 0;
    b.onNotification(Progress, () => { throw new Error('boom'); });
    b.onNotification(Progress, () => { delivered++; });
    a.notify(Progress, { done: 1 });
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(errors, ['test/progress']);
    assert.equal(delivered, 1);
  });
});
