/* portway — UTF-8 paths to the UTF-16 form the Win32 file APIs need.
 *
 * The conversion is strict (MB_ERR_INVALID_CHARS): a path with invalid UTF-8
 * is refused rather than silently turned into U+FFFD, which could make two
 * different names collide. Paths at or above MAX_PATH - 12 (the
 * CreateDirectoryW limit) are made absolute and given the \\?\ prefix, which
 * lifts the MAX_PATH limit. GetFullPathNameW first normalises them because
 * \\?\ paths bypass normalisation ('.', '..', '/').
 */
#include "platform/win32/win32_internal.h"

#include <stdlib.h>
#include <string.h>

#include "portway/error.h"
#include "portway/utf.h"

_Static_assert(sizeof(wchar_t) == sizeof(uint16_t),
               "wchar_t is a UTF-16 unit on Windows");

#define PW_WIN32_MAX_UNITS 32767 /* longest path the kernel accepts */
#define PW_LONG_PATH_UNITS (MAX_PATH - 12)

static int has_prefix(const wchar_t *s, const wchar_t *prefix) {
  return wcsncmp(s, prefix, wcslen(prefix)) == 0;
}

/* Build "\\?\<full>" or "\\?\UNC\<server\share...>" for a long path. */
static int add_long_prefix(const wchar_t *w, wchar_t **out) {
  DWORD need = GetFullPathNameW(w, 0, NULL, NULL);
  if (need == 0)
    return pw_win32_last_err();
  if (need > PW_WIN32_MAX_UNITS)
    return PW_ENAMETOOLONG;
  wchar_t *full = malloc(need * sizeof *full);
  if (!full)
    return PW_ENOMEM;
  DWORD got = GetFullPathNameW(w, need, full, NULL);
  if (got == 0 || got >= need) {
    int err = got == 0 ? pw_win32_last_err() : PW_EIO;
    free(full);
    return err;
  }
  const wchar_t *prefix = L"\\\\?\\";
  const wchar_t *rest = full;
  if (has_prefix(full, L"\\\\?\\") || has_prefix(full, L"\\\\.\\")) {
    prefix = L"";
  } else if (has_prefix(full, L"\\\\")) {
    prefix = L"\\\\?\\UNC\\";
    rest = full + 2;
  }
  size_t plen = wcslen(prefix), rlen = wcslen(rest);
  if (plen + rlen > PW_WIN32_MAX_UNITS) {
    free(full);
    return PW_ENAMETOOLONG;
  }
  wchar_t *res = malloc((plen + rlen + 1) * sizeof *res);
  if (!res) {
    free(full);
    return PW_ENOMEM;
  }
  memcpy(res, prefix, plen * sizeof *res);
  memcpy(res + plen, rest, (rlen + 1) * sizeof *res);
  free(full);
  *out = res;
  return PW_OK;
}

int pw_win32_path(const char *path, wchar_t **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!path || !*path)
    return PW_EINVAL;
  /* A UTF-8 unit never yields more than one UTF-16 unit, so this bounds the
   * result and keeps the length inside an int for the API. */
  if (strlen(path) > (size_t)PW_WIN32_MAX_UNITS * 3)
    return PW_ENAMETOOLONG;
  /* The core's strict converter, the same rules as every other string
   * that crosses the boundary (MultiByteToWideChar differs in details such
   * as encoded surrogates across Windows versions). */
  uint16_t *units = NULL;
  size_t len = 0;
  int rc = pw_utf8_to_utf16(path, &units, &len);
  if (rc != PW_OK)
    return rc == PW_ENOMEM ? rc : PW_EINVAL;
  if (len > PW_WIN32_MAX_UNITS) {
    free(units);
    return PW_ENAMETOOLONG;
  }
  wchar_t *w = (wchar_t *)(void *)units;
  size_t n = len + 1;
  for (wchar_t *p = w; *p; p++) {
    if (*p == L'/')
      *p = L'\\';
  }
  if (n - 1 < PW_LONG_PATH_UNITS || has_prefix(w, L"\\\\?\\")) {
    *out = w;
    return PW_OK;
  }
  int err = add_long_prefix(w, out);
  free(w);
  return err;
}
