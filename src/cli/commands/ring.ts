import * as fs from 'node:fs';
import { openDriver, resolveConnectOptions } from '../../core/driver/index';
import { CacheLensError } from '../../core/errors';
import type { PlacementAlgorithm, RingKey, RingNode, SlotMap } from '../../core/ring/algorithm';
import { liveKeys, tallyLive } from '../../core/ring/live';
import { ClusterTally, crossSlotCheck, fetchSlotMap } from '../../core/ring/live-cluster';
import { checkPool, type PoolReport } from '../../core/ring/live-memcached';
import { compare, loadReport, RingTally, syntheticKeys, vnodeSweep, type Change, type LoadReport, type MoveReport } from '../../core/ring/metrics';
import { keySlot } from '../../core/ring/redis-slots';
import { algorithmNames, algorithms, getAlgorithm } from '../../core/ring/registry';
import { intOpt, opt, optList, parseArgs, usage as usageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIO } from '../io';

const usage = `Usage: cachelens ring --algo ALGO --nodes a:11211,b:11211[,...] [--weights 1,2,...] [--vnodes N]
                      (--keys FILE | --url URL [--sample N] [--match GLOB] | --synthetic N)
                      [--add NODE] [--remove NODE] [--compare] [--sweep] [--json]
       cachelens ring locate --algo ALGO [--nodes ...] [--weights ...] [--url URL] KEY... [--json]

Where keys live under a client's placement algorithm, how evenly they spread, and how many move
when a node joins or leaves. No server is needed except for --url.
  --algo ALGO     ${algorithmNames().join(', ')}
  --nodes LIST    servers as the client lists them (host:port); order matters to modulo and jump,
                  the exact text to ketama and vnode-md5
  --weights LIST  one weight per node (ketama, vnode-md5, rendezvous, redis-slots)
  --vnodes N      virtual nodes per node for vnode-md5 (default 150)
  --keys FILE     one key per line (bytes as they are; a trailing CR is dropped)
  --url URL       the keys of a live server, by SCAN (all, or --sample N of them). A Redis
                  Cluster with --algo redis-slots and no --nodes: its real slot map, keys and
                  slots per master, hot hash tags. A memcached pool with --algo ketama or modulo:
                  where each key should live (--nodes: the client's names for the URL's servers,
                  in the same order) checked against where it is.
  --synthetic N   the keys key:0 .. key:N-1
  --add NODE      also count the keys that move when NODE joins (ideal: its share, 1/(N+1))
  --remove NODE   also count the keys that move when NODE leaves
  --compare       every algorithm side by side on the same keys
  --sweep         vnode-md5 with 1 to 1000 virtual nodes: the spread narrowing
  --json          {"algo","nodes":[{"node","keys","share"}],"maxOverMean","stddev",
                   "moved","movedFraction","idealMovedFraction"}  (moved* with --add/--remove)
locate prints the node of each KEY; --json: [{"key","node"}], or with redis-slots and no
nodes [{"key","slot"}] (plus "node" with --url of a cluster).`;

