/* ipp:// ports (IPP/2.0 Print-Job over HTTP/1.1, chunked): jobs through the
 * core's port API to an IPP printer on loopback
 * (tests/core/support/ippserver.c), which records each request's
 * attributes and document byte-exactly and answers as scripted: busy, an
 * error status, HTTP 503, IPP/1.1 only, a reset in the middle, a stall.
 * The real printer (CUPS's ippeveprinter, ipp and ipps) is
 * tests/e2e/ipp_peer.sh. Loopback only. */
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

TEST(a_spooled_job_is_one_print_job_with_the_document_byte_identical) {
  fixture fx;
  ippserver s = {0};
  pw_handle h;
  char out[256], want[160];
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp"), 0);
  ASSERT_EQ(
      add_ipp_port(&fx, s.port, "spool=true\nformat=application/vnd.hp-pcl\n"),
      PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  ASSERT_EQ(jobfix_write_pattern(h, 1000000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 1), 0);
  ASSERT_EQ(s.nreq, 1);
  check_print_job(&s.req[0], s.port, 1000000, "application/vnd.hp-pcl");
  char host[64];
  snprintf(host, sizeof host, "127.0.0.1:%d", s.port);
  ASSERT_STREQ(s.req[0].host, host);
  /* StartDocPort's connection proved the printer there; the job came on
   * the next one. */
  ASSERT_EQ(s.conns, 2);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  snprintf(want, sizeof want, "ipp://127.0.0.1:%d/ipp/print job 41", s.port);
  ASSERT_STREQ(out, want);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(jobfix_log_has(&fx, "delivered 1000000 bytes to ipp://127.0.0.1:"));
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(streamed_to_a_printer_without_create_job_it_is_one_print_job) {
  fixture fx;
  ippserver s = {0};
  s.no_create_job = 1;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-stream"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=false\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, 300001), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 2), 0);
  ASSERT_EQ(s.req[0].op, PW_IPP_OP_GET_PRINTER_ATTRIBUTES);
  check_print_job(&s.req[1], s.port, 300001, "application/octet-stream");
  ASSERT_EQ(s.conns, 1);
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

/* Send-Document i carried the pattern of `size` bytes for job `id`. */
static void check_send_document(const ipps_request *q, uint64_t size,
                                int32_t id) {
  ASSERT_EQ(q->op, PW_IPP_OP_SEND_DOCUMENT);
  ASSERT_EQ(q->job_id, id);
  ASSERT_STREQ(q->user, "alice");
  ASSERT_STREQ(q->format, "application/octet-stream");
  ASSERT(q->chunked);
  ASSERT(q->complete);
  ASSERT(got_pattern(q, size));
}

TEST(by_default_a_job_is_create_job_then_its_document_streamed) {
  fixture fx;
  ippserver s = {0};
  pw_handle h;
  char out[256], want[160];
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-create"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  ASSERT_EQ(jobfix_write_pattern(h, 700001, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 3), 0);
  ASSERT_EQ(s.nreq, 3);
  ASSERT_EQ(s.req[0].op, PW_IPP_OP_GET_PRINTER_ATTRIBUTES);
  ASSERT_EQ(s.req[1].op, PW_IPP_OP_CREATE_JOB);
  ASSERT_STREQ(s.req[1].job_name, "report.pdf");
  ASSERT_STREQ(s.req[1].user, "alice");
  ASSERT_STREQ(s.req[1].format, ""); /* Send-Document carries it */
  check_send_document(&s.req[2], 700001, 41);
  ASSERT_EQ(s.conns, 1); /* one keep-alive connection */
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  snprintf(want, sizeof want, "ipp://127.0.0.1:%d/ipp/print job 41", s.port);
  ASSERT_STREQ(out, want);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_busy_printer_is_retried_at_create_job_before_any_data) {
  fixture fx;
  ippserver s = {0};
  s.status[0] = PW_IPP_STATUS_SERVER_ERROR_BUSY;
  s.http[1] = 503;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-create-busy"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, NULL), PW_OK);
  ASSERT_EQ(print_job(&fx, 90000), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 5), 0);
  ASSERT_EQ(s.print_jobs, 3); /* busy, 503, created */
  for (unsigned i = 1; i <= 3; i++)
    ASSERT_EQ(s.req[i].op, PW_IPP_OP_CREATE_JOB);
  check_send_document(&s.req[4], 90000, 43); /* the document once */
  ASSERT(fx.status_changes >= 2);
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_OK);
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(auto_spools_for_a_printer_without_create_job) {
  fixture fx;
  ippserver s = {0};
  s.no_create_job = 1;
  s.status[0] = PW_IPP_STATUS_SERVER_ERROR_BUSY;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-auto-spool"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, NULL), PW_OK);
  ASSERT_EQ(print_job(&fx, 80000), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 3), 0);
  ASSERT_EQ(s.req[0].op, PW_IPP_OP_GET_PRINTER_ATTRIBUTES);
  /* busy, then taken: the spooled job sent whole twice */
  check_print_job(&s.req[1], s.port, 80000, "application/octet-stream");
  check_print_job(&s.req[2], s.port, 80000, "application/octet-stream");
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(close_port_mid_document_cancels_the_created_job) {
  fixture fx;
  ippserver s = {0};
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-create-close"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, NULL), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  ASSERT_EQ(jobfix_write_pattern(h, 200000, 4096), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK); /* no EndDocPort: the job is aborted */
  for (int i = 0; i < 500 && s.nreq < 4; i++)
    usleep(10000);
  ASSERT_EQ(s.nreq, 4);
  ASSERT_EQ(s.req[2].op, PW_IPP_OP_SEND_DOCUMENT);
  ASSERT(!s.req[2].complete);
  ASSERT_EQ(s.req[3].op, PW_IPP_OP_CANCEL_JOB);
  ASSERT_EQ(s.req[3].job_id, 41);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(an_empty_job_is_a_print_job_with_no_document_bytes) {
  fixture fx;
  ippserver s = {0};
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-empty"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=true\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, 0), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 1), 0);
  check_print_job(&s.req[0], s.port, 0, "application/octet-stream");
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_busy_printer_gets_the_spooled_job_again_after_a_back_off) {
  fixture fx;
  ippserver s = {0};
  s.status[0] = PW_IPP_STATUS_SERVER_ERROR_BUSY;
  s.http[1] = 503;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-busy"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=true\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, 70000), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 3), 0);
  ASSERT_EQ(s.print_jobs, 3);
  for (unsigned i = 0; i < 3; i++)
    check_print_job(&s.req[i], s.port, 70000, "application/octet-stream");
  /* the spooler's port status said why it waited, then cleared */
  ASSERT(fx.status_changes >= 2);
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_OK);
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(busywait_bounds_how_long_a_busy_printer_is_retried) {
  fixture fx;
  ippserver s = {0};
  for (unsigned i = 0; i < IPPS_MAX_REQ; i++)
    s.status[i] = PW_IPP_STATUS_SERVER_ERROR_BUSY;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-busywait"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=true\nbusywait=2\n"), PW_OK);
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(print_job(&fx, 100), PW_EBUSY);
  uint64_t ms = (pw_time_monotonic_ns() - t0) / 1000000u;
  ASSERT(ms < 10000);
  ASSERT_EQ(s.print_jobs, 2); /* at 0 s and 1 s; the next would be at 3 s */
  ASSERT(jobfix_log_has(&fx, "refused the job: server-error-busy: scripted "
                             "refusal"));
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_streamed_print_job_answered_busy_fails_and_says_spool_would_retry) {
  fixture fx;
  ippserver s = {0};
  s.no_create_job = 1;
  s.status[0] = PW_IPP_STATUS_SERVER_ERROR_BUSY;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-stream-busy"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=false\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, 5000), PW_EBUSY);
  ASSERT_EQ(s.print_jobs, 1);
  ASSERT(jobfix_log_has(&fx, "spool=true can"));
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_client_error_is_final_and_named_in_the_log) {
  fixture fx;
  ippserver s = {0};
  s.status[0] = PW_IPP_STATUS_CLIENT_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-client-error"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=true\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, 5000), PW_EREJECTED);
  ASSERT_EQ(s.print_jobs, 1); /* never retried */
  ASSERT(jobfix_log_has(&fx, "refused the job: "
                             "client-error-document-format-not-supported: "
                             "scripted refusal"));
  /* one line: port, job, document, cause */
  ASSERT(jobfix_log_has(&fx,
                        "port=PWI: job=7 doc=\"report.pdf\": delivery "
                        "failed: the device refused the job: the printer at "
                        "127.0.0.1:"));
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(an_ipp_1_1_printer_gets_the_job_again_in_1_1) {
  fixture fx;
  ippserver s = {0};
  s.only_v11 = 1;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-v11"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, "spool=true\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, 9000), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 2), 0);
  ASSERT_EQ(s.req[0].version, PW_IPP_VERSION_2_0);
  ASSERT_EQ(s.req[1].version, PW_IPP_VERSION_1_1);
  ASSERT(got_pattern(&s.req[1], 9000));
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(check_asks_the_printer_first_and_settles_the_version) {
  fixture fx;
  ippserver s = {0};
  s.only_v11 = 1;
  s.formats = "application/pdf,application/vnd.hp-pcl";
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "ipp-check"), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port,
                         "check=true\nspool=false\n"
                         "format=application/vnd.hp-pcl\n"),
            PW_OK);
  ASSERT_EQ(print_job(&fx, 12345), PW_OK);
  ASSERT_EQ(ippserver_wait(&s, 4), 0);
  ASSERT_EQ(s.req[0].op, PW_IPP_OP_GET_PRINTER_ATTRIBUTES);
  ASSERT_EQ(s.req[0].version, PW_IPP_VERSION_2_0);
  ASSERT_EQ(s.req[1].op, PW_IPP_OP_GET_PRINTER_ATTRIBUTES);
  ASSERT_EQ(s.req[1].version, PW_IPP_VERSION_1_1);
  ASSERT_EQ(s.req[2].op, PW_IPP_OP_CREATE_JOB);
  ASSERT_EQ(s.req[2].version, PW_IPP_VERSION_1_1);
  ASSERT_EQ(s.req[3].op, PW_IPP_OP_SEND_DOCUMENT);
  ASSERT_EQ(s.req[3].version, PW_IPP_VERSION_1_1);
  ASSERT(got_pattern(&s.req[3], 12345));
  ASSERT_EQ(s.conns, 1); /* one keep-alive connection for all four */
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

