/* portway — many jobs with one name: the file destination remembers the next
 * free collision number per name family, so the n-th job of a family does
 * not try n names; the hint is only a hint: the no-replace rename decides,
 * so a file made behind its back is never overwritten, and the plain name is
 * used again once it is free. Basic collision rules: see
 * test_dest_file_names.c. */
#define _DEFAULT_SOURCE /* unlink under -std=c11 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/dest.h"
#include "destfix.h"  /* destfix_*, test_path_in, test_file_is, ... */
#include "memstore.h" /* test_count_files */
#include "portway/error.h"
#include "test.h"

/* "Report.prn" for number 1, "Report-<n>.prn" after it. */
static const char *report_name(int n) {
  static char buf[64];
  if (n == 1)
    snprintf(buf, sizeof buf, "Report.prn");
  else
    snprintf(buf, sizeof buf, "Report-%d.prn", n);
  return buf;
}

/* One job whose bytes are `text`; its final base name into name[64]. */
static int run_text_job(destfix *e, const char *text, char name[64]) {
  int err = destfix_run_job(e, text, strlen(text), 4096);
  snprintf(name, 64, "%s", err == PW_OK ? test_base_name(e->final) : "");
  return err;
}

/* Number of the files Report.prn .. Report-<count>.prn in dir that hold
 * exactly "job <i>" for the i-th job (i from 1), in that order. */
static int count_numbered_jobs(const char *dir, int count) {
  int good = 0;
  for (int i = 1; i <= count; i++) {
    char text[32];
    snprintf(text, sizeof text, "job %d", i);
    good += test_file_is(test_path_in(dir, report_name(i)), text, strlen(text));
  }
  return good;
}

TEST(three_hundred_same_name_jobs_arrive_whole_as_dash_2_to_dash_300) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}.prn"), 0);
  int failed = 0;
  for (int i = 1; i <= 300; i++) {
    char text[32], name[64];
    snprintf(text, sizeof text, "job %d", i);
    failed += run_text_job(&e, text, name) != PW_OK ||
              strcmp(name, report_name(i)) != 0;
  }
  int good = count_numbered_jobs(e.dir, 300);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(failed, 0);
  ASSERT_EQ(good, 300);
  ASSERT_EQ(files, 300);
}

TEST(a_file_created_behind_the_hint_is_never_overwritten) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}.prn"), 0);
  char n1[64], n2[64], n3[64], n4[64];
  int r1 = run_text_job(&e, "job 1", n1);
  int r2 = run_text_job(&e, "job 2", n2);
  /* Another process takes the names the next jobs would get. */
  int made = test_write_text(test_path_in(e.dir, "Report-3.prn"), "theirs 3");
  made |= test_write_text(test_path_in(e.dir, "Report-5.prn"), "theirs 5");
  int r3 = run_text_job(&e, "job 3", n3);
  int r4 = run_text_job(&e, "job 4", n4);
  int kept3 = test_file_is(test_path_in(e.dir, "Report-3.prn"), "theirs 3", 8);
  int kept5 = test_file_is(test_path_in(e.dir, "Report-5.prn"), "theirs 5", 8);
  int got3 = test_file_is(test_path_in(e.dir, "Report-4.prn"), "job 3", 5);
  int got4 = test_file_is(test_path_in(e.dir, "Report-6.prn"), "job 4", 5);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(made, 0);
  ASSERT_EQ(r1, PW_OK);
  ASSERT_EQ(r2, PW_OK);
  ASSERT_EQ(r3, PW_OK);
  ASSERT_EQ(r4, PW_OK);
  ASSERT_STREQ(n1, "Report.prn");
  ASSERT_STREQ(n2, "Report-2.prn");
  ASSERT_STREQ(n3, "Report-4.prn");
  ASSERT_STREQ(n4, "Report-6.prn");
  ASSERT(kept3 && kept5);
  ASSERT(got3 && got4);
  ASSERT_EQ(files, 6);
}

