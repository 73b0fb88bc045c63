/* portway — open files on Win32: create-new, append, write, flush, close.
 * Handles are opened with NULL security attributes, so child processes never
 * inherit them. */
#include "platform/win32/win32_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "platform/platform.h"
#include "portway/error.h"

struct pw_file {
  HANDLE h;
};

/* One WriteFile call is bounded so the count always fits a DWORD. */
#define PW_WRITE_CHUNK ((size_t)1 << 30)

static int open_file(const char *path, DWORD access, DWORD share,
                     DWORD disposition, pw_file **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  wchar_t *w;
  int err = pw_win32_path(path, &w);
  if (err != PW_OK)
    return err;
  pw_file *f = malloc(sizeof *f);
  if (!f) {
    free(w);
    return PW_ENOMEM;
  }
  f->h = CreateFileW(w, access, share, NULL, disposition, FILE_ATTRIBUTE_NORMAL,
                     NULL);
  if (f->h == INVALID_HANDLE_VALUE) {
    err = pw_win32_last_err();
    free(f);
    free(w);
    return err;
  }
  free(w);
  *out = f;
  return PW_OK;
}

int pw_file_create_new(const char *path, pw_file **out) {
  /* Readers may look at the file while it is written and it may be deleted
   * or renamed by name (abort, commit), but no one else may write it.
   * DELETE access lets pw_file_rename_open_noreplace rename the handle. */
  return open_file(path, GENERIC_WRITE | FILE_READ_ATTRIBUTES | DELETE,
                   FILE_SHARE_READ | FILE_SHARE_DELETE, CREATE_NEW, out);
}

int pw_file_open_temp(const char *dir, pw_file **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!dir || !*dir)
    return PW_EINVAL;
  int err = pw_dir_create_all(dir);
  if (err != PW_OK)
    return err;
  /* A random name nobody can guess or open (no sharing), removed by the
   * system when the handle closes, also if the process dies. */
  unsigned char rnd[8];
  err = pw_random_bytes(rnd, sizeof rnd);
  if (err != PW_OK)
    return err;
  size_t n = strlen(dir);
  char *path = malloc(n + 40);
  if (!path)
    return PW_ENOMEM;
  memcpy(path, dir, n);
  char *p = path + n;
  memcpy(p, "/.portway-spool-", 16);
  p += 16;
  for (size_t i = 0; i < sizeof rnd; i++) {
    *p++ = "0123456789abcdef"[rnd[i] >> 4];
    *p++ = "0123456789abcdef"[rnd[i] & 15];
  }
  memcpy(p, ".tmp", 5);
  wchar_t *w;
  err = pw_win32_path(path, &w);
  free(path);
  if (err != PW_OK)
    return err;
  pw_file *f = malloc(sizeof *f);
  if (!f) {
    free(w);
    return PW_ENOMEM;
  }
  f->h =
      CreateFileW(w, GENERIC_READ | GENERIC_WRITE | DELETE, 0, NULL, CREATE_NEW,
                  FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_HIDDEN |
                      FILE_FLAG_DELETE_ON_CLOSE,
                  NULL);
  free(w);
  if (f->h == INVALID_HANDLE_VALUE) {
    err = pw_win32_last_err();
    free(f);
    return err;
  }
  *out = f;
  return PW_OK;
}

int pw_file_read_at(pw_file *f, uint64_t offset, void *buf, size_t len,
                    size_t *got) {
  if (got)
    *got = 0;
  if (!f || !got || (!buf && len))
    return PW_EINVAL;
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.Offset = (DWORD)(offset & 0xFFFFFFFFu);
  ov.OffsetHigh = (DWORD)(offset >> 32);
  DWORD chunk = (DWORD)(len < PW_WRITE_CHUNK ? len : PW_WRITE_CHUNK), n = 0;
  if (!ReadFile(f->h, buf, chunk, &n, &ov)) {
    if (GetLastError() == ERROR_HANDLE_EOF)
      return PW_OK;
    return pw_win32_last_err();
  }
  *got = n;
  return PW_OK;
}

