/* portway — the port form of portwayui.dll (see ui_form.h): fields to
 * configuration text and back, field checks, the pattern preview. Only
 * the URI parser, the pattern engine and the port-name rule are used, so
 * the UI DLL links no destination code. */
#include "core/ui_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errbuf.h"
#include "core/textbuf.h"
#include "portway/error.h"

static int is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
static int is_alnum(unsigned char c) {
  return is_alpha(c) || is_digit(c);
}
static int is_xdigit(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static unsigned char to_lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static const char *const type_schemes[PW_UI_NTYPES] = {"file", "pipe", "socket",
                                                       "lpd", "ipp"};

const char *pw_ui_type_scheme(pw_ui_type type) {
  return (unsigned)type < PW_UI_NTYPES ? type_schemes[type] : "";
}

/* Copy s (n bytes) into dst[0..cap) with a NUL; 0 if it did not fit (dst
 * then holds ""). */
static int set_text(char *dst, size_t cap, const char *s, size_t n) {
  if (n >= cap) {
    dst[0] = '\0';
    return 0;
  }
  memcpy(dst, s, n);
  dst[n] = '\0';
  return 1;
}

#define SET(field, s) set_text((field), sizeof(field), (s), strlen(s))

void pw_ui_form_init(pw_ui_form *f, pw_ui_type type) {
  memset(f, 0, sizeof *f);
  f->type = (unsigned)type < PW_UI_NTYPES ? type : PW_UI_FILE;
  SET(f->dir, PW_UI_DEFAULT_DIR);
  SET(f->pattern, PW_DEFAULT_PATTERN);
  f->bytecount = 1;
}

static int has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return 1;
  return 0;
}

static int bad(pw_ui_field *field, pw_ui_field which, char *errbuf,
               size_t errlen, const char *what) {
  if (field)
    *field = which;
  pw_errbuf_printf(errbuf, errlen, "%s", what);
  return PW_EBADCONFIG;
}

/* ---- checks ------------------------------------------------------------ */

/* An absolute Windows folder or file path: "X:\..." or "\\server\share...";
 * no "." or ".." part, none of < > " | ? * and no ':' after the drive. */
static const char *path_problem(const char *p) {
  size_t n = strlen(p);
  if (n == 0)
    return "is empty";
  if (n >= PW_MAX_PATH)
    return "is too long";
  if (has_control(p))
    return "holds a control character";
  size_t at;
  if (is_alpha((unsigned char)p[0]) && p[1] == ':' &&
      (p[2] == '\\' || p[2] == '/')) {
    at = 3;
  } else if ((p[0] == '\\' || p[0] == '/') && (p[1] == '\\' || p[1] == '/')) {
    at = 2;
    const char *sep = strpbrk(p + 2, "\\/");
    if (!sep || sep == p + 2 || !sep[1] || sep[1] == '\\' || sep[1] == '/')
      return "must name a share: \\\\server\\share\\folder";
  } else {
    return "must be a full path such as C:\\Print\\Out";
  }
  const char *seg = p + at;
  for (const char *q = p + at;; q++) {
    if (*q == '\\' || *q == '/' || *q == '\0') {
      size_t len = (size_t)(q - seg);
      if ((len == 1 && seg[0] == '.') ||
          (len == 2 && seg[0] == '.' && seg[1] == '.'))
        return "must not contain . or .. parts";
      if (*q == '\0')
        break;
      seg = q + 1;
    } else if (strchr("<>\"|?*:", *q)) {
      return "contains a character Windows does not allow in names "
             "(< > \" | ? * :)";
    }
  }
  return NULL;
}

static int check_path(const char *p, const char *label, pw_ui_field which,
                      pw_ui_field *field, char *errbuf, size_t errlen) {
  const char *why = path_problem(p);
  if (!why)
    return PW_OK;
  if (field)
    *field = which;
  pw_errbuf_printf(errbuf, errlen, "%s %s", label, why);
  return PW_EBADCONFIG;
}

/* Host names and IPv4 (letters, digits, '-', '.', '_'), IPv6 literals
 * (hex digits, ':', '.', with or without brackets). */
