/* portway — the Win32 platform layer's paths, run on Windows or under Wine:
 * UTF-8 names become the right UTF-16 names, invalid UTF-8 is refused, paths
 * beyond MAX_PATH work through the \\?\ (and \\?\UNC\) prefix, the path
 * separator. Files, directories, threads and clocks: see
 * test_platform_win32.c. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platfix.h" /* plat_scratch, plat_in, plat_file_is, ... */
#include "platform/platform.h"
#include "platform/win32/win32_internal.h" /* pw_win32_path */
#include "portway/error.h"
#include "test.h"

/* ---- UTF-8 names ---- */

TEST(utf8_names_become_the_right_utf16_names) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  /* "naïve-€-😀.prn" */
  ASSERT_EQ(
      plat_write_file(
          plat_in(dir, "na\xc3\xafve-\xe2\x82\xac-\xf0\x9f\x98\x80.prn"), "u"),
      PW_OK);
  wchar_t *d = plat_verbatim(dir);
  ASSERT(d);
  wchar_t expect[1024];
  swprintf(expect, 1024, L"%ls\\na\u00efve-\u20ac-\xd83d\xde00.prn", d);
  free(d);
  DWORD a = GetFileAttributesW(expect);
  plat_rmtree(dir);
  ASSERT(a != INVALID_FILE_ATTRIBUTES);
}

TEST(invalid_utf8_paths_are_refused) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_file *f;
  int err = pw_file_create_new(plat_in(dir, "bad\xff\xfe.prn"), &f);
  int err2 = pw_dir_check(plat_in(dir, "\xc0\xaf"));
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_EINVAL);
  ASSERT_EQ(err2, PW_EINVAL);
}

/* ---- long paths ---- */

TEST(paths_beyond_max_path_work_through_the_long_prefix) {
  const char *dir = plat_scratch();
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
  ASSERT_EQ(plat_write_file(from, "long"), PW_OK);
  pw_file *f;
  ASSERT_EQ(pw_file_create_new(from, &f), PW_EEXIST);
  ASSERT_EQ(pw_file_rename_noreplace(from, to), PW_OK);
  int moved = plat_file_is(to, "long") && !plat_exists(from);
  ASSERT_EQ(plat_write_file(from, "again"), PW_OK);
  int refused = pw_file_rename_noreplace(from, to);
  int kept = plat_file_is(to, "long");
  /* '.' and '..' still mean what they say in a long path. */
  char dotted[4300];
  snprintf(dotted, sizeof dotted, "%s/./x/../final.prn", deep);
  int dotted_exists = pw_file_rename_noreplace(from, dotted);
  int removed = pw_file_remove(from);
  plat_rmtree(dir);
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

TEST_MAIN(
    TEST_ENTRY(utf8_names_become_the_right_utf16_names),
    TEST_ENTRY(invalid_utf8_paths_are_refused),
    TEST_ENTRY(paths_beyond_max_path_work_through_the_long_prefix),
    TEST_ENTRY(short_paths_only_get_backslashes),
    TEST_ENTRY(long_drive_paths_get_the_verbatim_prefix_and_are_normalised),
    TEST_ENTRY(long_unc_paths_get_the_verbatim_unc_prefix),
    TEST_ENTRY(already_verbatim_paths_are_left_alone),
    TEST_ENTRY(empty_and_oversized_paths_are_refused),
    TEST_ENTRY(path_separator_is_backslash))
