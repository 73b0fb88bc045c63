/* portway tests — the child program test_platform_win32_process.c starts
 * through pw_process_spawn (a Windows console program; under Wine a Linux
 * program cannot take a Windows pipe as its stdin). What it does depends on
 * its first argument (after argv[0]):
 *
 *   store FILE        copy stdin to FILE, exit 0
 *   echo              copy stdin to stdout, exit 0
 *   argv FILE         write every argument, argv[0] included, one a line
 *                     (UTF-8; CommandLineToArgvW's reading of the command
 *                     line), exit 0
 *   env FILE          write the environment block, one variable a line
 *   drain-env FILE    read stdin to its end, then as `env FILE`
 *   cwd FILE          write the current directory
 *   exit N            read stdin to its end, write "bye N" to stderr, exit N
 *   early             exit 0 at once, reading nothing
 *   hang              sleep forever, reading nothing
 *   flood N           write N MiB to stdout and to stderr (lines
 *                     "flood NNNNNNNNN\n" on stderr, then "flood done\n"),
 *                     exit 0
 *   spawn-hang FILE   start "pwchild hang" (inheriting stdout and stderr),
 *                     write "<own pid> <its pid>\n" to FILE, then hang
 *
 * Exit code 100 means the arguments or an operation failed. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define FAILED_EXIT 100

static HANDLE create_out(const wchar_t *path) {
  return CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS,
                     FILE_ATTRIBUTE_NORMAL, NULL);
}

static int write_all(HANDLE h, const void *buf, size_t len) {
  const char *b = buf;
  while (len > 0) {
    DWORD n = 0;
    if (!WriteFile(h, b, (DWORD)(len > 65536 ? 65536 : len), &n, NULL))
      return 0;
    b += n;
    len -= n;
  }
  return 1;
}

/* A UTF-16 string (n units, or -1 up to its NUL) as UTF-8 into h. */
static int write_wide(HANDLE h, const wchar_t *s, int n) {
  if (n < 0)
    n = (int)wcslen(s);
  if (n == 0)
    return 1;
  int len = WideCharToMultiByte(CP_UTF8, 0, s, n, NULL, 0, NULL, NULL);
  char *u = len > 0 ? malloc((size_t)len) : NULL;
  int ok = u &&
           WideCharToMultiByte(CP_UTF8, 0, s, n, u, len, NULL, NULL) == len &&
           write_all(h, u, (size_t)len);
  free(u);
  return ok;
}

static int copy_stdin(HANDLE to) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  static char buf[65536];
  for (;;) {
    DWORD got = 0;
    if (!ReadFile(in, buf, sizeof buf, &got, NULL))
      return GetLastError() == ERROR_BROKEN_PIPE; /* the writer closed */
    if (got == 0)
      return 1;
    if (to && !write_all(to, buf, got))
      return 0;
  }
}

static int cmd_argv(const wchar_t *file, wchar_t **argv, int argc) {
  HANDLE h = create_out(file);
  if (h == INVALID_HANDLE_VALUE)
    return FAILED_EXIT;
  int ok = 1;
  for (int i = 0; i < argc && ok; i++)
    ok = write_wide(h, argv[i], -1) && write_all(h, "\n", 1);
  CloseHandle(h);
  return ok ? 0 : FAILED_EXIT;
}

static int cmd_env(const wchar_t *file) {
  HANDLE h = create_out(file);
  wchar_t *block = GetEnvironmentStringsW();
  if (h == INVALID_HANDLE_VALUE || !block)
    return FAILED_EXIT;
  int ok = 1;
  for (const wchar_t *v = block; *v && ok; v += wcslen(v) + 1)
    ok = write_wide(h, v, -1) && write_all(h, "\n", 1);
  FreeEnvironmentStringsW(block);
  CloseHandle(h);
  return ok ? 0 : FAILED_EXIT;
}