/* A 200 MB job: 1 MB of pattern 200 times, in the spooler's 4 KB pieces. */
#define BIG_BLOCK (1024u * 1024u)
#define BIG_BLOCKS 200u
static int write_big(pw_handle h, const unsigned char *block) {
  for (unsigned b = 0; b < BIG_BLOCKS; b++)
    for (size_t off = 0; off < BIG_BLOCK; off += 4096) {
      size_t w = 0;
      int rc = pw_port_write(h, block + off, 4096, &w);
      if (rc != PW_OK)
        return rc;
    }
  return PW_OK;
}

static void big_job(const char *tag, const char *options) {
  fixture fx;
  ippserver s = {0};
  unsigned char *block = malloc(BIG_BLOCK);
  ASSERT(block != NULL);
  for (size_t i = 0; i < BIG_BLOCK; i++)
    block[i] = jobfix_byte(i);
  uint64_t want = IPPS_HASH_INIT;
  for (unsigned b = 0; b < BIG_BLOCKS; b++)
    want = ipps_hash(want, block, BIG_BLOCK);
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, tag), 0);
  ASSERT_EQ(add_ipp_port(&fx, s.port, options), PW_OK);
  pw_handle h;
  jobfix_reset_peak_rss();
  unsigned long before = jobfix_peak_rss_kib();
  ASSERT_EQ(pw_port_open(fx.mon, "PWI:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  ASSERT_EQ(write_big(h, block), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  unsigned long after = jobfix_peak_rss_kib();
  ASSERT_EQ(ippserver_wait(&s, 1), 0);
  const ipps_request *q = &s.req[s.nreq - 1]; /* the one with the document */
  ASSERT_EQ(q->doc_len, (uint64_t)BIG_BLOCK * BIG_BLOCKS);
  ASSERT(q->doc_hash == want);
  /* Constant memory: the peak grew by far less than the job (the fake
   * printer keeps its first 4 MB). */
  printf("  peak RSS %lu -> %lu KiB\n", before, after);
  if (before && after)
    ASSERT(after - before < 16u * 1024u);
  free(block);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(a_200_mb_streamed_job_arrives_whole_in_constant_memory) {
  big_job("ipp-big-stream", NULL); /* Create-Job + Send-Document */
}

TEST(a_200_mb_spooled_job_arrives_whole_in_constant_memory) {
  big_job("ipp-big-spool", "spool=true\n");
}

TEST(options_round_trip_and_are_checked) {
  fixture fx;
  char *cfg = NULL;
  ASSERT_EQ(fixture_setup(&fx, "ipp-options"), 0);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWS:",
                                "uri=ipps://printer.local/ipp/print\n"
                                "format=application/pdf\nspool=false\n"
                                "check=true\nretries=4\nbusywait=90\n"
                                "pin=ab:CD:00:11:22:33:44:55:66:77:88:99:aa:"
                                "bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:"
                                "99:aa:bb:cc:dd\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PWS:", &cfg), PW_OK);
  ASSERT(strstr(cfg, "uri=ipps://printer.local:631/ipp/print\n") != NULL);
  ASSERT(strstr(cfg, "format=application/pdf\nspool=false\ncheck=true\n"
                     "retries=4\nbusywait=90\npin=AB:CD:00:11:") != NULL);
  free(cfg);
  /* pin and verify belong to ipps only; bad values are refused */
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW2:", "uri=ipp://h/p\nverify=false\n",
                                NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW2:", "uri=ipps://h/p\npin=abcd\n",
                                NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_monitor_add_port(
                fx.mon, "PW2:", "uri=ipp://h/p\nformat=text plain\n", NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW2:", "uri=ipp://h/p\nformat=pdf\n",
                                NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_monitor_add_port(
                fx.mon, "PW2:", "uri=ipps://h/p\nverify=false\n", NULL, 0),
            PW_OK);
  /* spool: auto (the default, not written), true, false */
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW3:", "uri=ipp://h/p\nspool=maybe\n",
                                NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW3:", "uri=ipp://h/p\nspool=auto\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PW3:", &cfg), PW_OK);
  ASSERT(strstr(cfg, "spool") == NULL);
  free(cfg);
  ASSERT_EQ(pw_monitor_set_port(fx.mon, "PW3:", "uri=ipp://h/p\nspool=true\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PW3:", &cfg), PW_OK);
  ASSERT(strstr(cfg, "spool=true\n") != NULL);
  free(cfg);
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(a_spooled_job_is_one_print_job_with_the_document_byte_identical),
    TEST_ENTRY(streamed_to_a_printer_without_create_job_it_is_one_print_job),
    TEST_ENTRY(by_default_a_job_is_create_job_then_its_document_streamed),
    TEST_ENTRY(a_busy_printer_is_retried_at_create_job_before_any_data),
    TEST_ENTRY(auto_spools_for_a_printer_without_create_job),
    TEST_ENTRY(close_port_mid_document_cancels_the_created_job),
    TEST_ENTRY(an_empty_job_is_a_print_job_with_no_document_bytes),
    TEST_ENTRY(a_busy_printer_gets_the_spooled_job_again_after_a_back_off),
    TEST_ENTRY(busywait_bounds_how_long_a_busy_printer_is_retried),
    TEST_ENTRY(
        a_streamed_print_job_answered_busy_fails_and_says_spool_would_retry),
    TEST_ENTRY(a_client_error_is_final_and_named_in_the_log),
    TEST_ENTRY(an_ipp_1_1_printer_gets_the_job_again_in_1_1),
    TEST_ENTRY(check_asks_the_printer_first_and_settles_the_version),
    TEST_ENTRY(a_200_mb_streamed_job_arrives_whole_in_constant_memory),
    TEST_ENTRY(a_200_mb_spooled_job_arrives_whole_in_constant_memory),
    TEST_ENTRY(options_round_trip_and_are_checked))
