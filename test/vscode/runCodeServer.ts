/**
 * `npm run test:vscode`: runs test/vscode/suite inside a real VS Code (code-server) driven by
 * headless Chromium, with the browser bridge for UI and webview checks. Exits with the suite's
 * result; fails clearly (never hangs) when code-server or the browser cannot start, and gives up
 * after CACHELENS_VSCODE_TIMEOUT_MS (default 6 minutes).
 *
 * Environment: SCREENSHOTS=1 writes screenshots to media/screenshots/ (else
 * .vscode-test/screenshots/); CACHELENS_VSCODE_GREP runs only matching tests; KEEP=1 keeps the
 * code-server temp dir.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import * as esbuild from 'esbuild';
import { startBridge, type Bridge } from './bridge';
import { codeServerEntry, repoRoot, startCodeServer, type CodeServer } from './codeServer';

const TIMEOUT_MS = Number(process.env.CACHELENS_VSCODE_TIMEOUT_MS ?? 6 * 60_000);
const START_TIMEOUT_MS = Number(process.env.CACHELENS_VSCODE_START_TIMEOUT_MS ?? 120_000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The recipe's flags: no sandbox (root in a container), no GPU, no network side traffic. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PROBE_BUNDLE = path.join(repoRoot, 'dist', 'webview', 'test-probe.js');

function say(line: string): void {
  process.stdout.write(`[test:vscode] ${line}\n`);
}


async function prepare(): Promise<void> {
  if (!fs.existsSync(codeServerEntry)) {
    say('code-server is missing; installing it');
    const r = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('installing code-server failed (see above)');
  }
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const suiteIndex = path.join(repoRoot, 'out', 'test', 'vscode', 'suite', 'index.js');
  if (!fs.existsSync(suiteIndex)) throw new Error('out/test/vscode/suite/index.js is missing: run `npx tsc -p .` first');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  // The probe page is a test fixture: bundled here, removed after the run, never shipped.
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'webview', 'test-probe', 'main.ts')], bundle: true, platform: 'browser',
    format: 'iife', target: 'es2022', outfile: PROBE_BUNDLE, logLevel: 'warning',
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  await prepare();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-vscode-ws-'));
  fs.writeFileSync(path.join(workspace, 'README.md'), '# CacheLens test workspace\n');

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let bridge: Bridge | undefined;
  let timer: NodeJS.Timeout | undefined;
  // The suite writes its mocha report here (see suite/index.ts); it is printed as it grows.
  const reportFile = path.join(workspace, '..', `${path.basename(workspace)}-report.txt`);
  fs.writeFileSync(reportFile, '');
  let printed = 0;
  const printReport = () => {
    const text = fs.readFileSync(reportFile, 'utf8');
    if (text.length > printed) process.stdout.write(text.slice(printed));
    printed = text.length;
  };
  const tail = setInterval(printReport, 250);
  const cleanup = async () => {
    clearInterval(tail);
    if (fs.existsSync(reportFile)) { printReport(); fs.rmSync(reportFile, { force: true }); }
    if (timer) clearTimeout(timer);
    await bridge?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(PROBE_BUNDLE, { force: true });
    fs.rmSync(`${PROBE_BUNDLE}.map`, { force: true });
  };
  const interrupted = () => { void cleanup().then(() => process.exit(130)); };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const screenshotDir = process.env.SCREENSHOTS === '1'
      ? path.join(repoRoot, 'media', 'screenshots')
      : path.join(repoRoot, '.vscode-test', 'screenshots');
    bridge = await startBridge(page, screenshotDir);
    server = await startCodeServer({
      workspace,
      env: { CACHELENS_TEST_BRIDGE: bridge.url, CACHELENS_TEST_LOG: reportFile, CACHELENS_VSCODE_GREP: process.env.CACHELENS_VSCODE_GREP },
      keepDir: process.env.KEEP === '1',
    });
    say(`code-server ${server.url} (pid ${server.pid}) up after ${Date.now() - started} ms`);

    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      timer = setTimeout(() => {
        say(`gave up after ${TIMEOUT_MS / 1000} s without a result`);
        resolve(2);
      }, TIMEOUT_MS);
      // A suite that never starts (a broken bundle, a bad payload path) should not cost the
      // whole global timeout: mocha writes its first line within seconds of the workbench loading.
      const startCheck = setTimeout(() => {
        if (fs.existsSync(reportFile) && fs.statSync(reportFile).size === 0) {
          say(`the suite did not start within ${START_TIMEOUT_MS / 1000} s (is out/test/vscode/suite/index.js loadable? try CACHELENS_VSCODE_RAW=1)`);
          resolve(3);
        }
      }, START_TIMEOUT_MS);
      startCheck.unref();
    });
    if (process.env.CACHELENS_VSCODE_RAW === '1') page.on('console', (msg) => process.stdout.write(`[browser ${msg.type()}] ${msg.text()}\n`));
    page.on('pageerror', (e) => say(`page error: ${e.message}`));
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(path.join(repoRoot, 'out', 'test', 'vscode', 'suite', 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(server.workbenchUrl(payload), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const code = await exitCode;
    say(`${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0 && fs.existsSync(server.logFile)) {
      say(`last lines of the code-server log:\n${fs.readFileSync(server.logFile, 'utf8').split('\n').slice(-15).join('\n')}`);
    }
    for (const f of bridge.screenshots) say(`screenshot: ${path.relative(repoRoot, f)}`);
    return code;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[test:vscode] error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
