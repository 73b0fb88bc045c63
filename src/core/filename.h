/* portway — internal: the single-file-name rules shared by the pattern
 * engine (pattern.c) and destination directory checks (config.c). */
#ifndef PORTWAY_FILENAME_H
#define PORTWAY_FILENAME_H

#include <stddef.h>
#include <stdint.h>

/* True for code points that may never appear in a file name: C0/C1 control
 * characters, DEL, path separators and the characters Windows forbids
 * (: < > " | ? *). */
int pw_filename_char_forbidden(uint32_t cp);

/* Windows trims trailing dots and spaces from names, and leading ones make
 * hidden or odd names: both pattern checks and sanitising treat them. */
static inline int pw_is_dot_or_space(char c) {
  return c == '.' || c == ' ';
}

/* True if name[0..len) names a DOS device on Windows: CON, PRN, AUX, NUL,
 * COM0-9, LPT0-9 (also with superscript 1-3), CONIN$, CONOUT$, in any case,
 * optionally followed by spaces and/or an extension ("nul .txt"). */
int pw_is_dos_device_name(const char *name, size_t len);

#endif
