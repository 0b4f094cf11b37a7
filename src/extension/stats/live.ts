/**
 * Live sampling of one connection: a StatsSampler ticking at `cachelens.stats.intervalSeconds`,
 * its samples kept in a bounded ring buffer (one hour), and events for the status bar, the
 * dashboard and the alerts. A tick that is still running when the next one is due is skipped,
 * so a slow server never piles up INFO calls.
 */
import * as vscode from 'vscode';
import type { CacheDriver } from '../../core/driver/types';
import { RingBuffer } from '../../core/stats/ring-buffer';
import { StatsSampler, type Sample } from '../../core/stats/sampler';
import type { StatsPoint } from '../../../webview/protocol/stats';
import type { ConnectionManager } from '../connections/manager';

export function toPoint(s: Sample): StatsPoint {
  return {
    t: s.t, hitRatio: s.hitRatio, totalHitRatio: s.totalHitRatio, hits: s.hits, misses: s.misses,
    hitsPerSec: s.hitsPerSec, missesPerSec: s.missesPerSec, opsPerSec: s.opsPerSec,
    evictionsPerSec: s.evictionsPerSec, expirationsPerSec: s.expirationsPerSec,
    usedMemory: s.usedMemory, maxMemory: s.maxMemory, keys: s.keys, clients: s.clients, reset: s.reset,
  };
}

export class LiveStats implements vscode.Disposable {
  readonly points: RingBuffer<StatsPoint>;
  lastSample: Sample | undefined;
  error: string | undefined;
  private sampler: StatsSampler | undefined;
  private driver: CacheDriver | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly sampled = new vscode.EventEmitter<Sample>();
  private readonly failed = new vscode.EventEmitter<string | undefined>();
  readonly onSample = this.sampled.event;
  /** Fires with a message when sampling fails, and with undefined when it recovers. */
  readonly onError = this.failed.event;

  constructor(private readonly manager: ConnectionManager, readonly connectionId: string, readonly intervalSeconds: number) {
    this.points = new RingBuffer<StatsPoint>(Math.max(60, Math.ceil(3600 / intervalSeconds)));
  }

  get running(): boolean { return this.timer !== undefined; }

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => { void this.tick(); }, this.intervalSeconds * 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sample now (also used by tests to avoid waiting for the timer). */
  async tick(): Promise<Sample | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    try {
      return await this.manager.withDriver(this.connectionId, async (driver) => {
        // A reopened driver has a fresh ledger: start a fresh baseline with it.
        if (driver !== this.driver) { this.driver = driver; this.sampler = new StatsSampler(driver, { capacity: 1 }); }
        const s = await (this.sampler as StatsSampler).sample();
        if (this.error !== undefined) { this.error = undefined; this.failed.fire(undefined); }
        if (s) {
          this.lastSample = s;
          this.points.push(toPoint(s));
          this.sampled.fire(s);
        }
        return s ?? undefined;
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message !== this.error) { this.error = message; this.failed.fire(message); }
      this.driver = undefined;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    this.stop();
    this.sampled.dispose();
    this.failed.dispose();
  }
}

/** One LiveStats per connection, created on demand, all stopped on dispose. */
export class LiveStatsRegistry implements vscode.Disposable {
  private readonly live = new Map<string, LiveStats>();
  private readonly started = new vscode.EventEmitter<LiveStats>();
  readonly onDidStart = this.started.event;

  constructor(private readonly manager: ConnectionManager, private readonly intervalSeconds: () => number) {}

  get(connectionId: string): LiveStats | undefined { return this.live.get(connectionId); }

  /** Starts sampling the connection (if it is not already) and returns it. */
  ensure(connectionId: string): LiveStats {
    let l = this.live.get(connectionId);
    if (!l) {
      l = new LiveStats(this.manager, connectionId, this.intervalSeconds());
      this.live.set(connectionId, l);
      l.start();
      this.started.fire(l);
    }
    return l;
  }

  stop(connectionId: string): void {
    this.live.get(connectionId)?.dispose();
    this.live.delete(connectionId);
  }

  dispose(): void {
    for (const l of this.live.values()) l.dispose();
    this.live.clear();
    this.started.dispose();
  }
}
