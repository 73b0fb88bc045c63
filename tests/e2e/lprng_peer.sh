#!/usr/bin/env bash
# lprng_peer.sh — lpd:// ports through portway's core against a REAL LPRng
# lpd (Debian's `lprng` 3.8.B, extracted from its .deb, never installed: it
# conflicts with cups-client), started and stopped here by PID, listening on
# 127.0.0.1 only (see ../shared/research/peers.md §1b and docs/lpd-port.md,
# "Real servers"). Modelled on tests/e2e/lpd_peer.sh (BSD lpd).
#
# The .deb comes from `apt-get download lprng` into build/e2e-lprng/pkg and
# stays there (a second run does not download again); `dpkg-deb -x` unpacks
# it into build/e2e-lprng/root. LPRng's lpd reads /etc/lprng/lpd.conf (its
# LPD_CONF variable is compiled out in Debian's build), so it runs in a
# private mount namespace (`unshare -m`) with an overlay on /etc: our
# lpd.conf (listen on 127.0.0.1%PORT only, no unix socket, lock/PID file in
# the scratch), printcap, lpd.perms (Debian's default) and an nsswitch.conf
# with "hosts: files", so nothing it does can query DNS. Nothing of the
# system's is modified; the namespace goes away with lpd's processes.
#
# Queue `file` stores every job: its incoming_control_filter copies the
# control file LPRng received (LPRng's rendering of it: it keeps no raw cf,
# and adds A/C/D/Q lines of its own) and its input filter copies the data
# file, both as out/<data file name>.{cf,data}.
#
# The jobs are sent by tests/e2e/lpd_job.c (OpenPort, StartDocPort,
# WritePort in 4 KB pieces, EndDocPort), built here against
# build/bench-native/libpwcore.a (as lpd_peer.sh builds it).
#
# Needs root (mount namespaces, lpd), unshare, setpriv, ss, dpkg-deb,
# apt-get (first run only), cc, cmake. Scratch: build/e2e-lprng/run, or
# /tmp/portway-e2e-lprng.* if user daemon cannot reach build/ (removed on
# exit; PW_E2E_KEEP=1 keeps it).
# Output: "ok <step>" / "not ok <step>: why" per step, then "N passed,
# N failed"; exit status 0 only if nothing failed.
#
# shellcheck disable=SC2317 # step functions run through check()
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
base=$root/build/e2e-lprng
pkg=$base/pkg
lprng=$base/root
work=$base/run
driver=$base/lpd_job
QUEUE="file"
LPUSER=daemon # lpd.conf user=/group=: LPRng's filters run as this user

# shellcheck source=tests/e2e/peer_lib.sh
. "$root/tests/e2e/peer_lib.sh"

