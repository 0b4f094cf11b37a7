#!/usr/bin/env bash
# `npm test`: installs what is missing, then lint, type check, build, unit tests, integration
# tests against real servers (started by test/harness/servers.ts), and the extension's tests in
# a real VS Code. Ends with one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
failed_steps=()

step() { echo; echo "=== $1"; }
run_mocha() { # name, args...
  local name=$1; shift
  npx mocha "$@" 2>&1 | tee "$log/$name.txt"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || failed_steps+=("$name")
}

step "system packages" && bash scripts/ensure-system.sh || exit 1
step "npm packages" && bash scripts/ensure-node.sh || exit 1
step "lint" && { npx eslint . || failed_steps+=(lint); }
step "package.json contributes up to date" && { node scripts/build.mjs --check-contributes || failed_steps+=(contributes); }
step "type check" && { npx tsc -p . || failed_steps+=(tsc); npx tsc -p webview || failed_steps+=(tsc-webview); }
step "build" && { node scripts/build.mjs || failed_steps+=(build); }
step "code-server (a real VS Code, installed once per machine)" && { bash scripts/install-code-server.sh || failed_steps+=(code-server); }
step "unit tests" && run_mocha unit --config .mocharc.unit.json
step "integration tests (real redis-server and memcached)" && run_mocha integration --config .mocharc.integration.json
step "extension tests in a real VS Code (code-server + headless Chromium)"
node out/test/vscode/runCodeServer.js 2>&1 | tee "$log/vscode.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed_steps+=(vscode)

passed=0; failed=0
for f in "$log"/*.txt; do
  [ -f "$f" ] || continue
  p=$(grep -Eo '^ *[0-9]+ passing' "$f" | tail -1 | grep -Eo '[0-9]+' || true)
  q=$(grep -Eo '^ *[0-9]+ failing' "$f" | tail -1 | grep -Eo '[0-9]+' || true)
  passed=$((passed + ${p:-0})); failed=$((failed + ${q:-0}))
done
echo
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  [ "$failed" -gt 0 ] || failed=${#failed_steps[@]}
fi
echo "tests: $passed passed, $failed failed"
[ ${#failed_steps[@]} -eq 0 ]
