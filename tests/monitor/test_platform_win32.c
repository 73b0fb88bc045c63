/* portway — the Win32 platform layer, run on Windows or under Wine: files,
 * no-replace rename, append sharing, directories, threads, randomness,
 * clocks. UTF-8 names, long paths and the \\?\ prefix: see
 * test_platform_win32_paths.c. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platfix.h" /* plat_scratch, plat_in, plat_file_is, ... */
#include "platform/platform.h"
#include "portway/error.h"
#include "test.h"

/* ---- files ---- */

TEST(create_new_writes_bytes_and_refuses_an_existing_file) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  ASSERT_EQ(plat_write_file(plat_in(dir, "a.prn"), "first"), PW_OK);
  pw_file *f = (pw_file *)1;
  int again = pw_file_create_new(plat_in(dir, "a.prn"), &f);
  int kept = plat_file_is(plat_in(dir, "a.prn"), "first");
  plat_rmtree(dir);
  ASSERT_EQ(again, PW_EEXIST);
  ASSERT(f == NULL);
  ASSERT(kept);
}

TEST(create_new_in_a_missing_directory_is_enoent) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_file *f;
  int err = pw_file_create_new(plat_in(dir, "missing/a.prn"), &f);
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_ENOENT);
}

TEST(file_being_written_can_be_read_but_not_written_by_others) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_file *f;
  ASSERT_EQ(pw_file_create_new(plat_in(dir, "a.prn"), &f), PW_OK);
  ASSERT_EQ(pw_file_write_all(f, "abc", 3), PW_OK);
  wchar_t *v = plat_verbatim(plat_in(dir, "a.prn"));
  HANDLE r = CreateFileW(v, GENERIC_READ,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  HANDLE w = CreateFileW(v, GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  DWORD werr = GetLastError();
  free(v);
  if (r != INVALID_HANDLE_VALUE)
    CloseHandle(r);
  if (w != INVALID_HANDLE_VALUE)
    CloseHandle(w);
  ASSERT_EQ(pw_file_sync(f), PW_OK);
  ASSERT_EQ(pw_file_close(f), PW_OK);
  plat_rmtree(dir);
  ASSERT(r != INVALID_HANDLE_VALUE);
  ASSERT(w == INVALID_HANDLE_VALUE);
  ASSERT_EQ(werr, ERROR_SHARING_VIOLATION);
}

TEST(append_handles_share_the_file_and_always_write_at_the_end) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_file *a, *b;
  ASSERT_EQ(pw_file_open_append(plat_in(dir, "log"), &a), PW_OK);
  ASSERT_EQ(pw_file_open_append(plat_in(dir, "log"), &b), PW_OK);
  ASSERT_EQ(pw_file_write_all(a, "one\n", 4), PW_OK);
  ASSERT_EQ(pw_file_write_all(b, "two\n", 4), PW_OK);
  ASSERT_EQ(pw_file_write_all(a, "three\n", 6), PW_OK);
  uint64_t size = 0;
  ASSERT_EQ(pw_file_size(b, &size), PW_OK);
  ASSERT_EQ(pw_file_close(a), PW_OK);
  ASSERT_EQ(pw_file_close(b), PW_OK);
  int ok = plat_file_is(plat_in(dir, "log"), "one\ntwo\nthree\n");
  plat_rmtree(dir);
  ASSERT_EQ(size, 14);
  ASSERT(ok);
}

TEST(open_log_can_be_renamed_away_for_rotation) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_file *a;
  ASSERT_EQ(pw_file_open_append(plat_in(dir, "log"), &a), PW_OK);
  ASSERT_EQ(pw_file_write_all(a, "old\n", 4), PW_OK);
  int moved =
      pw_file_rename_noreplace(plat_in(dir, "log"), plat_in(dir, "log.1"));
  int late = pw_file_write_all(a, "late\n", 5);
  ASSERT_EQ(pw_file_close(a), PW_OK);
  int rotated = plat_file_is(plat_in(dir, "log.1"), "old\nlate\n");
  int gone = !plat_exists(plat_in(dir, "log"));
  plat_rmtree(dir);
  ASSERT_EQ(moved, PW_OK);
  ASSERT_EQ(late, PW_OK);
  ASSERT(rotated);
  ASSERT(gone);
}