export const ringCommand: CliCommand = {
  name: 'ring',
  usage,
  async run(argv, io) {
    if (argv[0] === 'locate') return locate(argv.slice(1), io);
    const args = parseArgs(argv, {
      boolean: ['json', 'compare', 'sweep'],
      string: ['algo', 'vnodes', 'keys', 'url', 'synthetic', 'sample', 'match', 'add', 'remove'],
      multiple: ['nodes', 'weights'],
    });
    if (args.positionals.length) throw usageError(`unexpected argument "${args.positionals[0]}"`);
    const json = args.flags.has('json');
    const algorithm = algorithmOf(args);
    const vnodes = vnodesOf(args);
    const sources = ['keys', 'url', 'synthetic'].filter((s) => opt(args, s) !== undefined);
    if (sources.length !== 1) throw usageError('give exactly one key source: --keys FILE, --url URL or --synthetic N');
    if (opt(args, 'add') !== undefined && opt(args, 'remove') !== undefined) throw usageError('give --add or --remove, not both');
    const url = opt(args, 'url');
    const sample = intOpt(args, 'sample');
    if (sample !== undefined && sample < 1) throw usageError('--sample must be at least 1');
    if ((sample !== undefined || opt(args, 'match') !== undefined) && !url) throw usageError('--sample and --match go with --url');

    if (url) {
      const kind = resolveConnectOptions(url).kind;
      if (kind === 'redis' && algorithm.name === 'redis-slots' && optList(args, 'nodes').length === 0) {
        return clusterRing(args, io, url, json);
      }
      if (kind === 'memcached' && (algorithm.name === 'ketama' || algorithm.name === 'modulo') && !args.flags.has('compare') && !args.flags.has('sweep')) {
        return poolRing(args, io, url, algorithm, json);
      }
    }
    const nodes = nodesOf(args, true);
    const change = changeOf(args, nodes);
    if (url && !args.flags.has('sweep') && !args.flags.has('compare')) {
      // One placement over live keys streams batch by batch: no key list is kept.
      const placement = algorithm.build(nodes, { vnodes });
      const driver = await openDriver(url);
      try {
        const tally = await tallyLive(driver, placement, change, { sample, match: opt(args, 'match'), signal: io.signal });
        printLoad(io, json, tally.load(), tally.movement(), change, 'live keys');
      } finally {
        await driver.close().catch(() => undefined);
      }
      return 0;
    }
    const keys = url ? await liveKeyList(url, sample, opt(args, 'match'), io) : keySource(args);

    if (args.flags.has('sweep')) {
      const rows = vnodeSweep(getAlgorithm('vnode-md5'), nodes, keys);
      if (json) io.out(JSON.stringify({ algo: 'vnode-md5', keys: keys.length, sweep: rows }) + '\n');
      else {
        io.out(`vnode-md5 over ${nodes.length} nodes, ${keys.length} keys: spread by virtual nodes per node\n`);
        io.out('vnodes  max/mean  stddev  stddev/mean\n');
        for (const r of rows) io.out(`${String(r.vnodes).padStart(6)}  ${r.maxOverMean.toFixed(3).padStart(8)}  ${r.stddev.toFixed(1).padStart(6)}  ${pct(r.relativeStddev).padStart(11)}\n`);
      }
      return 0;
    }
    if (args.flags.has('compare')) {
      const rows = compare(algorithms, nodes, keys, { vnodes }, change);
      if (json) io.out(JSON.stringify(rows.map((r) => ('skipped' in r ? r : { ...loadJson(r.load), ...moveJson(r.movement) }))) + '\n');
      else {
        io.out(`${nodes.length} nodes, ${keys.length} keys${changeText(change)}\n`);
        io.out(`algorithm     max/mean  stddev/mean${change ? '  moved    ideal  between survivors' : ''}\n`);
        for (const r of rows) {
          if ('skipped' in r) { io.out(`${r.algo.padEnd(12)}  (${r.skipped})\n`); continue; }
          let line = `${r.algo.padEnd(12)}  ${r.load.maxOverMean.toFixed(3).padStart(8)}  ${pct(r.load.relativeStddev).padStart(11)}`;
          if (r.movement) line += `  ${pct(r.movement.movedFraction).padStart(6)}  ${pct(r.movement.idealMovedFraction).padStart(6)}  ${String(r.movement.movedBetweenSurvivors).padStart(17)}`;
          io.out(line + '\n');
        }
      }
      return 0;
    }
    const placement = algorithm.build(nodes, { vnodes });
    const tally = new RingTally(placement, change);
    tally.add(keys);
    printLoad(io, json, tally.load(), tally.movement(), change, url ? 'live keys' : opt(args, 'keys') ? 'keys from file' : 'synthetic keys');
    return 0;
  },
};

