/* portway tests — monitor fixture; see monfix.h. */
#include "monfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int dll_path(WCHAR *out, size_t cap) {
  DWORD n = GetModuleFileNameW(NULL, out, (DWORD)cap);
  if (n == 0 || n >= cap)
    return 0;
  WCHAR *slash = wcsrchr(out, L'\\');
  if (!slash || (size_t)(slash - out) + 13 >= cap)
    return 0;
  wcscpy(slash + 1, L"portway.dll");
  return 1;
}

int mt_load(mt_fx *f) {
  WCHAR path[MT_PATH];
  memset(f, 0, sizeof *f);
  if (!dll_path(path, MT_PATH)) {
    fprintf(stderr, "  cannot build the path of portway.dll\n");
    return 0;
  }
  f->dll = LoadLibraryW(path);
  if (!f->dll) {
    fprintf(stderr, "  LoadLibraryW(%ls) failed: %lu\n", path,
            (unsigned long)GetLastError());
    return 0;
  }
  f->init_fn =
      (mt_init_fn)(void *)GetProcAddress(f->dll, "InitializePrintMonitor2");
  if (!f->init_fn) {
    fprintf(stderr, "  InitializePrintMonitor2 is not exported\n");
    return 0;
  }
  return 1;
}

int mt_setup(mt_fx *f) {
  if (!mt_load(f))
    return 0;
  f->reg = memreg_new();
  if (!f->reg)
    return 0;
  memreg_fill_init(f->reg, &f->init, &f->mreg);
  f->m = f->init_fn(&f->init, &f->hmon);
  if (!f->m || !f->hmon) {
    fprintf(stderr, "  InitializePrintMonitor2 failed: %lu\n",
            (unsigned long)GetLastError());
    f->hmon = NULL;
    return 0;
  }
  if (!mt_make_dir(NULL, f->dir, MT_PATH)) {
    fprintf(stderr, "  cannot create a temp directory\n");
    return 0;
  }
  return 1;
}

void mt_shutdown(mt_fx *f) {
  if (f->hmon && f->m)
    f->m->pfnShutdown(f->hmon);
  f->hmon = NULL;
}

void mt_teardown(mt_fx *f) {
  mt_shutdown(f);
  if (f->dll)
    FreeLibrary(f->dll);
  f->dll = NULL;
  memreg_free(f->reg);
  f->reg = NULL;
  if (f->dir[0])
    mt_remove_tree(f->dir);
  f->dir[0] = 0;
}

/* ---- Xcv ---- */

DWORD mt_xcv(mt_fx *f, const WCHAR *object, DWORD access, const WCHAR *cmd,
             const void *in, DWORD cb_in, void *out, DWORD cb_out,
             DWORD *needed) {
  HANDLE h = NULL;
  DWORD dummy = 0;
  if (!f->m->pfnXcvOpenPort(f->hmon, object, access, &h))
    return GetLastError();
  DWORD rc = f->m->pfnXcvDataPort(h, cmd, (PBYTE)in, cb_in, (PBYTE)out, cb_out,
                                  needed ? needed : &dummy);
  if (!f->m->pfnXcvClosePort(h)) {
    fprintf(stderr, "  XcvClosePort failed: %lu\n",
            (unsigned long)GetLastError());
    return ERROR_GEN_FAILURE;
  }
  return rc;
}

DWORD mt_strings(const WCHAR *a, const WCHAR *b, BYTE *buf, DWORD cap) {
  size_t la = (wcslen(a) + 1) * sizeof(WCHAR);
  size_t lb = b ? (wcslen(b) + 1) * sizeof(WCHAR) : 0;
  if (la + lb > cap)
    return 0;
  memcpy(buf, a, la);
  if (b)
    memcpy(buf + la, b, lb);
  return (DWORD)(la + lb);
}

DWORD mt_add_port_config(mt_fx *f, const WCHAR *name, const WCHAR *config) {
  BYTE in[4096];
  DWORD cb = mt_strings(name, config, in, sizeof in);
  if (!cb)
    return ERROR_INSUFFICIENT_BUFFER;
  return mt_xcv(f, PWM_TEST_MONITOR, SERVER_ACCESS_ADMINISTER, L"AddPort", in,
                cb, NULL, 0, NULL);
}

