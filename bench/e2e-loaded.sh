#!/usr/bin/env bash
# Runs the whole e2e project N times in a row (default 5) while a CPU-heavy process keeps one core
# busy, and prints one line per run (exit code, seconds, load average, vitest's test count): the check
# that the end-to-end tests wait for what they assert rather than for time. Builds dist/ first.
#   bash bench/e2e-loaded.sh [N]
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
npx vite build > /dev/null
node -e "const end = Date.now() + 60 * 60e3; let x = 0; while (Date.now() < end) for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);" &
burner=$!
trap 'kill $burner 2>/dev/null' EXIT
passed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  log=$(mktemp)
  npx vitest run --project e2e > "$log" 2>&1
  rc=$?
  [ "$rc" = 0 ] && passed=$((passed + 1))
  echo "run $i: exit $rc, $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg), $(grep -E 'Tests ' "$log" | tail -1 | sed 's/\x1b\[[0-9;]*m//g' | xargs)"
  if [ "$rc" != 0 ]; then
    # What failed, and why: kept next to the run's screenshots.
    mkdir -p test-artifacts
    cp "$log" "test-artifacts/e2e-loaded-run-$i.log"
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *(FAIL|×)|Error:' | head -20
  fi
  rm -f "$log"
done
echo "$passed of $runs runs passed"
