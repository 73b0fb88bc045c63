#!/bin/bash
# portwaylm.dll (the PJL language monitor) end to end through monrun, the
# spooler simulator: Wine's spooler never calls OpenPortEx, so monrun plays
# the spooler (monrun --lm portwaylm.dll --pm PM print ...), and prints what
# the language monitor tells it (SetPort / SetJob lines).
#
#   - over portway.dll's socket port, to tests/e2e/pjlprinter.py (a PJL
#     printer on 127.0.0.1): exact framing, device status set and cleared,
#     the end echo confirming the job (SetJob LAST_PAGE_EJECTED), jobs
#     following each other, a dropped back channel, a silent printer,
#     garbage on the back channel, framing off, a document with its own UEL;
#   - over Wine's localspl.dll FILE: (no back channel): framing only.
#
# usage: tests/e2e/monrun_langmon.sh BUILD_DIR   (the mingw build directory)
# Private prefix BUILD_DIR/wineprefix-langmon. Prints "ok <step>" /
# "not ok <step>: why", then "N passed, N failed"; every simulator is
# stopped by PID; every wait is bounded.
set -u

BUILD=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd) || exit 2
ROOT=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
MONRUN="$BUILD/tools/monrun/monrun.exe"
PM_DLL="$BUILD/bin/portway.dll"
LM_DLL="$BUILD/bin/portwaylm.dll"
export WINEPREFIX="$BUILD/wineprefix-langmon"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
T=120

# ok, not_ok, check and the counters
# shellcheck source=tests/e2e/peer_lib.sh
. "$ROOT/tests/e2e/peer_lib.sh"
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

for f in "$MONRUN" "$PM_DLL" "$LM_DLL"; do
  [ -f "$f" ] || {
    not_ok "setup" "missing $f"
    finish
  }
done
if [ ! -d "$WINEPREFIX/drive_c/windows" ]; then
  timeout 120 wineboot -i >/dev/null 2>&1 || {
    not_ok "setup" "wineboot -i failed"
    finish
  }
fi
WORK="$WINEPREFIX/drive_c/langmon-e2e"
rm -rf "$WORK"
mkdir -p "$WORK"
LOG="$WINEPREFIX/drive_c/ProgramData/portway/portwaylm.log"
rm -f "$LOG"
PM_W=$(winepath -w "$PM_DLL")
LM_W=$(winepath -w "$LM_DLL")
OUT="$WORK/stdout"
ERR="$WORK/stderr"
timeout "$T" wine reg delete 'HKCU\Software\portway\monrun' /f >/dev/null 2>&1

simpid=""
stop_sim() {
  [ -n "$simpid" ] && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
  simpid=""
}
trap stop_sim EXIT

# start_sim DIR ARGS...: a PJL printer on 127.0.0.1; its port in $simport.
start_sim() {
  local dir=$1
  shift
  stop_sim
  rm -rf "$dir"
  mkdir -p "$dir"
  python3 "$ROOT/tests/e2e/pjlprinter.py" "$@" "$dir" "$dir/port" \
    >"$dir/sim.out" 2>&1 &
  simpid=$!
  for _ in $(seq 100); do
    [ -s "$dir/port" ] && break
    sleep 0.1
  done
  simport=$(cat "$dir/port" 2>/dev/null)
  [ -n "$simport" ]
}

mr() { timeout "$T" wine "$MONRUN" "$@" >"$OUT" 2>"$ERR"; }
# lm_print PORT FILE [monrun options]: one job through the language monitor.
lm_print() {
  local port=$1 file=$2
  shift 2
  mr --lm "$LM_W" --pm "$PM_W" --lm-option poll_ms=100 "$@" print "$port" \
    "$(winepath -w "$file")"
}
# The job's bytes without NUL, ESC or FF (so no PJL or page marks inside).
make_job() { head -c "$2" /dev/urandom | tr -d '\000\033\014' >"$1"; }

