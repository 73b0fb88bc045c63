/* Destination contract v2 (src/core/dest.h) as the job layer keeps it: no
 * lock across destination I/O, ClosePort and Shutdown cancel blocked I/O
 * from another thread and return within their bound, a read runs beside a
 * write, time-outs reach the destination, status changes are reported once.
 * The destination is tests/core/support/blockdest.c. */
#define _DEFAULT_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockdest.h"
#include "fixture.h"
#include "test.h"

#define CLOSE_WAIT_MS 100u

static const pw_doc_info doc1 = {"Office Printer", 42,    "report.pdf",
                                 "alice",          "ws1", "RAW"};

static int setup(fixture *fx, const char *tag, const char *extra) {
  char cfg[2300];
  blockdest_install();
  memset(fx, 0, sizeof *fx);
  if (fixture_setup(fx, tag) != 0)
    return -1;
  /* Restart with a short close bound so the tests stay quick. */
  fixture_stop(fx);
  fx->close_wait_ms = CLOSE_WAIT_MS;
  if (fixture_start(fx) != 0)
    return -1;
  snprintf(cfg, sizeof cfg, "%s%s", fixture_file_config(fx, NULL),
           extra ? extra : "");
  return pw_monitor_add_port(fx->mon, "PW1:", cfg, NULL, 0) == PW_OK ? 0 : -1;
}

static void teardown(fixture *fx) {
  fixture_teardown(fx);
  blockdest_uninstall();
}

/* ---- a writer thread ---- */
typedef struct writer {
  pw_handle h;
  atomic_int rc;
  atomic_int done;
} writer;

static void write_thread(void *arg) {
  writer *w = arg;
  size_t n = 0;
  atomic_store(&w->rc, pw_port_write(w->h, "data", 4, &n));
  atomic_store(&w->done, 1);
}

static int writing(const blockdest_state *s) {
  return s->in_write;
}
static int no_live_job(const blockdest_state *s) {
  return s->live_jobs == 0;
}
static int reading(const blockdest_state *s) {
  return s->in_read;
}

TEST(closeport_cancels_a_blocked_write_and_aborts_the_job) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-close", NULL), 0);
  g_blockdest.block_writes = 1;
  writer w = {0};
  pw_thread *t;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &w.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(w.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, write_thread, &w), PW_OK);
  ASSERT(blockdest_wait(writing));
  /* The write is blocked inside the destination: the handle lock is free,
   * so ClosePort gets in, cancels, and the job is aborted. */
  ASSERT_EQ(pw_port_close(w.h), PW_OK);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(atomic_load(&w.rc), PW_ECANCELED);
  ASSERT_EQ(g_blockdest.cancels, 1);
  ASSERT_EQ(g_blockdest.aborts, 1);
  ASSERT_EQ(g_blockdest.commits, 0);
  ASSERT_EQ(g_blockdest.live_jobs, 0);
  ASSERT_EQ(pw_port_close(w.h), PW_EBADHANDLE);
  teardown(&fx);
}

TEST(closeport_returns_within_its_bound_when_the_destination_ignores_cancel) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-stuck", NULL), 0);
  g_blockdest.block_writes = 1;
  g_blockdest.ignore_cancel = 1;
  writer w = {0};
  pw_thread *t;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &w.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(w.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, write_thread, &w), PW_OK);
  ASSERT(blockdest_wait(writing));
  /* ClosePort gives up after its bound; the write is still stuck. */
  ASSERT_EQ(pw_port_close(w.h), PW_OK);
  ASSERT_EQ(atomic_load(&w.done), 0);
  ASSERT_EQ(g_blockdest.aborts, 0);
  /* When the write finally returns, it is the last one out and aborts. */
  blockdest_release();
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT(blockdest_wait(no_live_job));
  ASSERT_EQ(g_blockdest.aborts, 1);
  ASSERT_EQ(g_blockdest.commits, 0);
  teardown(&fx);
}

