/* portway — the portable core of the PJL language monitor (portwaylm.dll,
 * docs/language-monitor.md).
 *
 * A language monitor sits between the spooler and any port monitor: the
 * spooler opens a port through it (OpenPortEx) and hands it the port
 * monitor's table. The front (src/langmon/) wraps that table as a
 * pw_lm_lower and turns the status and job events into SetPort and SetJob;
 * everything else is here:
 *
 *   StartDocPort  the port monitor's StartDocPort; the PJL job header
 *                 (held back until the document's first bytes show whether
 *                 it already starts with a UEL); the status reader starts
 *   WritePort     the caller's bytes, untouched, all or nothing; only
 *                 they are counted as written, never the PJL around them
 *   ReadPort      the port monitor's, when no status reader uses the back
 *                 channel
 *   EndDocPort    the trailer, then a bounded wait for the printer's echo
 *                 of this job's end (USTATUS JOB END with this job's name),
 *                 the reader stopped, the port monitor's EndDocPort, and
 *                 job_done
 *   ClosePort     the reader stopped, the port monitor's ClosePort exactly
 *                 once, everything freed; the handle is invalid after
 *
 * The status reader is a thread per open port that polls the port
 * monitor's ReadPort with a short time-out (set through SetPortTimeOuts
 * where the port monitor has it), parses the replies (core/pjl/pjl.h) and
 * reports device status changes. It never runs on a spooler thread, and
 * every wait for it is bounded.
 *
 * Handles are validated like portway's port handles (NULL, garbage, stale
 * and closed: PW_EBADHANDLE). Every function may be called from any
 * thread. */
#ifndef PORTWAY_LANGMON_H
#define PORTWAY_LANGMON_H

#include <stddef.h>
#include <stdint.h>

#include "portway/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pw_lm pw_lm; /* one language monitor instance */

/* The port monitor below, one opened port of it. Each call is the port
 * monitor's entry point on that port; each must return in bounded time
 * (the port monitor's own time-outs). */
typedef struct pw_lm_lower {
  void *ctx;
  /* StartDocPort (printer may be NULL, job_id 0: unknown). `arg` is
   * pw_lm_start_doc's, passed through (the front's own arguments). */
  int (*start_doc)(void *ctx, const char *printer, uint32_t job_id,
                   const char *doc_name, const void *arg);
  /* WritePort: all of buf, or an error (a part may have gone out). */
  int (*write)(void *ctx, const void *buf, size_t len, size_t *written);
  /* ReadPort: PW_OK with *got bytes (0: nothing within its time-out),
   * PW_ETIMEDOUT (nothing), another error: no back channel (now). */
  int (*read)(void *ctx, void *buf, size_t cap, size_t *got);
  int (*end_doc)(void *ctx);
  /* SetPortTimeOuts for reads (ms); NULL or PW_ENOTSUP if it has none. */
  int (*set_read_timeout)(void *ctx, uint32_t ms);
  /* ClosePort: called exactly once, then ctx is the front's to free. */
  void (*close)(void *ctx);
  /* 1 if the port says it has a back channel (EnumPorts level 2
   * PORT_TYPE_READ), so the printer can be asked outside a job (Bidi,
   * GetPrinterDataFromPort); 0 or NULL: it is never asked then. */
  int (*readable)(void *ctx);
} pw_lm_lower;

/* What the language monitor tells the spooler, through the front. Both run
 * outside every lock: port_status on the status reader's thread or on the
 * thread of the call that changed it, job_done on EndDocPort's thread.
 * `lm` stays valid during the call even when it comes from a status
 * reader that outlived Shutdown (use it, not what ctx owns). */
typedef struct pw_lm_hooks {
  void *ctx;
  /* The port's status changed (PW_PORT_STATUS_OK: cleared). Edge
   * triggered: never twice in a row the same. */
  void (*port_status)(void *ctx, pw_lm *lm, const char *port,
                      const pw_port_status *status);
  /* The job ended (EndDocPort): `confirmed` 1 when the printer echoed its
   * end (pages then holds its page count, or -1 if it gave none), 0 when
   * it did not within eoj_wait (or has no back channel). The front calls
   * SetJob(JOB_CONTROL_LAST_PAGE_EJECTED) when printer and job_id are
   * known. */
  void (*job_done)(void *ctx, pw_lm *lm, const char *port, const char *printer,
                   uint32_t job_id, int confirmed, long pages);
} pw_lm_hooks;

/* Per-port options (docs/language-monitor.md), read by the front from the
 * port's registry entry as "key=value" lines:
 *   framing=true|false     wrap jobs in PJL (false: pass-through)
 *   wrap_uel=false|true    also wrap documents that already start with a
 *                          UEL (default: pass them through unwrapped)
 *   status=true|false      read the back channel (USTATUS)
 *   page_status=false|true USTATUS PAGE=ON
 *   timed=0|5..300         USTATUS TIMED=n
 *   eoj_wait=30            seconds EndDocPort waits for the end echo
 *   poll_ms=200            the reader's ReadPort time-out, 50..5000 */
typedef struct pw_lm_port_options {
  int framing, wrap_uel, status, page_status;
  unsigned timed;
  uint32_t eoj_wait_ms, poll_ms;
} pw_lm_port_options;

#define PW_LM_DEFAULT_EOJ_WAIT_MS 30000u
#define PW_LM_DEFAULT_POLL_MS 200u

