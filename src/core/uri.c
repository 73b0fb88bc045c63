/* portway — generic URI parsing: the RFC 3986 subset used by CUPS device
 * URIs (see portway/config.h). Scheme-specific rules live in config.c. */
#include "portway/config.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "portway/error.h"
#include "portway/utf.h"

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decode s[0..n) into a new string. A malformed escape, a decoded
 * NUL or control character, or decoded bytes that are not UTF-8 make the
 * whole URI invalid: they could smuggle line breaks into the stored config
 * or truncate paths. */
static int pct_decode(const char *s, size_t n, char **out) {
  if (n >= PW_MAX_URI)
    return PW_ENAMETOOLONG; /* callers pass parts of a bounded URI */
  char *buf = malloc(n + 1);
  if (!buf)
    return PW_ENOMEM;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '%') {
      int hi = n - i >= 3 ? hex_value(s[i + 1]) : -1;
      int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
      if (lo < 0) {
        free(buf);
        return PW_EBADCONFIG;
      }
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    if (pw_ascii_is_control(c)) {
      free(buf);
      return PW_EBADCONFIG;
    }
    buf[o++] = c;
  }
  buf[o] = '\0';
  if (!pw_utf8_valid(buf)) {
    free(buf);
    return PW_EBADCONFIG;
  }
  *out = buf;
  return PW_OK;
}

static int ipv4_valid(const char *s, size_t n) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || s[i] != '.')
        return 0;
      i++;
    }
    size_t digits = 0;
    unsigned v = 0;
    while (i < n && pw_ascii_is_digit(s[i]) && digits < 3) {
      v = v * 10 + (unsigned)(s[i] - '0');
      i++;
      digits++;
    }
    if (digits == 0 || v > 255)
      return 0;
  }
  return i == n;
}

/* IPv6 literal (without brackets): up to 8 groups of 1-4 hex digits, at most
 * one "::", optionally ending in a dotted IPv4 address. No zone ids. */
static int ipv6_valid(const char *s, size_t n) {
  size_t i = 0, groups = 0;
  int dcolon = 0;
  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    dcolon = 1;
    i = 2;
  } else if (n == 0 || s[0] == ':') {
    return 0;
  }
  while (i < n) {
    size_t start = i, hex = 0;
    while (i < n && hex_value(s[i]) >= 0) {
      i++;
      hex++;
    }
    if (i < n && s[i] == '.') {
      if (!ipv4_valid(s + start, n - start))
        return 0;
      groups += 2;
      break;
    }
    if (hex == 0 || hex > 4)
      return 0;
    groups++;
    if (i == n)
      break;
    if (s[i] != ':')
      return 0;
    i++;
    if (i < n && s[i] == ':') {
      if (dcolon)
        return 0;
      dcolon = 1;
      i++;
    } else if (i == n) {
      return 0; /* trailing single ':' */
    }
  }
  return dcolon ? groups <= 7 : groups == 8;
}

static int parse_port(const char *s, size_t n, int *port) {
  if (n == 0 || n > 5)
    return PW_EBADCONFIG;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!pw_ascii_is_digit(s[i]))
      return PW_EBADCONFIG;
    v = v * 10 + (s[i] - '0');
  }
  if (v > 65535)
    return PW_EBADCONFIG;
  *port = v;
  return PW_OK;
}

/* Characters that would change the meaning of a host once decoded. */
static int host_char_forbidden(char c) {
  return c == ' ' || strchr(":@/\\[]?#%", c) != NULL;
}

static int parse_authority(const char *a, size_t n, pw_uri *u) {
  const char *at = NULL;
  for (size_t i = 0; i < n; i++) {
    if (a[i] == '@') {
      if (at)
        return PW_EBADCONFIG;
      at = a + i;
    }
  }
  if (at) {
    int rc = pct_decode(a, (size_t)(at - a), &u->userinfo);
    if (rc != PW_OK)
      return rc;
    n -= (size_t)(at + 1 - a);
    a = at + 1;
  }
  const char *port = NULL;
  size_t hostlen;
  if (n > 0 && a[0] == '[') {
    const char *close = memchr(a, ']', n);
    if (!close)
      return PW_EBADCONFIG;
    hostlen = (size_t)(close - a) - 1;
    if (!ipv6_valid(a + 1, hostlen))
      return PW_EBADCONFIG;
    u->host = malloc(hostlen + 1);
    if (!u->host)
      return PW_ENOMEM;
    memcpy(u->host, a + 1, hostlen);
    u->host[hostlen] = '\0';
    const char *rest = close + 1;
    size_t restlen = n - (size_t)(rest - a);
    if (restlen > 0) {
      if (rest[0] != ':')
        return PW_EBADCONFIG;
      port = rest + 1;
    }
  } else {
    const char *colon = memchr(a, ':', n);
    hostlen = colon ? (size_t)(colon - a) : n;
    int rc = pct_decode(a, hostlen, &u->host);
    if (rc != PW_OK)
      return rc;
    for (const char *p = u->host; *p; p++) {
      if (host_char_forbidden(*p))
        return PW_EBADCONFIG;
    }
    if (colon)
      port = colon + 1;
  }
  if (port)
    return parse_port(port, n - (size_t)(port - a), &u->port);
  return PW_OK;
}

