#!/usr/bin/env bash
# ipp_peer.sh — ipp:// and ipps:// ports through portway's core against a
# REAL IPP printer: CUPS's ippeveprinter (Debian's cups-ipp-utils), started
# and stopped here by PID, listening on 127.0.0.1 and [::1] only (see
# ../shared/research/peers.md §2 and docs/ipp-port.md, "Real printers").
#
# ippeveprinter will not start without DNS-SD: it gets a private D-Bus bus
# and an avahi-daemon in an empty network namespace (`unshare -n`: only a
# downed lo, so no mDNS packet can leave the machine). Its TLS certificate
# is ours: a throwaway CA and a localhost certificate signed by it, made
# here with the openssl command line, so the tests can verify it three
# ways: by its SHA-256 pin, through the CA (SSL_CERT_FILE), and not at all
# trusted (no pin, no CA: the job must fail).
#
# Jobs are sent by tests/e2e/lpd_job.c (a generic driver despite its name:
# OpenPort, StartDocPort, WritePort in 4 KB pieces, EndDocPort), built
# against build/bench-native/libpwcore.a; ippeveprinter keeps every
# document (-k) as <job-id>-<name>.<ext>, compared by sha256.
#
# Needs root (namespaces), unshare, ippeveprinter, avahi-daemon,
# dbus-daemon, openssl, ss, cc, cmake. Scratch: build/e2e-ipp/run (removed
# on exit; PW_E2E_KEEP=1 keeps it). Output: "ok <step>" / "not ok <step>:
# why" per step, then "N passed, N failed"; exit 0 only if nothing failed.
#
# shellcheck disable=SC2317 # step functions run through check()
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
base=$root/build/e2e-ipp
work=$base/run
driver=$base/ipp_job

# shellcheck source=tests/e2e/peer_lib.sh
. "$root/tests/e2e/peer_lib.sh"
# shellcheck source=tests/e2e/ippeve_lib.sh
. "$root/tests/e2e/ippeve_lib.sh"

