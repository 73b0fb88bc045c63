/* portway — the Win32 platform layer's "job's user" (platform.h) and a
 * child's stdout into a file, run on Windows or under Wine with
 * pwchild.exe.
 *
 * What Wine can show: a thread that impersonates no one has no user (the
 * spooler's StartDocPort would impersonate the job's submitter; Wine's
 * never does), and a thread that impersonates (here: itself, through
 * ImpersonateSelf) gives its token, session and environment, and a child
 * started with it runs while the thread's impersonation survives the
 * RevertToSelf around CreateProcessAsUserW. Other users and sessions
 * cannot be shown under Wine: it has one user and one session. */
#include "platform/win32/win32_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platfix.h"
#include "platform/platform.h"
#include "portway/error.h"
#include "test.h"

#define BOUND_MS 30000u

static int impersonating(void) {
  HANDLE t = NULL;
  if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t))
    return 0;
  CloseHandle(t);
  return 1;
}

/* Run pwchild with argv[1..] = args as `user`, stdin empty; its exit code,
 * or -1 if it did not start or finish. */
static int run_child(const char *const *args, const char *const *env,
                     const char *stdout_path, const pw_user *user,
                     const void *in, size_t inlen) {
  const char *argv[8] = {"pwchild"};
  for (size_t i = 0; i < 6 && args[i]; i++)
    argv[i + 1] = args[i];
  pw_spawn sp = {
      plat_beside_me("pwchild.exe"), argv, env, NULL, stdout_path, user};
  pw_process *p = NULL;
  if (pw_process_spawn(&sp, &p) != PW_OK)
    return -1;
  size_t w = 0;
  int ok = inlen == 0 || pw_process_write(p, in, inlen, BOUND_MS, &w) == PW_OK;
  pw_process_close_stdin(p);
  int code = -1;
  if (pw_process_wait(p, BOUND_MS, &code) != PW_OK || !ok)
    code = -1;
  pw_process_free(p);
  return code;
}

TEST(a_thread_that_impersonates_no_one_has_no_user) {
  ASSERT(!impersonating());
  pw_user *u = (pw_user *)1;
  ASSERT_EQ(pw_user_from_caller(&u), PW_EACCES);
  ASSERT(u == NULL);
  pw_os_error e = pw_os_last_error();
  ASSERT_EQ(e.domain, PW_OSERR_WIN32);
  ASSERT_EQ(e.code, (long)ERROR_NO_TOKEN);
  ASSERT_EQ(pw_user_from_caller(NULL), PW_EINVAL);
}

TEST(an_impersonating_thread_gives_its_token_session_and_environment) {
  ASSERT(ImpersonateSelf(SecurityImpersonation));
  pw_user *u = NULL;
  int rc = pw_user_from_caller(&u);
  char **env = u ? pw_user_env(u) : NULL;
  int has_root = 0;
  for (size_t i = 0; env && env[i]; i++)
    has_root |= _strnicmp(env[i], "SystemRoot=", 11) == 0;
  char name[256];
  snprintf(name, sizeof name, "%s", pw_user_name(u));
  pw_env_free(env);
  pw_user_free(u);
  RevertToSelf();
  ASSERT_EQ(rc, PW_OK);
  ASSERT_EQ(pw_user_session(NULL), 0ul);
  ASSERT(has_root);
  ASSERT(strcmp(name, "?") != 0);
  ASSERT(strchr(name, '\\') != NULL);
}

TEST(the_session_is_the_tokens) {
  ASSERT(ImpersonateSelf(SecurityImpersonation));
  pw_user *u = NULL;
  int rc = pw_user_from_caller(&u);
  HANDLE t = NULL;
  DWORD want = 0xFFFFFFFFu, got = 0;
  if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t)) {
    GetTokenInformation(t, TokenSessionId, &want, sizeof want, &got);
    CloseHandle(t);
  }
  unsigned long session = pw_user_session(u), cheap = 99;
  int crc = pw_caller_session(&cheap);
  pw_user_free(u);
  RevertToSelf();
  ASSERT_EQ(rc, PW_OK);
  ASSERT_EQ(session, (unsigned long)want);
  ASSERT_EQ(crc, PW_OK);
  ASSERT_EQ(cheap, (unsigned long)want);
  /* Impersonating no one: no session, and no OS error left behind. */
  pw_os_error_clear();
  ASSERT_EQ(pw_caller_session(&cheap), PW_EACCES);
  ASSERT_EQ(pw_os_last_error().domain, PW_OSERR_NONE);
}

TEST(a_child_runs_as_the_user_and_the_impersonation_survives) {
  const char *dir = plat_scratch();
  ASSERT(dir != NULL);
  const char *out = plat_in(dir, "env.txt");
  ASSERT(ImpersonateSelf(SecurityImpersonation));
  pw_user *u = NULL;
  int rc = pw_user_from_caller(&u);
  char **env = u ? pw_user_env(u) : NULL;
  const char *args[] = {"env", out, NULL};
  int code = rc == PW_OK && env
                 ? run_child(args, (const char *const *)env, NULL, u, NULL, 0)
                 : -2;
  int still = impersonating();
  pw_env_free(env);
  pw_user_free(u);
  RevertToSelf();
  ASSERT_EQ(rc, PW_OK);
  ASSERT_EQ(code, 0);
  ASSERT(still); /* CreateProcessAsUserW ran reverted, then it came back */
  char *got = plat_slurp(out, NULL);
  ASSERT(got != NULL);
  int has_root = strstr(got, "SystemRoot=") || strstr(got, "SYSTEMROOT=");
  free(got);
  ASSERT(has_root);
  plat_rmtree(dir);
}

TEST(stdout_goes_into_an_existing_file) {
  const char *dir = plat_scratch();
  ASSERT(dir != NULL);
  const char *out = plat_in(dir, "stdout.bin");
  ASSERT_EQ(plat_write_file(out, ""), PW_OK);
  static char data[300000];
  for (size_t i = 0; i < sizeof data; i++)
    data[i] = (char)(i * 7u + 3u);
  const char *args[] = {"echo", NULL};
  ASSERT_EQ(run_child(args, NULL, out, NULL, data, sizeof data), 0);
  size_t len = 0;
  char *got = plat_slurp(out, &len);
  ASSERT(got != NULL);
  ASSERT_EQ(len, sizeof data);
  int same = memcmp(got, data, sizeof data) == 0;
  free(got);
  ASSERT(same);
  /* A missing file is not created. */
  const char *missing = plat_in(dir, "missing.bin");
  const char *argv[] = {"pwchild", "echo", NULL};
  pw_spawn sp = {
      plat_beside_me("pwchild.exe"), argv, NULL, NULL, missing, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_ENOENT);
  ASSERT(p == NULL);
  ASSERT(!plat_exists(missing));
  plat_rmtree(dir);
}

TEST_MAIN(
    TEST_ENTRY(a_thread_that_impersonates_no_one_has_no_user),
    TEST_ENTRY(an_impersonating_thread_gives_its_token_session_and_environment),
    TEST_ENTRY(the_session_is_the_tokens),
    TEST_ENTRY(a_child_runs_as_the_user_and_the_impersonation_survives),
    TEST_ENTRY(stdout_goes_into_an_existing_file))
