/* portway — internal: pieces of the port configuration parser shared by
 * config.c (text, options, formatting) and config_scheme.c (URI rules). */
#ifndef PORTWAY_CONFIG_INTERNAL_H
#define PORTWAY_CONFIG_INTERNAL_H

#include <stddef.h>

#include "portway/config.h"

#define PW_DEFAULT_TIMEOUT_MS 60000u
#define PW_LPD_QUEUE_MAX 32 /* bytes; RFC 1179 queue names are short */
#define PW_HOST_MAX 255

#include "core/errbuf.h" /* pw_errbuf_printf */

/* Fill the destination fields of cfg (kind, dir, host, port, queue, tls,
 * command) from a parsed URI. PW_EBADCONFIG / PW_ENAMETOOLONG with a reason
 * in errbuf, PW_ENOMEM. */
int pw_config_apply_uri(pw_port_config *cfg, const pw_uri *uri, char *errbuf,
                        size_t errlen);

/* Normalise a local or UNC directory (the rules of file:// paths): '\' to
 * '/', drive letter upper-cased, duplicate and trailing '/' removed, no "."
 * or ".." segments. host may be NULL. */
int pw_config_normalize_dir(const char *host, const char *path, char **out,
                            char *errbuf, size_t errlen);

/* Canonical URI of cfg's destination (newly allocated). PW_EINVAL if cfg
 * lacks the fields its kind needs. */
int pw_config_build_uri(const pw_port_config *cfg, char **out);

/* Field-by-field equality (NULL == NULL); for tests, fuzzers and callers
 * that want to skip no-op reconfiguration. */
int pw_port_config_equal(const pw_port_config *a, const pw_port_config *b);

#endif
