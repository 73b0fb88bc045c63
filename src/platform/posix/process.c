/* portway — child processes on POSIX (platform.h, "child processes");
 * starting one is process_spawn.c's.
 *
 * Descriptors. The three pipes are made with O_CLOEXEC and moved to numbers
 * >= 3 (so the dup2 onto 0..2 in the child cannot overwrite one another);
 * our ends are O_NONBLOCK, the child's stay blocking (the flag belongs to
 * the open file description, which the child shares). Two wake-up
 * descriptors (an eventfd each, or a pipe where there is none) become
 * readable for good: `killw` on pw_process_kill (writes return
 * PW_ECANCELED), `stopw` on pw_process_free (the drain thread ends).
 *
 * Drain thread. It polls stdout, stderr and stopw without a time-out (the
 * free that wants it gone makes stopw readable), discards stdout (with
 * pw_spawn.stdout_path there is no stdout pipe: the child writes that file
 * itself) and keeps
 * the last PW_PROCESS_STDERR_KEEP bytes of stderr (a sliding buffer, oldest
 * first). It goes on after a kill, so stderr written before the kill is
 * still seen. pw_process_stderr_tail first reads what is left in the pipe
 * itself; both read stderr under the mutex, so bytes stay in order, and
 * once pw_process_wait saw the exit the tail holds all the child wrote.
 *
 * Exit. The child is not reaped before pw_process_free: pw_process_wait
 * looks with waitid(WNOWAIT), woken by a pidfd (Linux 5.3+) or, without
 * one, by sleeps of 1 ms growing to 20 ms. The zombie holds the child's
 * pid, and with it the process group id, so pw_process_kill's
 * kill(-pgid, SIGKILL) can never hit a stranger that got the number again.
 * Once pw_process_kill was called, pw_process_wait returns PW_ECANCELED
 * (with *exit_code, normally 128 + SIGKILL) as soon as the child is gone
 * (PW_ETIMEDOUT if it is not within the time-out), also for a child that
 * had exited by itself before. pw_process_free kills
 * the group even when the child has exited (what it left running goes with
 * it, as with a job object closed on Windows), then reaps it.
 *
 * SIGPIPE. A write to a pipe without reader raises SIGPIPE, which ends the
 * whole host by default, and pipes know no MSG_NOSIGNAL. Ignoring SIGPIPE
 * process-wide is the host's decision, not the platform layer's, so every
 * pw_process_write blocks SIGPIPE for its own thread (write(2) directs the
 * signal at the writing thread), and after an EPIPE takes that signal back
 * with a zero time-out sigtimedwait before it restores the mask - unless a
 * SIGPIPE was pending before the call, which is then someone else's. With
 * SIGPIPE ignored, no signal is raised and this changes nothing.
 *
 * Limits: a host that sets SIGCHLD to SIG_IGN, or reaps with waitpid(-1),
 * takes the exit status away: pw_process_wait then fails with PW_EIO
 * (ECHILD recorded) and the child is never signalled again. A descendant
 * that leaves the group (setsid, setpgid) escapes pw_process_kill; if it
 * keeps stdout or stderr open, the drain runs until pw_process_free. A
 * child stuck in the kernel after SIGKILL is waited for PW_REAP_MS in
 * pw_process_free and then left (a zombie until the host exits).
 * pw_process_close_stdin closes the descriptor pw_process_write uses: the
 * two must not run at the same time on one process.
 */
#define _GNU_SOURCE /* pipe2, SYS_pidfd_open, sigtimedwait */

#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#include <sys/syscall.h>
#endif

#include "platform/posix/posix_internal.h"
#include "platform/posix/process_internal.h"
#include "portway/error.h"

/* One write(2) is bounded so the byte count fits ssize_t. */
#define PW_PROCESS_CHUNK ((size_t)1 << 30)
#define DRAIN_BUF 32768u
#define PW_STDIN_PIPE_BYTES 1048576u
#define WAIT_STEP_MAX_MS 20
/* How long pw_process_free waits for a SIGKILLed child to go. */
#define PW_REAP_MS 10000u
#define KEEP PW_PROCESS_STDERR_KEEP

typedef struct wake {
  int rd; /* readable once signalled */
  int wr; /* the same descriptor as rd for an eventfd */
} wake;

