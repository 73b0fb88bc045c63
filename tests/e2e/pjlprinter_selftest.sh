#!/usr/bin/env bash
# pjlprinter_selftest.sh — self-test of tests/e2e/pjlprinter.py, the PJL
# printer simulator: each scenario starts it (loopback only, port from its
# PORTFILE), drives it with a small Python client written below, checks the
# replies byte for byte, the stored jobs (cmp) and its log.txt, and waits
# for it to exit 0 after its --connections jobs. Every wait is bounded in
# count and time; the simulator is stopped by PID on exit whatever happens.
#
# Needs python3, cmp, timeout. Scratch: a mktemp -d directory, removed on
# exit (PJLSIM_KEEP=1 keeps it). Prints "ok <check>" per check, then
# "pjlprinter selftest: N checks ok"; exits non-zero on the first failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sim=$here/pjlprinter.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pjlsim-selftest.XXXXXX") || exit 1
simpid=
checks=0

cleanup() {
  if [ -n "$simpid" ]; then
    kill "$simpid" 2>/dev/null
    wait "$simpid" 2>/dev/null
  fi
  if [ "${PJLSIM_KEEP:-0}" = 1 ]; then
    echo "scratch kept: $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

fail() {
  echo "not ok $*" >&2
  echo "pjlprinter selftest: FAILED after $checks checks" >&2
  exit 1
}

ok() {
  checks=$((checks + 1))
  echo "ok $*"
}

# start_sim NAME [options]: run the simulator on $tmp/NAME; sets $work, $port.
start_sim() {
  local name=$1
  shift
  work=$tmp/$name
  mkdir -p "$work/out" || fail "$name: mkdir"
  python3 "$sim" "$@" "$work/out" "$work/port" 2>"$work/stderr" &
  simpid=$!
  local i
  for i in $(seq 1 100); do
    [ -s "$work/port" ] && break
    kill -0 "$simpid" 2>/dev/null || fail "$name: simulator died: $(cat "$work/stderr")"
    sleep 0.05
  done
  [ -s "$work/port" ] || fail "$name: no port file after $i tries"
  port=$(cat "$work/port")
  case $port in
    '' | *[!0-9]*) fail "$name: bad port file: $port" ;;
  esac
}

# end_sim NAME: the simulator must exit 0 by itself (its --connections done).
end_sim() {
  local i rc
  for i in $(seq 1 150); do
    kill -0 "$simpid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$simpid" 2>/dev/null && fail "$1: simulator still running after $i waits"
  if wait "$simpid"; then rc=0; else rc=$?; fi
  simpid=
  [ "$rc" = 0 ] || fail "$1: simulator exit status $rc: $(cat "$work/stderr")"
  ok "$1: simulator exits 0 after its jobs"
}

# client SCENARIO [args]: run one client scenario; counts its "ok" lines.
client() {
  local out rc line
  out=$(timeout 120 python3 "$tmp/client.py" "$1" "$port" "$work" "${@:2}" 2>&1)
  rc=$?
  while IFS= read -r line; do
    case $line in
      "ok "*) ok "${line#ok }" ;;
      *) [ -n "$line" ] && echo "$line" >&2 ;;
    esac
  done <<<"$out"
  [ "$rc" = 0 ] || fail "client $1 (exit $rc)"
}

same() { # same FILE1 FILE2 WHAT
  cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"
  ok "$3"
}

logged() { # logged PATTERN WHAT: a line of log.txt matches (fixed string)
  grep -qF -- "$1" "$work/out/log.txt" || fail "$2: no \"$1\" in log.txt"
  ok "$2"
}

cat >"$tmp/client.py" <<'EOF'
import os
import random
import socket
import struct
import sys
import time

U = b"\x1b%-12345X"
FF = b"\x0c"
SCEN, PORT, WORK = sys.argv[1], int(sys.argv[2]), sys.argv[3]
FAM, HOST = ((socket.AF_INET6, "::1") if "ipv6" in sys.argv[4:]
             else (socket.AF_INET, "127.0.0.1"))
READY = ['CODE=10001', 'DISPLAY="00 READY"', 'ONLINE=TRUE']


