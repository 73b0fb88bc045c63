/* portway — the portable core: monitor instances, ports, jobs, Xcv.
 *
 * The Windows front (src/monitor/) translates each MONITOR2 entry point into
 * one call here; native tests call the same functions directly.
 *
 * Threading: every function may be called from any thread. Handles are
 * validated (type tag + per-allocation serial), so NULL, garbage, stale and
 * closed handles give PW_EBADHANDLE and never touch freed memory. Ports are
 * reference counted: deleting or reconfiguring a port while a job is open on
 * it is safe; the job finishes with the configuration it started with.
 */
#ifndef PORTWAY_CORE_H
#define PORTWAY_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "portway/config.h"
#include "portway/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pw_monitor pw_monitor;
typedef uint64_t pw_handle; /* 0 is never a valid handle */

/* ---- configuration store ----
 * Implemented by the front (MONITORREG callbacks, registry fallback), by
 * monrun, and by tests (memory). A port is stored as key=value lines (the
 * canonical config text); the front maps each line to a registry value of
 * the same name under Ports\<name>. All strings are UTF-8. */
typedef struct pw_store {
  void *ctx;
  /* Call cb(arg, name) for each stored port; stop early if cb returns != 0.
   * cb calls read_port for the name, so no store lock may be held across
   * it. */
  int (*list_ports)(void *ctx, int (*cb)(void *arg, const char *name),
                    void *arg);
  /* Read a port's config text into malloc'd *text. PW_ENOENT if absent. */
  int (*read_port)(void *ctx, const char *name, char **text);
  /* Create or replace a port's entry. */
  int (*write_port)(void *ctx, const char *name, const char *text);
  /* Remove a port's entry. PW_ENOENT if absent. */
  int (*delete_port)(void *ctx, const char *name);
  /* Monitor-wide setting (e.g. "LogLevel") into malloc'd *value; PW_ENOENT
   * if unset. May be NULL (treated as "all unset"). */
  int (*read_setting)(void *ctx, const char *key, char **value);
  /* May be NULL (settings then read-only). */
  int (*write_setting)(void *ctx, const char *key, const char *value);
  /* May be NULL. A value that changes whenever a port's entry is written
   * or deleted, by this process or another (write_port and delete_port
   * must change it). The core compares it before re-reading a port at
   * OpenPort/StartDocPort, so an unchanged store costs one read of this
   * value instead of one read per port entry. 0 means "unknown": the
   * entry is read. */
  int (*read_stamp)(void *ctx, uint64_t *stamp);
  /* May be NULL. Once pw_monitor_create succeeded the monitor owns the
   * store and calls this when its memory is freed: inside
   * pw_monitor_destroy, or, if a call on one of its handles was still
   * running then, when that call returns. */
  void (*release)(void *ctx);
} pw_store;

/* ---- logging ---- */
typedef enum pw_log_level {
  PW_LOG_OFF = 0,
  PW_LOG_ERROR = 1,
  PW_LOG_WARN = 2,
  PW_LOG_INFO = 3, /* default: one line per job and per failure */
  PW_LOG_DEBUG = 4
} pw_log_level;

/* ---- port status (what the front turns into SetPort PORT_INFO_3) ----
 * The values are PORT_INFO_3's dwStatus codes; PW_PORT_STATUS_OK clears. */
typedef enum pw_port_status_code {
  PW_PORT_STATUS_OK = 0,
  PW_PORT_STATUS_OFFLINE = 1,
  PW_PORT_STATUS_PAPER_JAM = 2,
  PW_PORT_STATUS_PAPER_OUT = 3,
  PW_PORT_STATUS_OUTPUT_BIN_FULL = 4,
  PW_PORT_STATUS_PAPER_PROBLEM = 5,
  PW_PORT_STATUS_NO_TONER = 6,
  PW_PORT_STATUS_DOOR_OPEN = 7,
  PW_PORT_STATUS_USER_INTERVENTION = 8,
  PW_PORT_STATUS_OUT_OF_MEMORY = 9,
  PW_PORT_STATUS_TONER_LOW = 10,
  PW_PORT_STATUS_WARMING_UP = 11,
  PW_PORT_STATUS_POWER_SAVE = 12
} pw_port_status_code;

