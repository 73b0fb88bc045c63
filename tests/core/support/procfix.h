/* portway tests — helpers shared by test_platform_process.c and
 * test_platform_process_life.c (split by concern). */
#ifndef PORTWAY_TEST_PROCFIX_H
#define PORTWAY_TEST_PROCFIX_H

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

static inline uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

static inline void sleep_ms(unsigned ms) {
  usleep((useconds_t)ms * 1000u);
}

static inline unsigned char pattern(size_t i) {
  return (unsigned char)((i * 7u) ^ (i >> 11));
}

/* This run's scratch folder (absolute), made on first use. */
static inline const char *scratch_dir(void) {
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

static inline void scratch(const char *name, char *path, size_t cap) {
  snprintf(path, cap, "%s/%s", scratch_dir(), name);
  unlink(path);
}

/* The whole file, NUL-terminated (malloc'd), or NULL. */
static inline char *read_file(const char *path, size_t *len) {
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
static inline char *wait_line_file(const char *path) {
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
static inline int read_pids(const char *path, long *a, long *b) {
  char *s = wait_line_file(path);
  *a = *b = 0;
  int n = s ? sscanf(s, "%ld %ld", a, b) : 0;
  free(s);
  return n;
}

/* /bin/sh -c script with $1.. = args (NULL-terminated, at most 8). */
static inline int spawn_sh(const char *script, const char *const *args,
                           const char *const *env, const char *cwd,
                           pw_process **out) {
  const char *argv[13] = {"sh", "-c", script, "sh"};
  size_t n = 4;
  for (size_t i = 0; args && args[i] && i < 8; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  pw_spawn sp = {"/bin/sh", argv, env, cwd, NULL, NULL};
  return pw_process_spawn(&sp, out);
}

static inline int spawn_sleep(pw_process **out) {
  static const char *const argv[] = {"sleep", "1000", NULL};
  pw_spawn sp = {"/bin/sleep", argv, NULL, NULL, NULL, NULL};
  return pw_process_spawn(&sp, out);
}

/* Gone: no such process, or a zombie its new parent (init) has yet to reap
 * - dead either way. */
static inline int process_gone(long pid) {
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

static inline int wait_gone(long pid) {
  uint64_t until = now_ms() + WAIT_MS;
  while (!process_gone(pid)) {
    if (now_ms() >= until)
      return 0;
    sleep_ms(10);
  }
  return 1;
}

/* Our own child, reaped: waitpid knows it no more. */
static inline int reaped(long pid) {
  return waitpid((pid_t)pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static inline int sigpipe_pending(void) {
  sigset_t s;
  sigemptyset(&s);
  return sigpending(&s) == 0 && sigismember(&s, SIGPIPE) == 1;
}

static inline int sigpipe_blocked(void) {
  sigset_t s;
  sigemptyset(&s);
  return pthread_sigmask(SIG_SETMASK, NULL, &s) == 0 &&
         sigismember(&s, SIGPIPE) == 1;
}

/* ---- starting ---- */

typedef struct killer {
  pw_process *p;
  unsigned delay_ms;
} killer;

static inline void killer_main(void *arg) {
  killer *k = arg;
  sleep_ms(k->delay_ms);
  pw_process_kill(k->p);
}

#endif
