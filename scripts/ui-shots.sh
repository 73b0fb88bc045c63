#!/usr/bin/env bash
# ui-shots.sh BUILD_DIR — regenerate the screenshots of docs/port-ui.md
# (docs/ui/*.png) with the UI test itself (tests/e2e/ui_xvfb.sh): it runs the
# dialogs under Xvfb, then the chosen shots are reduced to 64-colour PNGs.
# `make ui-shots` runs it on build/win.
set -euo pipefail
[ $# -eq 1 ] || {
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
}
cd "$(dirname "$0")/.."
shots=$PWD/build/ui-shots
PW_UI_SHOTS=$shots tests/e2e/ui_xvfb.sh "$1"
mkdir -p docs/ui
for f in add-file add-raw add-raw-test-refused add-error-exists configure-raw-test-refused \
  configure-readonly delete-confirm delete-in-use; do
  convert "$shots/$f.png" -strip -colors 64 "PNG8:docs/ui/$f.png"
done
ls -l docs/ui
