/* portway — the IPP destination: ipp:// and ipps:// ports (ipp.c holds
 * their configuration, ipp_request.c the requests; docs/ipp-port.md).
 *
 * The document always goes as an HTTP/1.1 chunked body, so no job is ever
 * held in memory. Three ways, chosen at StartDocPort (`spool`):
 *
 *   streamed with Create-Job + Send-Document (spool=auto when the printer
 *     lists both in operations-supported, and spool=false): StartDocPort
 *     asks Get-Printer-Attributes, creates the job (a busy printer is tried
 *     again with back-off for `busywait` seconds, before any data) and
 *     sends the Send-Document head; WritePort sends 256 KB chunks;
 *     EndDocPort the last chunk, then reads the answer. A document that
 *     does not arrive whole gets a Cancel-Job, so the printer does not
 *     hold a job that waits for data for ever.
 *   spooled (spool=true, and spool=auto when the printer has no
 *     Create-Job): StartDocPort connects (the printer is there, its
 *     certificate good) and hangs up; WritePort appends to a temporary
 *     file; EndDocPort sends one Print-Job from it; a busy answer gets the
 *     whole job again after a back-off, for `busywait` seconds.
 *   streamed with Print-Job (spool=false, printer without Create-Job): as
 *     the first, but a busy answer at the end cannot be retried (the
 *     printer read and dropped the document): the job fails.
 *
 * check=true makes the Get-Printer-Attributes answer binding (accepting
 * jobs? the format supported?). Its IPP/2.0 request also settles the
 * version: an IPP/1.1 printer answers server-error-version-not-supported
 * and is spoken to in 1.1 from then on. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dest/ipp_job.h"
#include "core/errbuf.h"
#include "core/ipp.h"
#include "portway/error.h"

static void job_free(pw_dest_job *job) {
  pw_netconn_close(&job->conn);
  (void)pw_file_close(job->spool); /* a temp file: removed on close */
  pw_ippx_target_free(&job->target);
  free(job->chunk);
  free(job);
}

static const char *state_name(int32_t s) {
  return s == 3 ? "idle" : s == 4 ? "processing" : s == 5 ? "stopped" : "?";
}

/* Get-Printer-Attributes at StartDocPort: binding with check=true (the
 * printer must accept jobs and the format), advisory otherwise (it only
 * tells whether the printer has Create-Job). *create_job: 1 if it has. */
static int ask_printer(pw_dest_job *job, int *create_job, char *errbuf,
                       size_t errlen) {
  pw_ippx_reply r;
  char why[256] = "";
  *create_job = 0;
  int rc = pw_ippj_get_printer_attributes(job, &r, why, sizeof why);
  if (rc == PW_ECANCELED)
    return rc;
  if (rc != PW_OK) {
    pw_netconn_close(&job->conn); /* in an unknown state */
    if (!job->o->check)
      return PW_OK; /* no answer: Print-Job, as without asking */
    pw_errbuf_printf(errbuf, errlen, "%s", why);
    return rc;
  }
  if (job->o->check && r.accepting == 0) {
    pw_errbuf_printf(errbuf, errlen,
                     "the printer at %s is not accepting jobs (%s%s%s)",
                     job->conn.peer, state_name(r.printer_state),
                     r.reasons[0] ? ": " : "", r.reasons);
    return PW_EREJECTED;
  }
  if (job->o->check && r.format_supported == 0) {
    pw_errbuf_printf(errbuf, errlen,
                     "the printer at %s does not support document-format %s "
                     "(set the port's format option)",
                     job->conn.peer, pw_ipp_format(job->o));
    return PW_EREJECTED;
  }
  *create_job = r.create_job == 1;
  if (!r.keep_alive)
    pw_netconn_close(&job->conn);
  return PW_OK;
}

static int open_spool(pw_dest_job *job, const pw_dest_start *st, char *errbuf,
                      size_t errlen) {
  int rc = pw_file_open_temp(st->spool_dir, &job->spool);
  if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc, "cannot create a temporary file in %s: %s",
                 st->spool_dir ? st->spool_dir : "(none)", pw_strerror(rc));
  return rc;
}

/* The job's way, decided with what the printer said (see the top). */
static int begin(pw_dest_job *job, const pw_dest_start *st, char *errbuf,
                 size_t errlen) {
  const pw_ipp_options *o = job->o;
  /* The printer is there (and its certificate good) before the spooler
   * hands over the job. */
  int rc = pw_ippj_connect(job, errbuf, errlen);
  int create_job = 0;
  if (rc == PW_OK && (o->check || o->spool != PW_IPP_SPOOL_TRUE))
    rc = ask_printer(job, &create_job, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  if (o->spool == PW_IPP_SPOOL_TRUE ||
      (o->spool == PW_IPP_SPOOL_AUTO && !create_job)) {
    pw_netconn_close(&job->conn); /* EndDocPort connects again */
    return open_spool(job, st, errbuf, errlen);
  }
  if (create_job) {
    rc = pw_ippj_create_job(job, errbuf, errlen);
    if (rc == PW_OK)
      rc = pw_ippj_send_document_head(job, errbuf, errlen);
    if (rc != PW_OK)
      pw_ippj_cancel_job(job);
    return rc;
  }
  return pw_ippj_send_print_job_head(job, errbuf, errlen);
}

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
  if (rc == PW_OK)
    rc = begin(job, st, errbuf, errlen);
  if (rc != PW_OK) {
    job_free(job);
    return rc;
  }
  *out = job;
  return PW_OK;
}

/* streamed: a chunk on the stream; anything but "nothing went out,
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
  while (len > IPP_GATHER_BYTES - job->gathered) { /* only len > 256 KB */
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
    rc = pw_ippj_send_spooled(job, said, sizeof said);
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
      rc = pw_ippj_finish(job, rc, said, sizeof said);
    if (rc != PW_OK && !job->broken)
      pw_errbuf_printf(errbuf, errlen, "%s%s", said,
                       rc == PW_EBUSY && job->job_id == 0
                           ? " (a streamed job cannot be sent again; "
                             "spool=true can)"
                           : "");
    if (rc != PW_OK)
      pw_ippj_cancel_job(job);
  }
  if (rc == PW_OK) {
    pw_ippj_report(job, PW_PORT_STATUS_OK, PW_PORT_SEVERITY_NONE, NULL);
    if (final && cap)
      snprintf(final, cap, "%s %s", job->target.printer_uri, said);
  }
  job_free(job);
  return rc;
}

static void ipp_abort(pw_dest_job *job) {
  pw_ippj_cancel_job(job); /* a created job whose document stopped */
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
  pw_ippx_reply r;
  if (rc == PW_OK)
    rc = pw_ippj_get_printer_attributes(&job, &r, verdict, len);
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
    .facts = pw_ipp_facts, /* ipp_facts.c */
};
