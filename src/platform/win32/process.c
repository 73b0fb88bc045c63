/* portway — child processes on Win32 (platform.h, "child processes").
 *
 * The three pipes are named pipes, not CreatePipe's anonymous ones, because
 * only a pipe opened with FILE_FLAG_OVERLAPPED gives a write that can wait
 * with a time-out and be cancelled (CancelIoEx). Our ends are the servers
 * (overlapped, never inheritable); the child's ends are CreateFileW clients
 * (synchronous, as programs expect), made inheritable only for the one
 * CreateProcessW that lists exactly them in PROC_THREAD_ATTRIBUTE_HANDLE_LIST
 * and closed right after it, so the child and what it starts hold the only
 * copies: once they are all gone, our reads see end of file and our writes
 * fail with a broken pipe. The names carry 128 random bits and each pipe
 * takes one client (FILE_FLAG_FIRST_PIPE_INSTANCE, one instance, no remote
 * clients), so no other process can take a pipe meant for the child.
 *
 * The child starts suspended, joins a new job object (kill on job close)
 * and only then runs, so everything it starts is in the job and
 * TerminateJobObject ends the whole tree. If the job cannot be joined (a
 * Windows 7 host that already runs us in a job that forbids breakaway),
 * the child runs alone and pw_process_kill falls back to TerminateProcess.
 *
 * One drain thread reads stdout (discarded; or the child writes it into
 * pw_spawn.stdout_path itself) and stderr (the last
 * PW_PROCESS_STDERR_KEEP bytes kept in a ring under a lock) with overlapped
 * reads until both pipes end, or until pw_process_free tells it to stop.
 *
 * pw_process_kill sets the cancel event (manual reset, never reset): a
 * blocked write or wait returns PW_ECANCELED, and so does every later one
 * (kill then wait gives PW_ECANCELED, as on POSIX).
 *
 * The command line and the environment block are built in process_args.c.
 */
#include "platform/win32/process_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/oserror_common.h"
#include "platform/platform.h"
#include "portway/error.h"

#define PW_PIPE_BUFFER 65536u         /* each pipe's buffer size */
#define PW_WRITE_CHUNK PW_PIPE_BUFFER /* one WriteFile at most */
#define PW_FREE_WAIT_MS 5000u         /* pw_process_free's waits, each */
#define PW_TAIL_WAIT_MS 2000u         /* wait: drain after the exit */
#define PW_KILLED_EXIT_CODE 137u      /* 128 + SIGKILL, as on POSIX */

struct pw_process {
  HANDLE process;
  HANDLE job;       /* NULL if the child could not join one */
  HANDLE cancel_ev; /* manual reset; set by pw_process_kill */
  HANDLE stop_ev;   /* manual reset; tells the drain thread to stop */
  HANDLE write_ev;  /* manual reset; the overlapped write's */
  HANDLE in_w;      /* our end of stdin; NULL once closed */
  HANDLE out_r, err_r;
  HANDLE drain; /* the drain thread */
  volatile LONG killed;
  SRWLOCK lock;    /* guards the stderr ring */
  size_t tail_pos; /* next byte's index in the ring */
  size_t tail_len; /* bytes held, <= PW_PROCESS_STDERR_KEEP */
  char tail[PW_PROCESS_STDERR_KEEP];
};

static DWORD wait_ms(uint32_t ms) {
  return ms == INFINITE ? INFINITE - 1 : (DWORD)ms; /* always bounded */
}

static void close_handle(HANDLE *h) {
  if (*h && *h != INVALID_HANDLE_VALUE)
    CloseHandle(*h);
  *h = NULL;
}

/* Record `code` as the thread's OS error and map it the way a child's
 * start-up and pipes need (errmap.c knows neither meaning). */
