/* pwctl — command-line administration of the portway port monitor.
 *
 * Everything goes through the public winspool API (AddMonitor, EnumPorts,
 * OpenPrinter(",XcvMonitor ...") + XcvData, AddPrinter, StartDocPrinter...),
 * so the same binary drives Windows' spoolsv and Wine's in-process spooler.
 * Strings stay UTF-16 from the command line to the API; output is converted
 * to UTF-8 only when written to a pipe or file (see report.c).
 */
#ifndef PWCTL_H
#define PWCTL_H

#include <windows.h>
#include <winspool.h>
#include <stdarg.h>

/* Exit codes (documented in docs/pwctl.md). */
#define PWCTL_EXIT_OK 0
#define PWCTL_EXIT_FAIL 1  /* the spooler or the monitor refused */
#define PWCTL_EXIT_USAGE 2 /* bad command line, nothing was changed */

#define PWCTL_DEFAULT_MONITOR L"portway"
#define PWCTL_DEFAULT_DLL L"portway.dll"

/* Options of one invocation; which ones a command accepts is decided by
 * its entry in main.c's command table. */
struct pwctl_opts {
  const wchar_t *cmd; /* command name, for messages */
  int verbose;
  const wchar_t *monitor; /* --name: monitor name (default portway) */
  const wchar_t *dll;     /* install --dll */
  const wchar_t *driver;  /* add-printer --driver */
  const wchar_t *doc;     /* print --doc */
  const wchar_t *filter;  /* ports --monitor */
  int purge;              /* uninstall --purge */
  int argc;               /* positional arguments after the command */
  wchar_t **argv;
};

/* ---- report.c: output and error reporting ---- */

/* Write to stdout (console: UTF-16; pipe or file: UTF-8). */
void pwctl_out(const wchar_t *fmt, ...);
/* Write text of any length to stdout unformatted. */
void pwctl_write(const wchar_t *text);
/* "pwctl: <cmd>: ..." on stderr, only with -v. */
void pwctl_note(const struct pwctl_opts *o, const wchar_t *fmt, ...);
/* "pwctl: <cmd>: <what>: <system message> (Win32 error N)" on stderr;
 * returns PWCTL_EXIT_FAIL. */
int pwctl_fail(const struct pwctl_opts *o, DWORD err, const wchar_t *fmt, ...);
/* "pwctl: <cmd>: <what>" on stderr without an error code; returns
 * PWCTL_EXIT_USAGE. */
int pwctl_usage_error(const struct pwctl_opts *o, const wchar_t *fmt, ...);
/* The system's text for a Win32 error, one line, no trailing period. */
void pwctl_win32_message(DWORD err, wchar_t *buf, size_t cap);

/* ---- util.c: small helpers shared by the commands ---- */

/* Case-insensitive equality as the spooler compares names. */
int pwctl_name_eq(const wchar_t *a, const wchar_t *b);
/* Newly allocated concatenation of NUL-terminated strings, ended by NULL;
 * NULL when out of memory. */
wchar_t *pwctl_concat(const wchar_t *first, ...);
/* Does the comma-separated port list of a printer contain `port`? */
int pwctl_port_list_has(const wchar_t *list, const wchar_t *port);
/* EnumPortsW level 2 into a newly allocated buffer (free()); 0 or a Win32
 * error. */
DWORD pwctl_enum_ports(PORT_INFO_2W **ports, DWORD *count);
/* EnumPrintersW(PRINTER_ENUM_LOCAL) level 2, same convention. */
DWORD pwctl_enum_printers(PRINTER_INFO_2W **printers, DWORD *count);

/* ---- commands (return an exit code) ---- */
int pwctl_cmd_install(struct pwctl_opts *o);        /* cmd_monitor.c */
int pwctl_cmd_uninstall(struct pwctl_opts *o);      /* cmd_monitor.c */
int pwctl_cmd_ports(struct pwctl_opts *o);          /* cmd_monitor.c */
int pwctl_cmd_add_port(struct pwctl_opts *o);       /* cmd_xcv.c */
int pwctl_cmd_set_port(struct pwctl_opts *o);       /* cmd_xcv.c */
int pwctl_cmd_get_port(struct pwctl_opts *o);       /* cmd_xcv.c */
int pwctl_cmd_delete_port(struct pwctl_opts *o);    /* cmd_xcv.c */
int pwctl_cmd_test_port(struct pwctl_opts *o);      /* cmd_xcv.c */
int pwctl_cmd_add_tcpip_port(struct pwctl_opts *o); /* cmd_xcv.c */
int pwctl_cmd_set_loglevel(struct pwctl_opts *o);   /* cmd_xcv.c */
int pwctl_cmd_add_printer(struct pwctl_opts *o);    /* cmd_printer.c */
int pwctl_cmd_delete_printer(struct pwctl_opts *o); /* cmd_printer.c */
int pwctl_cmd_print(struct pwctl_opts *o);          /* cmd_print.c */

/* cmd_xcv.c, also used by uninstall --purge: Xcv DeletePort on an open
 * ",XcvMonitor" handle; PWCTL_EXIT_*. */
int pwctl_xcv_open(const struct pwctl_opts *o, HANDLE *xcv);
int pwctl_xcv_delete_port(const struct pwctl_opts *o, HANDLE xcv,
                          const wchar_t *port);

/* driver.c: the driver add-printer uses when --driver is not given:
 * "Generic / Text Only" if installed, else "portway Generic" (installed on
 * first use). *name points to a static string. PWCTL_EXIT_*. */
int pwctl_default_driver(const struct pwctl_opts *o, const wchar_t **name);

#endif
