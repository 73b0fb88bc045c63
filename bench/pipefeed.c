/* pipefeed — the baseline of the program-port benchmark under Wine (not a
 * test): a plain program that starts a child with an anonymous pipe as its
 * stdin (CreatePipe, as a shell's "type FILE | PROGRAM" pipe would be if it
 * streamed), copies FILE into the pipe in CHUNK pieces (ReadFile from the
 * file, WriteFile into the pipe: what monrun's print does, minus the
 * monitor), closes the pipe and waits for the child's exit, which must be 0.
 *
 *   pipefeed.exe FILE CHUNK PIPE_BYTES PROGRAM [ARG...]
 *
 * PIPE_BYTES is CreatePipe's size (0: the system's default). The child's
 * command line is PROGRAM and the ARGs, each quoted if it holds a space
 * (the bench passes plain paths). Timed with QueryPerformanceCounter from
 * CreateProcessW to the child's exit; prints "<bytes> bytes in <s> s:
 * <MB/s> MB/s" (MB = 2^20). bench/pipe.sh drives it. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define CMDLINE_MAX 32768

static int append(wchar_t *cmd, size_t *len, const wchar_t *arg) {
  int quote = wcschr(arg, L' ') != NULL;
  size_t n = wcslen(arg);
  if (*len + n + 4 >= CMDLINE_MAX || wcschr(arg, L'"'))
    return 0;
  if (*len)
    cmd[(*len)++] = L' ';
  if (quote)
    cmd[(*len)++] = L'"';
  wmemcpy(cmd + *len, arg, n);
  *len += n;
  if (quote)
    cmd[(*len)++] = L'"';
  cmd[*len] = L'\0';
  return 1;
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: pipefeed FILE CHUNK PIPE_BYTES PROGRAM [ARG...]\n");
    return 2;
  }
  DWORD chunk = (DWORD)wcstoul(argv[2], NULL, 10);
  DWORD pipe_bytes = (DWORD)wcstoul(argv[3], NULL, 10);
  if (chunk == 0 || chunk > 16u * 1048576u)
    return 2;
  static wchar_t cmd[CMDLINE_MAX];
  size_t len = 0;
  for (int i = 4; i < argc; i++)
    if (!append(cmd, &len, argv[i]))
      return 2;
  char *buf = malloc(chunk);
  HANDLE file = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL,
                            OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, NULL);
  if (!buf || file == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "pipefeed: cannot open the job file: %lu\n",
            GetLastError());
    return 1;
  }
  LARGE_INTEGER f, t0, t1;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&t0);
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE rd, wr;
  if (!CreatePipe(&rd, &wr, &sa, pipe_bytes) ||
      !SetHandleInformation(wr, HANDLE_FLAG_INHERIT, 0)) {
    fprintf(stderr, "pipefeed: CreatePipe failed: %lu\n", GetLastError());
    return 1;
  }
  STARTUPINFOW si = {0};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = rd;
  si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION pi;
  if (!CreateProcessW(argv[4], cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si,
                      &pi)) {
    fprintf(stderr, "pipefeed: CreateProcessW failed: %lu\n", GetLastError());
    return 1;
  }
  CloseHandle(rd);
  CloseHandle(pi.hThread);
  unsigned long long total = 0;
  int ok = 1;
  for (;;) {
    DWORD got = 0, put = 0;
    if (!ReadFile(file, buf, chunk, &got, NULL)) {
      ok = 0;
      break;
    }
    if (got == 0)
      break;
    if (!WriteFile(wr, buf, got, &put, NULL) || put != got) {
      ok = 0;
      break;
    }
    total += put;
  }
  CloseHandle(wr);
  DWORD code = 1;
  DWORD w = WaitForSingleObject(pi.hProcess, 600000);
  QueryPerformanceCounter(&t1);
  if (w != WAIT_OBJECT_0 || !GetExitCodeProcess(pi.hProcess, &code))
    code = 1;
  CloseHandle(pi.hProcess);
  CloseHandle(file);
  free(buf);
  if (!ok || code != 0) {
    fprintf(stderr, "pipefeed: failed (copy %s, child exit %lu)\n",
            ok ? "ok" : "failed", code);
    return 1;
  }
  double t = (double)(t1.QuadPart - t0.QuadPart) / (double)f.QuadPart;
  printf("%llu bytes in %.3f s: %.1f MB/s\n", total, t,
         (double)total / 1048576.0 / t);
  return 0;
}
