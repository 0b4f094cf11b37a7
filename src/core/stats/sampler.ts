/**
 * Samples a connection's counters at an interval and turns counter deltas into rates:
 * hits/s, misses/s, hit ratio (for the interval and since sampling began), ops/s,
 * evictions/s, expirations/s, memory, clients, keys; summed over nodes and per node.
 *
 * Truthful numbers: CacheLens's own commands (the sampler's INFO, browsing's TYPE/PTTL, value
 * reads) are subtracted using the driver's ActivityLedger; a counter that goes down (restart,
 * CONFIG RESETSTAT, `stats reset`) is detected and never shown as a negative rate.
 */
import type { CacheDriver } from '../driver/types';
import type { Activity } from '../driver/ledger';
import { countersFrom, hitRatio, sumCounters, type Counters } from './counters';
import { RingBuffer } from './ring-buffer';

export interface NodeSample {
  node: string;
  hits: number;
  misses: number;
  hitRatio: number | null;
  opsPerSec: number;
  evictions: number;
  expirations: number;
  usedMemory: number;
  maxMemory: number;
  keys: number;
  reset: boolean;
}

export interface Sample {
  /** Wall-clock time of the sample, ms since the epoch. */
  t: number;
  /** Length of the interval in seconds. */
  seconds: number;
  /** Counts during the interval. */
  hits: number;
  misses: number;
  commands: number;
  evictions: number;
  expirations: number;
  /** hits / (hits + misses) in the interval; null when there were no reads. */
  hitRatio: number | null;
  /** Since sampling began. */
  totalHits: number;
  totalMisses: number;
  totalHitRatio: number | null;
  hitsPerSec: number;
  missesPerSec: number;
  opsPerSec: number;
  evictionsPerSec: number;
  expirationsPerSec: number;
  usedMemory: number;
  maxMemory: number;
  evictionPolicy: string;
  clients: number;
  keys: number;
  /** A counter went down on some node in this interval (restart or reset). */
  reset: boolean;
  nodes: NodeSample[];
  /** Commands called during the interval, most first (Redis commandstats). */
  topCommands: Array<{ command: string; calls: number }>;
}

interface NodeState { counters: Counters; own: Activity }

const MONOTONE: Array<'hits' | 'misses' | 'commands' | 'evictions' | 'expirations'> = ['hits', 'misses', 'commands', 'evictions', 'expirations'];

export interface SamplerOptions {
  /** Samples kept (default 3600: an hour at 1 s). Memory stays flat however long it runs. */
  capacity?: number;
  now?: () => number;
}

export class StatsSampler {
  readonly history: RingBuffer<Sample>;
  private previous = new Map<string, NodeState>();
  private previousTime = 0;
  private totalHits = 0;
  private totalMisses = 0;
  private readonly now: () => number;

  constructor(private readonly driver: CacheDriver, options: SamplerOptions = {}) {
    this.history = new RingBuffer<Sample>(options.capacity ?? 3600);
    this.now = options.now ?? Date.now;
  }

  /** Reads the counters since the server started (no deltas): the CLI's one-shot view. */
  async current(): Promise<{ total: Counters; nodes: Array<{ node: string; counters: Counters }> }> {
    const raw = await this.driver.stats();
    const nodes = raw.map((r) => ({ node: r.node, counters: countersFrom(this.driver.kind, r.fields) }));
    return { total: sumCounters(nodes.map((n) => n.counters)), nodes };
  }

