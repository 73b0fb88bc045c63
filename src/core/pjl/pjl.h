/* portway — internal: HP Printer Job Language (PJL) for the language
 * monitor (docs/pjl.md). Pure logic: no I/O, no threads, no allocation.
 *
 *  - framing (pjl_frame.c): the job name, the header and trailer that wrap
 *    a document in a PJL job with unsolicited status switched on, and a
 *    detector for documents that already start with a UEL;
 *  - the back channel (pjl_status.c): an incremental parser of the
 *    printer's replies, fed whatever bytes arrive, split anywhere;
 *  - status codes (pjl_codes.c): a PJL device status code as a
 *    PORT_INFO_3 status (pw_port_status, include/portway/core.h).
 *
 * Formats follow HP's "Printer Job Language Technical Reference Manual"
 * (chapters 5 "Job Separation Commands", 7 "Status Readback Commands",
 * appendix D "PJL Status Codes"). */
#ifndef PORTWAY_PJL_H
#define PORTWAY_PJL_H

#include <stddef.h>
#include <stdint.h>

#include "portway/core.h"

/* ---- framing ------------------------------------------------------------ */

/* Universal Exit Language: ends whatever language the printer is in. */
#define PW_PJL_UEL "\x1b%-12345X"
#define PW_PJL_UEL_LEN 9u

#define PW_PJL_NAME_MAX 80u    /* characters of a JOB/EOJ name (HP's limit) */
#define PW_PJL_TAG_MAX 16u     /* characters of the job name's tag */
#define PW_PJL_HEADER_MAX 256  /* enough for any pw_pjl_job_header */
#define PW_PJL_TRAILER_MAX 128 /* enough for any pw_pjl_job_trailer */
#define PW_PJL_TIMED_MIN 5u    /* USTATUS TIMED range, seconds (HP) */
#define PW_PJL_TIMED_MAX 300u

/* The job name: "<tag>-<seq>", then " <doc>" when the sanitized document
 * name is not empty, cut to PW_PJL_NAME_MAX characters. The printer echoes
 * it in USTATUS JOB replies; tag + seq (kept first, so no cut reaches
 * them) let the monitor match a reply to its job even when jobs follow
 * each other on a port.
 *  - tag: 1..PW_PJL_TAG_MAX characters of A-Z a-z 0-9 _ . : (e.g. a port
 *    name such as "PW1:"); anything else is PW_EINVAL.
 *  - doc: any bytes (NULL is empty). Printable ASCII 0x20..0x7E is kept
 *    except '"', which becomes '_'; each other character becomes one '_'
 *    (a control character, DEL, one whole UTF-8 sequence, or one byte that
 *    is not valid UTF-8).
 * The result is printable ASCII without '"'. On PW_OK *needed is its
 * length + 1 (the NUL); cap >= PW_PJL_NAME_MAX + 1 always suffices.
 * PW_ENOBUFS (cap too small: *needed tells the size, out is unspecified),
 * PW_EINVAL. needed may be NULL. */
int pw_pjl_job_name(char *out, size_t cap, size_t *needed, const char *tag,
                    uint32_t seq, const char *doc);

/* 1 and *seq when `name` (as the printer echoed it) is "<tag>-<digits>",
 * alone or followed by a space; 0 otherwise (other tag, no digits, a
 * number beyond 32 bits). */
int pw_pjl_job_name_seq(const char *name, const char *tag, uint32_t *seq);

#define PW_PJL_USTATUS_PAGE 0x1u /* USTATUS PAGE=ON: a reply per page */
#define PW_PJL_INFO_STATUS 0x2u  /* ask INFO STATUS once, before the job */

typedef struct pw_pjl_job_opts {
  const char *name; /* from pw_pjl_job_name (checked again here) */
  unsigned flags;   /* PW_PJL_USTATUS_PAGE | PW_PJL_INFO_STATUS */
  unsigned timed;   /* USTATUS TIMED=n seconds, PW_PJL_TIMED_MIN..MAX; 0 off */
} pw_pjl_job_opts;

