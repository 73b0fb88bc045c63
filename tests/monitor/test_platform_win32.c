/* portway — the Win32 platform layer, run on Windows or under Wine: files,
 * no-replace rename, append sharing, directories, long paths (\\?\),
 * UTF-8 names, threads, randomness, clocks. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "platform/win32/win32_internal.h" /* pw_win32_path */
#include "portway/error.h"
#include "test.h"

/* ---- helpers (plain Win32, independent of the code under test) ---- */

static wchar_t *widen(const char *s) {
  int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
  wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
  if (w)
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
  return w;
}

/* "\\?\" + absolute path with '\' separators: reaches any length. */
static wchar_t *verbatim(const char *path) {
  wchar_t *w = widen(path);
  if (!w)
    return NULL;
  size_t n = wcslen(w);
  wchar_t *v = malloc((n + 5) * sizeof *v);
  if (v) {
    wcscpy(v, L"\\\\?\\");
    wcscat(v, w);
    for (wchar_t *p = v + 4; *p; p++)
      if (*p == L'/')
        *p = L'\\';
  }
  free(w);
  return v;
}

static DWORD attributes(const char *path) {
  wchar_t *v = verbatim(path);
  DWORD a = v ? GetFileAttributesW(v) : INVALID_FILE_ATTRIBUTES;
  free(v);
  return a;
}

static int exists(const char *path) {
  return attributes(path) != INVALID_FILE_ATTRIBUTES;
}

/* 1 if the file holds exactly `text`. */
static int file_is(const char *path, const char *text) {
  wchar_t *v = verbatim(path);
  HANDLE h =
      v ? CreateFileW(v, GENERIC_READ,
                      FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                      NULL, OPEN_EXISTING, 0, NULL)
        : INVALID_HANDLE_VALUE;
  free(v);
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  char buf[4096];
  DWORD got = 0;
  BOOL ok = ReadFile(h, buf, sizeof buf, &got, NULL);
  CloseHandle(h);
  return ok && got == strlen(text) && memcmp(buf, text, got) == 0;
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

static void rmtree_w(const wchar_t *dir) {
  size_t n = wcslen(dir);
  wchar_t *pat = malloc((n + 3) * sizeof *pat);
  if (!pat)
    return;
  wcscpy(pat, dir);
  wcscat(pat, L"\\*");
  WIN32_FIND_DATAW fd;
  HANDLE h = FindFirstFileW(pat, &fd);
  free(pat);
  if (h != INVALID_HANDLE_VALUE) {
    do {
      if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
        continue;
      size_t m = n + wcslen(fd.cFileName) + 2;
      wchar_t *child = malloc(m * sizeof *child);
      if (!child)
        continue;
      wcscpy(child, dir);
      wcscat(child, L"\\");
      wcscat(child, fd.cFileName);
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        rmtree_w(child);
      else
        DeleteFileW(child);
      free(child);
    } while (FindNextFileW(h, &fd));
    FindClose(h);
  }
  RemoveDirectoryW(dir);
}

static void rmtree(const char *dir) {
  wchar_t *v = verbatim(dir);
  if (v)
    rmtree_w(v);
  free(v);
}

/* A fresh scratch directory (UTF-8, '/' separators) in static storage. */
static const char *scratch(void) {
  static char dir[MAX_PATH * 3];
  static unsigned serial;
  wchar_t tmp[MAX_PATH + 1];
  DWORD n = GetTempPathW(MAX_PATH + 1, tmp);
  if (n == 0 || n > MAX_PATH)
    return NULL;
  char base[MAX_PATH * 3];
  if (!WideCharToMultiByte(CP_UTF8, 0, tmp, -1, base, sizeof base, NULL, NULL))
    return NULL;
  for (char *p = base; *p; p++)
    if (*p == '\\')
      *p = '/';
  snprintf(dir, sizeof dir, "%spw-plat-%lu-%u", base,
           (unsigned long)GetCurrentProcessId(), serial++);
  rmtree(dir);
  wchar_t *v = verbatim(dir);
  BOOL ok = v && CreateDirectoryW(v, NULL);
  free(v);
  return ok ? dir : NULL;
}

static const char *in(const char *dir, const char *name) {
  static char buf[4][4096];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", dir, name);
  return p;
}

/* ---- files ---- */

TEST(create_new_writes_bytes_and_refuses_an_existing_file) {
  const char *dir = scratch();
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "a.prn"), "first"), PW_OK);
  pw_file *f = (pw_file *)1;
  int again = pw_file_create_new(in(dir, "a.prn"), &f);
  int kept = file_is(in(dir, "a.prn"), "first");
  rmtree(dir);
  ASSERT_EQ(again, PW_EEXIST);
  ASSERT(f == NULL);
  ASSERT(kept);
}

