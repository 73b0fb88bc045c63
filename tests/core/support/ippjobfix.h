/* portway tests — helpers shared by test_dest_ipp.c and test_dest_ipp_faults.c
 * (split by concern). */
#ifndef PORTWAY_TEST_IPPJOBFIX_H
#define PORTWAY_TEST_IPPJOBFIX_H

#include <arpa/inet.h>
#include <stdatomic.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "core/dest/ipp.h"
#include "core/ipp.h"
#include "fixture.h"
#include "jobfix.h"
#include "ippserver.h"
#include "test.h"

static const pw_doc_info doc7 = {"Office Printer", 7,     "report.pdf",
                                 "alice",          "ws1", "RAW"};

static inline int add_ipp_port(fixture *fx, int port, const char *extra) {
  char cfg[512];
  snprintf(cfg, sizeof cfg, "uri=ipp://127.0.0.1:%d/ipp/print\n%s", port,
           extra ? extra : "");
  return pw_monitor_add_port(fx->mon, "PWI:", cfg, NULL, 0);
}

/* Request i carried exactly the pattern of `want` bytes. */
static inline int got_pattern(const ipps_request *q, uint64_t want) {
  if (q->doc_len != want || want > IPPS_KEEP_MAX || (want && !q->doc))
    return 0;
  for (uint64_t i = 0; i < want; i++)
    if (q->doc[i] != jobfix_byte(i))
      return 0;
  return 1;
}

static inline int print_job(fixture *fx, uint64_t size) {
  pw_handle h;
  int rc = pw_port_open(fx->mon, "PWI:", &h);
  if (rc != PW_OK)
    return rc;
  rc = pw_port_start_doc(h, &doc7);
  if (rc == PW_OK)
    rc = jobfix_write_pattern(h, size, 4096);
  int end = rc == PW_OK || rc != PW_ESTATE ? pw_port_end_doc(h) : rc;
  (void)pw_port_close(h);
  return rc != PW_OK ? rc : end;
}

/* The job's one Print-Job request with its attributes and the document. */
static inline void check_print_job(const ipps_request *q, int port,
                                   uint64_t size, const char *format) {
  char uri[128];
  snprintf(uri, sizeof uri, "ipp://127.0.0.1:%d/ipp/print", port);
  ASSERT_EQ(q->op, PW_IPP_OP_PRINT_JOB);
  ASSERT_EQ(q->version, PW_IPP_VERSION_2_0);
  ASSERT_STREQ(q->path, "/ipp/print");
  ASSERT_STREQ(q->printer_uri, uri);
  ASSERT_STREQ(q->user, "alice");
  ASSERT_STREQ(q->job_name, "report.pdf");
  ASSERT_STREQ(q->format, format);
  ASSERT(q->chunked);
  ASSERT(q->complete);
  ASSERT(got_pattern(q, size));
}

#endif
