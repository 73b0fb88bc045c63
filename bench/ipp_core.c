/* ipp_core — one IPP job through portway's core (not a test), as
 * bench/lpd_core.c does for LPD: OpenPort, StartDocPort, WritePort in 4 KB
 * pieces, EndDocPort, ClosePort, natively, the job FILE mapped into memory
 * (so the harness costs no read() per 4 KB).
 *
 *   ipp_core URI FILE [CHUNK [CONFIG_LINE...]]
 *
 * URI is ipp://HOST:PORT/RESOURCE; CONFIG_LINEs are more of the port's
 * key=value lines (spool=false, format=application/vnd.hp-pcl, ...). The
 * monitor's data folder (the spool=true temporary file and the log) is
 * $PW_BENCH_DATA_DIR, default /tmp/portway-bench-ipp. Prints "<bytes> bytes
 * in <s> s: <MB/s> MB/s (start <ms> ms, write <ms> ms, end <ms> ms)"
 * (MB = 2^20), timed from StartDocPort to the return of EndDocPort (the
 * printer answered the Print-Job successful-ok, having read the whole
 * document), and that time split into StartDocPort, the WritePorts and
 * EndDocPort. Loopback only in bench/ipp.sh. */
#include <stdio.h>
#include <stdlib.h>

#include "core_job.h"

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: ipp_core URI FILE [CHUNK [CONFIG_LINE...]]\n");
    return 2;
  }
  size_t chunk = argc >= 4 ? (size_t)strtoul(argv[3], NULL, 10) : 4096;
  char cfg[2048];
  if (bench_config(cfg, sizeof cfg, argv[1], argv + 4,
                   argc > 4 ? argc - 4 : 0) != 0)
    return 2;
  bench_job j;
  if (bench_core_job("ipp_core", cfg, argv[2], chunk, "ipp_core",
                     "/tmp/portway-bench-ipp", &j) != 0)
    return 1;
  bench_print(&j, 1);
  return 0;
}