static const char *host_problem(const char *h) {
  size_t n = strlen(h);
  if (n == 0)
    return "The printer's host name or address is empty";
  if (n > 255)
    return "The host name is longer than 255 characters";
  if (strchr(h, ':')) {
    size_t i = 0, end = n;
    if (h[0] == '[') {
      if (h[n - 1] != ']')
        return "An IPv6 address in brackets must end with ]";
      i = 1;
      end = n - 1;
    }
    for (; i < end; i++)
      if (!is_xdigit((unsigned char)h[i]) && h[i] != ':' && h[i] != '.')
        return "This is not a valid IPv6 address";
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)h[i];
    if (!is_alnum(c) && c != '-' && c != '.' && c != '_')
      return "A host name may hold only letters, digits, '-' and '.'";
  }
  if (h[0] == '.' || h[0] == '-')
    return "A host name cannot start with '.' or '-'";
  return NULL;
}

static int portnum_ok(const char *s) {
  if (!s[0])
    return 1;
  unsigned long v = 0;
  for (const char *p = s; *p; p++) {
    if (!is_digit((unsigned char)*p) || v > 65535)
      return 0;
    v = v * 10 + (unsigned long)(*p - '0');
  }
  return v >= 1 && v <= 65535;
}

static int starts_with_ci(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++)
    if (to_lower((unsigned char)*s) != (unsigned char)*prefix)
      return 0;
  return 1;
}

int pw_ui_check_port_name(const char *name, char *errbuf, size_t errlen) {
  if (pw_port_name_validate(name) == PW_OK)
    return PW_OK;
  const char *why;
  if (!name[0])
    why = "Enter a port name";
  else if (name[0] == ' ' || name[strlen(name) - 1] == ' ')
    why = "A port name cannot start or end with a space";
  else if (strpbrk(name, "\\/,\"*?<>|"))
    why = "A port name cannot contain \\ / , \" * ? < > or |";
  else if (has_control(name))
    why = "A port name cannot contain control characters";
  else
    why = "A port name is at most 63 characters long";
  pw_errbuf_printf(errbuf, errlen, "%s", why);
  return PW_EBADNAME;
}

static int check_extra(const pw_ui_form *f, pw_ui_field *field, char *errbuf,
                       size_t errlen) {
  const char *line = f->extra;
  while (*line) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    if (len >= 4 && starts_with_ci(line, "uri="))
      return bad(field, PW_UI_F_EXTRA, errbuf, errlen,
                 "The other options must not set uri=");
    if (len && line[0] != '#' && !memchr(line, '=', len))
      return bad(field, PW_UI_F_EXTRA, errbuf, errlen,
                 "Each other option is one key=value line");
    line += len + (nl ? 1 : 0);
  }
  return PW_OK;
}

int pw_ui_form_validate(const pw_ui_form *f, pw_ui_field *field, char *errbuf,
                        size_t errlen) {
  if (field)
    *field = PW_UI_F_NONE;
  char why[200];
  switch (f->type) {
  case PW_UI_FILE:
    if (check_path(f->dir, "The folder", PW_UI_F_DIR, field, errbuf, errlen))
      return PW_EBADCONFIG;
    if (!f->pattern[0])
      return bad(field, PW_UI_F_PATTERN, errbuf, errlen,
                 "Enter a file name pattern");
    if (pw_pattern_validate(f->pattern, why, sizeof why) != PW_OK) {
      if (field)
        *field = PW_UI_F_PATTERN;
      pw_errbuf_printf(errbuf, errlen, "The pattern is not valid: %s", why);
      return PW_EBADCONFIG;
    }
    break;
  case PW_UI_PIPE:
    if (check_path(f->program, "The program path", PW_UI_F_PROGRAM, field,
                   errbuf, errlen))
      return PW_EBADCONFIG;
    if (has_control(f->args))
      return bad(field, PW_UI_F_ARGS, errbuf, errlen,
                 "The arguments must be one line");
    if (f->output[0] && check_path(f->output, "The output folder",
                                   PW_UI_F_OUTPUT, field, errbuf, errlen))
      return PW_EBADCONFIG;
    break;
  case PW_UI_RAW:
  case PW_UI_LPR: {
    const char *h = host_problem(f->host);
    if (h)
      return bad(field, PW_UI_F_HOST, errbuf, errlen, h);
    if (!portnum_ok(f->portnum))
      return bad(field, PW_UI_F_PORTNUM, errbuf, errlen,
                 "The port number must be between 1 and 65535");
    if (f->type == PW_UI_LPR) {
      if (!f->queue[0])
        return bad(field, PW_UI_F_QUEUE, errbuf, errlen,
                   "Enter the LPD queue name");
      /* What lpd_config.c accepts (RFC 1179 queue names in practice). */
      size_t qn = strlen(f->queue);
      int qok = qn <= 32;
      for (size_t i = 0; qok && i < qn; i++)
        qok = f->queue[i] > ' ' && f->queue[i] < 0x7f && f->queue[i] != '/';
      if (!qok)
        return bad(field, PW_UI_F_QUEUE, errbuf, errlen,
                   "The queue name is 1 to 32 letters, digits or signs, "
                   "without spaces or '/'");
    }
    break;
  }
  case PW_UI_IPP: {
    if (!starts_with_ci(f->url, "ipp://") && !starts_with_ci(f->url, "ipps://"))
      return bad(field, PW_UI_F_URL, errbuf, errlen,
                 "The printer URL starts with ipp:// or ipps://");
    if (has_control(f->url) || strchr(f->url, ' '))
      return bad(field, PW_UI_F_URL, errbuf, errlen,
                 "The printer URL cannot contain spaces");
    pw_uri u;
    int rc = pw_uri_parse(f->url, &u);
    int nohost = rc == PW_OK && (!u.host || !u.host[0]);
    if (rc == PW_OK)
      pw_uri_free(&u);
    if (rc != PW_OK || nohost)
      return bad(field, PW_UI_F_URL, errbuf, errlen,
                 "The printer URL is not valid, e.g. "
                 "ipp://printer.example/ipp/print");
    break;
  }
  default:
    return bad(field, PW_UI_F_NONE, errbuf, errlen, "Choose a port type");
  }
  return check_extra(f, field, errbuf, errlen);
}

