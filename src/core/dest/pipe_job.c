/* portway — the program port's destination (docs/pipe-port.md): each job
 * is one run of the configured program, the job its stdin.
 *
 *   StartDocPort  {output} (if configured) reserved as a new, unique file;
 *                 argv and environment built (pipe_args.c); the program
 *                 started (no shell) with stdin a pipe.
 *   WritePort     feeds stdin, each wait for pipe space bounded by the
 *                 write time-out; a program that exited or closed stdin
 *                 fails the write (the job is poisoned, as for files).
 *   EndDocPort    closes stdin and waits at most `timeout` for the exit:
 *                 0 is delivered; any other code, or the time-out (the
 *                 program and its children are killed), fails the job
 *                 with the code and the tail of the program's stderr.
 *   ClosePort / Shutdown without EndDocPort kill the program (cancel).
 *
 * A job that fails leaves no {output} file behind. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dest.h"
#include "core/dest/pipe.h"
#include "core/dest/pipe_args.h"
#include "core/errbuf.h"
#include "core/strutil.h"
#include "portway/error.h"
#include "portway/pattern.h"

/* {output} names tried before giving up (as the file port's collisions). */
#define PIPE_OUTPUT_ATTEMPTS 1000u
/* The spooler's 4 KB WritePorts are gathered into writes of this size: one
 * system call (under Wine: one wineserver round trip) per 4 KB costs a
 * third of the throughput (docs/performance.md, program ports). */
#define PIPE_GATHER_BYTES 262144u
/* Of a failure's log line (PW_LOG_LINE_MAX 2 KB), the stderr lines' share. */
#define PIPE_STDERR_LOG_BYTES 768u

struct pw_dest_job {
  pw_process *proc;
  pw_user *user; /* runas=user: the job's user, else NULL */
  unsigned stderr_lines;
  _Atomic uint32_t write_ms, exit_ms;
  char *output;          /* the reserved {output} file, NULL if none */
  unsigned char *gather; /* PIPE_GATHER_BYTES, allocated at the first write */
  size_t gathered;
  int broken;       /* a write went out in part: every later write fails */
  char program[64]; /* its base name, for log lines */
};

static void job_free(pw_dest_job *job, int remove_output) {
  pw_process_free(job->proc); /* kills it if it still runs */
  pw_user_free(job->user);
  free(job->gather);
  if (remove_output && job->output)
    (void)pw_file_remove(job->output);
  free(job->output);
  free(job);
}

static pw_pattern_vars job_vars(const pw_dest_start *st) {
  const pw_doc_info *d = st->doc;
  pw_pattern_vars v = {
      d ? d->job_id : 0,     d ? d->doc_name : NULL, d ? d->user : NULL,
      d ? d->machine : NULL, d ? d->printer : NULL,  st->port,
      st->when.year,         st->when.month,         st->when.day,
      st->when.hour,         st->when.minute,        st->when.second};
  return v;
}

/* A new, unique file in the output folder, named by the pattern, created
 * empty so no other job takes the name; the program writes it. */
