/* portway — the Win32 platform layer's child processes (platform.h, "child
 * processes"), run on Windows or under Wine. The child is pwchild.exe
 * (tests/monitor/progs/pwchild.c), built next to this test: under Wine a
 * Linux program cannot read a Windows pipe, so only Windows programs are
 * started here. */
#include "platform/win32/win32_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platfix.h"
#include "platform/platform.h"
#include "portway/error.h"
#include "portway/utf.h"
#include "test.h"

#define BOUND_MS 30000u /* time-out of calls that should not time out */

static uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

static const char *pwchild(void) {
  return plat_beside_me("pwchild.exe");
}

/* Start pwchild with argv[1..] = args (NULL-terminated). */
static int start(const char *const *args, const char *const *env,
                 const char *cwd, pw_process **out) {
  const char *argv[32] = {"pwchild"};
  size_t n = 1;
  while (args[n - 1] && n < 31) {
    argv[n] = args[n - 1];
    n++;
  }
  argv[n] = NULL;
  pw_spawn sp = {pwchild(), argv, env, cwd, NULL, NULL};
  return pw_process_spawn(&sp, out);
}

/* Wait (up to 10 s) for spawn-hang's "<child pid> <grandchild pid>\n". */
static int read_pids(const char *path, DWORD *child, DWORD *grandchild) {
  for (int i = 0; i < 1000; i++) {
    char *s = plat_slurp(path, NULL);
    unsigned long a = 0, b = 0;
    int ok = s && strchr(s, '\n') && sscanf(s, "%lu %lu", &a, &b) == 2;
    free(s);
    if (ok) {
      *child = (DWORD)a;
      *grandchild = (DWORD)b;
      return 1;
    }
    Sleep(10);
  }
  return 0;
}

/* 1 if process `pid` has ended (or is gone) within ms. */
static int ended_within(DWORD pid, DWORD ms) {
  HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, pid);
  if (!h)
    return 1;
  DWORD w = WaitForSingleObject(h, ms);
  CloseHandle(h);
  return w == WAIT_OBJECT_0;
}

static unsigned char pattern(size_t i) {
  return (unsigned char)((i * 7u) ^ (i >> 11));
}

TEST(stores_8_mb_byte_identical_through_4_kb_writes) {
  const char *out = plat_in(plat_scratch(), "stored.bin");
  const size_t total = (size_t)8 << 20;
  unsigned char *data = malloc(total);
  ASSERT(data);
  for (size_t i = 0; i < total; i++)
    data[i] = pattern(i);
  pw_process *p = NULL;
  const char *args[] = {"store", out, NULL};
  int err = start(args, NULL, NULL, &p);
  size_t at = 0, written = 0;
  while (err == PW_OK && at < total) {
    err = pw_process_write(p, data + at, 4096, BOUND_MS, &written);
    at += written;
  }
  int code = -1;
  int werr = PW_EIO;
  if (p) {
    pw_process_close_stdin(p);
    pw_process_close_stdin(p); /* idempotent */
    werr = pw_process_wait(p, BOUND_MS, &code);
  }
  pw_process_free(p);
  size_t len = 0;
  char *got = err == PW_OK ? plat_slurp(out, &len) : NULL;
  int same = got && len == total && memcmp(got, data, total) == 0;
  free(got);
  free(data);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(at, total);
  ASSERT_EQ(werr, PW_OK);
  ASSERT_EQ(code, 0);
  ASSERT(same);
}

