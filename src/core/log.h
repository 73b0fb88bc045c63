/* portway — the monitor log: one line per job and per failure, appended to
 * <data_dir>/portway.log, shared safely by several processes (Wine loads the
 * monitor in each client process) and threads. */
#ifndef PORTWAY_LOG_H
#define PORTWAY_LOG_H

#include <stdarg.h>

#include "portway/core.h"

typedef struct pw_log pw_log;

/* Open (create) the log at `path`. A log that cannot be opened is not an
 * error for the monitor: *out is then a log that discards lines, and the
 * return value says why (PW_OK when the file is open). */
int pw_log_open(const char *path, pw_log_level level, pw_log **out);
void pw_log_close(pw_log *log); /* NULL is a no-op */

void pw_log_set_level(pw_log *log, pw_log_level level);
pw_log_level pw_log_get_level(const pw_log *log);
const char *pw_log_path(const pw_log *log);

/* "2026-11-24 12:00:00.123 pid=42 INFO  <message>\n"; control characters in
 * the message are escaped so a hostile document name cannot forge lines.
 * Lines longer than 2 KB are truncated (marked with "..."). Thread-safe. */
void pw_log_write(pw_log *log, pw_log_level level, const char *fmt, ...)
    PW_PRINTF(3, 4);
void pw_log_vwrite(pw_log *log, pw_log_level level, const char *fmt,
                   va_list ap);

/* "off", "error", "warn", "info", "debug" (case-insensitive). */
int pw_log_level_parse(const char *text, pw_log_level *out);
const char *pw_log_level_name(pw_log_level level);

#endif
