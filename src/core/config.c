/* portway — port configuration text: parsing key=value lines, merging URI
 * query options, canonical formatting, defaults (see portway/config.h).
 * Scheme-specific URI rules are in config_scheme.c. */
#include "portway/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "config_internal.h"
#include "portway/error.h"
#include "portway/pattern.h"
#include "portway/utf.h"
#include "textbuf.h"

#define PW_TIMEOUT_MAX_S 3600u

typedef enum opt_id {
  OPT_URI,
  OPT_PATTERN,
  OPT_TIMEOUT,
  OPT_ARGS,
  OPT_COUNT
} opt_id;

static const char *const opt_names[OPT_COUNT] = {"uri", "pattern", "timeout",
                                                 "args"};

/* Where an option came from: a line of the text, or (line 0) the URI. */
typedef struct opt_slot {
  char *value;
  unsigned line;
} opt_slot;

static int find_opt(const char *key) {
  for (int i = 0; i < OPT_COUNT; i++) {
    if (strcmp(opt_names[i], key) == 0)
      return i;
  }
  return -1;
}

static int is_blank(char c) {
  return c == ' ' || c == '\t';
}

/* Trim blanks in place; returns the new start. */
static char *trim(char *s) {
  while (is_blank(*s))
    s++;
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1]))
    s[--n] = '\0';
  return s;
}

static int has_control(const char *s) {
  for (; *s; s++) {
    if (pw_ascii_is_control(*s))
      return 1;
  }
  return 0;
}

static const char *where(const opt_slot *s, char *tmp, size_t n) {
  if (s->line == 0)
    return "uri";
  snprintf(tmp, n, "line %u", s->line);
  return tmp;
}

static int read_line(char *p, unsigned line, opt_slot *slots, char *errbuf,
                     size_t errlen) {
  char *eq = strchr(p, '=');
  if (!eq) {
    pw_errbuf_printf(errbuf, errlen, "line %u: expected key=value", line);
    return PW_EBADCONFIG;
  }
  *eq = '\0';
  char *key = trim(p), *value = trim(eq + 1);
  if (has_control(key) || has_control(value)) {
    pw_errbuf_printf(errbuf, errlen, "line %u: control character", line);
    return PW_EBADCONFIG;
  }
  if (!*key) {
    pw_errbuf_printf(errbuf, errlen, "line %u: missing option name", line);
    return PW_EBADCONFIG;
  }
  for (char *k = key; *k; k++)
    *k = pw_ascii_lower(*k);
  int id = find_opt(key);
  if (id < 0) {
    pw_errbuf_printf(errbuf, errlen, "line %u: unknown option '%.32s'", line,
                     key);
    return PW_EBADCONFIG;
  }
  if (slots[id].value) {
    pw_errbuf_printf(errbuf, errlen, "line %u: duplicate option '%s'", line,
                     key);
    return PW_EBADCONFIG;
  }
  slots[id].value = value;
  slots[id].line = line;
  return PW_OK;
}

/* Split the (writable) text into option slots. */
static int read_lines(char *p, opt_slot *slots, char *errbuf, size_t errlen) {
  if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3; /* a UTF-8 BOM, as Notepad writes */
  for (unsigned line = 1; *p; line++) {
    char *end = strchr(p, '\n');
    char *next = end ? end + 1 : p + strlen(p);
    if (end)
      *end = '\0';
    size_t n = strlen(p);
    if (n > 0 && p[n - 1] == '\r')
      p[n - 1] = '\0';
    char *s = trim(p);
    if (*s && *s != '#') {
      int rc = read_line(s, line, slots, errbuf, errlen);
      if (rc != PW_OK)
        return rc;
    }
    p = next;
  }
  return PW_OK;
}

