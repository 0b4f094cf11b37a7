import { CacheLensError } from '../../core/errors';
import { displayKey, parseKeyInput } from '../../core/keyname';
import { executePurge, planPurge, type PurgeSelection } from '../../core/purge';
import { opt, parseArgs } from '../args';
import { withDriver } from '../connect';
import type { CacheDriver } from '../../core/driver/types';
import type { CliCommand, CliIO } from '../io';
import { Progress } from '../progress';

const usage = `Usage: cachelens purge [--url URL] (--match GLOB [--type T] | --tag TAG | --key KEY...) [--dry-run] [--yes] [--json]

Deletes exactly the keys that match, and nothing else. First counts them and shows a sample,
then asks for confirmation on a terminal (--yes skips it; without a terminal --yes is required).
With --yes the keys are deleted in the same pass that finds them.
  --match GLOB  keys matching the glob (Redis MATCH syntax), optionally only of --type T
  --tag TAG     every key of the Redis tag set tag:<TAG>, then the set itself
  --key KEY     these keys (repeat --key, or list several after it); \\xff escapes allowed
  --dry-run     count and sample only; delete nothing
  --json        {"matched","deleted"} (and "errors" when some deletes failed)`;

export const purgeCommand: CliCommand = {
  name: 'purge',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { boolean: ['dry-run', 'yes', 'json'], string: ['url', 'match', 'tag', 'type'], multiple: ['key'] });
    const keyArgs = args.options.get('key');
    const sel: PurgeSelection = {};
    if (opt(args, 'match') !== undefined) sel.match = opt(args, 'match');
    if (opt(args, 'type') !== undefined) sel.type = opt(args, 'type');
    if (opt(args, 'tag') !== undefined) sel.tag = opt(args, 'tag');
    if (keyArgs) sel.keys = [...keyArgs, ...args.positionals].map(parseKeyInput);
    else if (args.positionals.length) throw new CacheLensError('usage', `unexpected argument "${args.positionals[0]}"`);
    if (sel.type !== undefined && sel.match === undefined) sel.match = '*';
    const selectors = [sel.match !== undefined, sel.tag !== undefined, sel.keys !== undefined].filter(Boolean).length;
    if (selectors !== 1) throw new CacheLensError('usage', 'give exactly one of --match GLOB, --tag TAG, --key KEY...');
    const json = args.flags.has('json');
    const dryRun = args.flags.has('dry-run');

    return withDriver(args, io, async (driver) => {
      const progress = new Progress(io);
      // --yes is the confirmation given up front: counting first would only list everything twice.
      if (args.flags.has('yes') && !dryRun) return execute(driver, sel, io, progress, json, 0);
      const plan = await planPurge(driver, sel, {
        signal: io.signal,
        onProgress: (p) => progress.update(`counting: ${p.matched} keys match`),
      });
      progress.done();
      if (!json || dryRun) {
        const sample = plan.sample.slice(0, 10).map((k) => `  ${displayKey(k)}`).join('\n');
        io.err(`${plan.matched} key${plan.matched === 1 ? '' : 's'} match on ${driver.display}${plan.matched ? `, for example:\n${sample}` : ''}\n`);
      }
      if (dryRun) {
        if (json) io.out(JSON.stringify({ matched: plan.matched, deleted: 0 }) + '\n');
        else io.out(`dry run: ${plan.matched} keys would be deleted\n`);
        return 0;
      }
      if (plan.matched === 0) {
        io.out(json ? JSON.stringify({ matched: 0, deleted: 0 }) + '\n' : 'nothing to delete\n');
        return 0;
      }
      if (!args.flags.has('yes')) {
        if (!io.prompt) throw new CacheLensError('usage', `refusing to delete ${plan.matched} keys without confirmation: no terminal to ask on; pass --yes`);
        const answer = (await io.prompt(`Delete ${plan.matched} keys from ${driver.display}? Type "yes" to confirm: `)).trim().toLowerCase();
        if (answer !== 'yes' && answer !== 'y') {
          io.err('cachelens purge: nothing deleted\n');
          return 1;
        }
      }
      return execute(driver, sel, io, progress, json, plan.matched);
    });
  },
};

async function execute(driver: CacheDriver, sel: PurgeSelection, io: CliIO, progress: Progress, json: boolean, planned: number): Promise<number> {
  const report = await executePurge(driver, sel, {
    signal: io.signal,
    onProgress: (p) => progress.update(`deleted ${p.deleted} of ${Math.max(p.matched, planned)}`),
  });
  progress.done();
  const out: Record<string, number> = { matched: report.matched, deleted: report.deleted };
  if (report.errors) out.errors = report.errors;
  io.out(json ? JSON.stringify(out) + '\n' : `deleted ${report.deleted} of ${report.matched} matching keys${report.errors ? `, ${report.errors} errors` : ''}\n`);
  if (report.cancelled) { io.err('cachelens purge: cancelled; the count above is what was deleted\n'); return 1; }
  return report.errors ? 1 : 0;
}
