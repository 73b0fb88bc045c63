/* pipe_core — one job through a program port (pipe:) of portway's core (not
 * a test), as bench/lpd_core.c does for LPD: OpenPort, StartDocPort (the
 * program starts), WritePort in CHUNK pieces into its stdin, EndDocPort
 * (stdin closed, the program's exit waited for: 0 means delivered),
 * ClosePort, natively, the job FILE mapped into memory and pre-faulted (so
 * the harness costs no read() and no page fault per 4 KB).
 *
 *   pipe_core FILE CHUNK CONFIG_LINE...
 *
 * CONFIG_LINEs are the port's key=value lines, uri=pipe:///PROGRAM first
 * (args=..., output=..., pattern=...; docs/pipe-port.md). The document name
 * is "bench". The monitor's data folder (the log) is $PW_BENCH_DATA_DIR,
 * default /tmp/portway-bench-pipe. Prints "<bytes> bytes in <s> s: <MB/s>
 * MB/s" (MB = 2^20), timed from StartDocPort to the return of EndDocPort.
 * bench/pipe.sh drives it. */
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
  if (argc < 4) {
    fprintf(stderr, "usage: pipe_core FILE CHUNK CONFIG_LINE...\n");
    return 2;
  }
  size_t chunk = (size_t)strtoul(argv[2], NULL, 10);
  if (chunk == 0 || chunk > 16u * 1048576u)
    return 2;
  char cfg[4096];
  size_t used = 0;
  for (int i = 3; i < argc; i++) {
    int n = snprintf(cfg + used, sizeof cfg - used, "%s\n", argv[i]);
    if (n < 0 || (size_t)n >= sizeof cfg - used)
      return 2;
    used += (size_t)n;
  }
  pw_store store = {NULL, st_list, st_read, st_write, st_delete,
                    NULL, NULL,    NULL,    NULL};
  const char *data_dir = getenv("PW_BENCH_DATA_DIR");
  pw_monitor_options opt = {.name = "portway",
                            .data_dir =
                                data_dir ? data_dir : "/tmp/portway-bench-pipe",
                            .store = &store};
  pw_monitor *mon;
  if (pw_monitor_create(&opt, &mon) != PW_OK)
    return 1;
  char err[512] = "";
  pw_handle h;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0 ||
      pw_monitor_add_port(mon, "PWP:", cfg, err, sizeof err) != PW_OK ||
      pw_port_open(mon, "PWP:", &h) != PW_OK) {
    fprintf(stderr, "pipe_core: setup failed %s\n", err);
    return 1;
  }
  pw_doc_info doc = {"bench", 1, "bench", "bench", "bench", "RAW"};
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
  int end_rc = rc == PW_OK ? pw_port_end_doc(h) : PW_OK;
  double t = now_s() - t0;
  if (rc == PW_OK)
    rc = end_rc;
  pw_port_close(h);
  pw_monitor_destroy(mon);
  pw_core_cleanup();
  munmap((void *)job, size);
  close(fd);
  free(g_name);
  free(g_text);
  if (rc != PW_OK) {
    fprintf(stderr, "pipe_core: %s\n", pw_strerror(rc));
    return 1;
  }
  printf("%llu bytes in %.3f s: %.1f MB/s\n", total, t,
         (double)total / 1048576.0 / t);
  return 0;
}
