/**
 * Hosts a named webview (webview/<name>/main.ts, bundled to dist/webview/<name>.js) in an editor
 * panel or in a sidebar view, and gives the feature a typed channel to it. Messages posted before
 * the webview has said "ready" are queued, so a feature can post right after opening it.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import {
  Endpoint, ReadyNotification, type ChannelMessage, type NotificationType, type RequestType,
} from '../../../webview/protocol/base';
import { makeNonce, renderWebviewHtml } from './html';

export interface WebviewSpec {
  /** The folder name under webview/, also the bundle name in dist/webview/. */
  name: string;
  title: string;
  /**
   * Keep the page alive while its tab is hidden. Costs memory; use it only when rebuilding the
   * page from the host's state would lose something the user did (a long-running simulation).
   */
  retainContextWhenHidden?: boolean;
  /** Passed to the page as `initialState()`; the page can render before the first message. */
  initialState?: unknown;
}

/** What the host needs from the extension; the container satisfies it. */
export interface WebviewContext {
  readonly extensionUri: vscode.Uri;
  readonly logger?: { error(message: string, error?: unknown): void };
}

/** Bounds the queue so a stream of updates to a hidden webview cannot grow without limit. */
const MAX_QUEUED = 1000;

/**
 * The host side of one webview's channel. It is ready after the page's "ready" notification and
 * stops being ready when the page is torn down (a hidden panel without retained context); the
 * page says "ready" again when it is rebuilt, and `onReady` listeners re-send their state then.
 */
export class WebviewChannel implements vscode.Disposable {
  private readonly endpoint: Endpoint;
  private readonly queue: ChannelMessage[] = [];
  private readonly readyListeners = new Set<() => void>();
  private ready = false;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(readonly webview: vscode.Webview, private readonly ctx: WebviewContext, name: string) {
    this.endpoint = new Endpoint((msg) => this.send(msg), {
      onError: (method, e) => ctx.logger?.error(`webview ${name}: handler for ${method} failed`, e),
    });
    this.endpoint.onNotification(ReadyNotification, () => this.markReady());
    this.subscriptions.push(webview.onDidReceiveMessage((msg: unknown) => this.endpoint.receive(msg)));
  }

  get isReady(): boolean { return this.ready; }

  notify<P>(type: NotificationType<P>, ...params: P extends void ? [] : [P]): void {
    this.endpoint.notify(type, ...params);
  }

  request<P, R>(type: RequestType<P, R>, ...params: P extends void ? [] : [P]): Promise<R> {
    return this.endpoint.request(type, ...params);
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    return this.endpoint.onNotification(type, handler);
  }

  onRequest<P, R>(type: RequestType<P, R>, handler: (params: P) => R | Promise<R>): vscode.Disposable {
    return this.endpoint.onRequest(type, handler);
  }

  /** Called after every "ready", including after the page was rebuilt. */
  onReady(listener: () => void): vscode.Disposable {
    this.readyListeners.add(listener);
    if (this.ready) listener();
    return new vscode.Disposable(() => this.readyListeners.delete(listener));
  }

  /** Resolves at the next "ready" (at once if ready now). */
  whenReady(): Promise<void> {
    return new Promise((resolve) => {
      const sub = this.onReady(() => { queueMicrotask(() => sub.dispose()); resolve(); });
    });
  }

  /** The page is gone; queue until it says "ready" again. */
  markNotReady(): void { this.ready = false; }

  dispose(): void {
    this.disposed = true;
    this.endpoint.dispose();
    this.queue.length = 0;
    this.readyListeners.clear();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }

  private markReady(): void {
    this.ready = true;
    for (const msg of this.queue.splice(0)) void this.webview.postMessage(msg);
    for (const listener of [...this.readyListeners]) {
      try {
        listener();
      } catch (e) {
        this.ctx.logger?.error('webview ready listener failed', e);
      }
    }
  }

  private send(msg: ChannelMessage): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queue.push(msg);
      if (this.queue.length > MAX_QUEUED) this.queue.shift();
      return;
    }
    void this.webview.postMessage(msg);
  }
}