stop_lpd() {
  local pids _
  pids=$(ns_pids)
  [ -n "$pids" ] || [ -n "$lpdpid" ] || return 0
  # shellcheck disable=SC2086
  kill $lpdpid $pids 2>/dev/null
  for _ in $(seq 1 50); do
    pids=$(ns_pids)
    [ -z "$pids" ] && break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
  # lpd -F is our child: reap it (it is gone or dying by now).
  [ -z "$lpdpid" ] || wait "$lpdpid" 2>/dev/null
  lpdpid=""
}
finish() {
  stop_lpd
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
command -v dpkg-deb >/dev/null || reasons+=("no dpkg-deb")
command -v cc >/dev/null || reasons+=("no cc")
command -v cmake >/dev/null || reasons+=("no cmake")
command -v ss >/dev/null || reasons+=("no ss (iproute2)")
command -v setpriv >/dev/null || reasons+=("no setpriv (util-linux)")
id "$LPUSER" >/dev/null 2>&1 || reasons+=("no user $LPUSER")
if [ ${#reasons[@]} -eq 0 ] &&
  ! timeout 10 unshare -m --propagation private true 2>/dev/null; then
  reasons+=("unshare -m fails here (no mount namespaces in this container?)")
fi
if [ ${#reasons[@]} -gt 0 ]; then
  not_ok "LPRng peer can run here" "$(
    IFS=';'
    echo "${reasons[*]}"
  )"
  exit 1
fi
ok "LPRng peer can run here (root, unshare -m, dpkg-deb)"

# ---- LPRng, from its .deb -------------------------------------------------
deb=""
get_lprng() {
  mkdir -p "$pkg" || return 1
  deb=$(find "$pkg" -maxdepth 1 -name 'lprng_*.deb' -print -quit)
  if [ -z "$deb" ]; then
    command -v apt-get >/dev/null || {
      why="no cached .deb in $pkg and no apt-get"
      return 1
    }
    # A machine whose package lists were never fetched knows no lprng:
    # fetch them once and try again.
    (cd "$pkg" && timeout 60 apt-get -q -o APT::Sandbox::User=root \
      download lprng) >"$base/download.log" 2>&1 ||
      { timeout 300 apt-get update -qq >>"$base/download.log" 2>&1 &&
        (cd "$pkg" && timeout 60 apt-get -q -o APT::Sandbox::User=root \
          download lprng) >>"$base/download.log" 2>&1; } || {
      why="apt-get download lprng failed: $(tail -3 "$base/download.log" | tr '\n' '|')"
      return 1
    }
    deb=$(find "$pkg" -maxdepth 1 -name 'lprng_*.deb' -print -quit)
    [ -n "$deb" ] || {
      why="apt-get download lprng left no lprng_*.deb in $pkg"
      return 1
    }
  fi
  rm -rf "$lprng"
  timeout 30 dpkg-deb -x "$deb" "$lprng" 2>"$base/extract.log" || {
    why="dpkg-deb -x $deb failed: $(tr '\n' '|' <"$base/extract.log")"
    return 1
  }
  [ -x "$lprng/usr/sbin/lpd" ] || {
    why="no usr/sbin/lpd in $deb"
    return 1
  }
  local missing
  missing=$(ldd "$lprng/usr/sbin/lpd" 2>&1 | grep 'not found' | tr '\n' ' ')
  [ -z "$missing" ] || {
    why="LPRng's lpd lacks libraries: $missing"
    return 1
  }
}
check "LPRng from its .deb (build/e2e-lprng/pkg, downloaded once), unpacked, libraries present" \
  get_lprng || exit 1
echo "# $(basename "$deb")"

# ---- the driver ---------------------------------------------------------
build_driver() {
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

# ---- scratch, lpd.conf, printcap, filters --------------------------------
# LPRng's filters run as $LPUSER and reach the scratch by its path: if a
# parent of build/ is closed to it (a clone under /root), use /tmp instead.
rm -rf "$work"
mkdir -p "$work" || exit 1
if ! timeout 10 setpriv --reuid="$LPUSER" --regid="$LPUSER" --clear-groups \
  test -x "$work" 2>/dev/null; then
  rmdir "$work"
  work=$(mktemp -d /tmp/portway-e2e-lprng.XXXXXX) || exit 1
  chmod 755 "$work"
  echo "# $base is closed to user $LPUSER: scratch in $work"
fi
mkdir -p "$work"/{spool/$QUEUE,run,out,etc-up/lprng,etc-work,jobs} || exit 1
out=$work/out

# A port with nothing on it, not even TIME_WAIT.
port=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 30000))
  if [ -z "$(ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null)" ]; then
    port=$p
    break
  fi
done
[ -n "$port" ] || {
  not_ok "pick a free loopback port" "none free after 50 tries"
  exit 1
}

cat >"$work/etc-up/lprng/lpd.conf" <<EOF
lpd_listen_port=127.0.0.1%$port
lpd_port=127.0.0.1%$port
lockfile=$work/run/lpd
unix_socket_path=off
printcap_path=/etc/printcap
perms_path=/etc/lprng/lpd.perms
user=$LPUSER
group=$LPUSER
EOF
# Debian's perms: REJECT NOT SERVER ... DEFAULT ACCEPT (127.0.0.1 is SERVER).
cp "$lprng/etc/lprng/lpd.perms" "$work/etc-up/lprng/lpd.perms" || exit 1
cat >"$work/etc-up/printcap" <<EOF
$QUEUE:\\
	:sd=$work/spool/$QUEUE:\\
	:lp=/dev/null:\\
	:if=$work/keep-data.sh:\\
	:incoming_control_filter=$work/keep-cf.sh:\\
	:mx=0:sh:sf:
EOF
# Names come from /etc/hosts only: no lookup of LPRng's reaches a DNS server.
sed 's/^hosts:.*/hosts: files/' /etc/nsswitch.conf >"$work/etc-up/nsswitch.conf"
grep -q '^hosts:' "$work/etc-up/nsswitch.conf" ||
  echo 'hosts: files' >>"$work/etc-up/nsswitch.conf"
# incoming_control_filter: stdin = the control file as LPRng received it,
# stdout = the control file LPRng keeps (passed through unchanged). Stored
# as out/<data file name>.cf (from its l line) once complete.
cat >"$work/keep-cf.sh" <<EOF
#!/bin/sh
o=$out; n=\$(date +%s%N)
tee "\$o/.\$n.cf" || { echo "cf filter: tee failed" >> "\$o/filter.err"; exit 1; }
df=\$(sed -n 's/^l//p' "\$o/.\$n.cf" | head -1)
case \$df in ""|*/*) echo "cf filter: no usable l line" >> "\$o/filter.err"; exit 0;; esac
mv "\$o/.\$n.cf" "\$o/\$df.cf" || echo "cf filter: mv failed for \$df" >> "\$o/filter.err"
exit 0
EOF
# Input filter: stdin = one data file; \$HF (LPRng's job record, one
# key=value a line) names it in df_name=.
cat >"$work/keep-data.sh" <<EOF
#!/bin/sh
o=$out; n=\$(date +%s%N)
df_name=\$(printf '%s\\n' "\${HF:-}" | sed -n 's/^df_name=//p' | head -1)
case \${df_name:-} in ""|*/*) echo "data filter: df_name '\${df_name:-}'" >> "\$o/filter.err"; exit 0;; esac
cat > "\$o/.\$n.data" && mv "\$o/.\$n.data" "\$o/\$df_name.data" ||
  echo "data filter failed for \$df_name" >> "\$o/filter.err"
exit 0
EOF
chmod 755 "$work/keep-cf.sh" "$work/keep-data.sh" && chmod 777 "$out" &&
  touch "$work/run/lpd.log" &&
  chown -R "$LPUSER:$LPUSER" "$work/spool" "$work/run" &&
  chmod 700 "$work/spool/$QUEUE" || exit 1

# ---- start lpd ----------------------------------------------------------
start_lpd() {
  # lpd -F stays in the foreground: $! is lpd itself (unshare and sh exec it).
  unshare -m --propagation private sh -c "
    mount -t overlay overlay -o lowerdir=/etc,upperdir=$work/etc-up,workdir=$work/etc-work /etc &&
    exec $lprng/usr/sbin/lpd -F -L $work/run/lpd.log" \
    </dev/null >"$work/lpd.out" 2>&1 &
  lpdpid=$!
  local _ server=""
  for _ in $(seq 1 100); do
    server=$(cat "$work/run/lpd.127.0.0.1%$port" 2>/dev/null)
    [[ "$server" =~ ^[0-9]+$ ]] && break
    kill -0 "$lpdpid" 2>/dev/null || break
    sleep 0.05
  done
  if ! kill -0 "$lpdpid" 2>/dev/null; then
    why="lpd exited: $(tr '\n' '|' <"$work/lpd.out") log: $(tail -3 "$work/run/lpd.log" | tr '\n' '|')"
    wait "$lpdpid" 2>/dev/null
    lpdpid=""
    return 1
  fi
  nsid=$(readlink "/proc/$lpdpid/ns/mnt")
  if ! [[ "$server" =~ ^[0-9]+$ ]] || ! kill -0 "$server" 2>/dev/null; then
    why="no live server PID in $work/run/lpd.127.0.0.1%$port"
    return 1
  fi
  if [ -z "$nsid" ] || [ "$nsid" = "$(readlink /proc/$$/ns/mnt)" ] ||
    [ "$(readlink "/proc/$server/ns/mnt")" != "$nsid" ]; then
    why="lpd ($lpdpid, server $server) is not in a private mount namespace"
    return 1
  fi
  # Every listening socket of lpd's processes: exactly 127.0.0.1:$port.
  local listen="" pids
  pids=$(ns_pids | paste -sd'|')
  for _ in $(seq 1 100); do
    listen=$(ss -Hltunp | grep -E "pid=($pids)," | awk '{print $1, $5}' | sort -u)
    [ -n "$listen" ] && break
    sleep 0.05
  done
  [ "$listen" = "tcp 127.0.0.1:$port" ] || {
    why="lpd listens on '$(echo "$listen" | tr '\n' ' ')', want tcp 127.0.0.1:$port only"
    return 1
  }
}
check "start LPRng lpd (by PID, own mount namespace) listening on 127.0.0.1 only" \
  start_lpd || exit 1

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
  timeout 30 "$driver" "$dd" "$file" "$id" "$USER_" "$HOST_" "$doc" \
    "$@" >"$dd.out" 2>&1
  rc=$?
  cp "$dd/portway.log" "$dd.log" 2>/dev/null || : >"$dd.log"
  if [ -n "$(ls -A "$dd/spool" 2>/dev/null)" ]; then
    why="a temporary file was left in $dd/spool"
    return 1
  fi
  return 0
}
# stored_file NAME: wait (15 s at most) for the filter's out/NAME.
stored_file() {
  local _
  for _ in $(seq 1 150); do
    [ -f "$out/$1" ] && return 0
    sleep 0.1
  done
  return 1
}

# job LABEL ID SIZE_KB CONFIG_LINE...
job() {
  local name=$1 id=$2 kb=$3 nnn
  shift 3
  nnn=$(printf '%03d' $((id % 1000)))
  local doc="portway lprng-peer $name" file=$work/$name.bin
  local df=dfA$nnn$HOST_ uri=lpd://127.0.0.1:$port/$QUEUE
  head -c $((kb * 1024 + 333)) /dev/urandom >"$file" || return 1
  send "$name" "$id" "$doc" "$file" "uri=$uri" "$@" || return 1
  [ "$rc" -eq 0 ] || {
    why="lpd_job exit $rc: $(tr '\n' '|' <"$work/jobs/$name.out") log: $(tail -2 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
  grep -q "delivered $(stat -c %s "$file") bytes to $uri as job $nnn" \
    "$work/jobs/$name.log" || {
    why="no 'delivered ... as job $nnn' line: $(tail -2 "$work/jobs/$name.log" | tr '\n' '|')"
    return 1
  }
  stored_file "$df.data" || {
    why="LPRng stored no $df.data in 15 s ($(find "$out" -mindepth 1 -printf '%f ') lpd.log: $(tail -3 "$work/run/lpd.log" | tr '\n' '|'))"
    return 1
  }
  local data=$out/$df.data want got
  want=$(sha256sum <"$file" | cut -d' ' -f1)
  got=$(sha256sum <"$data" | cut -d' ' -f1)
  [ "$want" = "$got" ] || {
    why="data file differs: sent $(stat -c %s "$file") bytes sha256 $want, stored $(stat -c %s "$data") bytes sha256 $got"
    return 1
  }
  local cf=$out/$df.cf line missing=()
  [ -f "$cf" ] || {
    why="no control file $cf"
    return 1
  }
  for line in "H$HOST_" "P$USER_" "J$doc" "N$doc" "l$df" "U$df"; do
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
check "1 MB job, byte counting: LPRng stores the data file byte-identical (sha256), control file H P J N l U" \
  job counted 201 1024
check "1 MB job, streaming (bytecount=false, size 0 to end of stream): LPRng stores it byte-identical (sha256), control file H P J N l U" \
  job stream 202 1024 bytecount=false

filters_clean() {
  [ ! -s "$out/filter.err" ] || {
    why="filter: $(tr '\n' '|' <"$out/filter.err")"
    return 1
  }
  local extra
  extra=$(find "$out" -mindepth 1 ! -name 'dfA20[12]*' -printf '%f ')
  [ -z "$extra" ] || {
    why="unexpected files in LPRng's output: $extra"
    return 1
  }
}
check "LPRng's filters reported no error and stored nothing else" filters_clean

# ---- stop ----------------------------------------------------------------
stopped() {
  local pid=$lpdpid _
  stop_lpd
  [ -z "$(ns_pids)" ] || {
    why="processes left in lpd's namespace: $(ns_pids | tr '\n' ' ')"
    return 1
  }
  [ ! -e "/proc/$pid" ] || {
    why="lpd $pid still exists"
    return 1
  }
  for _ in $(seq 1 50); do
    [ -z "$(ss -Hltn "( sport = :$port )")" ] && return 0
    sleep 0.1
  done
  why="127.0.0.1:$port still listening"
  return 1
}
check "stop LPRng lpd by PID: its namespace is empty and the port closed" stopped
