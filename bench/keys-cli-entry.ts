/**
 * Runs the `cachelens` CLI bundle (dist/cli.js, what bin/cachelens runs) and on exit prints
 * the process's peak RSS (VmHWM) to stderr when CACHELENS_BENCH_RSS is set. bench/keys.ts
 * starts it as a subprocess to measure time and memory of the real command.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

if (process.env.CACHELENS_BENCH_RSS) {
  process.on('exit', () => {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    process.stderr.write(`VmHWM_KB=${hwm}\n`);
  });
}
// out/bench/keys-cli-entry.js -> <repo>/dist/cli.js
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require(path.join(__dirname, '..', '..', 'dist', 'cli.js')) as { main(): void }).main();
