/* monrun — a print spooler simulator for port monitor DLLs.
 *
 * monrun loads any port monitor DLL, initializes it the way a spooler does
 * (InitializePrintMonitor2 with a working MONITORREG, or the legacy
 * InitializePrintMonitor), and drives one operation per invocation: port
 * enumeration, Xcv commands, or print jobs with the spooler's call sequence.
 *
 * It is deliberately independent of portway's core: only the public Windows
 * headers (winspool.h, winsplp.h) describe the monitor it talks to.
 */
#ifndef MONRUN_H
#define MONRUN_H

#include <windows.h>
#include <winspool.h>
#include <winsplp.h>

#include <stddef.h>
#include <stdint.h>

/* Exit codes (documented in docs/monrun.md). */
enum {
  MR_EXIT_OK = 0,
  MR_EXIT_FAILED = 1, /* the monitor refused or an operation failed */
  MR_EXIT_USAGE = 2,  /* bad command line */
  MR_EXIT_LOAD = 3    /* DLL not loadable or its initialization failed */
};

#define MR_MB (1024.0 * 1024.0)

/* ---- util.c: messages, conversions, time ---- */
extern int mr_verbose; /* 0 quiet, 1 -v, 2 -vv (trace monitor calls) */

/* One-line message on stderr, prefixed "monrun: ". */
void mr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, only when mr_verbose >= level. */
void mr_info(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Contract violation by the monitor: always printed, once per distinct
 * message text. */
void mr_warn_once(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Line on stdout (UTF-8). */
void mr_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "error 5 (Access is denied)" for a Win32 code, into buf. */
const char *mr_errstr(DWORD code, char *buf, size_t cap);
/* UTF-16 -> UTF-8 into buf (truncates safely, "(null)" for NULL). */
const char *mr_u8(const wchar_t *w, char *buf, size_t cap);
/* UTF-8 -> newly allocated UTF-16 (free()). NULL on failure. */
wchar_t *mr_wdup_u8(const char *s);
wchar_t *mr_wdup(const wchar_t *s);

/* Parse a non-negative integer with optional K/M/G suffix (binary units).
 * Returns 0 on success. */
int mr_parse_size(const wchar_t *s, uint64_t *out);

double mr_now(void); /* seconds, monotonic, high resolution */
int mr_stderr_is_console(void);
/* Peak and current working set of this process (bytes); 0 on failure. */
int mr_memory(uint64_t *peak, uint64_t *current);

/* ---- monitor_reg.c: the spooler's registry store (MONITORREG) ---- */
typedef enum mr_reg_mode {
  MR_REG_WORKING = 0, /* all 10 callbacks backed by HKCU\Software\portway\... */
  MR_REG_STUB         /* like Wine 8.0: every callback returns 120 */
} mr_reg_mode;

/* Open (create) HKCU\Software\portway\monrun\<monitor_name> and prepare the
 * MONITORREG table. Returns a Win32 code. */
DWORD mr_reg_open(const wchar_t *monitor_name, mr_reg_mode mode);
/* Closes every key handle; returns how many keys the monitor left open
 * (not counting the root). */
unsigned mr_reg_close(void);
HANDLE mr_reg_spooler_cookie(void); /* MONITORINIT.hSpooler */
HANDLE mr_reg_root_handle(void);    /* MONITORINIT.hckRegistryRoot */
PMONITORREG mr_reg_table(void);     /* MONITORINIT.pMonitorReg */
/* Relative path under HKCU, for messages and the legacy init string. */
const wchar_t *mr_reg_root_path(void);
/* A second store, HKCU\Software\portway\monrun\<name>, for a language
 * monitor loaded beside the port monitor: its root handle for MONITORINIT
 * (closed by mr_reg_close). */
DWORD mr_reg_open_extra(const wchar_t *name, HANDLE *root);
/* Write Ports\<port>\<value> = text (REG_SZ) in the store of monitor
 * `name` (--lm-option: the language monitor's per-port options). */
DWORD mr_reg_set_port_value(const wchar_t *name, const wchar_t *port,
                            const wchar_t *value, const wchar_t *text);

/* ---- monitor_load.c: loading, initialization, entry-point adapter ---- */
typedef struct mr_monitor {
  HMODULE dll;
  int legacy;  /* initialized through InitializePrintMonitor (MONITOREX) */
  HANDLE hmon; /* MONITOR2 instance handle (NULL for legacy) */
  MONITOR2 m2; /* copy of the returned table, zero beyond its cbSize */
  MONITOR m1;  /* legacy table, zero beyond dwMonitorSize */
  DWORD reported_size;
  wchar_t *name; /* monitor name (registry key and AddPortEx) */
  /* A language monitor loaded over this port monitor (--lm): port handles
   * then come from its OpenPortEx and every port call goes to it. */
  struct mr_monitor *lm;
  const wchar_t *lm_printer; /* OpenPortEx's pPrinterName (--printer) */
  MONITORINIT lm_init;       /* the language monitor's own, kept alive */
} mr_monitor;

/* Loads and initializes. On failure prints one line and returns a Win32
 * code (the monitor is not loaded). */
DWORD mr_monitor_load(mr_monitor *mon, const wchar_t *dll, const wchar_t *name);
/* Shutdown (MONITOR2) and FreeLibrary. */
void mr_monitor_unload(mr_monitor *mon);

/* Adapters: the same calls for both table kinds. A missing entry point gives
 * FALSE with ERROR_NOT_SUPPORTED (or that code returned for Xcv data). */
BOOL mr_enum_ports(mr_monitor *mon, DWORD level, BYTE *buf, DWORD cb,
                   DWORD *needed, DWORD *returned);
BOOL mr_open_port(mr_monitor *mon, const wchar_t *port, HANDLE *h);
BOOL mr_start_doc(mr_monitor *mon, HANDLE h, const wchar_t *printer,
                  DWORD job_id, DOC_INFO_1W *doc);
BOOL mr_write_port(mr_monitor *mon, HANDLE h, BYTE *buf, DWORD cb,
                   DWORD *written);
BOOL mr_end_doc(mr_monitor *mon, HANDLE h);
BOOL mr_close_port(mr_monitor *mon, HANDLE h);
BOOL mr_xcv_open(mr_monitor *mon, const wchar_t *object, ACCESS_MASK access,
                 HANDLE *h);
DWORD mr_xcv_data(mr_monitor *mon, HANDLE h, const wchar_t *cmd, const BYTE *in,
                  DWORD cb_in, BYTE *out, DWORD cb_out, DWORD *needed);
BOOL mr_xcv_close(mr_monitor *mon, HANDLE h);
int mr_has_xcv(const mr_monitor *mon);
int mr_has_add_port_ex(const mr_monitor *mon);
BOOL mr_add_port_ex(mr_monitor *mon, const wchar_t *port);

/* ---- langmon.c: a language monitor over the port monitor (--lm) ----
 * Loads the DLL (InitializePrintMonitor2 with OpenPortEx required) with its
 * own store, hooks its SetPortW / SetJobW / OpenPrinterW / ClosePrinter
 * imports (monrun is the spooler: it prints what the language monitor
 * tells it, "SetPort PORT: ..." and "SetJob PRINTER JOB: ..." lines on
 * stdout) and attaches it to pm. A legacy port monitor gets a MONITOR2
 * shim, as a spooler gives one. */
DWORD mr_lm_load(mr_monitor *lm, mr_monitor *pm, const wchar_t *dll,
                 const wchar_t *name);
/* The table OpenPortEx gets for pm. */
MONITOR2 *mr_lm_pm_table(mr_monitor *pm);

/* ---- command options (filled by main.c) ---- */
typedef struct mr_opts {
  const wchar_t *doc_name;    /* --doc (default: input file name) */
  const wchar_t *printer;     /* --printer (default NULL, like Wine) */
  DWORD job_id;               /* --job (default 0, like Wine) */
  const wchar_t *output_file; /* --output-file (DOC_INFO_1.pOutputFile) */
  const wchar_t *datatype;    /* --datatype (default RAW) */
  DWORD chunk;                /* --chunk (default 4096) */
  uint64_t jobs;              /* --jobs */
  unsigned threads;           /* --threads (0: one per port) */
  const wchar_t *ports;       /* --ports P1,P2 */
  uint64_t size;              /* --size (bench-jobs) */
  uint64_t synthetic;         /* --synthetic BYTES (instead of FILE) */
  int have_synthetic;
  uint64_t warmup;          /* --warmup jobs (bench-jobs, untimed) */
  int reopen;               /* --reopen: OpenPort/ClosePort per job */
  int mem;                  /* --mem: report working-set growth */
  int user;                 /* --user: Xcv without admin right */
  const wchar_t *input_hex; /* --input-hex (raw xcv) */
  const wchar_t *action;    /* --action (bidi; default Get) */
  const wchar_t *lm_dll;    /* --lm DLL: a language monitor over DLL */
  const wchar_t *lm_name;   /* --lm-name (default: its file name) */
  wchar_t *lm_options;      /* --lm-option K=V..., joined by newlines */
  uint64_t out_size;        /* --out-size (raw xcv first call) */
  int no_retry;             /* --no-retry (raw xcv) */
} mr_opts;

/* ---- ports.c ---- */
int mr_cmd_ports(mr_monitor *mon);

/* ---- xcv.c ---- */
int mr_cmd_add_port(mr_monitor *mon, const wchar_t *name,
                    const wchar_t *config);
int mr_cmd_set_port(mr_monitor *mon, const wchar_t *name,
                    const wchar_t *config);
int mr_cmd_get_port(mr_monitor *mon, const wchar_t *name);
int mr_cmd_delete_port(mr_monitor *mon, const wchar_t *name);
int mr_cmd_xcv(mr_monitor *mon, const mr_opts *o, const wchar_t *object,
               const wchar_t *cmd, const wchar_t *input);
/* Joins config arguments with '\n' and turns a literal "\n" into a newline.
 * Newly allocated; NULL when there are none. */
wchar_t *mr_join_config(wchar_t **args, int n);

/* ---- getdata.c ---- */
int mr_cmd_get_data(mr_monitor *mon, const wchar_t *port, const wchar_t *name);

/* ---- bidi.c ---- */
/* SendRecvBidiDataFromPort (o->action, default Get) with schemas[0..n) on
 * PORT; one line per answer. Exports the spooler's Bidi allocator. */
int mr_cmd_bidi(mr_monitor *mon, const mr_opts *o, const wchar_t *port,
                wchar_t **schemas, int n);

/* ---- job_driver.c ---- */
int mr_cmd_print(mr_monitor *mon, const mr_opts *o, const wchar_t *port,
                 const wchar_t *file);
int mr_cmd_print_many(mr_monitor *mon, const mr_opts *o, const wchar_t *ports,
                      const wchar_t *file);
int mr_cmd_bench_jobs(mr_monitor *mon, const mr_opts *o, const wchar_t *port);

/* ---- job_source.c: job data, streamed from a file or synthetic ----
 * Synthetic data: byte at stream offset i is (i % MR_SYN_PERIOD), so any
 * output can be checked without keeping a copy (bench/writeloop.c and the
 * e2e scripts generate the same bytes). */
#define MR_SYN_PERIOD 251u

typedef struct mr_source {
  HANDLE file;        /* NULL for synthetic data */
  uint64_t remaining; /* synthetic bytes left */
  uint64_t pos;       /* bytes produced so far */
  BYTE *pattern;      /* synthetic: chunk + MR_SYN_PERIOD bytes */
} mr_source;

/* Both return 0 or a Win32 code; the source must be closed either way. */
DWORD mr_source_open_file(mr_source *src, const wchar_t *path);
DWORD mr_source_open_synthetic(mr_source *src, uint64_t bytes, DWORD chunk);
/* Next chunk: fills up to cap bytes (short only at the end; *got 0 = end).
 * *data points at the bytes: buf for files, the shared pattern for synthetic
 * data (no copy, so the generator costs nothing). Returns 0 or a Win32
 * code. */
DWORD mr_source_read(mr_source *src, BYTE *buf, DWORD cap, DWORD *got,
                     BYTE **data);
void mr_source_close(mr_source *src);

#endif
