/* socket:// ports (RAW, AppSocket): jobs through the core's port API to a
 * printer on loopback (tests/core/support/rawsink.c), and every failure
 * the issue names: printer down, connection dropped mid-job, stalled
 * printer, a printer that does not close after the job. Loopback only. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "fixture.h"
#include "rawsink.h"
#include "test.h"

static const pw_doc_info doc1 = {"Office Printer", 7,     "report.pdf",
                                 "alice",          "ws1", "RAW"};

/* Add port PWS: for the sink (extra config lines appended). */
static int add_socket_port(fixture *fx, const char *host, int port,
                           const char *extra) {
  char cfg[512];
  snprintf(cfg, sizeof cfg, "uri=socket://%s:%d\n%s", host, port,
           extra ? extra : "");
  return pw_monitor_add_port(fx->mon, "PWS:", cfg, NULL, 0);
}

static unsigned char pattern_byte(size_t i) {
  return (unsigned char)(i * 131u + 7u);
}

static int write_pattern(pw_handle h, size_t total, size_t chunk) {
  unsigned char buf[4096];
  for (size_t done = 0; done < total;) {
    size_t n = total - done < chunk ? total - done : chunk, w = 0;
    for (size_t i = 0; i < n; i++)
      buf[i] = pattern_byte(done + i);
    int rc = pw_port_write(h, buf, n, &w);
    if (rc != PW_OK)
      return rc;
    done += n;
  }
  return PW_OK;
}

static int is_pattern(const unsigned char *p, size_t len, size_t want) {
  if (len != want)
    return 0;
  for (size_t i = 0; i < len; i++)
    if (p[i] != pattern_byte(i))
      return 0;
  return 1;
}

static int log_has(fixture *fx, const char *needle) {
  char *log = NULL;
  int found = test_read_file(pw_monitor_log_path(fx->mon), &log) > 0 &&
              strstr(log, needle) != NULL;
  free(log);
  return found;
}

static void job_to(const char *host, int family) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  char out[256], want[64];
  if (rawsink_start(&k, family, RAWSINK_KEEP) != 0) {
    printf("  (no %s loopback here: skipped)\n", host);
    return;
  }
  ASSERT_EQ(fixture_setup(&fx, "socket"), 0);
  ASSERT_EQ(add_socket_port(&fx, host, k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 1000000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  /* waiteof (the default): EndDocPort returned after the printer closed,
   * so the sink has the whole job already. */
  ASSERT(rawsink_wait_conns(&k, 1));
  ASSERT(is_pattern(k.data[0], k.len[0], 1000000));
  ASSERT(k.eof[0]);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  snprintf(want, sizeof want, ":%d", k.port);
  ASSERT(strncmp(out, "socket://", 9) == 0 && strstr(out, want) != NULL);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(log_has(&fx, "delivered 1000000 bytes to socket://"));
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

TEST(a_job_arrives_byte_identical_over_ipv4) {
  job_to("127.0.0.1", AF_INET);
}

TEST(a_job_arrives_byte_identical_over_ipv6) {
  job_to("[::1]", AF_INET6);
}

TEST(a_job_arrives_byte_identical_through_localhost) {
  job_to("localhost", AF_INET);
}

TEST(consecutive_jobs_are_separate_connections_that_never_mix) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_KEEP), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-two"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  for (int j = 0; j < 3; j++) {
    ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
    ASSERT_EQ(write_pattern(h, (size_t)(j + 1) * 10000, 4096), PW_OK);
    ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  }
  ASSERT(rawsink_wait_conns(&k, 3));
  for (unsigned j = 0; j < 3; j++)
    ASSERT(is_pattern(k.data[j], k.len[j], (j + 1) * 10000));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