struct pw_process {
  pid_t pid;          /* -1 until started */
  int in_wr;          /* our end of the child's stdin; -1 once closed */
  int out_rd, err_rd; /* our ends of its stdout and stderr */
  int pidfd;          /* readable once the child exits; -1: none */
  wake killw;         /* signalled by pw_process_kill */
  wake stopw;         /* signalled by pw_process_free: the drain ends */
  atomic_int killed;
  atomic_int lost; /* someone else reaped the child: never signal it */
  pw_thread *drain;
  pw_mutex lock; /* guards the fields below */
  int exited;    /* the child has exited (a zombie until freed) */
  int exit_code;
  size_t tail_len;
  unsigned char tail[KEEP]; /* stderr's last bytes, oldest first */
};

/* ---- descriptors ---- */

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

static int wake_open(wake *w) {
#ifdef __linux__
  int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0)
    return pw_posix_err(errno);
  w->rd = w->wr = fd;
#else
  int p[2];
  if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
    return pw_posix_err(errno);
  w->rd = p[0];
  w->wr = p[1];
#endif
  return PW_OK;
}

/* Readable from now on: nothing reads it back. Non-blocking, and one write
 * never fills an eventfd or a pipe. */
static void wake_signal(const wake *w) {
#ifdef __linux__
  uint64_t one = 1;
#else
  unsigned char one = 1;
#endif
  ssize_t n;
  do {
    n = write(w->wr, &one, sizeof one);
  } while (n < 0 && errno == EINTR);
}

static void wake_close(wake *w) {
  if (w->wr != w->rd)
    close_fd(&w->wr);
  close_fd(&w->rd);
  w->wr = -1;
}

/* Move *fd to a number >= 3: a host started with 0, 1 or 2 closed gets
 * those numbers back from pipe2, and a dup2 onto 0..2 in the child would
 * then overwrite another pipe end before it was copied. */
static int lift_fd(int *fd) {
  if (*fd >= 3)
    return PW_OK;
  int nfd = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
  if (nfd < 0)
    return pw_posix_err(errno);
  close(*fd);
  *fd = nfd;
  return PW_OK;
}

/* A close-on-exec pipe; the end `ours` (0 or 1) is made non-blocking. On
 * failure the ends made so far stay in p for the caller to close. */
static int make_pipe(int p[2], int ours) {
  if (pipe2(p, O_CLOEXEC) != 0)
    return pw_posix_err(errno);
  int err = lift_fd(&p[0]);
  if (err == PW_OK)
    err = lift_fd(&p[1]);
  if (err != PW_OK)
    return err;
  int fl = fcntl(p[ours], F_GETFL);
  if (fl < 0 || fcntl(p[ours], F_SETFL, fl | O_NONBLOCK) != 0)
    return pw_posix_err(errno);
  return PW_OK;
}

/* A job's bytes cross stdin: a pipe of PW_STDIN_PIPE_BYTES instead of the
 * default 64 KB lets the child read (and us write) in larger pieces, with
 * fewer wake-ups on both sides. Best effort: Linux only, and an
 * unprivileged host is capped by /proc/sys/fs/pipe-max-size (1 MB by
 * default) or by its per-user pipe quota, so a refusal keeps the default. */
static void grow_stdin(int fd) {
#ifdef F_SETPIPE_SZ
  (void)fcntl(fd, F_SETPIPE_SZ, (int)PW_STDIN_PIPE_BYTES);
#else
  (void)fd;
#endif
}

/* The child's stdout as an existing file (pw_spawn.stdout_path):
 * close-on-exec like the pipes, at a number >= 3, the last component never
 * a symbolic link. */
static int open_stdout_file(const char *path, int *fd) {
  *fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (*fd < 0)
    return pw_posix_err(errno);
  return lift_fd(fd);
}

/* A descriptor that becomes readable when the child exits, or -1 where
 * the kernel has none (before Linux 5.3) or refuses it (seccomp): wait
 * then polls. pidfd_open sets close-on-exec itself. */
static int open_pidfd(pid_t pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
  static atomic_int unsupported; /* asked once (valgrind warns each time) */
  if (atomic_load(&unsupported))
    return -1;
  long fd = syscall(SYS_pidfd_open, (long)pid, 0L);
  if (fd < 0 && errno == ENOSYS)
    atomic_store(&unsupported, 1);
  return fd >= 0 && fd <= INT_MAX ? (int)fd : -1;
#else
  (void)pid;
  return -1;
#endif
}

