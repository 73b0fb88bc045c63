/* portway — final names of the file destination: every pattern token,
 * missing document fields, collisions never overwrite (-2, -N, {n}), 10000
 * taken names fail the job, hostile document names stay inside the directory
 * and come out sanitized. Job lifecycle: see test_dest_file.c. */
#define _DEFAULT_SOURCE /* strncasecmp, mkdir under -std=c11 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/dest.h"
#include "destfix.h"  /* destfix_*, test_path_in, test_file_is, ... */
#include "memstore.h" /* test_count_files */
#include "portway/error.h"
#include "test.h"

/* Final file name of one job with `pattern` (empty on failure). */
static int name_for(destfix *e, const char *pattern, char *name, size_t cap) {
  snprintf(e->pattern, sizeof e->pattern, "%s", pattern);
  int err = destfix_run_job(e, "x", 1, 1);
  snprintf(name, cap, "%s", err == PW_OK ? test_base_name(e->final) : "");
  return err;
}

TEST(final_name_expands_every_pattern_token) {
  /* The pattern validator bounds the worst-case length (64 bytes per text
   * token), so the tokens are spread over three patterns. */
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x"), 0);
  char a[256], b[256], c[256];
  int ra = name_for(&e, "{job}_{doc}_{user}_{date}_{time}.prn", a, sizeof a);
  int rb = name_for(&e,
                    "{machine}_{printer}_{year}{month}{day}{hour}{minute}"
                    "{second}.prn",
                    b, sizeof b);
  int rc = name_for(&e, "{port}_{n}_{{x}}.prn", c, sizeof c);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(ra, PW_OK);
  ASSERT_EQ(rb, PW_OK);
  ASSERT_EQ(rc, PW_OK);
  ASSERT_STREQ(a, "7_Report_alice_20260304_050607.prn");
  ASSERT_STREQ(b, "PC1_Office HP_20260304050607.prn");
  /* ':' of the port name is not allowed in a Windows file name. */
  ASSERT_STREQ(c, "PW1__1_{x}.prn");
  ASSERT_EQ(files, 3);
}

TEST(missing_document_fields_expand_to_unknown) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x"), 0);
  e.st.doc = NULL;
  char a[256], b[256];
  int ra = name_for(&e, "{doc}-{user}-{job}.prn", a, sizeof a);
  int rb = name_for(&e, "{machine}-{printer}.prn", b, sizeof b);
  destfix_teardown(&e);
  ASSERT_EQ(ra, PW_OK);
  ASSERT_EQ(rb, PW_OK);
  ASSERT_STREQ(a, "unknown-unknown-0.prn");
  ASSERT_STREQ(b, "unknown-unknown.prn");
}

static char *heap_string(const char *s) {
  char *d = malloc(strlen(s) + 1);
  if (d)
    strcpy(d, s);
  return d;
}

/* Scribble over and free a caller string, as a caller reusing buffers. */
static void scribble_free(char *s) {
  memset(s, 'X', strlen(s));
  free(s);
}

TEST(document_strings_may_be_freed_right_after_start) {
  static const char *const patterns[] = {"{doc}-{user}.prn",
                                         "{machine}-{printer}.prn", "{port}"};
  static const char *const expect[] = {"memo-bob.prn", "HOST-Laser.prn", "P2"};
  for (int i = 0; i < 3; i++) {
    destfix e;
    ASSERT_EQ(destfix_setup(&e, "out", patterns[i]), 0);
    char *doc = heap_string("memo"), *user = heap_string("bob"),
         *machine = heap_string("HOST"), *printer = heap_string("Laser"),
         *port = heap_string("P2");
    ASSERT(doc && user && machine && printer && port);
    e.doc = (pw_doc_info){printer, 9, doc, user, machine, "RAW"};
    e.st.port = port;
    pw_dest_job *job;
    int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
    scribble_free(doc);
    scribble_free(user);
    scribble_free(machine);
    scribble_free(printer);
    scribble_free(port);
    e.st.doc = NULL;
    e.st.port = NULL;
    if (err == PW_OK)
      err = pw_dest_file.commit(job, e.final, sizeof e.final, e.err,
                                sizeof e.err);
    char name[256];
    snprintf(name, sizeof name, "%s", test_base_name(e.final));
    destfix_teardown(&e);
    ASSERT_EQ(err, PW_OK);
    ASSERT_STREQ(name, expect[i]);
  }
}

TEST(collisions_get_dash_2_and_dash_4_and_never_overwrite) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "out.prn"), 0);
  ASSERT_EQ(test_write_text(test_path_in(e.dir, "out.prn"), "keep1"), 0);
  ASSERT_EQ(test_write_text(test_path_in(e.dir, "out-3.prn"), "keep3"), 0);
  int first = destfix_run_job(&e, "job A", 5, 5);
  char name1[256];
  snprintf(name1, sizeof name1, "%s", test_base_name(e.final));
  int second = destfix_run_job(&e, "job B", 5, 5);
  char name2[256];
  snprintf(name2, sizeof name2, "%s", test_base_name(e.final));
  int kept1 = test_file_is(test_path_in(e.dir, "out.prn"), "keep1", 5);
  int kept3 = test_file_is(test_path_in(e.dir, "out-3.prn"), "keep3", 5);
  int a = test_file_is(test_path_in(e.dir, "out-2.prn"), "job A", 5);
  int b = test_file_is(test_path_in(e.dir, "out-4.prn"), "job B", 5);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(first, PW_OK);
  ASSERT_EQ(second, PW_OK);
  ASSERT_STREQ(name1, "out-2.prn");
  ASSERT_STREQ(name2, "out-4.prn");
  ASSERT(kept1 && kept3);
  ASSERT(a && b);
  ASSERT_EQ(files, 4);
}

