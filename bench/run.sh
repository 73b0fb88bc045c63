#!/bin/sh
# portway benchmark (not a test): throughput, per-job cost, memory growth and
# the cost of name collisions of portway.dll driven by monrun.exe, against a
# plain WriteFile loop and Wine's Local Port monitor. Method and figures:
# docs/performance.md. The Wine prefix is private to this run (BENCH_DIR)
# and removed at the end; only its own wineserver is stopped.
#
# usage: bench/run.sh BUILD_DIR        (the mingw build directory)
# Needs BUILD_DIR/tools/monrun/monrun.exe, BUILD_DIR/bench/writeloop.exe and
# portway.dll ($PORTWAY_DLL, else BUILD_DIR/bin/portway.dll).
# Knobs (environment): BENCH_MB=512 (throughput job size; 1024 swings on
# tmpfs, see docs/performance.md), BENCH_JOBS=1000
# (jobs per per-job run), BENCH_REPEAT=7 (runs per figure; the median is
# reported), BENCH_RSS_MB=1024 (job size for the memory figure),
# BENCH_DIR=/dev/shm/portway-bench.PID (must be tmpfs: on disk, writeback
# makes the figures swing by +-40%).
set -u

BUILD=${1:?usage: $0 BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd) || exit 2
MB=${BENCH_MB:-512}
JOBS=${BENCH_JOBS:-1000}
REPEAT=${BENCH_REPEAT:-7}
RSS_MB=${BENCH_RSS_MB:-1024}
DIR=${BENCH_DIR:-/dev/shm/portway-bench.$$}
MONRUN="$BUILD/tools/monrun/monrun.exe"
WRITELOOP="$BUILD/bench/writeloop.exe"
DLL=${PORTWAY_DLL:-$BUILD/bin/portway.dll}
T=600 # seconds for any single wine call
. "$(dirname "$0")/lib.sh"

for f in "$MONRUN" "$WRITELOOP" "$DLL"; do
  [ -f "$f" ] || { echo "bench: missing $f" >&2; exit 2; }
done
case $(stat -f -c %T "$(dirname "$DIR")" 2>/dev/null) in
tmpfs) ;;
*) echo "bench: warning: $(dirname "$DIR") is not tmpfs; figures will swing" >&2 ;;
esac

