/* portway — the file destination's job lifecycle: byte-exact delivery into a
 * hidden temporary file that becomes the final file only on commit, abort and
 * failures leave nothing, the directory is created when missing, bad
 * configuration fails start, constant memory. Final names: see
 * test_dest_file_names.c. */
#define _DEFAULT_SOURCE /* opendir, getrusage, unlink under -std=c11 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dest.h"
#include "destfix.h"  /* destfix_*, test_path_in, test_file_is, ... */
#include "memstore.h" /* test_rmtree, test_count_files */
#include "portway/error.h"
#include "test.h"

TEST(file_destination_serves_file_ports_only) {
  ASSERT(pw_dest_for_kind(PW_DEST_FILE) == &pw_dest_file);
  ASSERT(pw_dest_for_kind(PW_DEST_SOCKET) != &pw_dest_file);
  ASSERT(pw_dest_for_kind(PW_DEST_LPD) != &pw_dest_file);
  ASSERT(pw_dest_for_kind(PW_DEST_IPP) != &pw_dest_file);
  ASSERT(pw_dest_for_kind(PW_DEST_PIPE) != &pw_dest_file);
  ASSERT(pw_dest_for_kind((pw_dest_kind)0) == NULL);
  ASSERT_EQ(pw_dest_file.kind, PW_DEST_FILE);
  ASSERT(pw_dest_file.read == NULL); /* no back channel */
}

TEST(job_bytes_arrive_byte_identical) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "job.prn"), 0);
  size_t len = (1u << 20) + 17;
  unsigned char *data = malloc(len);
  ASSERT(data);
  ASSERT_EQ(pw_random_bytes(data, len), PW_OK);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  static const size_t chunks[] = {1, 7, 0, 4096, 65536, 3, 100000};
  size_t off = 0;
  for (int i = 0; off < len; i++) {
    size_t n = chunks[i % 7];
    if (n > len - off)
      n = len - off;
    ASSERT_EQ(pw_dest_file.write(job, data + off, n), PW_OK);
    off += n;
  }
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int same = test_file_is(test_path_in(e.dir, "job.prn"), data, len);
  int files = test_count_files(e.dir);
  free(data);
  char expect[2048];
  snprintf(expect, sizeof expect, "%s/job.prn", e.dir);
  int final_ok = strcmp(e.final, expect) == 0;
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(same);
  ASSERT_EQ(files, 1);
  ASSERT(final_ok);
}

TEST(empty_job_gives_an_empty_file) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "empty.prn"), 0);
  int err = destfix_run_job(&e, "", 0, 1);
  int same = test_file_is(test_path_in(e.dir, "empty.prn"), "", 0);
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(same);
}

TEST(open_job_lives_in_a_hidden_temporary_file_until_commit) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "final.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "abc", 3), PW_OK);
  const char *tmpdir = test_path_in(e.dir, ".portway");
  DIR *d = opendir(tmpdir);
  ASSERT(d);
  char temp[256] = "";
  int entries = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
      entries++;
      snprintf(temp, sizeof temp, "%s", de->d_name);
    }
  }
  closedir(d);
  int final_before = test_exists(test_path_in(e.dir, "final.prn"));
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int temp_after = test_exists(test_path_in(tmpdir, temp));
  int files_after = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(entries, 1);
  ASSERT_EQ(strlen(temp), strlen(".portway-0123456789abcdef.tmp"));
  ASSERT(strncmp(temp, ".portway-", 9) == 0);
  ASSERT_EQ(strspn(temp + 9, "0123456789abcdef"), 16);
  ASSERT_STREQ(temp + 25, ".tmp");
  ASSERT(!final_before);
  ASSERT_EQ(err, PW_OK);
  ASSERT(!temp_after);
  ASSERT_EQ(files_after, 1);
}

TEST(temporary_file_goes_into_the_directory_when_no_subfolder_can_be_made) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "y.prn"), 0);
  /* A file named like the temporary folder is in the way. */
  FILE *blocker = fopen(test_path_in(e.dir, ".portway"), "w");
  ASSERT(blocker != NULL);
  fclose(blocker);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "xyz", 3), PW_OK);
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int delivered = test_exists(test_path_in(e.dir, "y.prn"));
  int files = test_count_files(e.dir); /* y.prn and the blocker */
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(delivered);
  ASSERT_EQ(files, 2);
}

