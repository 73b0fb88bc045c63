/* portway — the POSIX platform layer: files, names, directories, threads,
 * randomness, clocks. */
#define _DEFAULT_SOURCE /* lstat, mkdir, getpid under -std=c11 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memstore.h" /* test_tmpdir, test_rmtree, test_read_file */
#include "platform/platform.h"
#include "portway/error.h"
#include "test.h"

static char path_buf[4][2048];

/* "<dir>/<name>" in one of four rotating static buffers. */
static const char *in(const char *dir, const char *name) {
  static int next;
  char *p = path_buf[next++ % 4];
  snprintf(p, sizeof path_buf[0], "%s/%s", dir, name);
  return p;
}

static int write_file(const char *path, const char *text) {
  pw_file *f;
  int err = pw_file_create_new(path, &f);
  if (err != PW_OK)
    return err;
  err = pw_file_write_all(f, text, strlen(text));
  int cerr = pw_file_close(f);
  return err != PW_OK ? err : cerr;
}

/* 1 if the file at path holds exactly `text`. */
static int file_is(const char *path, const char *text) {
  char *data;
  long n = test_read_file(path, &data);
  int same =
      n >= 0 && (size_t)n == strlen(text) && memcmp(data, text, (size_t)n) == 0;
  free(data);
  return same;
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

TEST(create_new_creates_file_with_written_bytes) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "a"), "hello"), PW_OK);
  int ok = file_is(in(dir, "a"), "hello");
  test_rmtree(dir);
  free(dir);
  ASSERT(ok);
}

TEST(create_new_refuses_existing_file_and_keeps_its_content) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "a"), "first"), PW_OK);
  pw_file *f = (pw_file *)1;
  int err = pw_file_create_new(in(dir, "a"), &f);
  int ok = file_is(in(dir, "a"), "first");
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_EEXIST);
  ASSERT(f == NULL);
  ASSERT(ok);
}

TEST(create_new_in_missing_directory_is_enoent) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  pw_file *f;
  int err = pw_file_create_new(in(dir, "missing/a"), &f);
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_ENOENT);
}

TEST(create_new_uses_mode_0644_under_umask) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  mode_t old = umask(022);
  int err = write_file(in(dir, "a"), "x");
  umask(old);
  struct stat st;
  int st_ok = stat(in(dir, "a"), &st) == 0;
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_OK);
  ASSERT(st_ok);
  ASSERT_EQ(st.st_mode & 0777, 0644);
}

TEST(open_append_creates_then_appends_from_two_handles) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  pw_file *a, *b;
  ASSERT_EQ(pw_file_open_append(in(dir, "log"), &a), PW_OK);
  ASSERT_EQ(pw_file_open_append(in(dir, "log"), &b), PW_OK);
  ASSERT_EQ(pw_file_write_all(a, "one\n", 4), PW_OK);
  ASSERT_EQ(pw_file_write_all(b, "two\n", 4), PW_OK);
  ASSERT_EQ(pw_file_write_all(a, "three\n", 6), PW_OK);
  uint64_t size = 0;
  ASSERT_EQ(pw_file_size(b, &size), PW_OK);
  ASSERT_EQ(pw_file_close(a), PW_OK);
  ASSERT_EQ(pw_file_close(b), PW_OK);
  int ok = file_is(in(dir, "log"), "one\ntwo\nthree\n");
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(size, 14);
  ASSERT(ok);
}

TEST(file_size_and_sync_report_written_bytes) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  pw_file *f;
  ASSERT_EQ(pw_file_create_new(in(dir, "a"), &f), PW_OK);
  static char block[100000];
  memset(block, 'x', sizeof block);
  ASSERT_EQ(pw_file_write_all(f, block, sizeof block), PW_OK);
  ASSERT_EQ(pw_file_sync(f), PW_OK);
  uint64_t size = 0;
  ASSERT_EQ(pw_file_size(f, &size), PW_OK);
  ASSERT_EQ(pw_file_close(f), PW_OK);
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(size, sizeof block);
}

TEST(write_of_zero_bytes_succeeds_and_null_buffer_with_length_fails) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  pw_file *f;
  ASSERT_EQ(pw_file_create_new(in(dir, "a"), &f), PW_OK);
  int zero = pw_file_write_all(f, NULL, 0);
  int bad = pw_file_write_all(f, NULL, 1);
  ASSERT_EQ(pw_file_close(f), PW_OK);
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(zero, PW_OK);
  ASSERT_EQ(bad, PW_EINVAL);
}

