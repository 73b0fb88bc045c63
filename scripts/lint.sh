#!/usr/bin/env bash
# lint.sh BUILD_DIR — static analysis of the portable core, the platform
# layer and the tests with cppcheck and clang-tidy, using the compile
# commands of a native build. Any finding fails.
set -euo pipefail
build=${1:-build/native}
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/core/*.c' 'src/core/**/*.c' 'src/platform/posix/*.c' 'tests/core/*.c' 'tests/core/**/*.c' 'fuzz/*.c' | sort -u)
echo "== cppcheck"
cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
  --enable=warning,performance,portability \
  --suppress=missingIncludeSystem \
  -I include -I src -I tests -I tests/core/support $files
# The Windows sides (front, win32 platform, tools, their tests) need
# mingw's headers to compile, so only cppcheck reads them, configured as
# win64; system headers are not followed.
echo "== cppcheck (Windows code)"
cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr --platform=win64 \
  -D_WIN32 -D_WIN64 -DUNICODE -D__MINGW32__ \
  --enable=warning,performance,portability \
  --suppress=missingIncludeSystem \
  -I include -I src -I tests -I tests/monitor/support \
  $(git ls-files 'src/monitor/*.c' 'src/platform/win32/*.c' 'tools/*.c' 'bench/*.c' 'tests/monitor/*.c')

# clang-tidy on product code only: tests return early from failed asserts by
# design, which its leak checker reports on every ASSERT.
echo "== clang-tidy"
status=0
for f in $files; do
  case "$f" in fuzz/* | tests/*) continue ;; esac
  clang-tidy -quiet -p "$build" "$f" 2>/dev/null || status=1
done
[ $status -eq 0 ] && echo "static analysis clean"
exit $status