/** The folders a webview may load from: our bundles and our static media, nothing else. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Sets the options and the HTML of `webview` for `spec` and returns its channel. */
export function attachWebview(webview: vscode.Webview, ctx: WebviewContext, spec: WebviewSpec): WebviewChannel {
  const channel = new WebviewChannel(webview, ctx, spec.name);
  webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(ctx.extensionUri) };
  const asUri = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(ctx.extensionUri, ...segments)).toString();
  const styles = [asUri('media', 'webview.css')];
  // esbuild writes a webview's CSS next to its script only when main.ts imports some.
  if (existsSync(vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'webview', `${spec.name}.css`).fsPath)) {
    styles.push(asUri('dist', 'webview', `${spec.name}.css`));
  }
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    title: spec.title,
    scriptUri: asUri('dist', 'webview', `${spec.name}.js`),
    styleUris: styles,
    codiconUri: asUri('dist', 'codicons', 'codicon.css'),
    initialState: spec.initialState,
  });
  return channel;
}

export interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  readonly channel: WebviewChannel;
  /** False when an existing panel was revealed instead of a new one created. */
  readonly created: boolean;
}

/**
 * Editor-area webviews, one per (name, key). Opening an open one reveals it, so a command can be
 * run twice without stacking duplicate tabs; a different key (a connection id) opens another.
 */
export class WebviewPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenPanel>();

  constructor(private readonly ctx: WebviewContext) {}

  show(spec: WebviewSpec, options: { key?: string; column?: vscode.ViewColumn; preserveFocus?: boolean } = {}): OpenPanel {
    const id = `${spec.name}\u0000${options.key ?? ''}`;
    const existing = this.open.get(id);
    if (existing) {
      existing.panel.reveal(options.column, options.preserveFocus);
      return { ...existing, created: false };
    }
    const panel = vscode.window.createWebviewPanel(
      `cachelens.${spec.name}`, spec.title,
      { viewColumn: options.column ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus },
      { enableScripts: true, retainContextWhenHidden: spec.retainContextWhenHidden ?? false, localResourceRoots: localResourceRoots(this.ctx.extensionUri) },
    );
    panel.iconPath = vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'cachelens.svg');
    const channel = attachWebview(panel.webview, this.ctx, spec);
    const entry: OpenPanel = { panel, channel, created: true };
    this.open.set(id, entry);
    const viewState = panel.onDidChangeViewState((e) => {
      // Without retained context a hidden panel's page is destroyed; it will say "ready" again.
      if (!e.webviewPanel.visible && !spec.retainContextWhenHidden) channel.markNotReady();
    });
    panel.onDidDispose(() => {
      this.open.delete(id);
      viewState.dispose();
      channel.dispose();
    });
    return entry;
  }

  get(name: string, key?: string): OpenPanel | undefined {
    return this.open.get(`${name}\u0000${key ?? ''}`);
  }

  dispose(): void {
    for (const { panel } of [...this.open.values()]) panel.dispose();
    this.open.clear();
  }
}

/**
 * Registers a sidebar/panel webview view declared in a contributes.json `views` entry with
 * `"type": "webview"`. `onResolve` runs each time VS Code (re)creates the view's page.
 */
export function registerWebviewView(
  ctx: WebviewContext,
  viewId: string,
  spec: WebviewSpec,
  onResolve: (channel: WebviewChannel, view: vscode.WebviewView) => void,
): vscode.Disposable {
  return vscode.window.registerWebviewViewProvider(viewId, {
    resolveWebviewView(view) {
      const channel = attachWebview(view.webview, ctx, spec);
      const visibility = view.onDidChangeVisibility(() => { if (!view.visible && !spec.retainContextWhenHidden) channel.markNotReady(); });
      view.onDidDispose(() => { visibility.dispose(); channel.dispose(); });
      onResolve(channel, view);
    },
  }, { webviewOptions: { retainContextWhenHidden: spec.retainContextWhenHidden ?? false } });
}