async function locate(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json'], string: ['algo', 'vnodes', 'url'], multiple: ['nodes', 'weights'] });
  const json = args.flags.has('json');
  const algorithm = algorithmOf(args);
  const keys = args.positionals;
  if (keys.length === 0) throw usageError('ring locate needs at least one KEY');
  const url = opt(args, 'url');
  const nodeList = optList(args, 'nodes');

  if (algorithm.name === 'redis-slots' && nodeList.length === 0) {
    let map: SlotMap | null = null;
    if (url) {
      map = await fetchSlotMap(url);
      if (!map) throw new CacheLensError('unsupported', 'the --url server is not a Redis Cluster: give --nodes to simulate one');
    }
    const rows = keys.map((key) => {
      const slot = keySlot(key);
      const o = map ? map.owner[slot] : -1;
      return map ? { key, slot, node: o === -1 ? null : map.nodes[o] } : { key, slot };
    });
    if (json) io.out(JSON.stringify(rows) + '\n');
    else for (const r of rows) io.out(`${r.key}\tslot ${r.slot}${'node' in r ? `\t${r.node ?? '(unowned slot)'}` : ''}\n`);
    warnCrossSlot(io, keys);
    return 0;
  }
  if (url) throw usageError('--url with ring locate is for a Redis Cluster with --algo redis-slots and no --nodes');
  const placement = algorithm.build(nodesOf(args, true), { vnodes: vnodesOf(args) });
  const rows = keys.map((key) => ({ key, node: placement.nodes[placement.locate(key)].id }));
  if (json) io.out(JSON.stringify(rows) + '\n');
  else for (const r of rows) io.out(`${r.key}\t${r.node}\n`);
  if (algorithm.name === 'redis-slots') warnCrossSlot(io, keys);
  return 0;
}

function warnCrossSlot(io: CliIO, keys: string[]): void {
  if (keys.length < 2) return;
  const check = crossSlotCheck(keys.map((k) => Buffer.from(k)));
  if (check.crossSlot) io.err(`warning: ${check.message}\n`);
}

/** A real cluster: slots and keys per master, hot tags, and a simulated --add/--remove from the real slot map. */
async function clusterRing(args: ParsedArgs, io: CliIO, url: string, json: boolean): Promise<number> {
  const map = await fetchSlotMap(url);
  if (!map) throw new CacheLensError('unsupported', 'the --url server is not a Redis Cluster: give --nodes to simulate one with --algo redis-slots');
  const nodes: RingNode[] = map.nodes.map((id) => ({ id, weight: 1 }));
  const placement = getAlgorithm('redis-slots').build(nodes, { slotMap: map });
  const change = changeOf(args, nodes);
  const tally = new RingTally(placement, change);
  const cluster = new ClusterTally(map);
  const driver = await openDriver(url);
  try {
    for await (const batch of liveKeys(driver, { sample: intOpt(args, 'sample'), match: opt(args, 'match'), signal: io.signal })) {
      tally.add(batch.keys);
      cluster.add(batch.keys, batch.nodes);
    }
  } finally {
    await driver.close().catch(() => undefined);
  }
  const load = tally.load();
  const movement = tally.movement();
  const report = cluster.report();
  if (json) {
    io.out(JSON.stringify({
      ...loadJson(load),
      nodes: report.masters.map((m) => ({ node: m.node, keys: m.keys, share: m.share, slots: m.slots })),
      ...moveJson(movement),
      unownedSlots: report.unownedSlots,
      misplaced: report.misplaced,
      hotTags: report.hotTags,
    }) + '\n');
    return 0;
  }
  io.out(`Redis Cluster ${driver.display}: ${map.nodes.length} masters, ${load.total} keys${report.unownedSlots ? `, ${report.unownedSlots} slots unowned` : ''}\n`);
  io.out('master                    slots      keys   share\n');
  for (const m of report.masters) io.out(`${m.node.padEnd(22)}  ${String(m.slots).padStart(7)}  ${String(m.keys).padStart(8)}  ${pct(m.share).padStart(6)}\n`);
  io.out(`max/mean ${load.maxOverMean.toFixed(3)}  stddev ${load.stddev.toFixed(1)} (${pct(load.relativeStddev)} of mean)\n`);
  if (report.misplaced) io.out(`${report.misplaced} keys sit on a master that does not own their slot (resharding in progress?)\n`);
  if (report.hotTags.length) {
    io.out('hash tags with the most keys:\n');
    for (const t of report.hotTags) io.out(`  {${t.tag}}  ${t.keys} keys (${pct(t.share)})  slot ${t.slot} on ${t.node ?? 'no master'}\n`);
  }
  if (movement) io.out(moveText(movement, change));
  return 0;
}

