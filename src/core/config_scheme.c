/* portway — scheme rules for device URIs: what file, pipe, socket, lpd and
 * ipp(s) URIs may contain, how their paths are normalised, and how the
 * canonical URI is written back (see portway/config.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "config_internal.h"
#include "filename.h"
#include "portway/error.h"
#include "portway/utf.h"
#include "textbuf.h"
#include "utf8_decode.h"

static int is_local_host(const char *h) {
  return !h || !*h || pw_ascii_ieq(h, "localhost");
}

static int all_dots_and_spaces(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '.' && s[i] != ' ')
      return 0;
  }
  return 1;
}

/* A DNS/NetBIOS name (ASCII letters, digits, - . _ ~, or non-ASCII UTF-8)
 * or, if allowed, an IPv6 literal (already checked by the URI parser). */
static int host_valid(const char *h, size_t n, int allow_ipv6) {
  if (n == 0 || n > PW_HOST_MAX || all_dots_and_spaces(h, n))
    return 0;
  if (memchr(h, ':', n)) {
    if (!allow_ipv6)
      return 0;
    for (size_t i = 0; i < n; i++) {
      char c = pw_ascii_lower(h[i]);
      if (!pw_ascii_is_digit(c) && !(c >= 'a' && c <= 'f') && c != ':' &&
          c != '.')
        return 0;
    }
    return 1;
  }
  for (size_t i = 0; i < n; i++) {
    char c = h[i];
    if (!((unsigned char)c >= 0x80 || pw_ascii_is_alpha(c) ||
          pw_ascii_is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'))
      return 0;
  }
  return 1;
}

static int segment_check(const char *s, size_t n, char *errbuf, size_t errlen) {
  /* "." and ".." (and "...", ". ." which Windows may trim to them) would
   * let a configured directory climb out of where it appears to point. */
  if (all_dots_and_spaces(s, n)) {
    pw_errbuf_printf(errbuf, errlen,
                     "'.' and '..' path segments are not allowed");
    return PW_EBADCONFIG;
  }
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t len = pw_utf8_decode(s + i, n - i, &cp);
    if (len == 0 || pw_filename_char_forbidden(cp)) {
      if (len == 1 && cp >= 0x20 && cp < 0x7f)
        pw_errbuf_printf(errbuf, errlen, "character '%c' not allowed in path",
                         (char)cp);
      else
        pw_errbuf_printf(errbuf, errlen, "invalid character in path");
      return PW_EBADCONFIG;
    }
    i += len;
  }
  if (pw_is_dos_device_name(s, n)) {
    pw_errbuf_printf(errbuf, errlen,
                     "path segment '%.*s' is a reserved device name", (int)n,
                     s);
    return PW_EBADCONFIG;
  }
  return PW_OK;
}

static int path_error(char *p, pw_textbuf *b, int rc) {
  free(p);
  pw_textbuf_free(b);
  return rc;
}

/* Normalise path (see pw_config_normalize_dir). A non-local host makes it
 * a UNC path on that server. need_name: the path must name something below
 * the root (a program, not a directory). */
static int normalize_path(const char *host, const char *path, int allow_unc,
                          int need_name, char **out, char *errbuf,
                          size_t errlen) {
  *out = NULL;
  if (!pw_utf8_valid(path)) {
    pw_errbuf_printf(errbuf, errlen, "path is not valid UTF-8");
    return PW_EBADCONFIG;
  }
  size_t len = strlen(path);
  /* Zeroed slack after the terminator: the prefix checks below look ahead
   * up to p[3], which then never reads past the allocation. */
  char *p = calloc(len + 4, 1);
  if (!p)
    return PW_ENOMEM;
  pw_textbuf b = {0};
  for (size_t i = 0; i <= len; i++) {
    p[i] = path[i] == '\\' ? '/' : path[i];
    if (i < len && pw_ascii_is_control(p[i])) {
      pw_errbuf_printf(errbuf, errlen, "control character in path");
      return path_error(p, &b, PW_EBADCONFIG);
    }
  }

  const char *server = NULL, *rest = p;
  size_t server_len = 0;
  if (!is_local_host(host)) {
    server = host;
    server_len = strlen(host);
  } else if (p[0] == '/' && p[1] == '/') {
    const char *q = p;
    while (*q == '/')
      q++;
    server = q;
    server_len = strcspn(q, "/");
    rest = q + server_len;
  } else if (p[0] == '/' && pw_ascii_is_alpha(p[1]) && p[2] == ':' &&
             (p[3] == '/' || p[3] == '\0')) {
    pw_textbuf_addc(&b, pw_ascii_upper(p[1]));
    pw_textbuf_addc(&b, ':');
    rest = p + 3;
  } else if (pw_ascii_is_alpha(p[0]) && p[1] == ':' && p[2] == '/') {
    pw_textbuf_addc(&b, pw_ascii_upper(p[0]));
    pw_textbuf_addc(&b, ':');
    rest = p + 2;
  } else if (p[0] != '/') {
    pw_errbuf_printf(errbuf, errlen,
                     p[0] ? "path must be absolute" : "empty path");
    return path_error(p, &b, PW_EBADCONFIG);
  }

  if (server) {
    if (!allow_unc) {
      pw_errbuf_printf(errbuf, errlen, "network (UNC) paths not allowed");
      return path_error(p, &b, PW_EBADCONFIG);
    }
    /* \\localhost\share has no file:// spelling of its own (file://localhost
     * is the local machine), so it could not be stored canonically. */
    if (!host_valid(server, server_len, 0) ||
        pw_ascii_ieq_n(server, server_len, "localhost")) {
      pw_errbuf_printf(errbuf, errlen, "invalid server name in UNC path");
      return path_error(p, &b, PW_EBADCONFIG);
    }
    pw_textbuf_adds(&b, "//");
    pw_textbuf_add(&b, server, server_len);
  }
  size_t segments = 0;
  for (const char *r = rest; *r;) {
    if (*r == '/') {
      r++;
      continue;
    }
    size_t n = strcspn(r, "/");
    int rc = segment_check(r, n, errbuf, errlen);
    if (rc != PW_OK)
      return path_error(p, &b, rc);
    pw_textbuf_addc(&b, '/');
    pw_textbuf_add(&b, r, n);
    segments++;
    r += n;
  }
  if (server && segments == 0) {
    pw_errbuf_printf(errbuf, errlen, "UNC path needs a share name");
    return path_error(p, &b, PW_EBADCONFIG);
  }
  if (segments == 0) {
    if (need_name) {
      pw_errbuf_printf(errbuf, errlen, "path names no program");
      return path_error(p, &b, PW_EBADCONFIG);
    }
    pw_textbuf_addc(&b, '/'); /* the root keeps its slash */
  }
  free(p);
  if (!b.failed && b.len > PW_MAX_PATH) {
    pw_textbuf_free(&b);
    pw_errbuf_printf(errbuf, errlen, "path longer than %u bytes",
                     (unsigned)PW_MAX_PATH);
    return PW_ENAMETOOLONG;
  }
  return pw_textbuf_take(&b, out);
}

int pw_config_normalize_dir(const char *host, const char *path, char **out,
                            char *errbuf, size_t errlen) {
  return normalize_path(host, path, 1, 0, out, errbuf, errlen);
}

static int dup_str(const char *s, char **out) {
  size_t n = strlen(s);
  *out = malloc(n + 1);
  if (!*out)
    return PW_ENOMEM;
  memcpy(*out, s, n + 1);
  return PW_OK;
}

static int apply_local(pw_port_config *cfg, const pw_uri *u, char *errbuf,
                       size_t errlen) {
  if (u->userinfo || u->port >= 0) {
    pw_errbuf_printf(errbuf, errlen, "%s URIs take no user name or port",
                     u->scheme);
    return PW_EBADCONFIG;
  }
  if (cfg->kind == PW_DEST_FILE)
    return normalize_path(u->host, u->path, 1, 0, &cfg->dir, errbuf, errlen);
  return normalize_path(u->host, u->path, 0, 1, &cfg->command, errbuf, errlen);
}

static int lpd_queue_valid(const char *q) {
  size_t n = strlen(q);
  if (n == 0 || n > PW_LPD_QUEUE_MAX)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)q[i];
    if (c <= 0x20 || c >= 0x7f || c == '/')
      return 0;
  }
  return 1;
}

