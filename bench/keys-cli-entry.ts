/**
 * Runs the `cachelens` CLI from the compiled sources (out/), like bin/cachelens does from the
 * bundle, and on exit prints the process's peak RSS (VmHWM) to stderr when
 * CACHELENS_BENCH_RSS is set. bench/keys.ts starts it as a subprocess to measure memory.
 */
import * as fs from 'node:fs';
import { main } from '../src/cli/main';

if (process.env.CACHELENS_BENCH_RSS) {
  process.on('exit', () => {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    process.stderr.write(`VmHWM_KB=${hwm}\n`);
  });
}
main();