  /**
   * Takes one sample. The first call only sets the baseline and returns null; every later call
   * returns the sample for the interval since the previous one.
   */
  async sample(): Promise<Sample | null> {
    const raw = await this.driver.stats();
    const t = this.now();
    // This read itself is one command per node; record it so the next delta excludes it.
    for (const r of raw) this.driver.ledger.record(r.node, { commands: this.driver.kind === 'redis' ? 1 : 0 });
    const states = new Map<string, NodeState>();
    for (const r of raw) {
      states.set(r.node, { counters: countersFrom(this.driver.kind, r.fields), own: this.driver.ledger.get(r.node) });
    }
    const first = this.previous.size === 0;
    const prevStates = this.previous;
    const seconds = (t - this.previousTime) / 1000;
    this.previous = states;
    this.previousTime = t;
    if (first || seconds <= 0) return null;

    const nodes: NodeSample[] = [];
    const deltas: Counters[] = [];
    let anyReset = false;
    const commandDelta: Record<string, number> = {};
    for (const [node, cur] of states) {
      const prev = prevStates.get(node);
      const d = delta(prev, cur);
      anyReset ||= d.reset;
      deltas.push(d.counters);
      for (const [name, calls] of Object.entries(d.commandCalls)) commandDelta[name] = (commandDelta[name] ?? 0) + calls;
      nodes.push({
        node,
        hits: d.counters.hits, misses: d.counters.misses, hitRatio: hitRatio(d.counters.hits, d.counters.misses),
        opsPerSec: d.counters.commands / seconds, evictions: d.counters.evictions, expirations: d.counters.expirations,
        usedMemory: cur.counters.usedMemory, maxMemory: cur.counters.maxMemory, keys: cur.counters.keys, reset: d.reset,
      });
    }
    const sum = sumCounters(deltas);
    const gauges = sumCounters([...states.values()].map((s) => s.counters));
    this.totalHits += sum.hits;
    this.totalMisses += sum.misses;
    const s: Sample = {
      t, seconds,
      hits: sum.hits, misses: sum.misses, commands: sum.commands, evictions: sum.evictions, expirations: sum.expirations,
      hitRatio: hitRatio(sum.hits, sum.misses),
      totalHits: this.totalHits, totalMisses: this.totalMisses, totalHitRatio: hitRatio(this.totalHits, this.totalMisses),
      hitsPerSec: sum.hits / seconds, missesPerSec: sum.misses / seconds, opsPerSec: sum.commands / seconds,
      evictionsPerSec: sum.evictions / seconds, expirationsPerSec: sum.expirations / seconds,
      usedMemory: gauges.usedMemory, maxMemory: gauges.maxMemory, evictionPolicy: gauges.evictionPolicy,
      clients: gauges.clients, keys: gauges.keys, reset: anyReset, nodes,
      topCommands: Object.entries(commandDelta).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]).slice(0, 10)
        .map(([command, calls]) => ({ command, calls })),
    };
    this.history.push(s);
    return s;
  }
}

/**
 * The change of one node's counters over an interval, minus CacheLens's own activity. When a
 * monotone counter went down the server restarted or was reset during the interval: what it
 * reports now is what happened since then, so that is the delta (never negative).
 */
function delta(prev: NodeState | undefined, cur: NodeState): { counters: Counters; commandCalls: Record<string, number>; reset: boolean } {
  const c = cur.counters;
  if (!prev) {
    // A node that just appeared (cluster reshard, pool change): no baseline yet.
    return { counters: { ...c, hits: 0, misses: 0, commands: 0, evictions: 0, expirations: 0, commandCalls: {} }, commandCalls: {}, reset: false };
  }
  const p = prev.counters;
  const reset = c.uptime < p.uptime || MONOTONE.some((k) => c[k] < p[k]);
  const d: Counters = { ...c, commandCalls: {} };
  const ownHits = cur.own.hits - prev.own.hits;
  const ownMisses = cur.own.misses - prev.own.misses;
  const ownCommands = cur.own.commands - prev.own.commands;
  for (const k of MONOTONE) d[k] = reset ? c[k] : c[k] - p[k];
  d.hits = Math.max(0, d.hits - ownHits);
  d.misses = Math.max(0, d.misses - ownMisses);
  d.commands = Math.max(0, d.commands - ownCommands);
  const commandCalls: Record<string, number> = {};
  for (const [name, calls] of Object.entries(c.commandCalls)) {
    const n = reset ? calls : calls - (p.commandCalls[name] ?? 0);
    if (n > 0) commandCalls[name] = n;
  }
  // The sampler's own INFO shows up in commandstats: take it out of the top commands.
  if (commandCalls.info) commandCalls.info = Math.max(0, commandCalls.info - 1);
  return { counters: d, commandCalls, reset };
}
