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

#define WAIT_MS 30000u /* bound of every wait that should succeed */
#define BIG_LEN ((size_t)20 * 1024 * 1024)
#define PIECE 4096u

/* ---- helpers ---- */

static uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

static void sleep_ms(unsigned ms) {
  usleep((useconds_t)ms * 1000u);
}

static unsigned char pattern(size_t i) {
  return (unsigned char)((i * 7u) ^ (i >> 11));
}

/* This run's scratch folder (absolute), made on first use. */
static const char *scratch_dir(void) {
  static char dir[1024];
  if (dir[0])
    return dir;
  const char *base = getenv("PW_TEST_TMP");
  if (!base || !*base)
    base = "/tmp";
  mkdir(base, 0755);
  char tmpl[1024];
  snprintf(tmpl, sizeof tmpl, "%s/process-%ld-XXXXXX", base, (long)getpid());
  if (!mkdtemp(tmpl) || !realpath(tmpl, dir))
    dir[0] = '\0';
  return dir;
}

static void scratch(const char *name, char *path, size_t cap) {
  snprintf(path, cap, "%s/%s", scratch_dir(), name);
  unlink(path);
}

/* The whole file, NUL-terminated (malloc'd), or NULL. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap)
      break;
    char *bigger = realloc(buf, cap * 2 + 1);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  fclose(f);
  if (buf) {
    buf[n] = '\0';
    if (len)
      *len = n;
  }
  return buf;
}

/* A file a script writes, once it holds a whole line (bounded wait). */
static char *wait_line_file(const char *path) {
  uint64_t until = now_ms() + WAIT_MS;
  do {
    size_t n = 0;
    char *s = read_file(path, &n);
    if (s && n > 0 && s[n - 1] == '\n')
      return s;
    free(s);
    sleep_ms(10);
  } while (now_ms() < until);
  return NULL;
}

/* Two pids a script wrote as "PID [PID]\n"; 0 for none. */
static int read_pids(const char *path, long *a, long *b) {
  char *s = wait_line_file(path);
  *a = *b = 0;
  int n = s ? sscanf(s, "%ld %ld", a, b) : 0;
  free(s);
  return n;
}

/* /bin/sh -c script with $1.. = args (NULL-terminated, at most 8). */
static int spawn_sh(const char *script, const char *const *args,
                    const char *const *env, const char *cwd, pw_process **out) {
  const char *argv[13] = {"sh", "-c", script, "sh"};
  size_t n = 4;
  for (size_t i = 0; args && args[i] && i < 8; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  pw_spawn sp = {"/bin/sh", argv, env, cwd};
  return pw_process_spawn(&sp, out);
}

static int spawn_sleep(pw_process **out) {
  static const char *const argv[] = {"sleep", "1000", NULL};
  pw_spawn sp = {"/bin/sleep", argv, NULL, NULL};
  return pw_process_spawn(&sp, out);
}

/* Gone: no such process, or a zombie its new parent (init) has yet to reap
 * - dead either way. */
static int process_gone(long pid) {
  if (kill((pid_t)pid, 0) != 0)
    return errno == ESRCH;
  char path[64], state = '?';
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return 1;
  if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
    state = '?';
  fclose(f);
  return state == 'Z' || state == 'X';
}

static int wait_gone(long pid) {
  uint64_t until = now_ms() + WAIT_MS;
  while (!process_gone(pid)) {
    if (now_ms() >= until)
      return 0;
    sleep_ms(10);
  }
  return 1;
}

/* Our own child, reaped: waitpid knows it no more. */
static int reaped(long pid) {
  return waitpid((pid_t)pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static int sigpipe_pending(void) {
  sigset_t s;
  sigemptyset(&s);
  return sigpending(&s) == 0 && sigismember(&s, SIGPIPE) == 1;
}

static int sigpipe_blocked(void) {
  sigset_t s;
  sigemptyset(&s);
  return pthread_sigmask(SIG_SETMASK, NULL, &s) == 0 &&
         sigismember(&s, SIGPIPE) == 1;
}

/* ---- starting ---- */

TEST(spawn_rejects_bad_arguments) {
  static const char *const argv[] = {"true", NULL};
  static const char *const no_args[] = {NULL};
  pw_process *p = (pw_process *)&p;
  pw_spawn ok = {"/bin/true", argv, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(NULL, &p), PW_EINVAL);
  ASSERT(p == NULL);
  ASSERT_EQ(pw_process_spawn(&ok, NULL), PW_EINVAL);
  pw_spawn no_path = {NULL, argv, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&no_path, &p), PW_EINVAL);
  pw_spawn relative = {"bin/true", argv, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&relative, &p), PW_EINVAL);
  pw_spawn no_argv = {"/bin/true", NULL, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&no_argv, &p), PW_EINVAL);
  pw_spawn empty_argv = {"/bin/true", no_args, NULL, NULL};
  ASSERT_EQ(pw_process_spawn(&empty_argv, &p), PW_EINVAL);
  ASSERT(p == NULL);
  pw_process_free(NULL); /* a no-op */
}

TEST(missing_program_is_enoent_at_spawn) {
  static const char *const argv[] = {"prog", NULL};
  pw_spawn sp = {"/nonexistent-portway-dir/prog", argv, NULL, NULL};
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
  pw_spawn sp = {path, argv, NULL, NULL};
  pw_process *p = NULL;
  pw_os_error_clear();
  ASSERT_EQ(pw_process_spawn(&sp, &p), PW_EACCES);
  ASSERT(p == NULL);
  ASSERT_EQ(pw_os_last_error().code, EACCES);
  pw_spawn dir = {scratch_dir(), argv, NULL, NULL}; /* a folder */
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
  if (err == PW_OK && read_pids(pidf, &pid, &none) >= 1)
    child_fds(pid, list, sizeof list);
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
  pw_spawn sp = {"/bin/cat", argv, NULL, NULL};
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
  size_t len = (size_t)1024 * 1024, w = 0;
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

typedef struct killer {
  pw_process *p;
  unsigned delay_ms;
} killer;

static void killer_main(void *arg) {
  killer *k = arg;
  sleep_ms(k->delay_ms);
  pw_process_kill(k->p);
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
#define LINUX_TESTS                                                            \
  , TEST_ENTRY(only_the_three_pipes_are_inherited),                            \
      TEST_ENTRY(env_given_is_the_whole_environment)
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
          TEST_ENTRY(killed_by_signal_is_128_plus_n),
          TEST_ENTRY(wait_times_out_then_kill_ends_child_and_grandchild),
          TEST_ENTRY(kill_from_another_thread_ends_a_blocked_wait),
          TEST_ENTRY(wait_after_kill_is_ecanceled_even_for_an_exited_child),
          TEST_ENTRY(free_with_child_running_leaves_no_zombie),
          TEST_ENTRY(argv_elements_arrive_unchanged),
          TEST_ENTRY(env_null_inherits_ours), TEST_ENTRY(cwd_is_honoured),
          TEST_ENTRY(missing_cwd_fails_at_spawn),
          TEST_ENTRY(stderr_tail_keeps_the_last_bytes),
          TEST_ENTRY(silent_child_has_empty_stderr_tail),
          TEST_ENTRY(flood_of_stderr_and_stdout_does_not_block) LINUX_TESTS)
