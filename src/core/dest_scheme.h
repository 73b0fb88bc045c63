/* portway — internal: what a port type says about its configuration.
 *
 * Each port type has one descriptor (`pw_dest_scheme`) in its own file,
 * src/core/dest/<type>.c (the file type's is in file_config.c), and one
 * row in the table in src/core/dest/registry.c. config.c owns everything
 * common: the key=value text, the URI line and its query, the options
 * `timeout` and `connect_timeout`, the canonical text's order. Everything
 * that differs between types goes through the descriptor, so config.c has
 * no per-type code and adding a type touches one new file plus a row.
 *
 * A type's options live in a struct of its own (pw_file_options, ...),
 * owned by the pw_port_config (its `opts`) and read through the type's
 * accessor (pw_file_opts, ...) declared in src/core/dest/<type>.h.
 */
#ifndef PORTWAY_DEST_SCHEME_H
#define PORTWAY_DEST_SCHEME_H

#include <stddef.h>

#include "core/textbuf.h"
#include "portway/config.h"

struct pw_dest_ops;

typedef struct pw_dest_scheme {
  pw_dest_kind kind;
  /* URI scheme names, lowercase, NULL-terminated ("ipp", "ipps"). */
  const char *const *schemes;
  /* EnumPorts level 2 description, e.g. "portway file port". */
  const char *description;
  /* Option keys (lowercase) the type accepts beyond uri, timeout and
   * connect_timeout; NULL-terminated. Keys of other types are rejected
   * for this one with "option 'x' is not valid for a <description>". */
  const char *const *options;
  /* The type's I/O; NULL until it is implemented (the job layer then
   * answers PW_ENOTSUP). pw_dest_for_kind returns it. Capabilities (back
   * channel, retryable writes) are its flags: one source, next to the code
   * that has them. */
  const struct pw_dest_ops *ops;

  /* Validate the URI (u->scheme is one of `schemes`; its query is
   * config.c's business) and create the type's options from it, with
   * every option at its default. PW_EBADCONFIG / PW_ENAMETOOLONG with a
   * reason (no location) in errbuf, PW_ENOMEM. *opts is NULL on error. */
  int (*from_uri)(const pw_uri *u, void **opts, char *errbuf, size_t errlen);
  /* Set one option (key is one of `options`; value is trimmed and free of
   * control characters, possibly empty). PW_EBADCONFIG with a reason
   * (no location) in errbuf, PW_ENOMEM. NULL if `options` is empty. */
  int (*set_option)(void *opts, const char *key, const char *value,
                    char *errbuf, size_t errlen);
  /* Check the options together, once all are set (a rule one option
   * alone cannot decide: "{output} needs output="). PW_EBADCONFIG with a
   * reason (no location) in errbuf. NULL if the type has no such rule. */
  int (*check)(const void *opts, char *errbuf, size_t errlen);
  /* Append the canonical URI, without query. PW_EINVAL if opts lack what
   * the URI needs (a configuration built by hand). */
  int (*format_uri)(const void *opts, pw_textbuf *b);
  /* Append the option lines ("key=value\n") the canonical text holds, in a
   * fixed order. PW_EINVAL if a value cannot be written as a line. NULL if
   * the type has no options. */
  int (*format_options)(const void *opts, pw_textbuf *b);
  /* Deep copy (NULL if out of memory), equality, release (NULL-safe). */
  void *(*clone)(const void *opts);
  int (*equal)(const void *a, const void *b);
  void (*free)(void *opts);
} pw_dest_scheme;

/* The types, one descriptor each (a row of the table in registry.c). */
extern const pw_dest_scheme pw_dest_scheme_file;   /* dest/file_config.c */
extern const pw_dest_scheme pw_dest_scheme_socket; /* dest/socket.c */
extern const pw_dest_scheme pw_dest_scheme_lpd;    /* dest/lpd.c */
extern const pw_dest_scheme pw_dest_scheme_ipp;    /* dest/ipp.c */
extern const pw_dest_scheme pw_dest_scheme_pipe;   /* dest/pipe.c */

/* The type for a URI scheme name (lowercase, as pw_uri_parse gives it),
 * or NULL. */
const pw_dest_scheme *pw_dest_scheme_for_name(const char *scheme);
/* The type of a kind, or NULL for a value that names none. */
const pw_dest_scheme *pw_dest_scheme_for_kind(pw_dest_kind kind);
/* Row i of the table (0-based), NULL past its end. */
const pw_dest_scheme *pw_dest_scheme_at(size_t i);

#endif