static int apply_network(pw_port_config *cfg, const pw_uri *u, int def_port,
                         char *errbuf, size_t errlen) {
  if (!u->host || !*u->host) {
    pw_errbuf_printf(errbuf, errlen, "%s URI needs a host", u->scheme);
    return PW_EBADCONFIG;
  }
  if (u->userinfo) {
    pw_errbuf_printf(errbuf, errlen, "user names in URIs are not supported");
    return PW_EBADCONFIG;
  }
  if (!host_valid(u->host, strlen(u->host), 1)) {
    pw_errbuf_printf(errbuf, errlen, "invalid host name");
    return PW_EBADCONFIG;
  }
  if (u->port == 0) {
    pw_errbuf_printf(errbuf, errlen, "port 0 is not allowed");
    return PW_EBADCONFIG;
  }
  cfg->port = u->port > 0 ? u->port : def_port;
  const char *path = u->path;
  const char *queue = NULL;
  switch (cfg->kind) {
  case PW_DEST_SOCKET:
    if (path[0] && strcmp(path, "/") != 0) {
      pw_errbuf_printf(errbuf, errlen, "socket URIs take no path");
      return PW_EBADCONFIG;
    }
    break;
  case PW_DEST_LPD:
    if (path[0] != '/' || !lpd_queue_valid(path + 1)) {
      pw_errbuf_printf(errbuf, errlen,
                       "lpd URI needs a queue name (1-%u printable ASCII "
                       "characters, no spaces or '/')",
                       (unsigned)PW_LPD_QUEUE_MAX);
      return PW_EBADCONFIG;
    }
    queue = path + 1;
    break;
  default: /* ipp, ipps */
    if (path[0] != '/' || path[1] == '\0') {
      pw_errbuf_printf(errbuf, errlen,
                       "%s URI needs a resource path (e.g. /printers/x)",
                       u->scheme);
      return PW_EBADCONFIG;
    }
    queue = path;
    break;
  }
  int rc = dup_str(u->host, &cfg->host);
  if (rc == PW_OK && queue)
    rc = dup_str(queue, &cfg->queue);
  return rc;
}

