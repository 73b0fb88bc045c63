#!/usr/bin/env bash
# fuzz.sh BUILD_DIR SECONDS — run every libFuzzer target for SECONDS each,
# starting from the seed corpora in fuzz/corpus/<target>/ (copied to a
# scratch corpus so runs never modify the committed seeds).
set -euo pipefail
build=$1
secs=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for fz in "$build"/fuzz_*; do
  [ -x "$fz" ] || continue
  name=$(basename "$fz")
  seeds="$root/fuzz/corpus/${name#fuzz_}"
  work="$build/corpus-${name#fuzz_}"
  mkdir -p "$work"
  [ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  if "$fz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/$name-" "$work" >"$build/$name.log" 2>&1; then
    echo "ok $name ($(grep -o 'Done [0-9]* runs' "$build/$name.log" | tail -1))"
  else
    echo "not ok $name: see $build/$name.log"
    tail -30 "$build/$name.log"
    status=1
  fi
done
exit $status
