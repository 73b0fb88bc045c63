/* portway — port handles: OpenPort and ClosePort, cancelling destination
 * I/O from another thread (ClosePort, Shutdown), counting threads in the
 * destination, the handle's time-outs (SetPortTimeOuts) and its status
 * reports. The job state machine on a handle is job.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/handle_table.h"
#include "core/port_handle.h"

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
void ph_job_reset(pw_port_handle *ph) {
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
void ph_job_abort(pw_port_handle *ph, const char *why) {
  char doc[160];
  if (ph->state != JOB_ACTIVE && ph->state != JOB_POISONED)
    return;
  ph->ops->abort(ph->dj);
  pw_log_write(ph->mon->log, PW_LOG_WARN,
               "port=%s job=%u doc=\"%s\": aborted (%s), %llu bytes discarded",
               ph->port->name, ph->job_id, FIELD(doc, ph->doc), why,
               (unsigned long long)ph->bytes);
  ph_job_reset(ph);
}

/* ---- I/O accounting (lock held) ---- */

void ph_io_enter(pw_port_handle *ph) {
  ph->io++;
  pw_monitor_io_enter(ph->mon);
}

/* Leave the destination; the last one out of a closed handle aborts what
 * is left of the job (ClosePort stopped waiting for it). */
void ph_io_leave(pw_port_handle *ph) {
  ph->io--;
  if (ph->closed && ph->io == 0)
    ph_job_abort(ph, "port closed during destination I/O");
  pw_cond_broadcast(&ph->io_done);
  pw_monitor_io_leave(ph->mon);
}

/* Wait until no other thread is in the destination, at most `ms`. */
int ph_io_wait(pw_port_handle *ph, unsigned allowed, uint32_t ms) {
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

int ph_get(pw_handle h, pw_port_handle **out) {
  pw_ref *ref;
  int rc = pw_handle_get(h, PW_HANDLE_PORT, &ref);
  if (rc == PW_OK)
    *out = PW_CONTAINER_OF(ref, pw_port_handle, ref);
  return rc;
}

/* Look the handle up, check the caller's arguments (args_ok) and lock it;
 * PW_OK with the lock and a reference held (ph_unlock drops both), or
 * an error with neither. */
int ph_lock(pw_handle h, int args_ok, pw_port_handle **out) {
  pw_port_handle *ph;
  int rc = ph_get(h, &ph);
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

void ph_unlock(pw_port_handle *ph) {
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(&ph->ref);
}

/* ---- status ---- */

void ph_report_status_cb(void *ctx, const pw_port_status *status) {
  pw_port_handle *ph = ctx;
  pw_port_report_status(ph->mon, ph->port, status);
}

/* A failure the port's users should see (no lock held). */
void ph_report_failure(pw_port_handle *ph, int rc, const char *what) {
  char text[200];
  if (rc == PW_ECANCELED)
    return; /* ClosePort / Shutdown: not the device's fault */
  snprintf(text, sizeof text, "%s: %s", what, pw_strerror(rc));
  pw_port_status st = {PW_PORT_STATUS_OFFLINE, PW_PORT_SEVERITY_WARNING, text};
  pw_port_report_status(ph->mon, ph->port, &st);
}

void ph_report_ok(pw_port_handle *ph) {
  pw_port_status st = {PW_PORT_STATUS_OK, PW_PORT_SEVERITY_NONE, NULL};
  pw_port_report_status(ph->mon, ph->port, &st);
}

/* ---- time-outs ---- */

pw_timeouts ph_effective_timeouts(const pw_timeouts *set,
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
  for (pw_bidi_query *q = ph->bidi; q; q = q->next)
    pw_cancel_request(&q->cancel);
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
    ph_job_abort(ph, "monitor shut down");
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
   * Whoever leaves the destination last then aborts the job (ph_io_leave). */
  if (ph_io_wait(ph, 0, ph->mon->close_wait_ms) == PW_OK)
    ph_job_abort(ph, "port closed without EndDocPort");
  else
    pw_log_write(ph->mon->log, PW_LOG_WARN,
                 "port=%s: ClosePort returned while destination I/O was "
                 "still running; the job is aborted when it returns",
                 ph->port->name);
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(obj);
  return PW_OK;
}

int pw_port_set_timeouts(pw_handle h, const pw_timeouts *t) {
  pw_port_handle *ph;
  int rc = ph_lock(h, t != NULL, &ph);
  if (rc != PW_OK)
    return rc;
  ph->timeouts = *t;
  /* A running job takes the new values too (must not block). */
  if ((ph->state == JOB_ACTIVE || ph->state == JOB_POISONED) &&
      ph->ops->set_timeouts) {
    pw_timeouts eff = ph_effective_timeouts(&ph->timeouts, ph->job_cfg->cfg);
    ph->ops->set_timeouts(ph->dj, &eff);
  }
  ph_unlock(ph);
  return PW_OK;
}

int pw_port_get_timeouts(pw_handle h, pw_timeouts *t) {
  pw_port_handle *ph;
  int rc = ph_lock(h, t != NULL, &ph);
  if (rc != PW_OK)
    return rc;
  pw_config_ref *cref = ph->job_cfg;
  if (cref)
    pw_ref_acquire(&cref->ref);
  else
    cref = pw_port_config_get(ph->port);
  *t = ph_effective_timeouts(&ph->timeouts, cref->cfg);
  pw_config_ref_release(cref);
  ph_unlock(ph);
  return PW_OK;
}

int pw_port_last_output(pw_handle h, char *out, size_t cap) {
  pw_port_handle *ph;
  int rc = ph_lock(h, out && cap, &ph);
  if (rc != PW_OK)
    return rc;
  size_t n = strlen(ph->last_output);
  if (n == 0)
    rc = PW_ENOENT;
  else if (n >= cap)
    rc = PW_ENOBUFS;
  else
    memcpy(out, ph->last_output, n + 1);
  ph_unlock(ph);
  return rc;
}
