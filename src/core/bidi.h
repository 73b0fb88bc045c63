/* portway — the Bidi model (SendRecvBidiDataFromPort), portable: what is
 * known about a printer (pw_printer_facts), the schema paths portway
 * answers, and the answer to one call made from the facts.
 *
 * Shared by portway.dll (IPP ports fill the facts from Get-Printer-
 * Attributes, src/core/dest/ipp_facts.c) and the PJL language monitor
 * (which fills them from @PJL INFO / USTATUS replies). The Win32 side,
 * UTF-16 and the spooler's containers, is src/monitor/bidi_container.c.
 *
 * The schema is Microsoft's "Bidirectional Communication Schema" as its
 * reference pages spell it (learn.microsoft.com/windows-hardware/drivers/
 * print/: "Bidirectional Communication Schema Hierarchy", "Summary",
 * "DeviceInfo", "[Name]" under Consumables, "Constructing a Bidi
 * Communication Schema Query"); the result codes are "Bidi Error Codes".
 * Only values a printer can be asked for honestly are listed; a path
 * outside the table is answered "not supported", a listed path the printer
 * did not report is answered "no data". See docs/ipp-port.md, "Bidi".
 *
 * Everything here is pure: no I/O, no locks, any thread. */
#ifndef PORTWAY_CORE_BIDI_H
#define PORTWAY_CORE_BIDI_H

#include <stddef.h>
#include <stdint.h>

/* ---- limits ---- */
/* Longest schema path answered, in octets (ASCII); longer is "not
 * supported" without being looked at further. */
#define PW_BIDI_MAX_PATH 255u
/* Requests in one call (the front refuses larger containers). */
#define PW_BIDI_MAX_REQUESTS 1024u
/* Consumables kept per printer. */
#define PW_BIDI_MAX_MARKERS 16u
#define PW_BIDI_NAME_MAX 64u /* a consumable's [Name], with its NUL */
#define PW_BIDI_WORD_MAX 32u /* a Type or Color value, with its NUL */
#define PW_BIDI_TEXT_MAX 256u
#define PW_BIDI_DEVICE_ID_MAX 1024u

/* ---- BIDI_TYPE (winspool.h): the same values ---- */
typedef enum pw_bidi_type {
  PW_BIDI_NULL = 0,
  PW_BIDI_INT = 1,
  PW_BIDI_FLOAT = 2,
  PW_BIDI_BOOL = 3,
  PW_BIDI_STRING = 4,
  PW_BIDI_TEXT = 5,
  PW_BIDI_ENUM = 6,
  PW_BIDI_BLOB = 7
} pw_bidi_type;

/* ---- per-request results: the Win32 codes' values ("Bidi Error Codes",
 * numbers from winerror.h / winspool.h) ---- */
#define PW_BIDI_OK 0u                       /* ERROR_SUCCESS */
#define PW_BIDI_NO_DATA 232u                /* ERROR_NO_DATA: value unknown */
#define PW_BIDI_NOT_SUPPORTED 50u           /* ERROR_NOT_SUPPORTED (the call) */
#define PW_BIDI_STATUS_WARNING 13001u       /* the call: some results failed */
#define PW_BIDI_SCHEMA_READ_ONLY 13002u     /* Set of a read-only value */
#define PW_BIDI_DEVICE_OFFLINE 13004u       /* the printer did not answer */
#define PW_BIDI_SCHEMA_NOT_SUPPORTED 13005u /* not a path portway answers */

/* ---- actions (BIDI_ACTION_*; GetWithArgument is not supported) ---- */
typedef enum pw_bidi_action {
  PW_BIDI_ENUM_SCHEMA,
  PW_BIDI_GET,
  PW_BIDI_GET_ALL,
  PW_BIDI_SET
} pw_bidi_action;

/* "EnumSchema", "Get", "GetAll", "Set" in any case (the action names are
 * case-insensitive): PW_OK; PW_EINVAL for NULL; PW_ENOTSUP for anything
 * else ("GetWithArgument" included). */
int pw_bidi_action_parse(const char *name, pw_bidi_action *out);

