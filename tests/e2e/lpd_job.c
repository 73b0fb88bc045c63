/* lpd_job — one job through portway's core to a port given by its config
 * text, as the spooler drives the DLL: OpenPort, StartDocPort, WritePort in
 * 4 KB pieces, EndDocPort, ClosePort. Used by tests/e2e/lpd_peer.sh against
 * a real LPD server on loopback (built by that script against
 * build/bench-native/libpwcore.a; not part of the CMake build).
 *
 *   lpd_job DATA_DIR FILE JOB_ID USER MACHINE DOC CONFIG_LINE...
 *
 * CONFIG_LINEs are the port's key=value lines (uri=lpd://..., bytecount=...).
 * The monitor's log is DATA_DIR/portway.log. Prints "delivered N bytes" and
 * exits 0, or prints "<step> failed: <error>" and exits 3 (StartDocPort),
 * 4 (WritePort) or 5 (EndDocPort); 1 for a setup failure, 2 for usage. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portway/core.h"

/* The smallest store: one port, in memory (as bench/raw_core.c). */
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

int main(int argc, char **argv) {
  if (argc < 8) {
    fprintf(stderr, "usage: lpd_job DATA_DIR FILE JOB_ID USER MACHINE DOC "
                    "CONFIG_LINE...\n");
    return 2;
  }
  char cfg[2048] = "";
  size_t used = 0;
  for (int i = 7; i < argc; i++) {
    int n = snprintf(cfg + used, sizeof cfg - used, "%s\n", argv[i]);
    if (n < 0 || (size_t)n >= sizeof cfg - used)
      return 2;
    used += (size_t)n;
  }
  FILE *in = fopen(argv[2], "rb");
  if (!in) {
    fprintf(stderr, "lpd_job: cannot open %s\n", argv[2]);
    return 1;
  }
  pw_store store = {NULL, st_list, st_read, st_write, st_delete,
                    NULL, NULL,    NULL,    NULL};
  pw_monitor_options opt = {
      .name = "portway", .data_dir = argv[1], .store = &store};
  pw_monitor *mon;
  if (pw_monitor_create(&opt, &mon) != PW_OK) {
    fprintf(stderr, "lpd_job: pw_monitor_create failed\n");
    return 1;
  }
  char err[512] = "";
  pw_handle h;
  int rc = pw_monitor_add_port(mon, "PWLPD:", cfg, err, sizeof err);
  if (rc != PW_OK || pw_port_open(mon, "PWLPD:", &h) != PW_OK) {
    fprintf(stderr, "lpd_job: add/open port failed: %s %s\n", pw_strerror(rc),
            err);
    return 1;
  }
  pw_doc_info doc = {"lpd-peer", (uint32_t)strtoul(argv[3], NULL, 10),
                     argv[6],    argv[4],
                     argv[5],    "RAW"};
  static unsigned char buf[4096];
  unsigned long long total = 0;
  int status = 0;
  rc = pw_port_start_doc(h, &doc);
  if (rc != PW_OK) {
    printf("StartDocPort failed: %s\n", pw_strerror(rc));
    status = 3;
  }
  while (status == 0) {
    size_t n = fread(buf, 1, sizeof buf, in), w = 0;
    if (n == 0)
      break;
    rc = pw_port_write(h, buf, n, &w);
    total += w;
    if (rc != PW_OK) {
      printf("WritePort failed after %llu bytes: %s\n", total, pw_strerror(rc));
      status = 4;
    }
  }
  if (status == 0 && ferror(in)) {
    fprintf(stderr, "lpd_job: read error on %s\n", argv[2]);
    status = 1;
  }
  if (status == 0) {
    rc = pw_port_end_doc(h);
    if (rc != PW_OK) {
      printf("EndDocPort failed: %s\n", pw_strerror(rc));
      status = 5;
    }
  }
  pw_port_close(h);
  pw_monitor_destroy(mon);
  pw_core_cleanup();
  fclose(in);
  free(g_name);
  free(g_text);
  if (status == 0)
    printf("delivered %llu bytes\n", total);
  return status;
}
