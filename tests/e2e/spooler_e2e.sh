#!/usr/bin/env bash
# spooler_e2e.sh BUILD_DIR — portway.dll end to end through Wine's REAL
# spooler (winspool.drv -> localspl.dll -> winprint.dll -> portway.dll), all
# driven by pwctl.exe through the public winspool API:
#
#   AddMonitor, Xcv AddPort/GetConfig/DeletePort, EnumPorts, AddPrinter,
#   StartDocPrinter/WritePrinter/EndDocPrinter (printer and "PORT, Port"),
#   DeletePrinter, DeleteMonitor
#
# plus the registry (`wine reg query`), the delivered files (cmp) and the
# monitor's log. Before portway, a Local Port baseline proves the spooler side
# (driver, printer, RAW job) so a failure can be pinned on the right layer.
# The network ports print to printers on 127.0.0.1 started (and stopped by
# PID) here: a RAW sink and an LPD sink (python), a REAL BSD lpd
# (bsdlpd_lib.sh; needs root for its mount namespace) and CUPS's
# ippeveprinter (ippeve_lib.sh), over ipp and ipps.
#
# Runs in a private prefix BUILD_DIR/wineprefix-e2e whose registry is reset
# from a pristine snapshot each run (a new prefix costs ~700 MB and 15 s);
# --fresh rebuilds it from scratch. Every wine call is bounded by `timeout`.
# PW_E2E_TRACE=1 records WINEDEBUG=+localspl,+winspool,+winprint traces of
# every call in BUILD_DIR/e2e-work/trace.log.
#
# Output: "ok <step>" / "not ok <step>: why" per step, then "N passed,
# N failed"; exit status 0 only if nothing failed.

# The step functions run through check(); shellcheck cannot see that.
# shellcheck disable=SC2317
set -uo pipefail

usage() {
  echo "usage: $0 [--fresh] BUILD_DIR" >&2
  exit 2
}
fresh=()
build_arg=""
for a in "$@"; do
  case "$a" in
  --fresh) fresh=(--fresh) ;;
  -*) usage ;;
  *)
    [ -z "$build_arg" ] || usage
    build_arg=$a
    ;;
  esac
done
[ -n "$build_arg" ] || usage

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$build_arg" 2>/dev/null && pwd) || {
  echo "not ok setup: no build directory $build_arg"
  echo "0 passed, 1 failed"
  exit 1
}

MONITOR=portway
PORT=PWTEST1:
PRINTER="portway E2E"
OUTDIR_WIN='C:\pwtest-out'
OUTDIR_URI=file:///C:/pwtest-out
WINE_TIMEOUT=${PW_E2E_TIMEOUT:-120}

prefix=$build/wineprefix-e2e
work=$build/e2e-work
pwctl=$build/tools/pwctl/pwctl.exe
monkey="HKLM\\System\\CurrentControlSet\\Control\\Print\\Monitors\\$MONITOR"

passed=0
failed=0
ok() {
  echo "ok $1"
  passed=$((passed + 1))
}
not_ok() {
  echo "not ok $1: $2"
  failed=$((failed + 1))
}
# shellcheck source=tests/e2e/ippeve_lib.sh
. "$root/tests/e2e/ippeve_lib.sh"
# shellcheck source=tests/e2e/bsdlpd_lib.sh
. "$root/tests/e2e/bsdlpd_lib.sh"
finish() {
  ippeve_stop # the IPP printer, if it was started
  bsdlpd_stop # BSD lpd, if it was started
  # Leave no wineserver behind (it lingers a few seconds after the last
  # client otherwise).
  timeout 60 wineserver -w >/dev/null 2>&1
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
# check NAME CONDITION-COMMAND... : ok if the command succeeds, else why=$why
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name" "$why"; fi
}

export WINEPREFIX=$prefix WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml="
export WINEDEBUG=-all
[ "${PW_E2E_TRACE:-0}" = 1 ] && WINEDEBUG=+localspl,+winspool,+winprint
unset DISPLAY WAYLAND_DISPLAY

# ---- helpers --------------------------------------------------------------

# pw ARGS...: runs pwctl; sets rc, out (stdout), err (pwctl's own stderr
# lines) and why (a one-line reason for a failure).
pw() {
  timeout -k 10 "$WINE_TIMEOUT" wine "$pwctl" "$@" >"$work/out" 2>"$work/err"
  rc=$?
  out=$(tr -d '\r' <"$work/out")
  err=$(tr -d '\r' <"$work/err" | grep -a '^pwctl:')
  if [ "${PW_E2E_TRACE:-0}" = 1 ]; then
    {
      echo "=== pwctl $* -> $rc"
      cat "$work/err"
    } >>"$work/trace.log"
  fi
  local cmd=$1 a skip=0
  for a in "$@"; do # the command word, for messages
    if [ "$skip" = 1 ]; then
      skip=0
    elif [ "$a" = --name ]; then
      skip=1
    elif [ "${a#-}" = "$a" ]; then
      cmd=$a
      break
    fi
  done
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    why="pwctl $cmd timed out after ${WINE_TIMEOUT}s"
  else
    why="pwctl $cmd exit $rc${err:+: $(printf '%s' "$err" | tail -n 1)}"
  fi
  [ "$rc" -eq 0 ]
}

reg_has_key() {
  timeout -k 10 "$WINE_TIMEOUT" wine reg query "$1" >/dev/null 2>&1
}