TEST(abort_leaves_no_file_at_all) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  static char block[10000];
  ASSERT_EQ(pw_dest_file.write(job, block, sizeof block), PW_OK);
  pw_dest_file.abort(job);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(files, 0);
}

static long max_rss_kb(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

TEST(job_of_64_mib_in_4_kib_writes_streams_in_constant_memory) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "big.prn"), 0);
  enum { CHUNK = 4096, CHUNKS = 64 * 256 }; /* 64 MiB */
  long before = max_rss_kb();
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  unsigned char buf[CHUNK];
  for (unsigned i = 0; i < CHUNKS; i++) {
    memset(buf, (int)(i * 31u & 0xff), sizeof buf);
    memcpy(buf, &i, sizeof i); /* every chunk distinct */
    ASSERT_EQ(pw_dest_file.write(job, buf, sizeof buf), PW_OK);
  }
  ASSERT_EQ(
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err),
      PW_OK);
  long after = max_rss_kb();
  struct stat st;
  int stat_ok = stat(test_path_in(e.dir, "big.prn"), &st) == 0;
  /* Read back chunk by chunk: content in order, nothing lost or repeated. */
  FILE *f = fopen(test_path_in(e.dir, "big.prn"), "rb");
  int content_ok = f != NULL;
  for (unsigned i = 0; content_ok && i < CHUNKS; i++) {
    unsigned char got[CHUNK];
    memset(buf, (int)(i * 31u & 0xff), sizeof buf);
    memcpy(buf, &i, sizeof i);
    content_ok = fread(got, 1, sizeof got, f) == sizeof got &&
                 memcmp(got, buf, sizeof got) == 0;
  }
  if (f)
    fclose(f);
  destfix_teardown(&e);
  ASSERT(stat_ok);
  ASSERT_EQ(st.st_size, (long long)CHUNK * CHUNKS);
  ASSERT(content_ok);
  ASSERT(before > 0 && after > 0);
  ASSERT(after - before < 16 * 1024); /* KiB: far below the 64 MiB job */
}

TEST(missing_directory_is_created_with_its_parents) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  snprintf(e.dir, sizeof e.dir, "%s/new/deeper/still", e.root);
  int err = destfix_run_job(&e, "abc", 3, 2);
  int ok = test_file_is(test_path_in(e.dir, "x.prn"), "abc", 3);
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(ok);
}

TEST(regular_file_as_directory_fails_start_naming_the_path) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  snprintf(e.dir, sizeof e.dir, "%s/plain", e.root);
  ASSERT_EQ(test_write_text(e.dir, "not a dir"), 0);
  pw_dest_job *job = (pw_dest_job *)1;
  int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  int named = strstr(e.err, e.dir) != NULL;
  int kept = test_file_is(e.dir, "not a dir", 9);
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT(job == NULL);
  ASSERT(named);
  ASSERT(kept);
}

TEST(directory_below_a_file_cannot_be_created_and_start_says_so) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  char file[1100];
  snprintf(file, sizeof file, "%s/plain", e.root);
  ASSERT_EQ(test_write_text(file, "x"), 0);
  snprintf(e.dir, sizeof e.dir, "%s/plain/sub", e.root);
  pw_dest_job *job = (pw_dest_job *)1;
  int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  int named =
      strstr(e.err, "cannot create directory") && strstr(e.err, e.dir) != NULL;
  destfix_teardown(&e);
  ASSERT_NE(err, PW_OK);
  ASSERT(job == NULL);
  ASSERT(named);
}

TEST(invalid_pattern_fails_start_and_creates_nothing) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "{nope}.prn"), 0);
  pw_dest_job *job = (pw_dest_job *)1;
  int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  int files = test_count_files(e.dir);
  int named = strstr(e.err, "{nope}.prn") != NULL;
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_EBADCONFIG);
  ASSERT(job == NULL);
  ASSERT_EQ(files, 0);
  ASSERT(named);
}

