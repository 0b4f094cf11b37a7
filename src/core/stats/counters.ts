/**
 * Normalizes what servers report (Redis INFO, Memcached `stats`) into one set of counters, so
 * the sampler, the dashboard and the CLI never care which server they watch.
 */
import type { DriverKind } from '../driver/types';

export interface Counters {
  /** Monotone counters (reset only by a restart or CONFIG RESETSTAT / `stats reset`). */
  hits: number;
  misses: number;
  /** Commands processed (Redis total_commands_processed; Memcached cmd_* summed). */
  commands: number;
  evictions: number;
  expirations: number;
  /** Gauges. */
  usedMemory: number;
  /** 0 when unlimited (Redis maxmemory 0). */
  maxMemory: number;
  clients: number;
  keys: number;
  /** Seconds the server has been up: a drop means it restarted. */
  uptime: number;
  evictionPolicy: string;
  /** Per command name: calls (Redis commandstats only). */
  commandCalls: Record<string, number>;
}

function num(fields: Record<string, string>, name: string): number {
  const v = Number(fields[name]);
  return Number.isFinite(v) ? v : 0;
}

export function countersFrom(kind: DriverKind, fields: Record<string, string>): Counters {
  if (kind === 'redis') {
    let keys = 0;
    for (const [name, value] of Object.entries(fields)) {
      // keyspace section: db0:keys=12,expires=3,avg_ttl=0
      if (/^db\d+$/.test(name)) {
        const m = /keys=(\d+)/.exec(value);
        if (m) keys += Number(m[1]);
      }
    }
    const commandCalls: Record<string, number> = {};
    for (const [name, value] of Object.entries(fields)) {
      // commandstats section: cmdstat_get:calls=3,usec=...
      if (name.startsWith('cmdstat_')) {
        const m = /calls=(\d+)/.exec(value);
        if (m) commandCalls[name.slice(8)] = Number(m[1]);
      }
    }
    return {
      hits: num(fields, 'keyspace_hits'),
      misses: num(fields, 'keyspace_misses'),
      commands: num(fields, 'total_commands_processed'),
      evictions: num(fields, 'evicted_keys'),
      expirations: num(fields, 'expired_keys'),
      usedMemory: num(fields, 'used_memory'),
      maxMemory: num(fields, 'maxmemory'),
      clients: num(fields, 'connected_clients'),
      keys,
      uptime: num(fields, 'uptime_in_seconds'),
      evictionPolicy: fields.maxmemory_policy ?? '',
      commandCalls,
    };
  }
  const commandCalls: Record<string, number> = {};
  let commands = 0;
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('cmd_')) {
      const n = Number(value);
      if (Number.isFinite(n)) { commandCalls[name.slice(4)] = n; commands += n; }
    }
  }
  return {
    hits: num(fields, 'get_hits'),
    misses: num(fields, 'get_misses'),
    commands,
    evictions: num(fields, 'evictions'),
    // Memcached counts items that expired before anyone read them; reclaimed ones are not exposed.
    expirations: num(fields, 'expired_unfetched'),
    usedMemory: num(fields, 'bytes'),
    maxMemory: num(fields, 'limit_maxbytes'),
    clients: num(fields, 'curr_connections'),
    keys: num(fields, 'curr_items'),
    uptime: num(fields, 'uptime'),
    evictionPolicy: 'lru',
    commandCalls,
  };
}

/** Sums counters of several nodes (cluster masters, pool members). */
export function sumCounters(list: Counters[]): Counters {
  const total: Counters = {
    hits: 0, misses: 0, commands: 0, evictions: 0, expirations: 0, usedMemory: 0, maxMemory: 0,
    clients: 0, keys: 0, uptime: Infinity, evictionPolicy: '', commandCalls: {},
  };
  const policies = new Set<string>();
  for (const c of list) {
    total.hits += c.hits; total.misses += c.misses; total.commands += c.commands;
    total.evictions += c.evictions; total.expirations += c.expirations;
    total.usedMemory += c.usedMemory; total.maxMemory += c.maxMemory;
    total.clients += c.clients; total.keys += c.keys;
    total.uptime = Math.min(total.uptime, c.uptime);
    policies.add(c.evictionPolicy);
    for (const [k, v] of Object.entries(c.commandCalls)) total.commandCalls[k] = (total.commandCalls[k] ?? 0) + v;
  }
  if (!Number.isFinite(total.uptime)) total.uptime = 0;
  total.evictionPolicy = [...policies].join(',');
  return total;
}

/** hits / (hits + misses), or null when there were no reads. */
export function hitRatio(hits: number, misses: number): number | null {
  const reads = hits + misses;
  return reads > 0 ? hits / reads : null;
}
