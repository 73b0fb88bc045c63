/* portway tests — a monitor instance over a memstore in a scratch folder. */
#ifndef PORTWAY_TEST_FIXTURE_H
#define PORTWAY_TEST_FIXTURE_H

#include "memstore.h"
#include "portway/core.h"

typedef struct fixture {
  memstore ms;
  char *dir;     /* scratch root */
  char *datadir; /* <dir>/data */
  char *outdir;  /* <dir>/out */
  pw_monitor *mon;
  unsigned delivered; /* job_delivered hook calls */
  char last_printer[64];
  uint32_t last_job;
  unsigned status_changes; /* port_status hook calls */
  pw_port_status_code last_status;
  pw_port_severity last_severity;
  char last_status_port[64];
  char last_status_text[200];
  uint32_t close_wait_ms; /* 0: the default; set before fixture_start */
} fixture;

/* Returns 0 on success. */
int fixture_setup(fixture *fx, const char *tag);
/* Create the monitor (again) over the same store. */
int fixture_start(fixture *fx);
void fixture_stop(fixture *fx);
void fixture_teardown(fixture *fx);
/* "uri=file://<outdir>\npattern=<pattern>\n" in a static buffer. */
const char *fixture_file_config(const fixture *fx, const char *pattern);

#endif
