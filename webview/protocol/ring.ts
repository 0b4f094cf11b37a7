/**
 * The hash-ring simulator webview. The host does every computation with the ring core and sends
 * a finished view; the page only draws. Key names come from servers: the page shows them as text
 * nodes only.
 */
import { defineNotification, defineRequest } from './base';

export interface AlgorithmView { name: string; summary: string; supportsWeights: boolean; supportsVnodes: boolean }
export interface ConnectionView { id: string; name: string }

export type KeySource = { kind: 'synthetic'; count: number } | { kind: 'live'; connectionId: string; sample: number };

export interface RingParams {
  algorithm: string;
  /** One node per line or comma: `host:port` with an optional weight after a space or `*`. */
  nodes: string;
  vnodes: number;
  source: KeySource;
  /** A node to add (`host:port` with optional weight) or the id of one to remove. */
  change?: { add: string } | { remove: string };
}

export interface NodeLoadView { node: string; keys: number; share: number; expectedShare: number }
export interface LoadView { nodes: NodeLoadView[]; total: number; maxOverMean: number; stddev: number; relativeStddev: number }
export interface MoveView { moved: number; movedFraction: number; idealMovedFraction: number; movedBetweenSurvivors: number }

/** A mark on the circle: position in [0, 1) and the index of its node. */
export interface MarkView { position: number; node: number }

/** One key dot: where it sits before (and after) the change, and which node owns it. */
export interface DotView { key: string; position: number; node: number; after?: { position: number; node: number } }

export interface ClusterView {
  masters: { node: string; slots: number; keys: number; share: number }[];
  /** Slot ranges with their owner index into `masters` (-1 unowned), in slot order. */
  ranges: { start: number; end: number; owner: number }[];
  keysPerSlot: number[];
  hotTags: { tag: string; keys: number; share: number; slot: number; node: string | null }[];
  total: number;
  unownedSlots: number;
  misplaced: number;
}

export interface RingView {
  params: RingParams;
  algorithm: string;
  /** 'ring': positions are ring positions; 'slots': slot / 16384; 'sectors': no ring, keys are grouped by node for drawing. */
  layout: 'ring' | 'slots' | 'sectors';
  nodes: string[];
  /** The node list after the change (same order, the new node last, the removed one gone). */
  nodesAfter?: string[];
  marks: MarkView[];
  marksAfter?: MarkView[];
  dots: DotView[];
  load: LoadView;
  loadAfter?: LoadView;
  movement?: MoveView;
  source: string;
  cluster?: ClusterView;
  /** Notes to show (e.g. "the live cluster's masters replace the node list"). */
  notes: string[];
}

export interface SlotLookup { key: string; slot: number; node: string | null; owner: number }

/** host -> page after every "ready": choices and the parameters to start with. */
export const Init = defineNotification<{ algorithms: AlgorithmView[]; connections: ConnectionView[]; params: RingParams }>('ring/init');
/** page -> host: compute the ring for these parameters. */
export const Compute = defineRequest<RingParams, RingView>('ring/compute');
/** host -> page: a view computed because the command was run with arguments (or re-sent after a reload). */
export const Show = defineNotification<RingView>('ring/show');
/** page -> host: the slot and owning master of a key on a live cluster connection. */
export const LookupSlot = defineRequest<{ connectionId: string; key: string }, SlotLookup>('ring/lookupSlot');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The host checks a payload from the page before acting on it. */
export function isRingParams(v: unknown): v is RingParams {
  if (!isObject(v) || typeof v.algorithm !== 'string' || typeof v.nodes !== 'string' || typeof v.vnodes !== 'number') return false;
  const s = v.source;
  if (!isObject(s)) return false;
  const sourceOk = (s.kind === 'synthetic' && typeof s.count === 'number')
    || (s.kind === 'live' && typeof s.connectionId === 'string' && typeof s.sample === 'number');
  if (!sourceOk) return false;
  if (v.change === undefined) return true;
  return isObject(v.change) && (typeof v.change.add === 'string' || typeof v.change.remove === 'string');
}
