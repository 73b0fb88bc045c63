/* portway — internal: the port handle object shared by port_handle.c
 * (handles: open, close, cancel, I/O accounting, time-outs) and job.c (the
 * job state machine). See job.c for the states and the locking rules. */
#ifndef PORTWAY_PORT_HANDLE_H
#define PORTWAY_PORT_HANDLE_H

#include "core/cancel.h"
#include "core/dest.h"
#include "core/monitor_internal.h"
#include "portway/pattern.h" /* PW_MAX_FILENAME */

typedef enum job_state {
  JOB_IDLE,
  JOB_STARTING,
  JOB_ACTIVE,
  JOB_POISONED,
  JOB_ENDING
} job_state;

/* A Bidi query in flight on a handle (port_bidi.c), on a connection of its
 * own: ClosePort and Shutdown cancel its token. */
typedef struct pw_bidi_query {
  pw_cancel cancel;
  struct pw_bidi_query *next;
} pw_bidi_query;

typedef struct pw_port_handle {
  pw_ref ref;
  pw_mutex lock;   /* guards everything below */
  pw_cond io_done; /* broadcast whenever io drops */
  pw_monitor *mon;
  pw_port *port; /* one reference */
  job_state state;
  int closed;  /* set by ClosePort/Shutdown; later calls fail */
  unsigned io; /* threads inside a destination call */
  int writing; /* a write is in flight */
  int reading; /* a read is in flight */
  int poison_err;
  /* A write failed transiently and was not written again yet: its bytes
   * are missing, so EndDocPort now would deliver a job with a hole. */
  size_t unsent;
  int unsent_err;
  const pw_dest_ops *ops;
  pw_dest_job *dj;
  pw_config_ref *job_cfg; /* the configuration the job started with */
  pw_cancel cancel;       /* signalled by ClosePort / Shutdown */
  pw_timeouts timeouts;   /* SetPortTimeOuts; 0 = the port's default */
  pw_bidi_query *bidi;    /* Bidi queries running (not counted in io) */
  char *printer, *doc;
  uint32_t job_id;
  uint64_t bytes;
  uint64_t started_ns;
  char last_output[PW_MAX_PATH + PW_MAX_FILENAME + 8];
} pw_port_handle;

/* Log-safe copy of a caller-supplied string (document names are hostile). */
#define FIELD(buf, s) pw_log_field((buf), sizeof(buf), (s))

/* ---- port_handle.c ---- */
/* Forget the job's bookkeeping (lock held). */
void ph_job_reset(pw_port_handle *ph);
/* Abort an active or poisoned job (lock held, no I/O in flight). */
void ph_job_abort(pw_port_handle *ph, const char *why);
/* Count a thread entering / leaving the destination (lock held); the last
 * one out of a closed handle aborts what is left of the job. */
void ph_io_enter(pw_port_handle *ph);
void ph_io_leave(pw_port_handle *ph);
/* Wait (lock held, dropped while waiting) until at most `allowed` threads
 * are in the destination, at most `ms`: PW_OK or PW_ETIMEDOUT. */
int ph_io_wait(pw_port_handle *ph, unsigned allowed, uint32_t ms);
/* A live handle with a new reference (pw_ref_release it). */
int ph_get(pw_handle h, pw_port_handle **out);
/* Look up, check the arguments (args_ok), lock, refuse a closed handle:
 * PW_OK with the lock and a reference held (ph_unlock drops both). */
int ph_lock(pw_handle h, int args_ok, pw_port_handle **out);
void ph_unlock(pw_port_handle *ph);
/* Status: the destination's callback, a failure, a delivered job. */
void ph_report_status_cb(void *ctx, const pw_port_status *status);
void ph_report_failure(pw_port_handle *ph, int rc, const char *what);
void ph_report_ok(pw_port_handle *ph);
/* The handle's time-outs with the port's defaults filled in. */
pw_timeouts ph_effective_timeouts(const pw_timeouts *set,
                                  const pw_port_config *cfg);

#endif
