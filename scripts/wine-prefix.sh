#!/usr/bin/env bash
# wine-prefix.sh — create or refresh portway's private 64-bit Wine prefix.
#
#   scripts/wine-prefix.sh [-v] [--prefix DIR] [--fresh] BUILD_DIR [--install FILE...]
#
# The prefix lives at BUILD_DIR/wineprefix (or --prefix DIR); ~/.wine is never
# touched. Creation runs `wineboot -i` headless (no X display needed: Mono and
# Gecko are disabled so no installer dialog can appear) and waits for the
# wineserver, so the prefix is complete when this returns. When the prefix
# already exists the script does nothing but the requested --install copies,
# which put DLLs/EXEs into C:\windows\system32 (where LoadLibrary and
# AddMonitor find them).
#
# Other scripts get the environment with
#   eval "$(scripts/wine-prefix.sh --env BUILD_DIR)"
# which prints the export lines for the prefix (after creating it).
#
# Exit codes: 0 ok, 1 failure (message on stderr), 2 usage.
set -euo pipefail

usage() {
  echo "usage: $0 [-v] [--fresh] [--env] [--prefix DIR] BUILD_DIR [--install FILE...]" >&2
  exit 2
}

verbose=0
fresh=0
print_env=0
prefix=""
build_dir=""
installs=()
while [ $# -gt 0 ]; do
  case "$1" in
  -v) verbose=1 ;;
  --fresh) fresh=1 ;;
  --env) print_env=1 ;;
  --prefix)
    [ $# -ge 2 ] || usage
    prefix=$2
    shift
    ;;
  --install)
    [ $# -ge 2 ] || usage
    installs+=("$2")
    shift
    # Further plain arguments after --install are more files to install.
    while [ $# -ge 2 ] && [ "${2#-}" = "$2" ]; do
      installs+=("$2")
      shift
    done
    ;;
  -h | --help) usage ;;
  -*) usage ;;
  *)
    [ -z "$build_dir" ] || usage
    build_dir=$1
    ;;
  esac
  shift
done
[ -n "$build_dir" ] || [ -n "$prefix" ] || usage

say() { [ "$verbose" = 0 ] || echo "wine-prefix: $*" >&2; }
die() {
  echo "wine-prefix: $*" >&2
  exit 1
}

for tool in wine wineboot wineserver flock; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

if [ -z "$prefix" ]; then
  mkdir -p "$build_dir" || die "cannot create $build_dir"
  prefix=$(cd "$build_dir" && pwd)/wineprefix
fi
case "$prefix" in
/*) ;;
*) prefix=$(pwd)/$prefix ;;
esac
[ "$prefix" != "$HOME/.wine" ] || die "refusing to use ~/.wine"

export WINEPREFIX=$prefix
export WINEARCH=win64
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
# No display: Wine falls back to its null driver instead of failing on X.
unset DISPLAY WAYLAND_DISPLAY

# One creator at a time (make test and ctest may reach here together).
mkdir -p "$(dirname "$prefix")"
exec 9>"$prefix.lock"
flock -w 600 9 || die "timed out waiting for $prefix.lock"

if [ "$fresh" = 1 ] && [ -e "$prefix" ]; then
  say "removing $prefix"
  timeout 60 wineserver -k >/dev/null 2>&1 || true
  rm -rf "$prefix"
fi

# The marker is written only after wineboot and wineserver -w finished, so an
# interrupted boot is simply booted again (wineboot -i on an existing prefix
# completes it; nothing is deleted without --fresh).
complete() {
  [ -f "$prefix/system.reg" ] && [ -f "$prefix/.portway-ready" ] &&
    [ -f "$prefix/drive_c/windows/system32/kernel32.dll" ]
}

if ! complete; then
  say "creating $prefix"
  mkdir -p "$prefix"
  log=$prefix.boot.log
  if ! timeout 300 wineboot -i >"$log" 2>&1; then
    die "wineboot -i failed (see $log)"
  fi
  if ! timeout 120 wineserver -w >>"$log" 2>&1; then
    die "wineserver -w did not finish (see $log)"
  fi
  [ -f "$prefix/system.reg" ] || die "wineboot produced no system.reg (see $log)"
  touch "$prefix/.portway-ready"
  rm -f "$log"
  say "created $prefix"
else
  say "reusing $prefix"
fi

sys32=$prefix/drive_c/windows/system32
for f in ${installs[@]+"${installs[@]}"}; do
  [ -f "$f" ] || die "--install: no such file: $f"
  # cp then rename, so a monitor DLL loaded by a running process is never
  # seen half-written.
  base=$(basename "$f")
  cp -f "$f" "$sys32/.$base.tmp" || die "cannot copy $f to $sys32"
  mv -f "$sys32/.$base.tmp" "$sys32/$base" || die "cannot install $base"
  say "installed $base into C:\\windows\\system32"
done

if [ "$print_env" = 1 ]; then
  printf 'export WINEPREFIX=%q WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES=%q\n' \
    "$prefix" "mscoree,mshtml="
fi
exit 0