# Windows path (via Wine's Z: drive) of a Linux path.
winpath() {
  printf 'Z:%s' "${1//\//\\}"
}

# Files in a directory, one per line, sorted.
listing() {
  (cd "$1" 2>/dev/null && find . -maxdepth 1 -type f | sort)
}

# The single file that appeared in DIR since BEFORE (a listing); sets newfile
# or why.
new_file_in() {
  local dir=$1 before=$2 added
  added=$(comm -13 <(printf '%s\n' "$before") <(listing "$dir") | sed '/^$/d')
  if [ -z "$added" ]; then
    why="no new file in $dir"
    return 1
  fi
  if [ "$(printf '%s\n' "$added" | wc -l)" -ne 1 ]; then
    why="more than one new file in $dir: $(echo "$added" | tr '\n' ' ')"
    return 1
  fi
  newfile=$dir/${added#./}
}

same_bytes() {
  if cmp -s "$1" "$2"; then return 0; fi
  why="$2 differs from $1 ($(stat -c %s "$2" 2>/dev/null || echo '?') vs $(stat -c %s "$1") bytes)"
  return 1
}

# ---- setup ----------------------------------------------------------------

mkdir -p "$work" || exit 1
rm -f "$work/trace.log"
if [ ! -f "$pwctl" ]; then
  not_ok setup "no $pwctl (build the win target first)"
  finish
fi
# CMake puts the DLL in BUILD_DIR/bin; look further only if it moved.
dll=$build/bin/portway.dll
[ -f "$dll" ] || dll=$(find "$build" -name portway.dll -type f \
  -not -path '*/wineprefix*' 2>/dev/null | head -n 1)
if [ -z "$dll" ]; then
  not_ok setup "no portway.dll under $build"
  finish
fi

if ! "$root/scripts/wine-prefix.sh" "${fresh[@]}" --prefix "$prefix"; then
  not_ok "private prefix $prefix" "wine-prefix.sh failed"
  finish
fi
# The registry is reset from a snapshot taken right after wineboot; the
# wineserver holds the registry in memory, so it is stopped first.
timeout 60 wineserver -k >/dev/null 2>&1
timeout 60 wineserver -w >/dev/null 2>&1
snap=$prefix/.e2e-pristine
if [ ! -f "$snap/system.reg" ]; then
  mkdir -p "$snap" && cp "$prefix"/*.reg "$snap/"
else
  cp "$snap"/*.reg "$prefix/"
fi || {
  not_ok "private prefix $prefix" "cannot save or restore the registry snapshot"
  finish
}
c=$prefix/drive_c
rm -rf "$c/pwtest-out" "$c/pwtest-out2" "$c/pwtest-local.prn" "$c/ProgramData/portway" \
  "$c/windows/system32/portway.dll"
rm -f "$c"/windows/system32/spool/printers/*
ok "private prefix with a pristine registry ($prefix)"

# ---- baseline: Wine's own Local Port monitor (proves pwctl + spooler) ----

head -c 300000 /dev/urandom >"$work/baseline.bin"
if pw --name "Local Port" add-port 'C:\pwtest-local.prn' &&
  pw add-printer "portway E2E baseline" 'C:\pwtest-local.prn' &&
  pw print "portway E2E baseline" "$(winpath "$work/baseline.bin")" &&
  same_bytes "$work/baseline.bin" "$c/pwtest-local.prn"; then
  ok "baseline: Local Port file port, printer, RAW job delivered byte-identical"
else
  not_ok "baseline: Local Port printer path" "$why"
fi
pw delete-printer "portway E2E baseline" ||
  not_ok "baseline: delete-printer" "$why"

# ---- portway --------------------------------------------------------------

if "$root/scripts/wine-prefix.sh" --prefix "$prefix" --install "$dll"; then
  ok "portway.dll copied into C:\\windows\\system32"
else
  not_ok "portway.dll copied into C:\\windows\\system32" "copy failed"
fi

check "install: AddMonitor(\"$MONITOR\", portway.dll)" pw install

# pwctl treats "already installed" as success; -v shows the spooler's code.
second_install() {
  pw -v install || return 1
  case "$err" in
  *"(Win32 error 3006)"*) return 0 ;;
  esac
  why="no ERROR_PRINT_MONITOR_ALREADY_INSTALLED in: $err"
  return 1
}
check "second install: ERROR_PRINT_MONITOR_ALREADY_INSTALLED (3006)" second_install

monitor_registered() {
  local q
  q=$(timeout -k 10 "$WINE_TIMEOUT" wine reg query "$monkey" /v Driver 2>/dev/null | tr -d '\r')
  case "$q" in
  *portway.dll*) return 0 ;;
  esac
  why="$monkey Driver is not portway.dll: $(echo "$q" | tr '\n' ' ')"
  return 1
}
check "registry: $monkey Driver=portway.dll" monitor_registered

check "add-port $PORT $OUTDIR_URI (Xcv AddPort via ,XcvMonitor $MONITOR)" \
  pw add-port "$PORT" "$OUTDIR_URI"

get_config() {
  pw get-port "$PORT" || return 1
  case "$out" in
  *"uri=$OUTDIR_URI"*) return 0 ;;
  esac
  why="GetConfig text lacks uri=$OUTDIR_URI: $(echo "$out" | tr '\n' '|')"
  return 1
}
check "get-port $PORT (Xcv GetConfig) returns the destination" get_config

port_listed() {
  pw ports --monitor "$MONITOR" || return 1
  if printf '%s\n' "$out" | grep -q "^$PORT	$MONITOR	"; then return 0; fi
  why="EnumPorts has no '$PORT<TAB>$MONITOR' line; got: $(pw ports && echo "$out" | tr '\n' '|')"
  return 1
}
check "ports: EnumPorts lists $PORT for $MONITOR" port_listed

port_key() {
  reg_has_key "$monkey\\Ports\\$PORT" && return 0
  why="no key $monkey\\Ports\\$PORT (Wine routes jobs to a monitor only by this key)"
  return 1
}
check "registry: $monkey\\Ports\\$PORT exists" port_key

check "add-printer \"$PRINTER\" on $PORT" pw add-printer "$PRINTER" "$PORT"

add_printer_again_same_port() {
  pw -v add-printer "$PRINTER" "$PORT" || return 1
  case "$err" in *"already exists"*) return 0 ;; esac
  why="no 'already exists' note: $err"
  return 1
}
check "add-printer again on the same port: exit 0 (idempotent)" \
  add_printer_again_same_port

# Wine's AddPrinter would silently move the printer; pwctl must refuse.
add_printer_other_port_refused() {
  if pw add-printer "$PRINTER" LPT1:; then
    why="exit 0"
    return 1
  fi
  case "$rc:$err" in 1:*"(Win32 error 1802)"*) return 0 ;; esac
  why="expected exit 1 with error 1802, got $rc: $err"
  return 1
}
check "add-printer with the same name on another port is refused (1802)" \
  add_printer_other_port_refused

# A multi-megabyte job through StartDocPrinter/WritePrinter/EndDocPrinter;
# under Wine, EndDocPrinter runs winprint -> OpenPort..ClosePort in-process.
doc=e2e-doc-$$-$RANDOM
head -c $((5 * 1024 * 1024 + 12345)) /dev/urandom >"$work/doc.bin"
# The monitor creates the destination directory itself.
before=$(listing "$c/pwtest-out")
check "print 5 MB to printer \"$PRINTER\" (EndDocPrinter delivers)" \
  pw print "$PRINTER" "$(winpath "$work/doc.bin")" --doc "$doc"
if new_file_in "$c/pwtest-out" "$before" &&
  same_bytes "$work/doc.bin" "$newfile"; then
  ok "printer job arrived in $OUTDIR_WIN byte-identical ($(basename "$newfile"))"
else
  not_ok "printer job arrived in $OUTDIR_WIN byte-identical" "$why"
fi

log_mentions_job() {
  local log=$c/ProgramData/portway/portway.log
  if [ ! -f "$log" ]; then
    why="no $log"
    return 1
  fi
  if tr -d '\r' <"$log" | grep -F "$doc" | grep -qF "$PORT"; then return 0; fi
  why="no line in portway.log with both '$PORT' and '$doc'; last: $(tail -n 3 "$log" | tr '\n' '|')"
  return 1
}
check "portway.log records the job with port and document name" log_mentions_job

# Straight to the port: OpenPrinter("PWTEST1:, Port") maps 1:1 to the
# monitor's StartDocPort/WritePort/EndDocPort.
head -c 1000003 /dev/urandom >"$work/direct.bin"
before=$(listing "$c/pwtest-out")
check "print to \"$PORT, Port\" directly" \
  pw print "$PORT" "$(winpath "$work/direct.bin")" --doc "direct-$doc"
if new_file_in "$c/pwtest-out" "$before" &&
  same_bytes "$work/direct.bin" "$newfile"; then
  ok "direct port job arrived byte-identical ($(basename "$newfile"))"
else
  not_ok "direct port job arrived byte-identical" "$why"
fi

# SetConfig through the spooler: the next job follows the new destination.
check "set-port $PORT ${OUTDIR_URI}2 (Xcv SetConfig)" \
  pw set-port "$PORT" "${OUTDIR_URI}2"
head -c 70001 /dev/urandom >"$work/moved.bin"
before=$(listing "$c/pwtest-out2")
if pw print "$PRINTER" "$(winpath "$work/moved.bin")" --doc "moved-$doc" &&
  new_file_in "$c/pwtest-out2" "$before" &&
  same_bytes "$work/moved.bin" "$newfile"; then
  ok "after set-port the next job arrives in ${OUTDIR_WIN}2"
else
  not_ok "after set-port the next job arrives in ${OUTDIR_WIN}2" "$why"
fi

# The monitor-wide log level is configuration too: Xcv SetMonitorConfig,
# stored as the LogLevel value of the monitor key; bad levels are refused.
loglevel_is_stored() {
  pw set-loglevel debug || return 1
  if ! timeout -k 10 "$WINE_TIMEOUT" wine reg query "$monkey" /v LogLevel 2>/dev/null |
    tr -d '\r' | grep -q 'LogLevel.*REG_SZ.*debug'; then
    why="LogLevel=debug not found under $monkey"
    return 1
  fi
  if pw set-loglevel loud; then
    why="set-loglevel loud was accepted"
    return 1
  fi
  pw set-loglevel info
}
check "set-loglevel debug stored as $monkey\\LogLevel; 'loud' refused" \
  loglevel_is_stored

uninstall_refused_while_in_use() {
  if pw uninstall; then
    why="uninstall succeeded while \"$PRINTER\" uses $PORT"
    return 1
  fi
  case "$rc:$err" in 1:*"(Win32 error 3008)"*) ;; *)
    why="expected exit 1 with error 3008, got $rc: $err"
    return 1
    ;;
  esac
  reg_has_key "$monkey" && return 0
  why="the monitor key is gone although uninstall was refused"
  return 1
}
check "uninstall refused while a printer uses a port (3008), monitor kept" \
  uninstall_refused_while_in_use

check "delete-printer \"$PRINTER\"" pw delete-printer "$PRINTER"
check "delete-port $PORT (Xcv DeletePort)" pw delete-port "$PORT"

port_gone() {
  pw ports || return 1
  if printf '%s\n' "$out" | grep -q "^$PORT	"; then
    why="EnumPorts still lists $PORT"
    return 1
  fi
}
check "ports: $PORT no longer listed" port_gone

port_key_gone() {
  reg_has_key "$monkey\\Ports\\$PORT" || return 0
  why="key $monkey\\Ports\\$PORT still exists"
  return 1
}
check "registry: $monkey\\Ports\\$PORT removed" port_key_gone

# A job for a port that no longer exists must fail, not hang or vanish.
printing_to_deleted_port_fails() {
  if pw print "$PORT" "$(winpath "$work/moved.bin")"; then
    why="print to deleted $PORT succeeded"
    return 1
  fi
  [ "$rc" -eq 1 ] && return 0
  why="expected exit 1, got: $why"
  return 1
}
check "print to the deleted port fails cleanly" printing_to_deleted_port_fails

# ---- socket:// (RAW) through the spooler, to a printer on 127.0.0.1 ----
# tests/e2e/rawsink.py is the printer: it keeps what each connection sends
# (job-N.bin) and closes at the end of the job, as printers do. Started
# here, stopped by PID; loopback only.
NETPORT=PWRAW1:
NETPRINTER="portway E2E RAW"
sinkdir=$work/sink
rm -rf "$sinkdir" && mkdir -p "$sinkdir"
python3 "$root/tests/e2e/rawsink.py" "$sinkdir" "$sinkdir/port" 4 &
sinkpid=$!
for _ in $(seq 1 100); do
  [ -s "$sinkdir/port" ] && break
  sleep 0.05
done
sinkport=$(cat "$sinkdir/port" 2>/dev/null)

raw_port_added() {
  [ -n "$sinkport" ] || {
    why="the RAW printer did not start"
    return 1
  }
  pw add-port "$NETPORT" "socket://127.0.0.1:$sinkport" || return 1
  pw get-port "$NETPORT" || return 1
  [[ "$out" == *"uri=socket://127.0.0.1:$sinkport"* ]] || {
    why="get-port says: $out"
    return 1
  }
}
check "add-port $NETPORT socket://127.0.0.1:PORT (a RAW printer on loopback)" \
  raw_port_added

raw_test_port() {
  pw test-port "$NETPORT" || return 1
  [[ "$out" == "$NETPORT: ok: the printer at 127.0.0.1:$sinkport accepts connections"* ]] || {
    why="test-port said: $out"
    return 1
  }
}
check "test-port $NETPORT: the printer accepts connections (nothing printed)" \
  raw_test_port

# Wait until the sink stored job N (it renames on the job's end).
sink_job() {
  for _ in $(seq 1 200); do
    [ -f "$sinkdir/job-$1.bin" ] && return 0
    sleep 0.05
  done
  why="the RAW printer has no job-$1.bin"
  return 1
}

head -c $((3 * 1024 * 1024 + 777)) /dev/urandom >"$work/raw.bin"
raw_print_printer() {
  pw add-printer "$NETPRINTER" "$NETPORT" || return 1
  pw print "$NETPRINTER" "$(winpath "$work/raw.bin")" --doc "raw-$doc" ||
    return 1
  sink_job 1 && same_bytes "$work/raw.bin" "$sinkdir/job-1.bin"
}
check "print 3 MB to printer \"$NETPRINTER\": the RAW printer receives it byte-identical" \
  raw_print_printer

raw_print_port() {
  pw print "$NETPORT" "$(winpath "$work/direct.bin")" --doc "raw-direct" ||
    return 1
  sink_job 2 && same_bytes "$work/direct.bin" "$sinkdir/job-2.bin"
}
check "print to \"$NETPORT, Port\" directly: byte-identical at the printer" \
  raw_print_port

# The Standard TCP/IP Port way: XcvData "AddPort" with a PORT_DATA_1 through
# Wine's spooler, then a job on that port.
tcpip_port() {
  pw add-tcpip-port PWTCP1: 127.0.0.1 "$sinkport" || return 1
  pw get-port PWTCP1: || return 1
  [[ "$out" == "uri=socket://127.0.0.1:$sinkport"* ]] || {
    why="get-port PWTCP1: says: $out"
    return 1
  }
  pw print PWTCP1: "$(winpath "$work/baseline.bin")" --doc "tcpip" || return 1
  sink_job 3 && same_bytes "$work/baseline.bin" "$sinkdir/job-3.bin" || return 1
  pw delete-port PWTCP1:
}
check "add-tcpip-port (PORT_DATA_1 through the spooler's XcvData) makes a RAW port that prints" \
  tcpip_port

raw_logged() {
  local log="$c/ProgramData/portway/portway.log"
  grep -a "port=$NETPORT " "$log" | grep -aq "delivered .* to socket://127.0.0.1:$sinkport" || {
    why="no delivered line for $NETPORT in $log"
    return 1
  }
}
check "portway.log records the RAW jobs as delivered to socket://127.0.0.1:PORT" \
  raw_logged

# The printer goes away: StartDocPort fails after its bounded retries, the
# spooler's EndDocPrinter reports it, nothing hangs.
kill "$sinkpid" 2>/dev/null
wait "$sinkpid" 2>/dev/null
raw_printer_down() {
  pw set-port "$NETPORT" "socket://127.0.0.1:$sinkport" retries=0 \
    connect_timeout=2 || return 1
  if pw print "$NETPORT" "$(winpath "$work/direct.bin")" --doc "raw-down"; then
    why="printing to a printer that is down succeeded"
    return 1
  fi
  grep -aq "port=$NETPORT job=.* start failed: connection refused" \
    "$c/ProgramData/portway/portway.log" || {
    why="no 'start failed: connection refused' line in the log"
    return 1
  }
}
check "printer down: the job fails cleanly with 'connection refused' in the log" \
  raw_printer_down
raw_test_port_down() {
  if pw test-port "$NETPORT"; then
    why="test-port passed with the printer down"
    return 1
  fi
  [ "$rc" -eq 1 ] && [[ "$out" == "$NETPORT: failed: cannot connect to 127.0.0.1:$sinkport"*"refused"* ]] || {
    why="exit $rc, said: $out"
    return 1
  }
}
check "test-port $NETPORT with the printer down: exit 1, 'connection refused'" \
  raw_test_port_down
pw delete-printer "$NETPRINTER" >/dev/null 2>&1
check "delete-port $NETPORT" pw delete-port "$NETPORT"

# ---- lpd:// through the spooler, to an LPD server on 127.0.0.1 ----------
# tests/e2e/lpdsink.py acknowledges every RFC 1179 subcommand and keeps the
# control file (job-N.cf) and the data file (job-N.df). Byte counting spools
# the job to a temporary file in the monitor's data folder first.
LPDPORT=PWLPD1:
lpddir=$work/lpd
rm -rf "$lpddir" && mkdir -p "$lpddir"
python3 "$root/tests/e2e/lpdsink.py" "$lpddir" "$lpddir/port" 4 &
lpdpid=$!
for _ in $(seq 1 100); do
  [ -s "$lpddir/port" ] && break
  sleep 0.05
done
lpdport=$(cat "$lpddir/port" 2>/dev/null)
check "add-port $LPDPORT lpd://127.0.0.1:PORT/e2eq" \
  pw add-port "$LPDPORT" "lpd://127.0.0.1:$lpdport/e2eq"

lpd_print() {
  pw print "$LPDPORT" "$(winpath "$work/raw.bin")" --doc "lpd-$doc" || return 1
  for _ in $(seq 1 200); do
    [ -f "$lpddir/job-1.cf" ] && break
    sleep 0.05
  done
  [ -f "$lpddir/job-1.cf" ] || {
    why="the LPD server has no job-1.cf"
    return 1
  }
  same_bytes "$work/raw.bin" "$lpddir/job-1.df" || return 1
  local cf
  cf=$(tr -d '\0' <"$lpddir/job-1.cf")
  [[ "$cf" == *"queue=e2eq"* && "$cf" == *$'\nNlpd-'"$doc"* &&
    "$cf" == *$'\nldfA'* && "$cf" == *$'\nH'* ]] || {
    why="unexpected control file: $(printf '%s' "$cf" | tr '\n' '|')"
    return 1
  }
  ls "$c/ProgramData/portway/spool" 2>/dev/null | grep -q . && {
    why="a spool file was left in $c/ProgramData/portway/spool"
    return 1
  }
  return 0
}
check "print 3 MB to \"$LPDPORT, Port\": data file byte-identical, control file with queue, N, l, H" \
  lpd_print
kill "$lpdpid" 2>/dev/null
wait "$lpdpid" 2>/dev/null
check "delete-port $LPDPORT" pw delete-port "$LPDPORT"

# ---- lpd:// through the spooler to a REAL BSD lpd on 127.0.0.1 -----------
# tests/e2e/bsdlpd_lib.sh (as tests/e2e/lpd_peer.sh natively): lpd in its
# own mount namespace, a queue whose filter keeps every job's data and
# control file. Byte counting (the default), by URI and by tcpmon's
# PORT_DATA_1.
bsdport=""
bsd_up() {
  bsdlpd_prepare "$work/bsdlpd" file || return 1
  bsdport=$(bsdlpd_free_port) || {
    why="no free loopback port"
    return 1
  }
  bsdlpd_start "$bsdport"
}
check "start BSD lpd on 127.0.0.1 only (own mount namespace)" bsd_up
# bsd_print PORT: print raw.bin, find the job number in the log's delivered
# line, compare what lpd's filter stored.
bsd_print() {
  local log=$c/ProgramData/portway/portway.log line nnn data cf
  pw print "$1" "$(winpath "$work/raw.bin")" --doc "bsd-$1-$doc" || return 1
  line=$(grep -a "port=$1 .*delivered $(stat -c %s "$work/raw.bin") bytes to lpd://127.0.0.1:$bsdport/file as job " "$log" |
    tail -n 1)
  nnn=${line##* as job }
  nnn=${nnn:0:3}
  [[ "$nnn" =~ ^[0-9]{3}$ ]] || {
    why="no delivered line for $1: $(grep -a "port=$1" "$log" | tail -n 2 | tr '\n' '|')"
    return 1
  }
  data=$(bsdlpd_stored "$nnn") || {
    why="BSD lpd stored no job cfA$nnn*"
    return 1
  }
  same_bytes "$work/raw.bin" "$data" || return 1
  cf=${data%.data}.cf
  grep -qxF "Nbsd-$1-$doc" "$cf" && grep -q "^ldfA$nnn" "$cf" || {
    why="control file lacks N or l: $(tr '\n' '|' <"$cf")"
    return 1
  }
}
bsd_uri_port() {
  pw add-port PWBSD1: "lpd://127.0.0.1:$bsdport/file" && bsd_print PWBSD1: &&
    pw delete-port PWBSD1:
}
check "print 3 MB to lpd://127.0.0.1:PORT/file: BSD lpd stores it byte-identical, control file N and l" \
  bsd_uri_port
bsd_tcpmon_port() {
  pw add-tcpip-port PWBSD2: 127.0.0.1 "$bsdport" file || return 1
  pw get-port PWBSD2: || return 1
  [[ "$out" == "uri=lpd://127.0.0.1:$bsdport/file"* ]] || {
    why="get-port PWBSD2: says: $out"
    return 1
  }
  bsd_print PWBSD2: && pw delete-port PWBSD2:
}
check "add-tcpip-port with an LPR queue (PORT_DATA_1) prints to BSD lpd byte-identical" \
  bsd_tcpmon_port
bsdlpd_stop
[ -n "$bsdlpd_work" ] && rm -rf "$bsdlpd_work"

# ---- ipp:// and ipps:// through the spooler, to CUPS's ippeveprinter ----
# The real printer of tests/e2e/ipp_peer.sh (tests/e2e/ippeve_lib.sh: its
# own D-Bus and network-less avahi, a throwaway CA's certificate), on
# 127.0.0.1 and [::1]; ipps goes through Schannel in portway.dll. It keeps
# each document as <job-id>-<name>.<ext>.
IPPPORT=PWIPP1:
ippdir=$work/ipp
rm -rf "$ippdir" && mkdir -p "$ippdir"
ippport=""
ipp_printer_up() {
  ippeve_certs "$ippdir" || return 1
  ippport=$(ippeve_free_port) || {
    why="no free loopback port"
    return 1
  }
  ippeve_start "$ippdir" "$ippport"
}
check "start ippeveprinter on 127.0.0.1 and [::1] (ipp and ipps)" ipp_printer_up

# ipp_print URI OPTION...: set the port, print raw.bin through the spooler,
# find the job id in the log's delivered line, compare what the printer kept.
ipp_print() {
  pw set-port "$IPPPORT" "$@" || return 1
  local before log=$c/ProgramData/portway/portway.log line jid kept
  before=$(grep -ac "port=$IPPPORT .*delivered" "$log" 2>/dev/null)
  pw print "$IPPPORT" "$(winpath "$work/raw.bin")" --doc "ipp-$doc" || return 1
  line=$(grep -a "port=$IPPPORT .*delivered $(stat -c %s "$work/raw.bin") bytes to ipps\?://" "$log" |
    tail -n 1)
  [ "$(grep -ac "port=$IPPPORT .*delivered" "$log")" -gt "${before:-0}" ] && [ -n "$line" ] || {
    why="no new delivered line for $IPPPORT: $(grep -a "port=$IPPPORT" "$log" | tail -n 2 | tr '\n' '|')"
    return 1
  }
  jid=${line##* job }
  jid=${jid%%[!0-9]*}
  kept=$(ippeve_kept "$ippdir" "$jid" "$(stat -c %s "$work/raw.bin")") || {
    why="ippeveprinter kept no document for job '$jid'"
    return 1
  }
  same_bytes "$work/raw.bin" "$kept"
}
ipp_added() {
  pw add-port "$IPPPORT" "ipp://localhost:$ippport/ipp/print" \
    format=application/vnd.hp-pcl
}
check "add-port $IPPPORT ipp://localhost:PORT/ipp/print" ipp_added
check "print 3 MB to \"$IPPPORT, Port\" (ipp, Create-Job + Send-Document): kept byte-identical by the printer" \
  ipp_print "ipp://localhost:$ippport/ipp/print" format=application/vnd.hp-pcl
check "the same over ipp://[::1], spool=true (Print-Job from the temporary file): byte-identical" \
  ipp_print "ipp://[::1]:$ippport/ipp/print" format=application/vnd.hp-pcl spool=true
check "ipps:// with the certificate's pin (Schannel in portway.dll): byte-identical" \
  ipp_print "ipps://localhost:$ippport/ipp/print" format=application/vnd.hp-pcl \
  "pin=$ippeve_pin"
ipp_test_port() {
  pw test-port "$IPPPORT" || return 1
  [[ "$out" == "$IPPPORT: ok: the printer at "*":$ippport (IPP/2.0, "*") is idle, accepting jobs"* ]] || {
    why="test-port said: $out"
    return 1
  }
}
check "test-port $IPPPORT (ipps): asks the printer's state, one line" ipp_test_port
ipp_untrusted() {
  pw set-port "$IPPPORT" "ipps://localhost:$ippport/ipp/print" \
    format=application/vnd.hp-pcl || return 1
  if pw print "$IPPPORT" "$(winpath "$work/raw.bin")" --doc "ipp-untrusted"; then
    why="printing to an untrusted certificate succeeded"
    return 1
  fi
  grep -a "port=$IPPPORT job=" "$c/ProgramData/portway/portway.log" |
    grep -aq "start failed: device certificate not trusted" || {
    why="no 'start failed: device certificate not trusted' line in the log"
    return 1
  }
}
check "ipps:// without pin, certificate from an unknown CA: the job fails, 'certificate not trusted'" \
  ipp_untrusted
# Bidi (SendRecvBidiDataFromPort) on an IPP port. Wine's spooler never calls
# it, so monrun plays the spooler (with the Bidi allocator Wine's spoolss.dll
# lacks), in its own store; the answers must be what ippeveprinter itself
# says to ipptool: printer-state and the MDL of its printer-device-id.
monrun=$build/tools/monrun/monrun.exe
mr() {
  timeout -k 10 "$WINE_TIMEOUT" wine "$monrun" --name pwbidi "$(winepath "$dll")" "$@" \
    >"$work/out" 2>"$work/err"
  rc=$?
  out=$(tr -d '\r' <"$work/out")
  why="monrun $1 exit $rc: $(tr -d '\r' <"$work/err" | head -c 300 | tr '\n' ' ')"
  return $rc
}
# printer-state and the device-id's MDL, as ipptool shows them.
ipp_says() {
  ipptool -T 10 -tv "ipp://127.0.0.1:$ippport/ipp/print" get-printer-attributes.test \
    2>&1 | tr -d '\r' >"$work/ipptool.out"
  ipp_state=$(sed -n 's/^ *printer-state (enum) = //p' "$work/ipptool.out" | head -n 1)
  ipp_mdl=$(sed -n 's/^ *printer-device-id ([^)]*) = .*MDL:\([^;]*\);.*/\1/p' \
    "$work/ipptool.out" | head -n 1)
  case $ipp_state in
  idle) ipp_state=Idle ;;
  processing) ipp_state=Processing ;;
  stopped) ipp_state=Stopped ;;
  *) ipp_state="?$ipp_state" ;;
  esac
}
ipp_bidi() {
  mr delete-port PWBIDI: >/dev/null 2>&1
  mr add-port PWBIDI: "uri=ipp://127.0.0.1:$ippport/ipp/print" || return 1
  ipp_says
  local before=$ipp_state
  [ -n "$ipp_mdl" ] || {
    why="ipptool shows no printer-device-id MDL: $(head -c 300 "$work/ipptool.out")"
    return 1
  }
  mr bidi PWBIDI: '\Printer.Status.Summary:State' '\Printer.DeviceInfo:ModelName' \
    '\Printer.Status.Summary:Online' || return 1
  ipp_says # the state may have changed meanwhile: either one will do
  local state model other
  state=$(grep -a $'^\\\\Printer.Status.Summary:State\tresult=0\ttype=STRING\t' <<<"$out" | cut -f4)
  model=$(grep -a $'^\\\\Printer.DeviceInfo:ModelName\tresult=0\ttype=STRING\t' <<<"$out" | cut -f4)
  other=$(grep -ac $'^\\\\Printer.Status.Summary:Online\tresult=13005\ttype=NULL' <<<"$out")
  [ "$(wc -l <<<"$out")" -eq 3 ] && [ "$model" = "$ipp_mdl" ] && [ "$other" -eq 1 ] &&
    { [ "$state" = "$before" ] || [ "$state" = "$ipp_state" ]; } || {
    why="monrun bidi said: $(tr '\t\n' ' |' <<<"$out"); ipptool: $before/$ipp_state, MDL '$ipp_mdl'"
    return 1
  }
  mr bidi --action EnumSchema PWBIDI: || return 1
  grep -aq $'^-\tresult=0\ttype=TEXT\t\\\\Printer.DeviceInfo:ModelName$' <<<"$out" || {
    why="EnumSchema said: $(tr '\t\n' ' |' <<<"$out")"
    return 1
  }
  mr delete-port PWBIDI:
}
check "Bidi through portway.dll (monrun): State and ModelName are ippeveprinter's own answers" \
  ipp_bidi
