/* portway — the POSIX platform layer's child processes, continued from
 * test_platform_process.c (spawning, writing stdin): exit codes, waits,
 * kills of the whole group, free, argv, environment, cwd and the stderr
 * tail, with real programs (/bin/sh scripts, /bin/sleep). Helpers in
 * support/procfix.h. Every wait on the test's own side is bounded. */
#define _GNU_SOURCE /* mkdtemp, realpath, setenv under -std=c11 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/platform.h"
#include "portway/error.h"
#include "test.h"
#include "procfix.h"

TEST(wait_times_out_then_kill_ends_child_and_grandchild) {
  char pidf[1200];
  scratch("hang.pid", pidf, sizeof pidf);
  const char *args[] = {pidf, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("/bin/sleep 1000 & echo \"$$ $!\" >\"$1\"; "
                     "/bin/sleep 1000",
                     args, NULL, NULL, &p),
            PW_OK);
  long pid = 0, grandchild = 0;
  int npids = read_pids(pidf, &pid, &grandchild);
  int code = -1;
  uint64_t t0 = now_ms();
  int err0 = pw_process_wait(p, 0, &code);
  int err1 = pw_process_wait(p, 200, &code);
  uint64_t took = now_ms() - t0;
  pw_process_kill(p);
  pw_process_kill(p); /* idempotent */
  int err2 = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(npids, 2);
  ASSERT_EQ(err0, PW_ETIMEDOUT);
  ASSERT_EQ(err1, PW_ETIMEDOUT);
  ASSERT(took >= 190 && took < 10000);
  ASSERT_EQ(err2, PW_ECANCELED);
  ASSERT_EQ(code, 128 + SIGKILL);
  ASSERT(reaped(pid));           /* no zombie of ours */
  ASSERT(wait_gone(grandchild)); /* the whole group went */
}

TEST(kill_from_another_thread_ends_a_blocked_wait) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sleep(&p), PW_OK);
  killer k = {p, 300};
  pw_thread *t = NULL;
  int started = pw_thread_start(&t, killer_main, &k);
  int code = -1;
  uint64_t t0 = now_ms();
  int err = pw_process_wait(p, 60000, &code);
  uint64_t took = now_ms() - t0;
  if (t)
    pw_thread_join(t);
  pw_process_free(p);
  ASSERT_EQ(started, PW_OK);
  ASSERT_EQ(err, PW_ECANCELED);
  ASSERT_EQ(code, 128 + SIGKILL);
  ASSERT(took < 10000);
}

TEST(wait_after_kill_is_ecanceled_even_for_an_exited_child) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("exit 0", NULL, NULL, NULL, &p), PW_OK);
  int code = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  pw_process_kill(p);
  int code2 = -1;
  int err2 = pw_process_wait(p, WAIT_MS, &code2);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(err2, PW_ECANCELED);
  ASSERT_EQ(code2, 0); /* it had exited by itself */
}

TEST(free_with_child_running_leaves_no_zombie) {
  char pidf[1200];
  scratch("free.pid", pidf, sizeof pidf);
  const char *args[] = {pidf, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(
      spawn_sh("echo $$ >\"$1\"; exec /bin/sleep 1000", args, NULL, NULL, &p),
      PW_OK);
  long pid = 0, none = 0;
  int npids = read_pids(pidf, &pid, &none);
  uint64_t t0 = now_ms();
  pw_process_free(p);
  uint64_t took = now_ms() - t0;
  ASSERT_EQ(npids, 1);
  ASSERT(reaped(pid));
  ASSERT(kill((pid_t)pid, 0) != 0 && errno == ESRCH);
  ASSERT(took < 10000);
}

/* ---- what the child gets ---- */

TEST(argv_elements_arrive_unchanged) {
  char out[1200];
  scratch("argv.out", out, sizeof out);
  const char *args[] = {out,
                        "two words",
                        "\"double\" and 'single' quotes",
                        "&|<>^%PATH%$HOME*?;`x`",
                        "back\\slash\\",
                        "",
                        "caf\xc3\xa9 \xe2\x82\xac",
                        NULL};
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("out=$1; shift; for a; do printf '%s\\n' \"$a\"; "
                     "done >\"$out\"",
                     args, NULL, NULL, &p),
            PW_OK);
  int code = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  char *got = read_file(out, NULL);
  ASSERT_STREQ(got, "two words\n"
                    "\"double\" and 'single' quotes\n"
                    "&|<>^%PATH%$HOME*?;`x`\n"
                    "back\\slash\\\n"
                    "\n"
                    "caf\xc3\xa9 \xe2\x82\xac\n");
  free(got);
}