void mt_file_config(const WCHAR *dir, WCHAR *out, size_t cap) {
  mt_path_line("uri=file:///", dir, out, cap);
}

void mt_path_line(const char *prefix, const WCHAR *dir, WCHAR *out,
                  size_t cap) {
  static const char hex[] = "0123456789ABCDEF";
  char utf8[MT_PATH * 3];
  char uri[MT_PATH * 9 + 32];
  size_t o = 0;
  int n =
      WideCharToMultiByte(CP_UTF8, 0, dir, -1, utf8, sizeof utf8, NULL, NULL);
  out[0] = 0;
  if (n <= 0)
    return;
  o += (size_t)snprintf(uri, 64, "%s", prefix);
  for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
    unsigned char c = *p == '\\' ? '/' : *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr("-._~/:", c)) {
      uri[o++] = (char)c;
    } else {
      uri[o++] = '%';
      uri[o++] = hex[c >> 4];
      uri[o++] = hex[c & 15];
    }
  }
  uri[o++] = '\n';
  uri[o] = 0;
  MultiByteToWideChar(CP_UTF8, 0, uri, -1, out, (int)cap);
}

DWORD mt_add_file_port(mt_fx *f, const WCHAR *name, const WCHAR *dir) {
  WCHAR config[MT_PATH * 3];
  mt_file_config(dir, config, MT_PATH * 3);
  return mt_add_port_config(f, name, config);
}

DWORD mt_delete_port(mt_fx *f, const WCHAR *name) {
  BYTE in[512];
  DWORD cb = mt_strings(name, NULL, in, sizeof in);
  return mt_xcv(f, PWM_TEST_MONITOR, SERVER_ACCESS_ADMINISTER, L"DeletePort",
                in, cb, NULL, 0, NULL);
}

/* ---- EnumPorts ---- */

int mt_enum_count(mt_fx *f, const WCHAR *name, int *found) {
  DWORD needed = 0, returned = 0;
  BYTE *buf = NULL;
  if (found)
    *found = 0;
  if (f->m->pfnEnumPorts(f->hmon, NULL, 1, NULL, 0, &needed, &returned))
    return 0; /* no ports: nothing needed */
  if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || !(buf = malloc(needed)))
    return -1;
  if (!f->m->pfnEnumPorts(f->hmon, NULL, 1, buf, needed, &needed, &returned)) {
    free(buf);
    return -1;
  }
  for (DWORD i = 0; name && found && i < returned; i++)
    if (_wcsicmp(((PORT_INFO_1W *)(void *)buf)[i].pName, name) == 0)
      *found = 1;
  free(buf);
  return (int)returned;
}

/* ---- jobs ---- */

BOOL mt_print(mt_fx *f, HANDLE port, const WCHAR *doc, const void *data,
              size_t len, DWORD chunk) {
  DOC_INFO_1W di = {(LPWSTR)doc, NULL, (LPWSTR)L"RAW"};
  if (!f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&di))
    return FALSE;
  for (size_t off = 0; off < len;) {
    DWORD n = (DWORD)(len - off < chunk ? len - off : chunk), written = 0;
    if (!f->m->pfnWritePort(port, (LPBYTE)data + off, n, &written)) {
      DWORD err = GetLastError();
      f->m->pfnEndDocPort(port);
      SetLastError(err);
      return FALSE;
    }
    if (written != n) {
      f->m->pfnEndDocPort(port);
      SetLastError(ERROR_WRITE_FAULT);
      return FALSE;
    }
    off += n;
  }
  return f->m->pfnEndDocPort(port);
}

/* ---- files ---- */

int mt_make_dir(const WCHAR *parent, WCHAR *out, size_t cap) {
  WCHAR base[MT_PATH];
  static LONG counter;
  if (parent) {
    wcsncpy(base, parent, MT_PATH - 1);
    base[MT_PATH - 1] = 0;
    wcscat(base, L"\\");
  } else if (!GetTempPathW(MT_PATH, base)) {
    return 0;
  }
  for (int i = 0; i < 100; i++) {
    LONG n = InterlockedIncrement(&counter);
    if ((size_t)_snwprintf(out, cap, L"%lspwtest-%lu-%ld-%lu", base,
                           (unsigned long)GetCurrentProcessId(), (long)n,
                           (unsigned long)GetTickCount()) >= cap)
      return 0;
    if (CreateDirectoryW(out, NULL))
      return 1;
    if (GetLastError() != ERROR_ALREADY_EXISTS)
      return 0;
  }
  return 0;
}