TEST(argv_round_trips_exactly) {
  const char *out = plat_in(plat_scratch(), "argv.txt");
  const char *args[] = {"argv",
                        out,
                        "plain",
                        "with space",
                        "",
                        "quo\"te",
                        "\"",
                        "\\",
                        "back\\slash",
                        "two\\\\",
                        "trail\\",
                        "sp ace\\",
                        "bs\\\"q",
                        "bs2\\\\\"q r",
                        "\\\\server\\share\\",
                        "&|<>^%PATH%!",
                        "tab\there",
                        "\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac",
                        "'single'",
                        NULL};
  const char *argv[32] = {"pw child \xc3\xa9\\"}; /* argv[0]: no escapes */
  size_t n = 1;
  for (; args[n - 1]; n++)
    argv[n] = args[n - 1];
  argv[n] = NULL;
  char expect[2048] = "";
  for (size_t i = 0; argv[i]; i++) {
    strcat(expect, argv[i]);
    strcat(expect, "\n");
  }
  pw_spawn sp = {pwchild(), argv, NULL, NULL, NULL, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_OK);
  pw_process_close_stdin(p);
  int code = -1;
  int err = pw_process_wait(p, BOUND_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  char *got = plat_slurp(out, NULL);
  int same = got && strcmp(got, expect) == 0;
  if (!same)
    fprintf(stderr, "  got:\n%s  expected:\n%s", got ? got : "(none)", expect);
  free(got);
  ASSERT(same);
}

TEST(env_replaces_ours_sorted_by_name_case_insensitively) {
  const char *out = plat_in(plat_scratch(), "env.txt");
  ASSERT(SetEnvironmentVariableW(L"PW_PARENT_ONLY", L"1"));
  const char *env[] = {
      "zeta=last", "PW_B=2", "alpha=\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac",
      "Beta=b=c",  "pw_a=1", "EMPTY=",
      NULL};
  const char *args[] = {"env", out, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, env, NULL, &p), PW_OK);
  int code = -1;
  int err = pw_process_wait(p, BOUND_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  char *got = plat_slurp(out, NULL);
  const char *expect = "alpha=\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\nBeta=b=c\n"
                       "EMPTY=\npw_a=1\nPW_B=2\nzeta=last\n";
  /* Wine's loader appends its own (WINE*, SystemRoot, SystemDrive) after
   * the block it was given; Windows adds nothing. */
  int same = got && strncmp(got, expect, strlen(expect)) == 0 &&
             !strstr(got, "PW_PARENT_ONLY");
  if (!same)
    fprintf(stderr, "  got:\n%s", got ? got : "(none)");
  free(got);
  ASSERT(same);
}

TEST(cwd_is_the_one_given) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  char want[1024];
  snprintf(want, sizeof want, "%s", dir);
  for (char *c = want; *c; c++)
    if (*c == '/')
      *c = '\\';
  const char *out = plat_in(dir, "cwd.txt");
  const char *args[] = {"cwd", out, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, dir, &p), PW_OK);
  int code = -1;
  int err = pw_process_wait(p, BOUND_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  char *got = plat_slurp(out, NULL);
  size_t n = got ? strlen(got) : 0;
  if (n > 0 && got[n - 1] == '\\')
    got[n - 1] = '\0';
  int same = got && _stricmp(got, want) == 0;
  if (!same)
    fprintf(stderr, "  got %s, expected %s\n", got ? got : "(none)", want);
  free(got);
  ASSERT(same);
}

/* 1 if a process still holds the write end of the pipe read through r
 * (PeekNamedPipe fails with a broken pipe once no writer is left). */
static int has_writer(HANDLE r) {
  DWORD avail = 0;
  return PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL) ||
         GetLastError() != ERROR_BROKEN_PIPE;
}

/* Only the three pipe ends are inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST):
 * an inheritable pipe end of ours is not, while a plain CreateProcessW that
 * inherits handles takes it (the control). */
TEST(only_the_pipe_ends_are_inherited) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE r = NULL, w = NULL;
  ASSERT(CreatePipe(&r, &w, &sa, 0));
  const char *args[] = {"hang", NULL};
  pw_process *p = NULL;
  int err = start(args, NULL, NULL, &p);
  wchar_t app[MAX_PATH * 2], cmd[] = L"pwchild hang";
  DWORD n = GetModuleFileNameW(NULL, app, MAX_PATH * 2);
  while (n > 0 && app[n - 1] != L'\\')
    n--;
  wcscpy(app + n, L"pwchild.exe");
  CloseHandle(w);
  int ours_inherited = has_writer(r);
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  int control = 0;
  /* The control inherits r, whose write end is gone by now: make another. */
  HANDLE r2 = NULL, w2 = NULL;
  if (CreatePipe(&r2, &w2, &sa, 0) &&
      CreateProcessW(app, cmd, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL,
                     &si, &pi)) {
    CloseHandle(w2);
    control = has_writer(r2);
    TerminateProcess(pi.hProcess, 1);
    WaitForSingleObject(pi.hProcess, BOUND_MS);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
  }
  if (r2)
    CloseHandle(r2);
  CloseHandle(r);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT(control);
  ASSERT(!ours_inherited);
}

TEST(exit_code_and_stderr_come_back) {
  const char *args[] = {"exit", "3", NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, NULL, &p), PW_OK);
  size_t written = 0;
  int werr = pw_process_write(p, "hello", 5, BOUND_MS, &written);
  pw_process_close_stdin(p);
  int code = -1;
  int err = pw_process_wait(p, BOUND_MS, &code);
  char tail[64];
  size_t n = pw_process_stderr_tail(p, tail, sizeof tail);
  int again = pw_process_write(p, "x", 1, BOUND_MS, NULL);
  pw_process_free(p);
  ASSERT_EQ(werr, PW_OK);
  ASSERT_EQ(written, 5);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 3);
  ASSERT_EQ(n, 6);
  ASSERT_STREQ(tail, "bye 3\n");
  ASSERT_EQ(again, PW_ESTATE); /* stdin was closed */
}

