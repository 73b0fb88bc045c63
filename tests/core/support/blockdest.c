/* portway tests — the blocking destination (see blockdest.h). */
#include "blockdest.h"

#include <stdlib.h>
#include <string.h>

#define SAFETY_MS 10000u /* no test waits forever, even when it is wrong */

blockdest_state g_blockdest;

struct pw_dest_job {
  int cancelled;
  pw_dest_start st;
};

static pw_dest_job *g_job; /* the running job (guarded by g_blockdest.lock) */

static int bd_start(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
                    size_t errlen) {
  blockdest_state *s = &g_blockdest;
  pw_mutex_lock(&s->lock);
  s->starts++;
  s->start_timeouts = st->timeouts;
  int rc = s->start_error;
  pw_mutex_unlock(&s->lock);
  if (rc != PW_OK) {
    if (errbuf && errlen)
      strncpy(errbuf, "test destination refused", errlen - 1);
    return rc;
  }
  pw_dest_job *job = calloc(1, sizeof *job);
  if (!job)
    return PW_ENOMEM;
  job->st = *st;
  pw_mutex_lock(&s->lock);
  s->live_jobs++;
  s->last_start = &job->st;
  g_job = job;
  pw_mutex_unlock(&s->lock);
  *out = job;
  return PW_OK;
}

/* Block (lock held) until released or, unless ignoring it, cancelled. */
static int wait_blocked(pw_dest_job *job, int *flag) {
  blockdest_state *s = &g_blockdest;
  uint64_t deadline = pw_time_monotonic_ns() + SAFETY_MS * 1000000ull;
  *flag = 1;
  pw_cond_broadcast(&s->cond);
  int rc = PW_OK;
  while (!s->release) {
    if (job->cancelled && !s->ignore_cancel) {
      rc = PW_ECANCELED;
      break;
    }
    if (pw_time_monotonic_ns() >= deadline) {
      rc = PW_ETIMEDOUT;
      break;
    }
    pw_cond_wait_ms(&s->cond, &s->lock, 20);
  }
  *flag = 0;
  pw_cond_broadcast(&s->cond);
  return rc;
}

static int bd_write(pw_dest_job *job, const void *buf, size_t len) {
  blockdest_state *s = &g_blockdest;
  (void)buf;
  pw_mutex_lock(&s->lock);
  s->writes++;
  int rc = s->block_writes ? wait_blocked(job, &s->in_write) : PW_OK;
  if (rc == PW_OK && s->write_error) {
    rc = s->write_error;
    s->write_error = 0;
  }
  if (rc == PW_OK)
    s->bytes += len;
  pw_mutex_unlock(&s->lock);
  return rc;
}

static int bd_read(pw_dest_job *job, void *buf, size_t len, size_t *nread) {
  blockdest_state *s = &g_blockdest;
  pw_mutex_lock(&s->lock);
  s->reads++;
  int rc = PW_OK;
  if (!s->read_avail)
    rc = wait_blocked(job, &s->in_read);
  size_t n = len < s->read_avail ? len : s->read_avail;
  memset(buf, 'S', n);
  s->read_avail -= n;
  *nread = rc == PW_OK ? n : 0;
  pw_mutex_unlock(&s->lock);
  return rc;
}

static void job_free(pw_dest_job *job) {
  blockdest_state *s = &g_blockdest;
  pw_mutex_lock(&s->lock);
  s->live_jobs--;
  if (g_job == job) {
    g_job = NULL;
    s->last_start = NULL;
  }
  pw_cond_broadcast(&s->cond);
  pw_mutex_unlock(&s->lock);
  free(job);
}

static int bd_commit(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                     size_t errlen) {
  (void)errbuf;
  (void)errlen;
  if (final && cap)
    strncpy(final, "blockdest", cap - 1);
  pw_mutex_lock(&g_blockdest.lock);
  g_blockdest.commits++;
  pw_mutex_unlock(&g_blockdest.lock);
  job_free(job);
  return PW_OK;
}

static void bd_abort(pw_dest_job *job) {
  pw_mutex_lock(&g_blockdest.lock);
  g_blockdest.aborts++;
  pw_mutex_unlock(&g_blockdest.lock);
  job_free(job);
}