TEST(create_new_in_a_missing_directory_is_enoent) {
  const char *dir = scratch();
  ASSERT(dir);
  pw_file *f;
  int err = pw_file_create_new(in(dir, "missing/a.prn"), &f);
  rmtree(dir);
  ASSERT_EQ(err, PW_ENOENT);
}

TEST(file_being_written_can_be_read_but_not_written_by_others) {
  const char *dir = scratch();
  ASSERT(dir);
  pw_file *f;
  ASSERT_EQ(pw_file_create_new(in(dir, "a.prn"), &f), PW_OK);
  ASSERT_EQ(pw_file_write_all(f, "abc", 3), PW_OK);
  wchar_t *v = verbatim(in(dir, "a.prn"));
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
  rmtree(dir);
  ASSERT(r != INVALID_HANDLE_VALUE);
  ASSERT(w == INVALID_HANDLE_VALUE);
  ASSERT_EQ(werr, ERROR_SHARING_VIOLATION);
}

TEST(append_handles_share_the_file_and_always_write_at_the_end) {
  const char *dir = scratch();
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
  rmtree(dir);
  ASSERT_EQ(size, 14);
  ASSERT(ok);
}

TEST(open_log_can_be_renamed_away_for_rotation) {
  const char *dir = scratch();
  ASSERT(dir);
  pw_file *a;
  ASSERT_EQ(pw_file_open_append(in(dir, "log"), &a), PW_OK);
  ASSERT_EQ(pw_file_write_all(a, "old\n", 4), PW_OK);
  int moved = pw_file_rename_noreplace(in(dir, "log"), in(dir, "log.1"));
  int late = pw_file_write_all(a, "late\n", 5);
  ASSERT_EQ(pw_file_close(a), PW_OK);
  int rotated = file_is(in(dir, "log.1"), "old\nlate\n");
  int gone = !exists(in(dir, "log"));
  rmtree(dir);
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
  const char *dir = scratch();
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "from"), "data"), PW_OK);
  int err = pw_file_rename_noreplace(in(dir, "from"), in(dir, "to"));
  int gone = !exists(in(dir, "from"));
  int ok = file_is(in(dir, "to"), "data");
  rmtree(dir);
  ASSERT_EQ(err, PW_OK);
  ASSERT(gone);
  ASSERT(ok);
}

TEST(rename_noreplace_never_replaces_and_keeps_the_source) {
  const char *dir = scratch();
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "from"), "new"), PW_OK);
  ASSERT_EQ(write_file(in(dir, "to"), "old"), PW_OK);
  int err = pw_file_rename_noreplace(in(dir, "from"), in(dir, "to"));
  /* Windows names are case-insensitive: "TO" is the same file. */
  int err_case = pw_file_rename_noreplace(in(dir, "from"), in(dir, "TO"));
  int target_kept = file_is(in(dir, "to"), "old");
  int source_kept = file_is(in(dir, "from"), "new");
  rmtree(dir);
  ASSERT_EQ(err, PW_EEXIST);
  ASSERT_EQ(err_case, PW_EEXIST);
  ASSERT(target_kept);
  ASSERT(source_kept);
}

TEST(rename_noreplace_of_a_missing_source_is_enoent) {
  const char *dir = scratch();
  ASSERT(dir);
  int err = pw_file_rename_noreplace(in(dir, "none"), in(dir, "to"));
  rmtree(dir);
  ASSERT_EQ(err, PW_ENOENT);
}

TEST(rename_open_names_the_open_file_and_never_replaces) {
  const char *dir = scratch();
  ASSERT(dir);
  pw_file *f = NULL;
  char from[1024], sub[1024];
  snprintf(sub, sizeof sub, "%s", in(dir, "sub"));
  ASSERT_EQ(pw_dir_create_all(sub), PW_OK);
  snprintf(from, sizeof from, "%s", in(sub, "tmp"));
  ASSERT_EQ(write_file(in(dir, "taken"), "old"), PW_OK);
  ASSERT_EQ(pw_file_create_new(from, &f), PW_OK);
  ASSERT_EQ(pw_file_write_all(f, "data", 4), PW_OK);
  /* Into the parent folder, as the file port commits: a taken name (any
   * case) is refused and leaves both files as they were. */
  int taken = pw_file_rename_open_noreplace(f, from, in(dir, "TAKEN"));
  int renamed = pw_file_rename_open_noreplace(f, from, in(dir, "final"));
  int still_writable = pw_file_write_all(f, "!", 1);
  int closed = pw_file_close(f);
  int ok = file_is(in(dir, "final"), "data!");
  int gone = !exists(from);
  int kept = file_is(in(dir, "taken"), "old");
  rmtree(dir);
  ASSERT_EQ(taken, PW_EEXIST);
  ASSERT_EQ(renamed, PW_OK);
  ASSERT_EQ(still_writable, PW_OK);
  ASSERT_EQ(closed, PW_OK);
  ASSERT(ok);
  ASSERT(gone);
  ASSERT(kept);
}

