import type { CliIO } from '../../src/cli/io';

/** A CliIO that records what a command printed, for running CLI commands in-process. */
export function captureIO(env: NodeJS.ProcessEnv = {}, answers: string[] = []): CliIO & { stdout: string; stderr: string } {
  const io: CliIO & { stdout: string; stderr: string } = {
    stdout: '', stderr: '', errIsTTY: false, outIsTTY: false, env,
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    prompt: answers.length ? async (q: string) => { io.stderr += q; return answers.shift() ?? ''; } : undefined,
  };
  return io;
}