TEST(close_of_null_is_a_no_op_and_null_buffer_is_rejected) {
  ASSERT_EQ(pw_file_close(NULL), PW_OK);
  ASSERT_EQ(pw_file_write_all(NULL, "x", 1), PW_EINVAL);
}

/* ---- names ---- */

TEST(rename_noreplace_moves_to_a_free_name) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  ASSERT_EQ(plat_write_file(plat_in(dir, "from"), "data"), PW_OK);
  int err = pw_file_rename_noreplace(plat_in(dir, "from"), plat_in(dir, "to"));
  int gone = !plat_exists(plat_in(dir, "from"));
  int ok = plat_file_is(plat_in(dir, "to"), "data");
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_OK);
  ASSERT(gone);
  ASSERT(ok);
}

TEST(rename_noreplace_never_replaces_and_keeps_the_source) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  ASSERT_EQ(plat_write_file(plat_in(dir, "from"), "new"), PW_OK);
  ASSERT_EQ(plat_write_file(plat_in(dir, "to"), "old"), PW_OK);
  int err = pw_file_rename_noreplace(plat_in(dir, "from"), plat_in(dir, "to"));
  /* Windows names are case-insensitive: "TO" is the same file. */
  int err_case =
      pw_file_rename_noreplace(plat_in(dir, "from"), plat_in(dir, "TO"));
  int target_kept = plat_file_is(plat_in(dir, "to"), "old");
  int source_kept = plat_file_is(plat_in(dir, "from"), "new");
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_EEXIST);
  ASSERT_EQ(err_case, PW_EEXIST);
  ASSERT(target_kept);
  ASSERT(source_kept);
}

TEST(rename_noreplace_of_a_missing_source_is_enoent) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  int err = pw_file_rename_noreplace(plat_in(dir, "none"), plat_in(dir, "to"));
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_ENOENT);
}

TEST(rename_open_names_the_open_file_and_never_replaces) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_file *f = NULL;
  char from[1024], sub[1024];
  snprintf(sub, sizeof sub, "%s", plat_in(dir, "sub"));
  ASSERT_EQ(pw_dir_create_all(sub), PW_OK);
  snprintf(from, sizeof from, "%s", plat_in(sub, "tmp"));
  ASSERT_EQ(plat_write_file(plat_in(dir, "taken"), "old"), PW_OK);
  ASSERT_EQ(pw_file_create_new(from, &f), PW_OK);
  ASSERT_EQ(pw_file_write_all(f, "data", 4), PW_OK);
  /* Into the parent folder, as the file port commits: a taken name (any
   * case) is refused and leaves both files as they were. */
  int taken = pw_file_rename_open_noreplace(f, from, plat_in(dir, "TAKEN"));
  int renamed = pw_file_rename_open_noreplace(f, from, plat_in(dir, "final"));
  int still_writable = pw_file_write_all(f, "!", 1);
  int closed = pw_file_close(f);
  int ok = plat_file_is(plat_in(dir, "final"), "data!");
  int gone = !plat_exists(from);
  int kept = plat_file_is(plat_in(dir, "taken"), "old");
  plat_rmtree(dir);
  ASSERT_EQ(taken, PW_EEXIST);
  ASSERT_EQ(renamed, PW_OK);
  ASSERT_EQ(still_writable, PW_OK);
  ASSERT_EQ(closed, PW_OK);
  ASSERT(ok);
  ASSERT(gone);
  ASSERT(kept);
}

TEST(remove_deletes_and_reports_a_missing_file) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  ASSERT_EQ(plat_write_file(plat_in(dir, "a"), "x"), PW_OK);
  int first = pw_file_remove(plat_in(dir, "a"));
  int second = pw_file_remove(plat_in(dir, "a"));
  plat_rmtree(dir);
  ASSERT_EQ(first, PW_OK);
  ASSERT_EQ(second, PW_ENOENT);
}

/* ---- directories ---- */

TEST(dir_check_tells_directory_missing_and_file_apart) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  ASSERT_EQ(plat_write_file(plat_in(dir, "file"), "x"), PW_OK);
  int is_dir = pw_dir_check(dir);
  int missing = pw_dir_check(plat_in(dir, "missing"));
  int is_file = pw_dir_check(plat_in(dir, "file"));
  plat_rmtree(dir);
  ASSERT_EQ(is_dir, PW_OK);
  ASSERT_EQ(missing, PW_ENOENT);
  ASSERT_EQ(is_file, PW_ENOTSUP);
}

