#!/usr/bin/env bash
# lpd_peer.sh — lpd:// ports through portway's core against a REAL LPD
# server: BSD lpd (Debian's `lpr` package), started and stopped here by PID,
# listening on 127.0.0.1 only (see ../shared/research/peers.md §1a and
# docs/lpd-port.md, "Real servers").
#
# lpd's paths are compiled in (/etc/printcap, /etc/hosts.lpd,
# /var/spool/lpd, /run), so it runs in a private mount namespace
# (`unshare -m`) with an overlay on /etc (our printcap, hosts.lpd, and an
# nsswitch.conf with "hosts: files" so nothing it does can query DNS) and
# bind mounts of a scratch spool and run directory. Nothing of the system's
# is modified; the namespace goes away with lpd's processes. Its queue
# `file` has an input filter that stores every job it prints: the data
# file as the filter reads it, and the control file as lpd received it.
#
# The jobs are sent by tests/e2e/lpd_job.c (OpenPort, StartDocPort,
# WritePort in 4 KB pieces, EndDocPort), built here against
# build/bench-native/libpwcore.a.
#
# Needs root (mount namespaces, lpd), unshare, setpriv, ss, /usr/sbin/lpd,
# cc, cmake. Scratch: build/e2e-lpd/run, or /tmp/portway-e2e-lpd.* if user
# lp cannot reach build/ (removed on exit; PW_E2E_KEEP=1 keeps it).
# Output: "ok <step>" / "not ok <step>: why" per step, then "N passed,
# N failed"; exit status 0 only if nothing failed.
#
# shellcheck disable=SC2317 # step functions run through check()
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
base=$root/build/e2e-lpd
work=$base/run
driver=$base/lpd_job
QUEUE="file"

# shellcheck source=tests/e2e/peer_lib.sh
. "$root/tests/e2e/peer_lib.sh"

