/* portway — a program port's command line and environment, built without
 * a shell (docs/pipe-port.md):
 *
 * 1. the `args` template is split into tokens by the rules Windows'
 *    CommandLineToArgvW follows, BEFORE anything is substituted;
 * 2. each token is expanded on its own ({job}, {doc}, {user}, {machine},
 *    {printer}, {port}, {date}, {time}, {year}..{second}, {output}, {{, }});
 *    a value can never add, split or merge arguments, whatever it holds;
 * 3. the program gets the argv array (natively) or a command line the
 *    platform quotes back by the same rules (CreateProcessW).
 * No I/O here. */
#ifndef PORTWAY_DEST_PIPE_ARGS_H
#define PORTWAY_DEST_PIPE_ARGS_H

#include <stddef.h>

#include "portway/pattern.h"

#define PW_PIPE_MAX_ARGS 256   /* tokens of the template */
#define PW_PIPE_MAX_ARG 32768  /* bytes of one expanded argument */
#define PW_PIPE_MAX_VALUE 1024 /* bytes kept of one substituted value */

/* A NULL-terminated array of strings, freed with pw_strv_free. */
typedef struct pw_strv {
  char **v;
  size_t n;
} pw_strv;
void pw_strv_free(pw_strv *s);

/* Split a template by CommandLineToArgvW's rules: runs of spaces and tabs
 * separate tokens; "..." groups (the quotes are removed); 2n backslashes
 * before a quote give n backslashes and the quote delimits, 2n+1 give n
 * backslashes and a literal quote; other backslashes are literal; inside
 * quotes "" is a literal quote. PW_OK, PW_EBADCONFIG (an unclosed quote,
 * more than PW_PIPE_MAX_ARGS tokens, a control character), PW_ENOMEM. An
 * empty or blank template gives no tokens. */
int pw_pipe_split_args(const char *tmpl, pw_strv *out, char *errbuf,
                       size_t errlen);

/* Check that every token's {...} names a known token ({output} only when
 * has_output). PW_OK or PW_EBADCONFIG with the reason. */
int pw_pipe_check_tokens(const pw_strv *tokens, int has_output, char *errbuf,
                         size_t errlen);

/* Expand one token. Values are taken as they are, except that control
 * characters become '_' and each is cut to PW_PIPE_MAX_VALUE bytes at a
 * UTF-8 boundary (a NULL value is "unknown"). output may be NULL when the
 * port has none. *out is allocated. PW_OK, PW_EBADCONFIG, PW_ENOMEM,
 * PW_ENAMETOOLONG (over PW_PIPE_MAX_ARG). */
int pw_pipe_expand_arg(const char *token, const pw_pattern_vars *vars,
                       const char *output, char **out);

/* The child's environment: `base` ("NAME=VALUE" entries, e.g. ours), then
 * REDMON_PORT, _JOB, _PRINTER, _MACHINE, _USER, _DOCNAME, _FILENAME (when
 * output is not NULL), _SESSIONID (session, or "0") and the same as
 * PORTWAY_*, then the port's `extra` entries; a later entry replaces an
 * earlier one of the same name (compared case-insensitively, as Windows
 * does). */
int pw_pipe_build_env(const char *const *base, const pw_pattern_vars *vars,
                      const char *output, unsigned long session,
                      const pw_strv *extra, pw_strv *out);

#endif