TEST(dir_create_all_creates_nested_directories_with_either_separator) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  int err = pw_dir_create_all(plat_in(dir, "a/b\\c//d\\"));
  DWORD attr = plat_attributes(plat_in(dir, "a/b/c/d"));
  int again = pw_dir_create_all(plat_in(dir, "a\\b/c/d"));
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_OK);
  ASSERT(attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
  ASSERT_EQ(again, PW_OK);
}

TEST(dir_create_all_fails_when_a_file_is_in_the_way) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  ASSERT_EQ(plat_write_file(plat_in(dir, "file"), "x"), PW_OK);
  int err = pw_dir_create_all(plat_in(dir, "file/sub"));
  int kept = plat_file_is(plat_in(dir, "file"), "x");
  plat_rmtree(dir);
  ASSERT_NE(err, PW_OK);
  ASSERT(kept);
}

/* ---- threads, randomness, clocks ---- */

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
  static counter c = {PW_MUTEX_INIT, 0};
  pw_thread *t[4];
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(pw_thread_start(&t[i], count_up, &c), PW_OK);
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(pw_thread_join(t[i]), PW_OK);
  ASSERT_EQ(c.value, 400000);
}

TEST(dynamically_initialised_mutex_works_too) {
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

TEST(random_bytes_are_not_all_zero_and_differ) {
  unsigned char a[64] = {0}, b[64] = {0}, zero[64] = {0};
  ASSERT_EQ(pw_random_bytes(a, sizeof a), PW_OK);
  ASSERT_EQ(pw_random_bytes(b, sizeof b), PW_OK);
  ASSERT(memcmp(a, zero, sizeof a) != 0);
  ASSERT(memcmp(a, b, sizeof a) != 0);
}

TEST(local_time_matches_the_system_clock) {
  SYSTEMTIME st;
  GetLocalTime(&st);
  pw_localtime t;
  pw_time_local(&t);
  ASSERT_EQ(t.year, st.wYear);
  ASSERT(t.month >= 1 && t.month <= 12);
  ASSERT(t.day >= 1 && t.day <= 31);
  ASSERT(t.hour >= 0 && t.hour <= 23);
  ASSERT(t.millisecond >= 0 && t.millisecond <= 999);
}

TEST(monotonic_clock_advances) {
  uint64_t a = pw_time_monotonic_ns();
  Sleep(20);
  uint64_t b = pw_time_monotonic_ns();
  ASSERT(b >= a + 10000000u);
  ASSERT(b < a + 10000000000u);
}

TEST(process_id_is_this_process) {
  ASSERT_EQ(pw_process_id(), GetCurrentProcessId());
}

TEST_MAIN(
    TEST_ENTRY(create_new_writes_bytes_and_refuses_an_existing_file),
    TEST_ENTRY(create_new_in_a_missing_directory_is_enoent),
    TEST_ENTRY(file_being_written_can_be_read_but_not_written_by_others),
    TEST_ENTRY(append_handles_share_the_file_and_always_write_at_the_end),
    TEST_ENTRY(open_log_can_be_renamed_away_for_rotation),
    TEST_ENTRY(close_of_null_is_a_no_op_and_null_buffer_is_rejected),
    TEST_ENTRY(rename_noreplace_moves_to_a_free_name),
    TEST_ENTRY(rename_noreplace_never_replaces_and_keeps_the_source),
    TEST_ENTRY(rename_noreplace_of_a_missing_source_is_enoent),
    TEST_ENTRY(rename_open_names_the_open_file_and_never_replaces),
    TEST_ENTRY(remove_deletes_and_reports_a_missing_file),
    TEST_ENTRY(dir_check_tells_directory_missing_and_file_apart),
    TEST_ENTRY(dir_create_all_creates_nested_directories_with_either_separator),
    TEST_ENTRY(dir_create_all_fails_when_a_file_is_in_the_way),
    TEST_ENTRY(mutex_serialises_increments_from_four_threads),
    TEST_ENTRY(dynamically_initialised_mutex_works_too),
    TEST_ENTRY(random_bytes_are_not_all_zero_and_differ),
    TEST_ENTRY(local_time_matches_the_system_clock),
    TEST_ENTRY(monotonic_clock_advances),
    TEST_ENTRY(process_id_is_this_process))
