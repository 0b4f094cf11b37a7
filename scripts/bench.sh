#!/usr/bin/env bash
# `npm run bench`: every benchmark, CacheLens side by side with its named peer in the same run,
# printed as ratios. Results are also written to bench/results/.
#   STATS_MINUTES=10 (default) sets how long live sampling is measured; it runs in its own
#   process beside the others (it measures its own CPU time, which the others do not touch).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh || exit 1
bash scripts/ensure-node.sh || exit 1
npx tsc -p . >/dev/null || { echo "type check failed"; exit 1; }
node scripts/build.mjs >/dev/null || exit 1
mkdir -p bench/results
rc=0
node --expose-gc out/bench/stats.js --minutes "${STATS_MINUTES:-10}" > bench/results/stats.txt 2>&1 &
stats_pid=$!
for b in sim ring keys; do
  echo; echo "=== bench: $b"
  node out/bench/$b.js 2>&1 | tee "bench/results/$b.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
done
echo; echo "=== bench: stats (live sampling, waiting for its ${STATS_MINUTES:-10} minutes)"
wait "$stats_pid" || rc=1
cat bench/results/stats.txt
exit $rc