/* The bytes before the document:
 *   UEL "@PJL USTATUS JOB=ON" CRLF "@PJL USTATUS DEVICE=ON" CRLF
 *   ["@PJL USTATUS PAGE=ON" CRLF] ["@PJL USTATUS TIMED=<n>" CRLF]
 *   ["@PJL INFO STATUS" CRLF] "@PJL JOB NAME=\"<name>\"" CRLF
 * Unsolicited status comes before JOB so that the printer reports this
 * job's START too (HP, "Unsolicited job status"; a new connection is a new
 * I/O channel with status off). On PW_OK out[0..*len) holds them (no NUL).
 * PW_ENOBUFS (*len tells the size; out is unspecified), PW_EINVAL (NULL,
 * a name that pw_pjl_job_name could not have made, timed out of range). */
int pw_pjl_job_header(const pw_pjl_job_opts *o, char *out, size_t cap,
                      size_t *len);

/* The bytes after the document: UEL "@PJL EOJ NAME=\"<name>\"" CRLF UEL.
 * Same contract as pw_pjl_job_header. */
int pw_pjl_job_trailer(const char *name, char *out, size_t cap, size_t *len);

/* Does the document already start with a UEL? Fed the document's first
 * bytes however they are split, it decides as soon as it can. */
typedef enum pw_pjl_uel_state {
  PW_PJL_UEL_UNDECIDED = 0, /* every byte so far is a prefix of the UEL */
  PW_PJL_UEL_PRESENT = 1,   /* it starts with the whole UEL */
  PW_PJL_UEL_ABSENT = 2     /* it does not */
} pw_pjl_uel_state;

typedef struct pw_pjl_uel_detector {
  pw_pjl_uel_state state;
  /* While UNDECIDED: the bytes fed so far, which are PW_PJL_UEL's first
   * `matched`. A caller that holds them back need not copy them: read
   * `matched` before a feed, and once decided, send that much of
   * PW_PJL_UEL, then the buffer just fed. */
  size_t matched;
} pw_pjl_uel_detector;

void pw_pjl_uel_init(pw_pjl_uel_detector *d);
/* Feed the next n bytes; returns the state. Once decided it never
 * changes, and further bytes are not looked at. */
pw_pjl_uel_state pw_pjl_uel_feed(pw_pjl_uel_detector *d, const void *data,
                                 size_t n);
/* The document ended: UNDECIDED becomes ABSENT (a document shorter than a
 * UEL does not start with one). Returns the state. */
pw_pjl_uel_state pw_pjl_uel_finish(pw_pjl_uel_detector *d);

/* ---- the back channel --------------------------------------------------- */

#define PW_PJL_MSG_MAX 4096u /* bytes of one message, "@PJL" to before FF */

typedef enum pw_pjl_event_kind {
  PW_PJL_EV_DEVICE,       /* @PJL USTATUS DEVICE: code, online, display */
  PW_PJL_EV_TIMED,        /* @PJL USTATUS TIMED: the same fields */
  PW_PJL_EV_STATUS,       /* @PJL INFO STATUS: the same fields */
  PW_PJL_EV_JOB_START,    /* @PJL USTATUS JOB START: name, id */
  PW_PJL_EV_JOB_END,      /* ... END: name, pages, id, result */
  PW_PJL_EV_JOB_CANCELED, /* ... CANCELED: name, pages, id, result */
  PW_PJL_EV_PAGE,         /* @PJL USTATUS PAGE: number = the page */
  PW_PJL_EV_ID,           /* @PJL INFO ID: text = the model, unquoted */
  PW_PJL_EV_CONFIG,       /* @PJL INFO CONFIG: text = the reply's lines */
  PW_PJL_EV_PAGECOUNT,    /* @PJL INFO PAGECOUNT: number = the count */
  PW_PJL_EV_ECHO          /* @PJL ECHO: text = what followed ECHO */
} pw_pjl_event_kind;

/* One reply. Strings are never NULL ("" when absent), hold printable
 * ASCII and HT only (any other byte became '?'; PJL's text is Roman-8 or
 * the panel's language, not UTF-8), point into the parser and are valid
 * during the callback only. */