ippeve_stop
check "delete-port $IPPPORT" pw delete-port "$IPPPORT"

# ---- pipe: (program port) through the spooler ------------------------
# tests/monitor/progs/pwchild.exe (a Windows program: under Wine a Linux one
# gets no stdin from a Windows pipe): `store FILE` keeps its stdin, `argv
# FILE` writes its arguments one per line, `exit N` fails.
PIPEPORT=PWPIPE1:
child=$build/bin/pwchild.exe
child_uri="pipe:///$(winepath -w "$child" 2>/dev/null | tr '\134' '/' | sed 's/ /%20/g')"
mkdir -p "$c/pwtest-pipe"
pipe_store() {
  [ -f "$child" ] || {
    why="no $child"
    return 1
  }
  pw add-port "$PIPEPORT" "$child_uri" "args=store {output}" \
    "output=file:///C:/pwtest-pipe" "pattern={doc}.bin" || return 1
  pw print "$PIPEPORT" "$(winpath "$work/raw.bin")" --doc "pipe-$doc" ||
    return 1
  same_bytes "$work/raw.bin" "$c/pwtest-pipe/pipe-$doc.bin"
}
check "print 3 MB to a program port: pwchild.exe stores it byte-identical in {output}" \
  pipe_store
pipe_argv() {
  pw set-port "$PIPEPORT" "$child_uri" 'args=argv C:\pwtest-pipe\argv.txt "--doc={doc}" {job}' ||
    return 1
  # a small job: `argv` does not read stdin, the pipe takes it all
  printf 'tiny job' >"$work/tiny.bin"
  pw print "$PIPEPORT" "$(winpath "$work/tiny.bin")" --doc "a\" b & c|d^%PATH% \\" ||
    return 1
  local got
  got=$(tr -d '\r' <"$c/pwtest-pipe/argv.txt" 2>/dev/null)
  [[ "$got" == *$'\n--doc=a" b & c|d^%PATH% \\\n'* ]] || {
    why="argv.txt: $(printf '%s' "$got" | tr '\n' '|')"
    return 1
  }
}
check "a hostile document name reaches the program as exactly one argument" pipe_argv
pipe_fails() {
  pw set-port "$PIPEPORT" "$child_uri" "args=exit 3" || return 1
  pw print "$PIPEPORT" "$(winpath "$work/baseline.bin")" --doc "pipe-fail"
  grep -a "port=$PIPEPORT job=" "$c/ProgramData/portway/portway.log" |
    grep -aq "pwchild.exe exited with code 3" || {
    why="no 'exited with code 3' line in the log"
    return 1
  }
}
check "a program exiting 3 fails the job, the log says so" pipe_fails
# Wine's spooler never impersonates the job's user in StartDocPort (Windows'
# does): runas=user must fail the job with that cause, never run the
# program as the spooler's own account.
pipe_runas_user() {
  rm -f "$c/pwtest-pipe/runas.bin"
  pw set-port "$PIPEPORT" "$child_uri" 'args=store C:\pwtest-pipe\runas.bin' \
    "runas=user" || return 1
  if pw print "$PIPEPORT" "$(winpath "$work/tiny.bin")" --doc "pipe-runas"; then
    why="the job was reported printed"
    return 1
  fi
  [ ! -e "$c/pwtest-pipe/runas.bin" ] || {
    why="the program ran"
    return 1
  }
  grep -a "port=$PIPEPORT job=" "$c/ProgramData/portway/portway.log" |
    grep -aq "runas=user: the job's user is unknown" || {
    why="no 'runas=user: the job's user is unknown' line in the log"
    return 1
  }
}
check "runas=user: Wine's spooler impersonates no one, so the job fails and the program never runs" \
  pipe_runas_user
