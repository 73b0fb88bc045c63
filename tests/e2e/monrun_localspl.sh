#!/bin/sh
# monrun drives a monitor it did not come with: Wine's own Local Port monitor
# (localspl.dll, legacy InitializePrintMonitor/MONITOREX).
#
# usage: tests/e2e/monrun_localspl.sh BUILD_DIR   (the mingw build directory)
# Uses the private prefix BUILD_DIR/wineprefix-monrun (created if missing).
# Prints "ok <step>" / "not ok <step>: why", then "N passed, N failed".
set -u

BUILD=${1:?usage: $0 BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd) || exit 2
MONRUN="$BUILD/tools/monrun/monrun.exe"
export WINEPREFIX="$BUILD/wineprefix-monrun"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
T=60 # seconds for any single wine call

passed=0
failed=0
ok() { passed=$((passed + 1)); printf "ok %s\n" "$1"; }
notok() { failed=$((failed + 1)); printf "not ok %s: %s\n" "$1" "$2"; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

if [ ! -f "$MONRUN" ]; then
  notok "monrun.exe exists" "$MONRUN not built"
  finish
fi
if [ ! -d "$WINEPREFIX/drive_c/windows" ]; then
  timeout 120 wineboot -i >/dev/null 2>&1 ||
    { notok "wine prefix" "wineboot -i failed"; finish; }
fi

WORK_U="$WINEPREFIX/drive_c/monrun-e2e-localspl" # Unix view
WORK_W='C:\monrun-e2e-localspl'                  # Windows view
rm -rf "$WORK_U"
mkdir -p "$WORK_U"
OUT="$WORK_U/stdout" ERR="$WORK_U/stderr"

# run ARGS...: monrun under wine with a time limit; stdout/stderr kept.
run() {
  timeout "$T" wine "$MONRUN" "$@" >"$OUT" 2>"$ERR"
}

# 1. EnumPorts through the legacy MONITOR table.
if run localspl.dll ports; then
  missing=""
  for p in FILE: LPT1: COM1:; do
    grep -qx "$p" "$OUT" || missing="$missing $p"
  done
  if [ -z "$missing" ]; then ok "ports lists Wine's Local Port ports"; else
    notok "ports lists Wine's Local Port ports" "missing:$missing"; fi
else
  notok "ports lists Wine's Local Port ports" "exit $?: $(head -c 300 "$ERR")"
fi

if run -v localspl.dll ports && grep -q "^FILE:	.*	.*	type=0x" "$OUT"; then
  ok "ports -v shows level-2 fields"
else
  notok "ports -v shows level-2 fields" "$(head -c 300 "$OUT" "$ERR")"
fi

# 2. One job through FILE: with DOC_INFO_1.pOutputFile = the target file
#    (localmon's FILE: port CreateFile()s pOutputFile in StartDocPort).
head -c 3000000 /dev/urandom >"$WORK_U/in.bin"
printf 'tail' >>"$WORK_U/in.bin" # not a multiple of 4096
if run localspl.dll print FILE: "$WORK_W\\in.bin" --output-file "$WORK_W\\out.bin"; then
  if cmp -s "$WORK_U/in.bin" "$WORK_U/out.bin"; then
    ok "print FILE: --output-file gives a byte-identical file"
  else
    notok "print FILE: --output-file gives a byte-identical file" "output differs"
  fi
  grep -q "^printed 3000004 bytes in .* MB/s$" "$OUT" &&
    ok "print reports bytes and MB/s" ||
    notok "print reports bytes and MB/s" "$(cat "$OUT")"
else
  notok "print FILE: --output-file gives a byte-identical file" "exit $?: $(head -c 300 "$ERR")"
fi

# Odd chunk size: the file must not depend on how it was cut.
rm -f "$WORK_U/out.bin"
if run localspl.dll print FILE: "$WORK_W\\in.bin" --chunk 1000 --output-file "$WORK_W\\out.bin" &&
  cmp -s "$WORK_U/in.bin" "$WORK_U/out.bin"; then
  ok "print with --chunk 1000 is byte-identical"
else
  notok "print with --chunk 1000 is byte-identical" "$(head -c 300 "$ERR")"
fi

# Synthetic data: byte i = i % 251.
python3 -c "
import sys
n = 1000000
sys.stdout.buffer.write((bytes(range(251)) * (n // 251 + 1))[:n])" >"$WORK_U/syn.expected"
if run localspl.dll print FILE: --synthetic 1000000 --output-file "$WORK_W\\syn.bin" &&
  cmp -s "$WORK_U/syn.expected" "$WORK_U/syn.bin"; then
  ok "print --synthetic writes the documented pattern"
else
  notok "print --synthetic writes the documented pattern" "$(head -c 300 "$ERR")"
fi

# 3. Failures are reported, not hidden.
run localspl.dll print FILE: "$WORK_W\\in.bin"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "StartDocPort(FILE:) failed: error 87" "$ERR"; then
  ok "FILE: without pOutputFile fails with exit 1 and error 87"
else
  notok "FILE: without pOutputFile fails with exit 1 and error 87" "exit $rc: $(cat "$ERR")"
fi

run localspl.dll print NOSUCHPORT: "$WORK_W\\in.bin" --output-file "$WORK_W\\x.bin"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "OpenPort(NOSUCHPORT:) failed" "$ERR"; then
  ok "unknown port fails at OpenPort"
else
  notok "unknown port fails at OpenPort" "exit $rc: $(cat "$ERR")"
fi

run localspl.dll print FILE: "$WORK_W\\missing.bin" --output-file "$WORK_W\\x.bin"
rc=$?
[ "$rc" -eq 1 ] && grep -q "opening input" "$ERR" &&
  ok "missing input file fails before OpenPort" ||
  notok "missing input file fails before OpenPort" "exit $rc: $(cat "$ERR")"

run nosuchmonitor.dll ports
rc=$?
[ "$rc" -eq 3 ] && grep -q "cannot load" "$ERR" &&
  ok "unloadable DLL exits 3" || notok "unloadable DLL exits 3" "exit $rc"

run localspl.dll frobnicate
rc=$?
[ "$rc" -eq 2 ] && ok "unknown command exits 2" || notok "unknown command exits 2" "exit $rc"

# 4. Concurrent jobs: four FILE: handles, one output file per job.
if run localspl.dll print-many FILE: "$WORK_W\\in.bin" --jobs 4 --threads 4 \
  --output-file "$WORK_W\\many{job}.bin"; then
  bad=""
  for j in 0 1 2 3; do
    cmp -s "$WORK_U/in.bin" "$WORK_U/many$j.bin" || bad="$bad $j"
  done
  [ -z "$bad" ] && ok "print-many: 4 concurrent FILE: jobs all byte-identical" ||
    notok "print-many: 4 concurrent FILE: jobs all byte-identical" "jobs$bad differ"
else
  notok "print-many: 4 concurrent FILE: jobs all byte-identical" "$(head -c 300 "$ERR")"
fi

# 5. Per-job cost measurement runs.
if run localspl.dll bench-jobs FILE: --jobs 50 --size 1024 --output-file "$WORK_W\\bench.bin" &&
  grep -q "^50 jobs of 1024 bytes in .* us/job" "$OUT" &&
  [ "$(stat -c %s "$WORK_U/bench.bin")" = 1024 ]; then
  ok "bench-jobs reports us/job"
else
  notok "bench-jobs reports us/job" "$(head -c 300 "$OUT" "$ERR")"
fi

# 6. Port management through localmon's Xcv (legacy table): AddPort adds a
#    value under HKLM\...\Windows NT\CurrentVersion\Ports, DeletePort
#    removes it.
NEWPORT="$WORK_W\\port.out"
run localspl.dll delete-port "$NEWPORT" # leftovers of an aborted run
if run localspl.dll add-port "$NEWPORT" && run localspl.dll ports &&
  grep -qxF "$NEWPORT" "$OUT"; then
  ok "add-port via localmon's Xcv shows up in ports"
else
  notok "add-port via localmon's Xcv shows up in ports" "$(head -c 300 "$ERR")"
fi
run localspl.dll add-port "$NEWPORT"
rc=$?
[ "$rc" -eq 1 ] && grep -q "error 183" "$ERR" &&
  ok "add-port of an existing port fails with 183" ||
  notok "add-port of an existing port fails with 183" "exit $rc: $(cat "$ERR")"
if run localspl.dll delete-port "$NEWPORT" && run localspl.dll ports &&
  ! grep -qxF "$NEWPORT" "$OUT"; then
  ok "delete-port via localmon's Xcv removes it"
else
  notok "delete-port via localmon's Xcv removes it" "$(head -c 300 "$ERR")"
fi
if run localspl.dll xcv "" MonitorUI && grep -qx "localui.dll" "$OUT"; then
  ok "raw xcv MonitorUI answers localui.dll"
else
  notok "raw xcv MonitorUI answers localui.dll" "$(cat "$OUT" "$ERR")"
fi

rm -rf "$WORK_U"
finish
