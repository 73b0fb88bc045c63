# portway — the two commands of the README, and their parts.
#
#   make demo   build portway.dll, install it into a private Wine prefix's
#               spooler, print a document through a file port
#   make test   everything: format, native tests (ASan/UBSan, valgrind),
#               Windows tests under Wine, end-to-end through Wine's spooler,
#               fuzz smoke runs, static analysis
#
# Build trees (all under build/, never anything in ~):
#   build/native   gcc + ASan/UBSan     build/valgrind  gcc, no sanitizer
#   build/fuzz     clang + libFuzzer    build/win       mingw-w64 x86_64
JOBS ?= 2
CMAKE ?= cmake
WIN_TOOLCHAIN := $(CURDIR)/cmake/mingw-w64-x86_64.cmake
FUZZ_SECONDS ?= 20

.PHONY: all demo test deps deps-demo native valgrind-build win fuzz-build \
        fuzz bench bench-raw bench-lpd bench-ipp bench-pipe bench-langmon format format-check lint clean

all: native win

deps:
	@scripts/deps.sh test

deps-demo:
	@scripts/deps.sh demo

native:
	@$(CMAKE) -S . -B build/native -DPW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@$(CMAKE) --build build/native -j$(JOBS)

valgrind-build:
	@$(CMAKE) -S . -B build/valgrind -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@$(CMAKE) --build build/valgrind -j$(JOBS)

win:
	@$(CMAKE) -S . -B build/win -DCMAKE_TOOLCHAIN_FILE=$(WIN_TOOLCHAIN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build/win -j$(JOBS)

fuzz-build:
	@CC=clang $(CMAKE) -S . -B build/fuzz -DPW_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@$(CMAKE) --build build/fuzz -j$(JOBS) --target fuzz_uri fuzz_pattern fuzz_xcv fuzz_ipp fuzz_http1 fuzz_pipe_args fuzz_pjl_status fuzz_bidi_schema

demo: deps-demo win
	@scripts/demo.sh build/win

test: deps
	@scripts/test-all.sh

# The screenshots of docs/port-ui.md (docs/ui/*.png), from the UI test
# (tests/e2e/ui_xvfb.sh: Wine's AddPortW/ConfigurePortW/DeletePortW under Xvfb)
ui-shots: deps win
	@scripts/ui-shots.sh build/win

# Longer fuzzing sessions: make fuzz FUZZ_SECONDS=600
fuzz: deps fuzz-build
	@scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS)

bench: deps-demo win
	@bench/run.sh build/win

# socket:// (RAW) throughput: core vs socat and the CUPS socket backend, DLL vs
# a Winsock loop (needs socat, cups)
bench-raw: deps-demo win
	@$(CMAKE) -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build/bench-native -j$(JOBS) --target raw_core net_sink
	@bench/raw.sh build/win build/bench-native

# lpd:// throughput: core vs the CUPS lpd backend into a fast LPD sink (needs cups)
bench-lpd: deps-demo
	@$(CMAKE) -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build/bench-native -j$(JOBS) --target lpd_core lpd_sink
	@bench/lpd.sh build/bench-native

# ipp:// throughput: core (spooled, streamed) vs the CUPS ipp backend and
# ipptool into CUPS's ippeveprinter (needs cups, cups-ipp-utils, avahi-daemon)
bench-ipp: deps-demo
	@$(CMAKE) -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build/bench-native -j$(JOBS) --target ipp_core
	@bench/ipp.sh build/bench-native

# pipe: (program port) throughput: core into sh -c 'cat > file' vs the shell's
# cat | sh; the DLL under Wine into pwchild.exe vs a CreatePipe feeder
bench-pipe: deps-demo win
	@$(CMAKE) -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build/bench-native -j$(JOBS) --target pipe_core
	@bench/pipe.sh build/win build/bench-native

# The PJL language monitor under Wine: portwaylm.dll over portway's socket
# port vs the port directly, into a native sink; small jobs echoed by the
# PJL printer simulator
bench-langmon: deps-demo win
	@$(CMAKE) -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build/bench-native -j$(JOBS) --target net_sink
	@bench/langmon.sh build/win build/bench-native

# An empty file list is an error (xargs would run clang-format on nothing and
# report success); -r keeps xargs from running it with no files at all.
FORMAT_FILES = git ls-files '*.c' '*.h'

format:
	@files=$$($(FORMAT_FILES)); [ -n "$$files" ] || { echo "format: no C files found" >&2; exit 1; }; \
	printf '%s\n' $$files | xargs -r clang-format -i

format-check:
	@files=$$($(FORMAT_FILES)); [ -n "$$files" ] || { echo "format-check: no C files found" >&2; exit 1; }; \
	printf '%s\n' $$files | xargs -r clang-format --dry-run -Werror

lint: native
	@scripts/lint.sh build/native

clean:
	rm -rf build