typedef struct pw_pjl_event {
  pw_pjl_event_kind kind;
  /* DEVICE, TIMED, STATUS */
  uint32_t code;       /* CODE=, always present (else the reply is
                          malformed): see pw_pjl_code_status */
  int online;          /* ONLINE=TRUE 1, FALSE 0, absent or other -1 */
  const char *display; /* DISPLAY=, unquoted (localized: show, not test) */
  /* JOB_* */
  const char *name;   /* NAME=, unquoted: see pw_pjl_job_name_seq */
  int has_pages;      /* PAGES= present and a number */
  uint32_t pages;     /* pages printed */
  int has_id;         /* ID= present and a number (SET JOBID=ON) */
  uint32_t id;        /* the printer's job id */
  const char *result; /* RESULT=: OK, USER_CANCELED, HOST_CANCELED, ... */
  /* PAGE, PAGECOUNT */
  uint32_t number;
  /* ID, CONFIG, ECHO */
  const char *text; /* CONFIG: lines joined with '\n', HT kept */
} pw_pjl_event;

typedef void (*pw_pjl_event_fn)(void *ctx, const pw_pjl_event *ev);

/* A reply is "@PJL" through the next form feed (0x0C). Bytes outside
 * replies (NULs, noise, another language's chatter) are skipped; a line
 * that starts with "@PJL" inside a reply starts a new one (the cut one is
 * malformed); a reply over PW_PJL_MSG_MAX bytes is dropped up to its form
 * feed (or the next such line). Lines end with CR LF, LF or CR. Keys and
 * keywords compare case-insensitively, numbers are decimal and must fit 32
 * bits. Fixed size: nothing is allocated. */
typedef struct pw_pjl_parser {
  pw_pjl_event_fn on_event;
  void *ctx;
  /* counters (never reset by the parser) */
  uint64_t events;    /* replies delivered to on_event */
  uint64_t unknown;   /* whole replies of a kind not listed above */
  uint64_t malformed; /* cut, oversized, or missing what their kind needs */
  uint64_t skipped;   /* bytes outside replies */
  /* internal */
  int state_;         /* hunting for "@PJL", in a reply, or discarding */
  size_t pfx_;        /* "@PJL" bytes matched while hunting/discarding */
  size_t line_;       /* where the current line starts in buf_ */
  int at_line_start_; /* discarding: the last byte ended a line */
  size_t len_;
  pw_pjl_event ev_;
  char buf_[PW_PJL_MSG_MAX + 1];
} pw_pjl_parser;

void pw_pjl_parser_init(pw_pjl_parser *p, pw_pjl_event_fn on_event, void *ctx);
/* Consume data[0..n) (data may be NULL when n is 0). Events are delivered
 * from inside this call, in order; on_event must not feed or reset this
 * parser. */
void pw_pjl_parser_feed(pw_pjl_parser *p, const void *data, size_t n);
/* The channel was reset (reconnected): a reply in progress is dropped
 * (counted as malformed) and the parser hunts for "@PJL" again. */
void pw_pjl_parser_reset(pw_pjl_parser *p);

/* "device", "timed", "status", "job-start", ... for logs and tests. */
const char *pw_pjl_event_name(pw_pjl_event_kind kind);

/* The value of a top-level INFO CONFIG line "feature=value" (feature
 * compared case-insensitively, e.g. "MEMORY", "DISPLAY LINES"), trimmed,
 * into out. PW_OK, PW_ENOENT, PW_ENOBUFS (out is unspecified). */
int pw_pjl_config_value(const char *config_text, const char *feature, char *out,
                        size_t cap);

/* ---- status codes -------------------------------------------------------- */

/* What a PJL status code (CODE= of DEVICE, TIMED, STATUS) says about the
 * device, as PORT_INFO_3 would: status, severity and a short English text
 * (static). Returns 1 when the code tells the device's condition ("ready"
 * codes give PW_PORT_STATUS_OK, which clears); 0 when it tells nothing
 * about it (PJL parser or file-system errors, a status buffer overflow, a
 * code outside HP's groups): then *out is OK/NONE/NULL and the caller
 * keeps the status it had.
 *
 * The severity is the condition's own: ERROR where HP says printing halts
 * until an operator acts. docs/architecture.md: the core never reports
 * ERROR to the spooler unless something will clear it; a caller that
 * cannot promise that reports such a condition as a WARNING. */
int pw_pjl_code_status(uint32_t code, pw_port_status *out);

#endif
