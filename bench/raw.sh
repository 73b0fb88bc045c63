#!/bin/sh
# portway RAW (socket://) benchmark (not a test): one RAW job of BENCH_RAW_MB
# into a fast sink on 127.0.0.1 (bench/net_sink.c), side by side in each
# round:
#   r)  portway's core, natively (bench/raw_core.c: OpenPort..ClosePort,
#       WritePorts of 4 KB as the spooler sends them, and of 256 KB, socat's
#       buffer) vs socat -b 262144 and vs the CUPS socket backend
#       (/usr/lib/cups/backend/socket, run standalone as in backend(7))
#       sending the same tmpfs file;
#   r') portway.dll under Wine (monrun print, 4 KB WritePorts) vs a plain
#       Winsock send() loop in 4 KB chunks under Wine (bench/sendloop.c);
#   m)  working-set growth of monrun over a BENCH_RSS_MB RAW job.
# Method and figures: docs/performance.md. Loopback only; the sink is
# started here and stopped by PID; the Wine prefix is private to the run.
#
# usage: bench/raw.sh WIN_BUILD_DIR NATIVE_RELEASE_BUILD_DIR
# Knobs: BENCH_RAW_MB=256, BENCH_REPEAT=7, BENCH_RSS_MB=1024,
#        BENCH_DIR=/dev/shm/portway-raw.PID
set -u

WBUILD=$(cd "${1:?usage: $0 WIN_BUILD_DIR NATIVE_BUILD_DIR}" && pwd) || exit 2
NBUILD=$(cd "${2:?usage: $0 WIN_BUILD_DIR NATIVE_BUILD_DIR}" && pwd) || exit 2
MB=${BENCH_RAW_MB:-256}
REPEAT=${BENCH_REPEAT:-7}
RSS_MB=${BENCH_RSS_MB:-1024}
DIR=${BENCH_DIR:-/dev/shm/portway-raw.$$}
MONRUN="$WBUILD/tools/monrun/monrun.exe"
SENDLOOP="$WBUILD/bench/sendloop.exe"
DLL=${PORTWAY_DLL:-$WBUILD/bin/portway.dll}
RAWCORE="$NBUILD/bench/raw_core"
SINK="$NBUILD/bench/net_sink"
T=600
. "$(dirname "$0")/lib.sh"

for f in "$MONRUN" "$SENDLOOP" "$DLL" "$RAWCORE" "$SINK"; do
  [ -f "$f" ] || { echo "bench: missing $f" >&2; exit 2; }
done
command -v socat >/dev/null || { echo "bench: needs socat (apt-get install socat)" >&2; exit 2; }
CUPS_SOCKET=${CUPS_SOCKET:-/usr/lib/cups/backend/socket}
[ -x "$CUPS_SOCKET" ] || { echo "bench: needs $CUPS_SOCKET (apt-get install cups)" >&2; exit 2; }