TEST(close_of_null_is_a_no_op) {
  ASSERT_EQ(pw_file_close(NULL), PW_OK);
}

TEST(rename_noreplace_moves_file_to_free_name) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "from"), "data"), PW_OK);
  int err = pw_file_rename_noreplace(in(dir, "from"), in(dir, "to"));
  int gone = !exists(in(dir, "from"));
  int ok = file_is(in(dir, "to"), "data");
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_OK);
  ASSERT(gone);
  ASSERT(ok);
}

TEST(rename_open_names_an_open_file_and_never_replaces) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  char from[1024];
  pw_file *f = NULL;
  snprintf(from, sizeof from, "%s", in(dir, "tmp"));
  ASSERT_EQ(write_file(in(dir, "taken"), "old"), PW_OK);
  ASSERT_EQ(pw_file_create_new(from, &f), PW_OK);
  ASSERT_EQ(pw_file_write_all(f, "data", 4), PW_OK);
  int taken = pw_file_rename_open_noreplace(f, from, in(dir, "taken"));
  int renamed = pw_file_rename_open_noreplace(f, from, in(dir, "final"));
  int closed = pw_file_close(f);
  int ok = file_is(in(dir, "final"), "data");
  int gone = !exists(from);
  int kept = file_is(in(dir, "taken"), "old");
  int null_file = pw_file_rename_open_noreplace(NULL, from, in(dir, "x"));
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(taken, PW_EEXIST);
  ASSERT_EQ(renamed, PW_OK);
  ASSERT_EQ(closed, PW_OK);
  ASSERT(ok);
  ASSERT(gone);
  ASSERT(kept);
  ASSERT_EQ(null_file, PW_EINVAL);
}

TEST(rename_noreplace_never_replaces_and_leaves_source_intact) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "from"), "new"), PW_OK);
  ASSERT_EQ(write_file(in(dir, "to"), "old"), PW_OK);
  int err = pw_file_rename_noreplace(in(dir, "from"), in(dir, "to"));
  int target_kept = file_is(in(dir, "to"), "old");
  int source_kept = file_is(in(dir, "from"), "new");
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_EEXIST);
  ASSERT(target_kept);
  ASSERT(source_kept);
}

TEST(rename_noreplace_refuses_existing_directory_name) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "from"), "new"), PW_OK);
  ASSERT_EQ(mkdir(in(dir, "sub"), 0755), 0);
  int err = pw_file_rename_noreplace(in(dir, "from"), in(dir, "sub"));
  int source_kept = file_is(in(dir, "from"), "new");
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_EEXIST);
  ASSERT(source_kept);
}

TEST(rename_noreplace_of_missing_source_is_enoent) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  int err = pw_file_rename_noreplace(in(dir, "nothing"), in(dir, "to"));
  int no_target = !exists(in(dir, "to"));
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT(no_target);
}

TEST(remove_deletes_file_and_reports_missing_as_enoent) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "a"), "x"), PW_OK);
  int first = pw_file_remove(in(dir, "a"));
  int gone = !exists(in(dir, "a"));
  int second = pw_file_remove(in(dir, "a"));
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(first, PW_OK);
  ASSERT(gone);
  ASSERT_EQ(second, PW_ENOENT);
}

TEST(dir_check_tells_directory_missing_and_file_apart) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "file"), "x"), PW_OK);
  int is_dir = pw_dir_check(dir);
  int missing = pw_dir_check(in(dir, "missing"));
  int is_file = pw_dir_check(in(dir, "file"));
  int under_file = pw_dir_check(in(dir, "file/sub"));
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(is_dir, PW_OK);
  ASSERT_EQ(missing, PW_ENOENT);
  ASSERT_EQ(is_file, PW_ENOTSUP);
  ASSERT_EQ(under_file, PW_ENOENT);
}

TEST(dir_create_all_creates_nested_directories) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  int err = pw_dir_create_all(in(dir, "a/b//c/d/"));
  int made = pw_dir_check(in(dir, "a/b/c/d"));
  int again = pw_dir_create_all(in(dir, "a/b/c/d"));
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(made, PW_OK);
  ASSERT_EQ(again, PW_OK);
}

