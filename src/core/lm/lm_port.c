/* portway — the language monitor's ports (portway/langmon.h): OpenPortEx
 * to ClosePort over the port monitor below, with the PJL job around each
 * document. The reader is lm_reader.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/handle_table.h"
#include "core/lm/lm_internal.h"
#include "core/strutil.h"

#define HANDLE_KIND_LM_PORT PW_HANDLE_LM_PORT

static void port_destroy(pw_ref *ref) {
  lm_port *p = PW_CONTAINER_OF(ref, lm_port, ref);
  if (!p->lower_closed && p->lower.close)
    p->lower.close(p->lower.ctx); /* never reached normally: close did */
  pw_lm *lm = p->lm;
  free(p->name);
  free(p->printer);
  free(p->job_printer);
  free(p->gather);
  pw_cond_destroy(&p->cond);
  pw_mutex_destroy(&p->lock);
  free(p);
  pw_ref_release(&lm->ref);
}

void lm_port_release(lm_port *p) {
  pw_ref_release(&p->ref);
}

/* ---- calls ---- */

/* How long a spooler call waits for a query of the printer (Bidi,
 * GetPrinterDataFromPort) that runs on its port: the query's own bound
 * plus its reader's stop. */
#define LM_QUERY_WAIT_MS 8000u

/* Take a live port for a call: a new reference, counted in `calls` (the
 * lock is not held on return). A query of the printer running on the port
 * is waited for (bounded), so a StartDocPort is never refused because an
 * application asked for Bidi values. PW_EBADHANDLE, or PW_EBUSY when
 * another spooler call runs on it (the spooler calls one at a time per
 * port). */
int lm_enter(pw_handle h, lm_port **out) {
  pw_ref *obj;
  int rc = pw_handle_get(h, HANDLE_KIND_LM_PORT, &obj);
  if (rc != PW_OK)
    return rc;
  lm_port *p = PW_CONTAINER_OF(obj, lm_port, ref);
  pw_mutex_lock(&p->lock);
  uint64_t until =
      pw_time_monotonic_ns() + (uint64_t)LM_QUERY_WAIT_MS * 1000000u;
  while (p->querying && !p->closed && pw_time_monotonic_ns() < until)
    pw_cond_wait_ms(&p->cond, &p->lock, 100);
  if (p->closed)
    rc = PW_EBADHANDLE;
  else if (p->calls > 0)
    rc = PW_EBUSY;
  else
    p->calls++;
  pw_mutex_unlock(&p->lock);
  if (rc != PW_OK) {
    lm_port_release(p);
    return rc;
  }
  *out = p;
  return PW_OK;
}

void lm_leave(lm_port *p) {
  pw_mutex_lock(&p->lock);
  p->calls--;
  pw_cond_broadcast(&p->cond);
  pw_mutex_unlock(&p->lock);
  lm_port_release(p);
}

/* ---- open ---- */

static void close_lower(lm_port *p) {
  if (!p->lower_closed) {
    p->lower_closed = 1;
    p->lower.close(p->lower.ctx);
  }
}

/* Shutdown's close for a port handle (pw_handle_close_fn). */
static void port_close_fn(pw_ref *obj);

int pw_lm_open(pw_lm *lm, const char *port, const char *printer,
               const pw_lm_port_options *opt, const pw_lm_lower *lower,
               pw_handle *out) {
  if (out)
    *out = 0;
  if (!lower || !lower->close)
    return PW_EINVAL;
  if (!lm || !port || !opt || !out || !lower->start_doc || !lower->write ||
      !lower->read || !lower->end_doc) {
    lower->close(lower->ctx);
    return PW_EINVAL;
  }
  lm_port *p = calloc(1, sizeof *p);
  if (!p) {
    lower->close(lower->ctx);
    return PW_ENOMEM;
  }
  pw_ref_init(&p->ref, port_destroy);
  pw_mutex_init(&p->lock);
  pw_cond_init(&p->cond);
  pw_ref_acquire(&lm->ref);
  p->lm = lm;
  p->lower = *lower;
  p->opt = *opt;
  p->name = pw_strdup(port);
  p->printer = pw_strdup(printer);
  unsigned char r[3] = {0};
  (void)pw_random_bytes(r, sizeof r);
  snprintf(p->tag, sizeof p->tag, "PW%02X%02X%02X", r[0], r[1], r[2]);
  int rc = p->name && (p->printer || !printer) ? PW_OK : PW_ENOMEM;
  if (rc == PW_OK && p->opt.status && lower->set_read_timeout)
    (void)lower->set_read_timeout(lower->ctx, p->opt.poll_ms);
  if (rc == PW_OK)
    rc = pw_handle_alloc(HANDLE_KIND_LM_PORT, &p->ref, lm, port_close_fn, out);
  if (rc != PW_OK) {
    close_lower(p);
    lm_port_release(p);
    return rc;
  }
  pw_log_write(lm->log, PW_LOG_DEBUG, "port=%s printer=\"%s\": opened", p->name,
               printer ? printer : "");
  return PW_OK;
}

