/* portway tests — what the program-port tests share (test_dest_pipe*.c): a
 * /bin/sh port, printing a pattern job through it, reading what a program
 * wrote. Static inline: each test file is its own program. */
#ifndef PORTWAY_TEST_PIPEFIX_H
#define PORTWAY_TEST_PIPEFIX_H

#include <stdio.h>

#include "fixture.h"
#include "jobfix.h"
#include "test.h"

static const pw_doc_info pipefix_doc7 = {"Office", 7,     "report",
                                         "alice",  "ws1", "RAW"};

/* The port "PWP:": /bin/sh with args and more option lines. */
static inline int pipefix_add_sh_port(fixture *fx, const char *args,
                                      const char *extra) {
  char cfg[2048];
  snprintf(cfg, sizeof cfg, "uri=pipe:///bin/sh\nargs=%s\n%s", args,
           extra ? extra : "");
  char why[256] = "";
  int rc = pw_monitor_add_port(fx->mon, "PWP:", cfg, why, sizeof why);
  if (rc != PW_OK)
    fprintf(stderr, "  add-port: %s\n", why);
  return rc;
}

/* One job of `size` pattern bytes on "PWP:": the first failure. */
static inline int pipefix_print(fixture *fx, const pw_doc_info *doc,
                                uint64_t size) {
  pw_handle h;
  int rc = pw_port_open(fx->mon, "PWP:", &h);
  if (rc != PW_OK)
    return rc;
  rc = pw_port_start_doc(h, doc);
  if (rc == PW_OK)
    rc = jobfix_write_pattern(h, size, 4096);
  int end = rc == PW_ESTATE ? rc : pw_port_end_doc(h);
  (void)pw_port_close(h);
  return rc != PW_OK ? rc : end;
}

/* A file's bytes, NUL-terminated; NULL if it cannot be read. */
static inline char *pipefix_slurp(const char *path, long *len) {
  char *data = NULL;
  *len = test_read_file(path, &data);
  if (*len >= 0)
    data[*len] = '\0';
  return *len >= 0 ? data : NULL;
}

static inline void pipefix_path_in(const fixture *fx, const char *name,
                                   char *out, size_t cap) {
  snprintf(out, cap, "%s/%s", fx->outdir, name);
}

#endif