int pw_file_open_append(const char *path, pw_file **out) {
  /* FILE_APPEND_DATA without FILE_WRITE_DATA: every WriteFile goes to the
   * current end of file, so whole lines from several processes never
   * overwrite each other. FILE_SHARE_DELETE lets another process rotate the
   * log while this one has it open. */
  return open_file(path, FILE_APPEND_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                   OPEN_ALWAYS, out);
}

int pw_file_write_all(pw_file *f, const void *buf, size_t len) {
  if (!f || (!buf && len))
    return PW_EINVAL;
  const unsigned char *p = buf;
  while (len > 0) {
    DWORD chunk = (DWORD)(len < PW_WRITE_CHUNK ? len : PW_WRITE_CHUNK);
    DWORD n = 0;
    if (!WriteFile(f->h, p, chunk, &n, NULL))
      return pw_win32_last_err();
    if (n == 0)
      return PW_EIO; /* no progress and no error: do not spin */
    p += n;
    len -= n;
  }
  return PW_OK;
}

int pw_file_sync(pw_file *f) {
  if (!f)
    return PW_EINVAL;
  return FlushFileBuffers(f->h) ? PW_OK : pw_win32_last_err();
}

int pw_file_size(pw_file *f, uint64_t *size) {
  if (!f || !size)
    return PW_EINVAL;
  LARGE_INTEGER li;
  if (!GetFileSizeEx(f->h, &li))
    return pw_win32_last_err();
  *size = li.QuadPart > 0 ? (uint64_t)li.QuadPart : 0;
  return PW_OK;
}

int pw_file_close(pw_file *f) {
  if (!f)
    return PW_OK;
  int err = CloseHandle(f->h) ? PW_OK : pw_win32_last_err();
  free(f);
  return err;
}

/* NT form of a path for FILE_RENAME_INFO, which takes no DOS names:
 * \??\C:\dir\x or \??\UNC\server\share\x (the \\?\ prefix of long
 * paths names the same namespace). */
static int nt_path(const char *path, wchar_t **out, size_t *units) {
  wchar_t *w;
  int err = pw_win32_path(path, &w);
  if (err != PW_OK)
    return err;
  DWORD need = GetFullPathNameW(w, 0, NULL, NULL);
  wchar_t *full = need ? malloc((size_t)need * sizeof(wchar_t)) : NULL;
  DWORD len = full ? GetFullPathNameW(w, need, full, NULL) : 0;
  free(w);
  if (!full || len == 0 || len >= need) {
    err = full ? pw_win32_last_err() : PW_ENOMEM;
    free(full);
    return err == PW_OK ? PW_EINVAL : err;
  }
  const wchar_t *rest = full, *prefix = L"\\??\\";
  if (wcsncmp(full, L"\\\\?\\", 4) == 0) {
    rest = full + 4; /* long-path prefix: keep what follows it */
  } else if (wcsncmp(full, L"\\\\", 2) == 0) {
    rest = full + 2;
    prefix = L"\\??\\UNC\\";
  }
  size_t n = wcslen(prefix) + wcslen(rest);
  *out = malloc((n + 1) * sizeof(wchar_t));
  if (!*out) {
    free(full);
    return PW_ENOMEM;
  }
  wcscpy(*out, prefix);
  wcscat(*out, rest);
  *units = n;
  free(full);
  return PW_OK;
}

int pw_file_rename_open_noreplace(pw_file *f, const char *from,
                                  const char *to) {
  (void)from; /* the handle names the file */
  if (!f || !to)
    return PW_EINVAL;
  wchar_t *nt;
  size_t units;
  int err = nt_path(to, &nt, &units);
  if (err != PW_OK)
    return err;
  size_t size = offsetof(FILE_RENAME_INFO, FileName) + units * sizeof(wchar_t);
  FILE_RENAME_INFO *info = calloc(1, size + sizeof(wchar_t));
  if (!info) {
    free(nt);
    return PW_ENOMEM;
  }
  /* ReplaceIfExists FALSE: an existing target fails atomically. */
  info->ReplaceIfExists = FALSE;
  info->RootDirectory = NULL;
  info->FileNameLength = (DWORD)(units * sizeof(wchar_t));
  memcpy(info->FileName, nt, units * sizeof(wchar_t));
  if (!SetFileInformationByHandle(f->h, FileRenameInfo, info, (DWORD)size))
    err = pw_win32_last_err();
  free(info);
  free(nt);
  return err;
}