/* ---- what is known about a printer ---- */
typedef enum pw_printer_state {
  PW_PRINTER_UNKNOWN = 0,
  PW_PRINTER_IDLE,
  PW_PRINTER_PRINTING,
  PW_PRINTER_STOPPED,
  /* The printer could not be asked (no connection, no answer): every value
   * is answered PW_BIDI_DEVICE_OFFLINE. */
  PW_PRINTER_OFFLINE
} pw_printer_state;

/* Bits of pw_printer_facts.known: a fact without its bit is "no data". */
#define PW_FACT_STATE 0x001u
#define PW_FACT_ONLINE 0x002u
#define PW_FACT_ACCEPTING 0x004u
#define PW_FACT_REASONS 0x008u
#define PW_FACT_MAKE_MODEL 0x010u
#define PW_FACT_MANUFACTURER 0x020u
#define PW_FACT_MODEL 0x040u
#define PW_FACT_DEVICE_ID 0x080u
#define PW_FACT_SERIAL 0x100u
#define PW_FACT_PAGE_COUNT 0x200u
#define PW_FACT_MARKERS 0x400u

/* Conditions (pw_printer_facts.reasons), one per value of
 * \Printer.Status.Summary:StateReason. No bit set (with PW_FACT_REASONS)
 * is "None". */
#define PW_REASON_ATTENTION 0x001u        /* AttentionRequired */
#define PW_REASON_DOOR_OPEN 0x002u        /* DoorOpen */
#define PW_REASON_MARKER_EMPTY 0x004u     /* MarkerSupplyEmpty */
#define PW_REASON_MARKER_LOW 0x008u       /* MarkerSupplyLow */
#define PW_REASON_MEDIA_EMPTY 0x010u      /* MediaEmpty */
#define PW_REASON_MEDIA_JAM 0x020u        /* MediaJam */
#define PW_REASON_MEDIA_LOW 0x040u        /* MediaLow */
#define PW_REASON_MEDIA_NEEDED 0x080u     /* MediaNeeded */
#define PW_REASON_PAUSED 0x100u           /* Paused */
#define PW_REASON_OUTPUT_NEAR_FULL 0x200u /* OutputAreaAlmostFull */
#define PW_REASON_OUTPUT_FULL 0x400u      /* OutputAreaFull */

/* One consumable (\Printer.Consumables.[Name]). Strings are NUL-terminated
 * printable ASCII or UTF-8 (pw_bidi_copy_text); "" is "not known". */
typedef struct pw_marker {
  /* [Name]: 1..63 letters, digits, '-' or '_' (pw_bidi_marker_name), unique
   * per printer (case-insensitive). */
  char name[PW_BIDI_NAME_MAX];
  char type[PW_BIDI_WORD_MAX];  /* "Toner", "Ink", "WasteToner", ... */
  char color[PW_BIDI_WORD_MAX]; /* "Black", "Cyan", "Color", ... */
  int level;                    /* percent 0..100, or -1: unknown */
} pw_marker;

typedef struct pw_printer_facts {
  unsigned known; /* PW_FACT_* */
  pw_printer_state state;
  int online;       /* the device says it is online (1) or offline (0) */
  int accepting;    /* accepting jobs (1) or not (0) */
  unsigned reasons; /* PW_REASON_* */
  char reasons_text[PW_BIDI_TEXT_MAX]; /* as the device said it, for logs */
  char make_model[PW_BIDI_TEXT_MAX];   /* "Example Printer 9" */
  char manufacturer[PW_BIDI_TEXT_MAX]; /* "Example" */
  char model[PW_BIDI_TEXT_MAX]; /* "Printer 9" (no manufacturer, if known) */
  char device_id[PW_BIDI_DEVICE_ID_MAX]; /* IEEE 1284 device ID */
  char serial[PW_BIDI_TEXT_MAX];
  uint64_t page_count;
  size_t nmarkers;
  pw_marker markers[PW_BIDI_MAX_MARKERS];
} pw_printer_facts;

/* Nothing known. */
void pw_printer_facts_init(pw_printer_facts *f);

/* Copy text from a device into dst[0..cap): valid UTF-8 is kept, control
 * characters and bytes that are not UTF-8 become '?', and a cut falls on a
 * character boundary; surrounding white space is dropped. NULL src gives
 * "". Returns dst. */
