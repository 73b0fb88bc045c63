/* portway — starting a child process on POSIX (platform.h, "child
 * processes"; the rest is in process.c).
 *
 * posix_spawn(3) does the work: file actions dup2 the three pipe ends onto
 * descriptors 0, 1 and 2 (dup2 clears close-on-exec on the copies; every
 * other descriptor of ours is O_CLOEXEC, so the child inherits nothing
 * else), POSIX_SPAWN_SETPGROUP with pgid 0 puts the child in a group of its
 * own that pw_process_kill signals whole, and the signal attributes give it
 * an empty mask and the default action for signals a host may ignore (an
 * ignored SIGPIPE would survive exec and change how `cat` or `yes` end).
 * posix_spawn reports a failed exec as its result (glibc 2.24+ and musl
 * wait for the exec in a CLONE_VFORK child), so ENOENT and EACCES come back
 * here, not as an exit status of 127 later. Where a posix_spawn cannot
 * (older libcs; valgrind, which turns the CLONE_VFORK child into a fork),
 * check_target's look at the program and the folder first still reports
 * the usual failures - a missing or non-executable program, a missing
 * folder - at spawn; a failure it cannot foresee then shows as exit 127.
 *
 * Descriptors a host got from its own parent without close-on-exec are
 * not ours to pass on either: posix_spawn_file_actions_addclosefrom_np(3)
 * (glibc 2.34+) closes everything above 2 in the child.
 *
 * A working directory needs posix_spawn_file_actions_addchdir_np (glibc
 * 2.29+). Where either file action is missing - or when built with
 * PW_PROCESS_FORCE_FORK, which is how this path gets tested - children are
 * started by fork/exec instead: the child does only async-signal-safe calls
 * (sigaction, sigprocmask, setpgid, dup2, close_range or close, chdir,
 * execve, write, _exit) and reports a failure's errno through a
 * close-on-exec pipe that the parent reads to its end, so the result is as
 * certain as posix_spawn's.
 */
#define _GNU_SOURCE /* environ, posix_spawn_file_actions_addchdir_np */

#include "platform/posix/process_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

/* posix_spawn with addchdir_np and addclosefrom_np: glibc 2.34+. */
#if !defined(PW_PROCESS_FORCE_FORK) && defined(__GLIBC__) &&                   \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define PW_USE_POSIX_SPAWN 1
#else
#define PW_USE_POSIX_SPAWN 0
#include <sys/resource.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
#endif

/* Signals a host process may have set to SIG_IGN (which exec keeps): the
 * child gets their default action back. Handled signals are reset by exec
 * itself. */
static const int reset_signals[] = {SIGPIPE, SIGXFSZ, SIGHUP,  SIGINT,  SIGQUIT,
                                    SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGCHLD,
                                    SIGTSTP, SIGTTIN, SIGTTOU};
#define RESET_SIGNAL_COUNT (sizeof reset_signals / sizeof reset_signals[0])

/* The child's environment: the given one, or ours. The cast drops the
 * const of the strings, which exec only reads. */
static char *const *child_env(const pw_spawn *sp) {
  return sp->env ? (char *const *)sp->env : environ;
}

/* What exec and chdir would refuse, said before any child exists. */
static int check_target(const pw_spawn *sp) {
  struct stat st;
  if (stat(sp->path, &st) != 0)
    return pw_posix_err(errno);
  if (!S_ISREG(st.st_mode)) /* a folder or a device: exec says EACCES */
    return pw_posix_err(EACCES);
  if (faccessat(AT_FDCWD, sp->path, X_OK, AT_EACCESS) != 0)
    return pw_posix_err(errno);
  if (sp->cwd) {
    if (stat(sp->cwd, &st) != 0)
      return pw_posix_err(errno);
    if (!S_ISDIR(st.st_mode))
      return pw_posix_err(ENOTDIR);
  }
  return PW_OK;
}

static void wait_reap(pid_t pid) {
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
}

#if !PW_USE_POSIX_SPAWN
/* Write errno e to fd, in the child (async-signal-safe). */
static void report_errno(int fd, int e) {
  const char *p = (const char *)&e;
  size_t left = sizeof e;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    p += n;
    left -= (size_t)n;
  }
}

/* Close every descriptor from 3 up but keep (close_range, Linux 5.9+, or
 * one by one below max_fd), in the child (async-signal-safe). */
static void close_above_2(int keep, int max_fd) {
#if defined(__linux__) && defined(SYS_close_range)
  if ((keep == 3 ||
       syscall(SYS_close_range, 3u, (unsigned)keep - 1u, 0u) == 0) &&
      syscall(SYS_close_range, (unsigned)keep + 1u, ~0u, 0u) == 0)
    return;
#endif
  for (int fd = 3; fd < max_fd; fd++) {
    if (fd != keep)
      (void)close(fd);
  }
}

