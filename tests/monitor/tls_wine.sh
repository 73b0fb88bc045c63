#!/usr/bin/env bash
# tls_wine.sh — run the Win32 TLS client test (tls_platform_win32.c) under
# Wine against native peers on 127.0.0.1: a throwaway self-signed
# certificate for localhost (openssl CLI), and a small Python ssl server with
# one listener per behaviour (see the test's header comment).
#
#   tests/monitor/tls_wine.sh EXE SCRATCH_DIR [EMULATOR]
#
# SCRATCH_DIR (under the build tree) is emptied and reused. The peer is
# stopped by its PID on exit; every wait is bounded. The Wine prefix and
# WINEDEBUG come from the environment (ctest sets them).
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 EXE SCRATCH_DIR [EMULATOR]" >&2; exit 2; }
exe=$1
work=$2
emulator=${3:-wine}

case "$work" in
/ | "") echo "$0: refusing scratch dir '$work'" >&2; exit 2 ;;
esac
rm -rf "$work"
mkdir -p "$work"

peer_pid=""
# shellcheck disable=SC2317 # runs from the EXIT trap
cleanup() {
  if [ -n "$peer_pid" ]; then
    kill "$peer_pid" 2>/dev/null || true
    wait "$peer_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap "exit 143" TERM INT HUP

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/openssl.log"
fp=$(openssl x509 -in "$work/cert.pem" -noout -fingerprint -sha256 | sed 's/^.*=//')
echo "peer certificate SHA-256 $fp"

cat >"$work/peer.py" <<'EOF'
# The test's peers: one listener per behaviour on 127.0.0.1, each
# connection in its own thread, every socket operation with a time-out.
import os, socket, ssl, sys, threading, time

cert, key, portfile = sys.argv[1:4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain(cert, key)
sni = {}
# A peer that speaks only TLS 1.1 (OpenSSL 3 allows it at SECLEVEL=0).
old_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
old_ctx.minimum_version = ssl.TLSVersion.TLSv1_1
old_ctx.maximum_version = ssl.TLSVersion.TLSv1_1
old_ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
old_ctx.load_cert_chain(cert, key)

def on_sni(sock, name, _ctx):
    sni[id(sock)] = name

ctx.sni_callback = on_sni

def echo(c):
    while True:
        d = c.recv(65536)
        if not d:
            return
        c.sendall(d)

def notify(c):
    c.sendall(b"bye")
    c.settimeout(10)
    try:
        c.unwrap()  # close_notify; waits (bounded) for the client's
    except (OSError, ValueError):
        pass

def tcpclose(c):
    c.sendall(b"bye")
    time.sleep(0.2)  # "bye" and the FIN stay two separate events

def sni_name(c):
    name = sni.get(id(c)) or sni.get(id(getattr(c, "_sslobj", None))) or "-"
    c.sendall(name.encode() + b"\n")
    c.settimeout(10)
    try:
        c.recv(1)
    except OSError:
        pass

def plain(c):
    try:
        c.recv(4096)
    except OSError:
        pass
    c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    time.sleep(0.5)

def answer(c, data):
    try:
        c.recv(4096)
    except OSError:
        pass
    c.sendall(data)
    c.settimeout(10)
    try:
        c.recv(4096)
    except OSError:
        pass

def garbage(c):
    # A handshake record holding a ServerHello far too short to be one.
    answer(c, b"\x16\x03\x03\x00\x08" b"\x02\x00\x00\x04" b"\x5a" * 4)

def alert(c):
    # A fatal handshake_failure alert, as for "no common cipher".
    answer(c, b"\x15\x03\x03\x00\x02\x02\x28")

def silent(c):
    c.settimeout(60)
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass

def run(c, handler, tls):
    try:
        c.settimeout(60)
        if tls:
            c = (old_ctx if tls == "old" else ctx).wrap_socket(c, server_side=True)
        handler(c)
    except (OSError, ssl.SSLError):
        pass
    finally:
        c.close()

def serve(lsock, handler, tls):
    while True:
        c, _ = lsock.accept()
        threading.Thread(target=run, args=(c, handler, tls), daemon=True).start()

peers = [("echo", echo, True), ("notify", notify, True),
         ("tcpclose", tcpclose, True), ("plain", plain, False),
         ("silent", silent, False), ("sni", sni_name, True),
         ("garbage", garbage, False), ("alert", alert, False),
         ("old", echo, "old")]
ports = []
for name, handler, tls in peers:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    ports.append("%s=%d" % (name, s.getsockname()[1]))
    threading.Thread(target=serve, args=(s, handler, tls), daemon=True).start()
with open(portfile + ".tmp", "w") as f:
    f.write(" ".join(ports) + "\n")
os.rename(portfile + ".tmp", portfile)
time.sleep(900)  # never outlives a forgotten run by much
EOF

python3 "$work/peer.py" "$work/cert.pem" "$work/key.pem" "$work/ports" \
  >"$work/peer.log" 2>&1 &
peer_pid=$!
for _ in $(seq 1 100); do # up to 10 s
  [ -s "$work/ports" ] && break
  kill -0 "$peer_pid" 2>/dev/null || { cat "$work/peer.log" >&2; echo "$0: peer died" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/ports" ] || { echo "$0: peer did not start" >&2; exit 1; }
echo "peers: $(cat "$work/ports")"

status=0
PW_TLS_PEER=$(cat "$work/ports") PW_TLS_FP=$fp \
  timeout 300 "$emulator" "$exe" ${PW_TLS_FILTER:+"$PW_TLS_FILTER"} || status=$?
exit $status
