/* portway — internal to the IPP destination: the job (ipp_job.c, the
 * destination operations) and the protocol steps it is made of
 * (ipp_request.c). See docs/ipp-port.md. */
#ifndef PORTWAY_DEST_IPP_JOB_H
#define PORTWAY_DEST_IPP_JOB_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dest.h"
#include "core/dest/ipp.h"
#include "core/dest/ipp_exchange.h"
#include "core/dest/netconn.h"

#define IPP_GATHER_BYTES 262144u
#define IPP_BUSY_FIRST_MS 1000u
#define IPP_BUSY_MAX_MS 8000u
/* Cancel-Job after a failed Send-Document: best effort, at most this long
 * for the connection and again for the answer. */
#define IPP_CANCEL_MS 2000u

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
  /* Create-Job + Send-Document: the printer's job, to cancel if the
   * document does not arrive whole (0: none). */
  int32_t job_id;
  pw_file *spool; /* spooled: the job's temporary file */
  uint64_t spooled;
  /* streamed: a write that failed after part of it went out leaves a
   * hole: every later write and the commit fail. */
  int broken;
  unsigned char *chunk; /* PW_IPPX_CHUNK_SPACE(IPP_GATHER_BYTES) */
  size_t gathered;
  /* Get-Printer-Attributes for Bidi (ipp_facts.c): the attributes to ask
   * (NULL: the job's own list) and who sees the decoded answer. */
  const char *const *gpa_asked;
  size_t gpa_nasked;
  pw_ippx_msg_fn on_gpa;
  void *gpa_ctx;
};

/* ---- ipp_request.c ---- */

/* Connect (the port's retries; TLS for ipps) unless connected. */
int pw_ippj_connect(pw_dest_job *job, char *errbuf, size_t errlen);
void pw_ippj_report(pw_dest_job *job, pw_port_status_code code,
                    pw_port_severity severity, const char *text);
/* Get-Printer-Attributes on the connection, with the 1.1 fallback; *r is
 * the answer, the result its verdict. */
int pw_ippj_get_printer_attributes(pw_dest_job *job, pw_ippx_reply *r,
                                   char *errbuf, size_t errlen);
/* Create-Job, a busy printer retried with back-off for busywait seconds;
 * sets job->job_id. */
int pw_ippj_create_job(pw_dest_job *job, char *errbuf, size_t errlen);
/* The request head and IPP header of Send-Document (job->job_id) or
 * Print-Job; the document's chunks follow. */
int pw_ippj_send_document_head(pw_dest_job *job, char *errbuf, size_t errlen);
int pw_ippj_send_print_job_head(pw_dest_job *job, char *errbuf, size_t errlen);
/* After the request was sent (send_rc its result): the answer and what it
 * means; errbuf gets "job N" on success. */
int pw_ippj_finish(pw_dest_job *job, int send_rc, char *errbuf, size_t errlen);
/* spooled: Print-Job from the temporary file, busy printers retried. */
int pw_ippj_send_spooled(pw_dest_job *job, char *errbuf, size_t errlen);
/* ---- ipp_facts.c ---- */

/* Bidi: the facts an IPP printer gives in a decoded Get-Printer-Attributes
 * answer (printer-state, -state-reasons, -is-accepting-jobs,
 * -make-and-model, -device-id, marker-names/-types/-colors/-levels). f is
 * reset first; an answer that is not successful-ok* leaves it empty. */
void pw_ipp_facts_from_msg(const struct pw_ipp_msg *m, pw_printer_facts *f);
/* pw_dest_ops.facts of ipp/ipps ports: one Get-Printer-Attributes (one
 * connection attempt, no retries), bounded by st->timeouts and cancelled
 * by st->cancel. */
int pw_ipp_facts(const pw_dest_start *st, pw_printer_facts *f, char *errbuf,
                 size_t errlen);

/* Cancel-Job for job->job_id on a connection of its own, bounded by
 * IPP_CANCEL_MS, whatever the cancel token says; the result is ignored
 * (it only keeps a printer from waiting for a document that will not
 * come). */
void pw_ippj_cancel_job(pw_dest_job *job);

#endif
