/* portway tests — plain Win32 helpers for the platform layer's tests. */
#include "platfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "portway/error.h"
#include "portway/utf.h"

static wchar_t *widen(const char *s) {
  int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
  wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
  if (w)
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
  return w;
}

wchar_t *plat_verbatim(const char *path) {
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

DWORD plat_attributes(const char *path) {
  wchar_t *v = plat_verbatim(path);
  DWORD a = v ? GetFileAttributesW(v) : INVALID_FILE_ATTRIBUTES;
  free(v);
  return a;
}

int plat_exists(const char *path) {
  return plat_attributes(path) != INVALID_FILE_ATTRIBUTES;
}

int plat_file_is(const char *path, const char *text) {
  wchar_t *v = plat_verbatim(path);
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

int plat_write_file(const char *path, const char *text) {
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

void plat_rmtree(const char *dir) {
  wchar_t *v = plat_verbatim(dir);
  if (v)
    rmtree_w(v);
  free(v);
}

const char *plat_scratch(void) {
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
  plat_rmtree(dir);
  wchar_t *v = plat_verbatim(dir);
  BOOL ok = v && CreateDirectoryW(v, NULL);
  free(v);
  return ok ? dir : NULL;
}

const char *plat_in(const char *dir, const char *name) {
  static char buf[4][4096];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", dir, name);
  return p;
}

/* "<this test's directory>\<name>" as UTF-8, in static storage (platfix.h). */
const char *plat_beside_me(const char *name) {
  static char path[4 * MAX_PATH];
  wchar_t w[MAX_PATH * 2];
  DWORD n = GetModuleFileNameW(NULL, w, MAX_PATH * 2);
  if (n == 0 || n >= MAX_PATH * 2)
    return NULL;
  while (n > 0 && w[n - 1] != L'\\' && w[n - 1] != L'/')
    n--;
  char *dir = NULL;
  if (pw_utf16_to_utf8((const uint16_t *)(const void *)w, n, &dir) != PW_OK)
    return NULL;
  snprintf(path, sizeof path, "%s%s", dir, name);
  free(dir);
  return path;
}

/* The whole file (malloc'd, NUL-terminated), NULL if unreadable. */
char *plat_slurp(const char *path, size_t *len) {
  wchar_t *v = plat_verbatim(path);
  HANDLE h =
      v ? CreateFileW(v, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                      OPEN_EXISTING, 0, NULL)
        : INVALID_HANDLE_VALUE;
  free(v);
  if (h == INVALID_HANDLE_VALUE)
    return NULL;
  LARGE_INTEGER size;
  char *buf = NULL;
  if (GetFileSizeEx(h, &size) && size.QuadPart < ((LONGLONG)1 << 30))
    buf = malloc((size_t)size.QuadPart + 1);
  size_t at = 0;
  while (buf && at < (size_t)size.QuadPart) {
    DWORD got = 0;
    if (!ReadFile(h, buf + at, (DWORD)((size_t)size.QuadPart - at), &got,
                  NULL) ||
        got == 0)
      break;
    at += got;
  }
  CloseHandle(h);
  if (buf)
    buf[at] = '\0';
  if (len)
    *len = at;
  return buf;
}