export WINEPREFIX="$DIR/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$DIR" || exit 2
OUT="$DIR/out"
sinkpid=""
cleanup() {
  [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null
  wineserver -k >/dev/null 2>&1 # this prefix's server only
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
  echo "bench: $1 failed:" >&2
  cat "$OUT" "$DIR/err" >&2 2>/dev/null
  exit 1
}

"$SINK" "$DIR/port" "$DIR/sink.log" &
sinkpid=$!
for _ in $(seq 100); do [ -s "$DIR/port" ] && break; sleep 0.05; done
PORT=$(cat "$DIR/port") || die "net_sink"
BYTES=$((MB * 1048576))
head -c "$BYTES" /dev/urandom >"$DIR/job.bin"
# The sink's last line must be the job's size: nothing was lost.
delivered() { [ "$(tail -n 1 "$DIR/sink.log")" = "$1" ] || die "byte count check ($2)"; }
now_ns() { date +%s%N; }
mbs() { awk -v b="$BYTES" -v ns=$(($2 - $1)) 'BEGIN { printf "%.1f", b / 1048576 / (ns / 1e9) }'; }
# The CUPS socket backend as cupsd runs it (backend(7)): job-id user title
# copies options file; waiteof (its default) waits for the sink's close.
cups_socket() {
  DEVICE_URI="socket://127.0.0.1:$PORT" timeout "$T" "$CUPS_SOCKET" 1 bench bench 1 "" \
    "$DIR/job.bin" </dev/null >"$OUT" 2>"$DIR/err"
}

echo "bench: r) core vs socat and the CUPS socket backend, $MB MB x $REPEAT" >&2
core_mbs="" core256_mbs="" socat_mbs="" cups_mbs=""
"$RAWCORE" 127.0.0.1 "$PORT" "$DIR/job.bin" >"$OUT" 2>"$DIR/err" || die "raw_core warm-up"
cups_socket || die "CUPS socket backend warm-up"
for i in $(seq "$REPEAT"); do
  t0=$(now_ns)
  socat -b 262144 -u "OPEN:$DIR/job.bin" "TCP:127.0.0.1:$PORT" 2>"$DIR/err" || die "socat"
  t1=$(now_ns)
  delivered "$BYTES" socat
  socat_mbs="$socat_mbs $(mbs "$t0" "$t1")"
  t0=$(now_ns)
  cups_socket || die "CUPS socket backend"
  t1=$(now_ns)
  delivered "$BYTES" "CUPS socket backend"
  cups_mbs="$cups_mbs $(mbs "$t0" "$t1")"
  "$RAWCORE" 127.0.0.1 "$PORT" "$DIR/job.bin" >"$OUT" 2>"$DIR/err" || die "raw_core"
  delivered "$BYTES" raw_core
  core_mbs="$core_mbs $(field_before MB/s)"
  "$RAWCORE" 127.0.0.1 "$PORT" "$DIR/job.bin" 262144 >"$OUT" 2>"$DIR/err" || die "raw_core 256 KB"
  delivered "$BYTES" "raw_core 256 KB"
  core256_mbs="$core256_mbs $(field_before MB/s)"
done

echo "bench: creating the Wine prefix in $WINEPREFIX" >&2
timeout 120 wineboot -i >/dev/null 2>&1 || die "wineboot"
wineserver -p >/dev/null 2>&1
DLL_W=$(winepath -w "$DLL")
wrun() { timeout "$T" wine "$@" >"$OUT" 2>"$DIR/err"; }
wrun "$MONRUN" "$DLL_W" add-port PWR: "uri=socket://127.0.0.1:$PORT" || die "add-port"

echo "bench: r') DLL under Wine vs Winsock send loop, $MB MB x $REPEAT" >&2
dll_mbs="" loop_mbs=""
wrun "$SENDLOOP" "$PORT" "$BYTES" || die "sendloop warm-up"
for i in $(seq "$REPEAT"); do
  wrun "$SENDLOOP" "$PORT" "$BYTES" || die "sendloop"
  delivered "$BYTES" sendloop
  loop_mbs="$loop_mbs $(field_before MB/s)"
  wrun "$MONRUN" "$DLL_W" print PWR: --synthetic "$BYTES" --chunk 4096 --doc raw ||
    die "monrun print"
  delivered "$BYTES" monrun
  dll_mbs="$dll_mbs $(field_before MB/s)"
done

echo "bench: m) working-set growth over a $RSS_MB MB RAW job x 3" >&2
growth=""
for i in 1 2 3; do
  wrun "$MONRUN" "$DLL_W" print PWR: --synthetic $((RSS_MB * 1048576)) --mem --doc rss ||
    die "monrun print --mem"
  growth="$growth $(grep '^memory:' "$OUT" | sed 's/.*(growth \(-*[0-9]*\) bytes).*/\1/')"
done

echo
echo "portway RAW benchmark: $(wine --version 2>/dev/null), $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'), $(nproc) cores"
echo "$REPEAT runs per figure; MB = 2^20 bytes; sink on 127.0.0.1; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-50s %10s %10s  %s\n' "measure" "median" "best" "range / target"
row "r) socat -b 262144, $MB MB (MB/s)" "$socat_mbs" max
row "r) portway core, 4 KB WritePorts (MB/s)" "$core_mbs" max
row "r) portway core, 256 KB WritePorts (MB/s)" "$core256_mbs" max
ratio_row "r) ratio core 256 KB / socat (same buffer)" "$core256_mbs" "$socat_mbs" max ">=" 0.95
ratio_row "r) ratio core 4 KB / socat" "$core_mbs" "$socat_mbs" max
row "r) CUPS socket backend, $MB MB (MB/s)" "$cups_mbs" max
ratio_row "r) ratio core 4 KB / CUPS socket backend" "$core_mbs" "$cups_mbs" max ">=" 2
ratio_row "r) ratio core 256 KB / CUPS socket backend" "$core256_mbs" "$cups_mbs" max
row "r') Winsock send loop under Wine, 4 KB (MB/s)" "$loop_mbs" max
row "r') portway.dll under Wine, 4 KB WritePorts (MB/s)" "$dll_mbs" max
ratio_row "r') ratio DLL / send loop" "$dll_mbs" "$loop_mbs" max ">=" 0.9
set -- $(stats $growth)
printf '%-50s %10s %10s  %s..%s < 1048576: %s\n' "m) working-set growth, $RSS_MB MB RAW job (bytes)" \
  "$1" "$2" "$2" "$3" "$(verdict "$1" "<" 1048576)"