TEST(remove_deletes_and_reports_a_missing_file) {
  const char *dir = scratch();
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "a"), "x"), PW_OK);
  int first = pw_file_remove(in(dir, "a"));
  int second = pw_file_remove(in(dir, "a"));
  rmtree(dir);
  ASSERT_EQ(first, PW_OK);
  ASSERT_EQ(second, PW_ENOENT);
}

TEST(utf8_names_become_the_right_utf16_names) {
  const char *dir = scratch();
  ASSERT(dir);
  /* "naïve-€-😀.prn" */
  ASSERT_EQ(write_file(
                in(dir, "na\xc3\xafve-\xe2\x82\xac-\xf0\x9f\x98\x80.prn"), "u"),
            PW_OK);
  wchar_t *d = verbatim(dir);
  ASSERT(d);
  wchar_t expect[1024];
  swprintf(expect, 1024, L"%ls\\na\u00efve-\u20ac-\xd83d\xde00.prn", d);
  free(d);
  DWORD a = GetFileAttributesW(expect);
  rmtree(dir);
  ASSERT(a != INVALID_FILE_ATTRIBUTES);
}

TEST(invalid_utf8_paths_are_refused) {
  const char *dir = scratch();
  ASSERT(dir);
  pw_file *f;
  int err = pw_file_create_new(in(dir, "bad\xff\xfe.prn"), &f);
  int err2 = pw_dir_check(in(dir, "\xc0\xaf"));
  rmtree(dir);
  ASSERT_EQ(err, PW_EINVAL);
  ASSERT_EQ(err2, PW_EINVAL);
}

/* ---- directories ---- */

TEST(dir_check_tells_directory_missing_and_file_apart) {
  const char *dir = scratch();
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "file"), "x"), PW_OK);
  int is_dir = pw_dir_check(dir);
  int missing = pw_dir_check(in(dir, "missing"));
  int is_file = pw_dir_check(in(dir, "file"));
  rmtree(dir);
  ASSERT_EQ(is_dir, PW_OK);
  ASSERT_EQ(missing, PW_ENOENT);
  ASSERT_EQ(is_file, PW_ENOTSUP);
}

