/**
 * CacheLens's own footprint on the server's counters. Redis counts TYPE, PTTL, OBJECT, EXISTS
 * and even SCAN's TYPE filter as keyspace hits or misses (measured on 7.0.15; only MEMORY USAGE
 * and DEBUG OBJECT don't), so metadata reads cannot be invisible. Drivers record here exactly
 * what their own commands did, per node, and the stats sampler subtracts it: the hit ratio
 * CacheLens shows is the application's, not the inspector's.
 */
export interface Activity { hits: number; misses: number; commands: number }

export class ActivityLedger {
  private readonly perNode = new Map<string, Activity>();

  record(node: string, delta: Partial<Activity>): void {
    let a = this.perNode.get(node);
    if (!a) { a = { hits: 0, misses: 0, commands: 0 }; this.perNode.set(node, a); }
    a.hits += delta.hits ?? 0;
    a.misses += delta.misses ?? 0;
    a.commands += delta.commands ?? 0;
  }

  /** Totals so far for one node (zeros when nothing was recorded). */
  get(node: string): Activity {
    const a = this.perNode.get(node);
    return a ? { ...a } : { hits: 0, misses: 0, commands: 0 };
  }
}
