/* pwctl — output and error reporting.
 *
 * Why not stdio: wide printf in msvcrt writes through the ANSI code page,
 * which mangles port and printer names outside it. A console gets UTF-16
 * through WriteConsoleW; a pipe or file (scripts, Wine without a console)
 * gets UTF-8, which is what the shell scripts compare against.
 */
#include "pwctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define PWCTL_LINE_MAX 2048

static void write_wide(DWORD which, const wchar_t *s, size_t n) {
  HANDLE h = GetStdHandle(which);
  DWORD mode;
  if (h == NULL || h == INVALID_HANDLE_VALUE || n == 0)
    return;
  if (GetConsoleMode(h, &mode)) {
    DWORD done;
    WriteConsoleW(h, s, (DWORD)n, &done, NULL);
    return;
  }
  int need = WideCharToMultiByte(CP_UTF8, 0, s, (int)n, NULL, 0, NULL, NULL);
  if (need <= 0)
    return;
  char *buf = malloc((size_t)need);
  if (buf == NULL)
    return;
  WideCharToMultiByte(CP_UTF8, 0, s, (int)n, buf, need, NULL, NULL);
  DWORD off = 0;
  while (off < (DWORD)need) {
    DWORD done = 0;
    if (!WriteFile(h, buf + off, (DWORD)need - off, &done, NULL) || done == 0)
      break;
    off += done;
  }
  free(buf);
}

/* Format into buf; a message longer than the buffer is cut, never
 * unterminated. */
static void vformat(wchar_t *buf, size_t cap, const wchar_t *fmt, va_list ap) {
  int n = _vsnwprintf(buf, cap - 1, fmt, ap);
  if (n < 0 || (size_t)n >= cap - 1)
    buf[cap - 1] = L'\0';
}

void pwctl_out(const wchar_t *fmt, ...) {
  wchar_t *buf = malloc(PWCTL_LINE_MAX * 4 * sizeof(wchar_t));
  va_list ap;
  if (buf == NULL)
    return;
  va_start(ap, fmt);
  vformat(buf, PWCTL_LINE_MAX * 4, fmt, ap);
  va_end(ap);
  write_wide(STD_OUTPUT_HANDLE, buf, wcslen(buf));
  free(buf);
}

void pwctl_write(const wchar_t *text) {
  write_wide(STD_OUTPUT_HANDLE, text, wcslen(text));
}

static void err_line(const struct pwctl_opts *o, const wchar_t *msg) {
  wchar_t line[PWCTL_LINE_MAX + 64];
  if (o != NULL && o->cmd != NULL)
    _snwprintf(line, PWCTL_LINE_MAX + 63, L"pwctl: %ls: %ls\n", o->cmd, msg);
  else
    _snwprintf(line, PWCTL_LINE_MAX + 63, L"pwctl: %ls\n", msg);
  line[PWCTL_LINE_MAX + 63] = L'\0';
  write_wide(STD_ERROR_HANDLE, line, wcslen(line));
}

void pwctl_note(const struct pwctl_opts *o, const wchar_t *fmt, ...) {
  wchar_t msg[PWCTL_LINE_MAX];
  va_list ap;
  if (o == NULL || !o->verbose)
    return;
  va_start(ap, fmt);
  vformat(msg, PWCTL_LINE_MAX, fmt, ap);
  va_end(ap);
  err_line(o, msg);
}

void pwctl_win32_message(DWORD err, wchar_t *buf, size_t cap) {
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
      MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), buf, (DWORD)cap, NULL);
  if (n == 0) {
    _snwprintf(buf, cap - 1, L"unknown error");
    buf[cap - 1] = L'\0';
    return;
  }
  /* One line: fold embedded line breaks, drop the trailing ".\r\n". */
  for (DWORD i = 0; i < n; i++)
    if (buf[i] == L'\r' || buf[i] == L'\n')
      buf[i] = L' ';
  while (n > 0 && (buf[n - 1] == L' ' || buf[n - 1] == L'.'))
    buf[--n] = L'\0';
}

int pwctl_fail(const struct pwctl_opts *o, DWORD err, const wchar_t *fmt, ...) {
  wchar_t what[PWCTL_LINE_MAX / 2];
  wchar_t sys[512];
  wchar_t msg[PWCTL_LINE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vformat(what, PWCTL_LINE_MAX / 2, fmt, ap);
  va_end(ap);
  pwctl_win32_message(err, sys, 512);
  _snwprintf(msg, PWCTL_LINE_MAX - 1, L"%ls: %ls (Win32 error %lu)", what, sys,
             (unsigned long)err);
  msg[PWCTL_LINE_MAX - 1] = L'\0';
  err_line(o, msg);
  return PWCTL_EXIT_FAIL;
}

int pwctl_usage_error(const struct pwctl_opts *o, const wchar_t *fmt, ...) {
  wchar_t msg[PWCTL_LINE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vformat(msg, PWCTL_LINE_MAX, fmt, ap);
  va_end(ap);
  err_line(o, msg);
  return PWCTL_EXIT_USAGE;
}