TEST(shutdown_cancels_blocked_io_and_returns_within_its_bound) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-shutdown", NULL), 0);
  g_blockdest.block_writes = 1;
  writer w = {0};
  pw_thread *t;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &w.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(w.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, write_thread, &w), PW_OK);
  ASSERT(blockdest_wait(writing));
  fixture_stop(&fx); /* pw_monitor_destroy */
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(atomic_load(&w.rc), PW_ECANCELED);
  ASSERT_EQ(g_blockdest.aborts, 1);
  ASSERT_EQ(g_blockdest.live_jobs, 0);
  ASSERT_EQ(pw_port_close(w.h), PW_EBADHANDLE);
  teardown(&fx);
}

TEST(shutdown_with_a_stuck_destination_returns_and_the_job_is_aborted_later) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-shutdown-stuck", NULL), 0);
  g_blockdest.block_writes = 1;
  g_blockdest.ignore_cancel = 1;
  writer w = {0};
  pw_thread *t;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &w.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(w.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, write_thread, &w), PW_OK);
  ASSERT(blockdest_wait(writing));
  fixture_stop(&fx);
  ASSERT_EQ(atomic_load(&w.done), 0);
  blockdest_release();
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(g_blockdest.aborts, 1);
  ASSERT_EQ(g_blockdest.live_jobs, 0);
  teardown(&fx); /* ASan: the instance was freed by the write's return */
}

/* ---- read beside write ---- */
typedef struct reader {
  pw_handle h;
  atomic_int rc;
  size_t n;
} reader;

static void read_thread(void *arg) {
  reader *r = arg;
  char buf[16];
  atomic_store(&r->rc, pw_port_read(r->h, buf, sizeof buf, &r->n));
}

TEST(a_read_blocked_on_one_thread_does_not_stop_writes_on_another) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-duplex", NULL), 0);
  reader r = {0};
  pw_thread *t;
  size_t n = 0;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &r.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(r.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, read_thread, &r), PW_OK);
  ASSERT(blockdest_wait(reading));
  for (int i = 0; i < 10; i++)
    ASSERT_EQ(pw_port_write(r.h, "abcd", 4, &n), PW_OK);
  ASSERT_EQ(g_blockdest.bytes, 40);
  /* A second reader at the same time is refused, not queued. */
  char buf[4];
  ASSERT_EQ(pw_port_read(r.h, buf, sizeof buf, &n), PW_EBUSY);
  /* Status arrives: the blocked read returns it. */
  pw_mutex_lock(&g_blockdest.lock);
  g_blockdest.read_avail = 5;
  g_blockdest.release = 1;
  pw_cond_broadcast(&g_blockdest.cond);
  pw_mutex_unlock(&g_blockdest.lock);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(atomic_load(&r.rc), PW_OK);
  ASSERT_EQ(r.n, 5);
  ASSERT_EQ(pw_port_end_doc(r.h), PW_OK);
  ASSERT_EQ(g_blockdest.commits, 1);
  ASSERT_EQ(pw_port_close(r.h), PW_OK);
  teardown(&fx);
}

TEST(closeport_cancels_a_blocked_read) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-close-read", NULL), 0);
  reader r = {0};
  pw_thread *t;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &r.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(r.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, read_thread, &r), PW_OK);
  ASSERT(blockdest_wait(reading));
  ASSERT_EQ(pw_port_close(r.h), PW_OK);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(atomic_load(&r.rc), PW_ECANCELED);
  ASSERT_EQ(g_blockdest.aborts, 1);
  teardown(&fx);
}

/* ---- time-outs ---- */

