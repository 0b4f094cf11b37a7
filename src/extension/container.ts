/**
 * The one object a feature receives in `register()`: the extension context, the "CacheLens"
 * output channel, settings, the webview host, a place to share services between features, and
 * the list every disposable goes into. Disposing the container releases everything.
 */
import * as vscode from 'vscode';
import { CacheLensError } from '../core/errors';
import { WebviewPanels, type WebviewContext } from './webview/host';
import { redactSecrets } from './redact';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Writes to the "CacheLens" output channel; every line goes through `redactSecrets` first. */
export class OutputLogger implements Logger {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  info(message: string): void { this.channel.info(redactSecrets(message)); }
  warn(message: string): void { this.channel.warn(redactSecrets(message)); }

  error(message: string, error?: unknown): void {
    this.channel.error(redactSecrets(error === undefined ? message : `${message}: ${describeError(error)}`));
  }
}

/** One line for an expected failure, the stack for a bug. */
export function describeError(error: unknown): string {
  if (CacheLensError.is(error)) return `${error.message} (${error.reason})`;
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Reads `cachelens.*` settings; `section` is the part after `cachelens.`. */
export class Settings {
  get<T>(section: string, fallback: T): T {
    return vscode.workspace.getConfiguration('cachelens').get<T>(section, fallback);
  }

  /** Calls `listener` when `cachelens.<section>` changes. */
  onDidChange(section: string, listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`cachelens.${section}`)) listener();
    });
  }
}

export class Container implements vscode.Disposable, WebviewContext {
  readonly output: vscode.LogOutputChannel;
  readonly logger: Logger;
  readonly settings = new Settings();
  readonly webviews: WebviewPanels;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly services = new Map<string, unknown>();

  constructor(readonly context: vscode.ExtensionContext) {
    this.output = this.track(vscode.window.createOutputChannel('CacheLens', { log: true }));
    this.logger = new OutputLogger(this.output);
    this.webviews = this.track(new WebviewPanels(this));
  }

  get extensionUri(): vscode.Uri { return this.context.extensionUri; }

  /** Adds `disposable` to what the container releases on deactivate; returns it. */
  track<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /**
   * Registers a command whose failures are reported rather than thrown into VS Code: an expected
   * failure (CacheLensError) shows its one-line message; anything else is logged with its stack.
   */
  registerCommand(id: string, handler: (...args: never[]) => unknown): vscode.Disposable {
    return this.track(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        this.reportError(e, id);
        return undefined;
      }
    }));
  }

  /** Shows a failure to the user without a password, and logs it. */
  reportError(error: unknown, context?: string): void {
    const where = context ? ` (${context})` : '';
    if (CacheLensError.is(error)) {
      if (error.reason !== 'cancelled') void vscode.window.showErrorMessage(`CacheLens: ${redactSecrets(error.message)}`);
      this.logger.warn(`${error.message}${where}`);
      return;
    }
    this.logger.error(`unexpected failure${where}`, error);
    void vscode.window.showErrorMessage(`CacheLens: something went wrong${where}. See the "CacheLens" output for details.`);
  }

  /**
   * Lets features share one instance of a service (the connection manager, for example) without
   * importing each other's registration order: the first feature to ask creates it.
   */
  service<T>(key: string, create: () => T): T {
    if (!this.services.has(key)) {
      const value = create();
      this.services.set(key, value);
      if (isDisposable(value)) this.track(value);
    }
    return this.services.get(key) as T;
  }

  dispose(): void {
    // Last in, first out: a feature registered later may depend on an earlier one.
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (e) {
        console.error('CacheLens: dispose failed', e);
      }
    }
    this.services.clear();
  }
}

function isDisposable(value: unknown): value is vscode.Disposable {
  return typeof value === 'object' && value !== null && typeof (value as { dispose?: unknown }).dispose === 'function';
}
