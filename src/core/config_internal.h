/* portway — internal: rule helpers shared by the configuration parser
 * (config.c) and the port types' configuration (src/core/dest/<type>.c):
 * local paths, network authorities, canonical text pieces. They live in
 * config_scheme.c. */
#ifndef PORTWAY_CONFIG_INTERNAL_H
#define PORTWAY_CONFIG_INTERNAL_H

#include <stddef.h>

#include "core/errbuf.h" /* pw_errbuf_printf */
#include "core/textbuf.h"
#include "portway/config.h"

#define PW_DEFAULT_TIMEOUT_MS PW_DEFAULT_IO_TIMEOUT_MS
#define PW_HOST_MAX 255

/* Strings equal, NULL == NULL. */
int pw_config_str_eq(const char *a, const char *b);
/* 1 if s holds an ASCII control character (would break a line). */
int pw_config_has_control(const char *s);

/* The path of a local-path URI (file:, pipe:) normalised: no user name or
 * port; '\' to '/', drive letter upper-cased, duplicate and trailing '/'
 * removed, no "." or ".." segments, no reserved or forbidden names. A
 * non-local host or a "//server/share" path is a UNC path (only if
 * allow_unc). need_name: the path must name something below the root (a
 * program, not a directory). Gives "C:/dir", "//server/share/dir" or
 * "/dir". PW_EBADCONFIG / PW_ENAMETOOLONG with a reason, PW_ENOMEM. */
int pw_config_local_path(const pw_uri *u, int allow_unc, int need_name,
                         char **out, char *errbuf, size_t errlen);

/* The authority of a network URI (socket:, lpd:, ipp:): a valid host name
 * or IPv6 literal, no user name, a port other than 0 (default_port when
 * absent). *host is a copy of u->host. PW_EBADCONFIG with a reason,
 * PW_ENOMEM. */
int pw_config_net_authority(const pw_uri *u, int default_port, char **host,
                            int *port, char *errbuf, size_t errlen);

/* Append "<scheme>://<host>:<port>" (IPv6 in brackets, host
 * percent-encoded). PW_EINVAL if host is empty or port out of 1..65535. */
int pw_config_add_authority(pw_textbuf *b, const char *scheme, const char *host,
                            int port);

/* Append the option line "key=value\n". PW_EINVAL if value holds a control
 * character (it would change the text's lines). */
int pw_config_add_option(pw_textbuf *b, const char *key, const char *value);

/* Option values every type spells the same way. PW_EBADCONFIG with
 * "<key> must be ..." in errbuf. */
int pw_config_parse_bool(const char *key, const char *value, int *out,
                         char *errbuf, size_t errlen); /* true/false/1/0 */
int pw_config_parse_count(const char *key, const char *value, int max, int *out,
                          char *errbuf, size_t errlen); /* 0..max */

/* Field-by-field equality (NULL == NULL); for tests, fuzzers and callers
 * that want to skip no-op reconfiguration. */
int pw_port_config_equal(const pw_port_config *a, const pw_port_config *b);

#endif
