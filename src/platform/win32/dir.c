/* portway — directories on Win32 ('/' and '\' both separate components). */
#include "platform/win32/win32_internal.h"

#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "portway/error.h"

int pw_dir_check(const char *path) {
  wchar_t *w;
  int err = pw_win32_path(path, &w);
  if (err != PW_OK)
    return err;
  DWORD attr = GetFileAttributesW(w);
  if (attr == INVALID_FILE_ATTRIBUTES)
    err = pw_win32_last_err();
  else if (!(attr & FILE_ATTRIBUTE_DIRECTORY))
    err = PW_ENOTSUP;
  free(w);
  return err;
}

static int is_sep(char c) {
  return c == '/' || c == '\\';
}

/* Skip `n` components starting at p (for "server\share" of a UNC path). */
static size_t skip_components(const char *s, size_t p, int n) {
  while (n-- > 0) {
    while (s[p] && !is_sep(s[p]))
      p++;
    if (n > 0 && s[p])
      p++;
  }
  return p;
}

/* Length of the part of `s` that names an existing root and must not be
 * created: "C:\", "\", "\\server\share", "\\?\C:\", "\\?\UNC\server\share". */
static size_t root_length(const char *s) {
  size_t p = 0;
  if (is_sep(s[0]) && is_sep(s[1]) && s[2] == '?' && is_sep(s[3])) {
    p = 4;
    if (strncmp(s + p, "UNC", 3) == 0 && is_sep(s[p + 3]))
      return skip_components(s, p + 4, 2);
  } else if (is_sep(s[0]) && is_sep(s[1])) {
    return skip_components(s, 2, 2);
  }
  if (s[p] && s[p + 1] == ':')
    p += 2;
  if (is_sep(s[p]))
    p++;
  return p;
}

/* CreateDirectoryW one level; an existing directory is success. */
static int make_one(const char *path) {
  wchar_t *w;
  int err = pw_win32_path(path, &w);
  if (err != PW_OK)
    return err;
  if (!CreateDirectoryW(w, NULL)) {
    DWORD code = GetLastError();
    /* ERROR_ALREADY_EXISTS may be a file; ERROR_ACCESS_DENIED may be an
     * existing directory we cannot write into. Look at what is there. */
    DWORD attr = GetFileAttributesW(w);
    if (attr == INVALID_FILE_ATTRIBUTES)
      err = pw_win32_err(code);
    else if (!(attr & FILE_ATTRIBUTE_DIRECTORY))
      err = PW_ENOTSUP;
  }
  free(w);
  return err;
}

int pw_dir_create_all(const char *path) {
  if (!path || !*path)
    return PW_EINVAL;
  if (pw_dir_check(path) == PW_OK)
    return PW_OK;
  size_t len = strlen(path);
  char *buf = malloc(len + 1);
  if (!buf)
    return PW_ENOMEM;
  memcpy(buf, path, len + 1);
  int err = PW_OK;
  size_t root = root_length(buf);
  for (size_t i = root; i < len && err == PW_OK; i++) {
    if (!is_sep(buf[i]) || i == 0 || is_sep(buf[i - 1]))
      continue;
    char saved = buf[i];
    buf[i] = '\0';
    err = make_one(buf);
    buf[i] = saved;
  }
  if (err == PW_OK && len > root)
    err = make_one(buf);
  free(buf);
  return err == PW_OK ? pw_dir_check(path) : err;
}

char pw_path_sep(void) {
  return '\\';
}
