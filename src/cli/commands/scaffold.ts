import * as fs from 'node:fs';
import { CacheLensError } from '../../core/errors';
import { generateSnippet, listCombinations } from '../../core/snippets/generate';
import type { Serializer } from '../../core/snippets/types';
import { intOpt, opt, parseArgs, usage } from '../args';
import type { CliCommand } from '../io';

const USAGE = `Usage:
  cachelens scaffold --pattern P --lang L [--client C] [--backend redis|memcached] [--ttl S]
                     [--prefix P] [--entity NAME] [--serializer json|string]
                     [--loader NAME] [--writer NAME] [--out FILE [--force]]
  cachelens scaffold --list [--json]

Writes caching code for a pattern in your language and client library: to stdout, or to --out.
No connection is needed.

  --pattern     cache-aside, read-through, write-through, write-behind, tag-invalidation,
                event-invalidation, stampede-lock, stampede-xfetch, multi-level, cache-warming,
                circuit-breaker, memoize
  --lang        typescript, javascript, python, go, java, csharp
  --client      ioredis, node-redis, memjs, redis-py, pymemcache, go-redis, gomemcache, jedis,
                spring-cache, stackexchange-redis (default: the first one for the language/backend)
  --ttl         seconds an entry lives (default 300)
  --prefix      key prefix (default "<entity>:")
  --entity      the cached type, e.g. User (default User)
  --loader      the function that reads one entity (default load<Entity>)
  --writer      the function that writes one entity (default save<Entity>)
  --out         write to this file instead of stdout (an existing file needs --force)
  --list        every supported combination; --json prints it as a JSON array
`;

export const scaffoldCommand: CliCommand = {
  name: 'scaffold',
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(argv, {
      boolean: ['list', 'json', 'force'],
      string: ['pattern', 'lang', 'client', 'backend', 'ttl', 'prefix', 'entity', 'serializer', 'loader', 'writer', 'out'],
    });
    if (args.positionals.length) throw usage(`unexpected argument "${args.positionals[0]}"`);
    if (args.flags.has('list')) {
      const all = listCombinations();
      if (args.flags.has('json')) {
        io.out(JSON.stringify(all.map(({ pattern, lang, client, backend }) => ({ pattern, lang, client, backend }))) + '\n');
      } else {
        const rows = [['PATTERN', 'LANG', 'CLIENT', 'BACKEND'], ...all.map((c) => [c.pattern, c.lang, c.client, c.backend])];
        const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
        io.out(rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n');
      }
      return 0;
    }
    if (args.flags.has('json')) throw usage('--json goes with --list');
    const pattern = opt(args, 'pattern');
    const lang = opt(args, 'lang');
    if (!pattern || !lang) throw usage('--pattern and --lang are required (or --list)');
    const snippet = generateSnippet({
      pattern, lang, client: opt(args, 'client'), backend: opt(args, 'backend'),
      options: {
        ttl: intOpt(args, 'ttl'),
        prefix: opt(args, 'prefix'),
        entity: opt(args, 'entity'),
        serializer: opt(args, 'serializer') as Serializer | undefined,
        loader: opt(args, 'loader'),
        writer: opt(args, 'writer'),
      },
    });
    const out = opt(args, 'out');
    if (!out) {
      io.out(snippet.code);
      return 0;
    }
    if (fs.existsSync(out) && !args.flags.has('force')) {
      throw new CacheLensError('usage', `${out} exists; pass --force to overwrite it`);
    }
    try {
      fs.writeFileSync(out, snippet.code);
    } catch (e) {
      throw new CacheLensError('input', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, e);
    }
    io.err(`wrote ${out} (${snippet.pattern}, ${snippet.lang}, ${snippet.client}, ${snippet.backend})\n`);
    return 0;
  },
};