static int add_param(pw_uri *u, const char *s, size_t n) {
  const char *eq = memchr(s, '=', n);
  size_t klen = eq ? (size_t)(eq - s) : n;
  if (klen == 0)
    return PW_EBADCONFIG;
  pw_uri_param *grown =
      realloc(u->params, (u->nparams + 1) * sizeof *u->params);
  if (!grown)
    return PW_ENOMEM;
  u->params = grown;
  pw_uri_param *p = &u->params[u->nparams];
  p->key = p->value = NULL;
  u->nparams++;
  int rc = pct_decode(s, klen, &p->key);
  if (rc != PW_OK)
    return rc;
  for (char *k = p->key; *k; k++)
    *k = pw_ascii_lower(*k);
  if (eq)
    return pct_decode(eq + 1, n - klen - 1, &p->value);
  return pct_decode("", 0, &p->value);
}

static int parse_query(const char *q, size_t n, pw_uri *u) {
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || q[i] == '&') {
      if (i > start) { /* empty pieces ("a=1&&b=2") are ignored */
        int rc = add_param(u, q + start, i - start);
        if (rc != PW_OK)
          return rc;
      }
      start = i + 1;
    }
  }
  return PW_OK;
}

static int uri_parse(const char *text, pw_uri *u) {
  size_t len = 0;
  while (text[len] != '\0') {
    if (len >= PW_MAX_URI)
      return PW_ENAMETOOLONG;
    len++;
  }
  if (!pw_utf8_valid(text))
    return PW_EBADCONFIG;
  for (size_t i = 0; i < len; i++) {
    /* Fragments have no meaning for a device URI; '#' must be %23. */
    if (pw_ascii_is_control(text[i]) || text[i] == '#')
      return PW_EBADCONFIG;
  }

  size_t i = 0;
  if (!pw_ascii_is_alpha(text[0]))
    return PW_EBADCONFIG;
  while (pw_ascii_is_alpha(text[i]) || pw_ascii_is_digit(text[i]) ||
         text[i] == '+' || text[i] == '-' || text[i] == '.')
    i++;
  if (text[i] != ':')
    return PW_EBADCONFIG;
  u->scheme = malloc(i + 1);
  if (!u->scheme)
    return PW_ENOMEM;
  for (size_t k = 0; k < i; k++)
    u->scheme[k] = pw_ascii_lower(text[k]);
  u->scheme[i] = '\0';
  const char *p = text + i + 1;

  if (p[0] == '/' && p[1] == '/') {
    p += 2;
    size_t alen = strcspn(p, "/?");
    int rc = parse_authority(p, alen, u);
    if (rc != PW_OK)
      return rc;
    p += alen;
  }
  size_t plen = strcspn(p, "?");
  int rc = pct_decode(p, plen, &u->path);
  if (rc != PW_OK)
    return rc;
  p += plen;
  if (*p == '?')
    return parse_query(p + 1, strlen(p + 1), u);
  return PW_OK;
}

int pw_uri_parse(const char *text, pw_uri *out) {
  if (!out)
    return PW_EINVAL;
  memset(out, 0, sizeof *out);
  out->port = -1;
  if (!text)
    return PW_EINVAL;
  int rc = uri_parse(text, out);
  if (rc != PW_OK)
    pw_uri_free(out);
  return rc;
}

void pw_uri_free(pw_uri *uri) {
  if (!uri)
    return;
  free(uri->scheme);
  free(uri->userinfo);
  free(uri->host);
  free(uri->path);
  for (size_t i = 0; i < uri->nparams; i++) {
    free(uri->params[i].key);
    free(uri->params[i].value);
  }
  free(uri->params);
  memset(uri, 0, sizeof *uri);
}
