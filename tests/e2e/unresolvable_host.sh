#!/usr/bin/env bash
# unresolvable_host.sh — a socket:// port whose host name does not resolve
# fails StartDocPort at once with "host name not found" (no retries) and one
# log line, through the native core (bench/raw_core.c).
#
# No DNS query may leave the machine, so the job runs in private network
# and mount namespaces (`unshare -n -m`): no interface but a down loopback,
# and /etc/nsswitch.conf bind-mounted to one that says "hosts: files", so
# the name is looked up in /etc/hosts only. Needs root (unshare); without
# it the check says so and fails.
#
# Output: "ok ..." / "not ok ..." per step, then "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/build/e2e-resolve
bench=$root/build/bench-native
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok $1: $2"; failed=$((failed + 1)); }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
  not_ok "can run here" "needs root and unshare (util-linux)"
  finish
fi
rm -rf "$work" && mkdir -p "$work/data" || exit 1
if ! { cmake -S "$root" -B "$bench" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
  cmake --build "$bench" -j2 --target raw_core >/dev/null; }; then
  not_ok "build raw_core" "cmake failed"
  finish
fi
printf 'passwd: files\ngroup: files\nhosts: files\n' >"$work/nsswitch.conf"
head -c 1000 /dev/zero >"$work/job.bin"

# In the namespaces: bind the nsswitch.conf, then one job to a name that
# /etc/hosts does not have (.invalid is reserved: it never exists).
timeout 60 unshare -n -m sh -c '
  mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf &&
  PW_BENCH_DATA_DIR="$1/data" "$2" printer.invalid 9100 "$1/job.bin"
' sh "$work" "$bench/bench/raw_core" >"$work/out" 2>&1
rc=$?
out=$(cat "$work/out")
if [ "$rc" -ne 0 ] && [[ "$out" == *"host name not found"* ]]; then
  ok "StartDocPort fails with 'host name not found'"
else
  not_ok "StartDocPort fails with 'host name not found'" "exit $rc: $out"
fi
log=$work/data/portway.log
if grep -aq "port=PWB: job=1 doc=\"raw\" user=\"bench\": start failed: host name not found: cannot resolve 'printer.invalid'" "$log" 2>/dev/null; then
  ok "one log line names the port, the job, the document and the cause"
else
  not_ok "one log line names the port, the job, the document and the cause" \
    "log: $(tail -n 3 "$log" 2>/dev/null | tr '\n' '|')"
fi
# Not retried: a wrong name does not become right by waiting.
if [ "$(grep -ac 'retrying' "$log" 2>/dev/null)" = 0 ]; then
  ok "no retries for a name that does not exist"
else
  not_ok "no retries for a name that does not exist" "the log shows retries"
fi
finish
