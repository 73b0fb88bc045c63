/* ipp:// ports, continued from test_dest_ipp.c: what a printer refuses or
 * breaks - check=true refusals, a printer that is down, a reset in the
 * middle of a job (streamed and spooled, with Cancel-Job), a stall, and
 * ClosePort during the wait for a busy printer - against the scripted
 * printer on loopback (support/ippserver.c). Helpers: support/ippjobfix.h,
 * support/jobfix.h. Loopback only. */
#define _DEFAULT_SOURCE
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
#include "ippjobfix.h"

TEST(check_refuses_at_start_a_printer_not_accepting_jobs) {
  fixture fx;
  ippserver s = {0};
  s.not_accepting = 1;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-paused"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "check=true\n"), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_EREJECTED);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(jobfix_log_has(&fx, "is not accepting jobs (idle: paused)"));
  ASSERT_EQ(s.print_jobs, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(check_refuses_at_start_a_format_the_printer_does_not_support) {
  fixture fx;
  ippserver s = {0};
  s.formats = "application/pdf";
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-format"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "check=true\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, 10), PW_EREJECTED);
  ASSERT(jobfix_log_has(&fx, "does not support document-format "
                             "application/octet-stream"));
  ASSERT_EQ(s.print_jobs, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_printer_that_is_down_fails_start_doc_after_bounded_retries) {
  fixture fx;
  int port = jobfix_dead_port();
  ASSERT(port > 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-down"), 0);
  ASSERT_EQ(add_ipp_port(&fx, port, "retries=0\n"), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_ECONNREFUSED);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(jobfix_log_has(&fx, "connection refused"));
  fixture_teardown(&fx);
}

TEST(a_reset_in_the_middle_of_a_streamed_job_fails_the_write) {
  fixture fx;
  ippserver s = {0};
  s.misbehave = IPPS_RESET_MID_DOC;
  s.reset_after = 100000;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-reset"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=false\n"), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  int rc = jobfix_write_pattern(h, 8u << 20, 4096);
  ASSERT(rc != PW_OK);
  ASSERT(pw_port_end_doc(h) != PW_OK); /* never success for a cut job */
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  /* The created job is cancelled, so the printer does not wait for it. */
  ASSERT_EQ(ippserver_wait(&s, 3), 0);
  ASSERT_EQ(s.req[1].op, PW_IPP_OP_CREATE_JOB);
  ASSERT_EQ(s.req[2].op, PW_IPP_OP_SEND_DOCUMENT);
  ASSERT(!s.req[2].complete);
  ASSERT_EQ(s.req[3].op, PW_IPP_OP_CANCEL_JOB);
  ASSERT_EQ(s.req[3].job_id, 41);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_reset_while_a_spooled_job_is_sent_fails_the_job) {
  fixture fx;
  ippserver s = {0};
  s.misbehave = IPPS_RESET_MID_DOC;
  s.reset_after = 100000;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-reset-spool"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=true\n"), PW_OK);
  ASSERT(print_job(&fx, 8u << 20) != PW_OK);
  ASSERT_EQ(s.print_jobs, 1); /* not retried: it may have printed */
  ASSERT(jobfix_log_has(&fx, "cannot send the job to 127.0.0.1:"));
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_stalled_printer_trips_the_write_time_out) {
  fixture fx;
  ippserver s = {0};
  s.misbehave = IPPS_STALL;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-stall"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=false\ntimeout=1\n"), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  uint64_t t0 = pw_time_monotonic_ns();
  int rc = jobfix_write_pattern(h, 64u << 20, 4096);
  uint64_t ms = (pw_time_monotonic_ns() - t0) / 1000000u;
  ASSERT_EQ(rc, PW_ETIMEDOUT);
  ASSERT(ms < 20000);
  ASSERT(pw_port_end_doc(h) != PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

typedef struct ender {
  pw_handle h;
  atomic_int rc;
} ender;

static void end_doc_main(void *arg) {
  ender *e = arg;
  atomic_store(&e->rc, pw_port_end_doc(e->h));
}

TEST(close_port_ends_the_wait_for_a_busy_printer_at_once) {
  /* EndDocPort backs off on a busy printer; ClosePort from another thread
   * (the spooler's) ends that wait at once. */
  fixture fx;
  ippserver s = {0};
  for (unsigned i = 0; i < IPPS_MAX_REQ; i++)
    s.status[i] = PW_IPP_STATUS_SERVER_ERROR_BUSY;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-busy-close"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=true\nbusywait=600\n"), PW_OK);
  ender e = {0, 1};
  pw_thread *t;
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &e.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(e.h, &doc7), PW_OK);
  ASSERT_EQ(jobfix_write_pattern(e.h, 100, 100), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, end_doc_main, &e), PW_OK);
  for (int i = 0; i < 300 && s.print_jobs < 2; i++)
    usleep(10000); /* busy once, then in the 1 s back-off or after it */
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(pw_port_close(e.h), PW_OK);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT((pw_time_monotonic_ns() - t0) / 1000000u < 3000u);
  ASSERT(atomic_load(&e.rc) != PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST_MAIN(
    TEST_ENTRY(check_refuses_at_start_a_printer_not_accepting_jobs),
    TEST_ENTRY(check_refuses_at_start_a_format_the_printer_does_not_support),
    TEST_ENTRY(a_printer_that_is_down_fails_start_doc_after_bounded_retries),
    TEST_ENTRY(a_reset_in_the_middle_of_a_streamed_job_fails_the_write),
    TEST_ENTRY(a_reset_while_a_spooled_job_is_sent_fails_the_job),
    TEST_ENTRY(a_stalled_printer_trips_the_write_time_out),
    TEST_ENTRY(close_port_ends_the_wait_for_a_busy_printer_at_once))
