#!/usr/bin/env bash
# demo.sh BUILD_DIR — portway working inside Wine's print spooler.
#
# Uses what `make win` built (this script builds nothing): puts portway.dll
# into the private prefix BUILD_DIR/wineprefix, registers it with AddMonitor,
# adds the file port PORTWAY1: writing to C:\portway-demo, adds the printer
# "portway Demo" on it, prints scripts/demo-sample.ps through the spooler and
# shows where the output landed (Windows and Linux path).
#
# Idempotent: a second run reuses the monitor, port and printer and prints
# another copy. Everything goes through pwctl.exe (docs/pwctl.md).
set -euo pipefail

[ $# -eq 1 ] || {
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)

PORT=PORTWAY1:
PRINTER="portway Demo"
DEST_WIN='C:\portway-demo'
DEST_URI=file:///C:/portway-demo
SAMPLE=$root/scripts/demo-sample.ps

say() { echo "portway demo: $*"; }
die() {
  echo "portway demo: error: $*" >&2
  exit 1
}

pwctl=$build/tools/pwctl/pwctl.exe
[ -f "$pwctl" ] || die "no $pwctl — run 'make demo' (it builds first)"
dll=$build/bin/portway.dll
[ -f "$dll" ] || dll=$(find "$build" -name portway.dll -type f \
  -not -path '*/wineprefix*' | head -n 1)
[ -n "$dll" ] || die "no portway.dll under $build — run 'make demo'"

[ -d "$build/wineprefix" ] ||
  say "creating the private Wine prefix (first time only, ~15 s)"
"$root/scripts/wine-prefix.sh" "$build" --install "$dll" ||
  die "could not prepare the Wine prefix"
eval "$("$root/scripts/wine-prefix.sh" --env "$build")"
unset DISPLAY WAYLAND_DISPLAY
# When we are done, wait for the prefix's wineserver so nothing lingers.
trap 'timeout 60 wineserver -w >/dev/null 2>&1 || true' EXIT

pw() { timeout -k 10 120 wine "$pwctl" "$@"; }

say "prefix: $WINEPREFIX"
pw install || die "pwctl install failed"
say "monitor \"portway\" installed (AddMonitor; portway.dll in C:\\windows\\system32)"

# Reuse the port if it exists (GetConfig answers), else add it.
if pw get-port "$PORT" >/dev/null 2>&1; then
  pw set-port "$PORT" "$DEST_URI" || die "pwctl set-port failed"
  say "port $PORT exists; destination set to $DEST_URI"
else
  pw add-port "$PORT" "$DEST_URI" || die "pwctl add-port failed"
  say "port $PORT added (Xcv AddPort) -> $DEST_URI"
fi
say "port configuration:"
if ! pw get-port "$PORT" | tr -d '\r' | sed 's/^/    /'; then
  die "pwctl get-port failed"
fi

pw add-printer "$PRINTER" "$PORT" || die "pwctl add-printer failed"
say "printer \"$PRINTER\" on $PORT"

out_dir=$WINEPREFIX/drive_c/portway-demo
files() { find "$out_dir" -maxdepth 1 -type f -printf '%f\n' 2>/dev/null | sort || true; }
before=$(files)
sample_win="Z:${SAMPLE//\//\\}"
say "printing $(basename "$SAMPLE") ($(stat -c %s "$SAMPLE") bytes) to \"$PRINTER\""
if ! pw -v print "$PRINTER" "$sample_win" --doc "portway demo page" 2>&1 |
  tr -d '\r' | sed 's/^pwctl: print: /    /'; then
  die "printing failed"
fi

# The file this job created: new since before, else the newest one.
new=$(comm -13 <(printf '%s\n' "$before") <(files) | sed '/^$/d' | tail -n 1)
if [ -z "$new" ]; then
  new=$(find "$out_dir" -maxdepth 1 -type f -printf '%T@ %f\n' 2>/dev/null |
    sort -n | tail -n 1 | cut -d' ' -f2-)
fi
if [ -z "$new" ] || [ ! -f "$out_dir/$new" ]; then
  die "no output file in $out_dir"
fi

if cmp -s "$SAMPLE" "$out_dir/$new"; then
  same="byte-identical to the sample"
else
  same="DIFFERENT from the sample"
fi
echo
say "output landed in:"
echo "    Windows: $DEST_WIN\\$new"
echo "    Linux:   $out_dir/$new"
echo "    ($(stat -c %s "$out_dir/$new") bytes, $same)"
log=$WINEPREFIX/drive_c/ProgramData/portway/portway.log
if [ -f "$log" ]; then
  say "monitor log: C:\\ProgramData\\portway\\portway.log ($log); last line:"
  tail -n 1 "$log" | tr -d '\r' | sed 's/^/    /'
fi
[ "$same" = "byte-identical to the sample" ]