/* ---- fields to text ---------------------------------------------------- */

/* Percent-encode s, keeping unreserved characters, UTF-8 bytes and those
 * in `keep`; backslashes become '/' when slash is set. */
static void add_encoded(pw_textbuf *b, const char *s, const char *keep,
                        int slash) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p == '\\' && slash ? '/' : *p;
    if (c >= 0x80 || is_alnum(c) || strchr("-._~", c) ||
        (c && strchr(keep, c))) {
      pw_textbuf_addc(b, (char)c);
    } else {
      char esc[3] = {'%', hex[c >> 4], hex[c & 0x0f]};
      pw_textbuf_add(b, esc, 3);
    }
  }
}

/* "file:///C:/dir" or "file://server/share/dir" for a checked path. */
static void add_path_uri(pw_textbuf *b, const char *scheme, const char *path) {
  pw_textbuf_adds(b, scheme);
  size_t n = strlen(path);
  while (n > 3 && (path[n - 1] == '\\' || path[n - 1] == '/'))
    n--; /* "C:\out\" -> "C:\out" */
  char buf[PW_MAX_PATH];
  set_text(buf, sizeof buf, path, n);
  if (buf[0] == '\\' || buf[0] == '/') {
    pw_textbuf_adds(b, ":");
    add_encoded(b, buf, "/", 1); /* "//server/share" */
  } else {
    pw_textbuf_adds(b, ":///");
    add_encoded(b, buf, "/:", 1);
  }
}

static void add_line(pw_textbuf *b, const char *key, const char *value) {
  pw_textbuf_adds(b, key);
  pw_textbuf_addc(b, '=');
  pw_textbuf_adds(b, value);
  pw_textbuf_addc(b, '\n');
}

static void add_authority(pw_textbuf *b, const char *scheme,
                          const pw_ui_form *f) {
  pw_textbuf_adds(b, scheme);
  pw_textbuf_adds(b, "://");
  const char *h = f->host;
  if (strchr(h, ':') && h[0] != '[') {
    pw_textbuf_addc(b, '[');
    pw_textbuf_adds(b, h);
    pw_textbuf_addc(b, ']');
  } else {
    add_encoded(b, h, "[]:", 0);
  }
  if (f->portnum[0]) {
    pw_textbuf_addc(b, ':');
    pw_textbuf_adds(b, f->portnum);
  }
}

