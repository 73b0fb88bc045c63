/* portway — the destination interface: one implementation per port type
 * (src/core/dest/file.c now; socket, lpd, ipp, pipe later).
 *
 * The job layer (src/core/job.c) owns the state machine and calls these in
 * order: start -> write* -> commit | abort. Exactly one of commit/abort is
 * called, and it frees the job. No lock is held across these calls.
 */
#ifndef PORTWAY_DEST_H
#define PORTWAY_DEST_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"
#include "portway/config.h"
#include "portway/core.h"

typedef struct pw_dest_job pw_dest_job; /* opaque, per destination type */

/* Everything a destination may use to start a job. All strings are UTF-8
 * and may be NULL except cfg and port. */
typedef struct pw_dest_start {
  const pw_port_config *cfg; /* valid until commit/abort returns */
  const char *port;
  const pw_doc_info *doc;
  pw_localtime when; /* job start time (local) */
} pw_dest_start;

typedef struct pw_dest_ops {
  pw_dest_kind kind;
  /* Open the destination. errbuf gets a one-line cause on failure. */
  int (*start)(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
               size_t errlen);
  /* Write all of buf or fail (no partial success). */
  int (*write)(pw_dest_job *job, const void *buf, size_t len);
  /* Back channel; NULL when the destination has none (PW_ENOTSUP). */
  int (*read)(pw_dest_job *job, void *buf, size_t len, size_t *nread);
  /* Deliver the job whole. final (cap bytes, may be NULL) receives where it
   * went (file: the final path). Frees job, on success and on failure; on
   * failure nothing is left under a final name. */
  int (*commit)(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                size_t errlen);
  /* Discard the job and free it; removes any partial output. */
  void (*abort)(pw_dest_job *job);
} pw_dest_ops;

/* The implementation for a kind, or NULL if that type is not implemented
 * yet (the caller reports PW_ENOTSUP). */
const pw_dest_ops *pw_dest_for_kind(pw_dest_kind kind);

extern const pw_dest_ops pw_dest_file;

#endif