check "delete-port $PIPEPORT" pw delete-port "$PIPEPORT"

# ---- the language monitor: Wine's AddMonitor loads and initializes it ---
# Wine's spooler never calls OpenPortEx (docs/language-monitor.md), so the
# PJL path is tested through monrun (monrun_langmon.sh); here: the DLL
# installs, initializes under the real AddMonitor and uninstalls.
LM="portway PJL"
lmdll=$build/bin/portwaylm.dll
lm_install() {
  [ -f "$lmdll" ] || {
    why="no $lmdll"
    return 1
  }
  "$root/scripts/wine-prefix.sh" --prefix "$prefix" --install "$lmdll" >/dev/null ||
    return 1
  pw --name "$LM" install --dll portwaylm.dll || return 1
  reg_has_key "HKLM\\System\\CurrentControlSet\\Control\\Print\\Monitors\\$LM" || {
    why="no Monitors\\$LM key"
    return 1
  }
  grep -aq "portway PJL: initialized" "$c/ProgramData/portway/portwaylm.log" || {
    why="portwaylm.log has no 'initialized' line"
    return 1
  }
}
check "language monitor: AddMonitor(\"$LM\", portwaylm.dll) loads and initializes it" lm_install
check "language monitor: DeleteMonitor(\"$LM\")" pw --name "$LM" uninstall

check "uninstall: DeleteMonitor(\"$MONITOR\")" pw uninstall

monitor_key_gone() {
  reg_has_key "$monkey" || return 0
  why="key $monkey still exists"
  return 1
}
check "registry: $monkey removed" monitor_key_gone

# ---- uninstall --purge: printers, ports, monitor in one go ---------------

purge_all() {
  pw install && pw add-port "$PORT" "$OUTDIR_URI" &&
    pw add-printer "$PRINTER" "$PORT" && pw uninstall --purge || return 1
  if pw delete-printer -v "$PRINTER" && [[ "$err" != *"(Win32 error 1801)"* ]]; then
    why="printer \"$PRINTER\" survived uninstall --purge"
    return 1
  fi
  if reg_has_key "$monkey"; then
    why="key $monkey survived uninstall --purge"
    return 1
  fi
}
check "uninstall --purge removes printer, port and monitor" purge_all

usage_error_exits_2() {
  pw add-port # the port name is missing
  [ "$rc" -eq 2 ] && return 0
  why="exit $rc"
  return 1
}
check "usage error (add-port without a name) exits 2" usage_error_exits_2

finish
