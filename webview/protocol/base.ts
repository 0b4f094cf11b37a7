/**
 * The typed message channel shared by the extension host and every webview. A webview's own
 * protocol module (webview/protocol/<name>.ts) declares its messages with `defineNotification`
 * and `defineRequest`; both sides import that module, so a payload type can only change in one
 * place. This file uses neither `vscode` nor the DOM: the transport is passed in.
 */

/** A one-way message. */
export interface NotificationMessage<P = unknown> {
  readonly kind: 'notification';
  readonly method: string;
  readonly params: P;
}

/** A message that expects exactly one response with the same id. */
export interface RequestMessage<P = unknown> {
  readonly kind: 'request';
  readonly id: number;
  readonly method: string;
  readonly params: P;
}

/** The answer to a request: either `result` or `error` (a one-line message). */
export interface ResponseMessage<R = unknown> {
  readonly kind: 'response';
  readonly id: number;
  readonly method: string;
  readonly result?: R;
  readonly error?: string;
}

export type ChannelMessage = NotificationMessage | RequestMessage | ResponseMessage;

export interface NotificationType<P> {
  readonly kind: 'notification';
  readonly method: string;
  /** True when `msg` is this notification; narrows its `params` to `P`. */
  is(msg: unknown): msg is NotificationMessage<P>;
}

export interface RequestType<P, R> {
  readonly kind: 'request';
  readonly method: string;
  is(msg: unknown): msg is RequestMessage<P>;
  /** Never called: it only carries the response type for inference. */
  readonly _response?: R;
}

function hasShape(msg: unknown, kind: string, method: string): boolean {
  return typeof msg === 'object' && msg !== null
    && (msg as { kind?: unknown }).kind === kind
    && (msg as { method?: unknown }).method === method;
}

export function defineNotification<P = void>(method: string): NotificationType<P> {
  return { kind: 'notification', method, is: (msg): msg is NotificationMessage<P> => hasShape(msg, 'notification', method) };
}

export function defineRequest<P, R>(method: string): RequestType<P, R> {
  return {
    kind: 'request', method,
    is: (msg): msg is RequestMessage<P> => hasShape(msg, 'request', method) && typeof (msg as { id?: unknown }).id === 'number',
  };
}

/** True for anything that looks like a message of this channel, so foreign messages are ignored. */
export function isChannelMessage(msg: unknown): msg is ChannelMessage {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as { kind?: unknown; method?: unknown; id?: unknown };
  if (typeof m.method !== 'string') return false;
  if (m.kind === 'notification') return true;
  return (m.kind === 'request' || m.kind === 'response') && typeof m.id === 'number';
}

/** The webview sends this once its script has attached its listeners; the host queues until then. */
export const ReadyNotification = defineNotification<void>('ready');

/** Posted by either side; the transport (postMessage) is supplied by the caller. */
export type Post = (msg: ChannelMessage) => unknown;

export interface Disposable { dispose(): void }

export interface EndpointOptions {
  /** How long a request waits for its response before it rejects. Default 30 s. */
  requestTimeoutMs?: number;
  /** Called for a handler that throws on a notification (there is nobody to answer). */
  onError?: (method: string, error: unknown) => void;
}

type Handler = (params: never) => unknown;

/**
 * One side of the channel: sends notifications and requests, answers requests, and matches each
 * response to its request by id. Both sides use the same class with a different `post`.
 */
export class Endpoint {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
  private readonly notificationHandlers = new Map<string, Set<Handler>>();
  private readonly requestHandlers = new Map<string, Handler>();
  private readonly timeoutMs: number;

  constructor(private readonly post: Post, private readonly options: EndpointOptions = {}) {
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  notify<P>(type: NotificationType<P>, ...params: P extends void ? [] : [P]): void {
    void this.post({ kind: 'notification', method: type.method, params: params[0] });
  }

  request<P, R>(type: RequestType<P, R>, ...params: P extends void ? [] : [P]): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`request ${type.method} got no response within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      void this.post({ kind: 'request', id, method: type.method, params: params[0] });
    });
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    let set = this.notificationHandlers.get(type.method);
    if (!set) this.notificationHandlers.set(type.method, (set = new Set()));
    set.add(handler as Handler);
    return { dispose: () => set.delete(handler as Handler) };
  }

  /** One handler per request method; a second registration replaces the first. */
  onRequest<P, R>(type: RequestType<P, R>, handler: (params: P) => R | Promise<R>): Disposable {
    this.requestHandlers.set(type.method, handler as Handler);
    return { dispose: () => { if (this.requestHandlers.get(type.method) === handler) this.requestHandlers.delete(type.method); } };
  }

  /** Feeds one incoming message. Returns false when it was not a message of this channel. */
  receive(msg: unknown): boolean {
    if (!isChannelMessage(msg)) return false;
    if (msg.kind === 'response') {
      const waiting = this.pending.get(msg.id);
      if (!waiting) return true;
      this.pending.delete(msg.id);
      clearTimeout(waiting.timer);
      if (msg.error !== undefined) waiting.reject(new Error(msg.error));
      else waiting.resolve(msg.result);
    } else if (msg.kind === 'request') {
      void this.answer(msg);
    } else {
      for (const handler of this.notificationHandlers.get(msg.method) ?? []) {
        try {
          handler(msg.params as never);
        } catch (e) {
          this.options.onError?.(msg.method, e);
        }
      }
    }
    return true;
  }

  /** Rejects every request still waiting, e.g. when the webview is closed. */
  dispose(): void {
    for (const [, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error('the webview was closed'));
    }
    this.pending.clear();
    this.notificationHandlers.clear();
    this.requestHandlers.clear();
  }

  private async answer(msg: RequestMessage): Promise<void> {
    const handler = this.requestHandlers.get(msg.method);
    if (!handler) {
      void this.post({ kind: 'response', id: msg.id, method: msg.method, error: `no handler for ${msg.method}` });
      return;
    }
    try {
      const result = await handler(msg.params as never);
      void this.post({ kind: 'response', id: msg.id, method: msg.method, result });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      void this.post({ kind: 'response', id: msg.id, method: msg.method, error: message.split('\n')[0] });
    }
  }
}