/* Options given as URI query parameters fill the slots no line set. */
static int merge_query(pw_uri *u, opt_slot *slots, char *errbuf,
                       size_t errlen) {
  int seen[OPT_COUNT] = {0};
  for (size_t i = 0; i < u->nparams; i++) {
    int id = find_opt(u->params[i].key);
    if (id < 0 || id == OPT_URI) {
      pw_errbuf_printf(errbuf, errlen, "uri: unknown option '%.32s'",
                       u->params[i].key);
      return PW_EBADCONFIG;
    }
    if (seen[id]) {
      pw_errbuf_printf(errbuf, errlen, "uri: duplicate option '%s'",
                       opt_names[id]);
      return PW_EBADCONFIG;
    }
    seen[id] = 1;
    if (!slots[id].value) {
      /* Trimmed like line values so that format/parse round-trips. */
      slots[id].value = trim(u->params[i].value);
      slots[id].line = 0;
    }
  }
  return PW_OK;
}

static int parse_timeout(const char *v, uint32_t *ms) {
  unsigned long s = 0;
  if (!*v)
    return 0;
  for (; *v; v++) {
    if (!pw_ascii_is_digit(*v))
      return 0;
    s = s * 10 + (unsigned long)(*v - '0');
    if (s > PW_TIMEOUT_MAX_S)
      return 0;
  }
  if (s < 1)
    return 0;
  *ms = (uint32_t)s * 1000u;
  return 1;
}

static int dup_str(const char *s, char **out) {
  size_t n = strlen(s);
  *out = malloc(n + 1);
  if (!*out)
    return PW_ENOMEM;
  memcpy(*out, s, n + 1);
  return PW_OK;
}

/* Apply the non-URI options to cfg (kind already known). */
static int apply_options(pw_port_config *cfg, opt_slot *slots, char *errbuf,
                         size_t errlen) {
  char at[32], reason[160];
  const char *kind = pw_dest_kind_name(cfg->kind);
  if (slots[OPT_PATTERN].value && cfg->kind != PW_DEST_FILE) {
    pw_errbuf_printf(errbuf, errlen,
                     "%s: option 'pattern' is not valid "
                     "for a %s",
                     where(&slots[OPT_PATTERN], at, sizeof at), kind);
    return PW_EBADCONFIG;
  }
  if (slots[OPT_ARGS].value && cfg->kind != PW_DEST_PIPE) {
    pw_errbuf_printf(errbuf, errlen, "%s: option 'args' is not valid for a %s",
                     where(&slots[OPT_ARGS], at, sizeof at), kind);
    return PW_EBADCONFIG;
  }
  cfg->timeout_ms = PW_DEFAULT_TIMEOUT_MS;
  if (slots[OPT_TIMEOUT].value &&
      !parse_timeout(slots[OPT_TIMEOUT].value, &cfg->timeout_ms)) {
    pw_errbuf_printf(errbuf, errlen, "%s: timeout must be 1..%u seconds",
                     where(&slots[OPT_TIMEOUT], at, sizeof at),
                     PW_TIMEOUT_MAX_S);
    return PW_EBADCONFIG;
  }
  if (cfg->kind == PW_DEST_FILE) {
    const char *pattern = slots[OPT_PATTERN].value;
    if (!pattern)
      pattern = PW_DEFAULT_PATTERN;
    int rc = pw_pattern_validate(pattern, reason, sizeof reason);
    if (rc != PW_OK) {
      pw_errbuf_printf(errbuf, errlen, "%s: %s",
                       where(&slots[OPT_PATTERN], at, sizeof at), reason);
      return PW_EBADCONFIG;
    }
    return dup_str(pattern, &cfg->pattern);
  }
  if (cfg->kind == PW_DEST_PIPE && slots[OPT_ARGS].value &&
      slots[OPT_ARGS].value[0])
    return dup_str(slots[OPT_ARGS].value, &cfg->args);
  return PW_OK;
}

static int parse_uri_line(const opt_slot *s, pw_uri *uri, char *errbuf,
                          size_t errlen) {
  int rc = pw_uri_parse(s->value, uri);
  if (rc == PW_ENAMETOOLONG) {
    pw_errbuf_printf(errbuf, errlen, "line %u: uri longer than %u bytes",
                     s->line, (unsigned)PW_MAX_URI);
  } else if (rc == PW_EBADCONFIG) {
    const char *v = s->value;
    /* A common slip: file://C:/dir makes "C" a host and ":/dir" a port. */
    int drive_as_host =
        strncmp(v, "file://", 7) == 0 && pw_ascii_is_alpha(v[7]) && v[8] == ':';
    pw_errbuf_printf(errbuf, errlen, "line %u: invalid uri%s", s->line,
                     drive_as_host ? " (write file:///C:/dir)" : "");
  }
  return rc;
}

