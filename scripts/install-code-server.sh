#!/usr/bin/env bash
# Installs code-server (a real VS Code: Code 1.100.3, the last release that runs on Node 20) from
# npm alone, once per machine, into a per-user cache ($CACHELENS_CACHE_DIR, default
# ~/.cache/cachelens/code-server-<version>), linked as .vscode-test/code-server. Every clone of the
# project (CI runs in a fresh one) reuses it while the version matches.
# See /work/shared/docs/real-vscode-tests.md for the traps handled here.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINK="$ROOT/.vscode-test/code-server"
CACHE_ROOT="${CACHELENS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cachelens}"
DEST="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
BIN="$DEST/node_modules/code-server/out/node/entry.js"

installed_version() {
  node -e 'try { console.log(require(process.argv[1]).version) } catch { console.log("") }' \
    "$DEST/node_modules/code-server/package.json"
}

link() {
  mkdir -p "$(dirname "$LINK")"
  if [[ -L "$LINK" || ! -e "$LINK" ]]; then ln -sfn "$DEST" "$LINK"; else rm -rf "$LINK"; ln -s "$DEST" "$LINK"; fi
}

if [[ -f "$BIN" && -f "$DEST/.complete" && "$(installed_version)" == "$CODE_SERVER_VERSION" ]]; then
  link
  echo "code-server $CODE_SERVER_VERSION already installed in $DEST"
  exit 0
fi

# Native modules (kerberos) need libkrb5-dev; VS Code's search needs ripgrep; the tests need chromium.
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
for tool in gcc g++ make python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]})); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: code-server needs these Debian packages: ${missing[*]}" >&2
    echo "       run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$major" != 20 ]]; then
  echo "error: code-server $CODE_SERVER_VERSION needs Node 20 (found $(node --version))" >&2
  exit 1
fi

STAGE="$DEST.partial"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$STAGE"
mkdir -p "$STAGE"
echo "installing code-server $CODE_SERVER_VERSION into $DEST (about a minute)"

# Pass 1 fetches the package without running scripts, so the ripgrep version it pins can be read.
npm install --prefix "$STAGE" --no-save --no-audit --no-fund --ignore-scripts \
  "code-server@$CODE_SERVER_VERSION" >"$WORK/npm1.log" 2>&1 || { cat "$WORK/npm1.log" >&2; exit 1; }

# Trap 1: @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds the asset in
# $TMPDIR/vscode-ripgrep-cache-<version>/. Debian's rg is placed there under the asset's name.
RG_PKG_VERSION="$(node -e '
  const s = require(process.argv[1]);
  console.log(s.packages["node_modules/@vscode/ripgrep"].version)' \
  "$STAGE/node_modules/code-server/lib/vscode/npm-shrinkwrap.json")"
(cd "$WORK" && npm pack --silent "@vscode/ripgrep@$RG_PKG_VERSION" >/dev/null 2>&1 && tar xzf vscode-ripgrep-*.tgz)
RG_ASSET_VERSION="$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$WORK/package/lib/postinstall.js")"
[[ -n "$RG_ASSET_VERSION" ]] || { echo "error: cannot read the ripgrep asset version" >&2; exit 1; }
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
tar czf "$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION/ripgrep-$RG_ASSET_VERSION-x86_64-unknown-linux-musl.tar.gz" \
  -C "$(dirname "$(command -v rg)")" rg

# Pass 2 runs the install scripts. Trap 2: node-pty runs `npx node-gyp`, which needs yes=true.
# Trap 3: as root, code-server's postinstall refuses to run without unsafe-perm.
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir="${npm_config_nodedir:-/usr}"
(cd "$STAGE" && npm rebuild --foreground-scripts >"$WORK/npm2.log" 2>&1) || {
  tail -n 60 "$WORK/npm2.log" >&2
  echo "error: code-server's install scripts failed (full log above)" >&2
  exit 1
}
[[ -e "$STAGE/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] || {
  echo "error: ripgrep was not installed into code-server" >&2; exit 1; }

touch "$STAGE/.complete"
rm -rf "$DEST"
mv "$STAGE" "$DEST"
link
echo "code-server $CODE_SERVER_VERSION installed in $DEST"