void mt_remove_tree(const WCHAR *dir) {
  WCHAR pattern[MT_PATH + 4], path[MT_PATH * 2];
  WIN32_FIND_DATAW fd;
  _snwprintf(pattern, MT_PATH + 4, L"%ls\\*", dir);
  HANDLE h = FindFirstFileW(pattern, &fd);
  if (h != INVALID_HANDLE_VALUE) {
    do {
      if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
        continue;
      _snwprintf(path, MT_PATH * 2, L"%ls\\%ls", dir, fd.cFileName);
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
        mt_remove_tree(path);
      } else {
        SetFileAttributesW(path, FILE_ATTRIBUTE_NORMAL);
        DeleteFileW(path);
      }
    } while (FindNextFileW(h, &fd));
    FindClose(h);
  }
  SetFileAttributesW(dir, FILE_ATTRIBUTE_NORMAL);
  RemoveDirectoryW(dir);
}

int mt_count_entries(const WCHAR *dir) {
  WCHAR pattern[MT_PATH + 4];
  WIN32_FIND_DATAW fd;
  int n = 0;
  _snwprintf(pattern, MT_PATH + 4, L"%ls\\*", dir);
  HANDLE h = FindFirstFileW(pattern, &fd);
  if (h == INVALID_HANDLE_VALUE)
    return -1;
  do {
    if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
      continue;
    /* The file port's temporary folder counts by what is inside it, so
     * leftover temporary files still show. */
    if (!wcscmp(fd.cFileName, L".portway") &&
        (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
      WCHAR sub[MT_PATH + 16];
      _snwprintf(sub, MT_PATH + 16, L"%ls\\.portway", dir);
      sub[MT_PATH + 15] = 0;
      int inside = mt_count_entries(sub);
      n += inside > 0 ? inside : 0;
      continue;
    }
    n++;
  } while (FindNextFileW(h, &fd));
  FindClose(h);
  return n;
}

int mt_only_file(const WCHAR *dir, WCHAR *path, size_t cap) {
  WCHAR pattern[MT_PATH + 4];
  WIN32_FIND_DATAW fd;
  int n = 0;
  _snwprintf(pattern, MT_PATH + 4, L"%ls\\*", dir);
  HANDLE h = FindFirstFileW(pattern, &fd);
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  do {
    if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L"..") ||
        (!wcscmp(fd.cFileName, L".portway") &&
         (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)))
      continue;
    n++;
    _snwprintf(path, cap, L"%ls\\%ls", dir, fd.cFileName);
    path[cap - 1] = 0;
  } while (FindNextFileW(h, &fd));
  FindClose(h);
  return n == 1;
}

int mt_read_file(const WCHAR *path, BYTE **data, size_t *len) {
  HANDLE h = CreateFileW(path, GENERIC_READ,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  LARGE_INTEGER size;
  *data = NULL;
  *len = 0;
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  if (!GetFileSizeEx(h, &size) || size.QuadPart > 256 * 1024 * 1024) {
    CloseHandle(h);
    return 0;
  }
  BYTE *buf = malloc((size_t)size.QuadPart + 1);
  DWORD got = 0;
  int ok = buf && ReadFile(h, buf, (DWORD)size.QuadPart, &got, NULL) &&
           got == (DWORD)size.QuadPart;
  CloseHandle(h);
  if (!ok) {
    free(buf);
    return 0;
  }
  *data = buf;
  *len = got;
  return 1;
}

void mt_fill_pattern(BYTE *buf, size_t len, unsigned seed) {
  unsigned x = seed * 2654435761u + 1;
  for (size_t i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    buf[i] = (BYTE)(x >> 7);
  }
}

double mt_now_ms(void) {
  LARGE_INTEGER c, fr;
  QueryPerformanceCounter(&c);
  QueryPerformanceFrequency(&fr);
  return (double)c.QuadPart * 1000.0 / (double)fr.QuadPart;
}