/* PORT_INFO_3's dwSeverity. */
typedef enum pw_port_severity {
  PW_PORT_SEVERITY_NONE = 0,
  PW_PORT_SEVERITY_ERROR = 1,
  PW_PORT_SEVERITY_WARNING = 2,
  PW_PORT_SEVERITY_INFO = 3
} pw_port_severity;

typedef struct pw_port_status {
  pw_port_status_code code;
  pw_port_severity severity;
  const char *text; /* UTF-8, may be NULL; valid during the call only */
} pw_port_status;

/* ---- hooks the front provides (all optional) ---- */
typedef struct pw_hooks {
  void *ctx;
  /* Edge-triggered: called when a port's status changes (a destination
   * reported a device condition, or a failure/recovery), never twice in a
   * row with the same status. Runs outside every core lock, on the thread
   * of the call that observed the change. */
  void (*port_status)(void *ctx, pw_monitor *mon, const char *port,
                      const pw_port_status *status);
  /* Called once after a job was delivered whole (EndDocPort succeeded) and
   * both printer and job id are known: the front calls
   * SetJob(JOB_CONTROL_SENT_TO_PRINTER). It runs outside every lock, and
   * may run after pw_monitor_destroy returned if EndDocPort was still in
   * flight (a spooler bug, survived): `mon` is then still valid, so use it
   * (e.g. for pw_monitor_log) rather than anything ctx owns. */
  void (*job_delivered)(void *ctx, pw_monitor *mon, const char *printer,
                        uint32_t job_id);
} pw_hooks;

typedef struct pw_monitor_options {
  const char *name;      /* monitor name, e.g. "portway" */
  const char *data_dir;  /* monitor data folder: log file, default output */
  const pw_store *store; /* required; copied */
  const pw_hooks *hooks; /* may be NULL; copied */
  const char *ui_dll;    /* answer to Xcv "MonitorUI", e.g. "portwayui.dll" */
  /* How long ClosePort and Shutdown wait for destination I/O they cancelled
   * to return (0: PW_DEFAULT_CLOSE_WAIT_MS). After that they return anyway;
   * the I/O call, when it comes back, aborts the job itself. */
  uint32_t close_wait_ms;
} pw_monitor_options;

#define PW_DEFAULT_CLOSE_WAIT_MS 500u

/* Create an instance and load every port from the store (entries that fail
 * validation are logged and skipped, never trusted). */
int pw_monitor_create(const pw_monitor_options *opt, pw_monitor **out);
/* Shutdown: aborts open jobs (nothing half-written is left under a final
 * name), invalidates every handle of this instance, frees everything. A
 * call on one of its port handles that is still running when this is called
 * finishes safely: the instance's memory is freed when the last such call
 * returns. */
void pw_monitor_destroy(pw_monitor *mon);

/* ---- ports ---- */
/* Add a port; config_text NULL or "" means the default destination
 * (pw_port_config_default). Written to the store before it becomes visible.
 * PW_EBADNAME, PW_EEXIST, PW_EBADCONFIG, PW_ENOTSUP (scheme not yet
 * supported), store errors. */
int pw_monitor_add_port(pw_monitor *mon, const char *name,
                        const char *config_text, char *errbuf, size_t errlen);
/* Replace a port's configuration; open jobs keep their old one. */
int pw_monitor_set_port(pw_monitor *mon, const char *name,
                        const char *config_text, char *errbuf, size_t errlen);
