/* portway — port handles and the job state machine.
 *
 *   OpenPort -> [StartDocPort -> WritePort* -> EndDocPort]* -> ClosePort
 *
 *   IDLE --start_doc--> STARTING --ok--> ACTIVE --write ok--> ACTIVE
 *                          |               |  \--write fails--> POISONED
 *                          |               |     (fatal error; a transient
 *                          |               |      one leaves it ACTIVE)
 *                        fails         end_doc                     |
 *                          v               v                   end_doc
 *                        IDLE   <----   ENDING (commit)   (discard, fail)
 *
 * Why a poisoned state: winprint still calls EndDocPort after a failed
 * WritePort; a job with a hole in it must not then be delivered.
 *
 * Locking (destination contract v2, dest.h): the handle lock guards the
 * state and is never held across destination I/O. A thread entering the
 * destination (start, write, read, commit, abort) counts itself in `io`
 * and drops the lock; ClosePort and Shutdown mark the handle closed, cancel
 * the I/O (the destination's cancel plus the job's pw_cancel token) and
 * wait a bounded time for `io` to reach zero. If it does not, they return
 * anyway and the last I/O call to come back aborts the job ("last one out").
 * A write and a read may be in flight together (a language monitor's status
 * reader beside the spooler's writer); two writes or two reads may not.
 *
 * Contract answers (Wine's localmon conformance test; see
 * docs/entry-points.md): a second StartDocPort while a document is open
 * succeeds and the open job continues; EndDocPort with no open document
 * succeeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cancel.h"
#include "core/errbuf.h"
#include "core/dest.h"
#include "core/handle_table.h"
#include "core/monitor_internal.h"
#include "portway/pattern.h"

typedef enum job_state {
  JOB_IDLE,
  JOB_STARTING,
  JOB_ACTIVE,
  JOB_POISONED,
  JOB_ENDING
} job_state;

typedef struct pw_port_handle {
  pw_ref ref;
  pw_mutex lock;   /* guards everything below */
  pw_cond io_done; /* broadcast whenever io drops */
  pw_monitor *mon;
  pw_port *port; /* one reference */
  job_state state;
  int closed;  /* set by ClosePort/Shutdown; later calls fail */
  unsigned io; /* threads inside a destination call */
  int writing; /* a write is in flight */
  int reading; /* a read is in flight */
  int poison_err;
  /* A write failed transiently and was not written again yet: its bytes
   * are missing, so EndDocPort now would deliver a job with a hole. */
  size_t unsent;
  int unsent_err;
  const pw_dest_ops *ops;
  pw_dest_job *dj;
  pw_config_ref *job_cfg; /* the configuration the job started with */
  pw_cancel cancel;       /* signalled by ClosePort / Shutdown */
  pw_timeouts timeouts;   /* SetPortTimeOuts; 0 = the port's default */
  char *printer, *doc;
  uint32_t job_id;
  uint64_t bytes;
  uint64_t started_ns;
  char last_output[PW_MAX_PATH + PW_MAX_FILENAME + 8];
} pw_port_handle;

/* Log-safe copy of a caller-supplied string (document names are hostile). */
#define FIELD(buf, s) pw_log_field((buf), sizeof(buf), (s))

static void port_handle_destroy(pw_ref *ref) {
  pw_port_handle *ph = PW_CONTAINER_OF(ref, pw_port_handle, ref);
  pw_port_release(ph->port);
  pw_monitor_release(ph->mon);
  pw_cancel_destroy(&ph->cancel);
  pw_cond_destroy(&ph->io_done);
  pw_mutex_destroy(&ph->lock);
  free(ph);
}

/* Forget the job's bookkeeping (lock held). */
static void job_reset(pw_port_handle *ph) {
  pw_config_ref_release(ph->job_cfg);
  ph->job_cfg = NULL;
  free(ph->printer);
  free(ph->doc);
  ph->printer = ph->doc = NULL;
  ph->dj = NULL;
  ph->ops = NULL;
  ph->state = JOB_IDLE;
  ph->poison_err = PW_OK;
  ph->unsent = 0;
  ph->bytes = 0;
}

