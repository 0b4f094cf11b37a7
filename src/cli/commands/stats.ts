import { hitRatio } from '../../core/stats/counters';
import { StatsSampler, type Sample } from '../../core/stats/sampler';
import { CacheLensError } from '../../core/errors';
import { intOpt, opt, parseArgs } from '../args';
import { withDriver } from '../connect';
import type { CliCommand, CliIO } from '../io';
import { formatBytes, formatRatio, ratioLabel } from '../format';

const usage = `Usage: cachelens stats [--url URL] [--interval SECONDS] [--watch] [--count N] [--json]

Hit/miss counters and hit ratio of a Redis or Memcached server (a cluster or pool summed).
  (default)      one shot: the counters since the server started
  --watch        live: one sample per interval (refreshing in place on a terminal)
  --interval S   seconds between samples (default 1; fractions allowed)
  --count N      with --watch, stop after N samples (default: until Ctrl-C)
  --json         one shot: one JSON object; with --watch: one JSON object per interval per line:
                 {"t","hits","misses","hitRatio","opsPerSec","evictions","expirations","usedMemory","maxMemory"}
                 (hits, misses, evictions and expirations are counts for the interval)
CacheLens's own commands are not counted. A hit ratio above 80 % is good, above 95 % excellent.`;

export const statsCommand: CliCommand = {
  name: 'stats',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { boolean: ['watch', 'json'], string: ['url', 'interval', 'count'] });
    const intervalText = opt(args, 'interval') ?? '1';
    const interval = Number(intervalText);
    if (!Number.isFinite(interval) || interval <= 0) throw new CacheLensError('usage', `--interval must be a positive number of seconds, got "${intervalText}"`);
    const count = intOpt(args, 'count');
    if (count !== undefined && count < 1) throw new CacheLensError('usage', '--count must be at least 1');
    if (args.positionals.length) throw new CacheLensError('usage', `unexpected argument "${args.positionals[0]}"`);
    const json = args.flags.has('json');
    return withDriver(args, io, async (driver) => {
      const sampler = new StatsSampler(driver);
      if (!args.flags.has('watch')) {
        const { total, nodes } = await sampler.current();
        if (json) {
          io.out(JSON.stringify({
            hits: total.hits, misses: total.misses, hitRatio: hitRatio(total.hits, total.misses),
            commands: total.commands, evictions: total.evictions, expirations: total.expirations,
            usedMemory: total.usedMemory, maxMemory: total.maxMemory, evictionPolicy: total.evictionPolicy,
            clients: total.clients, keys: total.keys, uptime: total.uptime,
            nodes: nodes.map((n) => ({ node: n.node, hits: n.counters.hits, misses: n.counters.misses, hitRatio: hitRatio(n.counters.hits, n.counters.misses), keys: n.counters.keys, usedMemory: n.counters.usedMemory })),
          }) + '\n');
        } else {
          const ratio = hitRatio(total.hits, total.misses);
          const lines = [
            `${driver.display}  (since the server started ${total.uptime} s ago)`,
            `hit ratio   ${formatRatio(ratio)}  ${ratioLabel(ratio)}`,
            `hits        ${total.hits}`,
            `misses      ${total.misses}`,
            `commands    ${total.commands}`,
            `evictions   ${total.evictions}`,
            `expirations ${total.expirations}`,
            `memory      ${formatBytes(total.usedMemory)}${total.maxMemory ? ` of ${formatBytes(total.maxMemory)}` : ' (no limit)'}${total.evictionPolicy ? `, policy ${total.evictionPolicy}` : ''}`,
            `keys        ${total.keys}`,
            `clients     ${total.clients}`,
          ];
          if (nodes.length > 1) {
            lines.push('', 'per node:');
            for (const n of nodes) lines.push(`  ${n.node.padEnd(22)} ratio ${formatRatio(hitRatio(n.counters.hits, n.counters.misses)).padStart(7)}  hits ${n.counters.hits}  misses ${n.counters.misses}  keys ${n.counters.keys}`);
          }
          io.out(lines.join('\n') + '\n');
        }
        return 0;
      }
      await watch(sampler, io, interval * 1000, count, json, driver.display);
      return 0;
    });
  },
};

async function watch(sampler: StatsSampler, io: CliIO, intervalMs: number, count: number | undefined, json: boolean, display: string): Promise<void> {
  await sampler.sample();
  let next = Date.now() + intervalMs;
  let produced = 0;
  const live = io.outIsTTY && !json;
  if (!json && !live) io.out('time                      hits   misses  ratio     ops/s  evict  expire  memory\n');
  while (count === undefined || produced < count) {
    if (io.signal?.aborted) break;
    await sleep(Math.max(0, next - Date.now()), io.signal);
    if (io.signal?.aborted) break;
    next += intervalMs;
    const s = await sampler.sample();
    if (!s) continue;
    produced++;
    if (json) {
      io.out(JSON.stringify({
        t: new Date(s.t).toISOString(), hits: s.hits, misses: s.misses, hitRatio: s.hitRatio,
        opsPerSec: round(s.opsPerSec), evictions: s.evictions, expirations: s.expirations,
        usedMemory: s.usedMemory, maxMemory: s.maxMemory,
      }) + '\n');
    } else if (live) {
      io.out('\x1b[H\x1b[2J' + screen(s, display));
    } else {
      io.out(`${new Date(s.t).toISOString()}  ${String(s.hits).padStart(6)} ${String(s.misses).padStart(8)}  ${formatRatio(s.hitRatio).padStart(6)} ${round(s.opsPerSec).toString().padStart(9)} ${String(s.evictions).padStart(6)} ${String(s.expirations).padStart(7)}  ${formatBytes(s.usedMemory)}${s.reset ? '  (counters reset)' : ''}\n`);
    }
  }
}

function screen(s: Sample, display: string): string {
  const bar = (r: number | null) => {
    const width = 40;
    const filled = r === null ? 0 : Math.round(r * width);
    return '[' + '#'.repeat(filled) + '.'.repeat(width - filled) + ']';
  };
  return [
    `CacheLens stats — ${display} — every ${s.seconds.toFixed(1)} s — Ctrl-C to stop`,
    '',
    `hit ratio  ${bar(s.hitRatio)} ${formatRatio(s.hitRatio)} ${ratioLabel(s.hitRatio)}`,
    `since start ${formatRatio(s.totalHitRatio)} (${s.totalHits} hits, ${s.totalMisses} misses)`,
    '',
    `hits/s      ${round(s.hitsPerSec)}`,
    `misses/s    ${round(s.missesPerSec)}`,
    `ops/s       ${round(s.opsPerSec)}`,
    `evictions/s ${round(s.evictionsPerSec)}`,
    `expired/s   ${round(s.expirationsPerSec)}`,
    `memory      ${formatBytes(s.usedMemory)}${s.maxMemory ? ` of ${formatBytes(s.maxMemory)}` : ''}${s.evictionPolicy ? ` (${s.evictionPolicy})` : ''}`,
    `keys        ${s.keys}    clients ${s.clients}`,
    s.reset ? '\n(counters were reset or the server restarted in this interval)' : '',
    s.topCommands.length ? '\ntop commands: ' + s.topCommands.slice(0, 5).map((c) => `${c.command} ${c.calls}`).join(', ') : '',
    '',
  ].join('\n');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}
