/* portway — port handles and the job state machine.
 *
 *   OpenPort -> [StartDocPort -> WritePort* -> EndDocPort]* -> ClosePort
 *
 *   IDLE --start_doc--> ACTIVE --write ok--> ACTIVE
 *                         |  \--write fails--> POISONED --write--> POISONED
 *                         |                       |
 *                     end_doc (commit)        end_doc (discard, fail)
 *                         v                       v
 *                        IDLE                    IDLE
 *   ClosePort in ACTIVE or POISONED aborts the job (nothing under a final
 *   name).
 *
 * Why a poisoned state: winprint still calls EndDocPort after a failed
 * WritePort; a job with a hole in it must not then be delivered.
 *
 * Each handle has its own lock, held across destination I/O for that job
 * only; jobs on different handles (and ports) never contend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dest.h"
#include "core/handle_table.h"
#include "core/monitor_internal.h"
#include "portway/pattern.h"

typedef enum job_state { JOB_IDLE, JOB_ACTIVE, JOB_POISONED } job_state;

typedef struct pw_port_handle {
  pw_ref ref;
  pw_mutex lock; /* guards everything below */
  pw_monitor *mon;
  pw_port *port; /* one reference */
  job_state state;
  int closed; /* set by ClosePort/Shutdown; later calls fail */
  int poison_err;
  const pw_dest_ops *ops;
  pw_dest_job *dj;
  pw_config_ref *job_cfg; /* the configuration the job started with */
  char *printer, *doc;
  uint32_t job_id;
  uint64_t bytes;
  uint64_t started_ns;
  char last_output[PW_MAX_PATH + PW_MAX_FILENAME + 8];
} pw_port_handle;

static void port_handle_destroy(pw_ref *ref) {
  pw_port_handle *ph = PW_CONTAINER_OF(ref, pw_port_handle, ref);
  pw_port_release(ph->port);
  pw_monitor_release(ph->mon);
  pw_mutex_destroy(&ph->lock);
  free(ph);
}

static const char *or_unknown(const char *s) {
  return s ? s : "(unknown)";
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
  ph->bytes = 0;
}

/* Abort an active or poisoned job (lock held). */
static void job_abort(pw_port_handle *ph, const char *why) {
  if (ph->state == JOB_IDLE)
    return;
  ph->ops->abort(ph->dj);
  pw_log_write(ph->mon->log, PW_LOG_WARN,
               "port=%s job=%u doc=\"%s\": aborted (%s), %llu bytes discarded",
               ph->port->name, ph->job_id, or_unknown(ph->doc), why,
               (unsigned long long)ph->bytes);
  job_reset(ph);
}

static int handle_get(pw_handle h, pw_port_handle **out) {
  pw_ref *ref;
  int rc = pw_handle_get(h, PW_HANDLE_PORT, &ref);
  if (rc == PW_OK)
    *out = PW_CONTAINER_OF(ref, pw_port_handle, ref);
  return rc;
}