static int process_err(DWORD code) {
  switch (code) {
  case ERROR_BAD_EXE_FORMAT:
  case ERROR_BAD_FORMAT:
  case ERROR_EXE_MACHINE_TYPE_MISMATCH:
    pw_os_record(PW_OSERR_WIN32, (long)code, PW_EINVAL);
    return PW_EINVAL;
  case ERROR_BROKEN_PIPE:
  case ERROR_NO_DATA:
  case ERROR_PIPE_NOT_CONNECTED:
    pw_os_record(PW_OSERR_WIN32, (long)code, PW_ECONNRESET);
    return PW_ECONNRESET;
  default:
    return pw_win32_err(code);
  }
}

/* ---- pipes ---- */

/* Our end (overlapped server) in *ours, the child's (synchronous client,
 * not yet inheritable) in *theirs. outbound: we write, the child reads. */
static int make_pipe(int outbound, HANDLE *ours, HANDLE *theirs) {
  static volatile LONG counter;
  unsigned char rnd[16];
  int err = pw_random_bytes(rnd, sizeof rnd);
  if (err != PW_OK)
    return err;
  char name[96];
  int k = snprintf(name, sizeof name, "\\\\.\\pipe\\portway-%lu-%ld-",
                   pw_process_id(), InterlockedIncrement(&counter));
  for (size_t i = 0; i < sizeof rnd && k > 0; i++)
    k += snprintf(name + k, sizeof name - (size_t)k, "%02x", rnd[i]);
  wchar_t wname[96];
  for (size_t i = 0; i < sizeof name; i++)
    wname[i] = (wchar_t)(unsigned char)name[i]; /* ASCII, NUL included */
  DWORD open_mode = (outbound ? PIPE_ACCESS_OUTBOUND : PIPE_ACCESS_INBOUND) |
                    FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE;
  *ours = CreateNamedPipeW(wname, open_mode,
                           PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                               PIPE_REJECT_REMOTE_CLIENTS,
                           1, PW_PIPE_BUFFER, PW_PIPE_BUFFER, 0, NULL);
  if (*ours == INVALID_HANDLE_VALUE) {
    *ours = NULL;
    return pw_win32_last_err();
  }
  /* The attribute rights let the child query and set the pipe's state,
   * as the ends of an anonymous pipe do. */
  DWORD access = outbound ? GENERIC_READ | FILE_WRITE_ATTRIBUTES
                          : GENERIC_WRITE | FILE_READ_ATTRIBUTES;
  *theirs = CreateFileW(wname, access, 0, NULL, OPEN_EXISTING, 0, NULL);
  if (*theirs == INVALID_HANDLE_VALUE) {
    err = pw_win32_last_err();
    *theirs = NULL;
    close_handle(ours);
    return err;
  }
  return PW_OK;
}

/* ---- the drain thread ---- */

static void keep_stderr(pw_process *p, const char *b, size_t n) {
  if (n > PW_PROCESS_STDERR_KEEP) {
    b += n - PW_PROCESS_STDERR_KEEP;
    n = PW_PROCESS_STDERR_KEEP;
  }
  AcquireSRWLockExclusive(&p->lock);
  for (size_t i = 0; i < n; i++) {
    p->tail[p->tail_pos] = b[i];
    p->tail_pos = (p->tail_pos + 1) % PW_PROCESS_STDERR_KEEP;
  }
  p->tail_len += n;
  if (p->tail_len > PW_PROCESS_STDERR_KEEP)
    p->tail_len = PW_PROCESS_STDERR_KEEP;
  ReleaseSRWLockExclusive(&p->lock);
}

typedef struct drain_pipe {
  HANDLE h;
  OVERLAPPED ov;
  int open, pending;
  char buf[16384];
} drain_pipe;