int pw_ui_form_build(const pw_ui_form *f, char **out, pw_ui_field *field,
                     char *errbuf, size_t errlen) {
  *out = NULL;
  int rc = pw_ui_form_validate(f, field, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  pw_textbuf b = {0};
  pw_textbuf_adds(&b, "uri=");
  switch (f->type) {
  case PW_UI_FILE:
    add_path_uri(&b, "file", f->dir);
    pw_textbuf_addc(&b, '\n');
    add_line(&b, "pattern", f->pattern);
    break;
  case PW_UI_PIPE:
    add_path_uri(&b, "pipe", f->program);
    pw_textbuf_addc(&b, '\n');
    if (f->args[0])
      add_line(&b, "args", f->args);
    if (f->output[0]) {
      pw_textbuf_adds(&b, "output=");
      add_path_uri(&b, "file", f->output);
      pw_textbuf_addc(&b, '\n');
    }
    break;
  case PW_UI_RAW:
    add_authority(&b, "socket", f);
    pw_textbuf_addc(&b, '\n');
    break;
  case PW_UI_LPR:
    add_authority(&b, "lpd", f);
    pw_textbuf_addc(&b, '/');
    add_encoded(&b, f->queue, "", 0);
    pw_textbuf_addc(&b, '\n');
    if (!f->bytecount)
      add_line(&b, "bytecount", "false");
    break;
  default: /* PW_UI_IPP; validate refused anything else */
    pw_textbuf_adds(&b, f->url);
    pw_textbuf_addc(&b, '\n');
    break;
  }
  pw_textbuf_adds(&b, f->extra);
  if (f->extra[0] && f->extra[strlen(f->extra) - 1] != '\n')
    pw_textbuf_addc(&b, '\n');
  return pw_textbuf_take(&b, out);
}

/* ---- text to fields ---------------------------------------------------- */

/* A path URI's path as a Windows path: "/C:/dir" -> "C:\dir"; a host other
 * than "" or "localhost" (or a "//server" path) -> "\\server\...". */
static int uri_to_path(const pw_uri *u, char *out, size_t cap) {
  pw_textbuf b = {0};
  const char *p = u->path;
  if (u->host && u->host[0] && strcmp(u->host, "localhost") != 0) {
    pw_textbuf_adds(&b, "//");
    pw_textbuf_adds(&b, u->host);
  } else if (p[0] == '/' && is_alpha((unsigned char)p[1]) && p[2] == ':') {
    p++;
  }
  pw_textbuf_adds(&b, p);
  char *s = NULL;
  if (pw_textbuf_take(&b, &s) != PW_OK)
    return 0;
  int windows = s[0] != '/' || s[1] == '/';
  if (windows)
    for (char *q = s; *q; q++)
      if (*q == '/')
        *q = '\\';
  int ok = set_text(out, cap, s, strlen(s));
  free(s);
  return ok;
}

static int is_false(const char *v) {
  return strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
         strcmp(v, "no") == 0 || strcmp(v, "off") == 0;
}

/* Set a known option of f's type; 0 if the form has no field for it. */
static int take_option(pw_ui_form *f, const char *key, const char *value) {
  switch (f->type) {
  case PW_UI_FILE:
    if (strcmp(key, "pattern") == 0)
      return SET(f->pattern, value);
    return 0;
  case PW_UI_PIPE:
    if (strcmp(key, "args") == 0)
      return SET(f->args, value);
    if (strcmp(key, "output") == 0) {
      pw_uri u;
      if (pw_uri_parse(value, &u) != PW_OK)
        return 0;
      int ok = strcmp(u.scheme, "file") == 0 &&
               uri_to_path(&u, f->output, sizeof f->output);
      pw_uri_free(&u);
      return ok;
    }
    return 0;
  case PW_UI_LPR:
    if (strcmp(key, "bytecount") == 0) {
      f->bytecount = !is_false(value);
      return 1;
    }
    return 0;
  default:
    return 0;
  }
}

static int fields_from_uri(pw_ui_form *f, const char *text, char *errbuf,
                           size_t errlen) {
  pw_uri u;
  if (pw_uri_parse(text, &u) != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "the port's URI does not parse: %s", text);
    return PW_EBADCONFIG;
  }
  int ok = 1;
  const char *s = u.scheme;
  if (strcmp(s, "file") == 0 || strcmp(s, "pipe") == 0) {
    pw_ui_form_init(f, s[0] == 'f' ? PW_UI_FILE : PW_UI_PIPE);
    if (f->type == PW_UI_PIPE)
      f->pattern[0] = '\0';
    ok = uri_to_path(&u, f->type == PW_UI_FILE ? f->dir : f->program,
                     PW_UI_PATH_MAX);
  } else if (strcmp(s, "socket") == 0 || strcmp(s, "lpd") == 0) {
    pw_ui_form_init(f, s[0] == 's' ? PW_UI_RAW : PW_UI_LPR);
    ok = u.host && SET(f->host, u.host);
    if (u.port > 0)
      snprintf(f->portnum, sizeof f->portnum, "%d", u.port);
    if (f->type == PW_UI_LPR)
      ok = ok && SET(f->queue, u.path[0] == '/' ? u.path + 1 : u.path);
  } else if (strcmp(s, "ipp") == 0 || strcmp(s, "ipps") == 0) {
    pw_ui_form_init(f, PW_UI_IPP);
    ok = SET(f->url, text);
  } else {
    pw_errbuf_printf(errbuf, errlen, "portway has no form for '%s' ports", s);
    pw_uri_free(&u);
    return PW_EBADCONFIG;
  }
  /* Query parameters (not in canonical text, but accepted): to fields. */
  for (size_t i = 0; ok && f->type != PW_UI_IPP && i < u.nparams; i++)
    if (!take_option(f, u.params[i].key, u.params[i].value)) {
      size_t at = strlen(f->extra);
      int n = snprintf(f->extra + at, sizeof f->extra - at, "%s=%s\n",
                       u.params[i].key, u.params[i].value);
      ok = n > 0 && (size_t)n < sizeof f->extra - at;
    }
  pw_uri_free(&u);
  if (!ok) {
    pw_errbuf_printf(errbuf, errlen, "a field of the port is too long");
    return PW_EBADCONFIG;
  }
  return PW_OK;
}