/* Between fork and exec: only async-signal-safe calls. */
static void child_exec(const pw_spawn *sp, const int child_fds[3],
                       char *const *envp, int err_wr, int max_fd) {
  struct sigaction dfl;
  sigset_t none;
  sigemptyset(&none);
  dfl.sa_handler = SIG_DFL;
  dfl.sa_mask = none;
  dfl.sa_flags = 0;
  for (size_t i = 0; i < RESET_SIGNAL_COUNT; i++)
    (void)sigaction(reset_signals[i], &dfl, NULL);
  (void)sigprocmask(SIG_SETMASK, &none, NULL);
  int e = 0;
  if (setpgid(0, 0) != 0)
    e = errno;
  for (int fd = 0; e == 0 && fd < 3; fd++) {
    if (dup2(child_fds[fd], fd) < 0)
      e = errno;
  }
  if (e == 0)
    close_above_2(err_wr, max_fd);
  if (e == 0 && sp->cwd && chdir(sp->cwd) != 0)
    e = errno;
  if (e == 0) {
    execve(sp->path, (char *const *)sp->argv, envp);
    e = errno;
  }
  report_errno(err_wr, e);
  _exit(127);
}

static int spawn_fork(const pw_spawn *sp, const int child_fds[3], pid_t *pid) {
  char *const *envp = child_env(sp);
  struct rlimit rl;
  int max_fd = 65536; /* where the limit is unknown or huge */
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      rl.rlim_cur < (rlim_t)max_fd)
    max_fd = (int)rl.rlim_cur;
  int ep[2];
  if (pipe2(ep, O_CLOEXEC) != 0)
    return pw_posix_err(errno);
  if (ep[1] < 3) { /* the child's dup2 onto 0..2 must not hit it */
    int fd = fcntl(ep[1], F_DUPFD_CLOEXEC, 3);
    int e = errno;
    close(ep[1]);
    ep[1] = fd;
    if (fd < 0) {
      close(ep[0]);
      return pw_posix_err(e);
    }
  }
  pid_t child = fork();
  if (child < 0) {
    int err = pw_posix_err(errno);
    close(ep[0]);
    close(ep[1]);
    return err;
  }
  if (child == 0)
    child_exec(sp, child_fds, envp, ep[1], max_fd); /* no return */
  close(ep[1]);
  /* End of file once the exec closed the write end; an errno otherwise. */
  int e = 0;
  size_t got = 0;
  while (got < sizeof e) {
    ssize_t n = read(ep[0], (char *)&e + got, sizeof e - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  close(ep[0]);
  if (got == sizeof e) {
    wait_reap(child);
    return pw_posix_err(e);
  }
  *pid = child;
  return PW_OK;
}
#endif

#if PW_USE_POSIX_SPAWN
static int set_attributes(posix_spawnattr_t *attr) {
  sigset_t none, dfl;
  sigemptyset(&none);
  sigemptyset(&dfl);
  for (size_t i = 0; i < RESET_SIGNAL_COUNT; i++)
    sigaddset(&dfl, reset_signals[i]);
  int e = posix_spawnattr_setflags(attr, (short)(POSIX_SPAWN_SETPGROUP |
                                                 POSIX_SPAWN_SETSIGMASK |
                                                 POSIX_SPAWN_SETSIGDEF));
  if (e == 0)
    e = posix_spawnattr_setpgroup(attr, 0);
  if (e == 0)
    e = posix_spawnattr_setsigmask(attr, &none);
  if (e == 0)
    e = posix_spawnattr_setsigdefault(attr, &dfl);
  return e;
}

static int set_file_actions(posix_spawn_file_actions_t *fa, const pw_spawn *sp,
                            const int child_fds[3]) {
  int e = 0;
  for (int fd = 0; e == 0 && fd < 3; fd++)
    e = posix_spawn_file_actions_adddup2(fa, child_fds[fd], fd);
  if (e == 0)
    e = posix_spawn_file_actions_addclosefrom_np(fa, 3);
  if (e == 0 && sp->cwd)
    e = posix_spawn_file_actions_addchdir_np(fa, sp->cwd);
  return e;
}
#endif

int pw_posix_spawn_child(const pw_spawn *sp, const int child_fds[3],
                         pid_t *pid) {
  int err = check_target(sp);
  if (err != PW_OK)
    return err;
#if !PW_USE_POSIX_SPAWN
  return spawn_fork(sp, child_fds, pid);
#else
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t fa;
  int e = posix_spawnattr_init(&attr);
  if (e != 0)
    return pw_posix_err(e);
  e = posix_spawn_file_actions_init(&fa);
  if (e != 0) {
    posix_spawnattr_destroy(&attr);
    return pw_posix_err(e);
  }
  e = set_attributes(&attr);
  if (e == 0)
    e = set_file_actions(&fa, sp, child_fds);
  pid_t child = -1;
  if (e == 0)
    e = posix_spawn(&child, sp->path, &fa, &attr, (char *const *)sp->argv,
                    child_env(sp));
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (e != 0) {
    /* Where posix_spawn reports an exec failure after creating the child
     * (POSIX allows it), the child has exited with 127: reap it. */
    if (child > 0)
      wait_reap(child);
    return pw_posix_err(e);
  }
  *pid = child;
  return PW_OK;
#endif
}
