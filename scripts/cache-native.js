// Keeps this machine's own build of better-sqlite3 (a test dependency with a native addon) in
// npm's prebuild cache, where prebuild-install looks before compiling SQLite from source. The
// first `npm ci` on a machine compiles it (a minute or more); every later clean install (CI runs
// in a fresh clone) reuses it. Nothing is downloaded: it is the binary built here.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const pkgDir = path.join(root, 'node_modules', 'better-sqlite3');
if (!fs.existsSync(pkgDir)) process.exit(0);
const version = require(path.join(pkgDir, 'package.json')).version;
const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
// The URL prebuild-install would download; its cache file name is derived from it.
const url = `https://github.com/WiseLibs/better-sqlite3/releases/download/v${version}/${name}`;
const cacheDir = path.join(process.env.npm_config_cache || path.join(require('node:os').homedir(), '.npm'), '_prebuilds');
const digest = crypto.createHash('sha512').update(url).digest('hex').slice(0, 6);
const cached = path.join(cacheDir, `${digest}-${name.replace(/[^a-zA-Z0-9.]+/g, '-')}`);
const built = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
if (fs.existsSync(cached) || !fs.existsSync(built)) process.exit(0);
fs.mkdirSync(cacheDir, { recursive: true });
execFileSync('tar', ['czf', cached + '.partial', '-C', pkgDir, 'build/Release/better_sqlite3.node']);
fs.renameSync(cached + '.partial', cached);
console.error(`cached the local better-sqlite3 build for later installs: ${cached}`);