int pw_port_open(pw_monitor *mon, const char *port_name, pw_handle *out) {
  pw_port *port = NULL;
  if (!mon || mon->magic != PW_MONITOR_MAGIC || !port_name || !out)
    return PW_EINVAL;
  int rc = pw_registry_find(mon, port_name, &port);
  if (rc != PW_OK)
    return rc;
  pw_port_handle *ph = calloc(1, sizeof *ph);
  if (!ph) {
    pw_port_release(port);
    return PW_ENOMEM;
  }
  pw_ref_init(&ph->ref, port_handle_destroy);
  pw_mutex_init(&ph->lock);
  pw_monitor_acquire(mon);
  ph->mon = mon;
  ph->port = port;
  rc = pw_handle_alloc(PW_HANDLE_PORT, &ph->ref, mon, out);
  if (rc != PW_OK)
    pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_start_doc(pw_handle h, const pw_doc_info *doc) {
  pw_port_handle *ph;
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  if (!doc) {
    pw_ref_release(&ph->ref);
    return PW_EINVAL;
  }
  char why[256] = "";
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (ph->state != JOB_IDLE) {
    rc = PW_EBUSY;
    snprintf(why, sizeof why, "a job is already active on this handle");
  } else {
    ph->job_cfg = pw_port_config_get(ph->port);
    ph->ops = pw_dest_for_kind(ph->job_cfg->cfg->kind);
    ph->printer = pw_strdup(doc->printer);
    ph->doc = pw_strdup(doc->doc_name);
    ph->job_id = doc->job_id;
    if (!ph->ops) {
      rc = PW_ENOTSUP;
    } else if ((doc->printer && !ph->printer) || (doc->doc_name && !ph->doc)) {
      rc = PW_ENOMEM;
    } else {
      pw_dest_start st = {ph->job_cfg->cfg, ph->port->name, doc, {0}};
      pw_time_local(&st.when);
      ph->started_ns = pw_time_monotonic_ns();
      rc = ph->ops->start(&st, &ph->dj, why, sizeof why);
    }
    if (rc == PW_OK)
      ph->state = JOB_ACTIVE;
    if (rc == PW_OK) {
      pw_log_write(ph->mon->log, PW_LOG_DEBUG,
                   "port=%s job=%u doc=\"%s\" user=%s printer=%s: started",
                   ph->port->name, doc->job_id, or_unknown(doc->doc_name),
                   or_unknown(doc->user), or_unknown(doc->printer));
    } else {
      pw_log_write(ph->mon->log, PW_LOG_ERROR,
                   "port=%s job=%u doc=\"%s\" user=%s: start failed: %s%s%s",
                   ph->port->name, doc->job_id, or_unknown(doc->doc_name),
                   or_unknown(doc->user), pw_strerror(rc), *why ? ": " : "",
                   why);
      job_reset(ph);
    }
  }
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_write(pw_handle h, const void *buf, size_t len, size_t *written) {
  pw_port_handle *ph;
  if (written)
    *written = 0;
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  if (!written || (!buf && len)) {
    pw_ref_release(&ph->ref);
    return PW_EINVAL;
  }
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (ph->state == JOB_IDLE) {
    rc = PW_ESTATE;
  } else if (ph->state == JOB_POISONED) {
    rc = PW_EABORTED;
  } else if (len) {
    rc = ph->ops->write(ph->dj, buf, len);
    if (rc == PW_OK) {
      ph->bytes += len;
      *written = len;
    } else {
      ph->state = JOB_POISONED;
      ph->poison_err = rc;
      pw_log_write(ph->mon->log, PW_LOG_ERROR,
                   "port=%s job=%u doc=\"%s\": write failed after %llu "
                   "bytes: %s; the job will be discarded",
                   ph->port->name, ph->job_id, or_unknown(ph->doc),
                   (unsigned long long)ph->bytes, pw_strerror(rc));
    }
  }
  pw_mutex_unlock(&ph->lock);
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
  } else if (ph->state != JOB_ACTIVE) {
    /* The back channel of the port's type decides; file has none. */
    pw_config_ref *cref = pw_port_config_get(ph->port);
    const pw_dest_ops *ops = pw_dest_for_kind(cref->cfg->kind);
    pw_config_ref_release(cref);
    rc = ops && ops->read ? PW_ESTATE : PW_ENOTSUP;
  } else {
    rc = ph->ops->read ? ph->ops->read(ph->dj, buf, len, nread) : PW_ENOTSUP;
  }
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(&ph->ref);
  return rc;
}

int pw_port_end_doc(pw_handle h) {
  pw_port_handle *ph;
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  char why[256] = "";
  char *printer = NULL;
  uint32_t job_id = 0;
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (ph->state == JOB_IDLE) {
    rc = PW_ESTATE;
  } else if (ph->state == JOB_POISONED) {
    rc = ph->poison_err;
    job_abort(ph, pw_strerror(rc));
  } else {
    rc = ph->ops->commit(ph->dj, ph->last_output, sizeof ph->last_output, why,
                         sizeof why);
    double ms = (double)(pw_time_monotonic_ns() - ph->started_ns) / 1e6;
    if (rc == PW_OK) {
      pw_log_write(ph->mon->log, PW_LOG_INFO,
                   "port=%s job=%u doc=\"%s\": delivered %llu bytes to %s "
                   "(%.1f ms)",
                   ph->port->name, ph->job_id, or_unknown(ph->doc),
                   (unsigned long long)ph->bytes, ph->last_output, ms);
      printer = ph->printer;
      ph->printer = NULL;
      job_id = ph->job_id;
    } else {
      ph->last_output[0] = '\0';
      pw_log_write(ph->mon->log, PW_LOG_ERROR,
                   "port=%s job=%u doc=\"%s\": delivery failed: %s%s%s",
                   ph->port->name, ph->job_id, or_unknown(ph->doc),
                   pw_strerror(rc), *why ? ": " : "", why);
    }
    job_reset(ph);
  }
  pw_monitor *mon = ph->mon;
  pw_mutex_unlock(&ph->lock);
  /* Tell the spooler outside the handle lock: SetJob may call back. */
  if (rc == PW_OK && printer && job_id && mon->hooks.job_delivered)
    mon->hooks.job_delivered(mon->hooks.ctx, mon, printer, job_id);
  free(printer);
  pw_ref_release(&ph->ref);
  return rc;
}

void pw_job_handle_close(pw_ref *obj) {
  pw_port_handle *ph = PW_CONTAINER_OF(obj, pw_port_handle, ref);
  pw_mutex_lock(&ph->lock);
  job_abort(ph, "port closed without EndDocPort");
  /* A call that looked the handle up just before it was freed waits for
   * this lock and then finds the handle closed: it never starts a job on a
   * port being closed or on a monitor being shut down. */
  ph->closed = 1;
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(obj);
}

int pw_port_close(pw_handle h) {
  pw_ref *obj;
  int rc = pw_handle_free(h, PW_HANDLE_PORT, &obj);
  if (rc == PW_OK)
    pw_job_handle_close(obj);
  return rc;
}

int pw_port_last_output(pw_handle h, char *out, size_t cap) {
  pw_port_handle *ph;
  int rc = handle_get(h, &ph);
  if (rc != PW_OK)
    return rc;
  pw_mutex_lock(&ph->lock);
  if (ph->closed) {
    rc = PW_EBADHANDLE;
  } else if (!out || !cap)
    rc = PW_EINVAL;
  else if (!ph->last_output[0])
    rc = PW_ENOENT;
  else if (strlen(ph->last_output) >= cap)
    rc = PW_ENOBUFS;
  else
    memcpy(out, ph->last_output, strlen(ph->last_output) + 1);
  pw_mutex_unlock(&ph->lock);
  pw_ref_release(&ph->ref);
  return rc;
}
