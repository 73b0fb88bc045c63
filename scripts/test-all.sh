#!/usr/bin/env bash
# test-all.sh — what `make test` runs. Each check runs to completion (one
# failure does not hide the others), its output goes to build/test-logs/,
# and a failing check prints the tail of its log. The last line is the
# summary "N passed, N failed" (checks, not individual cases; every check's
# own log ends with its case counts).
set -uo pipefail
cd "$(dirname "$0")/.."
logs=build/test-logs
mkdir -p "$logs"
passed=0
failed=0
failed_names=()
make_=(make --no-print-directory)

check() {
  local name=$1
  shift
  local start=$SECONDS
  if "$@" >"$logs/$name.log" 2>&1; then
    passed=$((passed + 1))
    echo "ok $name ($((SECONDS - start)) s) $(grep -E '^[0-9]+ passed, [0-9]+ failed|tests passed' "$logs/$name.log" | tail -1)"
  else
    failed=$((failed + 1))
    failed_names+=("$name")
    echo "not ok $name ($((SECONDS - start)) s) — last lines of $logs/$name.log:"
    tail -25 "$logs/$name.log" | sed 's/^/    /'
  fi
}

native_tests() {
  "${make_[@]}" native && (cd build/native && ctest --output-on-failure --no-tests=error -j2)
}

valgrind_tests() {
  "${make_[@]}" valgrind-build || return 1
  local status=0 t
  for t in build/valgrind/core_test_*; do
    echo "== valgrind $t"
    PW_TEST_TMP=$PWD/build/valgrind/testtmp valgrind -q --error-exitcode=99 \
      --leak-check=full --errors-for-leak-kinds=definite,indirect \
      --show-leak-kinds=definite,indirect "$t" || status=1
  done
  return $status
}

wine_tests() {
  "${make_[@]}" win || return 1
  # The Windows tests own their prefix: make demo leaves ports in build/win/wineprefix.
  scripts/wine-prefix.sh --prefix build/win/wineprefix-tests build/win || return 1
  (cd build/win && ctest --output-on-failure --no-tests=error)
}

e2e() {
  "${make_[@]}" win >/dev/null || return 1
  "$@"
}

fuzz_smoke() {
  "${make_[@]}" fuzz-build && scripts/fuzz.sh build/fuzz smoke
}

check format "${make_[@]}" format-check
check native-asan-ubsan native_tests
check native-valgrind valgrind_tests
check windows-under-wine wine_tests
check e2e-wine-spooler e2e tests/e2e/spooler_e2e.sh build/win
check e2e-ui-xvfb e2e tests/e2e/ui_xvfb.sh build/win # portwayui.dll's dialogs: Wine's AddPortW/ConfigurePortW/DeletePortW, Xvfb + xdotool, screenshots in build/ui-shots
check e2e-monrun-localspl e2e tests/e2e/monrun_localspl.sh build/win
check e2e-monrun-portway e2e tests/e2e/monrun_portway.sh build/win
check e2e-monrun-langmon e2e tests/e2e/monrun_langmon.sh build/win # portwaylm.dll over portway / localspl, PJL printer on 127.0.0.1
check unresolvable-host tests/e2e/unresolvable_host.sh # unshare -n -m, hosts: files
check lpd-peer tests/e2e/lpd_peer.sh # real BSD lpd on 127.0.0.1, native core
check lprng-peer tests/e2e/lprng_peer.sh # real LPRng lpd (extracted .deb) on 127.0.0.1, native core
check ipp-peer tests/e2e/ipp_peer.sh # real ippeveprinter (ipp + ipps) on 127.0.0.1/[::1], native core
check pjl-printer-sim tests/e2e/pjlprinter_selftest.sh # the PJL printer simulator (loopback) against its spec
check tcpmon-ndr tests/e2e/tcpmon_ndr.sh # PORT_DATA_1 bytes vs Samba's NDR packing (python3-samba)
check fuzz-smoke fuzz_smoke
check static-analysis "${make_[@]}" lint

[ $failed -eq 0 ] || echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