TEST(printer_down_at_startdocport_fails_after_bounded_retries) {
  fixture fx;
  pw_handle h;
  int port = rawsink_dead_port();
  ASSERT(port > 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-down"), 0);
  ASSERT_EQ(
      add_socket_port(&fx, "127.0.0.1", port, "retries=1\nconnect_timeout=2\n"),
      PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  /* Two attempts one second apart, then the spooler gets FALSE and keeps
   * the job for a later retry of its own. */
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_ECONNREFUSED);
  ASSERT(log_has(&fx, "start failed: connection refused: cannot connect to "
                      "127.0.0.1:"));
  ASSERT(log_has(&fx, "(attempt 2)"));
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_OFFLINE);
  ASSERT(strstr(fx.last_status_text, "refused") != NULL);
  size_t w;
  ASSERT_EQ(pw_port_write(h, "x", 1, &w), PW_ESTATE);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(an_unresolvable_literal_is_refused_by_the_configuration) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "socket-bad"), 0);
  /* No resolver involved: the URI itself is invalid. */
  ASSERT_EQ(add_socket_port(&fx, "bad host", 9100, NULL), PW_EBADCONFIG);
  fixture_teardown(&fx);
}

TEST(a_connection_dropped_mid_job_fails_the_job_and_never_reports_success) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  k.limit = 64 * 1024;
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_RESET_AT), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-reset"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  int rc = write_pattern(h, 32 * 1024 * 1024, 4096);
  ASSERT_NE(rc, PW_OK);
  /* Whatever the next write or EndDocPort says, neither is success. */
  size_t w = 1;
  ASSERT_NE(pw_port_write(h, "x", 1, &w), PW_OK);
  ASSERT_EQ(w, 0);
  ASSERT_NE(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  ASSERT(log_has(&fx, "port=PWS: job=7 doc=\"report.pdf\": write"));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

TEST(a_stalled_printer_makes_writeport_time_out_and_the_job_fail) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_STALL), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-stall"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  pw_timeouts t = {0, 300, 300};
  ASSERT_EQ(pw_port_set_timeouts(h, &t), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  /* The socket buffers fill, then a write waits 300 ms and gives up: the
   * spooler thread is back. Bounded: at most 64 MB are tried. */
  int rc = write_pattern(h, 64 * 1024 * 1024, 4096);
  ASSERT_EQ(rc, PW_ETIMEDOUT);
  ASSERT_NE(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

TEST(readport_returns_what_the_printer_sends_back) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  char buf[64];
  size_t got = 0;
  k.greeting = "@PJL INFO STATUS\r\nREADY\r\n";
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_KEEP), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-read"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  /* No job: the port type has a back channel, but nothing is open. */
  ASSERT_EQ(pw_port_read(h, buf, sizeof buf, &got), PW_ESTATE);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  size_t have = 0;
  for (int i = 0; i < 20 && have < strlen(k.greeting); i++) {
    ASSERT_EQ(pw_port_read(h, buf + have, sizeof buf - 1 - have, &got), PW_OK);
    have += got;
  }
  buf[have] = '\0';
  ASSERT_STREQ(buf, "@PJL INFO STATUS\r\nREADY\r\n");
  ASSERT_EQ(write_pattern(h, 1000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT(rawsink_wait_conns(&k, 1));
  ASSERT(is_pattern(k.data[0], k.len[0], 1000));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

/* Once someone reads the back channel (a language monitor's status
 * reader), writes go out at once: the printer's answer to this job's
 * commands (its end echo) must not wait for EndDocPort's flush. */
TEST(after_a_readport_writes_are_sent_without_waiting_for_enddocport) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  char buf[64];
  size_t got = 0;
  k.greeting = "@PJL USTATUS DEVICE\r\nCODE=10001\r\n\f";
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_KEEP), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-converse"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_read(h, buf, sizeof buf, &got), PW_OK);
  ASSERT_EQ(write_pattern(h, 1000, 100), PW_OK);
  size_t arrived = 0;
  for (int i = 0; i < 500 && arrived < 1000; i++) {
    pw_mutex_lock(&k.lock);
    arrived = k.len[0];
    pw_mutex_unlock(&k.lock);
    if (arrived < 1000) {
      struct timespec ts = {0, 10 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  ASSERT_EQ(arrived, 1000u); /* before EndDocPort */
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT(rawsink_wait_conns(&k, 1));
  ASSERT(is_pattern(k.data[0], k.len[0], 1000));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

TEST(waiteof_fails_a_job_the_printer_never_acknowledges_by_closing) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  k.linger_ms = 3000;
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_LINGER_EOF), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-eof"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  pw_timeouts t = {0, 200, 0};
  ASSERT_EQ(pw_port_set_timeouts(h, &t), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 5000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_ETIMEDOUT);
  ASSERT(log_has(&fx, "did not close the connection after the job"));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

TEST(without_waiteof_the_job_is_done_once_sent_and_half_closed) {
  fixture fx;
  rawsink k = {0};
  pw_handle h;
  char *text = NULL;
  k.linger_ms = 3000;
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_LINGER_EOF), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-noeof"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, "waiteof=false\n"),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PWS:", &text), PW_OK);
  ASSERT(strstr(text, "\nwaiteof=false\n") != NULL);
  free(text);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 5000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT(rawsink_wait_conns(&k, 1));
  ASSERT(is_pattern(k.data[0], k.len[0], 5000));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

/* ClosePort from another thread while WritePort is stuck on a stalled
 * printer: the socket is aborted, the write returns, the job is gone. */
typedef struct stuck_writer {
  pw_handle h;
  atomic_int rc;
} stuck_writer;

static void stuck_write(void *arg) {
  stuck_writer *s = arg;
  atomic_store(&s->rc, write_pattern(s->h, 64 * 1024 * 1024, 4096));
}

TEST(closeport_aborts_a_write_stuck_on_a_stalled_printer) {
  fixture fx;
  rawsink k = {0};
  stuck_writer s = {0, 1};
  pw_thread *t;
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_STALL), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-cancel"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &s.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(s.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, stuck_write, &s), PW_OK);
  /* Let it fill the buffers and block (the write time-out is 60 s). */
  for (int i = 0; i < 5; i++) {
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
  }
  ASSERT_EQ(pw_port_close(s.h), PW_OK);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  int rc = atomic_load(&s.rc);
  /* Cancelled, or refused as a closed handle if the writer was between
   * two writes when ClosePort came. */
  ASSERT(rc == PW_ECANCELED || rc == PW_EBADHANDLE);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

/* ClosePort from another thread while StartDocPort waits in connect (a
 * printer whose backlog is full answers no handshake): the token's action
 * aborts the socket, StartDocPort returns at once, nothing leaks. */
typedef struct starter {
  pw_handle h;
  atomic_int rc;
  atomic_int done;
} starter;

static void start_main(void *arg) {
  starter *s = arg;
  atomic_store(&s->rc, pw_port_start_doc(s->h, &doc1));
  atomic_store(&s->done, 1);
}

TEST(closeport_aborts_a_startdocport_stuck_in_connect) {
  fixture fx;
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  ASSERT(lfd >= 0);
  ASSERT_EQ(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
  ASSERT_EQ(listen(lfd, 0), 0);
  ASSERT_EQ(getsockname(lfd, (struct sockaddr *)&a, &al), 0);
  int port = ntohs(a.sin_port);
  /* Fill the backlog: connections that complete but are never accepted. */
  int fill[8];
  for (int i = 0; i < 8; i++) {
    fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    (void)connect(fill[i], (struct sockaddr *)&a, sizeof a);
  }
  ASSERT_EQ(fixture_setup(&fx, "socket-connect-cancel"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", port,
                            "retries=0\nconnect_timeout=60\n"),
            PW_OK);
  starter s = {0, 1, 0};
  pw_thread *t;
  ASSERT_EQ(pw_port_open(fx.mon, "PWS:", &s.h), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, start_main, &s), PW_OK);
  struct timespec ts = {0, 300000000};
  nanosleep(&ts, NULL);
  int stuck = !atomic_load(&s.done); /* still connecting */
  ASSERT_EQ(pw_port_close(s.h), PW_OK);
  ASSERT_EQ(pw_thread_join(t), PW_OK); /* well before the 60 s time-out */
  for (int i = 0; i < 8; i++)
    close(fill[i]);
  close(lfd);
  ASSERT(stuck);
  int rc = atomic_load(&s.rc);
  ASSERT(rc == PW_ECANCELED || rc == PW_EBADHANDLE);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
}

TEST(socket_options_are_validated_and_written_canonically) {
  fixture fx;
  char *text = NULL;
  ASSERT_EQ(fixture_setup(&fx, "socket-opts"), 0);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWO:",
                                "uri=socket://printer.example:9101\n"
                                "retries=5\nwaiteof=true\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PWO:", &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://printer.example:9101\nretries=5\n");
  free(text);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWX:", "uri=socket://h\nretries=11\n",
                                NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_monitor_add_port(
                fx.mon, "PWX:", "uri=socket://h\nwaiteof=maybe\n", NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWX:", "uri=file:///tmp\nretries=1\n",
                                NULL, 0),
            PW_EBADCONFIG);
  fixture_teardown(&fx);
}

/* pwctl test-port: the destination is tried without printing. */
TEST(test_port_connects_and_hangs_up_without_printing) {
  fixture fx;
  rawsink k = {0};
  char verdict[256];
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_KEEP), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-test"), 0);
  ASSERT_EQ(add_socket_port(&fx, "127.0.0.1", k.port, NULL), PW_OK);
  ASSERT_EQ(pw_monitor_test_port(fx.mon, "PWS:", verdict, sizeof verdict),
            PW_OK);
  ASSERT(strstr(verdict, "the printer at 127.0.0.1:") != NULL);
  ASSERT(strstr(verdict, "accepts connections") != NULL);
  ASSERT(rawsink_wait_conns(&k, 1));
  ASSERT_EQ(k.len[0], 0); /* nothing was sent */
  /* The same through Xcv "TestPort" (what pwctl sends). */
  pw_handle x;
  uint8_t in[16], out[512];
  size_t needed = 0;
  const char *name = "PWS:";
  for (size_t i = 0; i <= strlen(name); i++) {
    in[2 * i] = (uint8_t)name[i];
    in[2 * i + 1] = 0;
  }
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, 0, &x), PW_OK);
  ASSERT_EQ(pw_xcv_data(x, "TestPort", in, 2 * (strlen(name) + 1), out,
                        sizeof out, &needed),
            PW_OK);
  ASSERT(needed > 2 && out[0] == 't'); /* L"the printer at ..." */
  rawsink_stop(&k);
  ASSERT_EQ(pw_monitor_test_port(fx.mon, "PWS:", verdict, sizeof verdict),
            PW_ECONNREFUSED);
  ASSERT(strstr(verdict, "cannot connect to 127.0.0.1:") != NULL);
  /* The answer comes with the failure too. */
  ASSERT_EQ(pw_xcv_data(x, "TestPort", in, 2 * (strlen(name) + 1), out,
                        sizeof out, &needed),
            PW_ECONNREFUSED);
  ASSERT(needed > 2 && out[0] == 'c');
  ASSERT_EQ(pw_xcv_close(x), PW_OK);
  /* A file port: its folder is writable. */
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWF:", fixture_file_config(&fx, NULL),
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_test_port(fx.mon, "PWF:", verdict, sizeof verdict),
            PW_OK);
  ASSERT(strstr(verdict, "is writable") != NULL);
  ASSERT_EQ(test_count_files(fx.outdir), 0);
  ASSERT_EQ(pw_monitor_test_port(fx.mon, "NOPE:", verdict, sizeof verdict),
            PW_ENOENT);
  ASSERT_STREQ(verdict, "no such port");
  fixture_teardown(&fx);
}

