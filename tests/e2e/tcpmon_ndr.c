/* tcpmon_ndr — portway's side of the Samba NDR cross-check of the tcpmon
 * Xcv layout (tests/e2e/tcpmon_ndr.sh, docs/xcv.md "tcpmon-compatible
 * commands"). Built by that script against libpwcore.a; not part of the
 * CMake build.
 *
 *   tcpmon_ndr vectors OUTDIR
 *       writes the PORT_DATA_1 test vectors of the core tests, built by
 *       tests/core/support/tcpmonvec.h's pd1() (offsets written out by
 *       hand), as OUTDIR/pd1-raw.bin and OUTDIR/pd1-lpr.bin.
 *   tcpmon_ndr xcv DATA_DIR PORT_NAME IN_FILE OUT_FILE
 *       a fresh monitor: XcvData "AddPort" with IN_FILE's bytes on an
 *       admin ,XcvMonitor handle, then "GetConfigInfo" (a
 *       CONFIG_INFO_DATA_1 from cid1()) on a ,XcvPort PORT_NAME handle,
 *       whose PORT_DATA_1 goes to OUT_FILE. Prints "addport <RC>",
 *       "config <text, newlines as |>" and "getconfiginfo <RC> <needed>".
 *
 * Exit status 0 when every call was made (the verdicts are the caller's),
 * 1 for a setup failure, 2 for usage. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portway/core.h"
#include "tcpmonvec.h"

/* The smallest store: ports in memory (as bench/raw_core.c, several). */
#define MAXP 8
static char *g_name[MAXP], *g_text[MAXP];

static int find(const char *name) {
  for (int i = 0; i < MAXP; i++)
    if (g_name[i] && strcmp(g_name[i], name) == 0)
      return i;
  return -1;
}
static int st_list(void *ctx, int (*cb)(void *, const char *), void *arg) {
  (void)ctx;
  for (int i = 0; i < MAXP; i++)
    if (g_name[i] && cb(arg, g_name[i]) != 0)
      break;
  return PW_OK;
}
static int st_read(void *ctx, const char *name, char **text) {
  (void)ctx;
  int i = find(name);
  if (i < 0)
    return PW_ENOENT;
  *text = strdup(g_text[i]);
  return *text ? PW_OK : PW_ENOMEM;
}
static int st_write(void *ctx, const char *name, const char *text) {
  (void)ctx;
  int i = find(name);
  for (int j = 0; i < 0 && j < MAXP; j++)
    if (!g_name[j])
      i = j;
  if (i < 0)
    return PW_ENOMEM;
  free(g_name[i]);
  free(g_text[i]);
  g_name[i] = strdup(name);
  g_text[i] = strdup(text);
  return g_name[i] && g_text[i] ? PW_OK : PW_ENOMEM;
}
static int st_delete(void *ctx, const char *name) {
  (void)ctx;
  int i = find(name);
  if (i < 0)
    return PW_ENOENT;
  free(g_name[i]);
  free(g_text[i]);
  g_name[i] = g_text[i] = NULL;
  return PW_OK;
}

static const char *rc_name(int rc) {
  switch (rc) {
  case PW_OK:
    return "OK";
  case PW_ELEVEL:
    return "ELEVEL";
  case PW_EINVAL:
    return "EINVAL";
  case PW_EBADDATA:
    return "EBADDATA";
  case PW_EEXIST:
    return "EEXIST";
  case PW_ENOENT:
    return "ENOENT";
  case PW_ENOBUFS:
    return "ENOBUFS";
  default:
    return "OTHER";
  }
}

static int write_file(const char *dir, const char *name, const uint8_t *b,
                      size_t n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(b, 1, n, f) != n) {
    if (f)
      fclose(f);
    fprintf(stderr, "tcpmon_ndr: cannot write %s\n", path);
    return 1;
  }
  return fclose(f) != 0;
}

static int vectors(const char *dir) {
  uint8_t b[964];
  /* test_xcv_tcpmon_commands.c, add_config_get_and_delete_through_xcv */
  pd1(b, "IP_127.0.0.1", 1, "127.0.0.1", "", "", 9100);
  if (write_file(dir, "pd1-raw.bin", b, sizeof b))
    return 1;
  /* test_xcv_tcpmon.c, port_data_fields_decode_at_their_offsets */
  pd1(b, "IP_10.0.0.9", 2, "host.lan", "10.0.0.9", "q1", 1234);
  put32(b, 308, 1); /* dwDoubleSpool */
  return write_file(dir, "pd1-lpr.bin", b, sizeof b);
}

static int xcv(const char *data_dir, const char *port, const char *in_path,
               const char *out_path) {
  static uint8_t in[65536];
  FILE *f = fopen(in_path, "rb");
  if (!f)
    return 1;
  size_t len = fread(in, 1, sizeof in, f);
  fclose(f);
  /* An exact-size copy, so a sanitizer build sees any read past len. */
  uint8_t *copy = exact(in, len);
  pw_store store = {NULL, st_list, st_read, st_write, st_delete,
                    NULL, NULL,    NULL,    NULL};
  pw_monitor_options opt = {
      .name = "portway", .data_dir = data_dir, .store = &store};
  pw_monitor *mon;
  pw_handle hm, hp;
  if (!copy || pw_monitor_create(&opt, &mon) != PW_OK ||
      pw_xcv_open(mon, "portway", PW_SERVER_ACCESS_ADMINISTER, &hm) != PW_OK) {
    fprintf(stderr, "tcpmon_ndr: monitor setup failed\n");
    return 1;
  }
  size_t needed = 0;
  int rc = pw_xcv_data(hm, "AddPort", copy, len, NULL, 0, &needed);
  free(copy);
  printf("addport %s\n", rc_name(rc));
  char *text = NULL;
  if (pw_monitor_get_port_config(mon, port, &text) == PW_OK) {
    for (char *p = text; *p; p++)
      if (*p == '\n')
        *p = '|';
    printf("config %s\n", text);
    free(text);
  } else {
    printf("config -\n");
  }
  uint8_t ci[132], out[1024];
  cid1(ci);
  if (pw_xcv_open(mon, port, PW_SERVER_ACCESS_ADMINISTER, &hp) == PW_OK) {
    rc = pw_xcv_data(hp, "GetConfigInfo", ci, sizeof ci, out, sizeof out,
                     &needed);
    printf("getconfiginfo %s %zu\n", rc_name(rc), needed);
    if (rc == PW_OK && needed <= sizeof out) {
      FILE *o = fopen(out_path, "wb");
      if (!o || fwrite(out, 1, needed, o) != needed)
        rc = PW_EINVAL;
      if (o)
        fclose(o);
    }
    pw_xcv_close(hp);
  } else {
    printf("getconfiginfo - 0\n");
  }
  pw_xcv_close(hm);
  pw_monitor_destroy(mon);
  pw_core_cleanup();
  for (int i = 0; i < MAXP; i++) {
    free(g_name[i]);
    free(g_text[i]);
  }
  return 0;
}

int main(int argc, char **argv) {
  /* test.h comes with tcpmonvec.h; its runner is not used here. */
  (void)pw_test_failed_;
  (void)pw_test_run_;
  if (argc == 3 && strcmp(argv[1], "vectors") == 0)
    return vectors(argv[2]);
  if (argc == 6 && strcmp(argv[1], "xcv") == 0)
    return xcv(argv[2], argv[3], argv[4], argv[5]);
  fprintf(stderr, "usage: tcpmon_ndr vectors OUTDIR\n"
                  "       tcpmon_ndr xcv DATA_DIR PORT_NAME IN OUT\n");
  return 2;
}