static DWORD WINAPI drain_main(LPVOID arg) {
  pw_process *p = arg;
  drain_pipe d[2]; /* stdout, stderr */
  memset(d, 0, sizeof d);
  d[0].h = p->out_r;
  d[1].h = p->err_r;
  for (int i = 0; i < 2; i++) {
    if (!d[i].h)
      continue; /* stdout into a file: nothing to drain */
    d[i].ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    d[i].open = d[i].ov.hEvent != NULL;
  }
  while (d[0].open || d[1].open) {
    HANDLE ev[3] = {p->stop_ev};
    DWORD n = 1;
    for (int i = 0; i < 2; i++) {
      if (d[i].open && !d[i].pending) {
        memset(&d[i].ov, 0, offsetof(OVERLAPPED, hEvent));
        if (ReadFile(d[i].h, d[i].buf, sizeof d[i].buf, NULL, &d[i].ov) ||
            GetLastError() == ERROR_IO_PENDING)
          d[i].pending = 1;
        else
          d[i].open = 0; /* broken pipe: every writer is gone */
      }
      if (d[i].pending)
        ev[n++] = d[i].ov.hEvent;
    }
    if (n == 1)
      break;
    if (WaitForMultipleObjects(n, ev, FALSE, INFINITE) == WAIT_OBJECT_0)
      break; /* pw_process_free: stop */
    for (int i = 0; i < 2; i++) {
      DWORD got = 0;
      if (!d[i].pending)
        continue;
      if (GetOverlappedResult(d[i].h, &d[i].ov, &got, FALSE)) {
        d[i].pending = 0;
        if (i == 1)
          keep_stderr(p, d[i].buf, got);
      } else if (GetLastError() != ERROR_IO_INCOMPLETE) {
        d[i].pending = 0;
        d[i].open = 0;
      }
    }
  }
  for (int i = 0; i < 2; i++) {
    DWORD got;
    if (d[i].pending) {
      CancelIoEx(d[i].h, &d[i].ov);
      GetOverlappedResult(d[i].h, &d[i].ov, &got, TRUE);
    }
    if (d[i].ov.hEvent)
      CloseHandle(d[i].ov.hEvent);
  }
  return 0;
}

/* ---- spawn ---- */

/* The child's stdout as an existing file (pw_spawn.stdout_path), opened
 * for writing only, not inheritable until create() lists it. */
static int open_stdout_file(const char *path, HANDLE *h) {
  wchar_t *w = NULL;
  int err = pw_win32_path(path, &w);
  if (err != PW_OK)
    return err;
  *h = CreateFileW(w, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                   FILE_ATTRIBUTE_NORMAL, NULL);
  free(w);
  if (*h == INVALID_HANDLE_VALUE) {
    *h = NULL;
    return pw_win32_last_err();
  }
  return PW_OK;
}

static void destroy(pw_process *p) {
  close_handle(&p->process);
  close_handle(&p->job);
  close_handle(&p->cancel_ev);
  close_handle(&p->stop_ev);
  close_handle(&p->write_ev);
  close_handle(&p->in_w);
  close_handle(&p->out_r);
  close_handle(&p->err_r);
  free(p);
}

static int make_job(HANDLE *job) {
  *job = CreateJobObjectW(NULL, NULL);
  if (!*job)
    return pw_win32_last_err();
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
  memset(&li, 0, sizeof li);
  li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(*job, JobObjectExtendedLimitInformation, &li,
                               sizeof li))
    return pw_win32_last_err(); /* destroy() closes the job */
  return PW_OK;
}

/* CreateProcessAsUserW checks its privileges (SeAssignPrimaryToken,
 * SeIncreaseQuota) against the effective token: a thread impersonating the
 * job's user has neither, so the call runs as ourselves and the thread's
 * impersonation is put back after it. */