/* "NAME\0TEXT" as Xcv input (UTF-16LE, ASCII only here): its size. */
static size_t two_strings(const char *a, const char *b, uint8_t *in,
                          size_t cap) {
  const char *parts[2] = {a, b};
  size_t n = 0;
  for (int k = 0; k < 2; k++) {
    for (const char *s = parts[k];; s++) {
      if (n + 2 > cap)
        return 0;
      in[n++] = (uint8_t)*s;
      in[n++] = 0;
      if (!*s)
        break;
    }
  }
  return n;
}

/* The Add Port dialog's Test: a configuration tried before any port has
 * it, never stored; only with the administer right. */
TEST(test_port_with_a_configuration_tries_it_without_adding_a_port) {
  fixture fx;
  rawsink k = {0};
  ASSERT_EQ(rawsink_start(&k, AF_INET, RAWSINK_KEEP), 0);
  ASSERT_EQ(fixture_setup(&fx, "socket-test-config"), 0);
  char cfg[96];
  snprintf(cfg, sizeof cfg, "uri=socket://127.0.0.1:%d", k.port);
  uint8_t in[256], out[512];
  size_t needed = 0, len = two_strings("NEW:", cfg, in, sizeof in);
  ASSERT(len > 0);
  pw_handle x;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &x), PW_OK);
  ASSERT_EQ(pw_xcv_data(x, "TestPort", in, len, out, sizeof out, &needed),
            PW_OK);
  ASSERT(needed > 2 && out[0] == 't'); /* L"the printer at ..." */
  ASSERT(rawsink_wait_conns(&k, 1));
  ASSERT_EQ(k.len[0], 0);
  int exists = 1;
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "NEW:", &exists), PW_OK);
  ASSERT_EQ(exists, 0); /* tried, not added */
  len = two_strings("NEW:", "uri=bogus://x", in, sizeof in);
  ASSERT_EQ(pw_xcv_data(x, "TestPort", in, len, out, sizeof out, &needed),
            PW_EBADCONFIG);
  ASSERT(needed > 2); /* the reason, in words */
  ASSERT_EQ(pw_xcv_close(x), PW_OK);
  /* Without the right: the server would connect where a user says. */
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, 0, &x), PW_OK);
  len = two_strings("NEW:", cfg, in, sizeof in);
  ASSERT_EQ(pw_xcv_data(x, "TestPort", in, len, out, sizeof out, &needed),
            PW_EACCES);
  ASSERT_EQ(pw_xcv_close(x), PW_OK);
  fixture_teardown(&fx);
  rawsink_stop(&k);
}