TEST(dir_create_all_fails_when_a_file_is_in_the_way) {
  char *dir = test_tmpdir("plat");
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "file"), "x"), PW_OK);
  int err = pw_dir_create_all(in(dir, "file/sub"));
  int kept = file_is(in(dir, "file"), "x");
  test_rmtree(dir);
  free(dir);
  ASSERT_NE(err, PW_OK);
  ASSERT(kept);
}

TEST(path_separator_is_slash) {
  ASSERT_EQ(pw_path_sep(), '/');
}

typedef struct counter {
  pw_mutex mu;
  long value;
} counter;

static void count_up(void *arg) {
  counter *c = arg;
  for (int i = 0; i < 100000; i++) {
    pw_mutex_lock(&c->mu);
    c->value++;
    pw_mutex_unlock(&c->mu);
  }
}

TEST(mutex_serialises_increments_from_four_threads) {
  counter c = {PW_MUTEX_INIT, 0};
  pw_thread *t[4];
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(pw_thread_start(&t[i], count_up, &c), PW_OK);
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(pw_thread_join(t[i]), PW_OK);
  ASSERT_EQ(c.value, 400000);
}

TEST(mutex_init_and_destroy_work_on_a_dynamic_mutex) {
  counter *c = malloc(sizeof *c);
  ASSERT(c);
  pw_mutex_init(&c->mu);
  c->value = 0;
  pw_thread *t[2];
  int e0 = pw_thread_start(&t[0], count_up, c);
  int e1 = pw_thread_start(&t[1], count_up, c);
  if (e0 == PW_OK)
    pw_thread_join(t[0]);
  if (e1 == PW_OK)
    pw_thread_join(t[1]);
  long value = c->value;
  pw_mutex_destroy(&c->mu);
  free(c);
  ASSERT_EQ(e0, PW_OK);
  ASSERT_EQ(e1, PW_OK);
  ASSERT_EQ(value, 200000);
}

TEST(thread_start_rejects_missing_function) {
  /* platform.h: PW_EINVAL for a bad argument, and *t is NULL on failure. */
  pw_thread *t = (pw_thread *)(void *)&t; /* anything but NULL */
  ASSERT_EQ(pw_thread_start(&t, NULL, NULL), PW_EINVAL);
  ASSERT(t == NULL);
  ASSERT_EQ(pw_thread_start(NULL, count_up, NULL), PW_EINVAL);
}

TEST(random_bytes_are_not_all_zero_and_differ_between_calls) {
  unsigned char a[64], b[64], zero[64] = {0};
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  ASSERT_EQ(pw_random_bytes(a, sizeof a), PW_OK);
  ASSERT_EQ(pw_random_bytes(b, sizeof b), PW_OK);
  ASSERT(memcmp(a, zero, sizeof a) != 0);
  ASSERT(memcmp(a, b, sizeof a) != 0);
  ASSERT_EQ(pw_random_bytes(NULL, 0), PW_OK);
}

/* A spool file: written, read back at any offset, gone when closed. */
TEST(temp_file_reads_back_what_was_written_and_vanishes_on_close) {
  char *dir = test_tmpdir("plat-temp");
  ASSERT(dir != NULL);
  char spool[1100];
  snprintf(spool, sizeof spool, "%s/spool", dir); /* created on demand */
  pw_file *f = NULL;
  ASSERT_EQ(pw_file_open_temp(spool, &f), PW_OK);
  unsigned char buf[100000], back[4096];
  for (size_t i = 0; i < sizeof buf; i++)
    buf[i] = (unsigned char)(i * 7u + 3u);
  ASSERT_EQ(pw_file_write_all(f, buf, sizeof buf), PW_OK);
  size_t got = 0;
  ASSERT_EQ(pw_file_read_at(f, 50000, back, sizeof back, &got), PW_OK);
  ASSERT_EQ(got, sizeof back);
  ASSERT(memcmp(back, buf + 50000, sizeof back) == 0);
  ASSERT_EQ(pw_file_read_at(f, sizeof buf - 10, back, sizeof back, &got),
            PW_OK);
  ASSERT_EQ(got, 10);
  ASSERT_EQ(pw_file_read_at(f, sizeof buf, back, sizeof back, &got), PW_OK);
  ASSERT_EQ(got, 0); /* end of file */
  /* Writing goes on where it was, not where the last read was. */
  ASSERT_EQ(pw_file_write_all(f, "Z", 1), PW_OK);
  ASSERT_EQ(pw_file_read_at(f, sizeof buf, back, 1, &got), PW_OK);
  ASSERT(got == 1 && back[0] == 'Z');
  ASSERT_EQ(pw_file_close(f), PW_OK);
  ASSERT_EQ(test_count_files(spool), 0); /* nothing left behind */
  ASSERT_EQ(pw_file_open_temp(NULL, &f), PW_EINVAL);
  ASSERT_EQ(pw_file_read_at(NULL, 0, back, 1, &got), PW_EINVAL);
  test_rmtree(dir);
  free(dir);
}

