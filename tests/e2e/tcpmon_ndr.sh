#!/usr/bin/env bash
# tcpmon_ndr.sh — the tcpmon PORT_DATA_1 wire layout cross-checked against
# Samba's own NDR packing (python3-samba's samba.dcerpc.spoolss.PortData1;
# ../shared/research/peers.md §5, docs/xcv.md "tcpmon-compatible commands").
#
# tests/e2e/tcpmon_ndr.c (portway's side: the core tests' hand-built
# vectors, and XcvData AddPort / GetConfigInfo through the core) is built
# here against build/bench-native/libpwcore.a (PW_NDR_BUILD overrides the
# build directory); tests/e2e/tcpmon_ndr.py (Samba's side) runs under
# Debian's /usr/bin/python3, where python3-samba lives. No network, no
# daemon: Samba is used as a library only.
#
# Scratch: build/e2e-ndr (removed on exit; PW_E2E_KEEP=1 keeps it).
# Output: "ok <step>" / "not ok <step>: why" per step, then "N passed,
# N failed"; exit status 0 only if nothing failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
nbuild=${PW_NDR_BUILD:-build/bench-native}
base=$root/build/e2e-ndr
work=$base/run
helper=$base/tcpmon_ndr
PY=/usr/bin/python3

fail() {
  echo "not ok $1: $2"
  echo "0 passed, 1 failed"
  exit 1
}

$PY -c 'from samba.dcerpc import spoolss; from samba import ndr' 2>/dev/null ||
  fail "python3-samba importable by $PY" \
    "no samba.dcerpc.spoolss (apt-get install python3-samba; make deps does)"
command -v cc >/dev/null || fail "build the helper" "no cc"
command -v cmake >/dev/null || fail "build the helper" "no cmake"

mkdir -p "$base" || exit 1
log=$base/build.log
{
  timeout 300 cmake -S . -B "$nbuild" -DCMAKE_BUILD_TYPE=Release &&
    timeout 300 cmake --build "$nbuild" -j2 --target pwcore &&
    timeout 120 cc -std=c11 -O2 -Wall -Wextra -Werror -I include -I src \
      -I tests -I tests/core/support tests/e2e/tcpmon_ndr.c \
      "$nbuild/libpwcore.a" -lssl -lcrypto -lpthread -o "$helper"
} >"$log" 2>&1 ||
  fail "build tests/e2e/tcpmon_ndr.c against $nbuild/libpwcore.a" \
    "$(tail -5 "$log" | tr '\n' '|')"
echo "ok build tests/e2e/tcpmon_ndr.c against $nbuild/libpwcore.a"

rm -rf "$work"
mkdir -p "$work" || exit 1
timeout 120 "$PY" tests/e2e/tcpmon_ndr.py "$helper" "$work" >"$base/result" 2>&1
status=$?
# One more step (the build) than the Python side counts.
sed '$d' "$base/result"
last=$(tail -n 1 "$base/result")
if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
  echo "$((BASH_REMATCH[1] + 1)) passed, ${BASH_REMATCH[2]} failed"
else
  echo "$last"
  echo "not ok tcpmon_ndr.py ran to its end (exit $status)"
  echo "1 passed, 1 failed"
  status=1
fi
[ "${PW_E2E_KEEP:-0}" = 1 ] || rm -rf "$work"
exit "$status"
