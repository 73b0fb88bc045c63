#!/bin/bash
# portway program-port (pipe:) benchmark (not a test): one job into a
# program's stdin, side by side in each round, against piping the same bytes
# straight into the same program:
#   n)  natively, BENCH_PIPE_MB: portway's core (bench/pipe_core.c:
#       OpenPort..ClosePort, the job mapped into memory and fed in WritePorts
#       of 4 KB, as the spooler sends them) into
#       `/bin/sh -c 'cat > "$1"' sh {output}` (uri=pipe:///bin/sh, output= a
#       tmpfs folder) vs the shell's `cat job.bin | /bin/sh -c 'cat > "$1"'
#       sh OUT`; both timed from outside, process start to exit (pipe_core's
#       own StartDocPort..EndDocPort time is a second row); for reference
#       also `dd bs=4096 if=job.bin | ...`, the shell piping in the
#       spooler's 4 KB pieces;
#   w)  under Wine, BENCH_PIPE_WINE_MB: portway.dll (monrun print of the job
#       file, 4 KB WritePorts) into a program port running
#       tests/monitor/progs/pwchild.exe `store {output}` vs bench/pipefeed.exe
#       (CreatePipe, CreateProcessW of the same pwchild.exe `store OUT`, the
#       job file copied into the pipe in 4 KB ReadFile/WriteFile pieces) with
#       a 64 KB pipe (portway's pipe size) and with CreatePipe's default
#       size; timed inside (QueryPerformanceCounter: OpenPort..ClosePort,
#       CreateProcessW..exit) and from outside (wine start to exit).
# Every OUT is checked to be the job's size, and byte-identical (cmp) in the
# warm-up round. Method and figures: docs/performance.md. Files only, on
# tmpfs; the Wine prefix is private to the run and its wineserver is
# stopped at the end.
#
# usage: bench/pipe.sh WIN_BUILD_DIR NATIVE_RELEASE_BUILD_DIR
# Knobs: BENCH_PIPE_MB=256, BENCH_PIPE_WINE_MB=64, BENCH_REPEAT=7,
#        BENCH_DIR=/dev/shm/portway-pipe.PID
set -u

WBUILD=$(cd "${1:?usage: $0 WIN_BUILD_DIR NATIVE_BUILD_DIR}" && pwd) || exit 2
NBUILD=$(cd "${2:?usage: $0 WIN_BUILD_DIR NATIVE_BUILD_DIR}" && pwd) || exit 2
MB=${BENCH_PIPE_MB:-256}
WMB=${BENCH_PIPE_WINE_MB:-64}
REPEAT=${BENCH_REPEAT:-7}
DIR=${BENCH_DIR:-/dev/shm/portway-pipe.$$}
PIPECORE="$NBUILD/bench/pipe_core"
MONRUN="$WBUILD/tools/monrun/monrun.exe"
FEED="$WBUILD/bench/pipefeed.exe"
CHILD="$WBUILD/bin/pwchild.exe"
DLL=${PORTWAY_DLL:-$WBUILD/bin/portway.dll}
T=300
# shellcheck disable=SC1091 # bench/lib.sh, next to this script
. "$(dirname "$0")/lib.sh"

for f in "$PIPECORE" "$MONRUN" "$FEED" "$CHILD" "$DLL"; do
  [ -f "$f" ] || { echo "bench: missing $f" >&2; exit 2; }
done
command -v wine >/dev/null || { echo "bench: needs wine" >&2; exit 2; }

