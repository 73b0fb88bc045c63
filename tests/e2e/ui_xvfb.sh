#!/usr/bin/env bash
# ui_xvfb.sh BUILD_DIR — portwayui.dll's dialogs end to end: Wine's REAL
# AddPortW / ConfigurePortW / DeletePortW (winspool -> localspl -> Xcv
# "MonitorUI" -> portwayui.dll), on a private virtual X server, driven by
# keystrokes (xdotool), checked through EnumPorts and Xcv GetConfig (pwctl),
# with a screenshot of each dialog and error state.
#
#   - its own Xvfb on a free display (:99 upward; never another display),
#     stopped by PID; its own prefix BUILD_DIR/wineprefix-ui whose registry
#     is reset from a snapshot each run
#   - tests/monitor/progs/uidrive.exe opens a parent window and makes the
#     spooler call; the dialogs are found by title
#   - screenshots: $PW_UI_SHOTS (default <repo>/build/ui-shots), each
#     checked not blank (unique colours, ImageMagick)
#
# Every wait is bounded (count and time). Output: "ok <step>" / "not ok
# <step>: why", then "N passed, N failed"; exit 0 only if nothing failed.

# The step functions run through check(); shellcheck cannot see that.
# shellcheck disable=SC2317
set -uo pipefail

[ $# -eq 1 ] || {
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" 2>/dev/null && pwd) || {
  echo "not ok setup: no build directory $1"
  echo "0 passed, 1 failed"
  exit 1
}
shots=${PW_UI_SHOTS:-$root/build/ui-shots}
prefix=$build/wineprefix-ui
work=$build/ui-work
pwctl=$build/tools/pwctl/pwctl.exe
drive=$build/bin/uidrive.exe
WINE_TIMEOUT=${PW_UI_TIMEOUT:-90}
MIN_COLOURS=16 # a blank or one-colour window has far fewer

