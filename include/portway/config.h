/* portway — device URIs and port configuration.
 *
 * A port's configuration is human-readable text, one `key=value` per line
 * (blank lines and lines starting with '#' ignored, CRLF accepted):
 *
 *     uri=file:///C:/ProgramData/portway/output
 *     pattern={date}-{time}-{job}-{doc}.prn
 *
 * `uri` is required and is a CUPS-style device URI. Options may also be given
 * as URI query parameters (file:///C:/out?pattern=x.prn); a `key=value` line
 * wins over the same query parameter. The parsed result is normalised to the
 * canonical text (pw_port_config_format), which is what is stored and what
 * GetConfig returns: `uri=` without query, then each non-default option on
 * its own line, in a fixed order.
 *
 * Schemes: file (supported now), socket, lpd, ipp, ipps, pipe (parsed and
 * validated; the monitor answers PW_ENOTSUP until their destinations land).
 * The options `timeout` and `connect_timeout` are common to every type;
 * each type defines its own others (file: `pattern`, pipe: `args`) and
 * rejects the other types' ones.
 */
#ifndef PORTWAY_CONFIG_H
#define PORTWAY_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PW_MAX_CONFIG_TEXT 8192 /* bytes of UTF-8 config text accepted */
#define PW_MAX_URI 2048
#define PW_MAX_PATH 1024 /* bytes of UTF-8 in a destination directory */
#define PW_MAX_PATTERN 256

/* ---- generic URI (RFC 3986 subset used by CUPS device URIs) ---- */

typedef struct pw_uri_param {
  char *key;   /* percent-decoded, lowercased */
  char *value; /* percent-decoded */
} pw_uri_param;

typedef struct pw_uri {
  char *scheme;   /* lowercased: "file", "socket", ... */
  char *userinfo; /* percent-decoded, NULL if absent */
  char *host;     /* NULL if no authority; "" for file:/// ; IPv6 without [] */
  int port;       /* -1 if absent, else 0..65535 */
  char *path;     /* percent-decoded, "" if empty */
  pw_uri_param *params;
  size_t nparams;
} pw_uri;

/* Parse `text` (NUL-terminated UTF-8, at most PW_MAX_URI bytes).
 * PW_OK, PW_EBADCONFIG (syntax: no scheme, bad port, bad %-escape, control
 * characters, decoded NUL), PW_ENAMETOOLONG, PW_ENOMEM. On error *out is
 * zeroed and owns nothing. */
int pw_uri_parse(const char *text, pw_uri *out);
void pw_uri_free(pw_uri *uri);

/* ---- port configuration ---- */

typedef enum pw_dest_kind {
  PW_DEST_FILE = 1,
  PW_DEST_SOCKET, /* socket://host[:9100] */
  PW_DEST_LPD,    /* lpd://host[:515]/queue */
  PW_DEST_IPP,    /* ipp://host[:631]/path, ipps://... */
  PW_DEST_PIPE    /* pipe:/path/to/program?args=... */
} pw_dest_kind;

/* What every port type has; the type's own options (directory, host,
 * queue, program...) are behind `opts`, owned by the config and read
 * through the type's accessor (pw_file_opts and the like, in the core's
 * src/core/dest/<type>.h). */
typedef struct pw_port_config {
  pw_dest_kind kind;
  char *uri; /* canonical URI without query */
  /* common (time-outs; SetPortTimeOuts overrides them per handle): */
  uint32_t timeout_ms;         /* option timeout=<seconds>: one read/write */
  uint32_t connect_timeout_ms; /* option connect_timeout=<seconds> */
  void *opts; /* the type's options; NULL only in a config built by hand */
} pw_port_config;

#define PW_DEFAULT_IO_TIMEOUT_MS 60000u
#define PW_DEFAULT_CONNECT_TIMEOUT_MS 30000u

#define PW_DEFAULT_PATTERN "{date}-{time}-job{job}-{doc}.prn"

/* Parse configuration text (see top of file). On success *out is a newly
 * allocated config (free with pw_port_config_free). Unknown keys, unknown
 * options for the scheme, bad values and missing `uri` are PW_EBADCONFIG.
 * `errbuf` (may be NULL) receives a one-line reason. */
int pw_port_config_parse(const char *text, pw_port_config **out, char *errbuf,
                         size_t errlen);

/* Canonical text for a config (newly allocated, free()). */
int pw_port_config_format(const pw_port_config *cfg, char **text);

/* Default configuration for a port added by name only: a file port writing
 * into `<data_dir>/output` with PW_DEFAULT_PATTERN. */
int pw_port_config_default(const char *data_dir, pw_port_config **out);

pw_port_config *pw_port_config_clone(const pw_port_config *cfg);
void pw_port_config_free(pw_port_config *cfg);

/* Short description for EnumPorts level 2, e.g. "portway file port";
 * "portway port" for a value that names no type. */
const char *pw_dest_kind_name(pw_dest_kind kind);

/* ---- port names ----
 * Valid: 1..63 UTF-16 units (MAX_PORTNAME_LEN - 1), no control characters,
 * none of  \ / , " * ? < > |  (',' would break "PORT, Port" and ",XcvPort"),
 * no leading or trailing space. ':' is allowed ("PW1:"). */
int pw_port_name_validate(const char *name);

#ifdef __cplusplus
}
#endif
#endif
