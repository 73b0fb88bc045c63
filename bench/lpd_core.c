/* lpd_core — one LPD job through portway's core (not a test), as
 * bench/raw_core.c does for RAW: OpenPort, StartDocPort, WritePort in 4 KB
 * pieces, EndDocPort, ClosePort, natively, the job FILE mapped into memory
 * (so the harness costs no read() per 4 KB).
 *
 *   lpd_core URI FILE [CHUNK [CONFIG_LINE...]]
 *
 * URI is lpd://HOST:PORT/QUEUE; CONFIG_LINEs are more of the port's
 * key=value lines (bytecount=false, ...). The monitor's data folder (the
 * byte-counting spool file and the log) is $PW_BENCH_DATA_DIR, default
 * /tmp/portway-bench-lpd. Prints "<bytes> bytes in <s> s: <MB/s> MB/s"
 * (MB = 2^20), timed from StartDocPort to the return of EndDocPort (the
 * server acknowledged the data and control files). Loopback only in
 * bench/lpd.sh. */
#include <stdio.h>
#include <stdlib.h>

#include "core_job.h"

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: lpd_core URI FILE [CHUNK [CONFIG_LINE...]]\n");
    return 2;
  }
  size_t chunk = argc >= 4 ? (size_t)strtoul(argv[3], NULL, 10) : 4096;
  char cfg[2048];
  if (bench_config(cfg, sizeof cfg, argv[1], argv + 4,
                   argc > 4 ? argc - 4 : 0) != 0)
    return 2;
  bench_job j;
  if (bench_core_job("lpd_core", cfg, argv[2], chunk, "lpd",
                     "/tmp/portway-bench-lpd", &j) != 0)
    return 1;
  bench_print(&j, 0);
  return 0;
}