export WINEPREFIX="$DIR/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$DIR/data" "$DIR/out" || exit 2
case $(stat -f -c %T "$DIR") in
tmpfs) ;;
*) echo "bench: warning: $DIR is not on tmpfs; the figures will swing" >&2 ;;
esac
OUT="$DIR/stdout"
wine_up=""
cleanup() {
  [ -n "$wine_up" ] && wineserver -k >/dev/null 2>&1 # this prefix's server only
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

# Seconds between two $EPOCHREALTIME values, and MB/s of BYTES over them.
mbs() { awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.1f", b / 1048576 / (e - s) }'; }
# The program's output must be the job's size ($2: which run); remove it.
check_out() { # check_out FILE BYTES WHAT
  [ "$(stat -c %s "$1" 2>/dev/null)" = "$2" ] || die "output size check ($3: $(stat -c %s "$1" 2>&1))"
  rm -f "$1"
}

# ---- n) natively ----
BYTES=$((MB * 1048576))
JOB="$DIR/job.bin"
head -c "$BYTES" /dev/urandom >"$JOB"
NOUT="$DIR/out/bench.bin" # {output}: output=$DIR/out, pattern={doc}.bin, doc "bench"
core() {
  PW_BENCH_DATA_DIR="$DIR/data" timeout "$T" "$PIPECORE" "$JOB" 4096 \
    "uri=pipe:///bin/sh" "args=-c \"cat > \\\"\$1\\\"\" sh {output}" \
    "output=file://$DIR/out" "pattern={doc}.bin" >"$OUT" 2>"$DIR/err"
}
# shellcheck disable=SC2016,SC2002 # $1 is the inner shell's; cat is the baseline
shell_cat() { cat "$JOB" | timeout "$T" /bin/sh -c 'cat > "$1"' sh "$NOUT"; }
# shellcheck disable=SC2016
shell_dd() {
  dd if="$JOB" bs=4096 status=none | timeout "$T" /bin/sh -c 'cat > "$1"' sh "$NOUT"
}

echo "bench: n) core vs cat | sh -c 'cat > OUT', $MB MB x $REPEAT" >&2
core || die "pipe_core warm-up"
cmp -s "$JOB" "$NOUT" || die "pipe_core byte-identical check"
check_out "$NOUT" "$BYTES" "pipe_core warm-up"
shell_cat || die "cat | sh warm-up"
cmp -s "$JOB" "$NOUT" || die "cat | sh byte-identical check"
check_out "$NOUT" "$BYTES" "cat | sh warm-up"
shell_dd || die "dd | sh warm-up"
check_out "$NOUT" "$BYTES" "dd | sh warm-up"
cat_mbs="" core_mbs="" core_in="" dd_mbs=""
for _ in $(seq "$REPEAT"); do
  t0=$EPOCHREALTIME
  shell_cat || die "cat | sh"
  t1=$EPOCHREALTIME
  check_out "$NOUT" "$BYTES" "cat | sh"
  cat_mbs="$cat_mbs $(mbs "$BYTES" "$t0" "$t1")"
  t0=$EPOCHREALTIME
  core || die "pipe_core"
  t1=$EPOCHREALTIME
  check_out "$NOUT" "$BYTES" "pipe_core"
  core_mbs="$core_mbs $(mbs "$BYTES" "$t0" "$t1")"
  core_in="$core_in $(field_before MB/s)"
  t0=$EPOCHREALTIME
  shell_dd || die "dd | sh"
  t1=$EPOCHREALTIME
  check_out "$NOUT" "$BYTES" "dd | sh"
  dd_mbs="$dd_mbs $(mbs "$BYTES" "$t0" "$t1")"
done
delivered=$(grep -c 'delivered .* bytes to sh' "$DIR/data/portway.log")
[ "$delivered" -eq $((REPEAT + 1)) ] || die "portway log check ($delivered delivered lines)"
rm -f "$JOB"

# ---- w) under Wine ----
WBYTES=$((WMB * 1048576))
WJOB="$DIR/wjob.bin"
head -c "$WBYTES" /dev/urandom >"$WJOB"
echo "bench: creating the Wine prefix in $WINEPREFIX" >&2
timeout 120 wineboot -i >/dev/null 2>&1 || die "wineboot"
wine_up=1
wineserver -p >/dev/null 2>&1
DLL_W=$(winepath -w "$DLL")
CHILD_W=$(winepath -w "$CHILD")
WJOB_W=$(winepath -w "$WJOB")
WOUT_W=$(winepath -w "$NOUT")
# pipe:///Z:/... with / for \ and spaces percent-encoded, as the e2e test does
CHILD_URI="pipe:///$(printf '%s' "$CHILD_W" | tr '\134' '/' | sed 's/ /%20/g')"
OUT_URI="file:///$(winepath -w "$DIR/out" | tr '\134' '/' | sed 's/ /%20/g')"
wrun() { timeout "$T" wine "$@" >"$OUT" 2>"$DIR/err"; }
wrun "$MONRUN" "$DLL_W" add-port PWP: "uri=$CHILD_URI" "args=store {output}" \
  "output=$OUT_URI" "pattern={doc}.bin" || die "add-port"
dll() { wrun "$MONRUN" "$DLL_W" print PWP: "$WJOB_W" --chunk 4096 --doc bench; }
feed() { wrun "$FEED" "$WJOB_W" 4096 "$1" "$CHILD_W" store "$WOUT_W"; }

echo "bench: w) DLL under Wine vs a CreatePipe feeder, $WMB MB x $REPEAT" >&2
dll || die "monrun print warm-up"
cmp -s "$WJOB" "$NOUT" || die "monrun print byte-identical check"
check_out "$NOUT" "$WBYTES" "monrun print warm-up"
feed 65536 || die "pipefeed warm-up"
cmp -s "$WJOB" "$NOUT" || die "pipefeed byte-identical check"
check_out "$NOUT" "$WBYTES" "pipefeed warm-up"
feed 0 || die "pipefeed (default pipe) warm-up"
check_out "$NOUT" "$WBYTES" "pipefeed (default pipe) warm-up"
dll_in="" dll_out="" f64_in="" f64_out="" f0_in="" f0_out=""
for _ in $(seq "$REPEAT"); do
  t0=$EPOCHREALTIME
  feed 65536 || die "pipefeed"
  t1=$EPOCHREALTIME
  check_out "$NOUT" "$WBYTES" pipefeed
  f64_in="$f64_in $(field_before MB/s)"
  f64_out="$f64_out $(mbs "$WBYTES" "$t0" "$t1")"
  t0=$EPOCHREALTIME
  dll || die "monrun print"
  t1=$EPOCHREALTIME
  check_out "$NOUT" "$WBYTES" "monrun print"
  dll_in="$dll_in $(field_before MB/s)"
  dll_out="$dll_out $(mbs "$WBYTES" "$t0" "$t1")"
  t0=$EPOCHREALTIME
  feed 0 || die "pipefeed (default pipe)"
  t1=$EPOCHREALTIME
  check_out "$NOUT" "$WBYTES" "pipefeed (default pipe)"
  f0_in="$f0_in $(field_before MB/s)"
  f0_out="$f0_out $(mbs "$WBYTES" "$t0" "$t1")"
done

echo
echo "portway program-port benchmark: $(wine --version 2>/dev/null), $(nproc) cores"
echo "$REPEAT runs per figure; native job $MB MB, Wine job $WMB MB; MB = 2^20 bytes; tmpfs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-50s %10s %10s  %s\n' "measure" "median" "best" "range / target"
row "n) cat job | sh -c 'cat > OUT' (MB/s)" "$cat_mbs" max
row "n) portway core, 4 KB WritePorts (MB/s)" "$core_mbs" max
row "n)   the same, StartDocPort..EndDocPort only" "$core_in" max
ratio_row "n) ratio core / cat | sh" "$core_mbs" "$cat_mbs" max ">=" 0.95
ratio_row "n) ratio core, inside / cat | sh" "$core_in" "$cat_mbs" max
row "n) dd bs=4096 | sh -c 'cat > OUT' (MB/s)" "$dd_mbs" max
ratio_row "n) ratio core / dd bs=4096 | sh" "$core_mbs" "$dd_mbs" max
row "w) pipefeed, 64 KB pipe, 4 KB writes (MB/s)" "$f64_in" max
row "w) portway.dll, 4 KB WritePorts (MB/s)" "$dll_in" max
ratio_row "w) ratio DLL / pipefeed 64 KB pipe" "$dll_in" "$f64_in" max ">=" 0.95
row "w) pipefeed, default pipe, 4 KB writes (MB/s)" "$f0_in" max
ratio_row "w) ratio DLL / pipefeed default pipe" "$dll_in" "$f0_in" max
row "w) from outside: pipefeed, 64 KB pipe (MB/s)" "$f64_out" max
row "w) from outside: portway.dll (MB/s)" "$dll_out" max
ratio_row "w) from outside: ratio DLL / pipefeed 64 KB" "$dll_out" "$f64_out" max