async function poolRing(args: ParsedArgs, io: CliIO, url: string, algorithm: PlacementAlgorithm, json: boolean): Promise<number> {
  const conn = resolveConnectOptions(url);
  if (conn.kind !== 'memcached') throw usageError('not a memcached URL');
  const servers = conn.servers.map((s) => `${s.host}:${s.port}`);
  const names = optList(args, 'nodes');
  if (names.length && names.length !== servers.length) throw usageError(`--nodes names ${names.length} servers but the URL has ${servers.length}`);
  const nodes = withWeights(args, names.length ? names : servers);
  const placement = algorithm.build(nodes);
  const driver = await openDriver(url);
  let report: PoolReport;
  try {
    report = await checkPool(driver, servers, placement, { sample: intOpt(args, 'sample'), match: opt(args, 'match'), signal: io.signal });
  } finally {
    await driver.close().catch(() => undefined);
  }
  const counts = report.servers.map((s) => s.keys);
  const load = loadReport(placement, counts, report.total);
  if (json) {
    io.out(JSON.stringify({ ...loadJson(load), misplaced: report.misplaced, misplacedFraction: report.misplacedFraction, servers: report.servers, examples: report.examples }) + '\n');
    return 0;
  }
  io.out(`memcached pool ${driver.display} under ${algorithm.name}: ${report.total} keys\n`);
  io.out('server                   keys   share  misplaced  belong here\n');
  report.servers.forEach((s, i) => io.out(`${nodes[i].id.padEnd(22)}  ${String(s.keys).padStart(6)}  ${pct(load.nodes[i].share).padStart(6)}  ${String(s.misplaced).padStart(9)}  ${String(s.expected).padStart(11)}\n`));
  io.out(`${report.misplaced} keys (${pct(report.misplacedFraction)}) are not where ${algorithm.name} would look for them${report.misplaced ? ': a client using it misses on them' : ''}\n`);
  for (const e of report.examples.slice(0, 5)) io.out(`  ${e.key}: on ${e.on}, expected on ${e.expected}\n`);
  return 0;
}

function printLoad(io: CliIO, json: boolean, load: LoadReport, movement: MoveReport | undefined, change: Change | undefined, source: string): void {
  if (json) {
    io.out(JSON.stringify({ ...loadJson(load), ...moveJson(movement) }) + '\n');
    return;
  }
  const weighted = load.nodes.some((n) => Math.abs(n.expectedShare - 1 / load.nodes.length) > 1e-12);
  io.out(`${load.algo} over ${load.nodes.length} nodes, ${load.total} ${source}\n`);
  io.out(`node                        keys   share${weighted ? '  expected' : ''}\n`);
  for (const n of load.nodes) io.out(`${n.node.padEnd(22)}  ${String(n.keys).padStart(10)}  ${pct(n.share).padStart(6)}${weighted ? `  ${pct(n.expectedShare).padStart(8)}` : ''}\n`);
  io.out(`max/mean ${load.maxOverMean.toFixed(3)}  stddev ${load.stddev.toFixed(1)} (${pct(load.relativeStddev)} of mean)\n`);
  if (movement) io.out(moveText(movement, change));
}

function moveText(m: MoveReport, change: Change | undefined): string {
  const what = change && 'add' in change ? `adding ${change.add.id}` : `removing ${change && 'remove' in change ? change.remove : '?'}`;
  return `${what}: ${m.moved} keys move (${pct(m.movedFraction)}), ideal ${pct(m.idealMovedFraction)}; ${m.movedBetweenSurvivors} of them between nodes that stay\n`;
}

function changeText(change: Change | undefined): string {
  if (!change) return '';
  return 'add' in change ? `, adding ${change.add.id}` : `, removing ${change.remove}`;
}