int pw_ui_form_parse(const char *text, pw_ui_form *f, char *errbuf,
                     size_t errlen) {
  pw_ui_form_init(f, PW_UI_FILE);
  /* First the uri line: it decides the type and so which keys are fields. */
  const char *uri_at = NULL;
  size_t uri_len = 0;
  for (const char *line = text; *line;) {
    size_t len = strcspn(line, "\n");
    if (len >= 4 && strncmp(line, "uri=", 4) == 0) {
      uri_at = line + 4;
      uri_len = len - 4;
    }
    line += len + (line[len] ? 1 : 0);
  }
  while (uri_len && (uri_at[uri_len - 1] == '\r' || uri_at[uri_len - 1] == ' '))
    uri_len--;
  char uri[PW_MAX_URI];
  if (!uri_at || !set_text(uri, sizeof uri, uri_at, uri_len)) {
    pw_errbuf_printf(errbuf, errlen, "the configuration has no uri= line");
    return PW_EBADCONFIG;
  }
  int rc = fields_from_uri(f, uri, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  for (const char *line = text; *line;) {
    size_t len = strcspn(line, "\n");
    size_t n = len;
    while (n && line[n - 1] == '\r')
      n--;
    char buf[PW_MAX_CONFIG_TEXT / 2];
    const char *eq = memchr(line, '=', n);
    if (n && line[0] != '#' && eq && !(n >= 4 && !strncmp(line, "uri=", 4)) &&
        set_text(buf, sizeof buf, line, n)) {
      buf[eq - line] = '\0';
      if (!take_option(f, buf, buf + (eq - line) + 1)) {
        buf[eq - line] = '=';
        size_t at = strlen(f->extra);
        if (at + n + 2 > sizeof f->extra) {
          pw_errbuf_printf(errbuf, errlen, "the configuration is too long");
          return PW_EBADCONFIG;
        }
        memcpy(f->extra + at, buf, n);
        f->extra[at + n] = '\n';
        f->extra[at + n + 1] = '\0';
      }
    }
    line += len + (line[len] ? 1 : 0);
  }
  return PW_OK;
}

/* ---- the sample file name --------------------------------------------- */

int pw_ui_pattern_preview(const char *pattern, const char *port,
                          const int when[6], char *out, size_t cap,
                          char *errbuf, size_t errlen) {
  if (cap)
    out[0] = '\0';
  if (!pattern[0]) {
    pw_errbuf_printf(errbuf, errlen, "Enter a file name pattern");
    return PW_EBADCONFIG;
  }
  char why[200];
  if (pw_pattern_validate(pattern, why, sizeof why) != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "%s", why);
    return PW_EBADCONFIG;
  }
  if (cap < PW_MAX_FILENAME + 1) {
    pw_errbuf_printf(errbuf, errlen, "buffer too small");
    return PW_EINVAL;
  }
  pw_pattern_vars v = {.job_id = 42,
                       .doc = "Quarterly report",
                       .user = "alice",
                       .machine = "WS01",
                       .printer = "Office",
                       .port = port ? port : "PORT1:",
                       .year = when[0],
                       .month = when[1],
                       .day = when[2],
                       .hour = when[3],
                       .minute = when[4],
                       .second = when[5]};
  int rc = pw_pattern_expand(pattern, &v, 1, out, cap);
  if (rc != PW_OK)
    pw_errbuf_printf(errbuf, errlen, "%s", pw_strerror(rc));
  return rc;
}
