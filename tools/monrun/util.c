/* monrun — messages, string conversions, numbers, clocks, memory figures. */
#include "monrun.h"

#include <psapi.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int mr_verbose;

/* Messages may come from several job threads at once; keep lines whole. */
static SRWLOCK out_lock = SRWLOCK_INIT;

static void write_line(FILE *f, const char *prefix, const char *fmt,
                       va_list ap) {
  char line[2048];
  vsnprintf(line, sizeof line, fmt, ap);
  AcquireSRWLockExclusive(&out_lock);
  fprintf(f, "%s%s\n", prefix, line);
  fflush(f);
  ReleaseSRWLockExclusive(&out_lock);
}

void mr_err(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  write_line(stderr, "monrun: ", fmt, ap);
  va_end(ap);
}

void mr_info(int level, const char *fmt, ...) {
  va_list ap;
  if (mr_verbose < level)
    return;
  va_start(ap, fmt);
  write_line(stderr, "monrun: ", fmt, ap);
  va_end(ap);
}

void mr_out(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  write_line(stdout, "", fmt, ap);
  va_end(ap);
}

/* A monitor that breaks the contract usually does it on every call; report
 * each distinct problem once so the output stays readable. */
#define MR_MAX_WARNINGS 32
static char *warned[MR_MAX_WARNINGS];
static unsigned nwarned;

void mr_warn_once(const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  AcquireSRWLockExclusive(&out_lock);
  for (unsigned i = 0; i < nwarned; i++) {
    if (strcmp(warned[i], line) == 0) {
      ReleaseSRWLockExclusive(&out_lock);
      return;
    }
  }
  if (nwarned < MR_MAX_WARNINGS) {
    warned[nwarned] = _strdup(line);
    if (warned[nwarned])
      nwarned++;
  }
  fprintf(stderr, "monrun: warning: %s\n", line);
  fflush(stderr);
  ReleaseSRWLockExclusive(&out_lock);
}

const char *mr_errstr(DWORD code, char *buf, size_t cap) {
  wchar_t msg[256];
  char u8[512];
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0,
      msg, (DWORD)(sizeof msg / sizeof msg[0]), NULL);
  /* Trim the trailing ".\r\n" so the text fits in one line. */
  while (n > 0 && (msg[n - 1] == L'\r' || msg[n - 1] == L'\n' ||
                   msg[n - 1] == L' ' || msg[n - 1] == L'.'))
    msg[--n] = 0;
  if (n == 0)
    snprintf(buf, cap, "error %lu", (unsigned long)code);
  else
    snprintf(buf, cap, "error %lu (%s)", (unsigned long)code,
             mr_u8(msg, u8, sizeof u8));
  return buf;
}

const char *mr_u8(const wchar_t *w, char *buf, size_t cap) {
  if (cap == 0)
    return "";
  if (!w) {
    snprintf(buf, cap, "(null)");
    return buf;
  }
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)cap, NULL, NULL);
  if (n <= 0) {
    /* Too long or not convertible: convert what fits, character by
     * character would be overkill for a message; mark it instead. */
    snprintf(buf, cap, "(unprintable)");
  }
  return buf;
}

wchar_t *mr_wdup_u8(const char *s) {
  int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
  if (n <= 0)
    return NULL;
  wchar_t *w = malloc((size_t)n * sizeof *w);
  if (w &&
      MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) <= 0) {
    free(w);
    return NULL;
  }
  return w;
}

wchar_t *mr_wdup(const wchar_t *s) {
  size_t n = wcslen(s) + 1;
  wchar_t *w = malloc(n * sizeof *w);
  if (w)
    memcpy(w, s, n * sizeof *w);
  return w;
}

int mr_parse_size(const wchar_t *s, uint64_t *out) {
  uint64_t v = 0, mult = 1;
  const wchar_t *p = s;
  if (!s || !*s)
    return -1;
  for (; *p >= L'0' && *p <= L'9'; p++) {
    if (v > (UINT64_MAX - 9) / 10)
      return -1;
    v = v * 10 + (uint64_t)(*p - L'0');
  }
  if (p == s)
    return -1;
  switch (*p) {
  case 0:
    break;
  case L'k':
  case L'K':
    mult = 1024;
    p++;
    break;
  case L'm':
  case L'M':
    mult = 1024 * 1024;
    p++;
    break;
  case L'g':
  case L'G':
    mult = 1024ull * 1024 * 1024;
    p++;
    break;
  default:
    return -1;
  }
  if (*p != 0 || (v != 0 && mult > UINT64_MAX / v))
    return -1;
  *out = v * mult;
  return 0;
}

double mr_now(void) {
  static LARGE_INTEGER freq;
  LARGE_INTEGER t;
  if (freq.QuadPart == 0)
    QueryPerformanceFrequency(&freq);
  QueryPerformanceCounter(&t);
  return (double)t.QuadPart / (double)freq.QuadPart;
}

int mr_stderr_is_console(void) {
  HANDLE h = GetStdHandle(STD_ERROR_HANDLE);
  return h && h != INVALID_HANDLE_VALUE && GetFileType(h) == FILE_TYPE_CHAR;
}

int mr_memory(uint64_t *peak, uint64_t *current) {
  PROCESS_MEMORY_COUNTERS pmc;
  memset(&pmc, 0, sizeof pmc);
  pmc.cb = sizeof pmc;
  if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc)) {
    *peak = *current = 0;
    return -1;
  }
  *peak = pmc.PeakWorkingSetSize;
  *current = pmc.WorkingSetSize;
  return 0;
}