static BOOL create_as_user(HANDLE token, const wchar_t *app, wchar_t *cmd,
                           wchar_t *env, const wchar_t *cwd, STARTUPINFOEXW *si,
                           PROCESS_INFORMATION *pi) {
  HANDLE imp = NULL;
  if (!OpenThreadToken(GetCurrentThread(), TOKEN_IMPERSONATE, TRUE, &imp))
    imp = NULL; /* not impersonating: nothing to put back */
  if (imp && !RevertToSelf()) {
    CloseHandle(imp);
    return FALSE;
  }
  /* The user's interactive desktop, in the token's session. */
  wchar_t desktop[] = L"winsta0\\default";
  si->StartupInfo.lpDesktop = desktop;
  BOOL ok = CreateProcessAsUserW(token, app, cmd, NULL, NULL, TRUE,
                                 CREATE_UNICODE_ENVIRONMENT |
                                     EXTENDED_STARTUPINFO_PRESENT |
                                     CREATE_NO_WINDOW | CREATE_SUSPENDED,
                                 env, cwd, &si->StartupInfo, pi);
  DWORD e = GetLastError();
  si->StartupInfo.lpDesktop = NULL;
  if (imp) {
    (void)SetThreadToken(NULL, imp);
    CloseHandle(imp);
  }
  SetLastError(e);
  return ok;
}

/* CreateProcessW (or CreateProcessAsUserW with `token`), suspended,
 * inheriting exactly the three child ends. */
static int create(HANDLE token, const wchar_t *app, wchar_t *cmd, wchar_t *env,
                  const wchar_t *cwd, HANDLE child[3],
                  PROCESS_INFORMATION *pi) {
  SIZE_T size = 0;
  InitializeProcThreadAttributeList(NULL, 1, 0, &size);
  LPPROC_THREAD_ATTRIBUTE_LIST attrs = size ? malloc(size) : NULL;
  if (!attrs)
    return PW_ENOMEM;
  int err = PW_OK;
  if (!InitializeProcThreadAttributeList(attrs, 1, 0, &size)) {
    free(attrs);
    return pw_win32_last_err();
  }
  STARTUPINFOEXW si;
  memset(&si, 0, sizeof si);
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = child[0];
  si.StartupInfo.hStdOutput = child[1];
  si.StartupInfo.hStdError = child[2];
  si.lpAttributeList = attrs;
  if (!UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                 child, 3 * sizeof(HANDLE), NULL, NULL))
    err = pw_win32_last_err();
  for (int i = 0; i < 3 && err == PW_OK; i++) {
    if (!SetHandleInformation(child[i], HANDLE_FLAG_INHERIT,
                              HANDLE_FLAG_INHERIT))
      err = pw_win32_last_err();
  }
  if (err == PW_OK && token &&
      !create_as_user(token, app, cmd, env, cwd, &si, pi))
    err = process_err(GetLastError());
  else if (err == PW_OK && !token &&
           !CreateProcessW(app, cmd, NULL, NULL, TRUE,
                           CREATE_UNICODE_ENVIRONMENT |
                               EXTENDED_STARTUPINFO_PRESENT | CREATE_NO_WINDOW |
                               CREATE_SUSPENDED,
                           env, cwd, &si.StartupInfo, pi))
    err = process_err(GetLastError());
  DeleteProcThreadAttributeList(attrs);
  free(attrs);
  return err;
}

typedef struct spawn_args {
  wchar_t *app, *cmd, *env, *cwd;
} spawn_args;

static int convert(const pw_spawn *sp, spawn_args *a) {
  int err = pw_win32_path(sp->path, &a->app);
  if (err == PW_OK)
    err = pw_win32_cmdline(sp->argv, &a->cmd);
  if (err == PW_OK && sp->env)
    err = pw_win32_env_block(sp->env, &a->env);
  if (err == PW_OK && sp->cwd)
    err = pw_win32_path(sp->cwd, &a->cwd);
  return err;
}