#ifdef __linux__
TEST(env_given_is_the_whole_environment) {
  /* /proc/PID/environ is the block the program started with, before the
   * shell adds variables of its own (PWD). */
  ASSERT_EQ(setenv("PW_TEST_OURS", "must not pass", 1), 0);
  char pidf[1200];
  scratch("env.pid", pidf, sizeof pidf);
  const char *args[] = {pidf, NULL};
  static const char *const env[] = {"PW_A=1", "PW_B=two words=x", NULL};
  pw_process *p = NULL;
  int err = spawn_sh("echo $$ >\"$1\"; read x", args, env, NULL, &p);
  long pid = 0, none = 0;
  char *block = NULL;
  size_t len = 0;
  if (err == PW_OK && read_pids(pidf, &pid, &none) == 1) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/environ", pid);
    block = read_file(path, &len);
  }
  pw_process_close_stdin(p); /* read x returns: the script ends */
  int code = -1;
  int werr = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  unsetenv("PW_TEST_OURS");
  ASSERT_EQ(err, PW_OK);
  ASSERT(block != NULL);
  static const char want[] = "PW_A=1\0PW_B=two words=x";
  int same = len == sizeof want && memcmp(block, want, sizeof want) == 0;
  free(block);
  ASSERT(same);
  ASSERT_EQ(werr, PW_OK);
}
#endif

TEST(env_null_inherits_ours) {
  ASSERT_EQ(setenv("PW_TEST_INHERITED", "yes, it is", 1), 0);
  char out[1200];
  scratch("env-inherit.out", out, sizeof out);
  const char *args[] = {out, NULL};
  pw_process *p = NULL;
  int err = spawn_sh("printf %s \"$PW_TEST_INHERITED\" >\"$1\"", args, NULL,
                     NULL, &p);
  int code = -1;
  int werr = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  unsetenv("PW_TEST_INHERITED");
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(werr, PW_OK);
  char *got = read_file(out, NULL);
  ASSERT_STREQ(got, "yes, it is");
  free(got);
}

TEST(cwd_is_honoured) {
  char dir[1200], file[1300];
  snprintf(dir, sizeof dir, "%s/work dir", scratch_dir());
  mkdir(dir, 0755);
  snprintf(file, sizeof file, "%s/cwd.txt", dir);
  unlink(file);
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("pwd -P >cwd.txt", NULL, NULL, dir, &p), PW_OK);
  int code = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  char *got = read_file(file, NULL);
  char want[1300];
  snprintf(want, sizeof want, "%s\n", dir);
  ASSERT_STREQ(got, want);
  free(got);
}

TEST(missing_cwd_fails_at_spawn) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("exit 0", NULL, NULL, "/nonexistent-portway-dir", &p),
            PW_ENOENT);
  ASSERT(p == NULL);
}

/* ---- stderr ---- */

TEST(stderr_tail_keeps_the_last_bytes) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("printf 'first line\\n' >&2; printf 'oops: bad' >&2", NULL,
                     NULL, NULL, &p),
            PW_OK);
  int code = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  char buf[64], small[5];
  size_t n = pw_process_stderr_tail(p, buf, sizeof buf);
  size_t ns = pw_process_stderr_tail(p, small, sizeof small);
  size_t n0 = pw_process_stderr_tail(p, NULL, 0);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(n, 20);
  ASSERT_STREQ(buf, "first line\noops: bad");
  ASSERT_EQ(ns, 4);
  ASSERT_STREQ(small, " bad"); /* cut to the latest cap - 1 bytes */
  ASSERT_EQ(n0, 0);
}

TEST(silent_child_has_empty_stderr_tail) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("exit 0", NULL, NULL, NULL, &p), PW_OK);
  int code = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  char buf[16] = "junk";
  size_t n = pw_process_stderr_tail(p, buf, sizeof buf);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(n, 0);
  ASSERT_STREQ(buf, "");
}

