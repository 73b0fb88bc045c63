/* raw_core — one RAW job through portway's core (not a test): the same
 * calls the DLL makes (OpenPort, StartDocPort, WritePort in 4 KB pieces,
 * EndDocPort with waiteof, ClosePort), natively, the job being FILE mapped
 * into memory (so the harness costs no read() per 4 KB: what is measured is
 * portway, fed as the spooler feeds it).
 *
 *   raw_core HOST PORT FILE [CHUNK]   (WritePort size, default 4096)
 *
 * Prints "<bytes> bytes in <s> s: <MB/s> MB/s" (MB = 2^20), timed from
 * StartDocPort to the return of EndDocPort (the printer closed: it read
 * everything). Loopback only in bench/raw.sh. */
#include <stdio.h>
#include <stdlib.h>

#include "core_job.h"

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: raw_core HOST PORT FILE [CHUNK]\n");
    return 2;
  }
  char uri[512];
  snprintf(uri, sizeof uri, "socket://%s:%s", argv[1], argv[2]);
  char cfg[600];
  if (bench_config(cfg, sizeof cfg, uri, NULL, 0) != 0)
    return 2;
  size_t chunk = argc == 5 ? (size_t)strtoul(argv[4], NULL, 10) : 4096;
  bench_job j;
  if (bench_core_job("raw_core", cfg, argv[3], chunk, "raw",
                     "/tmp/portway-bench-raw", &j) != 0)
    return 1;
  bench_print(&j, 0);
  return 0;
}