TEST(write_after_an_early_exit_is_connection_reset) {
  const char *args[] = {"early", NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, NULL, &p), PW_OK);
  int code = -1;
  int err = pw_process_wait(p, BOUND_MS, &code);
  static char buf[65536];
  size_t written = 12345;
  pw_os_error_clear();
  int werr = pw_process_write(p, buf, sizeof buf, BOUND_MS, &written);
  pw_os_error e = pw_os_last_error();
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(werr, PW_ECONNRESET);
  ASSERT_EQ(written, 0);
  ASSERT_EQ(e.domain, PW_OSERR_WIN32);
  ASSERT_EQ(e.err, PW_ECONNRESET);
}

TEST(write_to_a_child_that_never_reads_times_out_within_the_bound) {
  const char *args[] = {"hang", NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, NULL, &p), PW_OK);
  const size_t len = (size_t)4 << 20;
  char *buf = calloc(1, len);
  size_t written = 0;
  uint64_t t0 = now_ms();
  int err = buf ? pw_process_write(p, buf, len, 500, &written) : PW_ENOMEM;
  uint64_t spent = now_ms() - t0;
  uint64_t t1 = now_ms();
  pw_process_free(p);
  uint64_t freeing = now_ms() - t1;
  free(buf);
  ASSERT_EQ(err, PW_ETIMEDOUT);
  ASSERT(spent >= 450 && spent < 5000);
  ASSERT(written < len);
  ASSERT(freeing < 5000);
}

TEST(wait_times_out_and_kill_ends_the_whole_tree) {
  const char *out = plat_in(plat_scratch(), "pids.txt");
  const char *args[] = {"spawn-hang", out, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, NULL, &p), PW_OK);
  DWORD child = 0, grandchild = 0;
  int have = read_pids(out, &child, &grandchild);
  uint64_t t0 = now_ms();
  int code = -1;
  int err = pw_process_wait(p, 300, &code);
  uint64_t spent = now_ms() - t0;
  int alive = have && !ended_within(child, 0) && !ended_within(grandchild, 0);
  pw_process_kill(p);
  pw_process_kill(p); /* idempotent */
  int after = pw_process_wait(p, BOUND_MS, &code);
  int wafter = pw_process_write(p, "x", 1, BOUND_MS, NULL);
  int child_gone = have && ended_within(child, 5000);
  int grandchild_gone = have && ended_within(grandchild, 5000);
  pw_process_free(p);
  ASSERT(have);
  ASSERT_EQ(err, PW_ETIMEDOUT);
  ASSERT(spent >= 250 && spent < 5000);
  ASSERT(alive);
  ASSERT_EQ(after, PW_ECANCELED);
  ASSERT_EQ(wafter, PW_ECANCELED);
  ASSERT(child_gone);
  ASSERT(grandchild_gone);
}

static void kill_later(void *arg) {
  Sleep(300);
  pw_process_kill(arg);
}

TEST(kill_from_another_thread_cancels_a_blocked_write) {
  const char *args[] = {"hang", NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, NULL, &p), PW_OK);
  const size_t len = (size_t)8 << 20;
  char *buf = calloc(1, len);
  pw_thread *t = NULL;
  int started = buf && pw_thread_start(&t, kill_later, p) == PW_OK;
  size_t written = 0;
  uint64_t t0 = now_ms();
  int err =
      started ? pw_process_write(p, buf, len, BOUND_MS, &written) : PW_ENOMEM;
  uint64_t spent = now_ms() - t0;
  if (t)
    pw_thread_join(t);
  int code = -1;
  int werr = pw_process_wait(p, BOUND_MS, &code);
  pw_process_free(p);
  free(buf);
  ASSERT(started);
  ASSERT_EQ(err, PW_ECANCELED);
  ASSERT(spent >= 250 && spent < 10000);
  ASSERT(written < len);
  ASSERT_EQ(werr, PW_ECANCELED);
}

TEST(flood_of_10_mb_does_not_block_and_stderr_keeps_its_tail) {
  const char *args[] = {"flood", "10", NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, NULL, &p), PW_OK);
  pw_process_close_stdin(p);
  int code = -1;
  int err = pw_process_wait(p, BOUND_MS * 2, &code);
  char tail[PW_PROCESS_STDERR_KEEP + 64];
  size_t n = pw_process_stderr_tail(p, tail, sizeof tail);
  char small[6];
  size_t m = pw_process_stderr_tail(p, small, sizeof small);
  size_t z = pw_process_stderr_tail(p, small, 0);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(n, PW_PROCESS_STDERR_KEEP);
  ASSERT_EQ(strlen(tail), n);
  const char *end = "flood 000655358\nflood 000655359\nflood done\n";
  ASSERT(n > strlen(end));
  ASSERT_STREQ(tail + n - strlen(end), end);
  ASSERT_EQ(m, 5);
  ASSERT_STREQ(small, "done\n"); /* the newest bytes */
  ASSERT_EQ(z, 0);
}