/* ---- jobs ---- */

int pw_lm_start_doc(pw_handle h, const char *printer, uint32_t job_id,
                    const char *doc_name, const void *lower_arg) {
  lm_port *p;
  int rc = lm_enter(h, &p);
  if (rc != PW_OK)
    return rc;
  if (p->in_job) { /* tolerated, as portway.dll does: the job continues */
    lm_leave(p);
    return PW_OK;
  }
  rc = p->lower.start_doc(p->lower.ctx, printer, job_id, doc_name, lower_arg);
  pw_mutex_lock(&p->lock);
  if (rc == PW_OK) {
    p->in_job = 1;
    p->seq++;
    p->job_id = job_id;
    free(p->job_printer);
    p->job_printer = pw_strdup(printer);
    p->framed = p->opt.framing;
    p->header_pending = p->framed;
    p->broken = 0;
    p->bytes = 0;
    p->gathered = 0;
    p->eoj_seen = 0;
    p->eoj_pages = -1;
    pw_pjl_uel_init(&p->uel);
    if (pw_pjl_job_name(p->job_name, sizeof p->job_name, NULL, p->tag, p->seq,
                        doc_name) != PW_OK)
      snprintf(p->job_name, sizeof p->job_name, "%s-%u", p->tag, p->seq);
    /* Status only where it means something: a framed job asks for it. */
    if (p->framed && p->opt.status && lm_reader_start(p) != PW_OK)
      pw_log_write(p->lm->log, PW_LOG_WARN,
                   "port=%s job=%u: cannot start the status reader", p->name,
                   job_id);
  }
  pw_mutex_unlock(&p->lock);
  if (rc != PW_OK)
    pw_log_write(p->lm->log, PW_LOG_ERROR,
                 "port=%s job=%u: the port monitor's StartDocPort failed: %s",
                 p->name, job_id, pw_strerror(rc));
  lm_leave(p);
  return rc;
}

/* Everything or an error, into the port monitor. */
int lm_send_all(lm_port *p, const void *buf, size_t len) {
  size_t w = 0;
  int rc = len ? p->lower.write(p->lower.ctx, buf, len, &w) : PW_OK;
  if (rc == PW_OK && w != len)
    rc = PW_EIO;
  if (rc != PW_OK)
    p->broken = 1;
  return rc;
}

/* The spooler writes 4 KB at a time; a port monitor below that sends each
 * write on its own (portway's socket port does, once its back channel is
 * read; under Wine each send is a wineserver round trip) would run at a
 * few percent of its speed. So the job's bytes - header, document, end -
 * are gathered here into LM_GATHER_BYTES writes, as portway's destinations
 * gather theirs: taken bytes are the job's, and EndDocPort fails the job
 * if they cannot be sent. */
#define LM_GATHER_BYTES 262144u

static int job_flush(lm_port *p) {
  if (p->gathered == 0)
    return PW_OK;
  int rc = lm_send_all(p, p->gather, p->gathered);
  p->gathered = 0; /* on failure the job is broken anyway */
  return rc;
}

static int job_out(lm_port *p, const void *buf, size_t len) {
  if (len == 0)
    return PW_OK; /* an empty WritePort (buf may be NULL) */
  if (!p->gather && !(p->gather = malloc(LM_GATHER_BYTES)))
    return lm_send_all(p, buf, len); /* no memory: unbuffered */
  if (p->gathered + len > LM_GATHER_BYTES) {
    int rc = job_flush(p);
    if (rc != PW_OK)
      return rc;
  }
  if (len >= LM_GATHER_BYTES)
    return lm_send_all(p, buf, len);
  memcpy(p->gather + p->gathered, buf, len);
  p->gathered += len;
  return PW_OK;
}

static int send_header(lm_port *p) {
  char hdr[PW_PJL_HEADER_MAX];
  size_t len = 0;
  pw_pjl_job_opts jo = {
      p->job_name, p->opt.page_status ? PW_PJL_USTATUS_PAGE : 0u, p->opt.timed};
  int rc = pw_pjl_job_header(&jo, hdr, sizeof hdr, &len);
  return rc == PW_OK ? job_out(p, hdr, len) : rc;
}

/* The UEL test decided (or the document ended): the header unless the
 * document brings its own PJL, then the bytes held back meanwhile. */