static int cmd_cwd(const wchar_t *file) {
  wchar_t dir[MAX_PATH * 2];
  DWORD n = GetCurrentDirectoryW(MAX_PATH * 2, dir);
  HANDLE h = create_out(file);
  if (h == INVALID_HANDLE_VALUE || n == 0 || n >= MAX_PATH * 2)
    return FAILED_EXIT;
  int ok = write_wide(h, dir, (int)n);
  CloseHandle(h);
  return ok ? 0 : FAILED_EXIT;
}

static int cmd_flood(int mib) {
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
  static char chunk[65536];
  unsigned line = 0;
  for (int m = 0; m < mib * 16; m++) { /* 16 chunks of 64 KiB a MiB */
    memset(chunk, 'o', sizeof chunk);
    if (!write_all(out, chunk, sizeof chunk))
      return FAILED_EXIT;
    for (size_t at = 0; at + 16 <= sizeof chunk; at += 16) {
      char text[24];
      snprintf(text, sizeof text, "flood %09u\n", line++);
      memcpy(chunk + at, text, 16);
    }
    if (!write_all(err, chunk, sizeof chunk))
      return FAILED_EXIT;
  }
  return write_all(err, "flood done\n", 11) ? 0 : FAILED_EXIT;
}

static int cmd_spawn_hang(const wchar_t *file) {
  wchar_t self[MAX_PATH * 2];
  DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH * 2);
  if (n == 0 || n >= MAX_PATH * 2)
    return FAILED_EXIT;
  wchar_t cmd[] = L"pwchild hang";
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  /* The grandchild holds our stdout and stderr too: only the end of the
   * whole tree ends the parent's drain. */
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = NULL;
  si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  if (!CreateProcessW(self, cmd, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL,
                      &si, &pi))
    return FAILED_EXIT;
  char line[64];
  int len = snprintf(line, sizeof line, "%lu %lu\n", GetCurrentProcessId(),
                     pi.dwProcessId);
  HANDLE h = create_out(file);
  if (h == INVALID_HANDLE_VALUE || !write_all(h, line, (size_t)len))
    return FAILED_EXIT;
  CloseHandle(h);
  for (;;)
    Sleep(INFINITE);
}

int main(void) {
  int argc = 0;
  wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  if (!argv || argc < 2)
    return FAILED_EXIT;
  const wchar_t *cmd = argv[1];
  const wchar_t *arg = argc > 2 ? argv[2] : NULL;
  if (wcscmp(cmd, L"store") == 0 && arg) {
    HANDLE h = create_out(arg);
    if (h == INVALID_HANDLE_VALUE)
      return FAILED_EXIT;
    int ok = copy_stdin(h);
    return CloseHandle(h) && ok ? 0 : FAILED_EXIT;
  }
  if (wcscmp(cmd, L"echo") == 0)
    return copy_stdin(GetStdHandle(STD_OUTPUT_HANDLE)) ? 0 : FAILED_EXIT;
  if (wcscmp(cmd, L"argv") == 0 && arg)
    return cmd_argv(arg, argv, argc);
  if (wcscmp(cmd, L"env") == 0 && arg)
    return cmd_env(arg);
  if (wcscmp(cmd, L"drain-env") == 0 && arg)
    return copy_stdin(NULL) ? cmd_env(arg) : FAILED_EXIT;
  if (wcscmp(cmd, L"cwd") == 0 && arg)
    return cmd_cwd(arg);
  if (wcscmp(cmd, L"exit") == 0 && arg) {
    int code = _wtoi(arg);
    copy_stdin(NULL);
    char msg[32];
    int len = snprintf(msg, sizeof msg, "bye %d\n", code);
    write_all(GetStdHandle(STD_ERROR_HANDLE), msg, (size_t)len);
    return code;
  }
  if (wcscmp(cmd, L"early") == 0)
    return 0;
  if (wcscmp(cmd, L"hang") == 0) {
    for (;;)
      Sleep(INFINITE);
  }
  if (wcscmp(cmd, L"flood") == 0 && arg)
    return cmd_flood(_wtoi(arg));
  if (wcscmp(cmd, L"spawn-hang") == 0 && arg)
    return cmd_spawn_hang(arg);
  return FAILED_EXIT;
}
