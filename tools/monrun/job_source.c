/* monrun — job data: streamed from a file (constant memory) or generated
 * (synthetic: byte i = i % MR_SYN_PERIOD, no input file needed). */
#include "monrun.h"

#include <stdlib.h>
#include <string.h>

DWORD mr_source_open_file(mr_source *src, const wchar_t *path) {
  memset(src, 0, sizeof *src);
  if (wcscmp(path, L"-") == 0) {
    src->file = GetStdHandle(STD_INPUT_HANDLE);
    if (!src->file || src->file == INVALID_HANDLE_VALUE) {
      src->file = NULL;
      return ERROR_INVALID_HANDLE;
    }
    /* Mark stdin so close leaves it alone. */
    src->remaining = UINT64_MAX;
    return ERROR_SUCCESS;
  }
  src->file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL,
                          OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, NULL);
  if (src->file == INVALID_HANDLE_VALUE) {
    src->file = NULL;
    return GetLastError();
  }
  return ERROR_SUCCESS;
}

DWORD mr_source_open_synthetic(mr_source *src, uint64_t bytes, DWORD chunk) {
  memset(src, 0, sizeof *src);
  src->remaining = bytes;
  /* One chunk from any phase of the period is a window into this buffer. */
  size_t len = (size_t)chunk + MR_SYN_PERIOD;
  src->pattern = malloc(len);
  if (!src->pattern)
    return ERROR_NOT_ENOUGH_MEMORY;
  for (size_t i = 0; i < len; i++)
    src->pattern[i] = (BYTE)(i % MR_SYN_PERIOD);
  return ERROR_SUCCESS;
}

DWORD mr_source_read(mr_source *src, BYTE *buf, DWORD cap, DWORD *got,
                     BYTE **data) {
  *got = 0;
  *data = buf;
  if (!src->file) {
    uint64_t n = src->remaining < cap ? src->remaining : cap;
    *data = src->pattern + (src->pos % MR_SYN_PERIOD);
    *got = (DWORD)n;
    src->remaining -= n;
    src->pos += n;
    return ERROR_SUCCESS;
  }
  /* Fill the whole chunk (pipes return short reads) so the monitor sees the
   * same chunk sizes as from a print processor. */
  while (*got < cap) {
    DWORD n = 0;
    if (!ReadFile(src->file, buf + *got, cap - *got, &n, NULL)) {
      DWORD code = GetLastError();
      if (code == ERROR_BROKEN_PIPE || code == ERROR_HANDLE_EOF)
        break;
      return code;
    }
    if (n == 0)
      break;
    *got += n;
  }
  src->pos += *got;
  return ERROR_SUCCESS;
}

void mr_source_close(mr_source *src) {
  if (src->file && src->remaining != UINT64_MAX)
    CloseHandle(src->file);
  free(src->pattern);
  memset(src, 0, sizeof *src);
}