finish() {
  ippeve_stop
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
[ "$(id -u)" -eq 0 ] || reasons+=("not root (network namespaces need root)")
for cmd in unshare ippeveprinter avahi-daemon dbus-daemon openssl ss cc cmake; do
  command -v "$cmd" >/dev/null || reasons+=("no $cmd")
done
if [ ${#reasons[@]} -gt 0 ]; then
  not_ok "ippeveprinter peer can run here" "$(
    IFS=';'
    echo "${reasons[*]}"
  )"
  exit 1
fi
ok "ippeveprinter peer can run here (root, unshare, avahi, D-Bus, openssl)"

# ---- the driver ---------------------------------------------------------
build_driver() {
  mkdir -p "$base" || return 1
  local log=$base/build.log
  {
    timeout 300 cmake -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release &&
      timeout 300 cmake --build build/bench-native -j2 --target pwcore &&
      timeout 120 cc -std=c11 -O2 -Wall -Wextra -Werror -I include -I src \
        tests/e2e/lpd_job.c build/bench-native/libpwcore.a -lssl -lcrypto \
        -lpthread -o "$driver"
  } >"$log" 2>&1 || {
    why="build failed: $(tail -5 "$log" | tr '\n' '|')"
    return 1
  }
}
check "build tests/e2e/lpd_job.c against build/bench-native/libpwcore.a" \
  build_driver || exit 1

rm -rf "$work"
mkdir -p "$work/jobs" || exit 1

# ---- certificates, then D-Bus, avahi (no network), ippeveprinter --------
check "make a throwaway CA and a localhost certificate (openssl)" \
  ippeve_certs "$work" || exit 1
pin=$ippeve_pin
port=$(ippeve_free_port) || {
  not_ok "pick a free loopback port" "none free after 50 tries"
  exit 1
}
check "start ippeveprinter (private D-Bus, avahi without network) on 127.0.0.1 and [::1] only" \
  ippeve_start "$work" "$port" || exit 1

# ---- jobs -----------------------------------------------------------------
rc=0
# send NAME JOB_ID DOC FILE CONFIG_LINE...: one job through the core.
send() {
  local name=$1 id=$2 doc=$3 file=$4
  shift 4
  local dd=$work/jobs/$name
  mkdir -p "$dd"
  timeout 120 "$driver" "$dd" "$file" "$id" alice pwhost "$doc" \
    "$@" >"$dd.out" 2>&1
  rc=$?
  cp "$dd/portway.log" "$dd.log" 2>/dev/null || : >"$dd.log"
  if [ -n "$(ls -A "$dd/spool" 2>/dev/null)" ]; then
    why="a temporary file was left in $dd/spool"
    return 1
  fi
  return 0
}

# printed NAME ID SIZE_KB URI OPTION...: the printer keeps the document
# byte-identical under the job id portway logged.
printed() {
  local name=$1 id=$2 kb=$3
  shift 3
  local file=$work/$name.bin
  head -c $((kb * 1024 + 77)) /dev/urandom >"$file" || return 1
  send "$name" "$id" "portway $name" "$file" "$@" || return 1
  [ "$rc" -eq 0 ] || {
    why="driver exit $rc: $(tr '\n' '|' <"$work/jobs/$name.out") log: $(tail -2 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
  local line jid
  line=$(grep -o "delivered $(stat -c %s "$file") bytes to ipps\?://[^ ]* job [0-9]*" \
    "$work/jobs/$name.log") || {
    why="no 'delivered ... job N' line: $(tail -2 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
  jid=${line##* }
  local kept
  kept=$(ippeve_kept "$work" "$jid" "$(stat -c %s "$file")") || {
    why="ippeveprinter kept no document for job $jid: $(find "$work/spool" -mindepth 1 -printf "%f ")"
    return 1
  }
  local want got
  want=$(sha256sum <"$file" | cut -d' ' -f1)
  got=$(sha256sum <"$kept" | cut -d' ' -f1)
  [ "$want" = "$got" ] || {
    why="document differs: sent $(stat -c %s "$file") bytes sha256 $want, kept $(stat -c %s "$kept") bytes sha256 $got"
    return 1
  }
}

PCL=format=application/vnd.hp-pcl
check "ipp://localhost, default (Create-Job, Send-Document streamed): 1 MB kept byte-identical (sha256)" \
  printed default 201 1024 "uri=ipp://localhost:$port/ipp/print" "$PCL"
check "ipp://localhost, spool=true (Print-Job from a temporary file): 1 MB kept byte-identical" \
  printed spooled 210 1024 "uri=ipp://localhost:$port/ipp/print" "$PCL" spool=true
check "ipp://[::1], spool=false: 20 MB document kept byte-identical" \
  printed streamed 202 20480 "uri=ipp://[::1]:$port/ipp/print" "$PCL" spool=false
check "ipp:// with check=true (Get-Printer-Attributes first): document kept byte-identical" \
  printed checked 203 256 "uri=ipp://127.0.0.1:$port/ipp/print" "$PCL" check=true
check "ipps:// with the certificate's SHA-256 pin: 5 MB document kept byte-identical" \
  printed pinned 204 5120 "uri=ipps://localhost:$port/ipp/print" "$PCL" "pin=$pin"
ca_printed() {
  SSL_CERT_FILE=$work/ca.pem printed "$@"
}
check "ipps:// verified through its CA (SSL_CERT_FILE), streamed: document kept byte-identical" \
  ca_printed verified 205 2048 "uri=ipps://localhost:$port/ipp/print" "$PCL" spool=false

# fails_with NAME ID CONFIG_LINE...: driver exit $want_rc and $want_cause in
# the failure's log line (which names the job).
want_rc=0
want_cause=""
fails_with() {
  local name=$1 id=$2
  shift 2
  head -c 65536 /dev/urandom >"$work/$name.bin"
  send "$name" "$id" "portway $name" "$work/$name.bin" "$@" || return 1
  [ "$rc" -eq "$want_rc" ] || {
    why="driver exit $rc, want $want_rc: $(tr '\n' '|' <"$work/jobs/$name.out")"
    return 1
  }
  grep -F -- "$want_cause" "$work/jobs/$name.log" | grep -q "job=$id" || {
    why="no log line with job=$id and '$want_cause': $(tail -3 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
}
want_rc=3
want_cause="certificate of localhost not trusted: unable to get local issuer certificate"
check "ipps:// without pin or trusted CA: StartDocPort fails (certificate not trusted)" \
  fails_with untrusted 206 "uri=ipps://localhost:$port/ipp/print" "$PCL"
want_cause="does not match the pinned one"
check "ipps:// with a wrong pin: StartDocPort fails naming the fingerprint" \
  fails_with wrongpin 207 "uri=ipps://localhost:$port/ipp/print" "$PCL" \
  "pin=$(printf '00:%.0s' $(seq 31))00"
want_rc=5
want_cause="refused the job: client-error-"
check "a document-format the printer does not take: EndDocPort fails with the IPP status" \
  fails_with badformat 208 "uri=ipp://localhost:$port/ipp/print" format=application/x-portway-unknown
# ippeveprinter keeps a created job whose document failed "pending-held",
# busy for every later job, unless it is cancelled (peers.md §2).
check "after that refused document the printer takes the next job (the created job was cancelled)" \
  printed after-refusal 211 64 "uri=ipp://localhost:$port/ipp/print" "$PCL" busywait=0
want_rc=3
want_cause="does not support document-format application/x-portway-unknown"
check "the same with check=true: StartDocPort refuses it before any data" \
  fails_with badformat-check 209 "uri=ipp://localhost:$port/ipp/print" \
  format=application/x-portway-unknown check=true

# ---- stop ----------------------------------------------------------------
stopped() {
  local list=("${ippeve_pids[@]}") p
  ippeve_stop
  for p in "${list[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      why="$p still runs"
      return 1
    fi
  done
  [ -z "$(ss -Hltn "( sport = :$port )")" ] || {
    why="port $port still listening"
    return 1
  }
}
check "stop ippeveprinter, avahi and D-Bus by PID: the port is closed" stopped
