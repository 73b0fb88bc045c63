/* portway — the destination interface: one implementation per port type
 * (src/core/dest/file.c now; socket, lpd, ipp, pipe later).
 *
 * Contract v2 (the job layer, src/core/job.c, is the only caller):
 *
 *   start -> (write | read)* -> commit | abort        cancel: any time
 *
 * - No core lock is held across start, write, read or commit: they may
 *   block (bounded by the time-outs they were given). The job layer marks
 *   the job "in I/O" around each call instead.
 * - write and read may run at the same time on two threads (a language
 *   monitor's status reader beside the spooler's writer); never two writes
 *   or two reads at once.
 * - cancel may be called from any thread while any other operation is in
 *   progress (ClosePort, Shutdown). It must not block and must not free the
 *   job: it makes blocked I/O return soon with PW_ECANCELED (shutdown a
 *   socket, CancelIoEx, terminate a child). After it, the job layer calls
 *   abort once the I/O has returned. The pw_cancel token in pw_dest_start
 *   is signalled at the same moment, for waits the destination does itself
 *   (back-off between retries, connect).
 * - Exactly one of commit/abort is called, never concurrently with any other
 *   operation but cancel, and it frees the job.
 * - Errors: return a pw_err; transient ones (pw_err_is_transient) are what
 *   a retry may fix. With PW_DEST_WRITE_RETRYABLE a transient write
 *   failure leaves the job open for the caller to write the same bytes
 *   again (the spooler retries WritePort); the destination promises that
 *   either none of the buffer was delivered, or it fails every later write
 *   and the commit (the stream is broken). If the caller goes to EndDocPort
 *   without writing again, the job layer discards the job. Any other write
 *   failure poisons the job (discarded at EndDocPort). Start and commit
 *   failures end the job.
 */
#ifndef PORTWAY_DEST_H
#define PORTWAY_DEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/bidi.h"
#include "core/cancel.h"
#include "platform/platform.h"
#include "portway/config.h"
#include "portway/core.h"

typedef struct pw_dest_job pw_dest_job; /* opaque, per destination type */

/* Everything a destination may use to start a job. All strings are UTF-8
 * and may be NULL except cfg and port. Pointers stay valid until commit or
 * abort returns. */
typedef struct pw_dest_start {
  const pw_port_config *cfg;
  const char *port;
  const pw_doc_info *doc;
  pw_localtime when;    /* job start time (local) */
  pw_timeouts timeouts; /* effective values, none 0 */
  pw_cancel *cancel;    /* signalled by ClosePort / Shutdown */
  /* Where a destination may keep temporary files (the monitor's data
   * folder + "spool"; created on demand). */
  const char *spool_dir;
  /* Report a device condition (paper out, offline...) or its end
   * (PW_PORT_STATUS_OK). The job layer forwards changes only. */
  void (*report_status)(void *ctx, const pw_port_status *status);
  void *status_ctx;
} pw_dest_start;

/* Capabilities. */
#define PW_DEST_HAS_BACKCHANNEL 0x1u /* read works */
/* A transient write failure delivered nothing (see the contract above). */
#define PW_DEST_WRITE_RETRYABLE 0x2u
/* The device is on the network (EnumPorts: PORT_TYPE_NET_ATTACHED). */
#define PW_DEST_NETWORK 0x4u

typedef struct pw_dest_ops {
  pw_dest_kind kind;
  unsigned flags;
  /* Open the destination. errbuf gets a one-line cause on failure. */
  int (*start)(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
               size_t errlen);
  /* Write all of buf or fail (no partial success). */
  int (*write)(pw_dest_job *job, const void *buf, size_t len);
  /* Back channel; NULL without PW_DEST_HAS_BACKCHANNEL. */
  int (*read)(pw_dest_job *job, void *buf, size_t len, size_t *nread);
  /* Deliver the job whole. final (cap bytes, may be NULL) receives where it
   * went (file: the final path). Frees job, on success and on failure; on
   * failure nothing is left under a final name. */
  int (*commit)(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                size_t errlen);
  /* Discard the job and free it; removes any partial output. */
  void (*abort)(pw_dest_job *job);
  /* Make blocked I/O on job return soon (see the contract above). NULL when
   * every operation is bounded by the OS on its own (local files). */
  void (*cancel)(pw_dest_job *job);
  /* New time-outs for the running job (SetPortTimeOuts mid-job); must not
   * block. NULL when the destination has no time-outs to change. */
  void (*set_timeouts)(pw_dest_job *job, const pw_timeouts *t);
  /* Check that the destination could take a job now, without printing
   * anything (pwctl test-port): connect and hang up, check a directory is
   * writable. `verdict` gets one line either way ("connected to
   * 10.0.0.7:9100", or the cause). Bounded by st->timeouts.connect_ms, no
   * retries. NULL: the type cannot be tested (PW_ENOTSUP). */
  int (*probe)(const pw_dest_start *st, char *verdict, size_t len);
  /* Bidi (SendRecvBidiDataFromPort): ask the device what it is and how it
   * is (f is reset first), on a connection of its own, beside any job.
   * Bounded by st->timeouts, no retries; st->cancel (ClosePort, Shutdown)
   * ends it with PW_ECANCELED. PW_OK with what the device said (maybe
   * little), or the error that kept it from saying anything (errbuf: one
   * line). NULL: the type has no way to ask (every Bidi call on such a
   * port is not supported). st->doc and st->report_status are NULL. */
  int (*facts)(const pw_dest_start *st, pw_printer_facts *f, char *errbuf,
               size_t errlen);
} pw_dest_ops;

/* The implementation for a kind, or NULL if that type is not implemented
 * yet (the caller reports PW_ENOTSUP). */
const pw_dest_ops *pw_dest_for_kind(pw_dest_kind kind);

/* Tests only: make `kind` use `ops` instead of its implementation (NULL
 * restores it). Not for production: the monitor never calls it. */
void pw_dest_override_for_tests(pw_dest_kind kind, const pw_dest_ops *ops);

extern const pw_dest_ops pw_dest_file;
extern const pw_dest_ops pw_dest_lpd;
extern const pw_dest_ops pw_dest_ipp;
extern const pw_dest_ops pw_dest_pipe;

#endif
