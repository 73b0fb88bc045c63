#!/bin/bash
# portway language-monitor benchmark (not a test): what portwaylm.dll costs
# on top of the port monitor below it, under Wine, in the same rounds:
#   t)  throughput, BENCH_LM_MB: monrun print of synthetic data in the
#       spooler's 4 KB WritePorts to a socket port of portway.dll, into
#       bench/net_sink.c (a native sink on 127.0.0.1 that never answers),
#       directly (the baseline) and through portwaylm.dll with status on
#       (eoj_wait=0: the sink never echoes) and off;
#   l)  latency of a small job (BENCH_LM_SMALL_KB) through portwaylm.dll to
#       tests/e2e/pjlprinter.py, which echoes the job's end: StartDocPort
#       to the return of EndDocPort, the end confirmed (SetJob line).
# Timed inside monrun (its "printed ... in S s" line). Method and figures:
# docs/performance.md, "Language monitor". Private Wine prefix, stopped at
# the end; every peer on 127.0.0.1, stopped by PID.
#
# usage: bench/langmon.sh WIN_BUILD_DIR NATIVE_RELEASE_BUILD_DIR
# Knobs: BENCH_LM_MB=256, BENCH_LM_SMALL_KB=100, BENCH_REPEAT=7,
#        BENCH_DIR=/dev/shm/portway-lm.PID
set -u

WBUILD=$(cd "${1:?usage: $0 WIN_BUILD_DIR NATIVE_BUILD_DIR}" && pwd) || exit 2
NBUILD=$(cd "${2:?usage: $0 WIN_BUILD_DIR NATIVE_BUILD_DIR}" && pwd) || exit 2
ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
MB=${BENCH_LM_MB:-256}
SMALL_KB=${BENCH_LM_SMALL_KB:-100}
REPEAT=${BENCH_REPEAT:-7}
DIR=${BENCH_DIR:-/dev/shm/portway-lm.$$}
SINK="$NBUILD/bench/net_sink"
MONRUN="$WBUILD/tools/monrun/monrun.exe"
PM="$WBUILD/bin/portway.dll"
LM="$WBUILD/bin/portwaylm.dll"
T=300
# shellcheck disable=SC1091 # bench/lib.sh, next to this script
. "$(dirname "$0")/lib.sh"

for f in "$SINK" "$MONRUN" "$PM" "$LM"; do
  [ -f "$f" ] || { echo "bench: missing $f" >&2; exit 2; }
done
export WINEPREFIX="$DIR/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$DIR" || exit 2
OUT="$DIR/stdout"
pids=""
wine_up=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  [ -n "$wine_up" ] && wineserver -k >/dev/null 2>&1
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
  echo "bench: $1 failed:" >&2
  cat "$OUT" "$DIR/err" >&2 2>/dev/null
  exit 1
}
wait_port() { # wait_port FILE: a peer's port, once it listens
  for _ in $(seq 100); do [ -s "$1" ] && break; sleep 0.1; done
  [ -s "$1" ] || die "peer start"
}

"$SINK" "$DIR/sink.port" "$DIR/sink.log" & pids="$pids $!"
mkdir -p "$DIR/pjl"
python3 "$ROOT/tests/e2e/pjlprinter.py" --connections 1000 "$DIR/pjl" \
  "$DIR/pjl.port" >/dev/null 2>&1 & pids="$pids $!"
wait_port "$DIR/sink.port"
wait_port "$DIR/pjl.port"
echo "bench: creating the Wine prefix in $WINEPREFIX" >&2
timeout 120 wineboot -i >/dev/null 2>&1 || die "wineboot"
wine_up=1
wineserver -p >/dev/null 2>&1
PM_W=$(winepath -w "$PM")
LM_W=$(winepath -w "$LM")
mr() { timeout "$T" wine "$MONRUN" "$@" >"$OUT" 2>"$DIR/err"; }
mr "$PM_W" add-port LMSINK: "uri=socket://127.0.0.1:$(cat "$DIR/sink.port")" || die add-port
mr "$PM_W" add-port LMPJL: "uri=socket://127.0.0.1:$(cat "$DIR/pjl.port")" || die add-port
head -c $((SMALL_KB * 1024)) /dev/urandom | tr -d '\000\033\014' >"$DIR/small.bin"
SMALL_W=$(winepath -w "$DIR/small.bin")

direct() { mr "$PM_W" print LMSINK: --synthetic "${MB}M"; }
lm_on() { mr --lm "$LM_W" --lm-option eoj_wait=0 --pm "$PM_W" print LMSINK: --synthetic "${MB}M"; }
lm_off() { mr --lm "$LM_W" --lm-option status=false --pm "$PM_W" print LMSINK: --synthetic "${MB}M"; }
small() {
  mr --lm "$LM_W" --printer P --job 1 --pm "$PM_W" print LMPJL: "$SMALL_W" &&
    grep -q '^SetJob P 1: control=7' "$OUT"
}
seconds() { tail -n 1 "$OUT" | tr -d '\r' | awk '{ for (i = 1; i < NF; i++) if ($i == "in") { print $(i + 1); exit } }'; }

echo "bench: t) ${MB} MB direct vs through portwaylm.dll; l) ${SMALL_KB} KB jobs echoed, x $REPEAT" >&2
direct || die "direct warm-up"
lm_on || die "lm warm-up"
small || die "small-job warm-up (end not confirmed?)"
d_mbs="" on_mbs="" off_mbs="" small_ms=""
for _ in $(seq "$REPEAT"); do
  direct || die direct
  d_mbs="$d_mbs $(field_before MB/s)"
  lm_on || die "lm, status on"
  on_mbs="$on_mbs $(field_before MB/s)"
  lm_off || die "lm, status off"
  off_mbs="$off_mbs $(field_before MB/s)"
  small || die "small job"
  small_ms="$small_ms $(awk -v s="$(seconds)" 'BEGIN { printf "%.1f", s * 1000 }')"
done

echo
echo "portway language-monitor benchmark: $(wine --version 2>/dev/null), $(nproc) cores"
echo "$REPEAT runs per figure; ${MB} MB synthetic, 4 KB WritePorts; MB = 2^20 bytes; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-50s %10s %10s  %s\n' "measure" "median" "best" "range / target"
row "t) portway.dll socket port, direct (MB/s)" "$d_mbs" max
row "t) through portwaylm.dll, status on (MB/s)" "$on_mbs" max
row "t) through portwaylm.dll, status off (MB/s)" "$off_mbs" max
ratio_row "t) ratio LM status on / direct" "$on_mbs" "$d_mbs" max
ratio_row "t) ratio LM status off / direct" "$off_mbs" "$d_mbs" max
row "l) ${SMALL_KB} KB job, end echoed (ms)" "$small_ms" min
