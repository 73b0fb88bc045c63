/* lpd:// ports (RFC 1179 client): jobs through the core's port API to an
 * LPD server on loopback (tests/core/support/lpdserver.c), which records
 * every subcommand, the control file and the data file byte-exactly and
 * refuses on purpose at each step. Loopback only. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/dest/lpd.h"
#include "fixture.h"
#include "jobfix.h"
#include "lpdserver.h"
#include "test.h"

static const pw_doc_info doc7 = {"Office Printer", 7,     "report.pdf",
                                 "alice",          "ws1", "RAW"};

static int add_lpd_port(fixture *fx, int port, const char *extra) {
  char cfg[512];
  snprintf(cfg, sizeof cfg, "uri=lpd://127.0.0.1:%d/q\n%s", port,
           extra ? extra : "");
  return pw_monitor_add_port(fx->mon, "PWL:", cfg, NULL, 0);
}

static uint64_t pattern_hash(uint64_t total) {
  unsigned char buf[4096];
  uint64_t h = LPDS_HASH_INIT;
  for (uint64_t done = 0; done < total;) {
    size_t n = total - done < sizeof buf ? (size_t)(total - done) : sizeof buf;
    for (size_t i = 0; i < n; i++)
      buf[i] = jobfix_byte(done + i);
    h = lpds_hash(h, buf, n);
    done += n;
  }
  return h;
}

/* The data file holds exactly the pattern of `want` bytes. */
static int got_pattern(const lpds_conn *c, uint64_t want) {
  if (c->data_len != want || want > LPDS_KEEP_MAX)
    return 0;
  for (uint64_t i = 0; i < want; i++)
    if (c->data[i] != jobfix_byte(i))
      return 0;
  return 1;
}

/* One job of `size` pattern bytes on a port with `extra` options. */
static int print_job(fixture *fx, const pw_doc_info *doc, uint64_t size) {
  pw_handle h;
  int rc = pw_port_open(fx->mon, "PWL:", &h);
  if (rc != PW_OK)
    return rc;
  rc = pw_port_start_doc(h, doc);
  if (rc == PW_OK)
    rc = jobfix_write_pattern(h, size, 4096);
  int end = pw_port_end_doc(h);
  (void)pw_port_close(h);
  return rc != PW_OK ? rc : end;
}

TEST(a_job_arrives_byte_identical_with_its_control_file) {
  fixture fx;
  lpdserver s = {0};
  pw_handle h;
  char out[256], want[128];
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWL:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  ASSERT_EQ(jobfix_write_pattern(h, 1000000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT(lpdserver_wait_conns(&s, 1));
  const lpds_conn *c = &s.conn[0];
  /* Byte counting (the default): the data file first, with its exact
   * size, then the control file; every step acknowledged. */
  ASSERT_STREQ(c->cmds, "recv q|data 1000000 dfA007ws1|ctl 58 cfA007ws1|");
  ASSERT_STREQ(c->ctl, "Hws1\nPalice\nJreport.pdf\nNreport.pdf\n"
                       "ldfA007ws1\nUdfA007ws1\n");
  ASSERT_EQ(c->ctl_len, 58);
  ASSERT(got_pattern(c, 1000000));
  ASSERT(!c->data_until_eof);
  ASSERT(c->done);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  snprintf(want, sizeof want, "lpd://127.0.0.1:%d/q as job 007", s.port);
  ASSERT_STREQ(out, want);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(jobfix_log_has(&fx, "delivered 1000000 bytes to lpd://127.0.0.1:"));
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(the_format_option_picks_the_print_command_letter) {
  fixture fx;
  lpdserver s = {0};
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-format"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, "format=o\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, &doc7, 10), PW_OK);
  ASSERT(lpdserver_wait_conns(&s, 1));
  ASSERT(strstr(s.conn[0].ctl, "\nodfA007ws1\nUdfA007ws1\n") != NULL);
  ASSERT(strstr(s.conn[0].ctl, "\nldfA") == NULL);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(an_empty_job_is_not_sent_with_byte_counting) {
  /* A data file of size 0 means "until the connection closes" to LPRng
   * and is refused by BSD lpd: an empty job is simply not sent. */
  fixture fx;
  lpdserver s = {0};
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-empty"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, NULL), PW_OK);
  ASSERT_EQ(print_job(&fx, &doc7, 0), PW_OK);
  ASSERT(jobfix_log_has(&fx, "delivered 0 bytes to nothing (an empty job"));
  usleep(100000);
  ASSERT_EQ(s.conns, 0);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(streaming_sends_the_control_file_first_and_a_data_file_of_size_0) {
  fixture fx;
  lpdserver s = {0};
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-stream"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, "bytecount=false\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, &doc7, 300000), PW_OK);
  ASSERT(lpdserver_wait_conns(&s, 1));
  const lpds_conn *c = &s.conn[0];
  ASSERT_STREQ(c->cmds, "recv q|ctl 58 cfA007ws1|data 0 dfA007ws1|");
  ASSERT(c->data_until_eof);
  ASSERT(got_pattern(c, 300000));
  ASSERT(c->done);
  ASSERT_EQ(fx.delivered, 1);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(streaming_fails_the_job_when_the_server_refuses_the_stream_at_its_end) {
  /* cups-lpd acks a size-0 data file, then refuses it after the data. */
  fixture fx;
  lpdserver s = {0};
  s.nak = LPDS_NAK_STREAM_END;
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-stream-nak"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, "bytecount=false\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, &doc7, 5000), PW_EPROTO);
  ASSERT(jobfix_log_has(&fx, "delivery failed: protocol error: 127.0.0.1:"));
  ASSERT(jobfix_log_has(&fx, "data file not accepted (answer 1; the server may "
                             "need bytecount=true)"));
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

/* Each refusal fails the job with its own cause in the log. */
static void refused_at(lpds_nak nak, const char *options, int at_start,
                       const char *cause) {
  fixture fx;
  lpdserver s = {0};
  pw_handle h;
  s.nak = nak;
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-nak"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, options), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWL:", &h), PW_OK);
  if (at_start) {
    ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_EPROTO);
    ASSERT(jobfix_log_has(&fx, "start failed: protocol error: 127.0.0.1:"));
  } else {
    ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
    ASSERT_EQ(jobfix_write_pattern(h, 20000, 4096), PW_OK);
    ASSERT_EQ(pw_port_end_doc(h), PW_EPROTO);
    ASSERT(jobfix_log_has(&fx, "delivery failed: protocol error: 127.0.0.1:"));
  }
  if (!jobfix_log_has(&fx, cause))
    fprintf(stderr, "  missing cause: %s\n", cause);
  ASSERT(jobfix_log_has(&fx, cause));
  ASSERT_EQ(fx.delivered, 0);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(a_refused_receive_job_names_the_queue) {
  refused_at(LPDS_NAK_RECEIVE, NULL, 0,
             "queue 'q' unknown or not accepting jobs (answer 1)");
  refused_at(LPDS_NAK_RECEIVE, "bytecount=false\n", 1,
             "queue 'q' unknown or not accepting jobs (answer 1)");
}

