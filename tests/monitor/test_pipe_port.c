/* portway.dll's program ports (pipe:) through its MONITOR2 table, as a
 * spooler drives them, with pwchild.exe (tests/monitor/progs) as the
 * program: runas=user with and without an impersonating caller, and
 * stdout=output.
 *
 * Windows' spooler impersonates the job's submitter while it calls
 * StartDocPort; Wine's never does. So the test plays the spooler: it calls
 * StartDocPort once without impersonating (the job must fail, the program
 * must not run) and once while impersonating itself (ImpersonateSelf), so
 * the token request, the session id and CreateProcessAsUserW are really
 * exercised. Another user or session cannot be shown under Wine. */
#include <windows.h>

#include <winspool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monfix.h"
#include "platfix.h"
#include "test.h"

/* "uri=pipe:///<pwchild.exe>\n" + args + more lines, into out. */
static int child_config(const WCHAR *args, const WCHAR *extra, WCHAR *out,
                        size_t cap) {
  const char *child = plat_beside_me("pwchild.exe");
  WCHAR wchild[MT_PATH], line[MT_PATH * 3];
  if (!child || !MultiByteToWideChar(CP_UTF8, 0, child, -1, wchild, MT_PATH))
    return 0;
  mt_path_line("uri=pipe:///", wchild, line, MT_PATH * 3);
  int n = _snwprintf(out, cap, L"%lsargs=%ls\n%ls", line, args,
                     extra ? extra : L"");
  return n > 0 && (size_t)n < cap;
}

/* f->dir with '/' separators (pwchild's file arguments), + name. */
static void in_dir(const mt_fx *f, const WCHAR *name, WCHAR *out, size_t cap) {
  _snwprintf(out, cap, L"%ls/%ls", f->dir, name);
  out[cap - 1] = 0;
  for (WCHAR *p = out; *p; p++)
    if (*p == L'\\')
      *p = L'/';
}

static BOOL open_port(mt_fx *f, const WCHAR *name, HANDLE *h) {
  return f->m->pfnOpenPort(f->hmon, (LPWSTR)name, h);
}

MT_TEST(runas_user_without_an_impersonated_caller_fails_start_doc) {
  WCHAR env[MT_PATH], args[MT_PATH * 2], cfg[MT_PATH * 8];
  in_dir(f, L"env.txt", env, MT_PATH);
  _snwprintf(args, MT_PATH * 2, L"drain-env %ls", env);
  ASSERT(child_config(args, L"runas=user\n", cfg, MT_PATH * 8));
  ASSERT_EQ(mt_add_port_config(f, L"PWU:", cfg), ERROR_SUCCESS);
  HANDLE h = NULL;
  ASSERT(open_port(f, L"PWU:", &h));
  DOC_INFO_1W di = {(LPWSTR)L"doc", NULL, (LPWSTR)L"RAW"};
  SetLastError(0);
  BOOL ok = f->m->pfnStartDocPort(h, NULL, 0, 1, (LPBYTE)&di);
  DWORD err = GetLastError();
  ASSERT(f->m->pfnClosePort(h));
  ASSERT(!ok);
  ASSERT_EQ(err, ERROR_ACCESS_DENIED);
  ASSERT_EQ(mt_count_entries(f->dir), 0); /* the program never ran */
}

MT_TEST(runas_user_runs_the_program_as_the_impersonated_caller) {
  WCHAR env[MT_PATH], args[MT_PATH * 2], cfg[MT_PATH * 8];
  in_dir(f, L"env.txt", env, MT_PATH);
  _snwprintf(args, MT_PATH * 2, L"drain-env %ls", env);
  ASSERT(child_config(args, L"runas=user\n", cfg, MT_PATH * 8));
  ASSERT_EQ(mt_add_port_config(f, L"PWU:", cfg), ERROR_SUCCESS);
  HANDLE h = NULL;
  ASSERT(open_port(f, L"PWU:", &h));
  static BYTE data[10000];
  mt_fill_pattern(data, sizeof data, 5);
  /* The spooler's part: impersonate the submitter around StartDocPort. */
  ASSERT(ImpersonateSelf(SecurityImpersonation));
  DWORD want = 0xFFFFFFFFu, got = 0;
  HANDLE tok = NULL;
  if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &tok)) {
    GetTokenInformation(tok, TokenSessionId, &want, sizeof want, &got);
    CloseHandle(tok);
  }
  BOOL ok = mt_print(f, h, L"as-user", data, sizeof data, 4096);
  DWORD err = GetLastError();
  RevertToSelf();
  ASSERT(f->m->pfnClosePort(h));
  if (!ok)
    fprintf(stderr, "  print failed: %lu\n", (unsigned long)err);
  ASSERT(ok);
  BYTE *text = NULL;
  size_t len = 0;
  ASSERT(mt_read_file(env, &text, &len));
  text[len] = 0;
  char line[64];
  snprintf(line, sizeof line, "REDMON_SESSIONID=%lu\n", (unsigned long)want);
  int has_session = strstr((char *)text, line) != NULL;
  int has_doc = strstr((char *)text, "REDMON_DOCNAME=as-user\n") != NULL;
  free(text);
  ASSERT(has_session);
  ASSERT(has_doc);
}

MT_TEST(stdout_output_fills_output_with_the_programs_stdout) {
  WCHAR cfg[MT_PATH * 8], out[MT_PATH * 3], extra[MT_PATH * 4];
  mt_path_line("output=file:///", f->dir, out, MT_PATH * 3);
  _snwprintf(extra, MT_PATH * 4, L"%lspattern={doc}.bin\nstdout=output\n", out);
  ASSERT(child_config(L"echo", extra, cfg, MT_PATH * 8));
  ASSERT_EQ(mt_add_port_config(f, L"PWS:", cfg), ERROR_SUCCESS);
  HANDLE h = NULL;
  ASSERT(open_port(f, L"PWS:", &h));
  size_t size = 3u << 20;
  BYTE *data = malloc(size);
  ASSERT(data != NULL);
  mt_fill_pattern(data, size, 9);
  BOOL ok = mt_print(f, h, L"echoed", data, size, 4096);
  ASSERT(f->m->pfnClosePort(h));
  WCHAR path[MT_PATH];
  _snwprintf(path, MT_PATH, L"%ls\\echoed.bin", f->dir);
  BYTE *got = NULL;
  size_t len = 0;
  int read = mt_read_file(path, &got, &len);
  int same = read && len == size && memcmp(got, data, size) == 0;
  free(got);
  free(data);
  ASSERT(ok);
  ASSERT(same);
}

TEST_MAIN(TEST_ENTRY(runas_user_without_an_impersonated_caller_fails_start_doc),
          TEST_ENTRY(runas_user_runs_the_program_as_the_impersonated_caller),
          TEST_ENTRY(stdout_output_fills_output_with_the_programs_stdout))