TEST_MAIN(
    TEST_ENTRY(test_port_connects_and_hangs_up_without_printing),
    TEST_ENTRY(test_port_with_a_configuration_tries_it_without_adding_a_port),
    TEST_ENTRY(a_job_arrives_byte_identical_over_ipv4),
    TEST_ENTRY(a_job_arrives_byte_identical_over_ipv6),
    TEST_ENTRY(a_job_arrives_byte_identical_through_localhost),
    TEST_ENTRY(consecutive_jobs_are_separate_connections_that_never_mix),
    TEST_ENTRY(printer_down_at_startdocport_fails_after_bounded_retries),
    TEST_ENTRY(an_unresolvable_literal_is_refused_by_the_configuration),
    TEST_ENTRY(
        a_connection_dropped_mid_job_fails_the_job_and_never_reports_success),
    TEST_ENTRY(a_stalled_printer_makes_writeport_time_out_and_the_job_fail),
    TEST_ENTRY(readport_returns_what_the_printer_sends_back),
    TEST_ENTRY(after_a_readport_writes_are_sent_without_waiting_for_enddocport),
    TEST_ENTRY(waiteof_fails_a_job_the_printer_never_acknowledges_by_closing),
    TEST_ENTRY(without_waiteof_the_job_is_done_once_sent_and_half_closed),
    TEST_ENTRY(closeport_aborts_a_write_stuck_on_a_stalled_printer),
    TEST_ENTRY(closeport_aborts_a_startdocport_stuck_in_connect),
    TEST_ENTRY(socket_options_are_validated_and_written_canonically))