TEST(random_bytes_fill_a_large_buffer_to_the_end) {
  /* getrandom may serve large requests in parts: the tail must be filled. */
  size_t n = 1u << 20;
  unsigned char *buf = calloc(1, n);
  ASSERT(buf);
  int err = pw_random_bytes(buf, n);
  int tail_zero = 1;
  for (size_t i = n - 64; i < n; i++)
    tail_zero &= buf[i] == 0;
  free(buf);
  ASSERT_EQ(err, PW_OK);
  ASSERT(!tail_zero);
}

TEST(local_time_fields_are_in_range) {
  pw_localtime t;
  pw_time_local(&t);
  ASSERT(t.year >= 2020 && t.year < 2200);
  ASSERT(t.month >= 1 && t.month <= 12);
  ASSERT(t.day >= 1 && t.day <= 31);
  ASSERT(t.hour >= 0 && t.hour <= 23);
  ASSERT(t.minute >= 0 && t.minute <= 59);
  ASSERT(t.second >= 0 && t.second <= 59);
  ASSERT(t.millisecond >= 0 && t.millisecond <= 999);
}

TEST(monotonic_clock_advances) {
  uint64_t a = pw_time_monotonic_ns();
  usleep(2000);
  uint64_t b = pw_time_monotonic_ns();
  ASSERT(b >= a + 1000000);
}

TEST(process_id_is_this_process) {
  ASSERT_EQ(pw_process_id(), (unsigned long)getpid());
}

TEST_MAIN(
    TEST_ENTRY(temp_file_reads_back_what_was_written_and_vanishes_on_close),
    TEST_ENTRY(create_new_creates_file_with_written_bytes),
    TEST_ENTRY(create_new_refuses_existing_file_and_keeps_its_content),
    TEST_ENTRY(create_new_in_missing_directory_is_enoent),
    TEST_ENTRY(create_new_uses_mode_0644_under_umask),
    TEST_ENTRY(open_append_creates_then_appends_from_two_handles),
    TEST_ENTRY(file_size_and_sync_report_written_bytes),
    TEST_ENTRY(write_of_zero_bytes_succeeds_and_null_buffer_with_length_fails),
    TEST_ENTRY(close_of_null_is_a_no_op),
    TEST_ENTRY(rename_noreplace_moves_file_to_free_name),
    TEST_ENTRY(rename_open_names_an_open_file_and_never_replaces),
    TEST_ENTRY(rename_noreplace_never_replaces_and_leaves_source_intact),
    TEST_ENTRY(rename_noreplace_refuses_existing_directory_name),
    TEST_ENTRY(rename_noreplace_of_missing_source_is_enoent),
    TEST_ENTRY(remove_deletes_file_and_reports_missing_as_enoent),
    TEST_ENTRY(dir_check_tells_directory_missing_and_file_apart),
    TEST_ENTRY(dir_create_all_creates_nested_directories),
    TEST_ENTRY(dir_create_all_fails_when_a_file_is_in_the_way),
    TEST_ENTRY(path_separator_is_slash),
    TEST_ENTRY(mutex_serialises_increments_from_four_threads),
    TEST_ENTRY(mutex_init_and_destroy_work_on_a_dynamic_mutex),
    TEST_ENTRY(thread_start_rejects_missing_function),
    TEST_ENTRY(random_bytes_are_not_all_zero_and_differ_between_calls),
    TEST_ENTRY(random_bytes_fill_a_large_buffer_to_the_end),
    TEST_ENTRY(local_time_fields_are_in_range),
    TEST_ENTRY(monotonic_clock_advances),
    TEST_ENTRY(process_id_is_this_process))
