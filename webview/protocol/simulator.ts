/**
 * The eviction simulator webview. Simulations can run for minutes, longer than a request's
 * timeout, so a run is a notification answered by progress/done/failed notifications; the step
 * mode (at most 1000 requests) is a request. The page says "ready" before the host posts Init.
 */
import { defineNotification, defineRequest } from './base';

export interface PolicyView { name: string; family: string; description: string }

export type TraceChoice = { spec: string } | { file: string; format: 'auto' | 'lines' | 'csv' | 'oracleGeneral' };

export interface RunParams {
  trace: TraceChoice;
  policies: string[];
  /** As on the CLI: `10000`, `64MB`, `5%`. */
  sizes: string[];
  bytes: boolean;
  warmup: number;
}

export interface TraceSummary {
  kind: string;
  source: string;
  requests: number;
  objects: number;
  objectBytes: number;
  hasSizes: boolean;
  hasTtls: boolean;
}

export interface ResultRow {
  policy: string;
  size: number;
  requests: number;
  hits: number;
  missRatio: number;
  byteMissRatio: number;
  mreqPerSec: number;
}

export interface RunDone { runId: number; trace: TraceSummary; results: ResultRow[]; bytes: boolean; threads: number; seconds: number }

export interface StepParams { trace: TraceChoice; policy: string; capacity: number; bytes: boolean }
export interface StepFrameView { index: number; id: number; key: string; hit: boolean; evicted: number[]; contents: number[] }
export interface StepView { policy: string; capacity: number; frames: StepFrameView[]; labels: Record<number, string>; hits: number; requests: number }

/** host -> page, after every "ready": the policies and the defaults. */
export const Init = defineNotification<{ policies: PolicyView[]; defaultSpec: string; defaultSizes: string }>('sim/init');
/** page -> host: start a run (a running one is cancelled first). */
export const Run = defineNotification<RunParams & { runId: number }>('sim/run');
/** page -> host: cancel the running simulation. */
export const Cancel = defineNotification<void>('sim/cancel');
/** host -> page: progress of the run, 0..1 per phase. */
export const Progress = defineNotification<{ runId: number; phase: 'reading' | 'simulating'; fraction: number | null; done: number }>('sim/progress');
export const Done = defineNotification<RunDone>('sim/done');
export const Failed = defineNotification<{ runId: number; message: string; cancelled: boolean }>('sim/failed');
/** page -> host: one policy, one capacity, a short trace, a frame per request. */
export const Step = defineRequest<StepParams, StepView>('sim/step');
/** page -> host: choose a trace file (answered by FilePicked; a dialog may outlast a request timeout). */
export const PickFile = defineNotification<void>('sim/pickFile');
export const FilePicked = defineNotification<{ file: string }>('sim/filePicked');
/** page -> host: record live traffic from a saved connection (the host asks which, how long, and for consent). */
export const RecordFromConnection = defineNotification<void>('sim/recordFromConnection');
/** host -> page: a recording was saved as a CSV trace; the page selects it and runs the chosen policies. */
export const Recorded = defineNotification<{ file: string; summary: string }>('sim/recorded');
/** page -> host: save these results / this chart. */
export const ExportCsv = defineNotification<{ csv: string }>('sim/exportCsv');
export const ExportPng = defineNotification<{ dataUrl: string }>('sim/exportPng');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function isTraceChoice(v: unknown): v is TraceChoice {
  if (!isObject(v)) return false;
  if (typeof v.spec === 'string') return true;
  return typeof v.file === 'string' && ['auto', 'lines', 'csv', 'oracleGeneral'].includes(v.format as string);
}

/** The host checks a run's payload before acting on it. */
export function isRunParams(v: unknown): v is RunParams {
  return isObject(v) && isTraceChoice(v.trace) && isStringArray(v.policies) && isStringArray(v.sizes)
    && typeof v.bytes === 'boolean' && typeof v.warmup === 'number' && Number.isInteger(v.warmup) && v.warmup >= 0;
}

export function isStepParams(v: unknown): v is StepParams {
  return isObject(v) && isTraceChoice(v.trace) && typeof v.policy === 'string' && typeof v.capacity === 'number'
    && v.capacity > 0 && typeof v.bytes === 'boolean';
}

/** The results as CSV, the same on both sides. */
export function resultsCsv(rows: ResultRow[]): string {
  const cols: Array<keyof ResultRow> = ['policy', 'size', 'requests', 'hits', 'missRatio', 'byteMissRatio', 'mreqPerSec'];
  return [cols.join(','), ...rows.map((r) => cols.map((c) => String(r[c])).join(','))].join('\n') + '\n';
}
