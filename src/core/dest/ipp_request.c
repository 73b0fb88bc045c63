/* portway — the IPP destination's protocol steps (ipp_job.h): the requests
 * a job is made of, each one HTTP exchange (ipp_exchange.c) on the job's
 * connection, and the back-off for a busy printer. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dest/ipp_job.h"
#include "core/errbuf.h"
#include "core/ipp.h"
#include "portway/error.h"

int pw_ippj_connect(pw_dest_job *job, char *errbuf, size_t errlen) {
  if (job->conn.sock)
    return PW_OK;
  pw_netconnect nc = {job->o->host,    job->o->port, (unsigned)job->o->retries,
                      job->connect_ms, job->cancel,  job->report_status,
                      job->status_ctx};
  return pw_netconn_open(&job->conn, &nc, job->o->tls ? &job->tls : NULL,
                         errbuf, errlen);
}

void pw_ippj_report(pw_dest_job *job, pw_port_status_code code,
                    pw_port_severity severity, const char *text) {
  pw_port_status st = {code, severity, text};
  if (job->report_status)
    job->report_status(job->status_ctx, &st);
}

/* The operation attributes every request of the job carries. */
static pw_ipp_request_attrs job_attrs(const pw_dest_job *job) {
  const pw_doc_info *d = job->doc;
  pw_ipp_request_attrs a = {0};
  a.printer_uri = job->target.printer_uri;
  a.user = d && d->user ? d->user : "portway";
  a.job_name = d && d->doc_name ? d->doc_name : "portway job";
  a.document_format = pw_ipp_format(job->o);
  a.job_id = job->job_id;
  return a;
}

typedef int (*build_fn)(pw_ipp_writer *w, unsigned version, int32_t id,
                        const pw_ipp_request_attrs *a);

/* The POST head and IPP header of one request; `what` names it in errbuf. */
static int send_head(pw_dest_job *job, build_fn build,
                     const pw_ipp_request_attrs *a, const char *what,
                     char *errbuf, size_t errlen) {
  pw_ipp_writer w = {0};
  int rc = build(&w, job->version, ++job->request_id, a);
  if (rc == PW_OK)
    rc = pw_ippx_send_head(&job->conn, &job->target, w.buf.data, w.buf.len,
                           atomic_load(&job->write_ms), NULL);
  pw_ipp_writer_free(&w);
  if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc, "cannot send %s to %s: %s", what,
                 job->conn.peer, pw_strerror(rc));
  return rc;
}

/* A request without a document, in one send; then its answer (on_msg, may
 * be NULL, sees it decoded). */
static int exchange(pw_dest_job *job, build_fn build,
                    const pw_ipp_request_attrs *a, const char *what,
                    const char *format, pw_ippx_reply *r, pw_ippx_msg_fn on_msg,
                    void *ctx, char *errbuf, size_t errlen) {
  pw_ipp_writer w = {0};
  int rc = build(&w, job->version, ++job->request_id, a);
  if (rc == PW_OK)
    rc = pw_ippx_send_request(&job->conn, &job->target, w.buf.data, w.buf.len,
                              atomic_load(&job->write_ms));
  pw_ipp_writer_free(&w);
  if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc, "cannot send %s to %s: %s", what,
                 job->conn.peer, pw_strerror(rc));
  if (rc == PW_OK)
    rc = pw_ippx_read_reply_msg(&job->conn, atomic_load(&job->read_ms), format,
                                r, on_msg, ctx, errbuf, errlen);
  return rc;
}

/* An IPP/1.1 printer answers a 2.0 request with version-not-supported:
 * speak 1.1 from then on (on a new connection if it closed this one).
 * 1 when the request should be sent again. */
static int fell_back_to_1_1(pw_dest_job *job, const pw_ippx_reply *r) {
  if (!r->have_ipp || job->version != PW_IPP_VERSION_2_0 ||
      r->status != PW_IPP_STATUS_SERVER_ERROR_VERSION_NOT_SUPPORTED)
    return 0;
  job->version = PW_IPP_VERSION_1_1;
  if (!r->keep_alive)
    pw_netconn_close(&job->conn);
  return 1;
}

static const char *const asked[] = {
    "printer-state", "printer-state-reasons", "printer-is-accepting-jobs",
    "document-format-supported", "operations-supported"};

static int build_gpa(pw_ipp_writer *w, unsigned version, int32_t id,
                     const pw_ipp_request_attrs *a) {
  pw_ipp_request_attrs g = *a;
  g.job_name = NULL;
  if (!g.requested) { /* the job's own list; Bidi brings its own */
    g.requested = asked;
    g.nrequested = sizeof asked / sizeof asked[0];
  }
  return pw_ipp_build_get_printer_attributes(w, version, id, &g);
}