static void bd_cancel(pw_dest_job *job) {
  pw_mutex_lock(&g_blockdest.lock);
  g_blockdest.cancels++;
  job->cancelled = 1;
  pw_cond_broadcast(&g_blockdest.cond);
  pw_mutex_unlock(&g_blockdest.lock);
}

static void bd_set_timeouts(pw_dest_job *job, const pw_timeouts *t) {
  (void)job;
  pw_mutex_lock(&g_blockdest.lock);
  g_blockdest.set_timeouts_calls++;
  g_blockdest.last_set_timeouts = *t;
  pw_mutex_unlock(&g_blockdest.lock);
}

const pw_dest_ops blockdest_ops = {
    .kind = PW_DEST_FILE,
    .flags = PW_DEST_HAS_BACKCHANNEL | PW_DEST_WRITE_RETRYABLE,
    .start = bd_start,
    .write = bd_write,
    .read = bd_read,
    .commit = bd_commit,
    .abort = bd_abort,
    .cancel = bd_cancel,
    .set_timeouts = bd_set_timeouts,
};

/* The same, without the promise that a transient write failure delivered
 * nothing. */
const pw_dest_ops blockdest_ops_strict = {
    .kind = PW_DEST_FILE,
    .flags = PW_DEST_HAS_BACKCHANNEL,
    .start = bd_start,
    .write = bd_write,
    .read = bd_read,
    .commit = bd_commit,
    .abort = bd_abort,
    .cancel = bd_cancel,
    .set_timeouts = bd_set_timeouts,
};

static int g_initialised;

void blockdest_install(void) {
  if (!g_initialised) {
    pw_mutex_init(&g_blockdest.lock);
    pw_cond_init(&g_blockdest.cond);
    g_initialised = 1;
  }
  pw_mutex_lock(&g_blockdest.lock);
  g_blockdest.block_writes = g_blockdest.ignore_cancel = 0;
  g_blockdest.start_error = g_blockdest.release = 0;
  g_blockdest.write_error = 0;
  g_blockdest.read_avail = 0;
  g_blockdest.starts = g_blockdest.writes = g_blockdest.reads = 0;
  g_blockdest.commits = g_blockdest.aborts = g_blockdest.cancels = 0;
  g_blockdest.live_jobs = 0;
  g_blockdest.in_write = g_blockdest.in_read = 0;
  g_blockdest.bytes = 0;
  memset(&g_blockdest.start_timeouts, 0, sizeof g_blockdest.start_timeouts);
  memset(&g_blockdest.last_set_timeouts, 0,
         sizeof g_blockdest.last_set_timeouts);
  g_blockdest.set_timeouts_calls = 0;
  g_blockdest.last_start = NULL;
  pw_mutex_unlock(&g_blockdest.lock);
  pw_dest_override_for_tests(PW_DEST_FILE, &blockdest_ops);
}

void blockdest_uninstall(void) {
  pw_dest_override_for_tests(PW_DEST_FILE, NULL);
}

int blockdest_wait(int (*cond)(const blockdest_state *s)) {
  uint64_t deadline = pw_time_monotonic_ns() + 5000ull * 1000000ull;
  pw_mutex_lock(&g_blockdest.lock);
  int ok;
  while (!(ok = cond(&g_blockdest)) && pw_time_monotonic_ns() < deadline)
    pw_cond_wait_ms(&g_blockdest.cond, &g_blockdest.lock, 20);
  pw_mutex_unlock(&g_blockdest.lock);
  return ok;
}

void blockdest_release(void) {
  pw_mutex_lock(&g_blockdest.lock);
  g_blockdest.release = 1;
  pw_cond_broadcast(&g_blockdest.cond);
  pw_mutex_unlock(&g_blockdest.lock);
}

void blockdest_report(pw_port_status_code code, pw_port_severity sev,
                      const char *text) {
  pw_mutex_lock(&g_blockdest.lock);
  const pw_dest_start *st = g_blockdest.last_start;
  pw_mutex_unlock(&g_blockdest.lock);
  if (st) {
    pw_port_status status = {code, sev, text};
    st->report_status(st->status_ctx, &status);
  }
}