int pw_process_spawn(const pw_spawn *sp, pw_process **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!sp || !sp->path || !*sp->path || !sp->argv || !sp->argv[0])
    return PW_EINVAL;
  spawn_args a = {0};
  int err = convert(sp, &a);
  pw_process *p = err == PW_OK ? calloc(1, sizeof *p) : NULL;
  if (err == PW_OK && !p)
    err = PW_ENOMEM;
  HANDLE child[3] = {NULL, NULL, NULL};
  if (err == PW_OK) {
    InitializeSRWLock(&p->lock);
    p->cancel_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    p->stop_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    p->write_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!p->cancel_ev || !p->stop_ev || !p->write_ev)
      err = pw_win32_last_err();
  }
  if (err == PW_OK)
    err = make_pipe(1, &p->in_w, &child[0]);
  if (err == PW_OK)
    err = sp->stdout_path ? open_stdout_file(sp->stdout_path, &child[1])
                          : make_pipe(0, &p->out_r, &child[1]);
  if (err == PW_OK)
    err = make_pipe(0, &p->err_r, &child[2]);
  if (err == PW_OK)
    err = make_job(&p->job);
  PROCESS_INFORMATION pi;
  memset(&pi, 0, sizeof pi);
  if (err == PW_OK)
    err = create(pw_win32_user_token(sp->user), a.app, a.cmd, a.env, a.cwd,
                 child, &pi);
  for (int i = 0; i < 3; i++)
    close_handle(&child[i]); /* the child holds the only copies now */
  free(a.app);
  free(a.cmd);
  free(a.env);
  free(a.cwd);
  if (err != PW_OK) {
    if (p)
      destroy(p);
    return err;
  }
  p->process = pi.hProcess;
  if (!AssignProcessToJobObject(p->job, pi.hProcess))
    close_handle(&p->job); /* nested jobs refused: kill the child alone */
  p->drain = CreateThread(NULL, 0, drain_main, p, 0, NULL);
  if (!p->drain || ResumeThread(pi.hThread) == (DWORD)-1) {
    err = pw_win32_last_err();
    TerminateProcess(pi.hProcess, PW_KILLED_EXIT_CODE);
    WaitForSingleObject(pi.hProcess, PW_FREE_WAIT_MS);
    CloseHandle(pi.hThread);
    if (p->drain) {
      SetEvent(p->stop_ev);
      if (WaitForSingleObject(p->drain, PW_FREE_WAIT_MS) != WAIT_OBJECT_0)
        return err; /* the thread still uses p: leave it */
      CloseHandle(p->drain);
    }
    destroy(p);
    return err;
  }
  CloseHandle(pi.hThread);
  *out = p;
  return PW_OK;
}

/* ---- stdin, wait, kill ---- */

int pw_process_write(pw_process *p, const void *buf, size_t len,
                     uint32_t timeout_ms, size_t *written) {
  if (written)
    *written = 0;
  if (!p || (!buf && len))
    return PW_EINVAL;
  const char *b = buf;
  size_t done = 0;
  int err = PW_OK;
  while (err == PW_OK && done < len) {
    if (p->killed) {
      err = PW_ECANCELED;
      break;
    }
    if (!p->in_w) {
      err = PW_ESTATE; /* after pw_process_close_stdin */
      break;
    }
    DWORD n =
        (DWORD)(len - done < PW_WRITE_CHUNK ? len - done : PW_WRITE_CHUNK);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = p->write_ev;
    if (!WriteFile(p->in_w, b + done, n, NULL, &ov)) {
      DWORD e = GetLastError();
      if (e != ERROR_IO_PENDING) {
        err = process_err(e);
        break;
      }
      HANDLE ev[2] = {p->write_ev, p->cancel_ev};
      DWORD w = WaitForMultipleObjects(2, ev, FALSE, wait_ms(timeout_ms));
      if (w != WAIT_OBJECT_0) {
        err = w == WAIT_OBJECT_0 + 1 ? PW_ECANCELED
              : w == WAIT_TIMEOUT    ? PW_ETIMEDOUT
                                     : pw_win32_last_err();
        CancelIoEx(p->in_w, &ov);
      }
    }
    /* Always wait for the write to end: ov lives on this stack. */
    DWORD got = 0;
    BOOL ok = GetOverlappedResult(p->in_w, &ov, &got, TRUE);
    DWORD e = ok ? ERROR_SUCCESS : GetLastError();
    done += got;
    if (ok && err == PW_ETIMEDOUT)
      err = PW_OK; /* it completed before the cancellation reached it */
    else if (!ok && e != ERROR_OPERATION_ABORTED)
      err = process_err(e);
    else if (!ok && err == PW_OK)
      err = PW_ECANCELED;
  }
  if (written)
    *written = done;
  /* A write the kill broke (the child's end closed) was cancelled. */
  return err != PW_OK && p->killed ? PW_ECANCELED : err;
}

