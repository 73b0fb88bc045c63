#!/bin/bash
# portway IPP (ipp://) benchmark (not a test): one Print-Job of BENCH_IPP_MB
# into CUPS's ippeveprinter on 127.0.0.1 (the real IPP printer of the tests,
# tests/e2e/ippeve_lib.sh: private D-Bus, network-less avahi, `-c /bin/true`
# so a job completes as soon as it is received; its spool folder on tmpfs),
# side by side in each round, the same document each time with
# document-format application/vnd.hp-pcl:
#   i)  the CUPS ipp backend (/usr/lib/cups/backend/ipp, run standalone as
#       in backend(7), the job file as its argument, `waitjob=false` so it
#       does not poll the job to completion: Get-Printer-Attributes,
#       Validate-Job, Create-Job, Send-Document);
#       for reference, the same backend fed on stdin (as cupsd runs it after
#       a filter: it then streams stdin into Send-Document, TMPDIR on tmpfs);
#       ipptool print-job.test (one Print-Job, the file sent by ipptool);
#       portway's core natively (bench/ipp_core.c: OpenPort..ClosePort, the
#       job mapped into memory and fed in WritePorts of 4 KB, as the spooler
#       sends them) spooled (spool=true: WritePort appends to a
#       temporary file in the monitor's data folder, on tmpfs here, and
#       EndDocPort sends it) and by default (spool=auto: Create-Job, then
#       the document streamed with Send-Document; ippeveprinter has both).
# Every run is timed from outside, process start to exit. Every run is
# checked at the printer: a new job id, its document kept (-k) with the job's
# exact size (and byte-identical in the warm-up round), the job completed
# before the next run starts (ippeveprinter takes one job at a time and
# answers server-error-busy meanwhile); the kept document is then deleted. A
# run that fails (ipptool does not retry a busy printer) is not timed: it is
# counted and run again, at most twice. Method and figures:
# docs/performance.md. Loopback only; the printer and its D-Bus and avahi are
# started here and stopped by PID.
#
# usage: bench/ipp.sh NATIVE_RELEASE_BUILD_DIR
# Knobs: BENCH_IPP_MB=64, BENCH_REPEAT=7, BENCH_DIR=/dev/shm/portway-ipp.PID,
# CUPS_IPP=/usr/lib/cups/backend/ipp
set -u

NBUILD=$(cd "${1:?usage: $0 NATIVE_BUILD_DIR}" && pwd) || exit 2
MB=${BENCH_IPP_MB:-64}
REPEAT=${BENCH_REPEAT:-7}
DIR=${BENCH_DIR:-/dev/shm/portway-ipp.$$}
IPPCORE="$NBUILD/bench/ipp_core"
CUPS_IPP=${CUPS_IPP:-/usr/lib/cups/backend/ipp}
FORMAT=application/vnd.hp-pcl
T=300
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/e2e/ippeve_lib.sh
. "$here/../tests/e2e/ippeve_lib.sh"

[ -f "$IPPCORE" ] || { echo "bench: missing $IPPCORE" >&2; exit 2; }
[ -x "$CUPS_IPP" ] || { echo "bench: needs $CUPS_IPP (apt-get install cups)" >&2; exit 2; }
for c in ippeveprinter ipptool avahi-daemon dbus-daemon unshare ss; do
  command -v "$c" >/dev/null 2>&1 || {
    echo "bench: needs $c (apt-get install cups-ipp-utils avahi-daemon dbus-daemon)" >&2
    exit 2
  }
done
case $(stat -f -c %T "$(dirname "$DIR")" 2>/dev/null) in
  tmpfs) ;;
  *) echo "bench: warning: $DIR is not on tmpfs; the printer's disk writes will dominate" >&2 ;;
esac

mkdir -p "$DIR/data" "$DIR/ippeve" "$DIR/tmp" || exit 2
OUT="$DIR/out"
cleanup() {
  ippeve_stop
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
  echo "bench: $1 failed:" >&2
  cat "$OUT" "$DIR/err" >&2 2>/dev/null
  tail -n 3 "$DIR/data/portway.log" >&2 2>/dev/null
  tail -n 5 "$DIR/ippeve/ippeve.log" >&2 2>/dev/null
  exit 1
}

why=""
PORT=$(ippeve_free_port) || die "finding a free port"
# (its errors come back in $why; a grep of a log not yet created is noise)
ippeve_start "$DIR/ippeve" "$PORT" 2>/dev/null || die "ippeveprinter ($why)"
LOG="$DIR/ippeve/ippeve.log"
BYTES=$((MB * 1048576))
head -c "$BYTES" /dev/urandom >"$DIR/job.bin"
URI="ipp://127.0.0.1:$PORT/ipp/print"

