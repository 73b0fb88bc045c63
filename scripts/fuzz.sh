#!/usr/bin/env bash
# fuzz.sh BUILD_DIR SECONDS|smoke — run every libFuzzer target for SECONDS
# each, starting from the seed corpora in fuzz/corpus/<target>/ (copied to a
# scratch corpus so runs never modify the committed seeds).
# "smoke" (what make test runs) is deterministic instead: a fixed seed and a
# fixed number of inputs from the seeds alone, so CI never turns red on a
# lucky find; new finds come from `make fuzz` and become seeds.
set -euo pipefail
build=$1
secs=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for fz in "$build"/fuzz_*; do
  [ -x "$fz" ] || continue
  name=$(basename "$fz")
  seeds="$root/fuzz/corpus/${name#fuzz_}"
  if [ "$secs" = smoke ]; then
    work="$build/smoke-${name#fuzz_}"
    rm -rf "$work"
    limit="-seed=1 -runs=${FUZZ_SMOKE_RUNS:-200000}"
  else
    work="$build/corpus-${name#fuzz_}"
    limit="-max_total_time=$secs"
  fi
  mkdir -p "$work"
  [ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  # shellcheck disable=SC2086 # $limit is two options
  if "$fz" $limit -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/$name-" "$work" >"$build/$name.log" 2>&1; then
    echo "ok $name ($(grep -o 'Done [0-9]* runs' "$build/$name.log" | tail -1))"
  else
    echo "not ok $name: see $build/$name.log"
    tail -30 "$build/$name.log"
    status=1
  fi
done
exit $status