def ok(cond, what, detail=""):
    if not cond:
        print("not ok %s%s" % (what, ": %s" % detail if detail else ""))
        sys.exit(1)
    print("ok " + what)


def frame(*lines):
    return ("\r\n".join(lines) + "\r\n").encode("latin-1") + FF


def connect(timeout=5.0):
    s = socket.socket(FAM, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((HOST, PORT))
    return s


def read(s, until=None, limit=10.0):
    """Read until EOF, until(data) is true, or limit seconds: (data, eof)."""
    deadline = time.monotonic() + limit
    data = b""
    while time.monotonic() < deadline and not (until and until(data)):
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            return data, True
        data += d
    return data, False


def blob(n, seed, ffs=0):
    """n pseudo-random bytes with no FF and no ESC (so no UEL), then ffs FFs
    spread through it."""
    rng = random.Random(seed)
    b = bytearray()
    while len(b) < n:
        b += bytes(x for x in rng.randbytes(n) if x not in (0x0c, 0x1b))
    b = b[:n]
    for i in range(ffs):
        b[(i + 1) * n // (ffs + 1)] = 0x0c
    return bytes(b)


def keep(n, data):
    with open(os.path.join(WORK, "sent-%d.bin" % n), "wb") as f:
        f.write(data)


def basic():
    # job 1: replies come while the job is still open, then JOB/PAGE/EOJ
    s = connect()
    a = (U + b"@PJL \r\n@PJL ECHO sync-1 \r\n@PJL INFO ID\r\n@PJL INFO STATUS\r\n"
         b"@PJL INFO PAGECOUNT\r\n@PJL USTATUS JOB = ON\r\n@PJL USTATUS PAGE=ON\r\n"
         b'@PJL JOB NAME = "alpha job"\r\n')
    s.sendall(a)
    want = (frame("@PJL ECHO sync-1") + frame("@PJL INFO ID", '"PORTWAY PJLSIM"')
            + frame("@PJL INFO STATUS", *READY)
            + frame("@PJL INFO PAGECOUNT", "PAGECOUNT=0")
            + frame("@PJL USTATUS JOB", "START", 'NAME="alpha job"'))
    got, eof = read(s, lambda d: len(d) >= len(want), 5)
    ok(got == want, "ECHO, INFO ID/STATUS/PAGECOUNT, JOB START answered before the end of the job", got)
    b = (U + b"@PJL ENTER LANGUAGE=PCL\r\n" + blob(20000, 1, ffs=3) + U
         + b'@PJL EOJ NAME="alpha job"\r\n@PJL INFO PAGECOUNT\r\n' + U)
    s.sendall(b)
    s.shutdown(socket.SHUT_WR)
    keep(1, a + b)
    got, eof = read(s)
    want = (frame("@PJL USTATUS PAGE", "1") + frame("@PJL USTATUS PAGE", "2")
            + frame("@PJL USTATUS PAGE", "3")
            + frame("@PJL USTATUS JOB", "END", 'NAME="alpha job"', "PAGES=3")
            + frame("@PJL INFO PAGECOUNT", "PAGECOUNT=3"))
    ok(eof and got == want, "3 FFs: USTATUS PAGE 1..3, JOB END PAGES=3, PAGECOUNT=3, then EOF", got)
    s.close()
    # a connection that sends nothing: not a job
    connect().close()
    # job 2, new connection: LF line ends, data without FF = 1 page, EOJ
    # without NAME reports the JOB's; PAGE not subscribed on this connection
    s = connect()
    j = (U + b"@PJL\n@PJL USTATUS JOB=ON\n@PJL JOB NAME=\"beta\"\n@PJL ENTER LANGUAGE=PCL\n"
         + blob(5000, 2) + U + b"@PJL EOJ\n@PJL INFO PAGECOUNT\n" + U)
    s.sendall(j)
    s.shutdown(socket.SHUT_WR)
    keep(2, j)
    got, eof = read(s)
    want = (frame("@PJL USTATUS JOB", "START", 'NAME="beta"')
            + frame("@PJL USTATUS JOB", "END", 'NAME="beta"', "PAGES=1")
            + frame("@PJL INFO PAGECOUNT", "PAGECOUNT=4"))
    ok(eof and got == want, "second connection: JOB START/END PAGES=1, PAGECOUNT grew to 4", got)
    s.close()
    # job 3: CONFIG, unknown INFO, VERBOSE errors, USTATUS kept per connection
    s = connect()
    j = (U + b"@PJL INFO CONFIG\r\n@PJL INFO BOGUS\r\n@PJL INFO USTATUS\r\n"
         b"@PJL USTATUS DEVICE=VERBOSE\r\n@PJL FROB X\r\n@PJL EOJ\r\n"
         b"@PJL USTATUS TIMED=3\r\n@PJL ECHO end of 3\r\n" + U)
    s.sendall(j)
    s.shutdown(socket.SHUT_WR)
    keep(3, j)
    got, eof = read(s)
    frames = got.split(FF)
    ok(eof and len(frames) == 8 and frames[-1] == b"", "third connection: 7 replies then EOF", got)
    cfg = frames[0].split(b"\r\n")
    ok(cfg[0] == b"@PJL INFO CONFIG" and len(cfg) > 10 and cfg[-1] == b""
       and b"LANGUAGES [3 ENUMERATED]" in cfg and b"\tPCL" in cfg, "INFO CONFIG: multi-line, HP layout", cfg)
    ok(frames[1] + FF == frame("@PJL INFO BOGUS", "?"), "unknown INFO category answers ?", frames[1])
    ok(frames[2] + FF == frame("@PJL INFO USTATUS", "DEVICE=OFF [3 ENUMERATED]", "\tOFF", "\tON",
                               "\tVERBOSE", "JOB=OFF [2 ENUMERATED]", "\tOFF", "\tON",
                               "PAGE=OFF [2 ENUMERATED]", "\tOFF", "\tON", "TIMED=0 [2 RANGE]",
                               "\t5", "\t300"),
       "INFO USTATUS: all off on a new connection", frames[2])
    ok([f.split(b"\r\n")[1] for f in frames[3:6]] == [b"CODE=20002", b"CODE=27002", b"CODE=25001"]
       and all(f.startswith(b"@PJL USTATUS DEVICE\r\n") for f in frames[3:6]),
       "VERBOSE: unsupported command 20002, EOJ without JOB 27002, TIMED=3 rejected 25001", frames[3:6])
    ok(frames[6] + FF == frame("@PJL ECHO end of 3"), "ECHO keeps inner spaces", frames[6])
    s.close()


def event():
    # --event 3000:41300:LOAD PAPER --event 6000:10001 --event-hold 1
    s = connect()
    head = U + b"@PJL USTATUS DEVICE=ON\r\n@PJL INFO STATUS\r\n@PJL ENTER LANGUAGE=PCL\r\n"
    j = head + blob(10000 - len(head) - len(U), 3) + U
    t0 = time.monotonic()
    s.sendall(j)
    s.shutdown(socket.SHUT_WR)
    keep(1, j)
    got, eof = read(s)
    took = time.monotonic() - t0
    want = (frame("@PJL INFO STATUS", *READY)
            + frame("@PJL USTATUS DEVICE", "CODE=41300", 'DISPLAY="LOAD PAPER"', "ONLINE=FALSE")
            + frame("@PJL USTATUS DEVICE", *READY))
    ok(eof and got == want, "DEVICE 41300 LOAD PAPER at byte 3000, cleared to 10001 at 6000", got)
    ok(0.9 <= took < 8, "--event-hold 1 stalls the job about 1 s", "%.2f s" % took)
    s.close()
    # TIMED=5 with --timed-scale 0.02: every 0.1 s while the client sends
    s = connect()
    a = U + b"@PJL USTATUS TIMED = 5\r\n"
    s.sendall(a)
    got, open_eof = read(s, limit=0.65)
    b = b"@PJL USTATUS TIMED=0\r\n@PJL ECHO timed off\r\n" + U
    s.sendall(b)
    s.shutdown(socket.SHUT_WR)
    keep(2, a + b)
    rest, eof = read(s)
    tf = frame("@PJL USTATUS TIMED", *READY)
    n = got.count(tf)
    ok(not open_eof and 3 <= n <= 8 and got == tf * n, "USTATUS TIMED every 0.1 s (5 x 0.02)", "%d: %r" % (n, got))
    ok(eof and rest.endswith(frame("@PJL ECHO timed off"))
       and rest[:-len(frame("@PJL ECHO timed off"))] in (b"", tf), "TIMED=0 stops it", rest)
    s.close()


def drop():
    s = connect()
    a = U + b"@PJL INFO ID\r\n@PJL ECHO anyone\r\n"
    s.sendall(a)
    t0 = time.monotonic()
    got, eof = read(s, limit=3)
    ok(eof and got == b"" and time.monotonic() - t0 < 2,
       "--drop-backchannel: end of stream at once, no reply", got)
    b = U + b"@PJL ENTER LANGUAGE=PCL\r\n" + blob(70000, 4, ffs=2) + U
    s.sendall(b)
    s.shutdown(socket.SHUT_WR)
    keep(1, a + b)
    s.close()


def silent():
    # --silent --linger 1
    s = connect()
    a = U + b"@PJL INFO ID\r\n@PJL ECHO anyone\r\n@PJL USTATUS JOB=ON\r\n@PJL JOB\r\n"
    s.sendall(a)
    got, eof = read(s, limit=1.0)
    ok(not eof and got == b"", "--silent: no reply, connection stays open", got)
    b = U + b"@PJL ENTER LANGUAGE=PCL\r\n" + blob(3000, 5) + U + b"@PJL EOJ\r\n" + U
    s.sendall(b)
    s.shutdown(socket.SHUT_WR)
    keep(1, a + b)
    got, eof = read(s, limit=0.5)
    ok(not eof and got == b"", "--silent --linger 1: still open after the client's end of stream", got)
    got, eof = read(s, limit=5)
    ok(eof and got == b"", "--silent: closes after the linger, having sent nothing", got)
    s.close()


def garbage():
    # --garbage 3000, two connections with the same requests
    streams = []
    j = (U + b"@PJL ECHO g\r\n@PJL INFO ID\r\n@PJL INFO STATUS\r\n@PJL USTATUS JOB=ON\r\n"
         b'@PJL JOB NAME="g"\r\n@PJL ENTER LANGUAGE=PCL\r\nx\x0c' + U + b'@PJL EOJ NAME="g"\r\n' + U)
    for n in (1, 2):
        s = connect()
        s.sendall(j)
        s.shutdown(socket.SHUT_WR)
        keep(n, j)
        got, eof = read(s)
        ok(eof, "--garbage: connection %d ends" % n, got[-200:])
        streams.append(got)
        s.close()
    want = [frame("@PJL ECHO g"), frame("@PJL INFO ID", '"PORTWAY PJLSIM"'),
            frame("@PJL INFO STATUS", *READY), frame("@PJL USTATUS JOB", "START", 'NAME="g"'),
            frame("@PJL USTATUS JOB", "END", 'NAME="g"', "PAGES=1")]
    got = streams[0]
    ok(len(got) == sum(map(len, want)) + 3000, "--garbage 3000: exactly 3000 extra bytes", len(got))
    real = [f + FF for f in got.split(FF) if f.startswith(b"@PJL ") and b"\r\n" in f]
    ok(real == want, "real replies intact FF-delimited frames, no junk frame looks like one", real)
    ok(not got.startswith(want[0]) and b"\0" in got and FF * 2 in got
       and any(len(line) > 255 for line in got.split(b"\n")),
       "junk comes first, has NULs, empty frames, overlong lines", got[:80])
    ok(streams[0] == streams[1], "junk is the same on every connection (fixed seed)")


def hang():
    # --hang-after 5000
    s = connect()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    head = U + b"@PJL ENTER LANGUAGE=PCL\r\n"
    sent = bytearray()
    chunk = blob(65536, 6)
    blocked = False
    s.settimeout(0.5)
    try:
        s.sendall(head)
        sent += head
        while len(sent) < (64 << 20):
            n = s.send(chunk)
            sent += chunk[:n]
    except socket.timeout:
        blocked = True
    keep(1, bytes(sent))
    ok(blocked, "--hang-after: the client's send blocks", len(sent))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()  # reset
    s = connect()
    j = U + b"@PJL INFO ID\r\n@PJL ENTER LANGUAGE=PCL\r\n" + blob(6000, 7)
    s.sendall(j)
    s.shutdown(socket.SHUT_WR)
    keep(2, j)
    got, eof = read(s, limit=5)
    ok(eof and got == frame("@PJL INFO ID", '"PORTWAY PJLSIM"'),
       "hung printer answers what it read, closes at the client's end of stream", got)
    s.close()
    s = connect()
    j = U + b"@PJL INFO ID\r\n" + U
    s.sendall(j)
    s.shutdown(socket.SHUT_WR)
    keep(3, j)
    got, eof = read(s, limit=5)
    ok(eof and got == frame("@PJL INFO ID", '"PORTWAY PJLSIM"'), "next connection served normally", got)
    s.close()


def ipv6():
    s = connect()
    j = U + b"@PJL INFO ID\r\n" + U
    s.sendall(j)
    s.shutdown(socket.SHUT_WR)
    got, eof = read(s, limit=5)
    ok(eof and got == frame("@PJL INFO ID", '"PORTWAY PJLSIM"'), "--ipv6: answers on ::1", got)
    s.close()


globals()[SCEN]()
EOF

# --help documents every option
help=$(python3 "$sim" --help) || fail "--help"
for opt in --ipv6 --connections --event --event-hold --drop-backchannel --silent \
  --garbage --hang-after --timed-scale --linger --idle-timeout --pagecount --pagecount-bare; do
  grep -qF -- "$opt" <<<"$help" || fail "--help does not mention $opt"
done
ok "--help documents every option"

start_sim basic --connections 3
logged "start 127.0.0.1 $port" "basic: listens on 127.0.0.1 only, port file written"
client basic
end_sim basic
for n in 1 2 3; do
  same "$work/out/job-$n.bin" "$work/sent-$n.bin" "basic: job $n stored byte-identical"
done
[ ! -e "$work/out/job-4.bin" ] || fail "basic: the empty connection was stored as a job"
ok "basic: empty connection is not a job"
logged "conn 2 empty" "basic: log notes the empty connection"
logged 'conn 1 reply @PJL USTATUS JOB|END|NAME="alpha job"|PAGES=3' "basic: log has the JOB END reply"

start_sim event --connections 2 --event '3000:41300:LOAD PAPER' --event 6000:10001 \
  --event-hold 1 --timed-scale 0.02
client event
end_sim event
same "$work/out/job-1.bin" "$work/sent-1.bin" "event: job stored byte-identical despite the hold"
logged 'conn 1 code 41300 "LOAD PAPER" online=FALSE at=3000' "event: log has the code change at byte 3000"
logged "conn 1 hold end" "event: log has the end of the hold"

start_sim drop --connections 1 --drop-backchannel
client drop
end_sim drop
same "$work/out/job-1.bin" "$work/sent-1.bin" "drop: job still received and stored"
logged 'conn 1 noreply @PJL INFO ID|"PORTWAY PJLSIM"' "drop: log has the unsent reply"

start_sim silent --connections 1 --silent --linger 1
client silent
end_sim silent
same "$work/out/job-1.bin" "$work/sent-1.bin" "silent: job stored byte-identical"

start_sim garbage --connections 2 --garbage 3000
client garbage
end_sim garbage
same "$work/out/job-2.bin" "$work/sent-2.bin" "garbage: job stored byte-identical"

start_sim hang --connections 3 --hang-after 5000
client hang
end_sim hang
for n in 1 2; do
  head -c 5000 "$work/sent-$n.bin" >"$work/first-$n.bin"
  same "$work/out/job-$n.bin" "$work/first-$n.bin" "hang: job $n holds exactly the 5000 bytes read"
done
same "$work/out/job-3.bin" "$work/sent-3.bin" "hang: job 3 complete"
logged "conn 1 hang ended: client reset" "hang: log notes the client's reset"
rest=$(($(wc -c <"$work/sent-2.bin") - 5000))
logged "conn 2 hang ended: client closed its sending side, $rest unread bytes discarded" \
  "hang: log notes the client's end of stream and the $rest bytes not read"

if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
  start_sim ipv6 --connections 1 --ipv6
  logged "start ::1 $port" "ipv6: listens on ::1"
  client ipv6 ipv6
  end_sim ipv6
else
  echo "# ::1 not available: --ipv6 not tested"
fi

echo "pjlprinter selftest: $checks checks ok"