# expect_framed STORED DOC: STORED is DOC in a PJL job named as the header
# says: UEL, USTATUS JOB/DEVICE, JOB NAME, DOC, UEL EOJ NAME, UEL.
expect_framed() {
  local stored=$1 doc=$2 name
  name=$(grep -ao '@PJL JOB NAME="[^"]*"' "$stored" | head -n 1 | sed 's/^@PJL JOB NAME="//; s/"$//')
  [ -n "$name" ] || {
    why="no JOB NAME in $stored"
    return 1
  }
  {
    printf '\033%%-12345X@PJL USTATUS JOB=ON\r\n@PJL USTATUS DEVICE=ON\r\n'
    printf '@PJL JOB NAME="%s"\r\n' "$name"
    cat "$doc"
    printf '\033%%-12345X@PJL EOJ NAME="%s"\r\n\033%%-12345X' "$name"
  } >"$WORK/expected.bin"
  cmp -s "$WORK/expected.bin" "$stored" || {
    why="$stored differs from the expected framing ($(stat -c %s "$stored") vs $(stat -c %s "$WORK/expected.bin") bytes)"
    return 1
  }
}

SIM="$WORK/sim"
# ---- 1. a job over portway's socket port, with status mid-job ----------
make_job "$WORK/job1.bin" 2000000
start_sim "$SIM" --event 400000:40022:"PAPER JAM" --event 1400000:10001:READY \
  --event-hold 1 || not_ok "simulator" "did not start"
mr "$PM_W" add-port PJLS: "uri=socket://127.0.0.1:$simport"
job_with_status() {
  lm_print PJLS: "$WORK/job1.bin" --doc report --printer "PJL Printer" \
    --job 42 --lm-option eoj_wait=10 || {
    why="monrun exit $?: $(head -c 300 "$ERR")"
    return 1
  }
}
check "a job through portwaylm.dll over portway.dll's socket port" job_with_status
stopped_and_stored() {
  for _ in $(seq 50); do [ -f "$SIM/job-1.bin" ] && break; sleep 0.1; done
  expect_framed "$SIM/job-1.bin" "$WORK/job1.bin"
}
check "the printer got exactly UEL, USTATUS, JOB, the document, EOJ, UEL" stopped_and_stored
status_set_and_cleared() {
  grep -q '^SetPort PJLS:: status=2 severity=1' "$OUT" &&
    grep -q '^SetPort PJLS:: status=0 severity=0' "$OUT" || {
    why="SetPort lines: $(grep SetPort "$OUT" | tr '\n' '|')"
    return 1
  }
  # jam first, then clear
  [ "$(grep '^SetPort' "$OUT" | head -n 1 | grep -c 'status=2')" = 1 ]
}
check "PAPER JAM mid-job: SetPort(PORT_INFO_3 PAPER_JAM, error), then cleared when READY" \
  status_set_and_cleared
job_confirmed() {
  grep -q '^SetJob PJL Printer 42: control=7 (LAST_PAGE_EJECTED)' "$OUT" &&
    grep -aq 'port=PJLS: job=42: sent 1[0-9]* bytes in PJL job PW[0-9A-F]*-1 report; the printer confirmed its end' "$LOG" &&
    grep -aq 'port=PJLS: job=42: 1 page(s)' "$LOG" || {
    why="$(grep SetJob "$OUT") / $(tail -n 3 "$LOG" | tr '\n' '|')"
    return 1
  }
}
check "the printer's end echo completes the job: SetJob(LAST_PAGE_EJECTED), pages logged" job_confirmed