void pw_process_close_stdin(pw_process *p) {
  if (p)
    close_handle(&p->in_w);
}

int pw_process_wait(pw_process *p, uint32_t timeout_ms, int *exit_code) {
  if (!p)
    return PW_EINVAL;
  if (p->killed)
    return PW_ECANCELED;
  DWORD start = GetTickCount();
  HANDLE ev[2] = {p->process, p->cancel_ev};
  DWORD w = WaitForMultipleObjects(2, ev, FALSE, wait_ms(timeout_ms));
  if (w == WAIT_TIMEOUT)
    return PW_ETIMEDOUT;
  if (w == WAIT_OBJECT_0 + 1 || p->killed)
    return PW_ECANCELED;
  if (w != WAIT_OBJECT_0)
    return pw_win32_last_err();
  DWORD code = 0;
  if (!GetExitCodeProcess(p->process, &code))
    return pw_win32_last_err();
  /* Let the drain thread take what the child wrote last, so the stderr
   * tail is complete; a process the child left running may keep the pipes
   * open, so this is bounded too. */
  DWORD spent = GetTickCount() - start;
  DWORD left = wait_ms(timeout_ms) > spent ? wait_ms(timeout_ms) - spent : 0;
  HANDLE dr[2] = {p->drain, p->cancel_ev};
  WaitForMultipleObjects(2, dr, FALSE,
                         left < PW_TAIL_WAIT_MS ? left : PW_TAIL_WAIT_MS);
  if (exit_code)
    *exit_code = (int)code;
  return PW_OK;
}

void pw_process_kill(pw_process *p) {
  if (!p || InterlockedExchange(&p->killed, 1))
    return;
  SetEvent(p->cancel_ev); /* first: what fails from now on was cancelled */
  if (p->job)
    TerminateJobObject(p->job, PW_KILLED_EXIT_CODE);
  else
    TerminateProcess(p->process, PW_KILLED_EXIT_CODE);
}

size_t pw_process_stderr_tail(pw_process *p, char *buf, size_t cap) {
  if (!buf || cap == 0)
    return 0;
  buf[0] = '\0';
  if (!p)
    return 0;
  AcquireSRWLockShared(&p->lock);
  size_t n = p->tail_len < cap - 1 ? p->tail_len : cap - 1; /* the newest */
  size_t from =
      (p->tail_pos + PW_PROCESS_STDERR_KEEP - n) % PW_PROCESS_STDERR_KEEP;
  for (size_t i = 0; i < n; i++)
    buf[i] = p->tail[(from + i) % PW_PROCESS_STDERR_KEEP];
  ReleaseSRWLockShared(&p->lock);
  buf[n] = '\0';
  return n;
}

void pw_process_free(pw_process *p) {
  if (!p)
    return;
  /* The job ends whatever still runs in it: the child, and anything it
   * left behind (closing a kill-on-close job would do the same). */
  if (!p->killed && p->job)
    TerminateJobObject(p->job, PW_KILLED_EXIT_CODE);
  else if (!p->killed && WaitForSingleObject(p->process, 0) == WAIT_TIMEOUT)
    TerminateProcess(p->process, PW_KILLED_EXIT_CODE);
  p->killed = 1;
  WaitForSingleObject(p->process, PW_FREE_WAIT_MS);
  /* Nothing more of the output is wanted (and a process outside the job
   * might still hold a pipe open): the drain thread cancels its reads. */
  SetEvent(p->stop_ev);
  if (WaitForSingleObject(p->drain, PW_FREE_WAIT_MS) != WAIT_OBJECT_0)
    return; /* never seen: leak p rather than free it under the thread */
  close_handle(&p->drain);
  destroy(p);
}
