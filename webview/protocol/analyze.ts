/**
 * The analyze report's messages (webview/analyze), shared by the extension host and the page.
 * Payloads are plain JSON: prefixes are display text (escaped like the tree shows them when not
 * UTF-8), so the page never sees raw bytes.
 */
import { defineNotification, defineRequest } from './base';

export interface AnalyzeNamespaceView {
  /** The prefix as the tree shows it (`user:`), escaped when it is not UTF-8 text. */
  prefix: string;
  keys: number;
  bytes: number;
  types: Record<string, number>;
  /** Counts per bucket of `AnalyzeView.ttlBuckets`. */
  ttl: number[];
  children: AnalyzeNamespaceView[];
  /** Children beyond the per-namespace cap, added up. */
  other?: { namespaces: number; keys: number; bytes: number };
}

export interface AnalyzeView {
  connection: string;
  /** What was analyzed: "every key" or a namespace. */
  scope: string;
  keys: number;
  bytes: number;
  types: Record<string, number>;
  ttl: number[];
  ttlBuckets: string[];
  namespaces: AnalyzeNamespaceView[];
  /** False when the listing may have missed keys (memcached cachedump fallback). */
  complete: boolean;
  durationMs: number;
}

/** host -> page: a pass started. */
export const Started = defineNotification<{ connection: string; scope: string }>('analyze/started');
/** host -> page: progress of the running pass. */
export const Progress = defineNotification<{ keys: number; bytes: number }>('analyze/progress');
/** host -> page: the finished result. */
export const Result = defineNotification<AnalyzeView>('analyze/result');
/** host -> page: the pass failed or was cancelled. */
export const Failed = defineNotification<{ message: string }>('analyze/failed');
/** page -> host: run the pass again. */
export const Rerun = defineRequest<void, void>('analyze/rerun');
/** page -> host: stop the running pass. */
export const Cancel = defineRequest<void, void>('analyze/cancel');