# ---- 2. jobs following each other: each matched to its own echo --------
start_sim "$SIM" || not_ok "simulator" "did not start"
mr "$PM_W" set-port PJLS: "uri=socket://127.0.0.1:$simport"
make_job "$WORK/job2.bin" 30000
two_jobs() {
  local i
  for i in 1 2 3; do
    lm_print PJLS: "$WORK/job2.bin" --doc "doc$i" --printer P --job "$i" ||
      return 1
    grep -q "^SetJob P $i: control=7" "$OUT" || {
      why="job $i: no SetJob"
      return 1
    }
  done
  [ "$(grep -ac 'the printer confirmed its end' "$LOG")" -ge 4 ] || {
    why="confirmed: $(grep -ac 'confirmed its end' "$LOG")"
    return 1
  }
  expect_framed "$SIM/job-3.bin" "$WORK/job2.bin"
}
check "three jobs in a row: each framed and confirmed by its own end echo" two_jobs

# ---- 3. a printer that drops its back channel, or never answers --------
bounded_unconfirmed() { # NAME SIM-OPTION
  start_sim "$SIM" "$2" || return 1
  mr "$PM_W" set-port PJLS: "uri=socket://127.0.0.1:$simport"
  local t0=$SECONDS
  lm_print PJLS: "$WORK/job2.bin" --doc "$1" --printer P --job 7 \
    --lm-option eoj_wait=2 || {
    why="monrun exit $?: $(head -c 300 "$ERR")"
    return 1
  }
  [ $((SECONDS - t0)) -lt 60 ] || {
    why="took $((SECONDS - t0)) s"
    return 1
  }
  grep -aq "job=7: sent .* $1; its end was not confirmed by the printer" "$LOG" || {
    why="log: $(tail -n 2 "$LOG" | tr '\n' '|')"
    return 1
  }
  for _ in $(seq 50); do [ -f "$SIM/job-1.bin" ] && break; sleep 0.1; done
  expect_framed "$SIM/job-1.bin" "$WORK/job2.bin"
}
check "the printer drops the back channel: the job still completes, unconfirmed, in bounded time" \
  bounded_unconfirmed dropped --drop-backchannel
check "the printer never answers: the job completes after eoj_wait, unconfirmed" \
  bounded_unconfirmed silent --silent

# ---- 4. garbage on the back channel -------------------------------------
garbage() {
  start_sim "$SIM" --garbage 20000 || return 1
  mr "$PM_W" set-port PJLS: "uri=socket://127.0.0.1:$simport"
  lm_print PJLS: "$WORK/job2.bin" --doc garbage --printer P --job 8 \
    --lm-option eoj_wait=10 || {
    why="monrun exit $?"
    return 1
  }
  grep -q "^SetJob P 8: control=7" "$OUT" || {
    why="not confirmed: $(tail -n 2 "$LOG" | tr '\n' '|')"
    return 1
  }
}
check "20 KB of garbage on the back channel: the real echo still confirms the job" garbage

# ---- 5. framing off; a document with its own UEL ------------------------
passthrough() { # NAME FILE OPTION...
  start_sim "$SIM" || return 1
  mr "$PM_W" set-port PJLS: "uri=socket://127.0.0.1:$simport"
  local file=$2
  shift 2
  lm_print PJLS: "$file" --doc pass "$@" --lm-option eoj_wait=2 || return 1
  for _ in $(seq 50); do [ -f "$SIM/job-1.bin" ] && break; sleep 0.1; done
  cmp -s "$file" "$SIM/job-1.bin" || {
    why="the printer got other bytes than the document"
    return 1
  }
}
check "framing=false: the document's bytes, unchanged" \
  passthrough off "$WORK/job2.bin" --lm-option framing=false
{
  printf '\033%%-12345X@PJL JOB NAME="own"\r\n@PJL ENTER LANGUAGE=PCL\r\n'
  cat "$WORK/job2.bin"
  printf '\033%%-12345X@PJL EOJ\r\n\033%%-12345X'
} >"$WORK/own.bin"
check "a document that starts with a UEL passes through unwrapped" \
  passthrough own "$WORK/own.bin"

