/* portway — rules shared by the port types' URIs (config_internal.h):
 * local and UNC paths, host names and ports, and the pieces of canonical
 * text. Each type's own rules are in src/core/dest/<type>.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "config_internal.h"
#include "strutil.h"
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

/* Normalise path (see pw_config_local_path). */
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

int pw_config_local_path(const pw_uri *u, int allow_unc, int need_name,
                         char **out, char *errbuf, size_t errlen) {
  *out = NULL;
  if (u->userinfo || u->port >= 0) {
    pw_errbuf_printf(errbuf, errlen, "%s URIs take no user name or port",
                     u->scheme);
    return PW_EBADCONFIG;
  }
  return normalize_path(u->host, u->path, allow_unc, need_name, out, errbuf,
                        errlen);
}

int pw_config_net_authority(const pw_uri *u, int default_port, char **host,
                            int *port, char *errbuf, size_t errlen) {
  *host = NULL;
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
  *port = u->port > 0 ? u->port : default_port;
  return pw_strdup_to(u->host, host);
}

int pw_config_add_authority(pw_textbuf *b, const char *scheme, const char *host,
                            int port) {
  if (!host || !host[0] || port <= 0 || port > 65535)
    return PW_EINVAL;
  pw_textbuf_adds(b, scheme);
  pw_textbuf_adds(b, "://");
  int ipv6 = strchr(host, ':') != NULL;
  if (ipv6)
    pw_textbuf_addc(b, '[');
  pw_textbuf_add_uri_encoded(b, host);
  if (ipv6)
    pw_textbuf_addc(b, ']');
  char text[16];
  snprintf(text, sizeof text, ":%d", port);
  pw_textbuf_adds(b, text);
  return PW_OK;
}

int pw_config_str_eq(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int pw_config_has_control(const char *s) {
  for (; *s; s++) {
    if (pw_ascii_is_control(*s))
      return 1;
  }
  return 0;
}

int pw_config_add_option(pw_textbuf *b, const char *key, const char *value) {
  if (pw_config_has_control(value))
    return PW_EINVAL;
  pw_textbuf_adds(b, key);
  pw_textbuf_addc(b, '=');
  pw_textbuf_adds(b, value);
  pw_textbuf_addc(b, '\n');
  return PW_OK;
}

int pw_config_parse_bool(const char *key, const char *value, int *out,
                         char *errbuf, size_t errlen) {
  if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0) {
    *out = 1;
  } else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0) {
    *out = 0;
  } else {
    pw_errbuf_printf(errbuf, errlen, "%s must be true or false", key);
    return PW_EBADCONFIG;
  }
  return PW_OK;
}

int pw_config_parse_count(const char *key, const char *value, int max, int *out,
                          char *errbuf, size_t errlen) {
  int n = *value ? 0 : -1;
  for (const char *v = value; *v && n >= 0; v++) {
    if (*v < '0' || *v > '9' || n > max)
      n = -1;
    else
      n = n * 10 + (*v - '0');
  }
  if (n < 0 || n > max) {
    pw_errbuf_printf(errbuf, errlen, "%s must be 0..%d", key, max);
    return PW_EBADCONFIG;
  }
  *out = n;
  return PW_OK;
}