TEST(timeouts_default_to_the_ports_configuration_and_follow_setporttimeouts) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-timeouts", "timeout=5\nconnect_timeout=7\n"), 0);
  pw_handle h;
  pw_timeouts t;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_get_timeouts(h, &t), PW_OK);
  ASSERT_EQ(t.connect_ms, 7000);
  ASSERT_EQ(t.read_ms, 5000);
  ASSERT_EQ(t.write_ms, 5000);
  pw_timeouts set = {0, 250, 1500};
  ASSERT_EQ(pw_port_set_timeouts(h, &set), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(g_blockdest.start_timeouts.connect_ms, 7000); /* 0: default */
  ASSERT_EQ(g_blockdest.start_timeouts.read_ms, 250);
  ASSERT_EQ(g_blockdest.start_timeouts.write_ms, 1500);
  /* Mid-job, the running job gets the new values. */
  pw_timeouts mid = {0, 0, 900};
  ASSERT_EQ(pw_port_set_timeouts(h, &mid), PW_OK);
  ASSERT_EQ(g_blockdest.set_timeouts_calls, 1);
  ASSERT_EQ(g_blockdest.last_set_timeouts.write_ms, 900);
  ASSERT_EQ(g_blockdest.last_set_timeouts.read_ms, 5000);
  ASSERT_EQ(pw_port_set_timeouts(h, NULL), PW_EINVAL);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(pw_port_set_timeouts(h, &set), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_get_timeouts(h, &t), PW_EBADHANDLE);
  teardown(&fx);
}

/* ---- status ---- */

TEST(status_changes_are_reported_once_each) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-status", NULL), 0);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  blockdest_report(PW_PORT_STATUS_PAPER_OUT, PW_PORT_SEVERITY_WARNING,
                   "tray 2 empty");
  blockdest_report(PW_PORT_STATUS_PAPER_OUT, PW_PORT_SEVERITY_WARNING,
                   "tray 2 empty");
  ASSERT_EQ(fx.status_changes, 1);
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_PAPER_OUT);
  ASSERT_STREQ(fx.last_status_port, "PW1:");
  ASSERT_STREQ(fx.last_status_text, "tray 2 empty");
  /* Delivered: the condition is over, reported once. */
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(fx.status_changes, 2);
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(fx.status_changes, 2);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  teardown(&fx);
}

TEST(a_failing_destination_sets_the_port_offline_until_a_job_succeeds) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-offline", NULL), 0);
  pw_handle h;
  g_blockdest.start_error = PW_ECONNREFUSED;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_ECONNREFUSED);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_ECONNREFUSED);
  ASSERT_EQ(fx.status_changes, 1);
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_OFFLINE);
  ASSERT_EQ(fx.last_severity, PW_PORT_SEVERITY_WARNING);
  ASSERT(strstr(fx.last_status_text, "refused") != NULL);
  g_blockdest.start_error = PW_OK;
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(fx.status_changes, 2);
  ASSERT_EQ(fx.last_status, PW_PORT_STATUS_OK);
  ASSERT_EQ(g_blockdest.live_jobs, 0);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  teardown(&fx);
}

TEST(a_job_started_twice_concurrently_is_refused_not_doubled) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-busy", NULL), 0);
  g_blockdest.block_writes = 1;
  writer w = {0};
  pw_thread *t;
  size_t n;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &w.h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(w.h, &doc1), PW_OK);
  ASSERT_EQ(pw_thread_start(&t, write_thread, &w), PW_OK);
  ASSERT(blockdest_wait(writing));
  /* A second write and an EndDocPort while a write runs: busy, and the
   * job is not touched. */
  ASSERT_EQ(pw_port_write(w.h, "x", 1, &n), PW_EBUSY);
  ASSERT_EQ(pw_port_end_doc(w.h), PW_EBUSY);
  blockdest_release();
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(atomic_load(&w.rc), PW_OK);
  ASSERT_EQ(pw_port_end_doc(w.h), PW_OK);
  ASSERT_EQ(g_blockdest.commits, 1);
  ASSERT_EQ(pw_port_close(w.h), PW_OK);
  teardown(&fx);
}

