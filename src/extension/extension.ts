/**
 * Activation builds the container and registers every feature from the table in features.ts. A
 * feature that throws is logged and skipped, so one broken feature never takes the others down.
 */
import type * as vscode from 'vscode';
import { Container } from './container';
import { features, type Feature } from './features';

/** Returned from `activate`; the activation test reads it. */
export interface CacheLensApi {
  registered: string[];
  failed: { id: string; message: string }[];
}

let container: Container | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CacheLensApi> {
  container = new Container(context);
  context.subscriptions.push(container);
  return registerFeatures(container, features);
}

export function deactivate(): void {
  container?.dispose();
  container = undefined;
}

export async function registerFeatures(c: Container, list: readonly Feature[]): Promise<CacheLensApi> {
  const api: CacheLensApi = { registered: [], failed: [] };
  for (const feature of list) {
    try {
      await feature.register(c);
      api.registered.push(feature.id);
    } catch (e) {
      c.logger.error(`feature "${feature.id}" failed to register`, e);
      api.failed.push({ id: feature.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  c.logger.info(`activated: ${api.registered.length} feature(s)${api.failed.length ? `, ${api.failed.length} failed` : ''}`);
  return api;
}