static int reserve_output(const pw_pipe_options *o, const pw_pattern_vars *v,
                          char **out, char *errbuf, size_t errlen) {
  const char *pattern = o->pattern ? o->pattern : PW_PIPE_DEFAULT_PATTERN;
  int rc = pw_dir_create_all(o->output);
  for (unsigned attempt = 1; rc == PW_OK; attempt++) {
    char name[PW_MAX_FILENAME + 1];
    rc = pw_pattern_expand(pattern, v, attempt, name, sizeof name);
    char *path = rc == PW_OK ? pw_path_join(o->output, name, '/') : NULL;
    if (rc == PW_OK && !path)
      rc = PW_ENOMEM;
    pw_file *f = NULL;
    if (rc == PW_OK)
      rc = pw_file_create_new(path, &f);
    if (rc == PW_OK) {
      rc = pw_file_close(f);
      if (rc == PW_OK) {
        *out = path;
        return PW_OK;
      }
    }
    free(path);
    if (rc == PW_EEXIST && attempt < PIPE_OUTPUT_ATTEMPTS)
      rc = PW_OK; /* taken: the next name */
  }
  pw_errbuf_os(errbuf, errlen, rc, "cannot create the output file in %s: %s",
               o->output, pw_strerror(rc));
  return rc;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* argv: the program's path, then the expanded tokens. */
static int build_argv(const pw_pipe_options *o, const pw_pattern_vars *v,
                      const char *output, pw_strv *argv, char *errbuf,
                      size_t errlen) {
  pw_strv tokens;
  int rc = pw_pipe_split_args(o->args, &tokens, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  memset(argv, 0, sizeof *argv);
  argv->v = calloc(tokens.n + 2, sizeof *argv->v);
  if (!argv->v || !(argv->v[argv->n++] = pw_strdup(o->command)))
    rc = PW_ENOMEM;
  for (size_t i = 0; rc == PW_OK && i < tokens.n; i++) {
    rc = pw_pipe_expand_arg(tokens.v[i], v, output, &argv->v[argv->n]);
    if (rc == PW_OK)
      argv->n++;
    else if (rc == PW_EBADCONFIG)
      pw_errbuf_printf(errbuf, errlen,
                       "args token '%s' needs output= (or is not valid)",
                       tokens.v[i]);
  }
  pw_strv_free(&tokens);
  if (rc != PW_OK)
    pw_strv_free(argv);
  return rc;
}

/* REDMON_SESSIONID: the job's user's session, also when the program runs
 * as the service (0 where no one is impersonated: natively, under Wine). */
static unsigned long caller_session(const pw_dest_job *job) {
  if (job->user)
    return pw_user_session(job->user);
  unsigned long session = 0;
  return pw_caller_session(&session) == PW_OK ? session : 0;
}

/* The base is the job's user's environment (runas=user) or ours. */
static int build_env(const pw_pipe_options *o, const pw_dest_job *job,
                     const pw_pattern_vars *v, pw_strv *env, char *errbuf,
                     size_t errlen) {
  pw_strv extra = {0};
  int rc = o->env ? pw_pipe_split_args(o->env, &extra, errbuf, errlen) : PW_OK;
  char **base = NULL;
  if (rc == PW_OK && job->user) {
    if (!(base = pw_user_env(job->user))) {
      rc = PW_EIO;
      pw_errbuf_os(errbuf, errlen, rc,
                   "runas=user: cannot build %s's environment",
                   pw_user_name(job->user));
    }
  } else if (rc == PW_OK && !(base = pw_env_current())) {
    rc = PW_ENOMEM;
  }
  if (rc == PW_OK)
    rc = pw_pipe_build_env((const char *const *)base, v, job->output,
                           caller_session(job), &extra, env);
  pw_env_free(base);
  pw_strv_free(&extra);
  return rc;
}

/* runas=user: the user the spooler impersonates in StartDocPort, or the
 * job fails; it never runs as anyone else. */
static int take_user(pw_dest_job *job, char *errbuf, size_t errlen) {
  int rc = pw_user_from_caller(&job->user);
  if (rc == PW_ENOTSUP)
    pw_errbuf_printf(errbuf, errlen,
                     "runas=user: running as the job's user needs Windows' "
                     "spooler; the program was not started");
  else if (rc == PW_EACCES)
    pw_errbuf_os(errbuf, errlen, rc,
                 "runas=user: the job's user is unknown (the spooler does not "
                 "impersonate it here); the program was not started");
  else if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc,
                 "runas=user: cannot take the job's user: %s; the program "
                 "was not started",
                 pw_strerror(rc));
  return rc;
}

static int pipe_start(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
                      size_t errlen) {
  const pw_pipe_options *o = pw_pipe_opts(st->cfg);
  *out = NULL;
  if (!o) {
    pw_errbuf_printf(errbuf, errlen, "not a pipe port configuration");
    return PW_EINVAL;
  }
  pw_dest_job *job = calloc(1, sizeof *job);
  if (!job)
    return PW_ENOMEM;
  atomic_init(&job->write_ms, st->timeouts.write_ms);
  atomic_init(&job->exit_ms, st->timeouts.write_ms);
  job->stderr_lines = o->stderr_lines;
  snprintf(job->program, sizeof job->program, "%s", base_name(o->command));
  pw_pattern_vars v = job_vars(st);
  int rc = o->runas_user ? take_user(job, errbuf, errlen) : PW_OK;
  if (rc == PW_OK && o->output)
    rc = reserve_output(o, &v, &job->output, errbuf, errlen);
  pw_strv argv = {0}, env = {0};
  if (rc == PW_OK)
    rc = build_argv(o, &v, job->output, &argv, errbuf, errlen);
  if (rc == PW_OK)
    rc = build_env(o, job, &v, &env, errbuf, errlen);
  if (rc == PW_OK) {
    pw_spawn sp = {o->command,
                   (const char *const *)argv.v,
                   (const char *const *)env.v,
                   o->cwd,
                   o->stdout_to_output ? job->output : NULL,
                   job->user};
    rc = pw_process_spawn(&sp, &job->proc);
    if (rc != PW_OK)
      pw_errbuf_os(errbuf, errlen, rc, "cannot start %s: %s", o->command,
                   pw_strerror(rc));
  }
  pw_strv_free(&argv);
  pw_strv_free(&env);
  if (rc != PW_OK) {
    job_free(job, 1);
    return rc;
  }
  /* ClosePort and Shutdown kill it through the destination's cancel. */
  *out = job;
  return PW_OK;
}

/* Bytes into the program's stdin. A time-out that took nothing may be
 * retried (WRITE_RETRYABLE); anything else breaks the stream for good. The
 * program exited or closed its stdin: PW_ECONNRESET from the platform, which
 * would read as a transient network fault, becomes PW_EIO (poisoned). */
static int feed(pw_dest_job *job, const void *buf, size_t len) {
  size_t written = 0;
  int rc = pw_process_write(job->proc, buf, len, atomic_load(&job->write_ms),
                            &written);
  if (rc != PW_OK && (written > 0 || rc != PW_ETIMEDOUT)) {
    job->broken = 1;
    if (rc == PW_ECONNRESET || rc == PW_ETIMEDOUT)
      rc = PW_EIO;
  }
  return rc;
}

/* Send what was gathered; on a time-out that took nothing it stays, and the
 * spooler's retried write sends it first. */
static int flush_gathered(pw_dest_job *job) {
  if (job->gathered == 0)
    return PW_OK;
  int rc = feed(job, job->gather, job->gathered);
  if (rc == PW_OK)
    job->gathered = 0;
  return rc;
}

static int pipe_write(pw_dest_job *job, const void *buf, size_t len) {
  if (job->broken)
    return PW_EIO;
  if (!job->gather && !(job->gather = malloc(PIPE_GATHER_BYTES)))
    return feed(job, buf, len); /* no memory: unbuffered */
  /* Make room first: if that fails, nothing of this buffer was taken. */
  if (job->gathered + len > PIPE_GATHER_BYTES) {
    int rc = flush_gathered(job);
    if (rc != PW_OK)
      return rc;
  }
  if (len >= PIPE_GATHER_BYTES)
    return feed(job, buf, len);
  memcpy(job->gather + job->gathered, buf, len);
  job->gathered += len;
  return PW_OK;
}

/* The last job->stderr_lines lines of the program's stderr, for the log
 * line: joined by " | ", control characters as spaces, cut at the front
 * (marked "...") to what fits in cap. */
static void stderr_tail(pw_dest_job *job, char *buf, size_t cap) {
  if (cap == 0)
    return;
  buf[0] = '\0';
  char tail[PW_PROCESS_STDERR_KEEP + 1];
  size_t n = job->stderr_lines
                 ? pw_process_stderr_tail(job->proc, tail, sizeof tail)
                 : 0;
  while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
    tail[--n] = '\0';
  /* Back from the end over stderr_lines line breaks. */
  size_t from = n;
  for (unsigned lines = 0; from > 0; from--) {
    if (tail[from - 1] == '\n' && ++lines == job->stderr_lines)
      break;
  }
  char joined[PW_PROCESS_STDERR_KEEP * 3 + 1];
  size_t len = 0;
  for (size_t i = from; i < n; i++) {
    unsigned char c = (unsigned char)tail[i];
    if (c == '\r')
      continue;
    if (c == '\n') {
      memcpy(joined + len, " | ", 3);
      len += 3;
    } else {
      joined[len++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
  }
  joined[len] = '\0';
  const char *p = joined;
  int cut = len > cap - 1;
  if (cut) { /* keep the end; start on a UTF-8 lead byte, after "..." */
    p = joined + len - (cap > 4 ? cap - 4 : cap - 1);
    while (*p && ((unsigned char)*p & 0xC0) == 0x80)
      p++;
  }
  snprintf(buf, cap, "%s%s", cut && cap > 4 ? "..." : "", p);
}

static int pipe_commit(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                       size_t errlen) {
  int fed = job->broken ? PW_EIO : flush_gathered(job);
  if (fed != PW_OK) {
    char tail[PIPE_STDERR_LOG_BYTES] = "";
    stderr_tail(job, tail, sizeof tail);
    pw_errbuf_printf(errbuf, errlen,
                     "%s did not take the end of the job (%s)%s%s",
                     job->program, pw_strerror(fed), tail[0] ? ": " : "", tail);
    job_free(job, 1);
    return fed;
  }
  pw_process_close_stdin(job->proc);
  int code = -1;
  uint32_t ms = atomic_load(&job->exit_ms);
  int rc = pw_process_wait(job->proc, ms, &code);
  char tail[PIPE_STDERR_LOG_BYTES] = "";
  if (rc == PW_ETIMEDOUT) {
    pw_process_kill(job->proc);
    stderr_tail(job, tail, sizeof tail);
    pw_errbuf_printf(errbuf, errlen,
                     "%s still ran %u s after the job's end and was killed%s%s",
                     job->program, (unsigned)(ms / 1000u), tail[0] ? ": " : "",
                     tail);
  } else if (rc != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "waiting for %s failed: %s", job->program,
                     pw_strerror(rc));
  } else if (code != 0) {
    stderr_tail(job, tail, sizeof tail);
    pw_errbuf_printf(errbuf, errlen, "%s exited with code %d%s%s", job->program,
                     code, tail[0] ? ": " : "", tail);
    rc = PW_EIO;
  }
  if (rc == PW_OK && final && cap && job->user)
    snprintf(final, cap, "%s as %s (session %lu)%s%s", job->program,
             pw_user_name(job->user), pw_user_session(job->user),
             job->output ? " -> " : "", job->output ? job->output : "");
  else if (rc == PW_OK && final && cap)
    snprintf(final, cap, "%s%s%s", job->program, job->output ? " -> " : "",
             job->output ? job->output : "");
  job_free(job, rc != PW_OK);
  return rc;
}

static void pipe_abort(pw_dest_job *job) {
  job_free(job, 1);
}

static void pipe_cancel(pw_dest_job *job) {
  pw_process_kill(job->proc);
}

static void pipe_set_timeouts(pw_dest_job *job, const pw_timeouts *t) {
  atomic_store(&job->write_ms, t->write_ms);
  atomic_store(&job->exit_ms, t->write_ms);
}

const pw_dest_ops pw_dest_pipe = {
    .kind = PW_DEST_PIPE,
    /* A write that timed out having taken nothing can be retried. */
    .flags = PW_DEST_WRITE_RETRYABLE,
    .start = pipe_start,
    .write = pipe_write,
    .read = NULL,
    .commit = pipe_commit,
    .abort = pipe_abort,
    .cancel = pipe_cancel,
    .set_timeouts = pipe_set_timeouts,
    .probe = NULL,
};
