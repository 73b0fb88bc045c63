#!/bin/sh
# portway LPD (lpd://) benchmark (not a test): one LPD job of BENCH_LPD_MB
# into a fast LPD server on 127.0.0.1 (bench/lpd_sink.c: acknowledges every
# step, discards the files), side by side in each round:
#   l)  the CUPS lpd backend (/usr/lib/cups/backend/lpd, run standalone as
#       in backend(7), with the job file as its argument) vs portway's core,
#       natively (bench/lpd_core.c: OpenPort..ClosePort, the job mapped into
#       memory and fed in WritePorts of 4 KB, as the spooler sends them),
#       with byte counting (the default: spooled to a temporary file in the
#       monitor's data folder, on tmpfs here, then sent with its size) and
#       streaming (bytecount=false: size 0, to the end of the connection);
#       and, for reference, the CUPS lpd backend fed on stdin, which copies
#       the job to a temporary file (in TMPDIR, tmpfs here) before sending
#       it with its size: the same work as portway's byte counting.
# Every run is timed from outside, process start to exit, and every run's
# data-file byte count is checked at the sink. Method and figures:
# docs/performance.md. Loopback only; the sink is started here and stopped
# by PID.
#
# usage: bench/lpd.sh NATIVE_RELEASE_BUILD_DIR
# Knobs: BENCH_LPD_MB=64, BENCH_REPEAT=7, BENCH_DIR=/dev/shm/portway-lpd.PID
set -u

NBUILD=$(cd "${1:?usage: $0 NATIVE_BUILD_DIR}" && pwd) || exit 2
MB=${BENCH_LPD_MB:-64}
REPEAT=${BENCH_REPEAT:-7}
DIR=${BENCH_DIR:-/dev/shm/portway-lpd.$$}
LPDCORE="$NBUILD/bench/lpd_core"
SINK="$NBUILD/bench/lpd_sink"
CUPS_LPD=${CUPS_LPD:-/usr/lib/cups/backend/lpd}
T=300
# shellcheck disable=SC1091 # bench/lib.sh, next to this script
. "$(dirname "$0")/lib.sh"

for f in "$LPDCORE" "$SINK"; do
  [ -f "$f" ] || { echo "bench: missing $f" >&2; exit 2; }
done
[ -x "$CUPS_LPD" ] || { echo "bench: needs $CUPS_LPD (apt-get install cups)" >&2; exit 2; }

mkdir -p "$DIR/data" "$DIR/tmp" || exit 2
OUT="$DIR/out"
sinkpid=""
cleanup() {
  [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
  echo "bench: $1 failed:" >&2
  cat "$OUT" "$DIR/err" >&2 2>/dev/null
  tail -n 3 "$DIR/data/portway.log" >&2 2>/dev/null
  exit 1
}

"$SINK" "$DIR/port" "$DIR/sink.log" &
sinkpid=$!
for _ in $(seq 100); do [ -s "$DIR/port" ] && break; sleep 0.05; done
PORT=$(cat "$DIR/port") || die "lpd_sink"
BYTES=$((MB * 1048576))
head -c "$BYTES" /dev/urandom >"$DIR/job.bin"
URI="lpd://127.0.0.1:$PORT/bench"
# The sink's last line must be the job's data-file size: nothing was lost.
delivered() { [ "$(tail -n 1 "$DIR/sink.log")" = "$1" ] || die "byte count check ($2)"; }
now_ns() { date +%s%N; }
mbs() { awk -v b="$BYTES" -v ns=$(($2 - $1)) 'BEGIN { printf "%.1f", b / 1048576 / (ns / 1e9) }'; }
# The CUPS lpd backend as cupsd runs it (backend(7)): job-id user title
# copies options file. As root it binds a reserved source port, as cupsd's
# root backends do.
cups_lpd() {
  DEVICE_URI="$URI" timeout "$T" "$CUPS_LPD" 1 bench bench 1 "" "$DIR/job.bin" \
    </dev/null >"$OUT" 2>"$DIR/err"
}
# The same, the job on stdin (fd 4, the side channel, must be open: without
# it the backend waits on it for ever; peers.md §3).
cups_lpd_stdin() {
  DEVICE_URI="$URI" TMPDIR="$DIR/tmp" timeout "$T" "$CUPS_LPD" 1 bench bench 1 "" \
    <"$DIR/job.bin" 4</dev/null >"$OUT" 2>"$DIR/err"
}
core() { # core [CONFIG_LINE...]
  PW_BENCH_DATA_DIR="$DIR/data" timeout "$T" "$LPDCORE" "$URI" "$DIR/job.bin" 4096 "$@" \
    >"$OUT" 2>"$DIR/err"
}

echo "bench: l) portway core vs the CUPS lpd backend, $MB MB x $REPEAT" >&2
cups_mbs="" bc_mbs="" st_mbs="" bc_in="" cin_mbs=""
cups_lpd || die "CUPS lpd backend warm-up"
cups_lpd_stdin || die "CUPS lpd backend (stdin) warm-up"
core || die "lpd_core warm-up"
core bytecount=false || die "lpd_core streaming warm-up"
for _ in $(seq "$REPEAT"); do
  t0=$(now_ns)
  cups_lpd || die "CUPS lpd backend"
  t1=$(now_ns)
  delivered "$BYTES" "CUPS lpd backend"
  cups_mbs="$cups_mbs $(mbs "$t0" "$t1")"
  t0=$(now_ns)
  core || die "lpd_core"
  t1=$(now_ns)
  delivered "$BYTES" "lpd_core"
  bc_mbs="$bc_mbs $(mbs "$t0" "$t1")"
  bc_in="$bc_in $(field_before MB/s)"
  t0=$(now_ns)
  core bytecount=false || die "lpd_core streaming"
  t1=$(now_ns)
  delivered "$BYTES" "lpd_core streaming"
  st_mbs="$st_mbs $(mbs "$t0" "$t1")"
  t0=$(now_ns)
  cups_lpd_stdin || die "CUPS lpd backend (stdin)"
  t1=$(now_ns)
  delivered "$BYTES" "CUPS lpd backend (stdin)"
  cin_mbs="$cin_mbs $(mbs "$t0" "$t1")"
done
[ -z "$(ls -A "$DIR/data/spool" 2>/dev/null)" ] || die "empty spool folder check"

echo
# shellcheck disable=SC2016 # ${Version} is dpkg-query's, not the shell's
echo "portway LPD benchmark: cups $(dpkg-query -W -f '${Version}' cups 2>/dev/null), $(nproc) cores"
echo "$REPEAT runs per figure; $MB MB job; MB = 2^20 bytes; LPD sink on 127.0.0.1; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-50s %10s %10s  %s\n' "measure" "median" "best" "range / target"
row "l) CUPS lpd backend (MB/s)" "$cups_mbs" max
row "l) portway core, byte counting, 4 KB (MB/s)" "$bc_mbs" max
row "l)   the same, StartDocPort..EndDocPort only" "$bc_in" max
row "l) portway core, streaming, 4 KB (MB/s)" "$st_mbs" max
ratio_row "l) ratio core byte counting / CUPS lpd" "$bc_mbs" "$cups_mbs" max ">=" 1.0
ratio_row "l) ratio core streaming / CUPS lpd" "$st_mbs" "$cups_mbs" max
row "l) CUPS lpd backend, job on stdin (MB/s)" "$cin_mbs" max
ratio_row "l) ratio core byte counting / CUPS lpd stdin" "$bc_mbs" "$cin_mbs" max
