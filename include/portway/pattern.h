/* portway — output filename patterns and sanitization.
 *
 * A pattern is literal text with tokens in braces:
 *   {job}      spooler job id (0 when unknown)
 *   {doc}      document name          {user}    user name
 *   {machine}  submitting machine     {printer} printer name
 *   {port}     port name
 *   {date}     YYYYMMDD   {time} HHMMSS
 *   {year} {month} {day} {hour} {minute} {second}   zero-padded parts
 *   {n}        collision counter: 1, 2, 3, ...
 *   {{ and }}  literal braces
 * Unknown tokens and unbalanced braces are PW_EBADCONFIG at parse time.
 *
 * Every substituted value is sanitized (pw_sanitize_component) so that the
 * expanded name is always a single safe file name inside the configured
 * directory. The pattern's literal text must itself be a safe file name
 * (no separators, no control characters, not "." or "..").
 *
 * Without {n} in the pattern, collision attempt N > 1 inserts "-N" before
 * the last extension: "a.prn" -> "a-2.prn". Which attempt a job gets is the
 * file destination's business (src/core/dest/file.c, docs/file-port.md).
 */
#ifndef PORTWAY_PATTERN_H
#define PORTWAY_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of UTF-8 in an expanded file name. */
#define PW_MAX_FILENAME 200
/* At most this many bytes of UTF-8 are kept from one substituted text
 * value; fewer when several text tokens share what the pattern leaves of
 * PW_MAX_FILENAME (equal shares, at least 8 bytes each, or the pattern is
 * refused). */
#define PW_MAX_COMPONENT 64

typedef struct pw_pattern_vars {
  uint32_t job_id;
  const char *doc; /* any of these may be NULL -> "unknown" */
  const char *user;
  const char *machine;
  const char *printer;
  const char *port;
  /* local time of the job */
  int year, month, day, hour, minute, second;
} pw_pattern_vars;

/* Check a pattern's syntax. PW_OK or PW_EBADCONFIG (errbuf gets a reason). */
int pw_pattern_validate(const char *pattern, char *errbuf, size_t errlen);

/* Expand `pattern` for collision attempt `attempt` (1 = first try) into
 * out[0..cap). PW_OK, PW_EBADCONFIG, PW_ENAMETOOLONG (never truncates silently:
 * substituted values are bounded so a valid pattern never overflows
 * PW_MAX_FILENAME + 1 bytes of `out`). */
int pw_pattern_expand(const char *pattern, const pw_pattern_vars *vars,
                      unsigned attempt, char *out, size_t cap);

/* Make one path component safe: replaces path separators (/ \), ':' and
 * other characters Windows forbids (< > " | ? *), control characters and
 * invalid UTF-8 with '_'; strips leading/trailing spaces and dots; turns
 * "", ".", ".." into "_"; prefixes reserved device names (CON, PRN, AUX, NUL,
 * COM0-9, LPT0-9, CONIN$, CONOUT$, with or without extension, any case) with
 * '_'; bounds the result to `max_bytes` bytes without splitting a UTF-8
 * sequence. Writes a NUL-terminated string to out (cap >= max_bytes + 1).
 * NULL input gives "unknown". */
void pw_sanitize_component(const char *in, char *out, size_t cap,
                           size_t max_bytes);

/* True if `name` is already a safe single file name by the rules above. */
int pw_filename_is_safe(const char *name);

#ifdef __cplusplus
}
#endif
#endif
