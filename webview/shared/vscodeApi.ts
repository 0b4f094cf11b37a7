/**
 * The webview side of the channel. `acquireVsCodeApi` may be called only once per page, so every
 * module gets the api from here.
 */
import { Endpoint, ReadyNotification } from '../protocol/base';

export interface VsCodeApi<S = unknown> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): S;
}

declare function acquireVsCodeApi<S = unknown>(): VsCodeApi<S>;

let api: VsCodeApi | undefined;

export function vscodeApi<S = unknown>(): VsCodeApi<S> {
  api ??= acquireVsCodeApi();
  return api as VsCodeApi<S>;
}

export interface HostChannel extends Pick<Endpoint, 'notify' | 'request' | 'onNotification' | 'onRequest'> {
  /** Tells the host this page is listening; call it once, after registering the handlers. */
  ready(): void;
}

/** Connects this page to its host: register handlers on the result, then call `ready()`. */
export function connectToHost(options: { requestTimeoutMs?: number } = {}): HostChannel {
  const endpoint = new Endpoint((msg) => vscodeApi().postMessage(msg), {
    requestTimeoutMs: options.requestTimeoutMs,
    onError: (method, e) => console.error(`CacheLens webview: handler for ${method} failed`, e),
  });
  window.addEventListener('message', (event: MessageEvent) => { endpoint.receive(event.data); });
  return {
    notify: endpoint.notify.bind(endpoint),
    request: endpoint.request.bind(endpoint),
    onNotification: endpoint.onNotification.bind(endpoint),
    onRequest: endpoint.onRequest.bind(endpoint),
    ready: () => endpoint.notify(ReadyNotification),
  };
}

/** The `initialState` the host rendered into the page (see src/extension/webview/html.ts). */
export function initialState<T>(): T | undefined {
  const el = document.getElementById('cachelens-initial-state');
  if (!el?.textContent) return undefined;
  return (JSON.parse(el.textContent) ?? undefined) as T | undefined;
}