TEST(the_hint_survives_deletions_and_a_free_plain_name_comes_first) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}.prn"), 0);
  char name[64];
  int failed = 0;
  for (int i = 1; i <= 4; i++) {
    char text[32];
    snprintf(text, sizeof text, "job %d", i);
    failed += run_text_job(&e, text, name) != PW_OK;
  }
  /* A reader took numbers 2 and 3 away: the family goes on after 4, and
   * never hands out a number twice in a row. */
  int gone = unlink(test_path_in(e.dir, "Report-2.prn"));
  gone |= unlink(test_path_in(e.dir, "Report-3.prn"));
  char n5[64], n6[64], n7[64];
  int r5 = run_text_job(&e, "job 5", n5);
  /* The plain name is free again: it is what the next job gets. */
  gone |= unlink(test_path_in(e.dir, "Report.prn"));
  int r6 = run_text_job(&e, "job 6", n6);
  int r7 = run_text_job(&e, "job 7", n7);
  int got5 = test_file_is(test_path_in(e.dir, "Report-5.prn"), "job 5", 5);
  int got6 = test_file_is(test_path_in(e.dir, "Report.prn"), "job 6", 5);
  int got7 = test_file_is(test_path_in(e.dir, "Report-6.prn"), "job 7", 5);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(failed, 0);
  ASSERT_EQ(gone, 0);
  ASSERT_EQ(r5, PW_OK);
  ASSERT_EQ(r6, PW_OK);
  ASSERT_EQ(r7, PW_OK);
  ASSERT_STREQ(n5, "Report-5.prn");
  ASSERT_STREQ(n6, "Report.prn");
  ASSERT_STREQ(n7, "Report-6.prn");
  ASSERT(got5 && got6 && got7);
  ASSERT_EQ(files, 4); /* Report, -4, -5, -6 */
}

TEST(without_a_hint_the_first_free_number_after_the_taken_run_is_found) {
  /* A fresh process (Wine's spooler loads the monitor for every job) has
   * no hint: 1000 taken names must not cost 1000 renames, and the job still
   * lands right after them. */
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}.prn"), 0);
  int made = 0;
  for (int i = 1; i <= 1000; i++)
    made |= test_write_text(test_path_in(e.dir, report_name(i)), "old");
  char name[64];
  int err = run_text_job(&e, "new", name);
  int got = test_file_is(test_path_in(e.dir, "Report-1001.prn"), "new", 3);
  int kept = 0;
  for (int i = 1; i <= 1000; i++)
    kept += test_file_is(test_path_in(e.dir, report_name(i)), "old", 3);
  destfix_teardown(&e);
  ASSERT_EQ(made, 0);
  ASSERT_EQ(err, PW_OK);
  ASSERT_STREQ(name, "Report-1001.prn");
  ASSERT(got);
  ASSERT_EQ(kept, 1000);
}

TEST(without_a_hint_gaps_in_the_numbers_never_cause_an_overwrite) {
  /* Taken: 1..40 and 42..70, with 41 free. The search assumes one run of
   * taken numbers, so it may pick 41 or 71; either way a new name, and every
   * old file keeps its bytes. */
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}.prn"), 0);
  int made = 0;
  for (int i = 1; i <= 70; i++)
    if (i != 41)
      made |= test_write_text(test_path_in(e.dir, report_name(i)), "old");
  char name[64];
  int err = run_text_job(&e, "new", name);
  int picked_free =
      strcmp(name, "Report-41.prn") == 0 || strcmp(name, "Report-71.prn") == 0;
  int got = test_file_is(test_path_in(e.dir, name), "new", 3);
  int kept = 0;
  for (int i = 1; i <= 70; i++)
    if (i != 41)
      kept += test_file_is(test_path_in(e.dir, report_name(i)), "old", 3);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(made, 0);
  ASSERT_EQ(err, PW_OK);
  ASSERT(picked_free);
  ASSERT(got);
  ASSERT_EQ(kept, 69);
  ASSERT_EQ(files, 70);
}