/* ---- time ---- */

static uint64_t deadline_after(uint32_t timeout_ms) {
  return pw_time_monotonic_ns() + (uint64_t)timeout_ms * UINT64_C(1000000);
}

/* Milliseconds left until deadline, rounded up; 0 once it has passed. */
static int ms_until(uint64_t deadline) {
  uint64_t now = pw_time_monotonic_ns();
  uint64_t left_ms = deadline > now ? (deadline - now + 999999u) / 1000000u : 0;
  return left_ms > INT_MAX ? INT_MAX : (int)left_ms;
}

/* ---- the drain thread ---- */

/* Append to the tail; p->lock held. */
static void tail_append(pw_process *p, const unsigned char *b, size_t n) {
  if (n >= KEEP) {
    memcpy(p->tail, b + n - KEEP, KEEP);
    p->tail_len = KEEP;
  } else {
    size_t keep = p->tail_len < KEEP - n ? p->tail_len : KEEP - n;
    memmove(p->tail, p->tail + p->tail_len - keep, keep);
    memcpy(p->tail + keep, b, n);
    p->tail_len = keep + n;
  }
}

/* Up to `reads` non-blocking reads from fd: 0 while it stays open, 1 at
 * its end (or on an error: nothing more will come from it either). Bytes
 * from stderr (keep) go to the tail; the caller holds p->lock then, so the
 * drain thread and pw_process_stderr_tail, which both read stderr, append
 * in the pipe's order. */