/* The defaults, then each line of `text` (NULL or "": defaults only).
 * PW_EBADCONFIG with the reason (unknown key, bad value) in errbuf;
 * *out then holds the defaults. */
int pw_lm_port_options_parse(const char *text, pw_lm_port_options *out,
                             char *errbuf, size_t errlen);

typedef struct pw_lm_options {
  const char *name;         /* "portway PJL" */
  const char *data_dir;     /* its log file goes there (portwaylm.log) */
  const pw_lm_hooks *hooks; /* may be NULL; copied */
  /* How long ClosePort/Shutdown wait for a status reader to stop (0: the
   * default, 2 s); after that its memory is left to it (never a hang). */
  uint32_t close_wait_ms;
} pw_lm_options;

int pw_lm_create(const pw_lm_options *opt, pw_lm **out);
/* Shutdown: every port of the instance is closed as by pw_lm_close. */
void pw_lm_destroy(pw_lm *lm);
void pw_lm_log(pw_lm *lm, pw_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* OpenPortEx: takes over `lower` (its close is called exactly once, also
 * when this fails). PW_EINVAL (NULL), PW_ENOMEM. */
int pw_lm_open(pw_lm *lm, const char *port, const char *printer,
               const pw_lm_port_options *opt, const pw_lm_lower *lower,
               pw_handle *out);
/* `lower_arg` reaches lower.start_doc unchanged (may be NULL). */
int pw_lm_start_doc(pw_handle h, const char *printer, uint32_t job_id,
                    const char *doc_name, const void *lower_arg);
/* All of buf or an error; *written counts the caller's bytes only. */
int pw_lm_write(pw_handle h, const void *buf, size_t len, size_t *written);
int pw_lm_read(pw_handle h, void *buf, size_t cap, size_t *got);
int pw_lm_end_doc(pw_handle h);
int pw_lm_close(pw_handle h);

/* What the printer said last on this port (for Bidi and
 * GetPrinterDataFromPort): see pw_lm_info. */
typedef struct pw_lm_info {
  unsigned known;     /* 1: status, then PW_LM_ASK_ID, _PAGECOUNT, _CONFIG */
  uint32_t code;      /* last device status code */
  int online;         /* 1, 0, -1 unknown */
  char display[64];   /* its display text */
  char id[128];       /* INFO ID */
  uint32_t pagecount; /* INFO PAGECOUNT */
  char config[1024];  /* INFO CONFIG text (cut) */
} pw_lm_info;
int pw_lm_get_info(pw_handle h, pw_lm_info *out);

/* PJL INFO categories a query asks (pw_lm_query). */
#define PW_LM_ASK_ID 0x2u
#define PW_LM_ASK_PAGECOUNT 0x4u
#define PW_LM_ASK_CONFIG 0x8u
#define PW_LM_ASK_STATUS 0x10u

/* Ask the printer now: outside a job, on a port whose port monitor has a
 * back channel (lower.readable), a query "job" - the port monitor's
 * StartDocPort with job id 0 and document "portway PJL query" (lower_arg
 * as for pw_lm_start_doc), "@PJL INFO <category>" for each asked, the
 * replies read for at most wait_ms, EndDocPort - and *out gets what is
 * known then. Inside a job, or without a back channel, *out is what the
 * printer said last (nothing is sent). PW_OK when every asked category was
 * answered (now or before), PW_ETIMEDOUT when the printer did not answer
 * all of them, PW_ENOTSUP when it was never asked and nothing is known,
 * PW_EBUSY (another call runs), PW_EBADHANDLE. */
int pw_lm_query(pw_handle h, unsigned ask, uint32_t wait_ms,
                const void *lower_arg, pw_lm_info *out);

/* Bidi (docs/language-monitor.md): the printer's facts from a pw_lm_query
 * (status, INFO ID) answered by the shared schema table (core/bidi.h).
 * action is "Get", "GetAll" or "EnumSchema" ("Set": read-only answers).
 * PW_OK with *out (pw_bidi_response_free); PW_EINVAL, PW_ENOTSUP (another
 * action), PW_EBADHANDLE, PW_EBUSY, PW_ENOMEM. */
struct pw_bidi_request;
struct pw_bidi_response;
int pw_lm_bidi(pw_handle h, const char *action,
               const struct pw_bidi_request *reqs, size_t n,
               const void *lower_arg, struct pw_bidi_response **out);

/* Run fn(lower.ctx, arg) as one call on the port (the spooler's calls are
 * one at a time per port): the front's way to pass an entry point the
 * core has no business with (GetPrinterDataFromPort's I/O controls) to the
 * port monitor below. fn's result, or PW_EBADHANDLE / PW_EBUSY. */
int pw_lm_forward(pw_handle h, int (*fn)(void *lower_ctx, void *arg),
                  void *arg);

/* GetPrinterDataFromPort by value name: "ID", "STATUS", "PAGECOUNT",
 * "CONFIG" (a PJL INFO category, any case; the reply's text) or
 * "Installed Memory" (bytes, from INFO CONFIG's MEMORY). The text into
 * out[0..cap) with its NUL; *needed its size. PW_OK, PW_ENOBUFS (cap too
 * small), PW_ENOENT (a name not served), PW_ETIMEDOUT / PW_ENOTSUP (no
 * answer: see pw_lm_query), PW_EBADHANDLE. */
int pw_lm_get_data(pw_handle h, const char *name, const void *lower_arg,
                   char *out, size_t cap, size_t *needed);

#ifdef __cplusplus
}
#endif

#endif