static int config_parse(char *buf, pw_port_config *cfg, char *errbuf,
                        size_t errlen) {
  opt_slot slots[OPT_COUNT];
  memset(slots, 0, sizeof slots);
  int rc = read_lines(buf, slots, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  if (!slots[OPT_URI].value) {
    pw_errbuf_printf(errbuf, errlen, "missing 'uri'");
    return PW_EBADCONFIG;
  }
  pw_uri uri;
  rc = parse_uri_line(&slots[OPT_URI], &uri, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  char reason[160] = "";
  rc = merge_query(&uri, slots, errbuf, errlen);
  if (rc == PW_OK) {
    rc = pw_config_apply_uri(cfg, &uri, reason, sizeof reason);
    if (rc != PW_OK && rc != PW_ENOMEM)
      pw_errbuf_printf(errbuf, errlen, "line %u: %s", slots[OPT_URI].line,
                       reason);
  }
  if (rc == PW_OK)
    rc = apply_options(cfg, slots, errbuf, errlen);
  if (rc == PW_OK) {
    rc = pw_config_build_uri(cfg, &cfg->uri);
    if (rc == PW_ENAMETOOLONG)
      pw_errbuf_printf(errbuf, errlen,
                       "line %u: uri is longer than %u bytes once "
                       "percent-encoded",
                       slots[OPT_URI].line, (unsigned)PW_MAX_URI - 1u);
  }
  pw_uri_free(&uri); /* query values were borrowed by slots until here */
  return rc;
}

int pw_port_config_parse(const char *text, pw_port_config **out, char *errbuf,
                         size_t errlen) {
  if (errbuf && errlen > 0)
    errbuf[0] = '\0';
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!text)
    return PW_EINVAL;
  size_t len = 0;
  while (text[len] != '\0') {
    if (len >= PW_MAX_CONFIG_TEXT) {
      pw_errbuf_printf(errbuf, errlen, "configuration longer than %u bytes",
                       (unsigned)PW_MAX_CONFIG_TEXT);
      return PW_EBADCONFIG;
    }
    len++;
  }
  if (!pw_utf8_valid(text)) {
    pw_errbuf_printf(errbuf, errlen, "configuration is not valid UTF-8");
    return PW_EBADCONFIG;
  }
  char *buf = malloc(len + 1);
  pw_port_config *cfg = calloc(1, sizeof *cfg);
  int rc = PW_ENOMEM;
  if (buf && cfg) {
    memcpy(buf, text, len + 1);
    rc = config_parse(buf, cfg, errbuf, errlen);
  }
  if (rc == PW_ENOMEM)
    pw_errbuf_printf(errbuf, errlen, "out of memory");
  free(buf);
  if (rc != PW_OK) {
    pw_port_config_free(cfg);
    return rc;
  }
  *out = cfg;
  return PW_OK;
}

int pw_port_config_format(const pw_port_config *cfg, char **text) {
  if (!text)
    return PW_EINVAL;
  *text = NULL;
  if (!cfg)
    return PW_EINVAL;
  char *uri;
  int rc = pw_config_build_uri(cfg, &uri);
  if (rc != PW_OK)
    return rc;
  pw_textbuf b = {0};
  pw_textbuf_adds(&b, "uri=");
  pw_textbuf_adds(&b, uri);
  pw_textbuf_addc(&b, '\n');
  free(uri);
  if (cfg->kind == PW_DEST_FILE) {
    const char *pattern = cfg->pattern ? cfg->pattern : PW_DEFAULT_PATTERN;
    if (has_control(pattern)) {
      pw_textbuf_free(&b);
      return PW_EINVAL; /* would break the line format */
    }
    pw_textbuf_adds(&b, "pattern=");
    pw_textbuf_adds(&b, pattern);
    pw_textbuf_addc(&b, '\n');
  }
  if (cfg->kind == PW_DEST_PIPE && cfg->args && cfg->args[0]) {
    if (has_control(cfg->args)) {
      pw_textbuf_free(&b);
      return PW_EINVAL;
    }
    pw_textbuf_adds(&b, "args=");
    pw_textbuf_adds(&b, cfg->args);
    pw_textbuf_addc(&b, '\n');
  }
  if (cfg->timeout_ms != 0 && cfg->timeout_ms != PW_DEFAULT_TIMEOUT_MS) {
    char line[32];
    snprintf(line, sizeof line, "timeout=%lu\n",
             (unsigned long)((cfg->timeout_ms + 999u) / 1000u));
    pw_textbuf_adds(&b, line);
  }
  return pw_textbuf_take(&b, text);
}

int pw_port_config_default(const char *data_dir, pw_port_config **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!data_dir)
    return PW_EINVAL;
  if (strlen(data_dir) > PW_MAX_PATH)
    return PW_ENAMETOOLONG;
  pw_textbuf path = {0};
  pw_textbuf_adds(&path, data_dir);
  pw_textbuf_adds(&path, "/output");
  char *joined;
  int rc = pw_textbuf_take(&path, &joined);
  if (rc != PW_OK)
    return rc;
  pw_port_config *cfg = calloc(1, sizeof *cfg);
  if (!cfg) {
    free(joined);
    return PW_ENOMEM;
  }
  cfg->kind = PW_DEST_FILE;
  cfg->timeout_ms = PW_DEFAULT_TIMEOUT_MS;
  rc = pw_config_normalize_dir(NULL, joined, &cfg->dir, NULL, 0);
  free(joined);
  if (rc == PW_OK)
    rc = dup_str(PW_DEFAULT_PATTERN, &cfg->pattern);
  if (rc == PW_OK)
    rc = pw_config_build_uri(cfg, &cfg->uri);
  if (rc != PW_OK) {
    pw_port_config_free(cfg);
    return rc;
  }
  *out = cfg;
  return PW_OK;
}