int pw_ippj_get_printer_attributes(pw_dest_job *job, pw_ippx_reply *r,
                                   char *errbuf, size_t errlen) {
  pw_ipp_request_attrs a = job_attrs(job);
  a.requested = job->gpa_asked;
  a.nrequested = job->gpa_nasked;
  for (;;) {
    int rc = pw_ippj_connect(job, errbuf, errlen);
    if (rc == PW_OK)
      rc = exchange(job, build_gpa, &a, "Get-Printer-Attributes",
                    pw_ipp_format(job->o), r, job->on_gpa, job->gpa_ctx, errbuf,
                    errlen);
    if (rc != PW_OK)
      return rc;
    if (!fell_back_to_1_1(job, r))
      return pw_ippx_verdict(r, errbuf, errlen);
  }
}

/* A busy printer: wait (cancellable) and say so, or give up at deadline.
 * PW_OK to try again. */
static int busy_back_off(pw_dest_job *job, uint64_t deadline, uint32_t *delay,
                         int rc, const char *why) {
  if (pw_time_monotonic_ns() + (uint64_t)*delay * 1000000u > deadline)
    return rc;
  char text[320];
  snprintf(text, sizeof text, "%s; retrying in %u s", why,
           (unsigned)(*delay / 1000u));
  pw_ippj_report(job, PW_PORT_STATUS_OFFLINE, PW_PORT_SEVERITY_WARNING, text);
  if (pw_cancel_sleep_ms(job->cancel, *delay) != PW_OK)
    return PW_ECANCELED;
  *delay = *delay * 2u > IPP_BUSY_MAX_MS ? IPP_BUSY_MAX_MS : *delay * 2u;
  return PW_OK;
}

static uint64_t busy_deadline(const pw_dest_job *job) {
  return pw_time_monotonic_ns() + (uint64_t)job->o->busywait * 1000000000u;
}

int pw_ippj_create_job(pw_dest_job *job, char *errbuf, size_t errlen) {
  uint64_t deadline = busy_deadline(job);
  uint32_t delay = IPP_BUSY_FIRST_MS;
  for (;;) {
    pw_ipp_request_attrs a = job_attrs(job);
    pw_ippx_reply r;
    int rc = pw_ippj_connect(job, errbuf, errlen);
    if (rc == PW_OK)
      rc = exchange(job, pw_ipp_build_create_job, &a, "Create-Job", NULL, &r,
                    NULL, NULL, errbuf, errlen);
    if (rc != PW_OK)
      return rc;
    if (fell_back_to_1_1(job, &r))
      continue;
    char verdict[256] = "";
    rc = pw_ippx_verdict(&r, verdict, sizeof verdict);
    if (!r.keep_alive)
      pw_netconn_close(&job->conn);
    if (rc == PW_OK && r.job_id > 0) {
      job->job_id = r.job_id;
      return PW_OK;
    }
    if (rc == PW_OK) {
      pw_errbuf_printf(errbuf, errlen,
                       "the printer at %s created a job without a job-id",
                       job->conn.peer);
      return PW_EPROTO;
    }
    pw_errbuf_printf(errbuf, errlen, "the printer at %s refused the job: %s",
                     job->conn.peer[0] ? job->conn.peer : job->o->host,
                     verdict);
    if (rc != PW_EBUSY ||
        busy_back_off(job, deadline, &delay, rc, errbuf) != PW_OK)
      return rc;
  }
}

int pw_ippj_send_document_head(pw_dest_job *job, char *errbuf, size_t errlen) {
  pw_ipp_request_attrs a = job_attrs(job);
  int rc = pw_ippj_connect(job, errbuf, errlen);
  return rc != PW_OK ? rc
                     : send_head(job, pw_ipp_build_send_document, &a,
                                 "the document", errbuf, errlen);
}

int pw_ippj_send_print_job_head(pw_dest_job *job, char *errbuf, size_t errlen) {
  pw_ipp_request_attrs a = job_attrs(job);
  int rc = pw_ippj_connect(job, errbuf, errlen);
  return rc != PW_OK ? rc
                     : send_head(job, pw_ipp_build_print_job, &a, "the job",
                                 errbuf, errlen);
}