static int release_held(lm_port *p, size_t held) {
  p->header_pending = 0;
  if (p->uel.state == PW_PJL_UEL_PRESENT && !p->opt.wrap_uel) {
    p->framed = 0; /* its own job language: pass it through */
    pw_log_write(p->lm->log, PW_LOG_DEBUG,
                 "port=%s job=%u: the document starts with a UEL: passed "
                 "through unwrapped",
                 p->name, p->job_id);
  } else {
    int rc = send_header(p);
    if (rc != PW_OK)
      return rc;
  }
  return job_out(p, PW_PJL_UEL, held);
}

int pw_lm_write(pw_handle h, const void *buf, size_t len, size_t *written) {
  if (written)
    *written = 0;
  if (!written || (!buf && len))
    return PW_EINVAL;
  lm_port *p;
  int rc = lm_enter(h, &p);
  if (rc != PW_OK)
    return rc;
  if (!p->in_job) {
    rc = PW_ESTATE;
  } else if (p->broken) {
    rc = PW_EIO;
  } else if (p->header_pending) {
    /* Bytes the UEL test holds are taken (counted written); they go out
     * once it decides, or at EndDocPort. */
    size_t held = p->uel.matched;
    pw_pjl_uel_state st = pw_pjl_uel_feed(&p->uel, buf, len);
    if (st != PW_PJL_UEL_UNDECIDED) {
      rc = release_held(p, held);
      if (rc == PW_OK)
        rc = job_out(p, buf, len);
    }
  } else {
    rc = job_out(p, buf, len);
  }
  if (rc == PW_OK) {
    *written = len;
    p->bytes += len;
  }
  lm_leave(p);
  return rc;
}

int pw_lm_read(pw_handle h, void *buf, size_t cap, size_t *got) {
  if (got)
    *got = 0;
  if (!got || (!buf && cap))
    return PW_EINVAL;
  lm_port *p;
  int rc = lm_enter(h, &p);
  if (rc != PW_OK)
    return rc;
  pw_mutex_lock(&p->lock);
  int reading = p->reader_state == READER_RUNNING;
  pw_mutex_unlock(&p->lock);
  /* The status reader owns the back channel while it runs. */
  rc = reading ? PW_EBUSY : p->lower.read(p->lower.ctx, buf, cap, got);
  lm_leave(p);
  return rc;
}

/* Wait (lock held) until the printer echoed this job's end, the reader
 * ended, the port was closed or eoj_wait passed. */
static void wait_for_end_echo(lm_port *p) {
  uint64_t until =
      pw_time_monotonic_ns() + (uint64_t)p->opt.eoj_wait_ms * 1000000u;
  while (!p->eoj_seen && !p->closed && p->reader_state == READER_RUNNING) {
    uint64_t now = pw_time_monotonic_ns();
    if (now >= until)
      break;
    uint64_t left = (until - now) / 1000000u + 1u;
    pw_cond_wait_ms(&p->cond, &p->lock, left > 1000u ? 1000u : (uint32_t)left);
  }
}

void lm_wait_for_first_read(lm_port *p) {
  pw_mutex_lock(&p->lock);
  uint64_t until = pw_time_monotonic_ns() +
                   ((uint64_t)p->opt.poll_ms * 2u + 500u) * 1000000u;
  while (p->reader && p->reader_state == READER_RUNNING && p->reads_done == 0 &&
         !p->closed) {
    uint64_t now = pw_time_monotonic_ns();
    if (now >= until)
      break;
    pw_cond_wait_ms(&p->cond, &p->lock,
                    (uint32_t)((until - now) / 1000000u) + 1u);
  }
  pw_mutex_unlock(&p->lock);
}

