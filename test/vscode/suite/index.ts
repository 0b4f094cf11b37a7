/**
 * The test entry VS Code calls in the extension host (extensionTestsPath points at the compiled
 * out/test/vscode/suite/index.js). It runs every *.test.js next to it with mocha and rejects
 * when any test fails; the same entry serves code-server and @vscode/test-electron.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(p, out);
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

/**
 * Under code-server the runner asks for the report in a file (CACHELENS_TEST_LOG), which it
 * prints as the run goes: the browser console it would otherwise come through mixes it with the
 * workbench's own logging. Under test-electron the report goes to the console as usual.
 */
function reportTo(file: string | undefined): (...args: unknown[]) => void {
  if (!file) return console.log;
  return (...args: unknown[]) => fs.appendFileSync(file, format(...args) + '\n');
}

export async function run(): Promise<void> {
  const { default: Mocha } = await import('mocha');
  Mocha.reporters.Base.consoleLog = reportTo(process.env.CACHELENS_TEST_LOG);
  const mocha = new Mocha({
    ui: 'bdd',
    // The browser console shows no colors; keep the report plain.
    color: false,
    timeout: 60_000,
    reporter: 'spec',
    grep: process.env.CACHELENS_VSCODE_GREP,
  });
  // Activation first: every other test assumes the extension is up.
  const files = findTests(__dirname).sort((a, b) => Number(!a.endsWith('activation.test.js')) - Number(!b.endsWith('activation.test.js')) || a.localeCompare(b));
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} VS Code test(s) failed`)); else resolve();
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