TEST(missing_program_is_enoent_with_the_os_cause) {
  const char *argv[] = {"nothing", NULL};
  char path[4 * MAX_PATH];
  snprintf(path, sizeof path, "%s", plat_beside_me("no-such-program.exe"));
  pw_spawn sp = {path, argv, NULL, NULL, NULL, NULL};
  pw_process *p = (pw_process *)1;
  pw_os_error_clear();
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_ENOENT);
  ASSERT(p == NULL);
  pw_os_error e = pw_os_last_error();
  ASSERT_EQ(e.domain, PW_OSERR_WIN32);
  ASSERT(e.code == ERROR_FILE_NOT_FOUND || e.code == ERROR_PATH_NOT_FOUND);
}

TEST(a_file_that_is_no_program_is_einval) {
  const char *path = plat_in(plat_scratch(), "not-a-program.exe");
  ASSERT_EQ(plat_write_file(path, "just text, not a program\n"), PW_OK);
  const char *argv[] = {"x", NULL};
  pw_spawn sp = {path, argv, NULL, NULL, NULL, NULL};
  pw_process *p = NULL;
  int err = pw_process_spawn(&sp, &p);
  pw_process_free(p);
  pw_os_error e = pw_os_last_error();
  if (err != PW_EINVAL)
    fprintf(stderr, "  got %s, OS error %ld\n", pw_errname(err), e.code);
  ASSERT_EQ(err, PW_EINVAL);
  ASSERT_EQ(e.domain, PW_OSERR_WIN32);
}

TEST(bad_arguments_are_einval) {
  pw_process *p = NULL;
  const char *quoted0[] = {"a\"b", NULL};
  pw_spawn sp = {pwchild(), quoted0, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_EINVAL);
  const char *argv[] = {"pwchild", "early", NULL};
  const char *noeq[] = {"NAME", NULL};
  pw_spawn sp2 = {pwchild(), argv, noeq, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&sp2, &p), PW_EINVAL);
  const char *eqfirst[] = {"=x", NULL};
  pw_spawn sp3 = {pwchild(), argv, eqfirst, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&sp3, &p), PW_EINVAL);
  const char *badutf[] = {"pwchild", "\xc3", NULL};
  pw_spawn sp4 = {pwchild(), badutf, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&sp4, &p), PW_EINVAL);
  static char huge[40000]; /* over CreateProcessW's 32767 characters */
  memset(huge, 'a', sizeof huge - 1);
  const char *toolong[] = {"pwchild", huge, NULL};
  pw_spawn sp6 = {pwchild(), toolong, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&sp6, &p), PW_EINVAL);
  pw_spawn sp5 = {pwchild(), NULL, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&sp5, &p), PW_EINVAL);
  ASSERT_EQ(pw_process_spawn(NULL, &p), PW_EINVAL);
  ASSERT(p == NULL);
  pw_process_free(NULL);
  pw_process_kill(NULL);
}

TEST(free_with_the_tree_running_returns_promptly_and_ends_it) {
  const char *out = plat_in(plat_scratch(), "pids.txt");
  const char *args[] = {"spawn-hang", out, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(start(args, NULL, NULL, &p), PW_OK);
  DWORD child = 0, grandchild = 0;
  int have = read_pids(out, &child, &grandchild);
  uint64_t t0 = now_ms();
  pw_process_free(p);
  uint64_t spent = now_ms() - t0;
  ASSERT(have);
  ASSERT(spent < 3000);
  ASSERT(ended_within(child, 5000));
  ASSERT(ended_within(grandchild, 5000));
}

TEST_MAIN(
    TEST_ENTRY(stores_8_mb_byte_identical_through_4_kb_writes),
    TEST_ENTRY(argv_round_trips_exactly),
    TEST_ENTRY(env_replaces_ours_sorted_by_name_case_insensitively),
    TEST_ENTRY(cwd_is_the_one_given),
    TEST_ENTRY(only_the_pipe_ends_are_inherited),
    TEST_ENTRY(exit_code_and_stderr_come_back),
    TEST_ENTRY(write_after_an_early_exit_is_connection_reset),
    TEST_ENTRY(write_to_a_child_that_never_reads_times_out_within_the_bound),
    TEST_ENTRY(wait_times_out_and_kill_ends_the_whole_tree),
    TEST_ENTRY(kill_from_another_thread_cancels_a_blocked_write),
    TEST_ENTRY(flood_of_10_mb_does_not_block_and_stderr_keeps_its_tail),
    TEST_ENTRY(missing_program_is_enoent_with_the_os_cause),
    TEST_ENTRY(a_file_that_is_no_program_is_einval),
    TEST_ENTRY(bad_arguments_are_einval),
    TEST_ENTRY(free_with_the_tree_running_returns_promptly_and_ends_it))
