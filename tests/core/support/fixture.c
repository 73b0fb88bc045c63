/* portway tests — monitor fixture. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void on_delivered(void *ctx, pw_monitor *mon, const char *printer,
                         uint32_t job_id) {
  fixture *fx = ctx;
  (void)mon;
  fx->delivered++;
  snprintf(fx->last_printer, sizeof fx->last_printer, "%s", printer);
  fx->last_job = job_id;
}

static void on_status(void *ctx, pw_monitor *mon, const char *port,
                      const pw_port_status *status) {
  fixture *fx = ctx;
  (void)mon;
  fx->status_changes++;
  fx->last_status = status->code;
  fx->last_severity = status->severity;
  snprintf(fx->last_status_port, sizeof fx->last_status_port, "%s", port);
  snprintf(fx->last_status_text, sizeof fx->last_status_text, "%s",
           status->text ? status->text : "");
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%s", a, b);
  return p;
}

int fixture_setup(fixture *fx, const char *tag) {
  memset(fx, 0, sizeof *fx);
  memstore_init(&fx->ms);
  fx->dir = test_tmpdir(tag);
  if (!fx->dir)
    return -1;
  fx->datadir = join(fx->dir, "data");
  fx->outdir = join(fx->dir, "out");
  if (!fx->datadir || !fx->outdir || mkdir(fx->outdir, 0755) != 0)
    return -1;
  return fixture_start(fx);
}

int fixture_start(fixture *fx) {
  pw_hooks hooks = {
      .ctx = fx, .port_status = on_status, .job_delivered = on_delivered};
  pw_monitor_options opt = {.name = "portway",
                            .data_dir = fx->datadir,
                            .store = &fx->ms.store,
                            .hooks = &hooks,
                            .ui_dll = "portwayui.dll",
                            .close_wait_ms = fx->close_wait_ms};
  return pw_monitor_create(&opt, &fx->mon) == PW_OK ? 0 : -1;
}

void fixture_stop(fixture *fx) {
  pw_monitor_destroy(fx->mon);
  fx->mon = NULL;
}

void fixture_teardown(fixture *fx) {
  fixture_stop(fx);
  pw_core_cleanup();
  if (fx->dir)
    test_rmtree(fx->dir);
  free(fx->dir);
  free(fx->datadir);
  free(fx->outdir);
  memstore_free(&fx->ms);
}

const char *fixture_file_config(const fixture *fx, const char *pattern) {
  static char buf[2048];
  snprintf(buf, sizeof buf, "uri=file://%s\npattern=%s\n", fx->outdir,
           pattern ? pattern : "{port}-{job}-{n}.prn");
  return buf;
}
