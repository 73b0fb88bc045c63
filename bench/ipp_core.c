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
  if (argc < 3) {
    fprintf(stderr, "usage: ipp_core URI FILE [CHUNK [CONFIG_LINE...]]\n");
    return 2;
  }
  size_t chunk = argc >= 4 ? (size_t)strtoul(argv[3], NULL, 10) : 4096;
  if (chunk == 0 || chunk > 16u * 1048576u)
    return 2;
  char cfg[2048];
  int used = snprintf(cfg, sizeof cfg, "uri=%s\n", argv[1]);
  for (int i = 4; i < argc && used > 0 && (size_t)used < sizeof cfg; i++)
    used += snprintf(cfg + used, sizeof cfg - (size_t)used, "%s\n", argv[i]);
  if (used <= 0 || (size_t)used >= sizeof cfg)
    return 2;
  pw_store store = {NULL, st_list, st_read, st_write, st_delete,
                    NULL, NULL,    NULL,    NULL};
  const char *data_dir = getenv("PW_BENCH_DATA_DIR");
  pw_monitor_options opt = {.name = "portway",
                            .data_dir =
                                data_dir ? data_dir : "/tmp/portway-bench-ipp",
                            .store = &store};
  pw_monitor *mon;
  if (pw_monitor_create(&opt, &mon) != PW_OK)
    return 1;
  char err[512] = "";
  pw_handle h;
  int fd = open(argv[2], O_RDONLY);
  if (fd < 0 ||
      pw_monitor_add_port(mon, "PWI:", cfg, err, sizeof err) != PW_OK ||
      pw_port_open(mon, "PWI:", &h) != PW_OK) {
    fprintf(stderr, "ipp_core: setup failed %s\n", err);
    return 1;
  }
  pw_doc_info doc = {"bench", 1, "ipp_core", "bench", "bench", "RAW"};
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
  double t1 = now_s();
  for (size_t off = 0; rc == PW_OK && off < size; off += chunk) {
    size_t n = size - off < chunk ? size - off : chunk, w = 0;
    rc = pw_port_write(h, job + off, n, &w);
    total += w;
  }
  double t2 = now_s();
  if (rc == PW_OK)
    rc = pw_port_end_doc(h);
  double t3 = now_s(), t = t3 - t0;
  pw_port_close(h);
  pw_monitor_destroy(mon);
  pw_core_cleanup();
  munmap((void *)job, size);
  close(fd);
  free(g_name);
  free(g_text);
  if (rc != PW_OK) {
    fprintf(stderr, "ipp_core: %s\n", pw_strerror(rc));
    return 1;
  }
  printf("%llu bytes in %.3f s: %.1f MB/s (start %.1f ms, write %.1f ms, end "
         "%.1f ms)\n",
         total, t, (double)total / 1048576.0 / t, (t1 - t0) * 1e3,
         (t2 - t1) * 1e3, (t3 - t2) * 1e3);
  return 0;
}
