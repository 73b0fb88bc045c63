# tests/e2e/bsdlpd_lib.sh — sourced by the tests that print to a REAL BSD
# lpd (Debian's `lpr`): lpd_peer.sh natively, spooler_e2e.sh through Wine's
# spooler (see lpd_peer.sh's header for why lpd runs in a private mount
# namespace with an overlay on /etc). Its one queue has an input filter that
# stores every job it prints under $bsdlpd_out: the data file as the filter
# reads it and the control file as lpd received it, each under its final
# name only when complete. lpd and everything it starts are stopped by PID
# (bsdlpd_stop). Loops are bounded in count and time.
# shellcheck shell=bash
# shellcheck disable=SC2034 # why is read by the caller's check

bsdlpd_work=""
bsdlpd_out=""
bsdlpd_pid=""
bsdlpd_nsid=""

# bsdlpd_prepare DIR QUEUE: scratch (DIR, or /tmp/portway-e2e-lpd.* if user
# lp cannot reach DIR), printcap, hosts.lpd, nsswitch.conf (hosts: files,
# so lpd's reverse look-ups never reach DNS), the filter. Sets bsdlpd_work
# and bsdlpd_out.
bsdlpd_prepare() {
  local dir=$1 queue=$2
  rm -rf "$dir"
  mkdir -p "$dir" || return 1
  bsdlpd_work=$dir
  if ! timeout 10 setpriv --reuid=lp --regid=lp --clear-groups \
    test -x "$dir" 2>/dev/null; then
    rmdir "$dir"
    bsdlpd_work=$(mktemp -d /tmp/portway-e2e-lpd.XXXXXX) || return 1
    chmod 755 "$bsdlpd_work"
    echo "# $dir is closed to user lp: scratch in $bsdlpd_work"
  fi
  local w=$bsdlpd_work
  mkdir -p "$w"/{spool/"$queue",run,out,etc-up,etc-work} || return 1
  bsdlpd_out=$w/out
  cat >"$w/etc-up/printcap" <<PRINTCAP
$queue|portway e2e: store every job under $bsdlpd_out:\\
	:lp=/dev/null:if=$w/keep.sh:sd=/var/spool/lpd/$queue:lf=/var/spool/lpd/$queue.log:mx#0:sh:sf:
PRINTCAP
  printf 'localhost\n127.0.0.1\n' >"$w/etc-up/hosts.lpd"
  sed 's/^hosts:.*/hosts: files/' /etc/nsswitch.conf >"$w/etc-up/nsswitch.conf"
  grep -q '^hosts:' "$w/etc-up/nsswitch.conf" ||
    echo 'hosts: files' >>"$w/etc-up/nsswitch.conf"
  # lpd's input filter: cwd = the spool dir, stdin = one data file, line 2
  # of ./lock = the control file's name. cf first, data last.
  cat >"$w/keep.sh" <<FILTER
#!/bin/sh
o=$bsdlpd_out; cf=\$(sed -n 2p lock 2>/dev/null); n=\$(date +%s%N)
cat > "\$o/.\$n.data" && cp "\$cf" "\$o/.\$n.cf" &&
  mv "\$o/.\$n.cf" "\$o/\$cf.\$n.cf" && mv "\$o/.\$n.data" "\$o/\$cf.\$n.data" ||
  echo "filter failed for \$cf" >> "\$o/filter.err"
exit 0
FILTER
  chmod 755 "$w/keep.sh" && chmod 777 "$bsdlpd_out" &&
    touch "$w/spool/$queue.log" && chown -R lp:lp "$w/spool" &&
    chmod 2775 "$w/spool/$queue"
}

# bsdlpd_free_port: a loopback port with nothing on it, not even TIME_WAIT
# (lpd does not set SO_REUSEADDR); echoed.
bsdlpd_free_port() {
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

# bsdlpd_start PORT: lpd on 127.0.0.1:PORT only, in its own mount namespace.
bsdlpd_start() {
  local port=$1 w=$bsdlpd_work _
  timeout 20 unshare -m --propagation private sh -c "
    mount -t overlay overlay -o lowerdir=/etc,upperdir=$w/etc-up,workdir=$w/etc-work /etc &&
    mount --bind $w/spool /var/spool/lpd &&
    mount --bind $w/run /run &&
    exec /usr/sbin/lpd -l -b 127.0.0.1 $port" >"$w/lpd.out" 2>&1 || {
    why="lpd did not start: $(tr '\n' '|' <"$w/lpd.out")"
    return 1
  }
  for _ in $(seq 1 100); do
    [ -s "$w/run/lpd.pid" ] && break
    sleep 0.05
  done
  bsdlpd_pid=$(cat "$w/run/lpd.pid" 2>/dev/null)
  if ! [[ "$bsdlpd_pid" =~ ^[0-9]+$ ]] || ! kill -0 "$bsdlpd_pid" 2>/dev/null; then
    bsdlpd_pid=""
    why="no live PID in $w/run/lpd.pid"
    return 1
  fi
  bsdlpd_nsid=$(readlink "/proc/$bsdlpd_pid/ns/mnt")
  if [ -z "$bsdlpd_nsid" ] || [ "$bsdlpd_nsid" = "$(readlink /proc/$$/ns/mnt)" ]; then
    why="lpd ($bsdlpd_pid) is not in a private mount namespace"
    return 1
  fi
  local listen=""
  for _ in $(seq 1 100); do
    listen=$(ss -Hltn "( sport = :$port )" | awk '{print $4}')
    [ -n "$listen" ] && break
    sleep 0.05
  done
  [ "$listen" = "127.0.0.1:$port" ] || {
    why="lpd listens on '$(echo "$listen" | tr '\n' ' ')', want 127.0.0.1:$port only"
    return 1
  }
}

# Every process in lpd's mount namespace (master, servers, queue runners,
# filters), by PID.
bsdlpd_ns_pids() {
  local p
  [ -n "$bsdlpd_nsid" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$bsdlpd_nsid" ] && echo "${p#/proc/}"
  done
}

# bsdlpd_stop: TERM lpd and its namespace's processes, KILL after 5 s.
bsdlpd_stop() {
  local pids _
  pids=$(bsdlpd_ns_pids)
  [ -n "$pids" ] || [ -n "$bsdlpd_pid" ] || return 0
  # shellcheck disable=SC2086
  kill $bsdlpd_pid $pids 2>/dev/null
  for _ in $(seq 1 50); do
    pids=$(bsdlpd_ns_pids)
    [ -z "$pids" ] && break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
  bsdlpd_pid=""
}

# bsdlpd_stored NNN: the filter's .data file for job number NNN (cfA<NNN>*),
# echoed, waiting up to 30 s.
bsdlpd_stored() {
  local _ f
  for _ in $(seq 1 300); do
    f=$(find "$bsdlpd_out" -maxdepth 1 -name "cfA$1*.data" -print -quit)
    [ -n "$f" ] && {
      echo "$f"
      return 0
    }
    sleep 0.1
  done
  return 1
}
