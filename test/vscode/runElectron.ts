/**
 * The same suite under @vscode/test-electron, for a desktop with internet access (it downloads
 * VS Code from Microsoft's update servers). `node out/test/vscode/runElectron.js` after
 * `npm run build` and `npx tsc -p .`. The browser bridge is absent here, so the few checks that
 * need the browser (screenshots, palette driving) are skipped; everything else runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './codeServer';

async function main(): Promise<number> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-vscode-ws-'));
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-vscode-user-'));
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }));
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', `--user-data-dir=${userData}`],
      extensionTestsEnv: { CACHELENS_VSCODE_GREP: process.env.CACHELENS_VSCODE_GREP },
    });
    return 0;
  } catch (e) {
    process.stderr.write(`[test:vscode:electron] ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(userData, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