# The printer numbers its jobs 1, 2, ...: the next run must make job $job.
job=1
# completed N: the printer finished job N (its "Processing time" line comes
# just before it marks the job completed and itself idle), 10 s at most.
completed() {
  local _
  for _ in $(seq 200); do
    grep -q "^\[Job $1\] Processing time was" "$LOG" && {
      sleep 0.05
      return 0
    }
    sleep 0.05
  done
  return 1
}
# arrived NAME CMP: job $job has arrived whole (kept as $job-NAME.pcl, exactly
# $BYTES bytes; with CMP=cmp also byte-identical) and completed; its files
# are then deleted so that the tmpfs does not fill.
arrived() {
  local kept
  kept=$(ippeve_kept "$DIR/ippeve" "$job" "$BYTES") || return 1
  [ "$(basename "$kept")" = "$job-$1.pcl" ] || return 1
  [ "$(stat -c %s "$kept")" -eq "$BYTES" ] || return 1
  [ "$2" != cmp ] || cmp -s "$kept" "$DIR/job.bin" || return 1
  completed "$job" || return 1
  rm -f "$DIR/ippeve/spool/$job-"*
  job=$((job + 1))
}

# The clients. Each writes its output to $OUT and $DIR/err.
cups_ipp() { # the CUPS ipp backend as cupsd runs it (backend(7))
  DEVICE_URI="$URI?waitjob=false" CONTENT_TYPE=$FORMAT timeout "$T" \
    "$CUPS_IPP" 1 bench bench 1 "" "$DIR/job.bin" </dev/null >"$OUT" 2>"$DIR/err"
}
cups_ipp_stdin() { # the same, the job on stdin (fd 4, the side channel, open)
  DEVICE_URI="$URI?waitjob=false" CONTENT_TYPE=$FORMAT TMPDIR="$DIR/tmp" timeout "$T" \
    "$CUPS_IPP" 1 bench bench 1 "" <"$DIR/job.bin" 4</dev/null >"$OUT" 2>"$DIR/err"
}
ipptool_pj() { # ipptool's Print-Job; -d must follow -f (which resets filetype)
  timeout "$T" ipptool -T 60 -f "$DIR/job.bin" -d filetype=$FORMAT "$URI" \
    print-job.test </dev/null >"$OUT" 2>"$DIR/err"
}
core() { # core [CONFIG_LINE...]
  PW_BENCH_DATA_DIR="$DIR/data" timeout "$T" "$IPPCORE" "$URI" "$DIR/job.bin" 4096 \
    "format=$FORMAT" "$@" </dev/null >"$OUT" 2>"$DIR/err"
}
core_spool() { core spool=true; }
core_stream() { core; } # the default, spool=auto: Create-Job + Send-Document
# The name each client gives the job (job-name), so $job-NAME.pcl.
name_of() {
  case $1 in
    cups_ipp*) echo bench ;;
    ipptool_pj) echo untitled ;;
    *) echo ipp_core ;;
  esac
}

fails=0
delivered_lines=0
# run CLIENT CMP: one run of CLIENT, checked; sets $secs (wall time, process
# start to exit). A failed run is counted and run again (2 more at most).
run() {
  local try t0 t1 n
  for try in 1 2 3; do
    t0=$EPOCHREALTIME
    if "$1"; then
      t1=$EPOCHREALTIME
      arrived "$(name_of "$1")" "$2" || die "$1: job $job arrival check"
      case $1 in
        core_*)
          n=$(grep -c "delivered $BYTES bytes to $URI job $((job - 1)) " \
            "$DIR/data/portway.log")
          [ "$n" -eq 1 ] || die "$1: portway's delivered line for job $((job - 1))"
          delivered_lines=$((delivered_lines + 1))
          : >"$DIR/data/portway.log"
          ;;
      esac
      secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
      return 0
    fi
    fails=$((fails + 1))
    echo "bench: $1 failed (try $try), exit status; $(tail -n 2 "$OUT" "$DIR/err" | tr '\n' '|')" >&2
    # Whatever it sent: wait for the printer to finish with it.
    if grep -q "Created job file \"$DIR/ippeve/spool/$job-" "$LOG"; then
      completed "$job" || die "$1: job $job never completed"
      rm -f "$DIR/ippeve/spool/$job-"*
      job=$((job + 1))
    fi
    : >"$DIR/data/portway.log" 2>/dev/null
    sleep 1
  done
  die "$1 (3 tries)"
}
# phase NAME: ipp_core's NAME (start, write, end) time in ms, from $OUT.
phase() {
  tail -n 1 "$OUT" | tr -d '(' | awk -v k="$1" \
    '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}
mbs() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }

