/**
 * Runs the real `cachelens` command (bin/cachelens, which loads the esbuild bundle dist/cli.js)
 * as a subprocess, the way a user in a terminal or a script would.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../../..');
export const BIN = path.join(ROOT, 'bin', 'cachelens');
export const BUNDLE = path.join(ROOT, 'dist', 'cli.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  /** Extra environment; CACHELENS_URL is removed unless given here. */
  env?: NodeJS.ProcessEnv;
  /** Text written to stdin (a pipe, so never a terminal). */
  input?: string;
  timeoutMs?: number;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/cli.js when it is missing or older than src/. npm test builds first, so this
 * only costs time when the suite is run by hand after an edit.
 */
export function ensureBuilt(): void {
  const stale = !fs.existsSync(BUNDLE) || fs.statSync(BUNDLE).mtimeMs < newestMtime(path.join(ROOT, 'src'));
  if (!stale) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    // A half-edited file of another feature can break the bundle; an older bundle still tests the CLI.
    if (!fs.existsSync(BUNDLE)) throw e;
  }
}

export function cachelens(args: string[], options: RunOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CACHELENS_URL;
  delete env.CACHELENS_DEBUG;
  Object.assign(env, options.env ?? {});
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, options.timeoutMs ?? 30000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: Date.now() - started }); });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs and expects exit 0 and nothing alarming; returns stdout. */
export async function ok(args: string[], options: RunOptions = {}): Promise<string> {
  const r = await cachelens(args, options);
  assert.equal(r.code, 0, `cachelens ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Parses a single JSON document from stdout. */
export async function okJson<T = unknown>(args: string[], options: RunOptions = {}): Promise<T> {
  const out = await ok(args, options);
  try {
    return JSON.parse(out) as T;
  } catch {
    assert.fail(`cachelens ${args.join(' ')} did not print one JSON document: ${out.slice(0, 500)}`);
  }
}

/** Parses JSON lines (one object per line) from stdout. */
export async function okJsonLines<T = unknown>(args: string[], options: RunOptions = {}): Promise<T[]> {
  const out = await ok(args, options);
  return out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

/**
 * The failure contract: the expected exit code, exactly one non-empty line on stderr that names
 * the command, no stack trace, and none of the secrets.
 */
export function assertFailure(r: CliRun, code: number, what: string, secrets: string[] = []): string {
  assert.equal(r.code, code, `${what}: expected exit ${code}, got ${r.code}; stderr: ${r.stderr}`);
  const text = r.stderr.trim();
  assert.ok(text.length > 0, `${what}: stderr is empty`);
  assert.equal(text.split('\n').length, 1, `${what}: stderr should be one line, got:\n${r.stderr}`);
  assert.doesNotMatch(text, /\n\s+at |\bat .*\(.*:\d+:\d+\)|unexpected error/, `${what}: stack trace or unexpected error: ${text}`);
  for (const s of secrets) assert.ok(!r.stderr.includes(s) && !r.stdout.includes(s), `${what}: the output contains the secret "${s}": ${r.stderr}`);
  return text;
}

/** JSON value type names as the issues describe fields ("number", "string", ...). */
export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Asserts an object has these fields with these types. With `exact`, no other field may appear
 * (for line formats scripts parse strictly); otherwise added fields are tolerated.
 */
export function assertShape(obj: unknown, shape: Record<string, string | string[]>, what: string, exact = false): void {
  assert.equal(typeOf(obj), 'object', `${what}: not an object: ${JSON.stringify(obj)}`);
  const o = obj as Record<string, unknown>;
  for (const [field, types] of Object.entries(shape)) {
    const allowed = Array.isArray(types) ? types : [types];
    assert.ok(field in o, `${what}: missing field "${field}" in ${JSON.stringify(o)}`);
    assert.ok(allowed.includes(typeOf(o[field])), `${what}: field "${field}" is ${typeOf(o[field])}, expected ${allowed.join(' or ')}`);
  }
  if (!exact) return;
  for (const field of Object.keys(o)) {
    assert.ok(field in shape, `${what}: unexpected field "${field}" in ${JSON.stringify(o)}`);
  }
}

/**
 * Runs several invocations at once, at most `concurrency` at a time, results in input order.
 * Most of a run is Node's start-up and waiting on sockets, so this keeps the suite short.
 */
export async function cachelensAll(runs: Array<{ args: string[]; options?: RunOptions }>, concurrency = 4): Promise<CliRun[]> {
  const results: CliRun[] = new Array(runs.length);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const i = next++;
      results[i] = await cachelens(runs[i].args, runs[i].options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, runs.length) }, worker));
  return results;
}
