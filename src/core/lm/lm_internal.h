/* portway — internal to the language monitor's core (src/core/lm/): the
 * instance and the open port (portway/langmon.h). */
#ifndef PORTWAY_LM_INTERNAL_H
#define PORTWAY_LM_INTERNAL_H

#include <stdint.h>

#include "core/log.h"
#include "core/pjl/pjl.h"
#include "core/ref.h"
#include "platform/platform.h"
#include "portway/langmon.h"

struct pw_lm {
  pw_ref ref; /* the instance, and each open port's reference to it */
  char *name;
  pw_log *log;
  pw_lm_hooks hooks;
  uint32_t close_wait_ms;
};

/* The reader's state, under the port's lock. */
typedef enum lm_reader_state {
  READER_NONE = 0, /* not started for this job (or no status wanted) */
  READER_RUNNING,  /* polling the back channel */
  READER_DONE      /* ended: stopped, or the back channel failed */
} lm_reader_state;

typedef struct lm_port {
  pw_ref ref; /* the handle's, a running call's, the reader's */
  pw_lm *lm;
  char *name;    /* the port */
  char *printer; /* as OpenPortEx named it, may be NULL */
  pw_lm_port_options opt;
  pw_lm_lower lower;
  int lower_closed; /* lower.close was called (exactly once) */
  char tag[12];     /* the job names' tag: "PW" + 6 hex digits */

  pw_mutex lock;
  pw_cond cond; /* reader state, end echo, calls in flight */
  int closed;   /* ClosePort/Shutdown: every later call fails */
  int calls;    /* spooler calls in flight on this port (a query is one) */
  int querying; /* a query of the printer holds the port (lm_query.c) */

  /* the job (between StartDocPort and EndDocPort) */
  int in_job;
  uint32_t seq; /* this job's number in its name */
  uint32_t job_id;
  char *job_printer;
  char job_name[PW_PJL_NAME_MAX + 1];
  int framed;         /* this job is wrapped in PJL */
  int header_pending; /* framed, header not sent: waiting for the UEL test */
  pw_pjl_uel_detector uel;
  int broken;            /* a write to the port monitor failed */
  unsigned char *gather; /* the job's bytes on their way (lm_port.c) */
  size_t gathered;
  unsigned long long bytes;

  /* the status reader */
  pw_thread *reader;
  lm_reader_state reader_state;
  int reader_stop;
  unsigned reads_done; /* ReadPort calls that returned, this job */
  int eoj_seen;
  long eoj_pages;
  pw_pjl_parser parser; /* the reader's only */

  /* what the printer said; what was reported */
  pw_lm_info info;
  unsigned answered; /* PW_LM_ASK_* replies seen since the query began */
  pw_port_status_code want_code, shown_code;
  pw_port_severity want_sev, shown_sev;
  char want_text[64], shown_text[64];
} lm_port;

/* lm_port.c: a spooler call's hold on the port (see enter()). */
int lm_enter(pw_handle h, lm_port **out);
void lm_leave(lm_port *p);
/* Wait (lock not held) until the reader's first ReadPort returned. */
void lm_wait_for_first_read(lm_port *p);
int lm_send_all(lm_port *p, const void *buf, size_t len);

/* lm_reader.c */
/* Start the reader for the job (lock held). */
int lm_reader_start(lm_port *p);
/* Tell it to stop and wait up to ms for it (lock held; dropped while
 * waiting). 1 if it ended, 0 if it did not in time (it was detached and
 * frees its reference itself). */
int lm_reader_stop(lm_port *p, uint32_t ms);
/* Report the wanted status if it differs from the shown one: call with
 * the lock NOT held (takes it). */
void lm_status_flush(lm_port *p);

void lm_port_release(lm_port *p);

#endif