function loadJson(load: LoadReport): Record<string, unknown> {
  return {
    algo: load.algo,
    nodes: load.nodes.map((n) => ({ node: n.node, keys: n.keys, share: n.share })),
    total: load.total,
    maxOverMean: load.maxOverMean,
    stddev: load.stddev,
  };
}

function moveJson(m: MoveReport | undefined): Record<string, unknown> {
  return m ? { moved: m.moved, movedFraction: m.movedFraction, idealMovedFraction: m.idealMovedFraction, movedBetweenSurvivors: m.movedBetweenSurvivors } : {};
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function algorithmOf(args: ParsedArgs): PlacementAlgorithm {
  const name = opt(args, 'algo');
  if (!name) throw usageError(`--algo is required (one of: ${algorithmNames().join(', ')})`);
  return getAlgorithm(name);
}

function vnodesOf(args: ParsedArgs): number | undefined {
  const v = intOpt(args, 'vnodes');
  if (v !== undefined && (v < 1 || v > 100000)) throw usageError('--vnodes must be between 1 and 100000');
  return v;
}

function nodesOf(args: ParsedArgs, required: boolean): RingNode[] {
  const ids = optList(args, 'nodes');
  if (ids.length === 0 && required) throw usageError('--nodes is required (host:port,host:port,...)');
  return withWeights(args, ids);
}

function withWeights(args: ParsedArgs, ids: string[]): RingNode[] {
  const weights = optList(args, 'weights');
  if (weights.length && weights.length !== ids.length) throw usageError(`--weights has ${weights.length} values for ${ids.length} nodes`);
  return ids.map((id, i) => {
    const w = weights.length ? Number(weights[i]) : 1;
    if (!Number.isFinite(w) || w <= 0) throw usageError(`weight "${weights[i]}" must be a positive number`);
    return { id, weight: w };
  });
}

function changeOf(args: ParsedArgs, nodes: RingNode[]): Change | undefined {
  const add = opt(args, 'add');
  const remove = opt(args, 'remove');
  if (add !== undefined) {
    if (nodes.some((n) => n.id === add)) throw usageError(`--add ${add}: that node is already in the list`);
    return { add: { id: add, weight: 1 } };
  }
  if (remove !== undefined) {
    if (!nodes.some((n) => n.id === remove)) throw usageError(`--remove ${remove}: that node is not in the list`);
    if (nodes.length < 2) throw usageError('--remove needs at least two nodes');
    return { remove };
  }
  return undefined;
}

function keySource(args: ParsedArgs): RingKey[] {
  const synthetic = opt(args, 'synthetic');
  if (synthetic !== undefined) {
    const n = Number(synthetic);
    if (!Number.isInteger(n) || n < 1 || n > 50_000_000) throw usageError('--synthetic must be a whole number from 1 to 50000000');
    // As Buffers, like every other key source: string-keyed loops run several times slower in
    // a process that has loaded ioredis (as the CLI has), Buffer-keyed ones do not.
    return syntheticKeys(n).map((k) => Buffer.from(k));
  }
  const file = opt(args, 'keys') as string;
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    throw new CacheLensError('input', `cannot read key file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, e);
  }
  return readKeyLines(data);
}

/** One key per line, as bytes; a trailing CR is dropped, empty lines are skipped. */
export function readKeyLines(data: Buffer): Buffer[] {
  const keys: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    let nl = data.indexOf(0x0a, start);
    if (nl === -1) nl = data.length;
    let end = nl;
    if (end > start && data[end - 1] === 0x0d) end--;
    if (end > start) keys.push(data.subarray(start, end));
    start = nl + 1;
  }
  return keys;
}

async function liveKeyList(url: string, sample: number | undefined, match: string | undefined, io: CliIO): Promise<Buffer[]> {
  const driver = await openDriver(url);
  const keys: Buffer[] = [];
  try {
    for await (const batch of liveKeys(driver, { sample, match, signal: io.signal })) for (const k of batch.keys) keys.push(k);
  } finally {
    await driver.close().catch(() => undefined);
  }
  return keys;
}