# shellcheck source=tests/e2e/bsdlpd_lib.sh
. "$root/tests/e2e/bsdlpd_lib.sh"
finish() {
  bsdlpd_stop
  if [ "${PW_E2E_KEEP:-0}" = 1 ]; then
    echo "# scratch kept in $work"
  else
    rm -rf "$work"
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
trap 'finish; exit $?' EXIT
interrupted() {
  not_ok "run to the end" "interrupted by a signal"
  exit 1
}
trap interrupted INT TERM

# ---- can this machine run the peer? -------------------------------------
reasons=()
[ "$(id -u)" -eq 0 ] || reasons+=("not root (lpd and mount namespaces need root)")
command -v unshare >/dev/null || reasons+=("no unshare (util-linux)")
[ -x /usr/sbin/lpd ] || reasons+=("no /usr/sbin/lpd (Debian package lpr)")
command -v cc >/dev/null || reasons+=("no cc")
command -v cmake >/dev/null || reasons+=("no cmake")
command -v ss >/dev/null || reasons+=("no ss (iproute2)")
command -v setpriv >/dev/null || reasons+=("no setpriv (util-linux)")
if [ ${#reasons[@]} -eq 0 ] &&
  ! timeout 10 unshare -m --propagation private true 2>/dev/null; then
  reasons+=("unshare -m fails here (no mount namespaces in this container?)")
fi
if [ ${#reasons[@]} -gt 0 ]; then
  not_ok "BSD lpd peer can run here" "$(
    IFS=';'
    echo "${reasons[*]}"
  )"
  exit 1
fi
ok "BSD lpd peer can run here (root, unshare -m, /usr/sbin/lpd)"

# ---- the driver ---------------------------------------------------------
build_driver() {
  mkdir -p "$base" || return 1
  local log=$base/build.log
  {
    timeout 300 cmake -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release &&
      timeout 300 cmake --build build/bench-native -j2 --target pwcore &&
      timeout 120 cc -std=c11 -O2 -Wall -Wextra -Werror -I include -I src \
        tests/e2e/lpd_job.c build/bench-native/libpwcore.a -lssl -lcrypto -lpthread \
        -o "$driver"
  } >"$log" 2>&1 || {
    why="build failed: $(tail -5 "$log" | tr '\n' '|')"
    return 1
  }
}
check "build tests/e2e/lpd_job.c against build/bench-native/libpwcore.a" \
  build_driver || exit 1
[ -x "$driver" ] || exit 1

# ---- scratch, printcap, filter, lpd --------------------------------------
bsdlpd_prepare "$work" "$QUEUE" || exit 1
work=$bsdlpd_work
out=$bsdlpd_out
mkdir -p "$work/jobs" || exit 1
port=$(bsdlpd_free_port) || {
  not_ok "pick a free loopback port" "none free after 50 tries"
  exit 1
}
check "start BSD lpd (PID file, own mount namespace) listening on 127.0.0.1 only" \
  bsdlpd_start "$port" || exit 1

# ---- jobs -----------------------------------------------------------------
USER_=alice
HOST_=pwhost
rc=0
# send NAME JOB_ID DOC FILE CONFIG_LINE...: one job; output in
# $work/jobs/NAME.{out,log}, exit status in $rc.
send() {
  local name=$1 id=$2 doc=$3 file=$4
  shift 4
  local dd=$work/jobs/$name
  mkdir -p "$dd"
  timeout 60 "$driver" "$dd" "$file" "$id" "$USER_" "$HOST_" "$doc" \
    "$@" >"$dd.out" 2>&1
  rc=$?
  cp "$dd/portway.log" "$dd.log" 2>/dev/null || : >"$dd.log"
  if [ -n "$(ls -A "$dd/spool" 2>/dev/null)" ]; then
    why="a temporary file was left in $dd/spool"
    return 1
  fi
  return 0
}

# bytecount_job LABEL ID SIZE_MB
bytecount_job() {
  local name=$1 id=$2 mb=$3 nnn
  nnn=$(printf '%03d' $((id % 1000)))
  local doc="portway lpd-peer $name ${mb}MB" file=$work/$name.bin
  head -c $((mb * 1024 * 1024 + 333)) /dev/urandom >"$file" || return 1
  send "$name" "$id" "$doc" "$file" "uri=lpd://127.0.0.1:$port/$QUEUE" ||
    return 1
  [ "$rc" -eq 0 ] || {
    why="lpd_job exit $rc: $(tr '\n' '|' <"$work/jobs/$name.out") log: $(tail -2 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
  grep -q "delivered $(stat -c %s "$file") bytes to lpd://127.0.0.1:$port/$QUEUE as job $nnn" \
    "$work/jobs/$name.log" || {
    why="no 'delivered ... as job $nnn' line: $(tail -2 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
  local data
  data=$(bsdlpd_stored "$nnn") || {
    why="lpd stored no job cfA$nnn* in 30 s ($(find "$out" -mindepth 1 -printf '%f ')))"
    return 1
  }
  local want got
  want=$(sha256sum <"$file" | cut -d' ' -f1)
  got=$(sha256sum <"$data" | cut -d' ' -f1)
  [ "$want" = "$got" ] || {
    why="data file differs: sent $(stat -c %s "$file") bytes sha256 $want, stored $(stat -c %s "$data") bytes sha256 $got"
    return 1
  }
  local cf=${data%.data}.cf line missing=()
  [ -f "$cf" ] || {
    why="no control file next to $data"
    return 1
  }
  for line in "H$HOST_" "P$USER_" "J$doc" "N$doc" "ldfA$nnn$HOST_" \
    "UdfA$nnn$HOST_"; do
    grep -qxF -- "$line" "$cf" || missing+=("$line")
  done
  [ ${#missing[@]} -eq 0 ] || {
    why="control file lacks '$(
      IFS=,
      echo "${missing[*]}"
    )': $(tr '\n' '|' <"$cf")"
    return 1
  }
}
check "1 MB job, byte counting: lpd stores the data file byte-identical (sha256), control file H P J N l U" \
  bytecount_job small 101 1
check "20 MB job, byte counting: lpd stores the data file byte-identical (sha256), control file H P J N l U" \
  bytecount_job large 102 20

# fails_with NAME ID URI_AND_OPTIONS... : expect lpd_job's exit $want_rc and
# the cause $want_cause in the log line of the failure.
want_rc=0
want_cause=""
fails_with() {
  local name=$1 id=$2
  shift 2
  head -c 65536 /dev/urandom >"$work/$name.bin"
  send "$name" "$id" "portway lpd-peer $name" "$work/$name.bin" "$@" ||
    return 1
  [ "$rc" -eq "$want_rc" ] || {
    why="lpd_job exit $rc, want $want_rc: $(tr '\n' '|' <"$work/jobs/$name.out")"
    return 1
  }
  grep -F -- "$want_cause" "$work/jobs/$name.log" | grep -q "job=$id" || {
    why="no log line with job=$id and '$want_cause': $(tail -3 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
}
want_rc=3
want_cause="data file of unknown size refused (the server needs bytecount=true)"
check "streaming (bytecount=false): BSD lpd refuses it, StartDocPort fails with '$want_cause'" \
  fails_with stream 103 "uri=lpd://127.0.0.1:$port/$QUEUE" bytecount=false
want_rc=5
want_cause="queue 'nosuchq' unknown or not accepting jobs"
check "unknown queue (byte counting): EndDocPort fails with \"$want_cause\"" \
  fails_with noqueue 104 "uri=lpd://127.0.0.1:$port/nosuchq"
want_rc=3
check "unknown queue (streaming): StartDocPort fails with \"$want_cause\"" \
  fails_with noqueue-stream 105 "uri=lpd://127.0.0.1:$port/nosuchq" \
  bytecount=false

nothing_else_stored() {
  local extra
  extra=$(find "$out" -maxdepth 1 -name 'cfA10[345]*' | tr '\n' ' ')
  [ -z "$extra" ] || {
    why="refused jobs were stored: $extra"
    return 1
  }
  [ ! -s "$out/filter.err" ] || {
    why="filter: $(tr '\n' '|' <"$out/filter.err")"
    return 1
  }
}
check "refused jobs left nothing in lpd's output; the filter reported no error" \
  nothing_else_stored

# ---- stop ----------------------------------------------------------------
# The state letter of a process (R, S, Z, ...), empty if it is gone.
proc_state() {
  sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}
stopped() {
  local pid=$bsdlpd_pid _
  bsdlpd_stop
  [ -z "$(bsdlpd_ns_pids)" ] || {
    why="processes left in lpd's namespace: $(bsdlpd_ns_pids | tr '\n' ' ')"
    return 1
  }
  # Gone, or a zombie its new parent has not reaped yet.
  for _ in $(seq 1 50); do
    case $(proc_state "$pid") in "" | Z*) break ;; esac
    sleep 0.1
  done
  case $(proc_state "$pid") in
  "" | Z*) ;;
  *)
    why="lpd $pid still runs"
    return 1
    ;;
  esac
  for _ in $(seq 1 50); do
    [ -z "$(ss -Hltn "( sport = :$port )")" ] && return 0
    sleep 0.1
  done
  why="127.0.0.1:$port still listening"
  return 1
}
check "stop lpd by PID: its namespace is empty and the port closed" stopped
