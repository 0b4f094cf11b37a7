// Bundles everything with esbuild:
//   dist/extension.js   the VS Code extension (cjs, `vscode` external)
//   dist/cli.js         the `cachelens` command
//   dist/workers/*.js   worker_threads entry points (src/**/*.worker.ts)
//   dist/webview/*.js   one browser bundle per webview/<name>/main.ts (+ its .css if any)
// and merges every src/extension/*/contributes.json into package.json's "contributes".
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, readFileSync, writeFileSync, statSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const check = process.argv.includes('--check-contributes');

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

// --- package.json contributes, merged from the features' fragments ---------------------------
function mergeContributes() {
  const pkgPath = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const base = JSON.parse(readFileSync(join(root, 'src/extension/contributes.base.json'), 'utf8'));
  const merged = structuredClone(base);
  const fragments = walk(join(root, 'src/extension')).filter((p) => basename(p) === 'contributes.json').sort();
  for (const file of fragments) {
    const frag = JSON.parse(readFileSync(file, 'utf8'));
    for (const [k, v] of Object.entries(frag)) {
      if (Array.isArray(v)) merged[k] = [...(merged[k] ?? []), ...v];
      else if (k === 'configuration') {
        merged.configuration ??= { title: 'CacheLens', properties: {} };
        Object.assign(merged.configuration.properties, v.properties ?? {});
      } else if (typeof v === 'object' && v) {
        merged[k] ??= {};
        for (const [k2, v2] of Object.entries(v)) {
          merged[k][k2] = Array.isArray(v2) ? [...(merged[k][k2] ?? []), ...v2] : v2;
        }
      } else merged[k] = v;
    }
  }
  const activation = [...new Set([...(base.__activationEvents ?? []), ...fragments.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')).__activationEvents ?? [])])];
  delete merged.__activationEvents;
  for (const k of Object.keys(merged)) if (k.startsWith('__')) delete merged[k];
  const next = { ...pkg, activationEvents: activation.length ? activation : pkg.activationEvents, contributes: merged };
  const text = JSON.stringify(next, null, 2) + '\n';
  if (text !== readFileSync(pkgPath, 'utf8')) {
    if (check) {
      console.error('package.json "contributes" is out of date: run `npm run build` and commit it.');
      process.exit(1);
    }
    writeFileSync(pkgPath, text);
    console.log('package.json contributes updated from', fragments.length, 'fragments');
  }
}

mergeContributes();
if (check) process.exit(0);

const common = { bundle: true, sourcemap: true, minify: production, logLevel: 'warning', target: 'es2022' };
const builds = [
  esbuild.build({ ...common, platform: 'node', format: 'cjs', entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  esbuild.build({ ...common, platform: 'node', format: 'cjs', entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' }),
];
const workers = walk(join(root, 'src')).filter((p) => p.endsWith('.worker.ts'));
if (workers.length) {
  builds.push(esbuild.build({ ...common, platform: 'node', format: 'cjs',
    entryPoints: Object.fromEntries(workers.map((w) => [basename(w, '.ts'), w])), outdir: 'dist/workers' }));
}
const webviews = existsSync(join(root, 'webview'))
  ? readdirSync(join(root, 'webview')).filter((d) => existsSync(join(root, 'webview', d, 'main.ts')))
    // test-* pages exist only for the VS Code tests, whose runner bundles them itself.
    .filter((d) => !d.startsWith('test-')) : [];
if (webviews.length) {
  builds.push(esbuild.build({ ...common, platform: 'browser', format: 'iife',
    entryPoints: Object.fromEntries(webviews.map((d) => [d, `webview/${d}/main.ts`])), outdir: 'dist/webview',
    loader: { '.css': 'css' } }));
}
await Promise.all(builds);
// The codicon font for `vscode-icon` in webviews; webviews may load only from dist/ and media/.
const codicons = join(root, 'node_modules/@vscode/codicons/dist');
if (existsSync(codicons)) {
  mkdirSync(join(root, 'dist/codicons'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, f), join(root, 'dist/codicons', f));
}
console.log(`built extension, cli, ${workers.length} worker(s), ${webviews.length} webview(s)`);
