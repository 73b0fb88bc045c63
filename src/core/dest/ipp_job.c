/* portway — the IPP destination: ipp:// and ipps:// ports (ipp.c holds
 * their configuration; docs/ipp-port.md).
 *
 * A job is one Print-Job request (RFC 8011 4.2.1) with the document as its
 * HTTP/1.1 chunked body, so no job is ever held in memory. Two ways:
 *
 *   spool=true (default)  StartDocPort connects (proving the printer is
 *     there, and its certificate good) and hangs up; WritePort appends to a
 *     temporary file; EndDocPort sends the Print-Job from it. A printer that
 *     answers busy (server-error-busy, -service-unavailable,
 *     -temporary-error, HTTP 503) gets the whole job again after a back-off,
 *     for up to `busywait` seconds: nothing is lost to a busy printer.
 *   spool=false  StartDocPort sends the request head, WritePort the chunks
 *     (gathered to 64 KB), EndDocPort the last chunk and reads the answer.
 *     Nothing waits on disk, but a busy answer at the end cannot be retried
 *     (the document went to a printer that dropped it): the job fails.
 *
 * check=true asks Get-Printer-Attributes first (accepting jobs? the format
 * supported?) and settles the IPP version: an IPP/1.1 printer answers the
 * 2.0 request with server-error-version-not-supported and portway speaks
 * 1.1 to it from then on. Without check that fallback happens when the
 * Print-Job itself is refused for its version (spool mode only). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dest.h"
#include "core/dest/ipp.h"
#include "core/dest/ipp_exchange.h"
#include "core/dest/netconn.h"
#include "core/errbuf.h"
#include "core/ipp.h"
#include "portway/error.h"

#define IPP_GATHER_BYTES 65536u
#define IPP_BUSY_FIRST_MS 1000u
#define IPP_BUSY_MAX_MS 8000u

struct pw_dest_job {
  const pw_ipp_options *o;
  const pw_doc_info *doc;
  pw_cancel *cancel;
  void (*report_status)(void *ctx, const pw_port_status *status);
  void *status_ctx;
  uint32_t connect_ms;
  _Atomic uint32_t read_ms, write_ms;
  pw_ippx_target target;
  pw_tls_options tls;
  unsigned version; /* PW_IPP_VERSION_2_0 until the printer says 1.1 */
  int32_t request_id;
  pw_netconn conn;
  pw_file *spool; /* spool=true */
  uint64_t spooled;
  /* spool=false: a write that failed after part of it went out leaves a
   * hole: every later write and the commit fail. */
  int broken;
  unsigned char *chunk; /* PW_IPPX_CHUNK_SPACE(IPP_GATHER_BYTES) */
  size_t gathered;
};

static void job_free(pw_dest_job *job) {
  pw_netconn_close(&job->conn);
  (void)pw_file_close(job->spool); /* a temp file: removed on close */
  pw_ippx_target_free(&job->target);
  free(job->chunk);
  free(job);
}

static int open_conn(pw_dest_job *job, char *errbuf, size_t errlen) {
  pw_netconnect nc = {job->o->host,    job->o->port, (unsigned)job->o->retries,
                      job->connect_ms, job->cancel,  job->report_status,
                      job->status_ctx};
  return pw_netconn_open(&job->conn, &nc, job->o->tls ? &job->tls : NULL,
                         errbuf, errlen);
}

static void report(pw_dest_job *job, pw_port_status_code code,
                   pw_port_severity severity, const char *text) {
  pw_port_status st = {code, severity, text};
  if (job->report_status)
    job->report_status(job->status_ctx, &st);
}

/* ---- Get-Printer-Attributes (check=true, and test-port) ---------------- */

static const char *const asked[] = {"printer-state", "printer-state-reasons",
                                    "printer-is-accepting-jobs",
                                    "document-format-supported"};

