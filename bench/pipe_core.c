/* pipe_core — one job through a program port (pipe:) of portway's core (not
 * a test), as bench/lpd_core.c does for LPD: OpenPort, StartDocPort (the
 * program starts), WritePort in CHUNK pieces into its stdin, EndDocPort
 * (stdin closed, the program's exit waited for: 0 means delivered),
 * ClosePort, natively, the job FILE mapped into memory (core_job.h).
 *
 *   pipe_core FILE CHUNK CONFIG_LINE...
 *
 * CONFIG_LINEs are the port's key=value lines, uri=pipe:///PROGRAM first
 * (args=..., output=..., pattern=...; docs/pipe-port.md). The document name
 * is "bench". The monitor's data folder (the log) is $PW_BENCH_DATA_DIR,
 * default /tmp/portway-bench-pipe. Prints "<bytes> bytes in <s> s: <MB/s>
 * MB/s" (MB = 2^20), timed from StartDocPort to the return of EndDocPort.
 * bench/pipe.sh drives it. */
#include <stdio.h>
#include <stdlib.h>

#include "core_job.h"

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: pipe_core FILE CHUNK CONFIG_LINE...\n");
    return 2;
  }
  size_t chunk = (size_t)strtoul(argv[2], NULL, 10);
  char cfg[4096];
  if (bench_config(cfg, sizeof cfg, NULL, argv + 3, argc - 3) != 0)
    return 2;
  bench_job j;
  if (bench_core_job("pipe_core", cfg, argv[1], chunk, "bench",
                     "/tmp/portway-bench-pipe", &j) != 0)
    return 1;
  bench_print(&j, 0);
  return 0;
}