int pw_config_apply_uri(pw_port_config *cfg, const pw_uri *u, char *errbuf,
                        size_t errlen) {
  const char *s = u->scheme;
  if (strcmp(s, "file") == 0 || strcmp(s, "pipe") == 0) {
    cfg->kind = s[0] == 'f' ? PW_DEST_FILE : PW_DEST_PIPE;
    return apply_local(cfg, u, errbuf, errlen);
  }
  if (strcmp(s, "socket") == 0) {
    cfg->kind = PW_DEST_SOCKET;
    return apply_network(cfg, u, 9100, errbuf, errlen);
  }
  if (strcmp(s, "lpd") == 0) {
    cfg->kind = PW_DEST_LPD;
    return apply_network(cfg, u, 515, errbuf, errlen);
  }
  if (strcmp(s, "ipp") == 0 || strcmp(s, "ipps") == 0) {
    cfg->kind = PW_DEST_IPP;
    cfg->tls = s[3] == 's';
    /* CUPS uses 631 for ipps as well. */
    return apply_network(cfg, u, 631, errbuf, errlen);
  }
  pw_errbuf_printf(errbuf, errlen, "unsupported URI scheme '%.16s'", s);
  return PW_EBADCONFIG;
}

int pw_config_build_uri(const pw_port_config *cfg, char **out) {
  *out = NULL;
  pw_textbuf b = {0};
  switch (cfg->kind) {
  case PW_DEST_FILE:
    if (!cfg->dir || !cfg->dir[0])
      return PW_EINVAL;
    /* UNC "//srv/share" -> file://srv/share; "C:/x" -> file:///C:/x. */
    pw_textbuf_adds(&b, cfg->dir[0] == '/' && cfg->dir[1] == '/' ? "file:"
                        : cfg->dir[0] == '/'                     ? "file://"
                                                                 : "file:///");
    pw_textbuf_add_uri_encoded(&b, cfg->dir);
    break;
  case PW_DEST_PIPE:
    if (!cfg->command || !cfg->command[0])
      return PW_EINVAL;
    pw_textbuf_adds(&b, cfg->command[0] == '/' ? "pipe:" : "pipe:/");
    pw_textbuf_add_uri_encoded(&b, cfg->command);
    break;
  case PW_DEST_SOCKET:
  case PW_DEST_LPD:
  case PW_DEST_IPP: {
    if (!cfg->host || !cfg->host[0] || cfg->port <= 0 || cfg->port > 65535 ||
        (cfg->kind != PW_DEST_SOCKET && !cfg->queue))
      return PW_EINVAL;
    const char *scheme = cfg->kind == PW_DEST_SOCKET ? "socket://"
                         : cfg->kind == PW_DEST_LPD  ? "lpd://"
                         : cfg->tls                  ? "ipps://"
                                                     : "ipp://";
    pw_textbuf_adds(&b, scheme);
    int ipv6 = strchr(cfg->host, ':') != NULL;
    if (ipv6)
      pw_textbuf_addc(&b, '[');
    pw_textbuf_add_uri_encoded(&b, cfg->host);
    if (ipv6)
      pw_textbuf_addc(&b, ']');
    char port[16];
    snprintf(port, sizeof port, ":%d", cfg->port);
    pw_textbuf_adds(&b, port);
    if (cfg->kind == PW_DEST_LPD)
      pw_textbuf_addc(&b, '/');
    if (cfg->kind != PW_DEST_SOCKET)
      pw_textbuf_add_uri_encoded(&b, cfg->queue);
    break;
  }
  default:
    return PW_EINVAL;
  }
  /* Percent-encoding can triple a path: a canonical URI that would not
   * parse back (PW_MAX_URI) must be refused here, or the stored config
   * could never be loaded again. */
  if (b.len >= PW_MAX_URI) {
    pw_textbuf_free(&b);
    return PW_ENAMETOOLONG;
  }
  return pw_textbuf_take(&b, out);
}
