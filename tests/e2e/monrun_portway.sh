#!/bin/sh
# portway.dll driven by monrun (the spooler simulator): ports added through
# Xcv, stored through monrun's working MONITORREG, jobs streamed through
# chunked WritePort, several jobs at once, reconfiguration and removal.
#
# usage: tests/e2e/monrun_portway.sh BUILD_DIR   (the mingw build directory)
# portway.dll: $PORTWAY_DLL, else BUILD_DIR/bin/portway.dll, else the first
# portway.dll found under BUILD_DIR. Private prefix BUILD_DIR/wineprefix-monrun
# (created if missing). Prints "ok <step>" / "not ok <step>: why", then
# "N passed, N failed"; exit status non-zero on failure.
set -u

BUILD=${1:?usage: $0 BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd) || exit 2
MONRUN="$BUILD/tools/monrun/monrun.exe"
ROOT=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
export WINEPREFIX="$BUILD/wineprefix-monrun"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
T=120 # seconds for any single wine call

passed=0
failed=0
ok() { passed=$((passed + 1)); printf "ok %s\n" "$1"; }
notok() { failed=$((failed + 1)); printf "not ok %s: %s\n" "$1" "$2"; }
check() { # check NAME CONDITION-EXIT-STATUS WHY
  if [ "$2" -eq 0 ]; then ok "$1"; else notok "$1" "$3"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

DLL=${PORTWAY_DLL:-}
[ -z "$DLL" ] && [ -f "$BUILD/bin/portway.dll" ] && DLL="$BUILD/bin/portway.dll"
[ -z "$DLL" ] && DLL=$(find "$BUILD" -name portway.dll -path '*bin*' 2>/dev/null | head -n 1)
[ -z "$DLL" ] && DLL=$(find "$BUILD" -name portway.dll -not -path '*wineprefix*' 2>/dev/null | head -n 1)
if [ ! -f "$MONRUN" ] || [ -z "$DLL" ] || [ ! -f "$DLL" ]; then
  notok "monrun.exe and portway.dll exist" "monrun=$MONRUN dll=${DLL:-none}"
  finish
fi
if [ ! -d "$WINEPREFIX/drive_c/windows" ]; then
  timeout 120 wineboot -i >/dev/null 2>&1 ||
    { notok "wine prefix" "wineboot -i failed"; finish; }
fi
DLL_W=$(winepath -w "$DLL" 2>/dev/null)

WORK_U="$WINEPREFIX/drive_c/monrun-e2e-portway"
URI_BASE="file:///C:/monrun-e2e-portway"
STORE='HKCU\Software\portway\monrun\portway'
rm -rf "$WORK_U"
mkdir -p "$WORK_U/out1" "$WORK_U/out2" "$WORK_U/out3" "$WORK_U/in"
OUT="$WORK_U/stdout" ERR="$WORK_U/stderr"

run() { # monrun under wine with a time limit; stdout/stderr kept
  timeout "$T" wine "$MONRUN" "$@" >"$OUT" 2>"$ERR"
}
pw() { run "$DLL_W" "$@"; }
why() { echo "exit $1: $(head -c 400 "$ERR" | tr '\n' ' ')"; }
no_warnings() { ! grep -q "warning:" "$ERR"; }
reg_has() { timeout "$T" wine reg query "$1" >/dev/null 2>&1; }

# Start from an empty store (an aborted earlier run may have left ports).
timeout "$T" wine reg delete "$STORE" /f >/dev/null 2>&1

# 1. Ports are added through Xcv "AddPort" with NAME\0CONFIG\0.
pw add-port PWE1: "uri=$URI_BASE/out1" 'pattern={doc}.prn'
rc=$?
[ $rc -eq 0 ] && no_warnings
check "add-port PWE1: via Xcv AddPort" $? "$(why $rc)"
pw add-port PWE2: "uri=$URI_BASE/out2\\npattern={doc}.prn" # literal \n form
rc=$?
check "add-port PWE2: (config with a literal \\n)" $rc "$(why $rc)"

pw ports
rc=$?
[ $rc -eq 0 ] && grep -qx "PWE1:" "$OUT" && grep -qx "PWE2:" "$OUT" && no_warnings
check "ports lists both ports" $? "$(why $rc) stdout: $(cat "$OUT")"

pw -v ports
grep -q "^PWE1:	[^	]*	[^	]*	type=0x[0-9a-f]*[13579bdf]$" "$OUT"
check "ports -v: level 2 with PORT_TYPE_WRITE" $? "$(cat "$OUT")"

pw add-port PWE1: "uri=$URI_BASE/out3"
rc=$?
[ $rc -eq 1 ] && grep -q "error 183" "$ERR"
check "add-port of an existing port fails with 183" $? "$(why $rc)"

# 2. The store is monrun's MONITORREG, under HKCU, not the registry fallback.
reg_has "$STORE\\Ports\\PWE1:" && timeout "$T" wine reg query "$STORE\\Ports\\PWE1:" 2>/dev/null | grep -q "Config.*REG_SZ.*uri="
check "MONITORREG store has Ports\\PWE1: with a Config value holding the uri" $? "reg query $STORE\\Ports\\PWE1: failed"
! reg_has 'HKLM\SYSTEM\CurrentControlSet\Control\Print\Monitors\portway\Ports\PWE1:'
check "no Win32-registry fallback while MONITORREG works" $? "port also written under HKLM\\...\\Monitors\\portway"

pw -v ports
! grep -q "key handle(s) open" "$ERR"
check "no MONITORREG key handle left open" $? "$(grep 'handle' "$ERR")"

# 3. Configuration round trip.
pw get-port PWE1:
rc=$?
[ $rc -eq 0 ] && grep -qx "uri=$URI_BASE/out1" "$OUT" && grep -qx 'pattern={doc}.prn' "$OUT"
check "get-port returns the canonical config" $? "$(why $rc) stdout: $(cat "$OUT")"

# 4. A multi-MB job through 4 KB WritePort chunks.
head -c 8388608 /dev/urandom >"$WORK_U/in/big.bin"
printf 'odd tail' >>"$WORK_U/in/big.bin"
pw print PWE1: 'C:\monrun-e2e-portway\in\big.bin' --doc big
rc=$?
[ $rc -eq 0 ] && cmp -s "$WORK_U/in/big.bin" "$WORK_U/out1/big.prn" && no_warnings
check "print 8 MB job: byte-identical output in the port's directory" $? "$(why $rc) $(ls "$WORK_U/out1")"
[ "$(ls "$WORK_U/out1" | wc -l)" -eq 1 ]
check "print leaves exactly one file (no temporary left behind)" $? "$(ls -a "$WORK_U/out1")"

pw print PWE1: --synthetic 3000000 --chunk 1000 --doc syn --printer 'Test Printer' --job 42
rc=$?
python3 -c "
import sys
n = 3000000
sys.stdout.buffer.write((bytes(range(251)) * (n // 251 + 1))[:n])" >"$WORK_U/in/syn.expected"
[ $rc -eq 0 ] && cmp -s "$WORK_U/in/syn.expected" "$WORK_U/out1/syn.prn"
check "print --synthetic, 1000-byte chunks, printer and job id given" $? "$(why $rc)"

# 5. Eight concurrent jobs on two ports (one handle per thread).
head -c 1048576 /dev/urandom >"$WORK_U/in/many.bin"
pw print-many --ports PWE1:,PWE2: 'C:\monrun-e2e-portway\in\many.bin' --jobs 8 --threads 2 --doc 'many{job}'
rc=$?
bad=""
for j in 0 1 2 3 4 5 6 7; do
  f=$(ls "$WORK_U"/out1/many$j.prn "$WORK_U"/out2/many$j.prn 2>/dev/null | head -n 1)
  { [ -n "$f" ] && cmp -s "$WORK_U/in/many.bin" "$f"; } || bad="$bad $j"
done
[ $rc -eq 0 ] && [ -z "$bad" ] && grep -q "^printed 8 jobs .* on 2 ports with 2 threads" "$OUT"
check "print-many: 8 concurrent jobs on 2 ports, all byte-identical" $? "$(why $rc) bad jobs:$bad"
n1=$(ls "$WORK_U"/out1/many*.prn 2>/dev/null | wc -l)
n2=$(ls "$WORK_U"/out2/many*.prn 2>/dev/null | wc -l)
[ "$n1" -eq 4 ] && [ "$n2" -eq 4 ]
check "print-many spread the jobs over both ports" $? "out1=$n1 out2=$n2"

pw print-many PWE2: 'C:\monrun-e2e-portway\in\many.bin' --jobs 6 --threads 3 --doc 'same'
rc=$?
cnt=$(ls "$WORK_U"/out2/same*.prn 2>/dev/null | wc -l)
[ $rc -eq 0 ] && [ "$cnt" -eq 6 ]
check "print-many: 6 jobs, 3 handles on one port, same name, 6 distinct files" $? "$(why $rc) files=$cnt"

# 6. Reconfiguration: later jobs go to the new directory.
pw set-port PWE2: "uri=$URI_BASE/out3" 'pattern={doc}.prn'
rc=$?
check "set-port via Xcv SetConfig" $rc "$(why $rc)"
pw get-port PWE2:
grep -qx "uri=$URI_BASE/out3" "$OUT"
check "get-port shows the new uri" $? "$(cat "$OUT")"
pw print PWE2: 'C:\monrun-e2e-portway\in\many.bin' --doc moved
rc=$?
[ $rc -eq 0 ] && cmp -s "$WORK_U/in/many.bin" "$WORK_U/out3/moved.prn"
check "print after set-port lands in the new directory" $? "$(why $rc)"

pw set-port PWE2: "uri=nonsense"
rc=$?
[ $rc -eq 1 ] && grep -q "error 13" "$ERR"
check "set-port with a bad config fails with 13 (invalid data)" $? "$(why $rc)"

# 7. Access: a handle without SERVER_ACCESS_ADMINISTER cannot change ports.
run "$DLL_W" xcv --user "" AddPort 'PWUSER:\0'
rc=$?
[ $rc -eq 1 ] && grep -q "error 5" "$ERR"
check "xcv --user AddPort is denied (5)" $? "$(why $rc)"
pw ports
! grep -qx "PWUSER:" "$OUT"
check "denied AddPort changed nothing" $? "PWUSER: listed"
run "$DLL_W" xcv --user "" PortExists 'PWE2:'
rc=$?
[ $rc -eq 0 ] && grep -qx "dword 1" "$OUT"
check "xcv --user PortExists (read-only) works" $? "$(why $rc) $(cat "$OUT")"

# 8. Removal.
pw delete-port PWE1:
rc=$?
check "delete-port via Xcv DeletePort" $rc "$(why $rc)"
pw ports
! grep -qx "PWE1:" "$OUT" && grep -qx "PWE2:" "$OUT"
check "ports no longer lists PWE1:" $? "$(cat "$OUT")"
! reg_has "$STORE\\Ports\\PWE1:"
check "Ports\\PWE1: key removed from the MONITORREG store" $? "key still there"
pw delete-port PWE1:
rc=$?
[ $rc -eq 1 ]
check "delete-port of an unknown port fails" $? "$(why $rc)"
pw print PWE1: 'C:\monrun-e2e-portway\in\many.bin'
rc=$?
[ $rc -eq 1 ] && grep -q "OpenPort(PWE1:) failed" "$ERR"
check "print to a deleted port fails at OpenPort" $? "$(why $rc)"
pw delete-port PWE2:
rc=$?
check "delete-port PWE2:" $rc "$(why $rc)"

# 9. Wine 8.0's MONITORREG (every callback 120): portway falls back and
#    still works end to end.
run --reg stub "$DLL_W" add-port PWSTUB: "uri=$URI_BASE/out3" 'pattern={doc}.prn'
rc=$?
check "with --reg stub: add-port works through the fallback" $rc "$(why $rc)"
run --reg stub "$DLL_W" print PWSTUB: 'C:\monrun-e2e-portway\in\many.bin' --doc stub
rc=$?
[ $rc -eq 0 ] && cmp -s "$WORK_U/in/many.bin" "$WORK_U/out3/stub.prn"
check "with --reg stub: print works" $? "$(why $rc)"
run --reg stub "$DLL_W" delete-port PWSTUB:
rc=$?
check "with --reg stub: delete-port works" $rc "$(why $rc)"

# 8. 256 MB network jobs through the DLL in constant memory: RAW to a RAW
# printer and LPD (byte counting: spooled to a temporary file first) to an
# LPD server, both on 127.0.0.1 (tests/e2e/rawsink.py, lpdsink.py), started
# here and stopped by PID. The synthetic job is bytes 0..250 repeated.
BIGN=268435456
big_ok() { # FILE: exactly the synthetic pattern of BIGN bytes
  python3 - "$1" "$BIGN" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
unit = bytes(range(251)) * 4096
done = 0
with open(path, "rb") as f:
    while True:
        b = f.read(len(unit))
        if not b:
            break
        if b != unit[:len(b)] or (done // len(unit)) * len(unit) != done:
            sys.exit(1)
        done += len(b)
sys.exit(0 if done == n else 1)
PY
}
appears() { # FILE: wait up to 10 s for the peer to store it
  for _ in $(seq 1 200); do
    [ -f "$1" ] && return 0
    sleep 0.05
  done
  return 1
}
growth_ok() { # the working set grew by less than 1 MB over the job
  local g
  g=$(grep '^memory:' "$OUT" | sed 's/.*(growth \(-*[0-9]*\) bytes).*/\1/')
  [ -n "$g" ] && [ "$g" -lt 1048576 ]
}
NET="$WORK_U/net"
mkdir -p "$NET/raw" "$NET/lpd"
python3 "$ROOT/tests/e2e/rawsink.py" "$NET/raw" "$NET/raw/port" 2 &
rawpid=$!
python3 "$ROOT/tests/e2e/lpdsink.py" "$NET/lpd" "$NET/lpd/port" 2 &
lpdpid=$!
for _ in $(seq 1 100); do
  [ -s "$NET/raw/port" ] && [ -s "$NET/lpd/port" ] && break
  sleep 0.05
done
pw add-port PWBIGR: "uri=socket://127.0.0.1:$(cat "$NET/raw/port")" &&
  pw print PWBIGR: --synthetic $BIGN --mem --doc bigraw
rc=$?
[ $rc -eq 0 ] && growth_ok && appears "$NET/raw/job-1.bin" &&
  big_ok "$NET/raw/job-1.bin"
check "256 MB RAW job through the DLL: byte-identical at the printer, working set +<1 MB" \
  $? "$(why $rc) $(grep '^memory:' "$OUT")"
pw add-port PWBIGL: "uri=lpd://127.0.0.1:$(cat "$NET/lpd/port")/bigq" &&
  pw print PWBIGL: --synthetic $BIGN --mem --doc biglpd
rc=$?
[ $rc -eq 0 ] && growth_ok && appears "$NET/lpd/job-1.cf" &&
  big_ok "$NET/lpd/job-1.df"
check "256 MB LPD job (byte counting) through the DLL: data file byte-identical, working set +<1 MB" \
  $? "$(why $rc) $(grep '^memory:' "$OUT")"
kill "$rawpid" "$lpdpid" 2>/dev/null
wait "$rawpid" "$lpdpid" 2>/dev/null
pw delete-port PWBIGR: && pw delete-port PWBIGL:
check "delete the two network ports" $? "$(why $?)"

# 9. A program port through the DLL: tests/monitor/progs/pwchild.exe (a
# Windows program: under Wine a Linux one gets no stdin from a Windows
# pipe) stores its stdin in the {output} file; another run exits 3.
CHILD="$BUILD/bin/pwchild.exe"
CHILD_URI="pipe:///$(winepath -w "$CHILD" 2>/dev/null | tr '\134' '/' | sed 's/ /%20/g')"
mkdir -p "$WORK_U/pdf"
pw add-port PWPIPE: "uri=$CHILD_URI" "args=store {output}" \
  "output=$URI_BASE/pdf" "pattern={doc}.bin" &&
  pw print PWPIPE: 'C:\monrun-e2e-portway\in\big.bin' --doc piped
rc=$?
[ $rc -eq 0 ] && cmp -s "$WORK_U/in/big.bin" "$WORK_U/pdf/piped.bin"
check "program port (pipe:) through the DLL: pwchild.exe stores the 8 MB job byte-identical in {output}" \
  $? "$(why $rc) $(ls "$WORK_U/pdf" 2>/dev/null)"
pw set-port PWPIPE: "uri=$CHILD_URI" "args=exit 3"
pw print PWPIPE: --synthetic 1000 --doc failing
rc=$?
[ $rc -ne 0 ]
check "program port: a program exiting 3 fails EndDocPort" $? "exit $rc"
pw delete-port PWPIPE:

rm -rf "$WORK_U"
timeout "$T" wine reg delete "$STORE" /f >/dev/null 2>&1
finish
