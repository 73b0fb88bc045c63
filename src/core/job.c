/* portway — the job state machine on a port handle (the handle itself:
 * port_handle.c).
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

#include "core/errbuf.h"
#include "core/port_handle.h"

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
      .timeouts = ph_effective_timeouts(&ph->timeouts, cref->cfg),
      .cancel = &ph->cancel,
      .spool_dir = ph->mon->spool_dir,
      .report_status = ph_report_status_cb,
      .status_ctx = ph,
  };
  pw_time_local(&st.when);
  ph->started_ns = pw_time_monotonic_ns();
  pw_cancel_reset(&ph->cancel);
  ph->state = JOB_STARTING;
  ph_io_enter(ph);
  pw_mutex_unlock(&ph->lock);
  pw_dest_job *dj = NULL;
  int rc = ops->start(&st, &dj, why, whylen);
  pw_mutex_lock(&ph->lock);
  if (rc == PW_OK) {
    ph->dj = dj;
    ph->state = JOB_ACTIVE;
  } else {
    ph->state = JOB_IDLE; /* ph_job_reset below, by the caller */
  }
  ph_io_leave(ph); /* aborts the new job if ClosePort came meanwhile */
  if (rc == PW_OK && ph->closed)
    rc = PW_ECANCELED;
  return rc;
}

int pw_port_start_doc(pw_handle h, const pw_doc_info *doc) {
  pw_port_handle *ph;
  char why[256] = "", d1[160], d2[64], d3[160];
  int rc = ph_get(h, &ph);
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
      ph_job_reset(ph);
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
    ph_report_failure(ph, rc, why[0] ? why : "cannot start the job");
  pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_write(pw_handle h, const void *buf, size_t len, size_t *written) {
  pw_port_handle *ph;
  char doc[160];
  if (written)
    *written = 0;
  int rc = ph_get(h, &ph);
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
    ph_io_enter(ph);
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
    ph_io_leave(ph);
  }
  pw_mutex_unlock(&ph->lock);
  if (failed)
    ph_report_failure(ph, rc, "write failed");
  pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_read(pw_handle h, void *buf, size_t len, size_t *nread) {
  pw_port_handle *ph;
  if (nread)
    *nread = 0;
  int rc = ph_get(h, &ph);
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
    ph_io_enter(ph);
    pw_mutex_unlock(&ph->lock);
    rc = ph->ops->read(ph->dj, buf, len, nread);
    pw_mutex_lock(&ph->lock);
    ph->reading = 0;
    ph_io_leave(ph);
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
  ph_io_enter(ph);
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
  if (ph_io_wait(ph, 0, ph->mon->close_wait_ms) != PW_OK || ph->closed)
    return 0;
  /* The lock was dropped while waiting: another call may have moved on. */
  return (ph->state == JOB_ACTIVE || ph->state == JOB_POISONED) && !ph->writing;
}

int pw_port_end_doc(pw_handle h) {
  pw_port_handle *ph;
  char why[1024] = "", doc[160];
  int rc = ph_get(h, &ph);
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
    ph_job_reset(ph);
    ph_io_leave(ph);
  }
  pw_monitor *mon = ph->mon;
  pw_mutex_unlock(&ph->lock);
  if (delivered)
    ph_report_ok(ph);
  else if (ended && rc != PW_OK)
    ph_report_failure(ph, rc, why[0] ? why : "delivery failed");
  /* Tell the spooler outside the handle lock: SetJob may call back. */
  if (delivered && printer && job_id && mon->hooks.job_delivered)
    mon->hooks.job_delivered(mon->hooks.ctx, mon, printer, job_id);
  free(printer);
  pw_ref_release(&ph->ref);
  return rc;
}
