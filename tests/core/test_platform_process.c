/* portway — the POSIX platform layer's child processes (platform.h, "child
 * processes"), with real programs: /bin/sh scripts (the script is argv, never
 * a command line we build), /bin/cat and /bin/sleep. Scratch files under
 * PW_TEST_TMP. Every wait on the test's own side is bounded. */
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

TEST(spawn_rejects_bad_arguments) {
  static const char *const argv[] = {"true", NULL};
  static const char *const no_args[] = {NULL};
  pw_process *p = (pw_process *)&p;
  pw_spawn ok = {"/bin/true", argv, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(NULL, &p), PW_EINVAL);
  ASSERT(p == NULL);
  ASSERT_EQ(pw_process_spawn(&ok, NULL), PW_EINVAL);
  pw_spawn no_path = {NULL, argv, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&no_path, &p), PW_EINVAL);
  pw_spawn relative = {"bin/true", argv, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&relative, &p), PW_EINVAL);
  pw_spawn no_argv = {"/bin/true", NULL, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&no_argv, &p), PW_EINVAL);
  pw_spawn empty_argv = {"/bin/true", no_args, NULL, NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&empty_argv, &p), PW_EINVAL);
  ASSERT(p == NULL);
  pw_process_free(NULL); /* a no-op */
}

TEST(missing_program_is_enoent_at_spawn) {
  static const char *const argv[] = {"prog", NULL};
  pw_spawn sp = {"/nonexistent-portway-dir/prog", argv, NULL, NULL, NULL, NULL};
  pw_process *p = (pw_process *)&p;
  pw_os_error_clear();
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_ENOENT);
  ASSERT(p == NULL);
  pw_os_error e = pw_os_last_error();
  ASSERT_EQ(e.domain, PW_OSERR_ERRNO);
  ASSERT_EQ(e.code, ENOENT);
  ASSERT_EQ(e.err, PW_ENOENT);
}

TEST(non_executable_program_is_eacces_at_spawn) {
  char path[1200];
  scratch("not-executable.sh", path, sizeof path);
  FILE *f = fopen(path, "w");
  ASSERT(f != NULL);
  fputs("#!/bin/sh\nexit 0\n", f);
  fclose(f);
  ASSERT_EQ(chmod(path, 0644), 0);
  static const char *const argv[] = {"x", NULL};
  pw_spawn sp = {path, argv, NULL, NULL, NULL, NULL};
  pw_process *p = NULL;
  pw_os_error_clear();
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_EACCES);
  ASSERT(p == NULL);
  ASSERT_EQ(pw_os_last_error().code, EACCES);
  pw_spawn dir = {scratch_dir(), argv, NULL, NULL, NULL, NULL}; /* a folder */
  ASSERT_EQ(pw_process_spawn(&dir, &p), PW_EACCES);
  ASSERT(p == NULL);
}

#ifdef __linux__
/* The descriptors of process pid, once it runs /bin/sleep: "0 1 2 " if
 * only the three pipes came along. */
static int child_fds(long pid, char *list, size_t cap) {
  char path[64], exe[256];
  snprintf(path, sizeof path, "/proc/%ld/exe", pid);
  uint64_t until = now_ms() + WAIT_MS;
  for (;;) { /* the script execs sleep after writing its pid */
    ssize_t n = readlink(path, exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    if (strstr(exe, "sleep"))
      break;
    if (now_ms() >= until)
      return -1;
    sleep_ms(10);
  }
  snprintf(path, sizeof path, "/proc/%ld/fd", pid);
  DIR *d = opendir(path);
  if (!d)
    return -1;
  int fds[64], n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    if (e->d_name[0] != '.')
      fds[n++] = atoi(e->d_name);
  }
  closedir(d);
  list[0] = '\0';
  for (int want = 0; want < 1024; want++) { /* in order */
    for (int i = 0; i < n; i++) {
      if (fds[i] == want) {
        size_t used = strlen(list);
        snprintf(list + used, cap - used, "%d ", want);
      }
    }
  }
  return 0;
}

