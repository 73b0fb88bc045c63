# tests/e2e/ippeve_lib.sh — sourced by the tests that print to CUPS's
# ippeveprinter (ipp_peer.sh natively, spooler_e2e.sh through Wine's
# spooler): a throwaway CA and a localhost certificate for its TLS, and the
# printer itself with the private D-Bus bus and network-less avahi-daemon it
# needs (../shared/research/peers.md §2). Every process started here is
# appended to the caller's `ippeve_pids` array, to be stopped by PID with
# ippeve_stop. Loops are bounded in count and time.
# shellcheck shell=bash
# shellcheck disable=SC2034 # why is read by the caller (peer_lib.sh check)

ippeve_pids=()

# ippeve_certs DIR: DIR/ca.pem (the CA), DIR/keys/localhost.{crt,key} (the
# printer's, for DNS:localhost, IP:127.0.0.1, IP:::1, valid 2 days); sets
# ippeve_pin to the certificate's SHA-256 fingerprint (AB:CD:...).
ippeve_pin=""
ippeve_certs() {
  local d=$1 k=$1/keys
  mkdir -p "$k" || return 1
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=portway e2e CA" \
      -keyout "$d/ca.key" -out "$d/ca.pem" &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
        -keyout "$k/localhost.key" -out "$d/localhost.csr" &&
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' >"$d/san.ext" &&
      openssl x509 -req -in "$d/localhost.csr" -CA "$d/ca.pem" \
        -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -extfile "$d/san.ext" -out "$k/localhost.crt"
  } >"$d/openssl.log" 2>&1 || {
    why="openssl: $(tail -3 "$d/openssl.log" | tr '\n' '|')"
    return 1
  }
  ippeve_pin=$(openssl x509 -in "$k/localhost.crt" -noout -fingerprint -sha256 |
    sed 's/.*=//')
  [ ${#ippeve_pin} -eq 95 ] || {
    why="odd fingerprint '$ippeve_pin'"
    return 1
  }
}

# ippeve_free_port: a loopback TCP port nothing uses (echoed).
ippeve_free_port() {
  local p _
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    if [ -z "$(ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null)" ]; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# ippeve_start DIR PORT: the printer "portway-e2e" on 127.0.0.1:PORT and
# [::1]:PORT (ipp and ipps on the same port), documents kept in DIR/spool
# as <job-id>-<name>.<ext>, its certificate from DIR/keys (ippeve_certs
# first). Logs in DIR/{dbus,avahi,ippeve}.log.
ippeve_start() {
  local d=$1 port=$2 _
  mkdir -p "$d/spool" "$d/avahi-run" || return 1
  cat >"$d/avahi-daemon.conf" <<'CONF'
[server]
use-ipv4=yes
use-ipv6=yes
allow-interfaces=lo
[wide-area]
enable-wide-area=no
[publish]
publish-addresses=no
publish-hinfo=no
publish-workstation=no
publish-domain=no
[reflector]
enable-reflector=no
CONF
  local bus=unix:path=$d/bus.sock
  dbus-daemon --session --address="$bus" --nofork >"$d/dbus.log" 2>&1 &
  ippeve_pids+=($!)
  for _ in $(seq 1 100); do
    [ -S "$d/bus.sock" ] && break
    sleep 0.05
  done
  # avahi in an empty network namespace: only a downed lo, no mDNS out.
  DBUS_SYSTEM_BUS_ADDRESS=$bus unshare -n -m --propagation private sh -c "
    mount --bind $d/avahi-run /run && mkdir -p /run/avahi-daemon &&
    exec avahi-daemon -f $d/avahi-daemon.conf --no-drop-root --no-chroot --no-rlimits" \
    >"$d/avahi.log" 2>&1 &
  ippeve_pids+=($!)
  for _ in $(seq 1 100); do
    grep -q 'Server startup complete' "$d/avahi.log" && break
    sleep 0.1
  done
  grep -q 'Server startup complete' "$d/avahi.log" || {
    why="avahi did not start: $(tail -3 "$d/avahi.log" | tr '\n' '|')"
    return 1
  }
  DBUS_SYSTEM_BUS_ADDRESS=$bus ippeveprinter -v -n localhost -p "$port" \
    -K "$d/keys" -d "$d/spool" -k -c /bin/true \
    -f application/octet-stream,application/pdf,application/vnd.hp-pcl,text/plain \
    portway-e2e >"$d/ippeve.log" 2>&1 &
  ippeve_pids+=($!)
  local listen=""
  for _ in $(seq 1 100); do
    listen=$(ss -Hltn "( sport = :$port )" | awk '{print $4}' | sort | tr '\n' ' ')
    [ "$listen" = "127.0.0.1:$port [::1]:$port " ] && return 0
    sleep 0.05
  done
  why="ippeveprinter listens on '$listen', want 127.0.0.1:$port and [::1]:$port only; log: $(tail -3 "$d/ippeve.log" | tr '\n' '|')"
  return 1
}

# ippeve_kept DIR JOB_ID MIN_SIZE: the document the printer kept for the
# job (echoed), once it is at least MIN_SIZE bytes (10 s at most).
ippeve_kept() {
  local kept="" _
  for _ in $(seq 1 100); do
    kept=$(find "$1/spool" -maxdepth 1 -name "$2-*" ! -name '*.prn' -print -quit)
    [ -n "$kept" ] && [ "$(stat -c %s "$kept")" -ge "$3" ] && {
      echo "$kept"
      return 0
    }
    sleep 0.1
  done
  return 1
}

# ippeve_stop: TERM, then KILL after 5 s, everything ippeve_start started.
ippeve_stop() {
  local p _ alive
  [ ${#ippeve_pids[@]} -gt 0 ] || return 0
  kill "${ippeve_pids[@]}" 2>/dev/null
  for _ in $(seq 1 50); do
    alive=0
    for p in "${ippeve_pids[@]}"; do
      kill -0 "$p" 2>/dev/null && alive=1
    done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  kill -KILL "${ippeve_pids[@]}" 2>/dev/null
  for p in "${ippeve_pids[@]}"; do wait "$p" 2>/dev/null; done
  ippeve_pids=()
}
