/* portway tests — a destination whose I/O blocks until cancelled (or
 * released by the test), to check destination contract v2: no lock across
 * I/O, cancel from another thread, bounded ClosePort/Shutdown, read beside
 * write, time-outs handed down, status reports.
 *
 * Installed over the file kind with pw_dest_override_for_tests, so a port
 * configured "uri=file://..." uses it. One instance per test (the state is
 * a single process-wide object, guarded by its own lock). */
#ifndef PORTWAY_TEST_BLOCKDEST_H
#define PORTWAY_TEST_BLOCKDEST_H

#include "core/dest.h"

typedef struct blockdest_state {
  pw_mutex lock;
  pw_cond cond;
  /* set by the test */
  int block_writes;  /* writes wait until released or cancelled */
  int ignore_cancel; /* a destination that does not honour cancel */
  int start_error;   /* start fails with this (0: succeeds) */
  int write_error;   /* the next write fails with this, once */
  int release;       /* wakes blocked I/O with success */
  size_t read_avail; /* bytes a read may return at once */
  /* observed */
  unsigned starts, writes, reads, commits, aborts, cancels, live_jobs;
  int in_write, in_read;
  size_t bytes;
  pw_timeouts start_timeouts, last_set_timeouts;
  unsigned set_timeouts_calls;
  const pw_dest_start *last_start; /* valid while the job lives */
} blockdest_state;

extern blockdest_state g_blockdest;
extern const pw_dest_ops blockdest_ops;
extern const pw_dest_ops blockdest_ops_strict; /* no PW_DEST_WRITE_RETRYABLE */

/* Reset the state and install the destination over PW_DEST_FILE. */
void blockdest_install(void);
/* Restore the real file destination. */
void blockdest_uninstall(void);
/* Wait (at most 5 s) until cond(state) holds; 1 if it did. */
int blockdest_wait(int (*cond)(const blockdest_state *s));
/* Let blocked I/O return successfully. */
void blockdest_release(void);
/* Report a device status from inside the running job. */
void blockdest_report(pw_port_status_code code, pw_port_severity sev,
                      const char *text);

#endif