static int read_some(pw_process *p, int fd, int keep, unsigned char *buf,
                     size_t cap, int reads) {
  while (reads > 0) {
    ssize_t n = read(fd, buf, cap);
    if (n > 0) {
      if (keep)
        tail_append(p, buf, (size_t)n);
      reads--;
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : 1;
  }
  return 0;
}

static void drain_main(void *arg) {
  pw_process *p = arg;
  unsigned char buf[DRAIN_BUF];
  int fds[2] = {p->out_rd, p->err_rd}; /* -1 once at end of file */
  while (fds[0] >= 0 || fds[1] >= 0) {
    struct pollfd pf[3] = {
        {p->stopw.rd, POLLIN, 0}, {fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    /* No time-out: pw_process_free ends the wait through stopw. */
    if (poll(pf, 3, -1) < 0) {
      if (errno == EINTR)
        continue;
      return; /* cannot wait; the child may block on a full pipe, which
                 wait's time-out and kill still bound */
    }
    if (pf[0].revents)
      return;
    if (pf[1].revents && read_some(p, fds[0], 0, buf, sizeof buf, 1))
      fds[0] = -1;
    if (pf[2].revents) {
      pw_mutex_lock(&p->lock);
      if (read_some(p, fds[1], 1, buf, sizeof buf, 1))
        fds[1] = -1;
      pw_mutex_unlock(&p->lock);
    }
  }
}

/* ---- start ---- */

int pw_process_spawn(const pw_spawn *sp, pw_process **out) {
  if (out)
    *out = NULL;
  if (!out || !sp || !sp->path || sp->path[0] != '/' || !sp->argv ||
      !sp->argv[0])
    return PW_EINVAL;
  pw_process *p = calloc(1, sizeof *p);
  if (!p)
    return PW_ENOMEM;
  p->pid = -1;
  p->in_wr = p->out_rd = p->err_rd = p->pidfd = -1;
  p->killw.rd = p->killw.wr = p->stopw.rd = p->stopw.wr = -1;
  atomic_init(&p->killed, 0);
  atomic_init(&p->lost, 0);
  pw_mutex_init(&p->lock);

  int in[2] = {-1, -1}, outp[2] = {-1, -1}, errp[2] = {-1, -1};
  int err = wake_open(&p->killw);
  if (err == PW_OK)
    err = wake_open(&p->stopw);
  if (err == PW_OK)
    err = make_pipe(in, 1);
  if (err == PW_OK)
    grow_stdin(in[1]);
  if (err == PW_OK && sp->user)
    err = PW_ENOTSUP; /* pw_user_from_caller never gives one here */
  if (err == PW_OK)
    err = sp->stdout_path ? open_stdout_file(sp->stdout_path, &outp[1])
                          : make_pipe(outp, 0);
  if (err == PW_OK)
    err = make_pipe(errp, 0);
  if (err == PW_OK) {
    const int child_fds[3] = {in[0], outp[1], errp[1]};
    pid_t pid = -1;
    err = pw_posix_spawn_child(sp, child_fds, &pid);
    if (err == PW_OK)
      p->pid = pid;
  }
  /* The child's ends are the child's alone: EOF on stdout and stderr comes
   * when it (and what it started) closed them. */
  close_fd(&in[0]);
  close_fd(&outp[1]);
  close_fd(&errp[1]);
  p->in_wr = in[1];
  p->out_rd = outp[0];
  p->err_rd = errp[0];
  if (err == PW_OK) {
    p->pidfd = open_pidfd(p->pid);
    err = pw_thread_start(&p->drain, drain_main, p);
  }
  if (err != PW_OK) {
    pw_process_free(p); /* kills and reaps a child already started */
    return err;
  }
  *out = p;
  return PW_OK;
}

/* ---- stdin ---- */

static int is_killed(pw_process *p) {
  return atomic_load(&p->killed) != 0;
}

typedef struct sigpipe_guard {
  sigset_t old;
  int was_pending;
  int blocked;
} sigpipe_guard;

static void sigpipe_block(sigpipe_guard *g) {
  sigset_t set, pending;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  g->was_pending =
      sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
  g->blocked = pthread_sigmask(SIG_BLOCK, &set, &g->old) == 0;
}

/* raised: a write failed with EPIPE, so a SIGPIPE may now be pending. */
static void sigpipe_restore(const sigpipe_guard *g, int raised) {
  if (!g->blocked)
    return;
  if (raised && !g->was_pending) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    const struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

/* Wait until stdin takes bytes (or has lost its reader: the write that
 * follows says so), p is killed (PW_ECANCELED) or deadline passes. */
static int wait_writable(pw_process *p, uint64_t deadline) {
  for (;;) {
    if (is_killed(p))
      return PW_ECANCELED;
    int ms = ms_until(deadline);
    struct pollfd pf[2] = {{p->killw.rd, POLLIN, 0}, {p->in_wr, POLLOUT, 0}};
    int r = poll(pf, 2, ms);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      return pw_posix_err(errno);
    }
    if (pf[0].revents)
      return PW_ECANCELED;
    if (pf[1].revents)
      return PW_OK;
    if (ms == 0 || ms_until(deadline) == 0)
      return PW_ETIMEDOUT;
  }
}

int pw_process_write(pw_process *p, const void *buf, size_t len,
                     uint32_t timeout_ms, size_t *written) {
  if (written)
    *written = 0;
  if (!p || (!buf && len))
    return PW_EINVAL;
  if (is_killed(p))
    return PW_ECANCELED;
  if (p->in_wr < 0)
    return PW_ESTATE; /* after pw_process_close_stdin */
  const unsigned char *b = buf;
  size_t done = 0;
  int err = PW_OK, epipe = 0;
  sigpipe_guard g;
  sigpipe_block(&g);
  /* The child must take something within timeout_ms of the last progress. */
  uint64_t deadline = deadline_after(timeout_ms);
  while (err == PW_OK && done < len) {
    size_t chunk =
        len - done < PW_PROCESS_CHUNK ? len - done : PW_PROCESS_CHUNK;
    ssize_t n = write(p->in_wr, b + done, chunk);
    if (n > 0) {
      done += (size_t)n;
      deadline = deadline_after(timeout_ms);
      if (is_killed(p))
        err = PW_ECANCELED;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      err = wait_writable(p, deadline);
    } else {
      epipe = n < 0 && errno == EPIPE;
      /* EPIPE: the child exited or closed its stdin (PW_ECONNRESET). */
      err = n < 0 ? pw_posix_err(errno) : PW_EIO; /* no progress, no error */
    }
  }
  sigpipe_restore(&g, epipe);
  if (err != PW_OK && is_killed(p))
    err = PW_ECANCELED; /* the pipe broke because we killed the child */
  if (written)
    *written = done;
  return err;
}

void pw_process_close_stdin(pw_process *p) {
  if (p)
    close_fd(&p->in_wr);
}

/* ---- exit ---- */

/* 1 once the child has exited (p->exit_code set), 0 while it runs, or a
 * pw_err. The child is left a zombie (WNOWAIT) until pw_process_free. */
static int check_exit(pw_process *p) {
  pw_mutex_lock(&p->lock);
  int exited = p->exited;
  pw_mutex_unlock(&p->lock);
  if (exited)
    return 1;
  siginfo_t si;
  for (;;) {
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)p->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0)
      break;
    int e = errno;
    if (e == EINTR)
      continue;
    if (e == ECHILD)
      atomic_store(&p->lost, 1); /* reaped by someone else */
    return pw_posix_err(e);
  }
  if (si.si_pid == 0)
    return 0;
  pw_mutex_lock(&p->lock);
  p->exited = 1;
  p->exit_code = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
  pw_mutex_unlock(&p->lock);
  return 1;
}

int pw_process_wait(pw_process *p, uint32_t timeout_ms, int *exit_code) {
  if (!p)
    return PW_EINVAL;
  uint64_t deadline = deadline_after(timeout_ms);
  int step_ms = 1;
  for (;;) {
    int r = check_exit(p);
    if (r < 0)
      return r;
    if (r == 1) {
      pw_mutex_lock(&p->lock);
      int code = p->exit_code;
      pw_mutex_unlock(&p->lock);
      if (exit_code)
        *exit_code = code;
      return is_killed(p) ? PW_ECANCELED : PW_OK;
    }
    int ms = ms_until(deadline);
    if (ms == 0)
      return PW_ETIMEDOUT;
    if (p->pidfd >= 0) {
      struct pollfd pf = {p->pidfd, POLLIN, 0};
      if (poll(&pf, 1, ms) < 0 && errno != EINTR)
        return pw_posix_err(errno);
    } else {
      int s = ms < step_ms ? ms : step_ms;
      struct timespec ts = {0, (long)s * 1000000L};
      nanosleep(&ts, NULL);
      if (step_ms < WAIT_STEP_MAX_MS)
        step_ms *= 2;
    }
  }
}

/* SIGKILL to the group (the child and what it started) and to the child
 * itself, should it have left the group. Safe until the child is reaped:
 * its zombie keeps the pid and the group id ours. */
static void kill_group(pw_process *p) {
  if (p->pid <= 0 || atomic_load(&p->lost))
    return;
  (void)kill(-p->pid, SIGKILL);
  (void)kill(p->pid, SIGKILL);
}

void pw_process_kill(pw_process *p) {
  if (!p || atomic_exchange(&p->killed, 1) != 0)
    return;
  kill_group(p);
  wake_signal(&p->killw);
}

size_t pw_process_stderr_tail(pw_process *p, char *buf, size_t cap) {
  if (!buf || cap == 0)
    return 0;
  size_t n = 0;
  if (p) {
    /* What the child wrote before it exited may still be in the pipe, not
     * yet read by the drain thread: take it first, so the tail is complete
     * once pw_process_wait saw the exit. Bounded for a child that floods. */
    unsigned char b[KEEP];
    pw_mutex_lock(&p->lock);
    (void)read_some(p, p->err_rd, 1, b, sizeof b, 64);
    n = p->tail_len < cap - 1 ? p->tail_len : cap - 1;
    memcpy(buf, p->tail + p->tail_len - n, n); /* the latest bytes */
    pw_mutex_unlock(&p->lock);
  }
  buf[n] = '\0';
  return n;
}

void pw_process_free(pw_process *p) {
  if (!p)
    return;
  if (p->pid > 0) {
    kill_group(p);
    /* Bounded: SIGKILL ends the child at once unless it is stuck in the
     * kernel; then it is left (see the top of this file). */
    int code;
    (void)pw_process_wait(p, PW_REAP_MS, &code);
    if (!atomic_load(&p->lost)) {
      while (waitpid(p->pid, NULL, WNOHANG) < 0 && errno == EINTR) {
      }
    }
  }
  if (p->drain) {
    wake_signal(&p->stopw);
    (void)pw_thread_join(p->drain);
  }
  close_fd(&p->in_wr);
  close_fd(&p->out_rd);
  close_fd(&p->err_rd);
  close_fd(&p->pidfd);
  wake_close(&p->killw);
  wake_close(&p->stopw);
  pw_mutex_destroy(&p->lock);
  free(p);
}
