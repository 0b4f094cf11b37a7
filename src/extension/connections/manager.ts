/**
 * The saved connections and their open drivers. Profiles (name, URL without the password,
 * read-only flag) live in the `cachelens.connections` user setting; passwords live only in
 * SecretStorage. A driver is opened on first use and dropped when the server goes away, so the
 * next operation reconnects instead of retrying in the background.
 */
import * as vscode from 'vscode';
import { openDriver } from '../../core/driver/index';
import type { CacheDriver } from '../../core/driver/types';
import { CacheLensError, redactUrl } from '../../core/errors';
import { newProfileId, readProfiles, splitPassword, type ConnectionProfile } from './profile';

const SECRET_PREFIX = 'cachelens.password.';
const ACTIVE_KEY = 'cachelens.activeConnection';

/** Failures after which the driver is closed and reopened on the next use. */
const CONNECTION_LOST: ReadonlySet<string> = new Set(['unreachable', 'closed', 'timeout', 'tls', 'auth']);

export interface NewConnection {
  name: string;
  /** May contain a password: it is moved to SecretStorage. */
  url: string;
  password?: string;
  readOnly?: boolean;
}

export interface TestResult { ok: boolean; message: string; ms: number }

export class ConnectionManager implements vscode.Disposable {
  private profiles: ConnectionProfile[] = [];
  private readonly drivers = new Map<string, Promise<CacheDriver>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Profiles were added, edited or removed, or the active connection changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.reload();
    this.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('cachelens.connections')) {
        this.reload();
        this.changed.fire();
      }
    }));
  }

  list(): readonly ConnectionProfile[] {
    return this.profiles;
  }

  get(id: string): ConnectionProfile | undefined {
    return this.profiles.find((p) => p.id === id);
  }

  /** The connection shown in the status bar and used by commands run from the palette. */
  active(): ConnectionProfile | undefined {
    const id = this.context.globalState.get<string>(ACTIVE_KEY);
    return (id ? this.get(id) : undefined) ?? this.profiles[0];
  }

  async setActive(id: string): Promise<void> {
    await this.context.globalState.update(ACTIVE_KEY, id);
    this.changed.fire();
  }

  async add(input: NewConnection): Promise<ConnectionProfile> {
    const { url, password } = splitPassword(input.url);
    const profile: ConnectionProfile = { id: newProfileId(), name: input.name.trim() || url, url, readOnly: input.readOnly === true };
    const secret = input.password ?? password;
    if (secret) await this.context.secrets.store(SECRET_PREFIX + profile.id, secret);
    await this.save([...this.profiles, profile]);
    if (this.profiles.length === 1) await this.context.globalState.update(ACTIVE_KEY, profile.id);
    this.changed.fire();
    return profile;
  }

  /** `password: null` removes the stored password; undefined keeps it. */
  async update(id: string, changes: { name?: string; url?: string; password?: string | null; readOnly?: boolean }): Promise<ConnectionProfile> {
    const current = this.require(id);
    const next = { ...current };
    if (changes.name !== undefined) next.name = changes.name.trim() || current.name;
    if (changes.readOnly !== undefined) next.readOnly = changes.readOnly;
    let password = changes.password;
    if (changes.url !== undefined) {
      const split = splitPassword(changes.url);
      next.url = split.url;
      if (password === undefined && split.password) password = split.password;
    }
    if (password === null) await this.context.secrets.delete(SECRET_PREFIX + id);
    else if (password) await this.context.secrets.store(SECRET_PREFIX + id, password);
    await this.save(this.profiles.map((p) => (p.id === id ? next : p)));
    await this.disconnect(id);
    this.changed.fire();
    return next;
  }

  async remove(id: string): Promise<void> {
    await this.disconnect(id);
    await this.context.secrets.delete(SECRET_PREFIX + id);
    await this.save(this.profiles.filter((p) => p.id !== id));
    if (this.context.globalState.get(ACTIVE_KEY) === id) await this.context.globalState.update(ACTIVE_KEY, undefined);
    this.changed.fire();
  }

  /** The profile's driver, opened on first use. Fails within the connect timeout (5 s). */
  driver(id: string): Promise<CacheDriver> {
    let pending = this.drivers.get(id);
    if (!pending) {
      const profile = this.require(id);
      pending = this.open(profile);
      this.drivers.set(id, pending);
      pending.catch(() => {
        if (this.drivers.get(id) === pending) this.drivers.delete(id);
      });
    }
    return pending;
  }

  /** Runs `fn` with the driver; a lost connection is dropped so the next call reconnects. */
  async withDriver<T>(id: string, fn: (driver: CacheDriver, profile: ConnectionProfile) => Promise<T>): Promise<T> {
    const driver = await this.driver(id);
    try {
      return await fn(driver, this.require(id));
    } catch (e) {
      if (CacheLensError.is(e) && CONNECTION_LOST.has(e.reason)) await this.disconnect(id);
      throw e;
    }
  }

  /** Connects to a URL (a saved one or one being typed) and reports what answered. */
  async test(url: string, password?: string): Promise<TestResult> {
    const started = Date.now();
    try {
      const split = splitPassword(url);
      const driver = await openDriver(split.url, { password: password ?? split.password });
      try {
        const caps = driver.capabilities();
        const nodes = driver.nodes();
        const note = caps.note ? ` (${caps.note})` : '';
        return { ok: true, message: `connected to ${driver.display}: ${nodes.length} node${nodes.length === 1 ? '' : 's'}${note}`, ms: Date.now() - started };
      } finally {
        await driver.close().catch(() => undefined);
      }
    } catch (e) {
      return { ok: false, message: describeError(e), ms: Date.now() - started };
    }
  }

  async testSaved(id: string): Promise<TestResult> {
    const profile = this.require(id);
    return this.test(profile.url, await this.password(id));
  }

  password(id: string): Thenable<string | undefined> {
    return this.context.secrets.get(SECRET_PREFIX + id);
  }

  /** Closes the driver; the next use opens a new one. */
  async disconnect(id: string): Promise<void> {
    const pending = this.drivers.get(id);
    this.drivers.delete(id);
    if (pending) await pending.then((d) => d.close(), () => undefined).catch(() => undefined);
  }

  require(id: string): ConnectionProfile {
    const profile = this.get(id);
    if (!profile) throw new CacheLensError('usage', `no saved connection with id ${id}`);
    return profile;
  }

  dispose(): void {
    for (const id of [...this.drivers.keys()]) void this.disconnect(id);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private async open(profile: ConnectionProfile): Promise<CacheDriver> {
    const password = await this.password(profile.id);
    return openDriver(profile.url, { password, readOnly: profile.readOnly });
  }

  private reload(): void {
    this.profiles = readProfiles(vscode.workspace.getConfiguration('cachelens').get('connections'));
  }

  private async save(profiles: ConnectionProfile[]): Promise<void> {
    this.profiles = profiles;
    await vscode.workspace.getConfiguration('cachelens').update('connections',
      profiles.map(({ id, name, url, readOnly }) => ({ id, name, url, readOnly })), vscode.ConfigurationTarget.Global);
  }
}

/** One line for a notification: the typed message, or a redacted fallback for anything else. */
export function describeError(e: unknown): string {
  if (CacheLensError.is(e)) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return redactUrl(message.split('\n')[0] || 'unexpected error');
}
