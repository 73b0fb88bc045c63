/* Job lifecycle on port handles, over real file destinations. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "test.h"

#define SETUP(fx)                                                              \
  fixture fx;                                                                  \
  ASSERT_EQ(fixture_setup(&fx, "jobs"), 0);                                    \
  ASSERT_EQ(pw_monitor_add_port(                                               \
                fx.mon, "PW1:", fixture_file_config(&fx, NULL), NULL, 0),      \
            PW_OK)

static const pw_doc_info doc1 = {"Office Printer", 42,    "report.pdf",
                                 "alice",          "ws1", "RAW"};

static int write_pattern(pw_handle h, size_t total, size_t chunk) {
  unsigned char buf[4096];
  size_t done = 0;
  if (chunk > sizeof buf)
    chunk = sizeof buf;
  while (done < total) {
    size_t n = total - done < chunk ? total - done : chunk, w = 0;
    for (size_t i = 0; i < n; i++)
      buf[i] = (unsigned char)((done + i) * 131u + 7u);
    int rc = pw_port_write(h, buf, n, &w);
    if (rc != PW_OK)
      return rc;
    if (w != n)
      return -1000;
    done += n;
  }
  return PW_OK;
}

static int check_pattern(const char *path, size_t total) {
  char *data = NULL;
  long n = test_read_file(path, &data);
  int ok = n == (long)total;
  for (size_t i = 0; ok && i < total; i++)
    ok = (unsigned char)data[i] == (unsigned char)(i * 131u + 7u);
  free(data);
  return ok;
}

TEST(full_job_arrives_byte_identical_under_its_final_name) {
  SETUP(fx);
  pw_handle h = 0;
  char out[2048], expect[2048];
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 1000000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  snprintf(expect, sizeof expect, "%s/PW1_-42-1.prn", fx.outdir);
  ASSERT_STREQ(out, expect);
  ASSERT(check_pattern(out, 1000000));
  ASSERT_EQ(test_count_files(fx.outdir), 1); /* no temp file left */
  ASSERT_EQ(fx.delivered, 1);
  ASSERT_STREQ(fx.last_printer, "Office Printer");
  ASSERT_EQ(fx.last_job, 42);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(two_jobs_on_one_handle_never_overwrite_each_other) {
  SETUP(fx);
  pw_handle h;
  char a[2048] = "", b[2048] = "";
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  for (int i = 0; i < 2; i++) {
    ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
    ASSERT_EQ(write_pattern(h, 5000, 4096), PW_OK);
    ASSERT_EQ(pw_port_end_doc(h), PW_OK);
    ASSERT_EQ(pw_port_last_output(h, i ? b : a, sizeof a), PW_OK);
  }
  ASSERT(strcmp(a, b) != 0);
  ASSERT(strstr(b, "PW1_-42-2.prn") != NULL);
  ASSERT_EQ(test_count_files(fx.outdir), 2);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(unknown_job_identity_skips_the_delivered_hook) {
  SETUP(fx);
  pw_handle h;
  pw_doc_info wine_doc = {NULL, 0, "doc", NULL, NULL, "RAW"};
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &wine_doc), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  ASSERT_EQ(test_count_files(fx.outdir), 1); /* an empty job is a job */
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(close_without_end_doc_aborts_and_leaves_nothing) {
  SETUP(fx);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 100000, 4096), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(test_count_files(fx.outdir), 0);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
}

/* Windows' Local Port monitor answers, as Wine's localmon conformance test
 * checks them: EndDocPort without a document succeeds (idempotent), and a
 * second StartDocPort while a document is open succeeds and the open job
 * continues. Only a write without a job is out of order. */