int pw_ippj_finish(pw_dest_job *job, int send_rc, char *errbuf, size_t errlen) {
  /* A printer that hung up while we sent may have said why first: look for
   * that answer briefly. */
  uint32_t ms = atomic_load(&job->read_ms);
  if (send_rc == PW_ECANCELED)
    return send_rc;
  if (send_rc != PW_OK)
    ms = ms < 2000u ? ms : 2000u;
  pw_ippx_reply r;
  char why[256] = "";
  int rc = pw_ippx_read_reply(&job->conn, ms, NULL, &r, why, sizeof why);
  if (rc != PW_OK) {
    if (send_rc == PW_OK)
      pw_errbuf_printf(errbuf, errlen, "%s", why);
    return send_rc != PW_OK ? send_rc : rc;
  }
  char verdict[256] = "";
  rc = pw_ippx_verdict(&r, verdict, sizeof verdict);
  if (rc == PW_OK && send_rc != PW_OK)
    rc = send_rc; /* "successful" about a document cut short: not ours */
  if (rc == PW_OK) {
    snprintf(errbuf, errlen, "job %ld",
             (long)(r.job_id > 0 ? r.job_id : job->job_id));
    return PW_OK;
  }
  if (fell_back_to_1_1(job, &r))
    rc = PW_EBUSY; /* a spooled job is sent again at once, in 1.1 */
  pw_errbuf_printf(errbuf, errlen, "the printer at %s refused the job: %s",
                   job->conn.peer, verdict);
  return rc;
}

/* spooled: one whole Print-Job from the temporary file. */
static int send_spooled_once(pw_dest_job *job, char *errbuf, size_t errlen) {
  int rc = pw_ippj_send_print_job_head(job, errbuf, errlen);
  if (rc != PW_OK) {
    pw_netconn_close(&job->conn);
    return rc;
  }
  for (uint64_t off = 0; rc == PW_OK && off < job->spooled;) {
    size_t n = 0;
    rc = pw_file_read_at(job->spool, off, job->chunk + PW_IPPX_CHUNK_LEAD,
                         IPP_GATHER_BYTES, &n);
    if (rc != PW_OK || n == 0) {
      rc = rc != PW_OK ? rc : PW_EIO;
      pw_errbuf_os(errbuf, errlen, rc, "cannot read the spooled job: %s",
                   pw_strerror(rc));
      pw_netconn_close(&job->conn);
      return rc;
    }
    rc = pw_ippx_send_chunk(&job->conn, job->chunk, n,
                            atomic_load(&job->write_ms), NULL);
    off += n;
  }
  if (rc == PW_OK)
    rc = pw_ippx_send_end(&job->conn, atomic_load(&job->write_ms));
  if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc, "cannot send the job to %s: %s",
                 job->conn.peer, pw_strerror(rc));
  rc = pw_ippj_finish(job, rc, errbuf, errlen);
  pw_netconn_close(&job->conn);
  return rc;
}

int pw_ippj_send_spooled(pw_dest_job *job, char *errbuf, size_t errlen) {
  uint64_t deadline = busy_deadline(job);
  uint32_t delay = IPP_BUSY_FIRST_MS;
  unsigned version = job->version;
  for (;;) {
    int rc = send_spooled_once(job, errbuf, errlen);
    if (rc != PW_EBUSY)
      return rc;
    if (job->version != version) { /* fell back to 1.1: at once */
      version = job->version;
      continue;
    }
    if ((rc = busy_back_off(job, deadline, &delay, rc, errbuf)) != PW_OK)
      return rc;
  }
}

void pw_ippj_cancel_job(pw_dest_job *job) {
  if (job->job_id <= 0)
    return;
  pw_netconn_close(&job->conn); /* that one is mid-document */
  uint32_t ms =
      job->connect_ms < IPP_CANCEL_MS ? job->connect_ms : IPP_CANCEL_MS;
  /* No cancel token: ClosePort may be why the job is cancelled. */
  pw_netconnect nc = {job->o->host, job->o->port, 0, ms, NULL, NULL, NULL};
  char why[256];
  if (pw_netconn_open(&job->conn, &nc, job->o->tls ? &job->tls : NULL, why,
                      sizeof why) != PW_OK)
    return;
  atomic_store(&job->read_ms, IPP_CANCEL_MS);
  atomic_store(&job->write_ms, IPP_CANCEL_MS);
  pw_ipp_request_attrs a = job_attrs(job);
  pw_ippx_reply r;
  (void)exchange(job, pw_ipp_build_cancel_job, &a, "Cancel-Job", NULL, &r, NULL,
                 NULL, why, sizeof why);
  pw_netconn_close(&job->conn);
  job->job_id = 0;
}