TEST(a_refused_control_file_says_so) {
  refused_at(LPDS_NAK_CONTROL, NULL, 0, ": control file refused (answer 1)");
  refused_at(LPDS_NAK_CONTROL_AFTER, NULL, 0,
             ": control file not accepted (answer 1)");
  refused_at(LPDS_NAK_CONTROL, "bytecount=false\n", 1,
             ": control file refused (answer 1)");
}

TEST(a_refused_data_file_says_so) {
  refused_at(LPDS_NAK_DATA, NULL, 0, ": data file refused (answer 1)");
  refused_at(LPDS_NAK_DATA_AFTER, NULL, 0,
             ": data file not accepted (answer 1)");
  refused_at(LPDS_NAK_DATA, "bytecount=false\n", 1,
             ": data file of unknown size refused (the server needs "
             "bytecount=true) (answer 1)");
}

TEST(a_text_answer_instead_of_an_ack_is_quoted_printable_only) {
  fixture fx;
  lpdserver s = {0};
  s.reply_text = "lpd: Host name for your address (::1) unknown\n\033[2J";
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-text"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, NULL), PW_OK);
  ASSERT_EQ(print_job(&fx, &doc7, 100), PW_EPROTO);
  ASSERT(jobfix_log_has(&fx,
                        "queue 'q' unknown or not accepting jobs (the server "
                        "said \"lpd: Host name for your address (::1) "
                        "unknown  [2J\")"));
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(printer_down_fails_after_bounded_retries) {
  fixture fx;
  pw_handle h;
  int port = jobfix_dead_port();
  ASSERT(port > 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-down"), 0);
  /* Byte counting sends the job at EndDocPort, but checks the printer is
   * up at StartDocPort: a printer that is down fails there, so the spooler
   * keeps the job. */
  ASSERT_EQ(add_lpd_port(&fx, port, "retries=1\nconnect_timeout=2\n"), PW_OK);
  ASSERT_EQ(print_job(&fx, &doc7, 1000), PW_ECONNREFUSED);
  ASSERT(jobfix_log_has(&fx, "start failed: connection refused: cannot connect "
                             "to 127.0.0.1:"));
  ASSERT(jobfix_log_has(&fx, "(attempt 2)"));
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_OFFLINE);
  /* Streaming connects at StartDocPort: the spooler keeps the job. */
  ASSERT_EQ(pw_monitor_delete_port(fx.mon, "PWL:"), PW_OK);
  ASSERT_EQ(add_lpd_port(&fx, port, "retries=0\nbytecount=false\n"), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWL:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_ECONNREFUSED);
  ASSERT(jobfix_log_has(&fx,
                        "start failed: connection refused: cannot connect to "
                        "127.0.0.1:"));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
}

TEST(a_connection_dropped_mid_job_fails_the_job) {
  fixture fx;
  lpdserver s = {0};
  s.reset_after = 64 * 1024;
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-reset"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, NULL), PW_OK);
  ASSERT_NE(print_job(&fx, &doc7, 8 * 1024 * 1024), PW_OK);
  ASSERT(jobfix_log_has(&fx, "delivery failed: "));
  ASSERT(jobfix_log_has(&fx, "the data file to 127.0.0.1:"));
  ASSERT_EQ(fx.delivered, 0);
  /* Streaming: WritePort fails; nothing after it succeeds. */
  ASSERT_EQ(pw_monitor_delete_port(fx.mon, "PWL:"), PW_OK);
  ASSERT_EQ(add_lpd_port(&fx, s.port, "bytecount=false\n"), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWL:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc7), PW_OK);
  ASSERT_NE(jobfix_write_pattern(h, 32 * 1024 * 1024, 4096), PW_OK);
  size_t w = 1;
  ASSERT_NE(pw_port_write(h, "x", 1, &w), PW_OK);
  ASSERT_EQ(w, 0);
  ASSERT_NE(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

/* Every line of a control file: no control character but the line end, at
 * most `max` bytes after its letter. */
static int lines_bounded(const char *ctl, size_t max) {
  for (const char *p = ctl; *p;) {
    const char *nl = strchr(p, '\n');
    if (!nl || (size_t)(nl - p) > max + 1)
      return 0;
    for (const char *q = p; q < nl; q++)
      if ((unsigned char)*q < 0x20 || *q == 0x7f)
        return 0;
    p = nl + 1;
  }
  return 1;
}

TEST(hostile_fields_are_sanitised_and_bounded) {
  fixture fx;
  lpdserver s = {0};
  char name[400];
  /* 98 'a', then "é" (2 bytes) straddling the 99-byte J limit, then
   * control characters and more. */
  memset(name, 'a', 98);
  snprintf(name + 98, sizeof name - 98, "\xC3\xA9\r\nH evil\nmore%0200d", 0);
  pw_doc_info doc = {"P",
                     12,
                     name,
                     "ev\nil user name that is much longer than 31 bytes",
                     "\\\\WS\x01name;rm -rf /;and-a-very-long-host-name",
                     "RAW"};
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-hostile"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, NULL), PW_OK);
  ASSERT_EQ(print_job(&fx, &doc, 10), PW_OK);
  ASSERT(lpdserver_wait_conns(&s, 1));
  const char *ctl = s.conn[0].ctl;
  ASSERT(lines_bounded(ctl, PW_LPD_DOCNAME_MAX));
  /* Host: file-name characters only, 31 bytes; user: no space or control
   * character, 31 bytes; job name cut before the split character. */
  ASSERT(strncmp(ctl,
                 "HWS_name_rm_-rf___and-a-very-lon\n"
                 "Pev_il_user_name_that_is_much_lo\nJ",
                 67) == 0);
  char j[120];
  snprintf(j, sizeof j, "\nJ%.98s\nN", name);
  ASSERT(strstr(ctl, j) != NULL);
  ASSERT(strstr(ctl, "\xC3\xA9__H evil_more000") != NULL); /* in N */
  ASSERT(strstr(ctl, "\nldfA012WS_name_rm_-rf___and-a-very-lon\n") != NULL);
  char cmd[80];
  snprintf(cmd, sizeof cmd, "|ctl %zu cfA012WS_name_rm_-rf___and-a-very-lon|",
           s.conn[0].ctl_len);
  ASSERT(strstr(s.conn[0].cmds, cmd) != NULL);
  ASSERT(got_pattern(&s.conn[0], 10));
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(job_numbers_come_from_the_job_id_and_wrap_at_999) {
  fixture fx;
  lpdserver s = {0};
  static const uint32_t ids[] = {998, 999, 1000, 1001};
  static const char *const names[] = {"dfA998ws1", "dfA999ws1", "dfA000ws1",
                                      "dfA001ws1"};
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-numbers"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, NULL), PW_OK);
  for (unsigned i = 0; i < 4; i++) {
    pw_doc_info d = doc7;
    d.job_id = ids[i];
    ASSERT_EQ(print_job(&fx, &d, 100 + i), PW_OK);
  }
  /* Without a job id (Wine): a counter, one up per job, modulo 1000. */
  pw_doc_info d = doc7;
  d.job_id = 0;
  ASSERT_EQ(print_job(&fx, &d, 1), PW_OK);
  ASSERT_EQ(print_job(&fx, &d, 1), PW_OK);
  ASSERT(lpdserver_wait_conns(&s, 6));
  for (unsigned i = 0; i < 4; i++) {
    if (!strstr(s.conn[i].cmds, names[i]))
      fprintf(stderr, "  conn %u: %s\n", i, s.conn[i].cmds);
    ASSERT(strstr(s.conn[i].cmds, names[i]) != NULL);
  }
  unsigned a = 0, b = 0;
  ASSERT(sscanf(strstr(s.conn[4].cmds, "dfA"), "dfA%3u", &a) == 1);
  ASSERT(sscanf(strstr(s.conn[5].cmds, "dfA"), "dfA%3u", &b) == 1);
  ASSERT_EQ(b, (a + 1) % 1000);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(a_50_mb_job_is_byte_counted_through_a_temporary_file_not_memory) {
  fixture fx;
  lpdserver s = {0};
  const uint64_t size = 50u * 1024u * 1024u;
  char want[64];
  ASSERT_EQ(lpdserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "lpd-large"), 0);
  ASSERT_EQ(add_lpd_port(&fx, s.port, NULL), PW_OK);
  jobfix_reset_peak_rss();
  unsigned long before = jobfix_peak_rss_kib();
  ASSERT_EQ(print_job(&fx, &doc7, size), PW_OK);
  unsigned long after = jobfix_peak_rss_kib();
  ASSERT(lpdserver_wait_conns(&s, 1));
  snprintf(want, sizeof want, "data %llu dfA007ws1|", (unsigned long long)size);
  ASSERT(strstr(s.conn[0].cmds, want) != NULL);
  ASSERT_EQ(s.conn[0].data_len, size);
  ASSERT(s.conn[0].data_hash == pattern_hash(size));
  ASSERT(s.conn[0].done);
  /* The job never sat in this process's memory: the peak grew by far less
   * than its size (the fake server keeps its first 4 MB, preallocated). */
  printf("  peak RSS %lu -> %lu KiB\n", before, after);
  if (before && after)
    ASSERT(after - before < size / 1024u / 4u);
  fixture_teardown(&fx);
  lpdserver_stop(&s);
}

TEST(lpd_options_are_validated_and_written_canonically) {
  fixture fx;
  char *text = NULL;
  ASSERT_EQ(fixture_setup(&fx, "lpd-opts"), 0);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWO:",
                                "uri=lpd://printer.example/raw\n"
                                "format=l\nbytecount=true\nretries=2\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PWO:", &text), PW_OK);
  ASSERT_STREQ(text, "uri=lpd://printer.example:515/raw\n");
  free(text);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWP:",
                                "uri=lpd://h/raw?format=f&bytecount=false"
                                "&retries=0\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PWP:", &text), PW_OK);
  ASSERT_STREQ(text,
               "uri=lpd://h:515/raw\nformat=f\nbytecount=false\nretries=0\n");
  free(text);
  static const char *const bad[] = {
      "uri=lpd://h/q\nformat=x\n",     "uri=lpd://h/q\nformat=ll\n",
      "uri=lpd://h/q\nformat=\n",      "uri=lpd://h/q\nbytecount=yes\n",
      "uri=lpd://h/q\nretries=11\n",   "uri=lpd://h/q\nretries=-1\n",
      "uri=socket://h\nbytecount=1\n", "uri=lpd://h/q\nwaiteof=true\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWX:", bad[i], NULL, 0),
              PW_EBADCONFIG);
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(a_job_arrives_byte_identical_with_its_control_file),
    TEST_ENTRY(the_format_option_picks_the_print_command_letter),
    TEST_ENTRY(an_empty_job_is_not_sent_with_byte_counting),
    TEST_ENTRY(
        streaming_sends_the_control_file_first_and_a_data_file_of_size_0),
    TEST_ENTRY(
        streaming_fails_the_job_when_the_server_refuses_the_stream_at_its_end),
    TEST_ENTRY(a_refused_receive_job_names_the_queue),
    TEST_ENTRY(a_refused_control_file_says_so),
    TEST_ENTRY(a_refused_data_file_says_so),
    TEST_ENTRY(a_text_answer_instead_of_an_ack_is_quoted_printable_only),
    TEST_ENTRY(printer_down_fails_after_bounded_retries),
    TEST_ENTRY(a_connection_dropped_mid_job_fails_the_job),
    TEST_ENTRY(hostile_fields_are_sanitised_and_bounded),
    TEST_ENTRY(job_numbers_come_from_the_job_id_and_wrap_at_999),
    TEST_ENTRY(a_50_mb_job_is_byte_counted_through_a_temporary_file_not_memory),
    TEST_ENTRY(lpd_options_are_validated_and_written_canonically))