TEST(flood_of_stderr_and_stdout_does_not_block) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("head -c 10485760 /dev/zero | tr '\\000' x >&2; "
                     "head -c 10485760 /dev/zero; "
                     "printf 'END-OF-STDERR' >&2",
                     NULL, NULL, NULL, &p),
            PW_OK);
  int code = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  char buf[2 * PW_PROCESS_STDERR_KEEP];
  size_t n = pw_process_stderr_tail(p, buf, sizeof buf);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(n, PW_PROCESS_STDERR_KEEP);
  ASSERT_EQ(strlen(buf), n);
  size_t end = n - strlen("END-OF-STDERR");
  ASSERT_STREQ(buf + end, "END-OF-STDERR");
  size_t xs = 0;
  while (xs < end && buf[xs] == 'x')
    xs++;
  ASSERT_EQ(xs, end);
}

/* What only Linux's /proc can show. */
#ifdef __linux__
#define LINUX_TESTS , TEST_ENTRY(env_given_is_the_whole_environment)
#else
#define LINUX_TESTS
#endif

TEST(stdout_goes_into_an_existing_file_when_asked) {
  char out[1200], link[1200];
  scratch("stdout.out", out, sizeof out);
  FILE *f = fopen(out, "w");
  ASSERT(f != NULL);
  fclose(f);
  static const char *const argv[] = {"sh", "-c",
                                     "printf 'to stdout'; "
                                     "printf 'to stderr' >&2",
                                     NULL};
  pw_spawn sp = {"/bin/sh", argv, NULL, NULL, out, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_OK);
  pw_process_close_stdin(p);
  int code = -1;
  ASSERT_EQ(pw_process_wait(p, WAIT_MS, &code), PW_OK);
  char tail[64];
  pw_process_stderr_tail(p, tail, sizeof tail);
  pw_process_free(p);
  ASSERT_EQ(code, 0);
  ASSERT_STREQ(tail, "to stderr");
  size_t len = 0;
  char *got = read_file(out, &len);
  ASSERT(got != NULL);
  ASSERT_EQ(len, 9u);
  ASSERT(memcmp(got, "to stdout", 9) == 0);
  free(got);
  /* Not created when missing; a symbolic link is not followed. */
  scratch("stdout.missing", link, sizeof link);
  sp.stdout_path = link;
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_ENOENT);
  ASSERT(symlink(out, link) == 0);
  ASSERT(pw_process_spawn(&sp, &p) != PW_OK);
  ASSERT(p == NULL);
}

TEST(there_is_no_job_user_to_run_as_on_posix) {
  pw_user *u = (pw_user *)1;
  ASSERT_EQ(pw_user_from_caller(&u), PW_ENOTSUP);
  ASSERT(u == NULL);
  ASSERT_EQ(pw_user_session(NULL), 0ul);
  unsigned long session = 99;
  ASSERT_EQ(pw_caller_session(&session), PW_ENOTSUP);
  ASSERT_EQ(session, 0ul);
  ASSERT(pw_user_env(NULL) == NULL);
  pw_user_free(NULL);
}

TEST_MAIN(TEST_ENTRY(wait_times_out_then_kill_ends_child_and_grandchild),
          TEST_ENTRY(kill_from_another_thread_ends_a_blocked_wait),
          TEST_ENTRY(wait_after_kill_is_ecanceled_even_for_an_exited_child),
          TEST_ENTRY(free_with_child_running_leaves_no_zombie),
          TEST_ENTRY(argv_elements_arrive_unchanged),
          TEST_ENTRY(env_null_inherits_ours), TEST_ENTRY(cwd_is_honoured),
          TEST_ENTRY(missing_cwd_fails_at_spawn),
          TEST_ENTRY(stderr_tail_keeps_the_last_bytes),
          TEST_ENTRY(silent_child_has_empty_stderr_tail),
          TEST_ENTRY(flood_of_stderr_and_stdout_does_not_block),
          TEST_ENTRY(stdout_goes_into_an_existing_file_when_asked),
          TEST_ENTRY(there_is_no_job_user_to_run_as_on_posix) LINUX_TESTS)