export WINEPREFIX="$DIR/prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$DIR" || exit 2
cleanup() {
  wineserver -k >/dev/null 2>&1 # this prefix's server only
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "bench: creating the Wine prefix in $WINEPREFIX" >&2
timeout 120 wineboot -i >/dev/null 2>&1 || { echo "bench: wineboot failed" >&2; exit 1; }
# One persistent wineserver: no server start-up inside the figures' runs.
wineserver -p >/dev/null 2>&1

C="$WINEPREFIX/drive_c/bench"
mkdir -p "$C/pw" "$C/lm" "$C/wl"
DLL_W=$(winepath -w "$DLL")
OUT="$DIR/out"

wrun() { timeout "$T" wine "$@" >"$OUT" 2>"$DIR/err"; }
die() {
  echo "bench: $1 failed:" >&2
  cat "$OUT" "$DIR/err" >&2
  exit 1
}
clean() { rm -f "$C"/pw/* "$C"/lm/* "$C"/wl/*; }

wrun "$MONRUN" "$DLL_W" add-port PWB: "uri=file:///C:/bench/pw" 'pattern={doc}.prn' ||
  die "add-port"
# PWD: has the default pattern {date}-{time}-job{job}-{doc}.prn (d).
wrun "$MONRUN" "$DLL_W" add-port PWD: "uri=file:///C:/bench/pw" || die "add-port PWD:"

# ---- a) throughput: WriteFile loop vs portway, 4 KB chunks ----------------
echo "bench: a) throughput, $MB MB x $REPEAT" >&2
BYTES=$((MB * 1048576))
# One untimed round first: the first write into a fresh tmpfs is slower.
wrun "$WRITELOOP" 'C:\bench\wl\loop.bin' --bytes "$BYTES" || die "writeloop"
clean
loop_mbs="" pw_mbs="" lmt_mbs=""
for i in $(seq "$REPEAT"); do
  wrun "$WRITELOOP" 'C:\bench\wl\loop.bin' --bytes "$BYTES" --chunk 4096 || die "writeloop"
  loop_mbs="$loop_mbs $(field_before MB/s)"
  clean
  wrun "$MONRUN" "$DLL_W" print PWB: --synthetic "$BYTES" --chunk 4096 --doc big ||
    die "monrun print"
  pw_mbs="$pw_mbs $(field_before MB/s)"
  [ "$(stat -c %s "$C/pw/big.prn")" = "$BYTES" ] || die "output size check"
  clean
  # Calibration: the same harness with the thinnest monitor at hand (Wine's
  # localmon FILE: is one WriteFile per WritePort). loop vs this = monrun's
  # own cost; this vs portway = portway's.
  wrun "$MONRUN" localspl.dll print FILE: --synthetic "$BYTES" --chunk 4096 \
    --output-file 'C:\bench\lm\big.bin' || die "localspl print"
  lmt_mbs="$lmt_mbs $(field_before MB/s)"
  clean
done

# ---- b) per-job cost, 1 KB jobs --------------------------------------------
echo "bench: b) and d) per-job cost, $JOBS x 1 KB jobs x $REPEAT" >&2
WARM=$((JOBS / 20))
pw_us="" lm_us="" wl_us="" pwr_us="" lmr_us="" sr_us="" ur_us="" sk_us="" sf_us=""
for i in $(seq "$REPEAT"); do
  wrun "$MONRUN" "$DLL_W" bench-jobs PWB: --jobs "$JOBS" --warmup "$WARM" --size 1024 \
    --doc 'j{job}' || die "portway bench-jobs"
  pw_us="$pw_us $(field_before us/job,)"
  clean
  wrun "$MONRUN" localspl.dll bench-jobs FILE: --jobs "$JOBS" --warmup "$WARM" --size 1024 \
    --output-file 'C:\bench\lm\j{job}.prn' || die "localspl bench-jobs"
  lm_us="$lm_us $(field_before us/job,)"
  clean
  wrun "$WRITELOOP" 'C:\bench\wl\j{job}.prn' --jobs "$JOBS" --warmup "$WARM" --size 1024 ||
    die "writeloop --jobs"
  wl_us="$wl_us $(field_before us/job,)"
  clean
  # The same with OpenPort/ClosePort around every job (Wine's spooler even
  # loads the monitor per job; Windows keeps the port open).
  wrun "$MONRUN" "$DLL_W" bench-jobs PWB: --reopen --jobs "$JOBS" --warmup "$WARM" \
    --size 1024 --doc 'j{job}' || die "portway bench-jobs --reopen"
  pwr_us="$pwr_us $(field_before us/job,)"
  clean
  wrun "$MONRUN" localspl.dll bench-jobs FILE: --reopen --jobs "$JOBS" --warmup "$WARM" \
    --size 1024 --output-file 'C:\bench\lm\j{job}.prn' || die "localspl bench-jobs --reopen"
  lmr_us="$lmr_us $(field_before us/job,)"
  clean
  # d) name collisions, in the same round as b) so the ratios pair up. The
  # default pattern, every job the same document name (job id 0, as under
  # Wine): the jobs of one second share a name. Then the same jobs with
  # unique names, and the worst case: one name family for all the jobs.
  wrun "$MONRUN" "$DLL_W" bench-jobs PWD: --reopen --jobs "$JOBS" --warmup "$WARM" \
    --size 1024 --doc same || die "portway bench-jobs --reopen, same name"
  sr_us="$sr_us $(field_before us/job,)"
  [ "$(ls "$C/pw" | wc -l)" = $((JOBS + WARM)) ] || die "same-name file count"
  clean
  wrun "$MONRUN" "$DLL_W" bench-jobs PWD: --reopen --jobs "$JOBS" --warmup "$WARM" \
    --size 1024 --doc 'j{job}' || die "portway bench-jobs --reopen, unique names"
  ur_us="$ur_us $(field_before us/job,)"
  clean
  wrun "$MONRUN" "$DLL_W" bench-jobs PWD: --jobs "$JOBS" --warmup "$WARM" --size 1024 \
    --doc same || die "portway bench-jobs, same name"
  sk_us="$sk_us $(field_before us/job,)"
  clean
  wrun "$MONRUN" "$DLL_W" bench-jobs PWB: --jobs "$JOBS" --warmup "$WARM" --size 1024 \
    --doc same || die "portway bench-jobs, one name family"
  [ -f "$C/pw/same-$((JOBS + WARM)).prn" ] || die "one-family last name"
  sf_us="$sf_us $(field_before us/job,)"
  clean
done

# ---- c) memory growth over one big job -------------------------------------
echo "bench: c) working-set growth over a $RSS_MB MB job x 3" >&2
RSS_BYTES=$((RSS_MB * 1048576))
growth="" peak=""
for i in 1 2 3; do
  wrun "$MONRUN" "$DLL_W" print PWB: --synthetic "$RSS_BYTES" --mem --doc rss ||
    die "monrun print --mem"
  # "memory: peak working set B0 bytes before the job, B1 after (growth G bytes); ..."
  growth="$growth $(grep '^memory:' "$OUT" | sed 's/.*(growth \(-*[0-9]*\) bytes).*/\1/')"
  peak="$peak $(grep '^memory:' "$OUT" | sed 's/.* \([0-9]*\) after .*/\1/')"
  clean
done

# ---- report ------------------------------------------------------------------
# Each row: median, best (highest MB/s, lowest us/job: the run least disturbed
# by other load on the machine) and the range. Ratio rows: the median of the
# ratios of back-to-back runs, and the ratio of the two bests.
echo
echo "portway benchmark: $(wine --version 2>/dev/null), $(nproc) cores, $(uname -r)"
echo "prefix on $(stat -f -c %T "$DIR"); $REPEAT runs per figure; MB = 2^20 bytes;" \
  "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-50s %10s %10s  %s\n' "measure" "median" "best" "range / target"
row "a) WriteFile loop, $MB MB, 4 KB chunks (MB/s)" "$loop_mbs" max
row "a) portway print, $MB MB, 4 KB WritePort (MB/s)" "$pw_mbs" max
row "a) Local Port FILE: print, same harness (MB/s)" "$lmt_mbs" max
ratio_row "a) ratio portway / loop" "$pw_mbs" "$loop_mbs" max ">=" 0.95
ratio_row "a) ratio Local Port / loop (harness cost)" "$lmt_mbs" "$loop_mbs" max
ratio_row "a) ratio portway / Local Port" "$pw_mbs" "$lmt_mbs" max
# b) is the whole per-job sequence a spooler drives for one job, OpenPort ->
# StartDocPort -> WritePort -> EndDocPort -> ClosePort: what Wine's spooler
# does for every job, and how the issue's reference figure for Wine's
# localmon (about 1 ms per job) was taken. b') keeps the port open between
# jobs, as Windows' spooler does while a queue uses the port.
row "b) plain create-write-close, 1 KB (us/job)" "$wl_us" min
row "b) Local Port, Open..ClosePort per job (us/job)" "$lmr_us" min
row "b) portway, Open..ClosePort per job (us/job)" "$pwr_us" min
ratio_row "b) ratio portway / localmon" "$pwr_us" "$lmr_us" min "<=" 0.5
ratio_row "b) ratio portway / plain loop" "$pwr_us" "$wl_us" min
row "b') Local Port, port kept open (us/job)" "$lm_us" min
row "b') portway, port kept open (us/job)" "$pw_us" min
ratio_row "b') ratio portway / localmon" "$pw_us" "$lm_us" min "<=" 1.0
# d) the default pattern with every job's document name the same.
row "d) same name, Open..ClosePort per job (us/job)" "$sr_us" min
row "d) unique names, Open..ClosePort per job (us/job)" "$ur_us" min
ratio_row "d) ratio same / unique names" "$sr_us" "$ur_us" min "<=" 1.2
ratio_row "d) ratio same name / localmon, per job" "$sr_us" "$lmr_us" min "<=" 0.5
row "d') same name, port kept open (us/job)" "$sk_us" min
ratio_row "d') ratio same name / localmon, kept open" "$sk_us" "$lm_us" min "<=" 1.0
row "d'') one family ({doc}.prn), kept open (us/job)" "$sf_us" min
ratio_row "d'') ratio one family / unique names ({doc}.prn)" "$sf_us" "$pw_us" min "<=" 1.2
set -- $(stats $growth)
printf '%-50s %10s %10s  %s..%s < 1048576: %s\n' "c) working-set growth, $RSS_MB MB job (bytes)" \
  "$1" "$2" "$2" "$3" "$(verdict "$1" "<" 1048576)"
set -- $(stats $peak)
printf '%-50s %10s\n' "c) peak working set after the job (bytes)" "$1"