static int clone_str(const char *s, char **out) {
  *out = NULL;
  return s ? dup_str(s, out) : PW_OK;
}

pw_port_config *pw_port_config_clone(const pw_port_config *cfg) {
  if (!cfg)
    return NULL;
  pw_port_config *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  *c = *cfg;
  int rc = clone_str(cfg->uri, &c->uri);
  rc |= clone_str(cfg->dir, &c->dir);
  rc |= clone_str(cfg->pattern, &c->pattern);
  rc |= clone_str(cfg->host, &c->host);
  rc |= clone_str(cfg->queue, &c->queue);
  rc |= clone_str(cfg->command, &c->command);
  rc |= clone_str(cfg->args, &c->args);
  if (rc != PW_OK) {
    pw_port_config_free(c);
    return NULL;
  }
  return c;
}

void pw_port_config_free(pw_port_config *cfg) {
  if (!cfg)
    return;
  free(cfg->uri);
  free(cfg->dir);
  free(cfg->pattern);
  free(cfg->host);
  free(cfg->queue);
  free(cfg->command);
  free(cfg->args);
  free(cfg);
}

static int str_eq(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int pw_port_config_equal(const pw_port_config *a, const pw_port_config *b) {
  if (!a || !b)
    return a == b;
  return a->kind == b->kind && a->port == b->port && a->tls == b->tls &&
         a->timeout_ms == b->timeout_ms && str_eq(a->uri, b->uri) &&
         str_eq(a->dir, b->dir) && str_eq(a->pattern, b->pattern) &&
         str_eq(a->host, b->host) && str_eq(a->queue, b->queue) &&
         str_eq(a->command, b->command) && str_eq(a->args, b->args);
}

const char *pw_dest_kind_name(pw_dest_kind kind) {
  switch (kind) {
  case PW_DEST_FILE:
    return "portway file port";
  case PW_DEST_SOCKET:
    return "portway socket port";
  case PW_DEST_LPD:
    return "portway LPD port";
  case PW_DEST_IPP:
    return "portway IPP port";
  case PW_DEST_PIPE:
    return "portway pipe port";
  }
  return "portway port";
}