TEST(calls_out_of_order_follow_the_local_port_monitor) {
  SETUP(fx);
  pw_handle h;
  size_t w = 99;
  char out[2048];
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_write(h, "x", 1, &w), PW_ESTATE);
  ASSERT_EQ(w, 0);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_write(h, "ab", 2, &w), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);   /* the job continues */
  ASSERT_EQ(pw_port_write(h, NULL, 0, &w), PW_OK); /* zero bytes is fine */
  ASSERT_EQ(pw_port_write(h, "c", 1, &w), PW_OK);
  ASSERT_EQ(pw_port_write(h, NULL, 5, &w), PW_EINVAL);
  ASSERT_EQ(pw_port_write(h, "x", 1, NULL), PW_EINVAL);
  ASSERT_EQ(pw_port_start_doc(h, NULL), PW_EINVAL);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  /* One job, with the bytes written before and after the second start. */
  ASSERT_EQ(test_count_files(fx.outdir), 1);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  char *data = NULL;
  ASSERT_EQ(test_read_file(out, &data), 3);
  ASSERT(memcmp(data, "abc", 3) == 0);
  free(data);
  ASSERT_EQ(fx.delivered, 1);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(read_port_on_a_file_port_is_not_supported) {
  SETUP(fx);
  pw_handle h;
  char buf[16];
  size_t n = 7;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_read(h, buf, sizeof buf, &n), PW_ENOTSUP);
  ASSERT_EQ(n, 0);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_read(h, buf, sizeof buf, &n), PW_ENOTSUP);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(failed_write_poisons_the_job_and_end_doc_discards_it) {
  SETUP(fx);
  pw_handle h;
  size_t w = 1;
  struct rlimit old, small;
  /* A file-size limit makes the destination refuse bytes past 16 KB, as a
   * full disk would (EFBIG instead of SIGXFSZ once the signal is ignored). */
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  small = old;
  small.rlim_cur = 16384;
  signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  /* More than the file port gathers in memory, so a write reaches the
   * file and fails while the job is still being written. */
  int rc = write_pattern(h, 262144, 4096);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
  /* EFBIG is the destination refusing more bytes: the disk-full code, which
   * the front reports as ERROR_DISK_FULL. */
  ASSERT_EQ(rc, PW_ENOSPC);
  /* Later writes fail too, reporting nothing written. */
  ASSERT_EQ(pw_port_write(h, "x", 1, &w), PW_EABORTED);
  ASSERT_EQ(w, 0);
  /* EndDocPort discards the job and reports why it failed. */
  ASSERT_EQ(pw_port_end_doc(h), PW_ENOSPC);
  ASSERT_EQ(test_count_files(fx.outdir), 0);
  ASSERT_EQ(fx.delivered, 0);
  /* The log names the OS error beside portway's text. */
  char *log = NULL;
  ASSERT(test_read_file(pw_monitor_log_path(fx.mon), &log) > 0);
  ASSERT(strstr(log, "write failed after ") != NULL);
  ASSERT(strstr(log, "(errno 27: File too large)") != NULL);
  free(log);
  /* The handle is usable again for the next job. */
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 100, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(test_count_files(fx.outdir), 1);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(write_error_found_at_end_doc_still_fails_the_job) {
  SETUP(fx);
  pw_handle h;
  struct rlimit old, small;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  small = old;
  small.rlim_cur = 16384;
  signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  /* 32 KB: every WritePort is gathered in memory and succeeds; the bytes
   * reach the file only at EndDocPort, which must then fail. */
  ASSERT_EQ(write_pattern(h, 32768, 4096), PW_OK);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  int rc = pw_port_end_doc(h);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
  ASSERT_EQ(rc, PW_ENOSPC);
  ASSERT_EQ(test_count_files(fx.outdir), 0);
  ASSERT_EQ(fx.delivered, 0);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(end_doc_fails_and_leaves_nothing_when_the_directory_vanished) {
  SETUP(fx);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 4096, 4096), PW_OK);
  test_rmtree(fx.outdir); /* temp file unlinked, directory gone */
  /* The final name cannot be made: its directory is not there. */
  ASSERT_EQ(pw_port_end_doc(h), PW_ENOENT);
  ASSERT_EQ(fx.delivered, 0);
  struct stat st;
  ASSERT_NE(stat(fx.outdir, &st), 0); /* nothing recreated it */
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(bad_handles_fail_cleanly) {
  SETUP(fx);
  pw_handle h;
  size_t w;
  ASSERT_EQ(pw_port_close(0), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_close(0xdeadbeef), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_write(0, "x", 1, &w), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_start_doc(0x1234, &doc1), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_end_doc(0x1234), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_write(h, "x", 1, &w), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_open(fx.mon, "NOPE:", &h), PW_ENOENT);
  ASSERT_EQ(pw_port_open(NULL, "PW1:", &h), PW_EINVAL);
  fixture_teardown(&fx);
}

TEST(deleting_a_port_mid_job_lets_the_job_finish) {
  SETUP(fx);
  pw_handle h;
  char out[2048];
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_monitor_delete_port(fx.mon, "PW1:"), PW_OK);
  ASSERT_EQ(write_pattern(h, 20000, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  ASSERT(check_pattern(out, 20000));
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_ENOENT);
  fixture_teardown(&fx);
}

TEST(reconfiguring_mid_job_keeps_the_jobs_configuration) {
  SETUP(fx);
  pw_handle h;
  char out[2048];
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_monitor_set_port(fx.mon,
                                "PW1:", fixture_file_config(&fx, "new-{n}.bin"),
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(write_pattern(h, 100, 4096), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  ASSERT(strstr(out, "PW1_-42-1.prn") != NULL);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_last_output(h, out, sizeof out), PW_OK);
  ASSERT(strstr(out, "new-1.bin") != NULL);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(shutdown_with_an_open_job_aborts_it_and_kills_the_handle) {
  SETUP(fx);
  pw_handle h;
  size_t w;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(write_pattern(h, 10000, 4096), PW_OK);
  fixture_stop(&fx);
  ASSERT_EQ(test_count_files(fx.outdir), 0);
  ASSERT_EQ(pw_port_write(h, "x", 1, &w), PW_EBADHANDLE);
  ASSERT_EQ(pw_port_close(h), PW_EBADHANDLE);
  fixture_teardown(&fx);
}

TEST(log_names_port_job_document_and_cause) {
  SETUP(fx);
  pw_handle h;
  char *log = NULL;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &doc1), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(test_read_file(pw_monitor_log_path(fx.mon), &log) > 0);
  ASSERT(strstr(log, "port=PW1: job=42 doc=\"report.pdf\": delivered") != NULL);
  ASSERT(strstr(log, "aborted (port closed without EndDocPort)") != NULL);
  free(log);
  fixture_teardown(&fx);
}

/* Concurrent jobs on different ports, each thread with its own handle. */
typedef struct worker {
  pw_monitor *mon;
  const char *port;
  int jobs;
  atomic_int *errors;
} worker;

static void worker_run(void *arg) {
  worker *wk = arg;
  for (int j = 0; j < wk->jobs; j++) {
    pw_handle h;
    pw_doc_info d = {"P", (uint32_t)(j + 1), "doc", "u", "m", "RAW"};
    if (pw_port_open(wk->mon, wk->port, &h) != PW_OK) {
      atomic_fetch_add(wk->errors, 1);
      continue;
    }
    if (pw_port_start_doc(h, &d) != PW_OK || write_pattern(h, 65536, 4096) ||
        pw_port_end_doc(h) != PW_OK)
      atomic_fetch_add(wk->errors, 1);
    if (pw_port_close(h) != PW_OK)
      atomic_fetch_add(wk->errors, 1);
  }
}

TEST(concurrent_jobs_on_different_ports_all_arrive) {
  SETUP(fx);
  atomic_int errors = 0;
  ASSERT_EQ(
      pw_monitor_add_port(
          fx.mon, "PW2:", fixture_file_config(&fx, "b-{job}-{n}.prn"), NULL, 0),
      PW_OK);
  worker w[4] = {{fx.mon, "PW1:", 20, &errors},
                 {fx.mon, "PW2:", 20, &errors},
                 {fx.mon, "PW1:", 20, &errors},
                 {fx.mon, "PW2:", 20, &errors}};
  pw_thread *t[4];
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(pw_thread_start(&t[i], worker_run, &w[i]), PW_OK);
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(pw_thread_join(t[i]), PW_OK);
  ASSERT_EQ(atomic_load(&errors), 0);
  ASSERT_EQ(test_count_files(fx.outdir), 80);
  fixture_teardown(&fx);
}

/* ClosePort racing WritePort/EndDocPort on the same handle (a spooler
 * bug, but it must not crash): every call returns OK or a clean error, and
 * no job ends up half-written under a final name. */
typedef struct racer {
  pw_handle h;
  atomic_int *bad;
  atomic_int *delivered; /* EndDocPort returned PW_OK */
} racer;

#define RACE_CHUNK 512
#define RACE_WRITES 2000

static void race_writer(void *arg) {
  racer *r = arg;
  unsigned char chunk[RACE_CHUNK] = {1};
  for (int i = 0; i < RACE_WRITES; i++) {
    size_t w = 0;
    int rc = pw_port_write(r->h, chunk, sizeof chunk, &w);
    if (rc != PW_OK && rc != PW_EBADHANDLE)
      atomic_fetch_add(r->bad, 1);
    if (rc == PW_EBADHANDLE)
      break;
  }
  int rc = pw_port_end_doc(r->h);
  if (rc == PW_OK)
    atomic_fetch_add(r->delivered, 1);
  else if (rc != PW_EBADHANDLE)
    atomic_fetch_add(r->bad, 1);
}

/* One round: a job on PW1: with a writer thread running, then a ClosePort
 * (or, with `shutdown`, a Shutdown) from this thread. 0 when all was clean. */
static int race_round(fixture *fx, int shutdown, atomic_int *bad,
                      atomic_int *delivered) {
  racer r = {0, bad, delivered};
  pw_thread *t;
  if (!fx->mon)
    CHECK_OR_RETURN(fixture_start(fx) == 0, -1);
  CHECK_OR_RETURN(pw_port_open(fx->mon, "PW1:", &r.h) == PW_OK, -1);
  CHECK_OR_RETURN(pw_port_start_doc(r.h, &doc1) == PW_OK, -1);
  CHECK_OR_RETURN(pw_thread_start(&t, race_writer, &r) == PW_OK, -1);
  if (shutdown)
    fixture_stop(fx); /* Shutdown while the writer runs */
  else
    CHECK_OR_RETURN(pw_port_close(r.h) == PW_OK, -1);
  CHECK_OR_RETURN(pw_thread_join(t) == PW_OK, -1);
  CHECK_OR_RETURN(pw_port_close(r.h) == PW_EBADHANDLE, -1);
  return 0;
}

/* Jobs that finished before the stop were delivered; every other one was
 * aborted, and no temporary file is left behind. */
static int no_temporary_files_left(const fixture *fx) {
  char tmp[2048];
  snprintf(tmp, sizeof tmp, "%s/.portway", fx->outdir);
  return test_count_files(tmp) <= 0;
}

/* Files under a final name in the output folder that hold a racer's whole
 * job (RACE_WRITES chunks of {1, 0, 0, ...}); -1 if any file there holds
 * anything else (a job cut short, or a foreign file). */
static int complete_race_files(const fixture *fx) {
  DIR *d = opendir(fx->outdir);
  if (!d)
    return -1;
  int complete = 0, other = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.')
      continue; /* ".", "..", the ".portway" folder */
    char path[2300], *data = NULL;
    snprintf(path, sizeof path, "%s/%s", fx->outdir, de->d_name);
    long n = test_read_file(path, &data);
    int whole = n == (long)RACE_CHUNK * RACE_WRITES;
    for (long i = 0; whole && i < n; i++)
      whole = data[i] == (i % RACE_CHUNK == 0 ? 1 : 0);
    free(data);
    complete += whole;
    other += !whole;
  }
  closedir(d);
  return other ? -1 : complete;
}

TEST(close_racing_writes_on_the_same_handle_is_clean) {
  SETUP(fx);
  atomic_int bad = 0, delivered = 0;
  for (int round = 0; round < 20; round++)
    ASSERT_EQ(race_round(&fx, 0, &bad, &delivered), 0);
  ASSERT_EQ(atomic_load(&bad), 0);
  ASSERT(no_temporary_files_left(&fx));
  /* Exactly the jobs EndDocPort reported as delivered are there, each one
   * whole; the others left nothing under a final name. */
  ASSERT_EQ(complete_race_files(&fx), atomic_load(&delivered));
  fixture_teardown(&fx);
}

TEST(shutdown_racing_writes_on_open_handles_is_clean) {
  SETUP(fx);
  atomic_int bad = 0, delivered = 0;
  for (int round = 0; round < 10; round++)
    ASSERT_EQ(race_round(&fx, 1, &bad, &delivered), 0);
  ASSERT_EQ(atomic_load(&bad), 0);
  ASSERT(no_temporary_files_left(&fx));
  ASSERT_EQ(complete_race_files(&fx), atomic_load(&delivered));
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(full_job_arrives_byte_identical_under_its_final_name),
    TEST_ENTRY(two_jobs_on_one_handle_never_overwrite_each_other),
    TEST_ENTRY(unknown_job_identity_skips_the_delivered_hook),
    TEST_ENTRY(close_without_end_doc_aborts_and_leaves_nothing),
    TEST_ENTRY(calls_out_of_order_follow_the_local_port_monitor),
    TEST_ENTRY(read_port_on_a_file_port_is_not_supported),
    TEST_ENTRY(failed_write_poisons_the_job_and_end_doc_discards_it),
    TEST_ENTRY(write_error_found_at_end_doc_still_fails_the_job),
    TEST_ENTRY(end_doc_fails_and_leaves_nothing_when_the_directory_vanished),
    TEST_ENTRY(bad_handles_fail_cleanly),
    TEST_ENTRY(deleting_a_port_mid_job_lets_the_job_finish),
    TEST_ENTRY(reconfiguring_mid_job_keeps_the_jobs_configuration),
    TEST_ENTRY(shutdown_with_an_open_job_aborts_it_and_kills_the_handle),
    TEST_ENTRY(log_names_port_job_document_and_cause),
    TEST_ENTRY(concurrent_jobs_on_different_ports_all_arrive),
    TEST_ENTRY(close_racing_writes_on_the_same_handle_is_clean),
    TEST_ENTRY(shutdown_racing_writes_on_open_handles_is_clean))