/* One Get-Printer-Attributes on job->conn; *r is the answer. Falls back to
 * IPP/1.1 once if the printer refuses 2.0 (on a new connection when the
 * printer closed this one). */
static int get_printer_attributes(pw_dest_job *job, pw_ippx_reply *r,
                                  char *errbuf, size_t errlen) {
  for (;;) {
    pw_ipp_writer w = {0};
    pw_ipp_request_attrs a = {job->target.printer_uri,
                              job->doc && job->doc->user ? job->doc->user
                                                         : "portway",
                              NULL,
                              pw_ipp_format(job->o),
                              asked,
                              sizeof asked / sizeof asked[0]};
    int rc = pw_ipp_build_get_printer_attributes(&w, job->version,
                                                 ++job->request_id, &a);
    if (rc == PW_OK)
      rc = pw_ippx_send_head(&job->conn, &job->target, w.buf.data, w.buf.len,
                             atomic_load(&job->write_ms), NULL);
    pw_ipp_writer_free(&w);
    if (rc == PW_OK)
      rc = pw_ippx_send_end(&job->conn, atomic_load(&job->write_ms));
    if (rc != PW_OK) {
      pw_errbuf_os(errbuf, errlen, rc, "cannot ask %s for its state: %s",
                   job->conn.peer, pw_strerror(rc));
      return rc;
    }
    rc = pw_ippx_read_reply(&job->conn, atomic_load(&job->read_ms),
                            pw_ipp_format(job->o), r, errbuf, errlen);
    if (rc != PW_OK)
      return rc;
    if (r->have_ipp && job->version == PW_IPP_VERSION_2_0 &&
        r->status == PW_IPP_STATUS_SERVER_ERROR_VERSION_NOT_SUPPORTED) {
      job->version = PW_IPP_VERSION_1_1;
      if (!r->keep_alive) {
        pw_netconn_close(&job->conn);
        if ((rc = open_conn(job, errbuf, errlen)) != PW_OK)
          return rc;
      }
      continue;
    }
    return pw_ippx_verdict(r, errbuf, errlen);
  }
}

static const char *state_name(int32_t s) {
  return s == 3 ? "idle" : s == 4 ? "processing" : s == 5 ? "stopped" : "?";
}

/* check=true: is the printer taking this job? */
static int check_printer(pw_dest_job *job, char *errbuf, size_t errlen) {
  pw_ippx_reply r;
  int rc = get_printer_attributes(job, &r, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  if (r.accepting == 0) {
    pw_errbuf_printf(errbuf, errlen,
                     "the printer at %s is not accepting jobs (%s%s%s)",
                     job->conn.peer, state_name(r.printer_state),
                     r.reasons[0] ? ": " : "", r.reasons);
    return PW_EREJECTED;
  }
  if (r.format_supported == 0) {
    pw_errbuf_printf(errbuf, errlen,
                     "the printer at %s does not support document-format %s "
                     "(set the port's format option)",
                     job->conn.peer, pw_ipp_format(job->o));
    return PW_EREJECTED;
  }
  if (!r.keep_alive)
    pw_netconn_close(&job->conn);
  return PW_OK;
}

/* ---- the Print-Job request --------------------------------------------- */

static int send_print_job_head(pw_dest_job *job, char *errbuf, size_t errlen) {
  const pw_doc_info *d = job->doc;
  pw_ipp_writer w = {0};
  pw_ipp_request_attrs a = {job->target.printer_uri,
                            d && d->user ? d->user : "portway",
                            d && d->doc_name ? d->doc_name : "portway job",
                            pw_ipp_format(job->o),
                            NULL,
                            0};
  int rc = pw_ipp_build_print_job(&w, job->version, ++job->request_id, &a);
  size_t sent = 0;
  if (rc == PW_OK)
    rc = pw_ippx_send_head(&job->conn, &job->target, w.buf.data, w.buf.len,
                           atomic_load(&job->write_ms), &sent);
  pw_ipp_writer_free(&w);
  if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc, "cannot send the job to %s: %s",
                 job->conn.peer, pw_strerror(rc));
  return rc;
}