CLIENTS="cups_ipp ipptool_pj core_spool core_stream cups_ipp_stdin"
echo "bench: i) portway core vs the CUPS ipp backend and ipptool, $MB MB x $REPEAT, printer on 127.0.0.1:$PORT" >&2
# Warm-up, untimed: every client's document is compared byte for byte.
for c in $CLIENTS; do run "$c" cmp; done
cups_mbs="" ipt_mbs="" sp_mbs="" st_mbs="" sp_in="" st_in="" cin_mbs=""
sp_s="" sp_w="" sp_e="" st_w="" st_e=""
for _ in $(seq "$REPEAT"); do
  run cups_ipp size
  cups_mbs="$cups_mbs $(mbs "$secs")"
  run ipptool_pj size
  ipt_mbs="$ipt_mbs $(mbs "$secs")"
  run core_spool size
  sp_mbs="$sp_mbs $(mbs "$secs")"
  sp_in="$sp_in $(field_before MB/s)"
  sp_s="$sp_s $(phase start)"
  sp_w="$sp_w $(phase write)"
  sp_e="$sp_e $(phase end)"
  run core_stream size
  st_mbs="$st_mbs $(mbs "$secs")"
  st_in="$st_in $(field_before MB/s)"
  st_w="$st_w $(phase write)"
  st_e="$st_e $(phase end)"
  run cups_ipp_stdin size
  cin_mbs="$cin_mbs $(mbs "$secs")"
done
[ -z "$(ls -A "$DIR/data/spool" 2>/dev/null)" ] || die "empty spool folder check"

echo
# shellcheck disable=SC2016 # ${Version} is dpkg-query's, not the shell's
echo "portway IPP benchmark: cups $(dpkg-query -W -f '${Version}' cups 2>/dev/null), cups-ipp-utils $(dpkg-query -W -f '${Version}' cups-ipp-utils 2>/dev/null), $(nproc) cores"
echo "$REPEAT runs per figure; $MB MB job ($FORMAT); MB = 2^20 bytes; ippeveprinter on 127.0.0.1, spool on $(stat -f -c %T "$DIR"); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jobs checked at the printer: $((job - 1)) (size each, byte-identical in the warm-up); portway delivered lines: $delivered_lines; failed runs (not timed, run again): $fails; busy answers in the printer's log: $(grep -c 'server-error-busy' "$LOG")"
echo
printf '%-50s %10s %10s  %s\n' "measure" "median" "best" "range / target"
row "i) CUPS ipp backend, waitjob=false (MB/s)" "$cups_mbs" max
row "i) ipptool print-job (MB/s)" "$ipt_mbs" max
row "i) portway core, spool=true, 4 KB (MB/s)" "$sp_mbs" max
row "i)   the same, StartDocPort..EndDocPort only" "$sp_in" max
row "i) portway core, default (Create-Job), 4 KB (MB/s)" "$st_mbs" max
row "i)   the same, StartDocPort..EndDocPort only" "$st_in" max
ratio_row "i) ratio core spool=true / CUPS ipp" "$sp_mbs" "$cups_mbs" max ">=" 1.0
ratio_row "i) ratio core spool=true / ipptool" "$sp_mbs" "$ipt_mbs" max ">=" 0.9
ratio_row "i) ratio core default / CUPS ipp" "$st_mbs" "$cups_mbs" max ">=" 1.0
ratio_row "i) ratio core default / ipptool" "$st_mbs" "$ipt_mbs" max ">=" 0.9
row "i) spool=true: StartDocPort (connect, hang up) (ms)" "$sp_s" min
row "i) spool=true: the WritePorts, into the file (ms)" "$sp_w" min
row "i) spool=true: EndDocPort, sending the file (ms)" "$sp_e" min
row "i) default: the WritePorts, sent (ms)" "$st_w" min
row "i) default: EndDocPort (ms)" "$st_e" min
row "i) CUPS ipp backend, job on stdin (MB/s)" "$cin_mbs" max
ratio_row "i) ratio core spool=true / CUPS ipp stdin" "$sp_mbs" "$cin_mbs" max
ratio_row "i) ratio core default / CUPS ipp stdin" "$st_mbs" "$cin_mbs" max
