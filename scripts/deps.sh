#!/usr/bin/env bash
# deps.sh [demo|test] — make sure the tools portway builds and tests with are
# installed. As root on Debian, installs what is missing with apt-get; as any
# other user, prints the one command to run and fails.
set -euo pipefail
what=${1:-test}

# command -> Debian package
declare -A need=(
  [cmake]=cmake [make]=make [gcc]=gcc
  [x86_64-w64-mingw32-gcc]=gcc-mingw-w64-x86-64
  [x86_64-w64-mingw32-objdump]=binutils-mingw-w64-x86-64
  [wine]=wine
)
if [ "$what" = test ]; then
  need+=([clang]=clang [clang-format]=clang-format [valgrind]=valgrind
         [cppcheck]=cppcheck [clang-tidy]=clang-tidy
         [python3]=python3  # tests/e2e/rawsink.py, the RAW printer
         [unshare]=util-linux [ss]=iproute2 # tests/e2e/lpd_peer.sh
         # tests/e2e/ui_xvfb.sh: a virtual X server, keystrokes, screenshots
         [Xvfb]=xvfb [xdotool]=xdotool [import]=imagemagick
         [identify]=imagemagick)
fi

missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
# libFuzzer and the sanitizer runtimes for clang.
if [ "$what" = test ] && ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  missing+=(libclang-rt-dev)
fi
# BSD lpd, the real LPD server of tests/e2e/lpd_peer.sh (in /usr/sbin, which
# is not on every user's PATH). Debian's /etc/default/lpd starts the system's
# lpd with -s (no TCP); the test runs its own on 127.0.0.1.
if [ "$what" = test ] && [ ! -x /usr/sbin/lpd ]; then
  missing+=(lpr)
fi
# OpenSSL, the native TLS of ipps:// (the DLL uses Windows' Schannel), and
# its command line, which the TLS tests make certificates with.
if [ ! -f /usr/include/openssl/ssl.h ]; then
  missing+=(libssl-dev)
fi
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# Samba's NDR packing of the tcpmon structures, the reference of
# tests/e2e/tcpmon_ndr.sh (Debian's /usr/bin/python3: the package's modules
# live there, not in another python3 on PATH).
if [ "$what" = test ] &&
  ! /usr/bin/python3 -c 'import samba.dcerpc.spoolss' >/dev/null 2>&1; then
  missing+=(python3-samba)
fi
# CUPS's ippeveprinter, the real IPP printer of tests/e2e/ipp_peer.sh, and
# the D-Bus and avahi it will not start without (both run privately there).
if [ "$what" = test ]; then
  command -v ippeveprinter >/dev/null 2>&1 || missing+=(cups-ipp-utils)
  command -v avahi-daemon >/dev/null 2>&1 || missing+=(avahi-daemon)
  command -v dbus-daemon >/dev/null 2>&1 || missing+=(dbus-daemon)
fi
# Ghostscript and pdfinfo: the program port's PostScript-to-PDF test
# (tests/core/test_dest_pipe.c).
if [ "$what" = test ]; then
  command -v gs >/dev/null 2>&1 || missing+=(ghostscript)
  command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
fi
# mingw-w64's headers (winsplp.h) come with mingw-w64-x86-64-dev.
if [ ! -f /usr/share/mingw-w64/include/winsplp.h ]; then
  missing+=(mingw-w64-x86-64-dev)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

# De-duplicate, keep order stable.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ]; then
  echo "portway needs: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