# ---- 6. Bidi and GetPrinterDataFromPort: the printer asked outside a job
lm_cmd() { mr --lm "$LM_W" --pm "$PM_W" --lm-option poll_ms=100 "$@"; }
bidi_answers() {
  start_sim "$SIM" --event 0:41300:"LOAD PAPER" || return 1
  mr "$PM_W" set-port PJLS: "uri=socket://127.0.0.1:$simport"
  lm_cmd bidi PJLS: '\Printer.Status.Summary:State' \
    '\Printer.Status.Summary:StateReason' '\Printer.DeviceInfo:ModelName' \
    '\Printer.Status.Summary:Online' || {
    why="monrun exit $?: $(head -c 300 "$ERR")"
    return 1
  }
  local got
  got=$(tr -d '\r' <"$OUT")
  printf '%s\n' "$got" | grep -qx '\\Printer.Status.Summary:State	result=0	type=STRING	Stopped' &&
    printf '%s\n' "$got" | grep -qx '\\Printer.Status.Summary:StateReason	result=0	type=STRING	MediaEmpty' &&
    printf '%s\n' "$got" | grep -qx '\\Printer.DeviceInfo:ModelName	result=0	type=STRING	PORTWAY PJLSIM' &&
    printf '%s\n' "$got" | grep -q '^\\Printer.Status.Summary:Online	result=13005' || {
    why="answers: $(printf '%s' "$got" | tr '\n' '|')"
    return 1
  }
  # the printer was asked with INFO ID and INFO STATUS, and printed nothing
  grep -q 'pjl @PJL INFO ID' "$SIM/log.txt" && ! grep -q 'pjl @PJL JOB' "$SIM/log.txt" || {
    why="simulator log: $(tr '\n' '|' <"$SIM/log.txt" | head -c 300)"
    return 1
  }
}
check "Bidi through portwaylm.dll: State, StateReason, ModelName from INFO STATUS / INFO ID; :Online is not in the schema" \
  bidi_answers
get_data() {
  lm_cmd get-data PJLS: PAGECOUNT || return 1
  grep -qx '[0-9][0-9]*' "$OUT" || {
    why="PAGECOUNT: $(cat "$OUT")"
    return 1
  }
  lm_cmd get-data PJLS: ID && grep -qx 'PORTWAY PJLSIM' "$OUT" || {
    why="ID: $(cat "$OUT" "$ERR")"
    return 1
  }
  ! lm_cmd get-data PJLS: "No Such Value" && grep -q "error 50" "$ERR" || {
    why="an unknown name: $(cat "$ERR")"
    return 1
  }
}
check "GetPrinterDataFromPort answers PJL INFO PAGECOUNT and ID by name; other names: not supported" get_data
stop_sim

# ---- 7. over Wine's localspl.dll FILE: (no back channel) ---------------
over_localspl() {
  local t0=$SECONDS
  mr --lm "$LM_W" --pm localspl.dll print FILE: "$(winepath -w "$WORK/job2.bin")" \
    --doc local --output-file 'C:\langmon-e2e\local.prn' || {
    why="monrun exit $?: $(head -c 300 "$ERR")"
    return 1
  }
  [ $((SECONDS - t0)) -lt 25 ] || {
    why="took $((SECONDS - t0)) s (waited for an echo without back channel?)"
    return 1
  }
  expect_framed "$WORK/local.prn" "$WORK/job2.bin" || return 1
  grep -aq "no back channel" "$LOG" || {
    why="no 'no back channel' line in portwaylm.log"
    return 1
  }
}
check "over localspl.dll FILE: the file holds the framed job; no back channel, no wait" over_localspl
no_query_without_back_channel() {
  mr --lm "$LM_W" --pm localspl.dll bidi FILE: '\Printer.Status.Summary:State' || {
    why="monrun exit $?: $(head -c 300 "$ERR")"
    return 1
  }
  grep -q 'result=232' "$OUT" || {
    why="answer: $(cat "$OUT")"
    return 1
  }
}
check "Bidi over FILE: (no back channel): the printer is never asked, ERROR_NO_DATA" \
  no_query_without_back_channel

finish
