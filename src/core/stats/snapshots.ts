/**
 * Snapshots for a debug session: at its start a baseline, at every breakpoint stop what
 * happened since the previous stop (hits, misses, ratio, top commands), and a summary at the
 * end. Driven by whatever tells it "stopped" (the extension listens to the debug adapter
 * protocol), so it works with any debugger.
 */
import type { CacheDriver } from '../driver/types';
import { hitRatio } from './counters';
import { StatsSampler } from './sampler';

export interface Snapshot {
  /** 1 for the first stop of the session. */
  index: number;
  /** Why it was taken: a breakpoint stop, or the end of the session. */
  reason: 'stopped' | 'ended';
  /** Extra words from the debugger (e.g. "breakpoint", "step"). */
  detail?: string;
  t: number;
  seconds: number;
  hits: number;
  misses: number;
  hitRatio: number | null;
  commands: number;
  topCommands: Array<{ command: string; calls: number }>;
}

export interface SessionSummary {
  stops: number;
  seconds: number;
  hits: number;
  misses: number;
  hitRatio: number | null;
  commands: number;
  topCommands: Array<{ command: string; calls: number }>;
}

export class DebugSnapshotRecorder {
  readonly snapshots: Snapshot[] = [];
  private readonly sampler: StatsSampler;
  private startedAt = 0;
  private readonly totals = { hits: 0, misses: 0, commands: 0, calls: new Map<string, number>() };
  /** Snapshots are taken one at a time, in the order the stops arrived. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(driver: CacheDriver, private readonly maxSnapshots = 1000, private readonly now: () => number = Date.now) {
    this.sampler = new StatsSampler(driver, { capacity: 1, now });
  }

  /** Takes the baseline. */
  start(): Promise<void> {
    this.startedAt = this.now();
    return this.enqueue(async () => { await this.sampler.sample(); });
  }

  /** A breakpoint stop: the delta since the previous stop (or the start). */
  stopped(detail?: string): Promise<Snapshot | null> {
    return this.enqueue(() => this.take('stopped', detail));
  }

  /** The session ended: a last snapshot and the summary of the whole session. */
  async end(): Promise<SessionSummary> {
    await this.enqueue(() => this.take('ended'));
    const top = [...this.totals.calls.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([command, calls]) => ({ command, calls }));
    return {
      stops: this.snapshots.filter((s) => s.reason === 'stopped').length,
      seconds: (this.now() - this.startedAt) / 1000,
      hits: this.totals.hits, misses: this.totals.misses, hitRatio: hitRatio(this.totals.hits, this.totals.misses),
      commands: this.totals.commands, topCommands: top,
    };
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async take(reason: Snapshot['reason'], detail?: string): Promise<Snapshot | null> {
    const s = await this.sampler.sample();
    if (!s) return null;
    this.totals.hits += s.hits;
    this.totals.misses += s.misses;
    this.totals.commands += s.commands;
    for (const c of s.topCommands) this.totals.calls.set(c.command, (this.totals.calls.get(c.command) ?? 0) + c.calls);
    const snap: Snapshot = {
      index: this.snapshots.length + 1, reason, detail, t: s.t, seconds: s.seconds,
      hits: s.hits, misses: s.misses, hitRatio: s.hitRatio, commands: s.commands, topCommands: s.topCommands,
    };
    this.snapshots.push(snap);
    if (this.snapshots.length > this.maxSnapshots) this.snapshots.shift();
    return snap;
  }
}

/** One line a person can read in a hover or a notification. */
export function describeSnapshot(s: Pick<Snapshot, 'hits' | 'misses' | 'hitRatio' | 'topCommands'>): string {
  const ratio = s.hitRatio === null ? 'no reads' : `${(s.hitRatio * 100).toFixed(1)} % hit ratio`;
  const top = s.topCommands.slice(0, 3).map((c) => `${c.command}×${c.calls}`).join(', ');
  return `${s.hits} hits, ${s.misses} misses (${ratio})${top ? `; ${top}` : ''}`;
}