TEST(a_family_pushed_out_of_the_bounded_hints_still_gets_the_next_name) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}.prn"), 0);
  char name[64];
  int failed = 0;
  for (int i = 1; i <= 3; i++) {
    char text[32];
    snprintf(text, sizeof text, "job %d", i);
    failed += run_text_job(&e, text, name) != PW_OK;
  }
  /* 200 other families, each colliding once, use far more hint slots than
   * the table holds. */
  char other[32];
  for (int f = 0; f < 200; f++) {
    snprintf(other, sizeof other, "other %d", f);
    e.doc.doc_name = other;
    failed += run_text_job(&e, "x", name) != PW_OK;
    failed += run_text_job(&e, "y", name) != PW_OK;
  }
  e.doc.doc_name = "Report";
  char n4[64];
  int r4 = run_text_job(&e, "job 4", n4);
  int good = count_numbered_jobs(e.dir, 4);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(failed, 0);
  ASSERT_EQ(r4, PW_OK);
  ASSERT_STREQ(n4, "Report-4.prn");
  ASSERT_EQ(good, 4);
  ASSERT_EQ(files, 4 + 400);
}

/* ---- one name family from four threads at once ---- */

typedef struct same_name_worker {
  const destfix *e; /* shared, read-only */
  int id, failed;
} same_name_worker;

#define WORKER_JOBS 50

static void same_name_jobs(void *arg) {
  same_name_worker *w = arg;
  pw_dest_start st = w->e->st; /* cfg and doc are only read */
  for (int j = 0; j < WORKER_JOBS; j++) {
    char text[32], err[256], final[DESTFIX_FINAL_CAP];
    snprintf(text, sizeof text, "thread %d job %d", w->id, j);
    pw_dest_job *job = NULL;
    int rc = pw_dest_file.start(&st, &job, err, sizeof err);
    if (rc == PW_OK)
      rc = pw_dest_file.write(job, text, strlen(text));
    if (rc == PW_OK)
      rc = pw_dest_file.commit(job, final, sizeof final, err, sizeof err);
    else if (job)
      pw_dest_file.abort(job);
    w->failed += rc != PW_OK;
  }
}

TEST(same_name_jobs_on_four_threads_all_arrive_under_distinct_names) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}.prn"), 0);
  same_name_worker w[4];
  pw_thread *t[4];
  int started = 0;
  for (int i = 0; i < 4; i++) {
    w[i] = (same_name_worker){&e, i, 0};
    started += pw_thread_start(&t[i], same_name_jobs, &w[i]) == PW_OK;
  }
  for (int i = 0; i < started; i++)
    pw_thread_join(t[i]);
  /* Every job's bytes are in exactly one file named Report[-N].prn. */
  int found = 0, failed = 0;
  for (int i = 0; i < 4; i++)
    failed += w[i].failed;
  for (int n = 1; n <= 4 * WORKER_JOBS + 50; n++) {
    char *data = NULL;
    long len = test_read_file(test_path_in(e.dir, report_name(n)), &data);
    int id, j, used = 0;
    if (len > 0)
      data[len] = '\0'; /* test_read_file leaves room for it */
    if (len > 0 && sscanf(data, "thread %d job %d%n", &id, &j, &used) == 2 &&
        used == len && id >= 0 && id < 4 && j >= 0 && j < WORKER_JOBS)
      found++;
    free(data);
  }
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(started, 4);
  ASSERT_EQ(failed, 0);
  ASSERT_EQ(found, 4 * WORKER_JOBS);
  ASSERT_EQ(files, 4 * WORKER_JOBS);
}

TEST_MAIN(
    TEST_ENTRY(three_hundred_same_name_jobs_arrive_whole_as_dash_2_to_dash_300),
    TEST_ENTRY(a_file_created_behind_the_hint_is_never_overwritten),
    TEST_ENTRY(the_hint_survives_deletions_and_a_free_plain_name_comes_first),
    TEST_ENTRY(
        without_a_hint_the_first_free_number_after_the_taken_run_is_found),
    TEST_ENTRY(without_a_hint_gaps_in_the_numbers_never_cause_an_overwrite),
    TEST_ENTRY(
        a_family_pushed_out_of_the_bounded_hints_still_gets_the_next_name),
    TEST_ENTRY(same_name_jobs_on_four_threads_all_arrive_under_distinct_names))