/* Only fatal errors poison a job: a transient write failure (nothing of the
 * buffer delivered) leaves it open, and the retried write completes it. */
TEST(a_transient_write_failure_leaves_the_job_open_for_a_retry) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-transient", NULL), 0);
  pw_handle h;
  size_t n = 0;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_write(h, "abcd", 4, &n), PW_OK);
  g_blockdest.write_error = PW_ETIMEDOUT;
  ASSERT_EQ(pw_port_write(h, "efgh", 4, &n), PW_ETIMEDOUT);
  ASSERT_EQ(n, 0);
  ASSERT_EQ(pw_port_write(h, "efgh", 4, &n), PW_OK);
  ASSERT_EQ(n, 4);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(g_blockdest.commits, 1);
  ASSERT_EQ(g_blockdest.bytes, 8);
  /* Not written again before EndDocPort: the job has a hole, discarded. */
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  g_blockdest.write_error = PW_ETIMEDOUT;
  ASSERT_EQ(pw_port_write(h, "abcd", 4, &n), PW_ETIMEDOUT);
  ASSERT_EQ(pw_port_end_doc(h), PW_ETIMEDOUT);
  ASSERT_EQ(g_blockdest.commits, 1);
  ASSERT_EQ(g_blockdest.aborts, 1);
  /* A fatal one poisons: later writes fail, EndDocPort discards. */
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  g_blockdest.write_error = PW_EIO;
  ASSERT_EQ(pw_port_write(h, "ijkl", 4, &n), PW_EIO);
  ASSERT_EQ(pw_port_write(h, "ijkl", 4, &n), PW_EABORTED);
  ASSERT_EQ(pw_port_end_doc(h), PW_EIO);
  ASSERT_EQ(g_blockdest.commits, 1);
  ASSERT_EQ(g_blockdest.aborts, 2);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  teardown(&fx);
}

TEST(a_transient_failure_poisons_where_the_destination_cannot_retry_writes) {
  fixture fx;
  ASSERT_EQ(setup(&fx, "io-strict", NULL), 0);
  pw_dest_override_for_tests(PW_DEST_FILE, &blockdest_ops_strict);
  pw_handle h;
  size_t n = 0;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  g_blockdest.write_error = PW_ETIMEDOUT;
  ASSERT_EQ(pw_port_write(h, "abcd", 4, &n), PW_ETIMEDOUT);
  ASSERT_EQ(pw_port_write(h, "abcd", 4, &n), PW_EABORTED);
  ASSERT_EQ(pw_port_end_doc(h), PW_ETIMEDOUT);
  ASSERT_EQ(g_blockdest.commits, 0);
  ASSERT_EQ(g_blockdest.aborts, 1);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(a_transient_write_failure_leaves_the_job_open_for_a_retry),
    TEST_ENTRY(
        a_transient_failure_poisons_where_the_destination_cannot_retry_writes),
    TEST_ENTRY(closeport_cancels_a_blocked_write_and_aborts_the_job),
    TEST_ENTRY(
        closeport_returns_within_its_bound_when_the_destination_ignores_cancel),
    TEST_ENTRY(shutdown_cancels_blocked_io_and_returns_within_its_bound),
    TEST_ENTRY(
        shutdown_with_a_stuck_destination_returns_and_the_job_is_aborted_later),
    TEST_ENTRY(a_read_blocked_on_one_thread_does_not_stop_writes_on_another),
    TEST_ENTRY(closeport_cancels_a_blocked_read),
    TEST_ENTRY(
        timeouts_default_to_the_ports_configuration_and_follow_setporttimeouts),
    TEST_ENTRY(status_changes_are_reported_once_each),
    TEST_ENTRY(
        a_failing_destination_sets_the_port_offline_until_a_job_succeeds),
    TEST_ENTRY(a_job_started_twice_concurrently_is_refused_not_doubled))