# ok, not_ok, check and the counters
# shellcheck source=tests/e2e/peer_lib.sh
. "$root/tests/e2e/peer_lib.sh"
xvfb_pid=""
finish() {
  # A dialog left open by a failed step: its driver is ended by PID.
  [ -n "${drive_pid:-}" ] && kill "$drive_pid" 2>/dev/null
  timeout 30 wineserver -k >/dev/null 2>&1
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null
    for _ in $(seq 1 20); do
      kill -0 "$xvfb_pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$xvfb_pid" 2>/dev/null
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
trap finish INT TERM

for tool in Xvfb xdotool import identify wine wineserver; do
  command -v "$tool" >/dev/null || {
    not_ok setup "$tool is not installed (scripts/deps.sh test)"
    finish
  }
done
for f in "$pwctl" "$drive" "$build/bin/portway.dll" "$build/bin/portwayui.dll"; do
  [ -f "$f" ] || {
    not_ok setup "no $f (build the Windows tree first)"
    finish
  }
done
mkdir -p "$work" "$shots" || exit 1
rm -f "$shots"/*.png

# ---- a virtual X server of our own ---------------------------------------

start_xvfb() {
  local n
  for n in $(seq 99 140); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 1 40); do
      [ -e "/tmp/.X11-unix/X$n" ] && kill -0 "$xvfb_pid" 2>/dev/null && {
        display=":$n"
        return 0
      }
      kill -0 "$xvfb_pid" 2>/dev/null || break # lost a race for :n
      sleep 0.25
    done
    kill "$xvfb_pid" 2>/dev/null
    xvfb_pid=""
  done
  why="no free display in :99-:140 (see $work/xvfb.log)"
  return 1
}
if start_xvfb; then
  ok "Xvfb on $display (pid $xvfb_pid)"
else
  not_ok "Xvfb" "$why"
  finish
fi
export DISPLAY=$display
unset WAYLAND_DISPLAY

# ---- the prefix ------------------------------------------------------------

export WINEPREFIX=$prefix WINEARCH=win64 WINEDEBUG=-all \
  WINEDLLOVERRIDES="mscoree,mshtml="
# Without a snapshot the prefix may hold anything: it is made anew.
fresh=()
[ -f "$prefix/.ui-pristine/system.reg" ] || fresh=(--fresh)
if ! "$root/scripts/wine-prefix.sh" "${fresh[@]}" --prefix "$prefix"; then
  not_ok "prefix $prefix" "wine-prefix.sh failed"
  finish
fi
timeout 60 wineserver -k >/dev/null 2>&1
timeout 60 wineserver -w >/dev/null 2>&1
snap=$prefix/.ui-pristine
if [ ! -f "$snap/system.reg" ]; then
  mkdir -p "$snap" && cp "$prefix"/*.reg "$snap/"
else
  cp "$snap"/*.reg "$prefix/"
fi || {
  not_ok "prefix $prefix" "cannot save or restore the registry snapshot"
  finish
}
rm -rf "$prefix/drive_c/pwui-out" "$prefix/drive_c/ProgramData/portway"
if "$root/scripts/wine-prefix.sh" --prefix "$prefix" --install \
  "$build/bin/portway.dll" "$build/bin/portwayui.dll"; then
  ok "portway.dll and portwayui.dll in C:\\windows\\system32 of $prefix"
else
  not_ok "install the DLLs" "wine-prefix.sh --install failed"
  finish
fi
# Wine draws the window frames itself (there is no window manager), so the
# screenshots show the titles.
timeout "$WINE_TIMEOUT" wine reg add 'HKCU\Software\Wine\X11 Driver' \
  /v Managed /d N /f >/dev/null 2>&1

# ---- helpers ---------------------------------------------------------------

# pw ARGS: pwctl; sets rc, out.
pw() {
  timeout -k 10 "$WINE_TIMEOUT" wine "$pwctl" "$@" >"$work/pw.out" 2>"$work/pw.err"
  rc=$?
  out=$(tr -d '\r' <"$work/pw.out")
  why="pwctl $1 exit $rc: $(tr -d '\r' <"$work/pw.err" | grep -a '^pwctl:' | tail -1)"
  [ "$rc" -eq 0 ]
}

# drive ARGS: starts uidrive.exe in the background (drive_pid).
drive() {
  timeout -k 10 "$WINE_TIMEOUT" wine "$drive" "$@" >"$work/drive.out" 2>&1 &
  drive_pid=$!
}

# drive_done: waits (bounded) for it; sets drive_rc, drive_out.
# A dialog still open after 30 s (an error shown where none was expected)
# ends the driver: timeout(1) passes the signal on to it.
drive_done() {
  local i
  for i in $(seq 1 120); do
    kill -0 "$drive_pid" 2>/dev/null || break
    sleep 0.25
  done
  kill "$drive_pid" 2>/dev/null
  wait "$drive_pid" 2>/dev/null
  drive_rc=$?
  drive_pid=""
  drive_out=$(tr -d '\r' <"$work/drive.out" | grep -a '^uidrive:')
  : "$i"
}

# find_window REGEX: the newest window whose title matches, within 30 s.
find_window() {
  local i w
  for i in $(seq 1 120); do
    w=$(timeout 5 xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -1)
    if [ -n "$w" ]; then
      win=$w
      sleep 0.5 # let it paint
      return 0
    fi
    kill -0 "$drive_pid" 2>/dev/null || break
    sleep 0.25
  done
  why="no window titled /$1/ ($(tr -d '\r' <"$work/drive.out" | tail -2 | tr '\n' ' '))"
  : "$i"
  return 1
}

keys() { timeout 10 xdotool windowfocus --sync "$win" key --delay 40 "$@"; }
typed() { timeout 20 xdotool windowfocus --sync "$win" type --delay 25 "$1"; }

# shot NAME: a screenshot of $win, checked not blank.
shot() {
  sleep 0.4
  local f=$shots/$1.png n
  if ! timeout 20 import -window "$win" "$f" 2>"$work/import.err"; then
    why="import failed: $(head -1 "$work/import.err")"
    return 1
  fi
  n=$(identify -format '%k' "$f" 2>/dev/null)
  if [ -z "$n" ] || [ "$n" -lt "$MIN_COLOURS" ]; then
    why="$f looks blank (${n:-?} colours)"
    return 1
  fi
  echo "   screenshot $f ($n colours)"
}

config_has() {
  pw get-port "$1" || return 1
  case "$out" in *"$2"*) return 0 ;; esac
  why="get-port $1 lacks '$2': $(echo "$out" | tr '\n' '|')"
  return 1
}

port_listed() {
  pw ports --monitor portway || return 1
  printf '%s\n' "$out" | grep -q "^$1	portway	" && return 0
  why="EnumPorts has no $1: $(echo "$out" | tr '\n' '|')"
  return 1
}

port_absent() {
  pw ports --monitor portway || return 1
  printf '%s\n' "$out" | grep -q "^$1	" || return 0
  why="EnumPorts still lists $1"
  return 1
}

# drive_expect RC TEXT: the driver ended with RC and printed TEXT.
drive_expect() {
  drive_done
  if [ "$drive_rc" -eq "$1" ] && [[ "$drive_out" == *"$2"* ]]; then
    return 0
  fi
  why="uidrive exit $drive_rc (want $1): $(echo "$drive_out" | tr '\n' '|')"
  return 1
}

# shellcheck source=tests/e2e/ui_steps.sh
. "$root/tests/e2e/ui_steps.sh"
finish