/* Abort an active or poisoned job (lock held, no I/O in flight). */
static void job_abort(pw_port_handle *ph, const char *why) {
  char doc[160];
  if (ph->state != JOB_ACTIVE && ph->state != JOB_POISONED)
    return;
  ph->ops->abort(ph->dj);
  pw_log_write(ph->mon->log, PW_LOG_WARN,
               "port=%s job=%u doc=\"%s\": aborted (%s), %llu bytes discarded",
               ph->port->name, ph->job_id, FIELD(doc, ph->doc), why,
               (unsigned long long)ph->bytes);
  job_reset(ph);
}

/* ---- I/O accounting (lock held) ---- */

static void io_enter(pw_port_handle *ph) {
  ph->io++;
  pw_monitor_io_enter(ph->mon);
}

/* Leave the destination; the last one out of a closed handle aborts what
 * is left of the job (ClosePort stopped waiting for it). */
static void io_leave(pw_port_handle *ph) {
  ph->io--;
  if (ph->closed && ph->io == 0)
    job_abort(ph, "port closed during destination I/O");
  pw_cond_broadcast(&ph->io_done);
  pw_monitor_io_leave(ph->mon);
}

/* Wait until no other thread is in the destination, at most `ms`. */
static int io_wait(pw_port_handle *ph, unsigned allowed, uint32_t ms) {
  uint64_t deadline = pw_time_monotonic_ns() + (uint64_t)ms * 1000000u;
  while (ph->io > allowed) {
    uint64_t now = pw_time_monotonic_ns();
    if (now >= deadline)
      return PW_ETIMEDOUT;
    pw_cond_wait_ms(&ph->io_done, &ph->lock,
                    (uint32_t)((deadline - now + 999999u) / 1000000u));
  }
  return PW_OK;
}

static int handle_get(pw_handle h, pw_port_handle **out) {
  pw_ref *ref;
  int rc = pw_handle_get(h, PW_HANDLE_PORT, &ref);
  if (rc == PW_OK)
    *out = PW_CONTAINER_OF(ref, pw_port_handle, ref);
  return rc;
}

/* Look the handle up, check the caller's arguments (args_ok) and lock it;
 * PW_OK with the lock and a reference held (handle_unlock drops both), or
 * an error with neither. */
static int handle_lock(pw_handle h, int args_ok, pw_port_handle **out) {
  pw_port_handle *ph;
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  if (!args_ok) {
    pw_ref_release(&ph->ref);
    return PW_EINVAL;
  }
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    pw_mutex_unlock(&ph->lock);
    pw_ref_release(&ph->ref);
    return PW_EBADHANDLE;
  }
  *out = ph;
  return PW_OK;
}

static void handle_unlock(pw_port_handle *ph) {
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(&ph->ref);
}

/* ---- status ---- */

static void report_status_cb(void *ctx, const pw_port_status *status) {
  pw_port_handle *ph = ctx;
  pw_port_report_status(ph->mon, ph->port, status);
}

/* A failure the port's users should see (no lock held). */
static void report_failure(pw_port_handle *ph, int rc, const char *what) {
  char text[200];
  if (rc == PW_ECANCELED)
    return; /* ClosePort / Shutdown: not the device's fault */
  snprintf(text, sizeof text, "%s: %s", what, pw_strerror(rc));
  pw_port_status st = {PW_PORT_STATUS_OFFLINE, PW_PORT_SEVERITY_WARNING, text};
  pw_port_report_status(ph->mon, ph->port, &st);
}

static void report_ok(pw_port_handle *ph) {
  pw_port_status st = {PW_PORT_STATUS_OK, PW_PORT_SEVERITY_NONE, NULL};
  pw_port_report_status(ph->mon, ph->port, &st);
}

/* ---- time-outs ---- */

static pw_timeouts effective_timeouts(const pw_timeouts *set,
                                      const pw_port_config *cfg) {
  uint32_t io = cfg->timeout_ms ? cfg->timeout_ms : PW_DEFAULT_IO_TIMEOUT_MS;
  uint32_t connect = cfg->connect_timeout_ms ? cfg->connect_timeout_ms
                                             : PW_DEFAULT_CONNECT_TIMEOUT_MS;
  pw_timeouts t = {set->connect_ms ? set->connect_ms : connect,
                   set->read_ms ? set->read_ms : io,
                   set->write_ms ? set->write_ms : io};
  return t;
}

/* ---- handles ---- */