TEST(only_the_three_pipes_are_inherited) {
  pw_process *other = NULL, *p = NULL;
  ASSERT_EQ(spawn_sleep(&other), PW_OK); /* its pipe ends are ours now */
  char pidf[1200];
  scratch("fds.pid", pidf, sizeof pidf);
  const char *args[] = {pidf, NULL};
  int err =
      spawn_sh("echo $$ >\"$1\"; exec /bin/sleep 1000", args, NULL, NULL, &p);
  long pid = 0, none = 0;
  char list[256] = "?";
  /* sleep itself may hold a descriptor for a moment while it starts (its
   * locale files): an inherited one stays, so look again for up to 2 s. */
  uint64_t until = now_ms() + 2000;
  if (err == PW_OK && read_pids(pidf, &pid, &none) >= 1) {
    while (child_fds(pid, list, sizeof list) == 0 &&
           strcmp(list, "0 1 2 ") != 0 && now_ms() < until)
      sleep_ms(20);
  }
  pw_process_free(p);
  pw_process_free(other);
  ASSERT_EQ(err, PW_OK);
  ASSERT_STREQ(list, "0 1 2 ");
}
#endif

/* ---- stdin ---- */

TEST(cat_delivers_20_mb_byte_identical) {
  char out[1200];
  scratch("cat.out", out, sizeof out);
  const char *args[] = {out, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("exec /bin/cat >\"$1\"", args, NULL, NULL, &p), PW_OK);
  unsigned char piece[PIECE];
  int err = PW_OK;
  size_t total = 0;
  while (err == PW_OK && total < BIG_LEN) {
    for (size_t i = 0; i < PIECE; i++)
      piece[i] = pattern(total + i);
    size_t w = 0;
    err = pw_process_write(p, piece, PIECE, WAIT_MS, &w);
    total += w;
  }
  pw_process_close_stdin(p);
  pw_process_close_stdin(p); /* idempotent */
  int code = -1;
  int werr = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(total, BIG_LEN);
  ASSERT_EQ(werr, PW_OK);
  ASSERT_EQ(code, 0);
  size_t len = 0;
  char *got = read_file(out, &len);
  ASSERT(got != NULL);
  size_t bad = len;
  for (size_t i = 0; i < len && bad == len; i++) {
    if ((unsigned char)got[i] != pattern(i))
      bad = i;
  }
  free(got);
  ASSERT_EQ(len, BIG_LEN);
  ASSERT_EQ(bad, BIG_LEN); /* no byte differs */
}

TEST(stdout_is_drained_while_we_write) {
  /* cat copies stdin to stdout: unless stdout is read on its own, cat
   * blocks on it and stops taking stdin. */
  static const char *const argv[] = {"cat", NULL};
  pw_spawn sp = {"/bin/cat", argv, NULL, NULL, NULL, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_OK);
  size_t len = (size_t)8 * 1024 * 1024, w = 0;
  unsigned char *big = calloc(1, len);
  int err = big ? pw_process_write(p, big, len, WAIT_MS, &w) : PW_ENOMEM;
  pw_process_close_stdin(p);
  int code = -1;
  int werr = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  free(big);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(w, len);
  ASSERT_EQ(werr, PW_OK);
  ASSERT_EQ(code, 0);
}

TEST(write_after_close_stdin_is_estate) {
  char out[1200];
  scratch("hello.out", out, sizeof out);
  const char *args[] = {out, NULL};
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("exec /bin/cat >\"$1\"", args, NULL, NULL, &p), PW_OK);
  size_t w = 0;
  int err1 = pw_process_write(p, "hello", 5, WAIT_MS, &w);
  pw_process_close_stdin(p);
  size_t w2 = 99;
  int err2 = pw_process_write(p, "more", 4, WAIT_MS, &w2);
  int code = -1;
  int werr = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err1, PW_OK);
  ASSERT_EQ(w, 5);
  ASSERT_EQ(err2, PW_ESTATE);
  ASSERT_EQ(w2, 0);
  ASSERT_EQ(werr, PW_OK);
  char *got = read_file(out, NULL);
  ASSERT_STREQ(got, "hello");
  free(got);
}

TEST(write_to_exited_child_is_econnreset_without_sigpipe) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("exit 0", NULL, NULL, NULL, &p), PW_OK);
  int code = -1;
  int werr = pw_process_wait(p, WAIT_MS, &code);
  static unsigned char buf[65536];
  size_t w = 99;
  pw_os_error_clear();
  int err = pw_process_write(p, buf, sizeof buf, WAIT_MS, &w);
  pw_os_error e = pw_os_last_error();
  pw_process_free(p);
  ASSERT_EQ(werr, PW_OK);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(err, PW_ECONNRESET);
  ASSERT_EQ(w, 0);
  ASSERT_EQ(e.code, EPIPE);
  ASSERT(!sigpipe_pending()); /* taken back, not left for later */
  ASSERT(!sigpipe_blocked()); /* the mask is ours again */
}