TEST(dir_create_all_creates_nested_directories_with_either_separator) {
  const char *dir = scratch();
  ASSERT(dir);
  int err = pw_dir_create_all(in(dir, "a/b\\c//d\\"));
  DWORD attr = attributes(in(dir, "a/b/c/d"));
  int again = pw_dir_create_all(in(dir, "a\\b/c/d"));
  rmtree(dir);
  ASSERT_EQ(err, PW_OK);
  ASSERT(attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
  ASSERT_EQ(again, PW_OK);
}

TEST(dir_create_all_fails_when_a_file_is_in_the_way) {
  const char *dir = scratch();
  ASSERT(dir);
  ASSERT_EQ(write_file(in(dir, "file"), "x"), PW_OK);
  int err = pw_dir_create_all(in(dir, "file/sub"));
  int kept = file_is(in(dir, "file"), "x");
  rmtree(dir);
  ASSERT_NE(err, PW_OK);
  ASSERT(kept);
}

TEST(paths_beyond_max_path_work_through_the_long_prefix) {
  const char *dir = scratch();
  ASSERT(dir);
  char deep[4096];
  snprintf(deep, sizeof deep, "%s", dir);
  /* 6 components of 60 characters: ~400 characters, well past MAX_PATH. */
  for (int i = 0; i < 6; i++) {
    size_t n = strlen(deep);
    deep[n] = '/';
    memset(deep + n + 1, 'a' + i, 60);
    deep[n + 61] = '\0';
  }
  ASSERT(strlen(deep) > MAX_PATH);
  ASSERT_EQ(pw_dir_create_all(deep), PW_OK);
  ASSERT_EQ(pw_dir_check(deep), PW_OK);
  char from[4200], to[4200];
  snprintf(from, sizeof from, "%s/.portway-0123456789abcdef.tmp", deep);
  snprintf(to, sizeof to, "%s/final.prn", deep);
  ASSERT_EQ(write_file(from, "long"), PW_OK);
  pw_file *f;
  ASSERT_EQ(pw_file_create_new(from, &f), PW_EEXIST);
  ASSERT_EQ(pw_file_rename_noreplace(from, to), PW_OK);
  int moved = file_is(to, "long") && !exists(from);
  ASSERT_EQ(write_file(from, "again"), PW_OK);
  int refused = pw_file_rename_noreplace(from, to);
  int kept = file_is(to, "long");
  /* '.' and '..' still mean what they say in a long path. */
  char dotted[4300];
  snprintf(dotted, sizeof dotted, "%s/./x/../final.prn", deep);
  int dotted_exists = pw_file_rename_noreplace(from, dotted);
  int removed = pw_file_remove(from);
  rmtree(dir);
  ASSERT(moved);
  ASSERT_EQ(refused, PW_EEXIST);
  ASSERT(kept);
  ASSERT_EQ(dotted_exists, PW_EEXIST);
  ASSERT_EQ(removed, PW_OK);
}

/* Wine does not enforce MAX_PATH, so the test above passes there even
 * without the prefix: check the converted form itself. */
static int converts_to(const char *path, const wchar_t *expect) {
  wchar_t *w = NULL;
  int err = pw_win32_path(path, &w);
  int same = err == PW_OK && w && wcscmp(w, expect) == 0;
  if (!same)
    fprintf(stderr, "  %s -> %d \"%ls\"\n", path, err, w ? w : L"(null)");
  free(w);
  return same;
}

TEST(short_paths_only_get_backslashes) {
  ASSERT(converts_to("C:/out/a.prn", L"C:\\out\\a.prn"));
  ASSERT(converts_to("//srv/share/a.prn", L"\\\\srv\\share\\a.prn"));
  ASSERT(converts_to("rel/a", L"rel\\a"));
}

TEST(long_drive_paths_get_the_verbatim_prefix_and_are_normalised) {
  char path[600];
  wchar_t expect[700];
  char seg[251];
  memset(seg, 'x', 250);
  seg[250] = '\0';
  snprintf(path, sizeof path, "C:/out/./skip/../%s/a.prn", seg);
  swprintf(expect, 700, L"\\\\?\\C:\\out\\%hs\\a.prn", seg);
  ASSERT(converts_to(path, expect));
}

TEST(long_unc_paths_get_the_verbatim_unc_prefix) {
  char path[600];
  wchar_t expect[700];
  char seg[251];
  memset(seg, 'y', 250);
  seg[250] = '\0';
  snprintf(path, sizeof path, "//server/share/%s/a.prn", seg);
  swprintf(expect, 700, L"\\\\?\\UNC\\server\\share\\%hs\\a.prn", seg);
  ASSERT(converts_to(path, expect));
}

TEST(already_verbatim_paths_are_left_alone) {
  char path[600];
  wchar_t expect[700];
  char seg[251];
  memset(seg, 'z', 250);
  seg[250] = '\0';
  snprintf(path, sizeof path, "\\\\?\\C:\\%s", seg);
  swprintf(expect, 700, L"\\\\?\\C:\\%hs", seg);
  ASSERT(converts_to(path, expect));
}

TEST(empty_and_oversized_paths_are_refused) {
  wchar_t *w = (wchar_t *)1;
  ASSERT_EQ(pw_win32_path("", &w), PW_EINVAL);
  ASSERT(w == NULL);
  size_t n = 40000;
  char *big = malloc(n + 1);
  ASSERT(big);
  memset(big, 'a', n);
  big[n] = '\0';
  int err = pw_win32_path(big, &w);
  free(big);
  ASSERT_EQ(err, PW_ENAMETOOLONG);
}

TEST(path_separator_is_backslash) {
  ASSERT_EQ(pw_path_sep(), '\\');
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
    TEST_ENTRY(utf8_names_become_the_right_utf16_names),
    TEST_ENTRY(invalid_utf8_paths_are_refused),
    TEST_ENTRY(dir_check_tells_directory_missing_and_file_apart),
    TEST_ENTRY(dir_create_all_creates_nested_directories_with_either_separator),
    TEST_ENTRY(dir_create_all_fails_when_a_file_is_in_the_way),
    TEST_ENTRY(paths_beyond_max_path_work_through_the_long_prefix),
    TEST_ENTRY(short_paths_only_get_backslashes),
    TEST_ENTRY(long_drive_paths_get_the_verbatim_prefix_and_are_normalised),
    TEST_ENTRY(long_unc_paths_get_the_verbatim_unc_prefix),
    TEST_ENTRY(already_verbatim_paths_are_left_alone),
    TEST_ENTRY(empty_and_oversized_paths_are_refused),
    TEST_ENTRY(path_separator_is_backslash),
    TEST_ENTRY(mutex_serialises_increments_from_four_threads),
    TEST_ENTRY(dynamically_initialised_mutex_works_too),
    TEST_ENTRY(random_bytes_are_not_all_zero_and_differ),
    TEST_ENTRY(local_time_matches_the_system_clock),
    TEST_ENTRY(monotonic_clock_advances),
    TEST_ENTRY(process_id_is_this_process))