/* Mark closed and cancel whatever I/O is in flight (lock held). */
static void close_and_cancel(pw_port_handle *ph) {
  ph->closed = 1;
  if (ph->io > 0) {
    pw_cancel_request(&ph->cancel);
    /* Not while ENDING: commit/abort free the job as they return, so only
     * the token reaches them (dest.h). */
    if (ph->dj && ph->ops && ph->ops->cancel &&
        (ph->state == JOB_ACTIVE || ph->state == JOB_POISONED))
      ph->ops->cancel(ph->dj);
  }
}

/* Shutdown's close (pw_handle_close_fn): cancel without waiting here; the
 * monitor waits once for all of its handles (pw_monitor_destroy). */
static void port_handle_close_nowait(pw_ref *obj) {
  pw_port_handle *ph = PW_CONTAINER_OF(obj, pw_port_handle, ref);
  pw_mutex_lock(&ph->lock);
  close_and_cancel(ph);
  if (ph->io == 0)
    job_abort(ph, "monitor shut down");
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(obj);
}

int pw_port_open(pw_monitor *mon, const char *port_name, pw_handle *out) {
  pw_port *port = NULL;
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!port_name || !out)
    return PW_EINVAL;
  rc = pw_registry_find(mon, port_name, &port);
  if (rc != PW_OK)
    return rc;
  pw_port_handle *ph = calloc(1, sizeof *ph);
  if (!ph) {
    pw_port_release(port);
    return PW_ENOMEM;
  }
  pw_ref_init(&ph->ref, port_handle_destroy);
  pw_mutex_init(&ph->lock);
  pw_cond_init(&ph->io_done);
  pw_cancel_init(&ph->cancel);
  pw_monitor_acquire(mon);
  ph->mon = mon;
  ph->port = port;
  rc = pw_handle_alloc(PW_HANDLE_PORT, &ph->ref, mon, port_handle_close_nowait,
                       out);
  if (rc != PW_OK)
    pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_close(pw_handle h) {
  pw_ref *obj;
  int rc = pw_handle_free(h, PW_HANDLE_PORT, &obj);
  if (rc != PW_OK)
    return rc;
  pw_port_handle *ph = PW_CONTAINER_OF(obj, pw_port_handle, ref);
  pw_mutex_lock(&ph->lock);
  close_and_cancel(ph);
  /* Bounded: a destination that ignores cancel cannot hang the spooler.
   * Whoever leaves the destination last then aborts the job (io_leave). */
  if (io_wait(ph, 0, ph->mon->close_wait_ms) == PW_OK)
    job_abort(ph, "port closed without EndDocPort");
  else
    pw_log_write(ph->mon->log, PW_LOG_WARN,
                 "port=%s: ClosePort returned while destination I/O was "
                 "still running; the job is aborted when it returns",
                 ph->port->name);
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(obj);
  return PW_OK;
}

/* ---- jobs ---- */

static int start_job(pw_port_handle *ph, const pw_doc_info *doc, char *why,
                     size_t whylen) {
  pw_config_ref *cref = pw_port_config_get(ph->port);
  const pw_dest_ops *ops = pw_dest_for_kind(cref->cfg->kind);
  if (!ops) {
    pw_config_ref_release(cref);
    snprintf(why, whylen, "%s ports are not supported yet",
             pw_dest_kind_name(cref->cfg->kind));
    return PW_ENOTSUP;
  }
  ph->job_cfg = cref;
  ph->ops = ops;
  ph->printer = pw_strdup(doc->printer);
  ph->doc = pw_strdup(doc->doc_name);
  ph->job_id = doc->job_id;
  if ((doc->printer && !ph->printer) || (doc->doc_name && !ph->doc))
    return PW_ENOMEM;
  pw_dest_start st = {
      .cfg = cref->cfg,
      .port = ph->port->name,
      .doc = doc,
      .timeouts = effective_timeouts(&ph->timeouts, cref->cfg),
      .cancel = &ph->cancel,
      .spool_dir = ph->mon->spool_dir,
      .report_status = report_status_cb,
      .status_ctx = ph,
  };
  pw_time_local(&st.when);
  ph->started_ns = pw_time_monotonic_ns();
  pw_cancel_reset(&ph->cancel);
  ph->state = JOB_STARTING;
  io_enter(ph);
  pw_mutex_unlock(&ph->lock);
  pw_dest_job *dj = NULL;
  int rc = ops->start(&st, &dj, why, whylen);
  pw_mutex_lock(&ph->lock);
  if (rc == PW_OK) {
    ph->dj = dj;
    ph->state = JOB_ACTIVE;
  } else {
    ph->state = JOB_IDLE; /* job_reset below, by the caller */
  }
  io_leave(ph); /* aborts the new job if ClosePort came meanwhile */
  if (rc == PW_OK && ph->closed)
    rc = PW_ECANCELED;
  return rc;
}