TEST(child_closing_its_stdin_is_econnreset) {
  /* The child runs on but closes stdin while we are blocked on a full
   * pipe. */
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("sleep 0.3; exec 0<&-; exec /bin/sleep 1000", NULL, NULL,
                     NULL, &p),
            PW_OK);
  /* More than the pipe holds (1 MB where the system allows it). */
  size_t len = (size_t)8 * 1024 * 1024, w = 0;
  unsigned char *big = calloc(1, len);
  uint64_t t0 = now_ms();
  int err = big ? pw_process_write(p, big, len, WAIT_MS, &w) : PW_ENOMEM;
  uint64_t took = now_ms() - t0;
  pw_process_free(p);
  free(big);
  ASSERT_EQ(err, PW_ECONNRESET);
  ASSERT(w < len);
  ASSERT(took < WAIT_MS);
  ASSERT(!sigpipe_pending());
  ASSERT(!sigpipe_blocked());
}

TEST(write_to_child_that_never_reads_times_out) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sleep(&p), PW_OK);
  size_t len = (size_t)4 * 1024 * 1024, w = 0;
  unsigned char *big = calloc(1, len);
  uint64_t t0 = now_ms();
  int err = big ? pw_process_write(p, big, len, 300, &w) : PW_ENOMEM;
  uint64_t took = now_ms() - t0;
  pw_process_free(p);
  free(big);
  ASSERT_EQ(err, PW_ETIMEDOUT);
  ASSERT(w > 0);   /* the pipe took what it holds... */
  ASSERT(w < len); /* ...and no more */
  ASSERT(took >= 290);
  ASSERT(took < 10000);
}

TEST(kill_from_another_thread_cancels_a_blocked_write) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sleep(&p), PW_OK);
  killer k = {p, 300};
  pw_thread *t = NULL;
  int started = pw_thread_start(&t, killer_main, &k);
  size_t len = (size_t)4 * 1024 * 1024, w = 0, w2 = 99;
  unsigned char *big = calloc(1, len);
  uint64_t t0 = now_ms();
  int err = big ? pw_process_write(p, big, len, 60000, &w) : PW_ENOMEM;
  uint64_t took = now_ms() - t0;
  int err2 = pw_process_write(p, "x", 1, 60000, &w2); /* and later ones */
  if (t)
    pw_thread_join(t);
  int code = -1;
  int werr = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  free(big);
  ASSERT_EQ(started, PW_OK);
  ASSERT_EQ(err, PW_ECANCELED);
  ASSERT(w > 0 && w < len); /* what the pipe took before */
  ASSERT(took < 10000);
  ASSERT_EQ(err2, PW_ECANCELED);
  ASSERT_EQ(w2, 0);
  ASSERT_EQ(werr, PW_ECANCELED);
  ASSERT_EQ(code, 128 + SIGKILL);
}

/* ---- exit ---- */

TEST(exit_code_is_reported_and_kept) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("exit 3", NULL, NULL, NULL, &p), PW_OK);
  int code = -1, again = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  int err2 = pw_process_wait(p, 0, &again); /* known: no waiting */
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 3);
  ASSERT_EQ(err2, PW_OK);
  ASSERT_EQ(again, 3);
}

TEST(killed_by_signal_is_128_plus_n) {
  pw_process *p = NULL;
  ASSERT_EQ(spawn_sh("kill -TERM $$; sleep 1000", NULL, NULL, NULL, &p), PW_OK);
  int code = -1;
  int err = pw_process_wait(p, WAIT_MS, &code);
  pw_process_free(p);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(code, 128 + SIGTERM);
}

/* What only Linux's /proc can show. */
#ifdef __linux__
#define LINUX_TESTS , TEST_ENTRY(only_the_three_pipes_are_inherited)
#else
#define LINUX_TESTS
#endif

TEST_MAIN(TEST_ENTRY(spawn_rejects_bad_arguments),
          TEST_ENTRY(missing_program_is_enoent_at_spawn),
          TEST_ENTRY(non_executable_program_is_eacces_at_spawn),
          TEST_ENTRY(cat_delivers_20_mb_byte_identical),
          TEST_ENTRY(stdout_is_drained_while_we_write),
          TEST_ENTRY(write_after_close_stdin_is_estate),
          TEST_ENTRY(write_to_exited_child_is_econnreset_without_sigpipe),
          TEST_ENTRY(child_closing_its_stdin_is_econnreset),
          TEST_ENTRY(write_to_child_that_never_reads_times_out),
          TEST_ENTRY(kill_from_another_thread_cancels_a_blocked_write),
          TEST_ENTRY(exit_code_is_reported_and_kept),
          TEST_ENTRY(killed_by_signal_is_128_plus_n) LINUX_TESTS)