/* Remove a port from the store and the list; open jobs finish normally. */
int pw_monitor_delete_port(pw_monitor *mon, const char *name);
/* *exists = 1 if the port is known (in memory or in the store). */
int pw_monitor_port_exists(pw_monitor *mon, const char *name, int *exists);
/* Check that a port's destination could take a job now, without printing
 * (connect and hang up; a file port's directory is writable). PW_OK or the
 * cause; `verdict` (may be NULL) always gets one line of UTF-8 saying what
 * was found. PW_ENOENT for an unknown port, PW_ENOTSUP for a type that
 * cannot be tested. */
int pw_monitor_test_port(pw_monitor *mon, const char *name, char *verdict,
                         size_t len);
/* The same for a configuration that is not (or not yet) a port's: the Add
 * Port dialog's Test before the port exists. `name` is for the log only.
 * PW_EBADCONFIG (verdict: the reason) for a text that does not parse. */
int pw_monitor_test_config(pw_monitor *mon, const char *name,
                           const char *config_text, char *verdict, size_t len);
/* Canonical config text, malloc'd. PW_ENOENT if unknown. */
int pw_monitor_get_port_config(pw_monitor *mon, const char *name, char **text);

/* What a port is, for EnumPorts' fPortType. */
#define PW_PORT_INFO_READ 0x1u /* has a back channel (ReadPort works) */
#define PW_PORT_INFO_NET 0x2u  /* a network-attached device */

typedef struct pw_port_info {
  char *name;
  const char *description; /* static string */
  unsigned flags;          /* PW_PORT_INFO_* */
} pw_port_info;
typedef struct pw_port_list {
  size_t count;
  pw_port_info *ports; /* sorted by name (case-insensitive ASCII) */
} pw_port_list;
/* Snapshot of the port list (for EnumPorts). */
int pw_monitor_list_ports(pw_monitor *mon, pw_port_list *out);
void pw_port_list_free(pw_port_list *list);

/* Monitor-wide log level (read at create from setting "LogLevel":
 * off|error|warn|info|debug). */
pw_log_level pw_monitor_log_level(const pw_monitor *mon);
int pw_monitor_set_log_level(pw_monitor *mon, pw_log_level level);
/* Write a line to the monitor log (used by the front for boundary errors). */
void pw_monitor_log(pw_monitor *mon, pw_log_level level, const char *fmt, ...)
    PW_PRINTF(3, 4);
/* Escape a value from outside (document, printer, user name) for a
 * key="..." field of a log line; see src/core/log.h. Returns buf. */
const char *pw_log_field(char *buf, size_t cap, const char *s);
/* Full path of the log file (valid while mon lives). */
const char *pw_monitor_log_path(const pw_monitor *mon);

/* ---- jobs on a port handle ---- */
typedef struct pw_doc_info {
  const char *printer;  /* may be NULL (Wine) */
  uint32_t job_id;      /* may be 0 (Wine) */
  const char *doc_name; /* may be NULL */
  const char *user;     /* may be NULL */
  const char *machine;  /* may be NULL */
  const char *datatype; /* may be NULL */
} pw_doc_info;

/* OpenPort: PW_ENOENT for an unknown port (the front answers
 * ERROR_UNKNOWN_PORT). A port added by another process is found through
 * the store. */
int pw_port_open(pw_monitor *mon, const char *port_name, pw_handle *out);
/* StartDocPort: PW_EBUSY if a job is already active on this handle,
 * PW_ENOTSUP for a destination type not yet implemented, destination errors
 * (directory missing, access denied...). */
int pw_port_start_doc(pw_handle h, const pw_doc_info *doc);
/* WritePort: all or nothing. On failure the job is poisoned: later writes
 * fail with PW_EABORTED and EndDocPort discards the job and fails.
 * PW_ESTATE without an active job. len 0 succeeds. */
int pw_port_write(pw_handle h, const void *buf, size_t len, size_t *written);
/* ReadPort: PW_ENOTSUP for file ports (no back channel). */
int pw_port_read(pw_handle h, void *buf, size_t len, size_t *nread);
/* EndDocPort: commits (file: rename to the final unique name). If the job
 * was poisoned it is discarded and the write error is returned. PW_ESTATE
 * without an active job. Either way the job is over after this call. */
