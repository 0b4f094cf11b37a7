#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, then runs the demo (scripts/demo/main.ts):
# local Redis and Memcached with seeded data and live traffic, and the extension in a real
# VS Code. Pass --no-editor for the servers and traffic only. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -d node_modules/esbuild || ! -d node_modules/ioredis || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "installing npm packages (npm ci)…"
  npm ci --no-audit --no-fund
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
if ((${#missing[@]})); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: the demo needs ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

node scripts/build.mjs
mkdir -p .vscode-test
npx --no-install esbuild scripts/demo/main.ts --bundle --platform=node --target=node20 \
  --outfile=.vscode-test/demo.js --log-level=warning
# exec: Ctrl-C goes straight to the demo, which stops what it started.
exec node .vscode-test/demo.js "$@"