int pw_lm_end_doc(pw_handle h) {
  lm_port *p;
  int rc = lm_enter(h, &p);
  if (rc != PW_OK)
    return rc;
  if (!p->in_job) {
    lm_leave(p);
    return PW_OK; /* nothing to end (idempotent) */
  }
  int sent = p->broken ? PW_EIO : PW_OK;
  if (sent == PW_OK && p->header_pending) {
    size_t held = p->uel.matched;
    (void)pw_pjl_uel_finish(&p->uel);
    sent = release_held(p, held);
  }
  if (sent == PW_OK && p->framed) {
    char tr[PW_PJL_TRAILER_MAX];
    size_t len = 0;
    sent = pw_pjl_job_trailer(p->job_name, tr, sizeof tr, &len);
    if (sent == PW_OK)
      sent = job_out(p, tr, len);
    /* A port monitor may hold written bytes back until someone reads its
     * back channel (portway's socket ports gather writes until then): the
     * reader's first ReadPort has returned before the end goes out, so the
     * end, and with it the job, reaches the printer now, not at the port
     * monitor's EndDocPort - after which no echo could come back. */
    if (sent == PW_OK)
      lm_wait_for_first_read(p);
  }
  int flushed = job_flush(p);
  if (sent == PW_OK)
    sent = flushed;
  pw_mutex_lock(&p->lock);
  /* Only a job we named can be echoed back by that name. */
  if (sent == PW_OK && p->reader && p->framed)
    wait_for_end_echo(p);
  int confirmed = p->eoj_seen;
  long pages = p->eoj_pages;
  (void)lm_reader_stop(p, p->opt.poll_ms * 2u + p->lm->close_wait_ms);
  p->in_job = 0;
  uint32_t job_id = p->job_id;
  char *printer = p->job_printer;
  p->job_printer = NULL;
  int framed = p->framed;
  unsigned long long bytes = p->bytes;
  pw_mutex_unlock(&p->lock);
  lm_status_flush(p);
  rc = p->lower.end_doc(p->lower.ctx);
  if (sent != PW_OK)
    rc = sent;
  pw_log_write(p->lm->log, rc == PW_OK ? PW_LOG_INFO : PW_LOG_ERROR,
               "port=%s job=%u: %s %llu bytes%s%s; %s", p->name, job_id,
               rc == PW_OK ? "sent" : "failed after", bytes,
               framed ? " in PJL job " : " unwrapped",
               framed ? p->job_name : "",
               rc != PW_OK ? pw_strerror(rc)
               : confirmed ? "the printer confirmed its end"
                           : "its end was not confirmed by the printer");
  if (confirmed && pages >= 0)
    pw_log_write(p->lm->log, PW_LOG_INFO, "port=%s job=%u: %ld page(s)",
                 p->name, job_id, pages);
  const pw_lm_hooks *hk = &p->lm->hooks;
  if (rc == PW_OK && hk->job_done)
    hk->job_done(hk->ctx, p->lm, p->name, printer, job_id, confirmed, pages);
  free(printer);
  lm_leave(p);
  return rc;
}

/* ---- close ---- */

/* Stop everything (the handle is already invalid; lock not held). */
static void shut(lm_port *p) {
  pw_mutex_lock(&p->lock);
  p->closed = 1;
  pw_cond_broadcast(&p->cond);
  int was_job = p->in_job;
  /* The port monitor's ClosePort comes after the reader stopped (or gave
   * up): a ReadPort in flight then returns (portway's ports cancel it). */
  (void)lm_reader_stop(p, p->opt.poll_ms * 2u + p->lm->close_wait_ms);
  /* A call still running (a write into a stuck port monitor) gets a
   * bounded wait; the port monitor's ClosePort then aborts it. */
  uint64_t until =
      pw_time_monotonic_ns() + (uint64_t)p->lm->close_wait_ms * 1000000u;
  while (p->calls > 0 && pw_time_monotonic_ns() < until)
    pw_cond_wait_ms(&p->cond, &p->lock, 50);
  p->in_job = 0;
  /* Status belongs to an open port: cleared as it closes. */
  p->want_code = PW_PORT_STATUS_OK;
  p->want_sev = PW_PORT_SEVERITY_NONE;
  p->want_text[0] = '\0';
  pw_mutex_unlock(&p->lock);
  lm_status_flush(p);
  close_lower(p);
  if (was_job)
    pw_log_write(p->lm->log, PW_LOG_WARN,
                 "port=%s job=%u: closed without EndDocPort: the job was "
                 "abandoned",
                 p->name, p->job_id);
}

static void port_close_fn(pw_ref *obj) {
  lm_port *p = PW_CONTAINER_OF(obj, lm_port, ref);
  shut(p);
  lm_port_release(p);
}

int pw_lm_close(pw_handle h) {
  pw_ref *obj;
  int rc = pw_handle_free(h, HANDLE_KIND_LM_PORT, &obj);
  if (rc != PW_OK)
    return rc;
  port_close_fn(obj);
  return PW_OK;
}

int pw_lm_get_info(pw_handle h, pw_lm_info *out) {
  if (!out)
    return PW_EINVAL;
  pw_ref *obj;
  int rc = pw_handle_get(h, HANDLE_KIND_LM_PORT, &obj);
  if (rc != PW_OK)
    return rc;
  lm_port *p = PW_CONTAINER_OF(obj, lm_port, ref);
  pw_mutex_lock(&p->lock);
  *out = p->info;
  pw_mutex_unlock(&p->lock);
  lm_port_release(p);
  return PW_OK;
}
