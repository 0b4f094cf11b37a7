import { CacheLensError } from '../../core/errors';
import { displayKey, keyJson } from '../../core/keyname';
import { TagStore } from '../../core/tags';
import { opt, parseArgs } from '../args';
import { withDriver } from '../connect';
import type { CliCommand } from '../io';

const usage = `Usage: cachelens tags [--url URL] [TAG] [--prefix P] [--json]

Tags are Redis sets named tag:<name> whose members are key names (the caching chapter's
convention; Memcached has no tags).
  (no TAG)    every tag with its member count
  TAG         the keys of that tag; members whose key no longer exists are marked dangling
  --prefix P  the tag set prefix (default "tag:")
  --json      without TAG: one {"tag","members"} per line;
              with TAG: {"tag","members","dangling","keys":[{"key"|"keyBase64","exists"}]}`;

export const tagsCommand: CliCommand = {
  name: 'tags',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { boolean: ['json'], string: ['url', 'prefix'] });
    if (args.positionals.length > 1) throw new CacheLensError('usage', 'give at most one TAG');
    const json = args.flags.has('json');
    return withDriver(args, io, async (driver) => {
      const store = new TagStore(driver, { prefix: opt(args, 'prefix') });
      const tag = args.positionals[0];
      if (tag === undefined) {
        const tags = await store.listAll({ signal: io.signal });
        io.out(tags.map((t) => (json
          ? JSON.stringify({ tag: t.name.toString('utf8'), members: t.members })
          : `${displayKey(t.name)}\t${t.members}`)).join('\n') + (tags.length ? '\n' : ''));
        return 0;
      }
      const { members, dangling } = await store.dangling(tag, { signal: io.signal });
      const gone = new Set(dangling.map((k) => k.toString('latin1')));
      const keys: Buffer[] = [];
      for await (const page of store.members(tag, { signal: io.signal })) keys.push(...page);
      const unique = [...new Map(keys.map((k) => [k.toString('latin1'), k])).values()].sort(Buffer.compare);
      if (json) {
        io.out(JSON.stringify({ tag, members, dangling: dangling.length, keys: unique.map((k) => ({ ...keyJson(k), exists: !gone.has(k.toString('latin1')) })) }) + '\n');
      } else {
        io.out(unique.map((k) => `${displayKey(k)}${gone.has(k.toString('latin1')) ? '\t(dangling)' : ''}`).join('\n') + (unique.length ? '\n' : ''));
        if (dangling.length) io.err(`cachelens tags: ${dangling.length} of ${members} members no longer exist\n`);
      }
      return 0;
    });
  },
};
