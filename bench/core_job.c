/* portway bench — one job through portway's core (core_job.h). */
#define _DEFAULT_SOURCE
#include "core_job.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

int bench_config(char *cfg, size_t cap, const char *uri, char **lines, int n) {
  int used = uri ? snprintf(cfg, cap, "uri=%s\n", uri) : 0;
  if (!uri && cap)
    cfg[0] = '\0';
  for (int i = 0; i < n && used >= 0 && (size_t)used < cap; i++)
    used += snprintf(cfg + used, cap - (size_t)used, "%s\n", lines[i]);
  return used < 0 || (size_t)used >= cap ? -1 : 0;
}

int bench_core_job(const char *tool, const char *cfg, const char *file,
                   size_t chunk, const char *doc_name, const char *data_dir,
                   bench_job *out) {
  memset(out, 0, sizeof *out);
  if (chunk == 0 || chunk > 16u * 1048576u) {
    fprintf(stderr, "%s: bad chunk size\n", tool);
    return 1;
  }
  pw_store store = {NULL, st_list, st_read, st_write, st_delete,
                    NULL, NULL,    NULL,    NULL};
  const char *dir = getenv("PW_BENCH_DATA_DIR");
  pw_monitor_options opt = {
      .name = "portway", .data_dir = dir ? dir : data_dir, .store = &store};
  pw_monitor *mon = NULL;
  pw_handle h;
  char err[512] = "";
  int fd = open(file, O_RDONLY);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0 || sb.st_size <= 0 ||
      pw_monitor_create(&opt, &mon) != PW_OK ||
      pw_monitor_add_port(mon, "PWB:", cfg, err, sizeof err) != PW_OK ||
      pw_port_open(mon, "PWB:", &h) != PW_OK) {
    fprintf(stderr, "%s: setup failed %s\n", tool, err);
    return 1;
  }
  size_t size = (size_t)sb.st_size;
  const unsigned char *job = mmap(
      NULL, size, PROT_READ,
      MAP_SHARED | (getenv("PW_BENCH_POPULATE") ? MAP_POPULATE : 0), fd, 0);
  if (job == MAP_FAILED)
    return 1;
  (void)madvise((void *)job, size, MADV_SEQUENTIAL);
  pw_doc_info doc = {"bench", 1, doc_name, "bench", "bench", "RAW"};
  double t0 = now_s();
  int rc = pw_port_start_doc(h, &doc);
  double t1 = now_s();
  for (size_t off = 0; rc == PW_OK && off < size; off += chunk) {
    size_t n = size - off < chunk ? size - off : chunk, w = 0;
    rc = pw_port_write(h, job + off, n, &w);
    out->bytes += w;
  }
  double t2 = now_s();
  if (rc == PW_OK)
    rc = pw_port_end_doc(h);
  double t3 = now_s();
  out->start_s = t1 - t0;
  out->write_s = t2 - t1;
  out->end_s = t3 - t2;
  pw_port_close(h);
  pw_monitor_destroy(mon);
  pw_core_cleanup();
  munmap((void *)job, size);
  close(fd);
  free(g_name);
  free(g_text);
  g_name = g_text = NULL;
  if (rc != PW_OK) {
    fprintf(stderr, "%s: %s\n", tool, pw_strerror(rc));
    return 1;
  }
  return 0;
}

void bench_print(const bench_job *j, int phases) {
  double t = j->start_s + j->write_s + j->end_s;
  printf("%llu bytes in %.3f s: %.1f MB/s", j->bytes, t,
         (double)j->bytes / 1048576.0 / t);
  if (phases)
    printf(" (start %.1f ms, write %.1f ms, end %.1f ms)", j->start_s * 1e3,
           j->write_s * 1e3, j->end_s * 1e3);
  printf("\n");
}