char *pw_bidi_copy_text(char *dst, size_t cap, const char *src);

/* A consumable's [Name] from a device's name for it ("Black Toner" ->
 * "BlackToner", "cyan-ink" -> "CyanInk"): letters and digits of each word,
 * each word capitalised, at most PW_BIDI_NAME_MAX - 1 octets; "" when
 * nothing is left. Returns dst. */
char *pw_bidi_marker_name(char *dst, size_t cap, const char *src);

/* Add a consumable (name made unique: "BlackToner2"; an empty name becomes
 * "Marker<n>"), with PW_FACT_MARKERS. 0 when full (PW_BIDI_MAX_MARKERS). */
int pw_printer_facts_add_marker(pw_printer_facts *f, const char *name,
                                const char *type, const char *color, int level);

/* ---- one call ---- */

/* One request of the spooler's container. */
typedef struct pw_bidi_request {
  uint32_t req;       /* its dwReqNumber, copied to its answers */
  const char *schema; /* the path as UTF-8; NULL: unreadable (answered
                         not supported) */
} pw_bidi_request;

/* One answer (BIDI_RESPONSE_DATA). */
typedef struct pw_bidi_value {
  uint32_t result;   /* PW_BIDI_OK or a PW_BIDI_* error */
  uint32_t req;      /* the dwReqNumber of the request it answers */
  char *schema;      /* the value's path; NULL for EnumSchema answers and
                        for requests that name no supported path */
  pw_bidi_type type; /* PW_BIDI_NULL when result is not PW_BIDI_OK */
  int32_t i;         /* INT; BOOL (0 or 1) */
  char *text;        /* STRING, TEXT: UTF-8 */
} pw_bidi_value;

typedef struct pw_bidi_response {
  size_t count;
  pw_bidi_value *values;
} pw_bidi_response;

/* Answer a call from facts (NULL: nothing known).
 *   EnumSchema  one TEXT answer per supported path (consumables: one set
 *               per marker in facts); requests are ignored
 *   Get         one answer per request: the value, or PW_BIDI_NO_DATA (a
 *               supported path the printer did not report),
 *               PW_BIDI_SCHEMA_NOT_SUPPORTED (any other path, hostile ones
 *               included), PW_BIDI_DEVICE_OFFLINE (facts say OFFLINE)
 *   GetAll      every value with data below each requested path
 *               ("\Printer.Consumables", "\Printer"), in table order; a
 *               request matching values without data gets one
 *               PW_BIDI_NO_DATA answer, one matching nothing one
 *               PW_BIDI_SCHEMA_NOT_SUPPORTED
 *   Set         every value is read-only: PW_BIDI_SCHEMA_READ_ONLY for a
 *               supported path, else PW_BIDI_SCHEMA_NOT_SUPPORTED
 * PW_OK with *out (free with pw_bidi_response_free); PW_EINVAL (out NULL,
 * reqs NULL with n > 0, n > PW_BIDI_MAX_REQUESTS, or n == 0 for anything
 * but EnumSchema), PW_ENOMEM. */
int pw_bidi_answer(const pw_printer_facts *facts, pw_bidi_action action,
                   const pw_bidi_request *reqs, size_t n,
                   pw_bidi_response **out);
void pw_bidi_response_free(pw_bidi_response *r);
/* 1 if an answer carries an error (the call then reports
 * ERROR_BIDI_STATUS_WARNING). */
int pw_bidi_response_has_errors(const pw_bidi_response *r);

/* Whether answering needs the printer's facts: EnumSchema (consumable
 * names), or a Get/GetAll naming a supported path. Set never does. */
int pw_bidi_needs_facts(pw_bidi_action action, const pw_bidi_request *reqs,
                        size_t n);

/* Is path[0..len) (any octets, no terminator needed) a path portway
 * answers? 1, else 0: longer than PW_BIDI_MAX_PATH, an octet outside
 * printable ASCII (NUL and space included), or not in the table. Case does
 * not matter. canon (cap octets, may be NULL) gets the path as the table
 * spells it; a consumable keeps the name as given. */
int pw_bidi_schema_supported(const char *path, size_t len, char *canon,
                             size_t cap);

#endif
