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
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "portway/core.h"

/* The smallest store: one port, in memory. */
static char *g_name, *g_text;

static int st_list(void *ctx, int (*cb)(void *, const char *), void *arg) {
  (void)ctx;
  if (g_name)
    cb(arg, g_name);
  return PW_OK;
}
static int st_read(void *ctx, const char *name, char **text) {
  (void)ctx;
  if (!g_name || strcmp(name, g_name) != 0)
    return PW_ENOENT;
  *text = strdup(g_text);
  return *text ? PW_OK : PW_ENOMEM;
}
static int st_write(void *ctx, const char *name, const char *text) {
  (void)ctx;
  free(g_name);
  free(g_text);
  g_name = strdup(name);
  g_text = strdup(text);
  return g_name && g_text ? PW_OK : PW_ENOMEM;
}
static int st_delete(void *ctx, const char *name) {
  (void)ctx;
  (void)name;
  return PW_OK;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: raw_core HOST PORT FILE [CHUNK]\n");
    return 2;
  }
  size_t chunk = argc == 5 ? (size_t)strtoul(argv[4], NULL, 10) : 4096;
  if (chunk == 0 || chunk > 16u * 1048576u)
    return 2;
  pw_store store = {NULL, st_list, st_read, st_write, st_delete,
                    NULL, NULL,    NULL,    NULL};
  /* The log and spool go to $PW_RAW_DATA_DIR if set (tests read the log). */
  const char *data_dir = getenv("PW_RAW_DATA_DIR");
  pw_monitor_options opt = {.name = "portway",
                            .data_dir =
                                data_dir ? data_dir : "/tmp/portway-bench-raw",
                            .store = &store};
  pw_monitor *mon;
  if (pw_monitor_create(&opt, &mon) != PW_OK)
    return 1;
  char cfg[300];
  snprintf(cfg, sizeof cfg, "uri=socket://%s:%s\n", argv[1], argv[2]);
  pw_handle h;
  int fd = open(argv[3], O_RDONLY);
  if (fd < 0 || pw_monitor_add_port(mon, "PWR:", cfg, NULL, 0) != PW_OK ||
      pw_port_open(mon, "PWR:", &h) != PW_OK) {
    fprintf(stderr, "raw_core: setup failed\n");
    return 1;
  }
  pw_doc_info doc = {"bench", 1, "raw", "bench", "bench", "RAW"};
  struct stat sb;
  if (fstat(fd, &sb) != 0 || sb.st_size <= 0)
    return 1;
  size_t size = (size_t)sb.st_size;
  const unsigned char *job =
      mmap(NULL, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (job == MAP_FAILED)
    return 1;
  (void)madvise((void *)job, size, MADV_SEQUENTIAL);
  unsigned long long total = 0;
  double t0 = now_s();
  int rc = pw_port_start_doc(h, &doc);
  for (size_t off = 0; rc == PW_OK && off < size; off += chunk) {
    size_t n = size - off < chunk ? size - off : chunk, w = 0;
    rc = pw_port_write(h, job + off, n, &w);
    total += w;
  }
  if (rc == PW_OK)
    rc = pw_port_end_doc(h);
  double t = now_s() - t0;
  pw_port_close(h);
  pw_monitor_destroy(mon);
  pw_core_cleanup();
  munmap((void *)job, size);
  close(fd);
  free(g_name);
  free(g_text);
  if (rc != PW_OK) {
    fprintf(stderr, "raw_core: %s\n", pw_strerror(rc));
    return 1;
  }
  printf("%llu bytes in %.3f s: %.1f MB/s\n", total, t,
         (double)total / 1048576.0 / t);
  return 0;
}