TEST(counter_token_counts_from_one_past_taken_names) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "scan{n}.prn"), 0);
  ASSERT_EQ(test_write_text(test_path_in(e.dir, "scan2.prn"), "old"), 0);
  int r1 = destfix_run_job(&e, "1", 1, 1);
  char n1[256];
  snprintf(n1, sizeof n1, "%s", test_base_name(e.final));
  int r2 = destfix_run_job(&e, "2", 1, 1);
  char n2[256];
  snprintf(n2, sizeof n2, "%s", test_base_name(e.final));
  int kept = test_file_is(test_path_in(e.dir, "scan2.prn"), "old", 3);
  destfix_teardown(&e);
  ASSERT_EQ(r1, PW_OK);
  ASSERT_EQ(r2, PW_OK);
  ASSERT_STREQ(n1, "scan1.prn");
  ASSERT_STREQ(n2, "scan3.prn");
  ASSERT(kept);
}

TEST(a_taken_name_that_is_a_directory_is_skipped) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "a.prn"), 0);
  ASSERT_EQ(mkdir(test_path_in(e.dir, "a.prn"), 0755), 0);
  int err = destfix_run_job(&e, "x", 1, 1);
  char name[256];
  snprintf(name, sizeof name, "%s", test_base_name(e.final));
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT_STREQ(name, "a-2.prn");
}

TEST(ten_thousand_taken_names_fail_the_job_and_leave_nothing) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "f{n}.prn"), 0);
  for (int i = 1; i <= 10000; i++) {
    char name[32];
    snprintf(name, sizeof name, "f%d.prn", i);
    ASSERT_EQ(test_write_text(test_path_in(e.dir, name), ""), 0);
  }
  int err = destfix_run_job(&e, "lost", 4, 4);
  int files = test_count_files(e.dir);
  int next_free = !test_exists(test_path_in(e.dir, "f10001.prn"));
  int named = strstr(e.err, "10000") != NULL && strstr(e.err, e.dir) != NULL;
  int final_empty = e.final[0] == '\0';
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_EEXIST);
  ASSERT_EQ(files, 10000); /* the temporary file is gone */
  ASSERT(next_free);
  ASSERT(named);
  ASSERT(final_empty);
}

TEST(hostile_document_names_stay_inside_the_directory) {
  static const char *const names[] = {"../../x",
                                      "..\\x",
                                      "CON",
                                      "con.txt",
                                      "a\nb\x01c",
                                      "/etc/passwd",
                                      "",
                                      "..",
                                      ".",
                                      "C:\\Windows\\x",
                                      "\\\\server\\share\\f",
                                      "name . ",
                                      "x:y",
                                      "a/../../b",
                                      "\xff\xfe",
                                      "LPT1",
                                      "NUL.prn",
                                      "dir/",
                                      "*?<>|\""};
  const size_t n = sizeof names / sizeof names[0];
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{doc}"), 0);
  char prefix[1100];
  snprintf(prefix, sizeof prefix, "%s/", e.dir);
  for (size_t i = 0; i < n; i++) {
    e.doc.doc_name = names[i];
    ASSERT_EQ(destfix_run_job(&e, names[i], strlen(names[i]), 3), PW_OK);
    const char *name = e.final + strlen(prefix);
    ASSERT(strncmp(e.final, prefix, strlen(prefix)) == 0);
    ASSERT(*name && !strchr(name, '/') && !strchr(name, '\\'));
    ASSERT(strcmp(name, ".") && strcmp(name, ".."));
    for (const char *p = name; *p; p++)
      ASSERT((unsigned char)*p >= 0x20 && *p != ':');
    /* Reserved device names never come out bare, with or without an
     * extension. */
    ASSERT(strncasecmp(name, "CON", 3) != 0 && strncasecmp(name, "NUL", 3) &&
           strncasecmp(name, "LPT1", 4));
    ASSERT(test_file_is(e.final, names[i], strlen(names[i])));
  }
  int in_dir = test_count_files(e.dir);
  int in_root = test_count_files(e.root); /* only "out" */
  destfix_teardown(&e);
  ASSERT_EQ(in_dir, (int)n);
  ASSERT_EQ(in_root, 1);
}

TEST_MAIN(TEST_ENTRY(final_name_expands_every_pattern_token),
          TEST_ENTRY(missing_document_fields_expand_to_unknown),
          TEST_ENTRY(document_strings_may_be_freed_right_after_start),
          TEST_ENTRY(collisions_get_dash_2_and_dash_4_and_never_overwrite),
          TEST_ENTRY(counter_token_counts_from_one_past_taken_names),
          TEST_ENTRY(a_taken_name_that_is_a_directory_is_skipped),
          TEST_ENTRY(ten_thousand_taken_names_fail_the_job_and_leave_nothing),
          TEST_ENTRY(hostile_document_names_stay_inside_the_directory))