/* After the request: the answer, and what it means. A printer that hung up
 * while we sent may have said why first: look for that answer briefly. */
static int finish_print_job(pw_dest_job *job, int send_rc, char *errbuf,
                            size_t errlen) {
  uint32_t ms = atomic_load(&job->read_ms);
  if (send_rc != PW_OK && send_rc != PW_ECANCELED)
    ms = ms < 2000u ? ms : 2000u;
  else if (send_rc != PW_OK)
    return send_rc;
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
    snprintf(errbuf, errlen, "job %ld", (long)r.job_id);
    return PW_OK;
  }
  if (r.have_ipp &&
      r.status == PW_IPP_STATUS_SERVER_ERROR_VERSION_NOT_SUPPORTED &&
      job->version == PW_IPP_VERSION_2_0) {
    job->version = PW_IPP_VERSION_1_1;
    rc = PW_EBUSY; /* spool mode sends it again at once, in 1.1 */
  }
  pw_errbuf_printf(errbuf, errlen, "the printer at %s refused the job: %s",
                   job->conn.peer, verdict);
  return rc;
}

/* spool=true: one whole attempt from the temporary file. */
static int send_spooled(pw_dest_job *job, char *errbuf, size_t errlen) {
  int rc = open_conn(job, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  rc = send_print_job_head(job, errbuf, errlen);
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
  rc = finish_print_job(job, rc, errbuf, errlen);
  pw_netconn_close(&job->conn);
  return rc;
}

/* Busy printers are tried again, with back-off, for `busywait` seconds. */
static int send_spooled_until_taken(pw_dest_job *job, char *errbuf,
                                    size_t errlen) {
  uint64_t deadline =
      pw_time_monotonic_ns() + (uint64_t)job->o->busywait * 1000000000u;
  uint32_t delay = IPP_BUSY_FIRST_MS;
  unsigned version = job->version;
  for (;;) {
    int rc = send_spooled(job, errbuf, errlen);
    if (rc != PW_EBUSY)
      return rc;
    if (job->version != version) { /* fell back to 1.1: at once */
      version = job->version;
      continue;
    }
    uint64_t now = pw_time_monotonic_ns();
    if (now + (uint64_t)delay * 1000000u > deadline)
      return rc;
    char text[300];
    snprintf(text, sizeof text, "%s; retrying in %u s", errbuf,
             (unsigned)(delay / 1000u));
    report(job, PW_PORT_STATUS_OFFLINE, PW_PORT_SEVERITY_WARNING, text);
    if (pw_cancel_sleep_ms(job->cancel, delay) != PW_OK)
      return PW_ECANCELED;
    delay = delay * 2u > IPP_BUSY_MAX_MS ? IPP_BUSY_MAX_MS : delay * 2u;
  }
}

/* ---- the destination operations --------------------------------------- */

static int ipp_start(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
                     size_t errlen) {
  const pw_ipp_options *o = pw_ipp_opts(st->cfg);
  *out = NULL;
  if (!o) {
    pw_errbuf_printf(errbuf, errlen, "not an IPP port configuration");
    return PW_EINVAL;
  }
  pw_dest_job *job = calloc(1, sizeof *job);
  if (!job)
    return PW_ENOMEM;
  job->o = o;
  job->doc = st->doc;
  job->cancel = st->cancel;
  job->report_status = st->report_status;
  job->status_ctx = st->status_ctx;
  job->connect_ms = st->timeouts.connect_ms;
  atomic_init(&job->read_ms, st->timeouts.read_ms);
  atomic_init(&job->write_ms, st->timeouts.write_ms);
  job->version = PW_IPP_VERSION_2_0;
  job->tls.server_name = o->host;
  job->tls.pin_sha256 = o->has_pin ? o->pin : NULL;
  job->tls.insecure = !o->verify;
  job->chunk = malloc(PW_IPPX_CHUNK_SPACE(IPP_GATHER_BYTES));
  int rc = job->chunk ? pw_ippx_target_init(&job->target, o->tls, o->host,
                                            o->port, o->resource)
                      : PW_ENOMEM;
  if (rc == PW_OK && o->spool) {
    rc = pw_file_open_temp(st->spool_dir, &job->spool);
    if (rc != PW_OK)
      pw_errbuf_os(errbuf, errlen, rc,
                   "cannot create a temporary file in %s: %s",
                   st->spool_dir ? st->spool_dir : "(none)", pw_strerror(rc));
  }
  /* The printer is there (and its certificate good) before the spooler
   * hands over the job. */
  if (rc == PW_OK)
    rc = open_conn(job, errbuf, errlen);
  if (rc == PW_OK && o->check)
    rc = check_printer(job, errbuf, errlen);
  if (rc == PW_OK && o->spool)
    pw_netconn_close(&job->conn); /* EndDocPort connects again */
  if (rc == PW_OK && !o->spool && !job->conn.sock)
    rc = open_conn(job, errbuf, errlen); /* check's answer closed it */
  if (rc == PW_OK && !o->spool)
    rc = send_print_job_head(job, errbuf, errlen);
  if (rc != PW_OK) {
    job_free(job);
    return rc;
  }
  *out = job;
  return PW_OK;
}

/* spool=false: a chunk on the stream; anything but "nothing went out,
 * time-out" breaks the stream for good (the contract in dest.h). */
static int send_gathered(pw_dest_job *job) {
  if (job->gathered == 0)
    return PW_OK;
  size_t sent = 0;
  int rc = pw_ippx_send_chunk(&job->conn, job->chunk, job->gathered,
                              atomic_load(&job->write_ms), &sent);
  if (rc == PW_OK)
    job->gathered = 0;
  else if (sent > 0 || rc != PW_ETIMEDOUT)
    job->broken = 1;
  return rc;
}

static int ipp_write(pw_dest_job *job, const void *buf, size_t len) {
  if (job->spool) {
    int rc = pw_file_write_all(job->spool, buf, len);
    if (rc == PW_OK)
      job->spooled += len;
    return rc;
  }
  if (job->broken)
    return PW_EIO; /* the stream already has a hole */
  /* Make room first: if that fails, nothing of this buffer was taken and
   * the spooler's retry of it is exact. */
  if (job->gathered + len > IPP_GATHER_BYTES) {
    int rc = send_gathered(job);
    if (rc != PW_OK)
      return rc;
  }
  const unsigned char *p = buf;
  while (len > IPP_GATHER_BYTES - job->gathered) { /* only len > 64 KB */
    size_t take = IPP_GATHER_BYTES - job->gathered;
    memcpy(job->chunk + PW_IPPX_CHUNK_LEAD + job->gathered, p, take);
    job->gathered += take;
    p += take;
    len -= take;
    int rc = send_gathered(job);
    if (rc != PW_OK) {
      job->broken = 1; /* part of this buffer was taken */
      return rc;
    }
  }
  memcpy(job->chunk + PW_IPPX_CHUNK_LEAD + job->gathered, p, len);
  job->gathered += len;
  return PW_OK;
}

static int ipp_commit(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                      size_t errlen) {
  char said[320] = "";
  int rc;
  if (job->spool) {
    rc = send_spooled_until_taken(job, said, sizeof said);
    if (rc != PW_OK)
      pw_errbuf_printf(errbuf, errlen, "%s", said);
  } else {
    rc = job->broken ? PW_EIO : send_gathered(job);
    if (rc == PW_OK)
      rc = pw_ippx_send_end(&job->conn, atomic_load(&job->write_ms));
    if (job->broken)
      pw_errbuf_printf(errbuf, errlen,
                       "the connection to %s failed during the job",
                       job->conn.peer);
    else
      rc = finish_print_job(job, rc, said, sizeof said);
    if (rc != PW_OK && !job->broken)
      pw_errbuf_printf(errbuf, errlen, "%s%s", said,
                       rc == PW_EBUSY ? " (a streamed job cannot be sent "
                                        "again; spool=true can)"
                                      : "");
  }
  if (rc == PW_OK) {
    report(job, PW_PORT_STATUS_OK, PW_PORT_SEVERITY_NONE, NULL);
    if (final && cap)
      snprintf(final, cap, "%s %s", job->target.printer_uri, said);
  }
  job_free(job);
  return rc;
}

static void ipp_abort(pw_dest_job *job) {
  job_free(job);
}

static void ipp_cancel(pw_dest_job *job) {
  pw_netconn_abort(&job->conn);
}

static void ipp_set_timeouts(pw_dest_job *job, const pw_timeouts *t) {
  atomic_store(&job->read_ms, t->read_ms);
  atomic_store(&job->write_ms, t->write_ms);
}

/* pwctl test-port: connect (TLS included) and ask the printer's state. */
static int ipp_probe(const pw_dest_start *st, char *verdict, size_t len) {
  const pw_ipp_options *o = pw_ipp_opts(st->cfg);
  if (!o)
    return PW_EINVAL;
  pw_dest_job job = {0};
  job.o = o;
  job.connect_ms = st->timeouts.connect_ms;
  atomic_init(&job.read_ms, st->timeouts.connect_ms);
  atomic_init(&job.write_ms, st->timeouts.connect_ms);
  job.version = PW_IPP_VERSION_2_0;
  job.tls.server_name = o->host;
  job.tls.pin_sha256 = o->has_pin ? o->pin : NULL;
  job.tls.insecure = !o->verify;
  pw_ipp_options once = *o;
  once.retries = 0; /* one attempt */
  job.o = &once;
  uint64_t t0 = pw_time_monotonic_ns();
  int rc =
      pw_ippx_target_init(&job.target, o->tls, o->host, o->port, o->resource);
  if (rc == PW_OK)
    rc = open_conn(&job, verdict, len);
  pw_ippx_reply r;
  if (rc == PW_OK)
    rc = get_printer_attributes(&job, &r, verdict, len);
  if (rc == PW_OK) {
    double ms = (double)(pw_time_monotonic_ns() - t0) / 1e6;
    pw_errbuf_printf(
        verdict, len,
        "the printer at %s (IPP/%u.%u%s%s) is %s, %s%s%s (%.1f ms)",
        job.conn.peer, r.version >> 8, r.version & 0xffu,
        job.conn.tls ? ", " : "",
        job.conn.tls ? pw_tls_version(job.conn.tls) : "",
        state_name(r.printer_state),
        r.accepting == 0 ? "not accepting jobs" : "accepting jobs",
        r.format_supported == 0 ? ", does not support " : "",
        r.format_supported == 0 ? pw_ipp_format(o) : "", ms);
    if (r.accepting == 0 || r.format_supported == 0)
      rc = PW_EREJECTED;
  }
  pw_netconn_close(&job.conn);
  pw_ippx_target_free(&job.target);
  return rc;
}

const pw_dest_ops pw_dest_ipp = {
    .kind = PW_DEST_IPP,
    /* No back channel: IPP's answers are read by the destination. Writes
     * are retryable in stream mode as for socket:// (send_gathered). */
    .flags = PW_DEST_WRITE_RETRYABLE | PW_DEST_NETWORK,
    .start = ipp_start,
    .write = ipp_write,
    .read = NULL,
    .commit = ipp_commit,
    .abort = ipp_abort,
    .cancel = ipp_cancel,
    .set_timeouts = ipp_set_timeouts,
    .probe = ipp_probe,
};
