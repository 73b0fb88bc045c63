# tests/e2e/peer_lib.sh — sourced by the end-to-end tests (lpd_peer.sh,
# lprng_peer.sh): the ok / not ok / check step reporting, and the PIDs of
# every process in the peer daemon's private mount namespace ($nsid), so
# the test can stop all of them by PID.
# shellcheck shell=bash
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
why=""
check() {
  local name=$1
  shift
  why=""
  if "$@"; then ok "$name"; else not_ok "$name" "${why:-failed}"; fi
}

lpdpid=""
nsid=""
# Every process in the daemon's mount namespace (its master, servers,
# queue runners, filters), by PID.
ns_pids() {
  local p
  [ -n "$nsid" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$nsid" ] && echo "${p#/proc/}"
  done
}
