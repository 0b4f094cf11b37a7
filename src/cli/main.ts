import * as readline from 'node:readline';
import { CacheLensError } from '../core/errors';
import type { CliIO } from './io';
import { commands } from './commands/index';

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'cachelens: a cache inspector for Redis and Memcached',
    '',
    'Usage: cachelens <command> [options]   (cachelens <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Connections: --url redis://..., rediss://..., redis+sentinel://..., memcached://..., or $CACHELENS_URL.',
    'Exit codes: 0 success, 1 failure, 2 bad usage.',
  ].join('\n') + '\n';
}

/** Runs one invocation and returns its exit code; expected errors become one clear line. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') { io.out('0.1.0\n'); return 0; }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`cachelens: unknown command "${name}" (try cachelens --help)\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) { io.out(command.usage.trimEnd() + '\n'); return 0; }
    return await command.run(rest, io);
  } catch (e) {
    if (CacheLensError.is(e)) {
      io.err(`cachelens ${name}: ${e.message}\n`);
      return e.reason === 'usage' ? 2 : 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`cachelens ${name}: unexpected error: ${msg}\n`);
    if (io.env.CACHELENS_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 1;
  }
}

export function processIO(): CliIO {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return {
    out: (t) => { process.stdout.write(t); },
    outBytes: (b) => { process.stdout.write(b); },
    err: (t) => { process.stderr.write(t); },
    errIsTTY: Boolean(process.stderr.isTTY),
    outIsTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    signal: controller.signal,
    prompt: process.stdin.isTTY
      ? (question) => new Promise<string>((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.question(question, (answer) => { rl.close(); resolve(answer); });
      })
      : undefined,
  };
}

/** The process entry point (bin/cachelens calls it). */
export function main(): void {
  runCli(process.argv.slice(2), processIO()).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { process.stderr.write(`cachelens: ${String(e)}\n`); process.exitCode = 1; },
  );
}

// `node dist/cli.js ...` runs it too (bin/cachelens requires the bundle and calls main()).
if (require.main === module) main();
