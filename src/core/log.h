/* portway — the monitor log: one line per job and per failure, appended to
 * <data_dir>/portway.log, shared safely by several processes (Wine loads the
 * monitor in each client process) and threads. */
#ifndef PORTWAY_LOG_H
#define PORTWAY_LOG_H

#include <stdarg.h>
#include <stddef.h>

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

/* ---- values from outside, made safe for one log field ----
 * A document, user or port name comes from the job and may hold anything.
 * pw_log_field escapes it so that, placed between double quotes in a line,
 * it can end neither the field nor the line:
 *   "  -> \"        \  -> \\
 *   LF -> \n   CR -> \r   TAB -> \t   other C0 controls and DEL -> \xHH
 *   C1 controls (U+0080..U+009F), U+2028, U+2029 -> \u0085, \u2028, ...
 *   a byte that is not part of valid UTF-8 -> \xHH
 * Valid UTF-8 is kept as it is. The result fits buf[0..cap) with its NUL;
 * what does not fit is cut at an escape or character boundary and marked
 * with "...". NULL s gives "(unknown)". Returns buf ("" when buf is NULL
 * or cap is 0), so it can be passed straight to a "%s". */
#define PW_LOG_FIELD_MAX 256 /* a good cap for names in a 2 KB line */
const char *pw_log_field(char *buf, size_t cap, const char *s);
/* A port's configuration text ("key=value" lines, see config.h) on one log
 * line: the lines joined with "; " (empty lines and the trailing newline
 * dropped, CRLF accepted), each escaped as pw_log_field does, and a ';'
 * inside a line written \x3b so no value can pose as another key. Same
 * bounds, cut mark and return value as pw_log_field. */
const char *pw_log_config_text(char *buf, size_t cap, const char *text);

/* "off", "error", "warn", "info", "debug" (case-insensitive). */
int pw_log_level_parse(const char *text, pw_log_level *out);
const char *pw_log_level_name(pw_log_level level);

#endif