int pw_port_end_doc(pw_handle h);
/* ClosePort: aborts an active job, invalidates the handle, frees it. */
int pw_port_close(pw_handle h);

/* ---- time-outs (MONITOR2 SetPortTimeOuts) ----
 * Each port handle starts with its port's configured defaults; the spooler
 * or a language monitor may change them per handle. 0 means "the port's
 * default". They apply to the next StartDocPort (connect) and to every
 * later read and write. */
typedef struct pw_timeouts {
  uint32_t connect_ms; /* opening the destination (connect, spawn) */
  uint32_t read_ms;    /* one ReadPort call */
  uint32_t write_ms;   /* one WritePort call */
} pw_timeouts;
int pw_port_set_timeouts(pw_handle h, const pw_timeouts *t);
/* The effective values (defaults resolved). */
int pw_port_get_timeouts(pw_handle h, pw_timeouts *t);

/* ---- Bidi (SendRecvBidiDataFromPort) ----
 * The request and answer types, and the schema portway answers, are in
 * src/core/bidi.h (the model the language monitor shares). */
typedef struct pw_bidi_request pw_bidi_request;
typedef struct pw_bidi_response pw_bidi_response;
/* Answer one Bidi call on a port handle. action: "EnumSchema", "Get",
 * "GetAll" or "Set", in any case (reqs are ignored for EnumSchema). An IPP
 * port asks its printer (one Get-Printer-Attributes on a connection of its
 * own, one attempt, the handle's time-outs; ClosePort and Shutdown cancel
 * it), beside any job on the handle; a printer that cannot be reached
 * answers every value PW_BIDI_DEVICE_OFFLINE. Other port types have no
 * way to ask a device: PW_ENOTSUP.
 * PW_OK with *out (pw_bidi_response_free): failures of single requests are
 * in their answers. PW_EBADHANDLE; PW_EINVAL (out or action NULL, reqs
 * NULL with n > 0, n > PW_BIDI_MAX_REQUESTS, n == 0 but for EnumSchema);
 * PW_ENOTSUP (another action, GetWithArgument included; a port type
 * without Bidi); PW_ECANCELED (the handle was closed meanwhile);
 * PW_ENOMEM. */
int pw_port_bidi(pw_handle h, const char *action, const pw_bidi_request *reqs,
                 size_t n, pw_bidi_response **out);

/* Final path of the last job delivered on this handle (for tests/tools);
 * PW_ENOENT if none. Copies into out[0..cap). */
int pw_port_last_output(pw_handle h, char *out, size_t cap);

/* ---- Xcv ----
 * pw_xcv_data decodes the raw Xcv buffers itself (UTF-16LE strings), so the
 * whole command layer is portable and fuzzable. See docs/xcv.md.
 * Access: `granted` is the ACCESS_MASK from XcvOpenPort; mutating commands
 * need PW_SERVER_ACCESS_ADMINISTER and otherwise return PW_EACCES. */
#define PW_SERVER_ACCESS_ADMINISTER 0x00000001u
int pw_xcv_open(pw_monitor *mon, const char *object /* may be NULL */,
                uint32_t granted, pw_handle *out);
/* command: UTF-8 command name. *needed is always set (0 when no output).
 * Returns PW_OK, PW_ENOTFOUNDCMD, PW_EBADDATA, PW_ENOBUFS, PW_EACCES,
 * PW_ENOENT, PW_EEXIST, PW_EBADNAME, PW_EBADCONFIG, PW_ENOTSUP, ... */
int pw_xcv_data(pw_handle h, const char *command, const uint8_t *in,
                size_t in_len, uint8_t *out, size_t out_len, size_t *needed);
int pw_xcv_close(pw_handle h);

/* Release process-wide resources (handle table) once no instance is left.
 * Called from DllMain(PROCESS_DETACH) and at the end of native tests; safe to
 * call at any time (does nothing while instances exist). */
void pw_core_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