TEST(commit_fails_and_leaves_nothing_when_the_directory_vanished) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "data", 4), PW_OK);
  test_rmtree(e.dir); /* the temporary file goes with it */
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int dir_state = pw_dir_check(e.dir);
  int in_root = test_count_files(e.root);
  int named = strstr(e.err, e.dir) != NULL;
  int final_empty = e.final[0] == '\0';
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT_EQ(dir_state, PW_ENOENT); /* not recreated */
  ASSERT_EQ(in_root, 0);
  ASSERT(named);
  ASSERT(final_empty);
}

TEST(commit_fails_without_a_final_file_when_the_temporary_was_deleted) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "data", 4), PW_OK);
  const char *tmpdir = test_path_in(e.dir, ".portway");
  DIR *d = opendir(tmpdir);
  ASSERT(d);
  struct dirent *de;
  while ((de = readdir(d)))
    if (de->d_name[0] == '.' && strcmp(de->d_name, ".") &&
        strcmp(de->d_name, ".."))
      unlink(test_path_in(tmpdir, de->d_name));
  closedir(d);
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int files = test_count_files(e.dir);
  int named = strstr(e.err, "x.prn") != NULL;
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT_EQ(files, 0);
  ASSERT(named);
}

TEST(too_small_final_buffer_gets_empty_string_but_job_is_delivered) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  char tiny[8] = "garbage";
  int err = pw_dest_file.commit(job, tiny, sizeof tiny, NULL, 0);
  int delivered = test_exists(test_path_in(e.dir, "x.prn"));
  destfix_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT_STREQ(tiny, "");
  ASSERT(delivered);
}

TEST(start_rejects_incomplete_configuration) {
  destfix e;
  ASSERT_EQ(destfix_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job = (pw_dest_job *)1;
  int no_start = pw_dest_file.start(NULL, &job, e.err, sizeof e.err);
  e.cfg.kind = PW_DEST_SOCKET;
  int wrong_kind = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  e.cfg.kind = PW_DEST_FILE;
  e.opts.dir = NULL;
  int no_dir = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  e.opts.dir = e.dir;
  e.opts.pattern = NULL;
  int no_pattern = pw_dest_file.start(&e.st, &job, NULL, 0);
  int files = test_count_files(e.dir);
  destfix_teardown(&e);
  ASSERT_EQ(no_start, PW_EINVAL);
  ASSERT_EQ(wrong_kind, PW_EINVAL);
  ASSERT_EQ(no_dir, PW_EINVAL);
  ASSERT_EQ(no_pattern, PW_EINVAL);
  ASSERT(job == NULL);
  ASSERT_EQ(files, 0);
}

TEST_MAIN(
    TEST_ENTRY(file_destination_serves_file_ports_only),
    TEST_ENTRY(job_bytes_arrive_byte_identical),
    TEST_ENTRY(empty_job_gives_an_empty_file),
    TEST_ENTRY(open_job_lives_in_a_hidden_temporary_file_until_commit),
    TEST_ENTRY(
        temporary_file_goes_into_the_directory_when_no_subfolder_can_be_made),
    TEST_ENTRY(abort_leaves_no_file_at_all),
    TEST_ENTRY(job_of_64_mib_in_4_kib_writes_streams_in_constant_memory),
    TEST_ENTRY(missing_directory_is_created_with_its_parents),
    TEST_ENTRY(regular_file_as_directory_fails_start_naming_the_path),
    TEST_ENTRY(directory_below_a_file_cannot_be_created_and_start_says_so),
    TEST_ENTRY(invalid_pattern_fails_start_and_creates_nothing),
    TEST_ENTRY(commit_fails_and_leaves_nothing_when_the_directory_vanished),
    TEST_ENTRY(
        commit_fails_without_a_final_file_when_the_temporary_was_deleted),
    TEST_ENTRY(too_small_final_buffer_gets_empty_string_but_job_is_delivered),
    TEST_ENTRY(start_rejects_incomplete_configuration))