int pw_port_start_doc(pw_handle h, const pw_doc_info *doc) {
  pw_port_handle *ph;
  char why[256] = "", d1[160], d2[64], d3[160];
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  if (!doc) {
    pw_ref_release(&ph->ref);
    return PW_EINVAL;
  }
  /* Make the port current first (a store read: no handle lock held). A
   * store that cannot be read leaves the configuration we have. */
  int fresh = pw_registry_refresh(ph->mon, ph->port);
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (ph->state == JOB_ACTIVE || ph->state == JOB_POISONED) {
    /* Tolerated, as Windows' own monitors do: the open job continues. */
    rc = PW_OK;
    pw_log_write(ph->mon->log, PW_LOG_DEBUG,
                 "port=%s job=%u: StartDocPort while a document is open; the "
                 "open job continues",
                 ph->port->name, ph->job_id);
  } else if (ph->state != JOB_IDLE) {
    rc = PW_EBUSY; /* a concurrent StartDocPort/EndDocPort on one handle */
  } else if (fresh == PW_EPORTGONE || fresh == PW_ECANCELED) {
    rc = fresh;
    snprintf(why, sizeof why, "%s",
             fresh == PW_EPORTGONE ? "the port was deleted"
                                   : "the monitor is shutting down");
  } else {
    rc = start_job(ph, doc, why, sizeof why);
    if (rc == PW_OK) {
      pw_log_write(ph->mon->log, PW_LOG_DEBUG,
                   "port=%s job=%u doc=\"%s\" user=\"%s\" printer=\"%s\": "
                   "started",
                   ph->port->name, doc->job_id, FIELD(d1, doc->doc_name),
                   FIELD(d2, doc->user), FIELD(d3, doc->printer));
    } else if (ph->state == JOB_IDLE) {
      job_reset(ph);
    }
  }
  if (rc != PW_OK && rc != PW_EBADHANDLE && rc != PW_EBUSY)
    pw_log_write(ph->mon->log, PW_LOG_ERROR,
                 "port=%s job=%u doc=\"%s\" user=\"%s\": start failed: %s%s%s",
                 ph->port->name, doc->job_id, FIELD(d1, doc->doc_name),
                 FIELD(d2, doc->user), pw_strerror(rc), *why ? ": " : "", why);
  pw_mutex_unlock(&ph->lock);
  if (rc == PW_OK)
    ; /* success says nothing about the device yet: the first write does */
  else if (rc != PW_EBADHANDLE && rc != PW_EBUSY && rc != PW_EPORTGONE)
    report_failure(ph, rc, why[0] ? why : "cannot start the job");
  pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_write(pw_handle h, const void *buf, size_t len, size_t *written) {
  pw_port_handle *ph;
  char doc[160];
  if (written)
    *written = 0;
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  if (!written || (!buf && len)) {
    pw_ref_release(&ph->ref);
    return PW_EINVAL;
  }
  int failed = 0;
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (ph->state == JOB_IDLE) {
    rc = PW_ESTATE;
  } else if (ph->state == JOB_POISONED) {
    rc = PW_EABORTED;
  } else if (ph->state != JOB_ACTIVE || ph->writing) {
    rc = PW_EBUSY;
  } else if (len) {
    ph->writing = 1;
    io_enter(ph);
    pw_mutex_unlock(&ph->lock);
    rc = ph->ops->write(ph->dj, buf, len);
    /* The cause with the OS error of this thread's failing call, if any
     * ("I/O error (errno 5: Input/output error)"). */
    char cause[200] = "";
    if (rc != PW_OK)
      pw_errbuf_os(cause, sizeof cause, rc, "%s", pw_strerror(rc));
    pw_mutex_lock(&ph->lock);
    ph->writing = 0;
    if (rc == PW_OK) {
      ph->bytes += len;
      ph->unsent = 0; /* the caller wrote again after a transient failure */
      *written = len;
    } else if (ph->state == JOB_ACTIVE && pw_err_is_transient(rc) &&
               (ph->ops->flags & PW_DEST_WRITE_RETRYABLE) && !ph->closed) {
      /* Transient (time-out, device busy): by the contract nothing of
       * this buffer was delivered, so the job stays whole and the caller
       * may write the same bytes again (the spooler retries). Until it
       * does, EndDocPort discards the job. */
      failed = 1;
      ph->unsent = len;
      ph->unsent_err = rc;
      pw_log_write(ph->mon->log, PW_LOG_WARN,
                   "port=%s job=%u doc=\"%s\": write of %zu bytes failed "
                   "after %llu bytes: %s; the job stays open for a retry",
                   ph->port->name, ph->job_id, FIELD(doc, ph->doc), len,
                   (unsigned long long)ph->bytes, cause);
    } else if (ph->state == JOB_ACTIVE) {
      ph->state = JOB_POISONED;
      ph->poison_err = rc;
      failed = 1;
      pw_log_write(ph->mon->log, PW_LOG_ERROR,
                   "port=%s job=%u doc=\"%s\": write failed after %llu "
                   "bytes: %s; the job will be discarded",
                   ph->port->name, ph->job_id, FIELD(doc, ph->doc),
                   (unsigned long long)ph->bytes, cause);
    }
    io_leave(ph);
  }
  pw_mutex_unlock(&ph->lock);
  if (failed)
    report_failure(ph, rc, "write failed");
  pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_read(pw_handle h, void *buf, size_t len, size_t *nread) {
  pw_port_handle *ph;
  if (nread)
    *nread = 0;
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  if (!nread || (!buf && len)) {
    pw_ref_release(&ph->ref);
    return PW_EINVAL;
  }
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (ph->state != JOB_ACTIVE && ph->state != JOB_POISONED) {
    /* The back channel of the port's type decides; file has none. */
    pw_config_ref *cref = pw_port_config_get(ph->port);
    const pw_dest_ops *ops = pw_dest_for_kind(cref->cfg->kind);
    pw_config_ref_release(cref);
    rc = ops && (ops->flags & PW_DEST_HAS_BACKCHANNEL) ? PW_ESTATE : PW_ENOTSUP;
  } else if (!ph->ops->read || !(ph->ops->flags & PW_DEST_HAS_BACKCHANNEL)) {
    rc = PW_ENOTSUP;
  } else if (ph->reading) {
    rc = PW_EBUSY;
  } else {
    ph->reading = 1;
    io_enter(ph);
    pw_mutex_unlock(&ph->lock);
    rc = ph->ops->read(ph->dj, buf, len, nread);
    pw_mutex_lock(&ph->lock);
    ph->reading = 0;
    io_leave(ph);
  }
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(&ph->ref);
  return rc;
}

/* Commit or discard the job (lock held on entry and exit; dropped across
 * the destination call). */
static int end_job(pw_port_handle *ph, char *why, size_t whylen) {
  job_state was = ph->state;
  pw_dest_job *dj = ph->dj;
  ph->state = JOB_ENDING;
  io_enter(ph);
  pw_mutex_unlock(&ph->lock);
  int rc;
  if (was == JOB_POISONED) {
    ph->ops->abort(dj);
    rc = ph->poison_err;
  } else {
    rc = ph->ops->commit(dj, ph->last_output, sizeof ph->last_output, why,
                         whylen);
  }
  pw_mutex_lock(&ph->lock);
  ph->dj = NULL; /* freed by commit/abort either way */
  return rc;
}

/* May EndDocPort commit now (lock held; may wait, bounded, for a read in
 * flight, dropping the lock meanwhile)? */
static int ready_to_end(pw_port_handle *ph) {
  if ((ph->state != JOB_ACTIVE && ph->state != JOB_POISONED) || ph->writing)
    return 0;
  if (io_wait(ph, 0, ph->mon->close_wait_ms) != PW_OK || ph->closed)
    return 0;
  /* The lock was dropped while waiting: another call may have moved on. */
  return (ph->state == JOB_ACTIVE || ph->state == JOB_POISONED) && !ph->writing;
}

int pw_port_end_doc(pw_handle h) {
  pw_port_handle *ph;
  char why[256] = "", doc[160];
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  char *printer = NULL;
  uint32_t job_id = 0;
  int delivered = 0, ended = 0;
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (ph->state == JOB_IDLE) {
    rc = PW_OK; /* no open document: nothing to end (idempotent) */
  } else if (!ready_to_end(ph)) {
    /* Closed while we waited for a reader, or busy: a start or end running
     * on another thread, a write still running, a reader that did not
     * return in time. The job stays open; EndDocPort may be called again. */
    rc = ph->closed ? PW_EBADHANDLE : PW_EBUSY;
  } else {
    if (ph->unsent) {
      /* A transiently failed write was never written again. */
      ph->state = JOB_POISONED;
      ph->poison_err = ph->unsent_err;
    }
    int poisoned = ph->state == JOB_POISONED;
    rc = end_job(ph, why, sizeof why);
    ended = 1;
    double ms = (double)(pw_time_monotonic_ns() - ph->started_ns) / 1e6;
    if (poisoned) {
      pw_log_write(ph->mon->log, PW_LOG_WARN,
                   "port=%s job=%u doc=\"%s\": discarded after a failed "
                   "write (%s), %llu bytes",
                   ph->port->name, ph->job_id, FIELD(doc, ph->doc),
                   pw_strerror(rc), (unsigned long long)ph->bytes);
    } else if (rc == PW_OK) {
      pw_log_write(ph->mon->log, PW_LOG_INFO,
                   "port=%s job=%u doc=\"%s\": delivered %llu bytes to %s "
                   "(%.1f ms)",
                   ph->port->name, ph->job_id, FIELD(doc, ph->doc),
                   (unsigned long long)ph->bytes, ph->last_output, ms);
      printer = ph->printer;
      ph->printer = NULL;
      job_id = ph->job_id;
      delivered = 1;
    } else {
      ph->last_output[0] = '\0';
      pw_log_write(ph->mon->log, PW_LOG_ERROR,
                   "port=%s job=%u doc=\"%s\": delivery failed: %s%s%s",
                   ph->port->name, ph->job_id, FIELD(doc, ph->doc),
                   pw_strerror(rc), *why ? ": " : "", why);
    }
    job_reset(ph);
    io_leave(ph);
  }
  pw_monitor *mon = ph->mon;
  pw_mutex_unlock(&ph->lock);
  if (delivered)
    report_ok(ph);
  else if (ended && rc != PW_OK)
    report_failure(ph, rc, why[0] ? why : "delivery failed");
  /* Tell the spooler outside the handle lock: SetJob may call back. */
  if (delivered && printer && job_id && mon->hooks.job_delivered)
    mon->hooks.job_delivered(mon->hooks.ctx, mon, printer, job_id);
  free(printer);
  pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_set_timeouts(pw_handle h, const pw_timeouts *t) {
  pw_port_handle *ph;
  int rc = handle_lock(h, t != NULL, &ph);
  if (rc != PW_OK)
    return rc;
  ph->timeouts = *t;
  /* A running job takes the new values too (must not block). */
  if ((ph->state == JOB_ACTIVE || ph->state == JOB_POISONED) &&
      ph->ops->set_timeouts) {
    pw_timeouts eff = effective_timeouts(&ph->timeouts, ph->job_cfg->cfg);
    ph->ops->set_timeouts(ph->dj, &eff);
  }
  handle_unlock(ph);
  return PW_OK;
}

int pw_port_get_timeouts(pw_handle h, pw_timeouts *t) {
  pw_port_handle *ph;
  int rc = handle_lock(h, t != NULL, &ph);
  if (rc != PW_OK)
    return rc;
  pw_config_ref *cref = ph->job_cfg;
  if (cref)
    pw_ref_acquire(&cref->ref);
  else
    cref = pw_port_config_get(ph->port);
  *t = effective_timeouts(&ph->timeouts, cref->cfg);
  pw_config_ref_release(cref);
  handle_unlock(ph);
  return PW_OK;
}

int pw_port_last_output(pw_handle h, char *out, size_t cap) {
  pw_port_handle *ph;
  int rc = handle_lock(h, out && cap, &ph);
  if (rc != PW_OK)
    return rc;
  size_t n = strlen(ph->last_output);
  if (n == 0)
    rc = PW_ENOENT;
  else if (n >= cap)
    rc = PW_ENOBUFS;
  else
    memcpy(out, ph->last_output, n + 1);
  handle_unlock(ph);
  return rc;
}
