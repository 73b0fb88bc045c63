/* writeloop — the baseline for bench/run.sh: what writing job data costs
 * without any port monitor.
 *
 *   writeloop OUTFILE --bytes N [--chunk 4096]
 *       CreateFile, WriteFile in chunks, CloseHandle; prints
 *       "wrote N bytes in T s, X MB/s"
 *   writeloop OUTPATTERN --jobs N [--size 1024] [--warmup W]
 *       N x (CreateFile, WriteFile, CloseHandle); "{job}" in OUTPATTERN is
 *       replaced by the job number; prints "N jobs of S bytes in T s:
 *       X us/job"
 *
 * The data is the same synthetic stream monrun --synthetic sends (byte i =
 * i % 251), taken from a pattern buffer without copying, so both sides pay
 * only for moving bytes to the file. MB = 2^20 bytes.
 */
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define PERIOD 251u

static double now(void) {
  static LARGE_INTEGER freq;
  LARGE_INTEGER t;
  if (freq.QuadPart == 0)
    QueryPerformanceFrequency(&freq);
  QueryPerformanceCounter(&t);
  return (double)t.QuadPart / (double)freq.QuadPart;
}

static int parse_u64(const wchar_t *s, unsigned long long *out) {
  wchar_t *end;
  if (!s || !*s || *s == L'-')
    return -1;
  *out = wcstoull(s, &end, 10);
  if (*end == L'K' || *end == L'k')
    *out *= 1024, end++;
  else if (*end == L'M' || *end == L'm')
    *out *= 1024 * 1024, end++;
  else if (*end == L'G' || *end == L'g')
    *out *= 1024ull * 1024 * 1024, end++;
  return *end ? -1 : 0;
}

static void fail(const char *what, const wchar_t *path) {
  fprintf(stderr, "writeloop: %s %ls failed: error %lu\n", what, path,
          (unsigned long)GetLastError());
}

/* Write `bytes` of the synthetic stream to h in `chunk`-sized calls. */
static int write_stream(HANDLE h, const BYTE *pattern, unsigned long long bytes,
                        DWORD chunk, const wchar_t *path) {
  unsigned long long pos = 0;
  while (pos < bytes) {
    DWORD n = (DWORD)(bytes - pos < chunk ? bytes - pos : chunk), w = 0;
    if (!WriteFile(h, pattern + pos % PERIOD, n, &w, NULL) || w != n) {
      fail("WriteFile", path);
      return -1;
    }
    pos += n;
  }
  return 0;
}

static HANDLE create(const wchar_t *path) {
  HANDLE h = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL,
                         CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE)
    fail("CreateFile", path);
  return h;
}

/* "{job}" -> n, into out[cap]. */
static void expand(const wchar_t *tmpl, unsigned long long n, wchar_t *out,
                   size_t cap) {
  const wchar_t *at = wcsstr(tmpl, L"{job}");
  if (!at) {
    swprintf(out, cap, L"%ls", tmpl);
    return;
  }
  swprintf(out, cap, L"%.*ls%llu%ls", (int)(at - tmpl), tmpl, n, at + 5);
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv) {
  const wchar_t *path = NULL;
  unsigned long long bytes = 0, jobs = 0, size = 1024, warmup = 0, chunk = 4096;
  for (int i = 1; i < argc; i++) {
    unsigned long long *v = NULL;
    if (wcscmp(argv[i], L"--bytes") == 0)
      v = &bytes;
    else if (wcscmp(argv[i], L"--jobs") == 0)
      v = &jobs;
    else if (wcscmp(argv[i], L"--size") == 0)
      v = &size;
    else if (wcscmp(argv[i], L"--warmup") == 0)
      v = &warmup;
    else if (wcscmp(argv[i], L"--chunk") == 0)
      v = &chunk;
    else if (!path && argv[i][0] != L'-') {
      path = argv[i];
      continue;
    }
    if (!v || i + 1 >= argc || parse_u64(argv[++i], v) != 0) {
      fprintf(stderr, "usage: writeloop OUT --bytes N [--chunk C] | "
                      "writeloop OUTPATTERN --jobs N [--size S] "
                      "[--warmup W]\n");
      return 2;
    }
  }
  if (!path || chunk == 0 || chunk > 16u * 1024 * 1024 ||
      size > 64u * 1024 * 1024 || (jobs == 0) == (bytes == 0)) {
    fprintf(stderr, "writeloop: give OUT and exactly one of --bytes/--jobs\n");
    return 2;
  }
  size_t plen = (size_t)(jobs ? size : chunk) + PERIOD;
  BYTE *pattern = malloc(plen);
  if (!pattern)
    return 1;
  for (size_t i = 0; i < plen; i++)
    pattern[i] = (BYTE)(i % PERIOD);

  int rc = 0;
  if (bytes) {
    double t0 = now();
    HANDLE h = create(path);
    if (h == INVALID_HANDLE_VALUE)
      rc = 1;
    else {
      rc = write_stream(h, pattern, bytes, (DWORD)chunk, path) ? 1 : 0;
      CloseHandle(h);
    }
    double s = now() - t0;
    if (rc == 0)
      printf("wrote %llu bytes in %.3f s, %.1f MB/s\n", bytes, s,
             (double)bytes / (1024.0 * 1024.0) / s);
  } else {
    wchar_t name[1024];
    double t0 = now();
    for (unsigned long long j = 0; j < warmup + jobs && rc == 0; j++) {
      if (j == warmup)
        t0 = now();
      expand(path, j, name, sizeof name / sizeof name[0]);
      HANDLE h = create(name);
      if (h == INVALID_HANDLE_VALUE) {
        rc = 1;
        break;
      }
      /* One WriteFile per job: a 1 KB job is a single chunk. */
      rc = write_stream(h, pattern, size, (DWORD)size, name) ? 1 : 0;
      CloseHandle(h);
    }
    double s = now() - t0;
    if (rc == 0)
      printf("%llu jobs of %llu bytes in %.3f s: %.1f us/job, %.0f jobs/s\n",
             jobs, size, s, s * 1e6 / (double)jobs, (double)jobs / s);
  }
  free(pattern);
  return rc;
}
