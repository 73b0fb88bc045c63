/* portway — port configuration text: parsing key=value lines, merging URI
 * query options, the common options, canonical formatting, defaults (see
 * portway/config.h). Everything a port type decides for itself (its URI
 * rules, its options, its canonical URI) goes through its descriptor
 * (dest_scheme.h); shared rule helpers are in config_scheme.c. */
#include "portway/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "config_internal.h"
#include "strutil.h"
#include "dest_scheme.h"
#include "portway/error.h"
#include "portway/utf.h"
#include "textbuf.h"

#define PW_TIMEOUT_MAX_S 3600u

/* The options every type has; the types' own follow them in the key list. */
enum { OPT_URI, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT, OPT_COMMON };
static const char *const common_keys[OPT_COMMON] = {"uri", "timeout",
                                                    "connect_timeout"};

/* One known option key and where its value came from: a line of the text,
 * or (line 0) the URI's query. */
typedef struct opt_slot {
  const char *key; /* static, lowercase */
  char *value;     /* NULL if not given; points into the text or the URI */
  unsigned line;
  int in_query; /* the URI's query named it (once at most) */
} opt_slot;

/* Every option key any type knows, each once: the common ones, then each
 * type's in table order. Fixed order, so errors come out the same way. */
typedef struct opt_set {
  opt_slot *slot;
  size_t n;
} opt_set;

static int find_opt(const opt_set *set, const char *key) {
  for (size_t i = 0; i < set->n; i++) {
    if (strcmp(set->slot[i].key, key) == 0)
      return (int)i;
  }
  return -1;
}

static int opt_set_init(opt_set *set) {
  size_t cap = OPT_COMMON;
  const pw_dest_scheme *s;
  for (size_t i = 0; (s = pw_dest_scheme_at(i)) != NULL; i++) {
    for (const char *const *k = s->options; *k; k++)
      cap++;
  }
  set->n = 0;
  set->slot = calloc(cap, sizeof *set->slot);
  if (!set->slot)
    return PW_ENOMEM;
  for (size_t i = 0; i < OPT_COMMON; i++)
    set->slot[set->n++].key = common_keys[i];
  for (size_t i = 0; (s = pw_dest_scheme_at(i)) != NULL; i++) {
    for (const char *const *k = s->options; *k; k++) {
      if (find_opt(set, *k) < 0)
        set->slot[set->n++].key = *k;
    }
  }
  return PW_OK;
}

static int scheme_has_option(const pw_dest_scheme *s, const char *key) {
  for (const char *const *k = s->options; *k; k++) {
    if (strcmp(*k, key) == 0)
      return 1;
  }
  return 0;
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

static const char *where(const opt_slot *s, char *tmp, size_t n) {
  if (s->line == 0)
    return "uri";
  snprintf(tmp, n, "line %u", s->line);
  return tmp;
}

static int read_line(char *p, unsigned line, opt_set *set, char *errbuf,
                     size_t errlen) {
  char *eq = strchr(p, '=');
  if (!eq) {
    pw_errbuf_printf(errbuf, errlen, "line %u: expected key=value", line);
    return PW_EBADCONFIG;
  }
  *eq = '\0';
  char *key = trim(p), *value = trim(eq + 1);
  if (pw_config_has_control(key) || pw_config_has_control(value)) {
    pw_errbuf_printf(errbuf, errlen, "line %u: control character", line);
    return PW_EBADCONFIG;
  }
  if (!*key) {
    pw_errbuf_printf(errbuf, errlen, "line %u: missing option name", line);
    return PW_EBADCONFIG;
  }
  for (char *k = key; *k; k++)
    *k = pw_ascii_lower(*k);
  int id = find_opt(set, key);
  if (id < 0) {
    pw_errbuf_printf(errbuf, errlen, "line %u: unknown option '%.32s'", line,
                     key);
    return PW_EBADCONFIG;
  }
  opt_slot *slot = &set->slot[id];
  if (slot->value) {
    pw_errbuf_printf(errbuf, errlen, "line %u: duplicate option '%s'", line,
                     slot->key);
    return PW_EBADCONFIG;
  }
  slot->value = value;
  slot->line = line;
  return PW_OK;
}

/* Split the (writable) text into option slots. */
static int read_lines(char *p, opt_set *set, char *errbuf, size_t errlen) {
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
      int rc = read_line(s, line, set, errbuf, errlen);
      if (rc != PW_OK)
        return rc;
    }
    p = next;
  }
  return PW_OK;
}

/* Options given as URI query parameters fill the slots no line set. */
static int merge_query(pw_uri *u, opt_set *set, char *errbuf, size_t errlen) {
  for (size_t i = 0; i < u->nparams; i++) {
    int id = find_opt(set, u->params[i].key);
    if (id < 0 || id == OPT_URI) {
      pw_errbuf_printf(errbuf, errlen, "uri: unknown option '%.32s'",
                       u->params[i].key);
      return PW_EBADCONFIG;
    }
    opt_slot *slot = &set->slot[id];
    if (slot->in_query) {
      pw_errbuf_printf(errbuf, errlen, "uri: duplicate option '%s'", slot->key);
      return PW_EBADCONFIG;
    }
    slot->in_query = 1;
    if (!slot->value) {
      /* Trimmed like line values so that format/parse round-trips. */
      slot->value = trim(u->params[i].value);
      slot->line = 0;
    }
  }
  return PW_OK;
}

static int parse_timeout(const char *v, uint32_t *ms) {
  unsigned long s = 0;
  if (!pw_parse_ulong(v, PW_TIMEOUT_MAX_S, &s) || s < 1)
    return 0;
  *ms = (uint32_t)s * 1000u;
  return 1;
}

static int set_timeout(const opt_slot *slot, uint32_t def, uint32_t *ms,
                       char *errbuf, size_t errlen) {
  char at[32];
  *ms = def;
  if (slot->value && !parse_timeout(slot->value, ms)) {
    pw_errbuf_printf(errbuf, errlen, "%s: %s must be 1..%u seconds",
                     where(slot, at, sizeof at), slot->key, PW_TIMEOUT_MAX_S);
    return PW_EBADCONFIG;
  }
  return PW_OK;
}

/* Apply the options to cfg, whose type's options exist already. */
static int apply_options(pw_port_config *cfg, const pw_dest_scheme *scheme,
                         const opt_set *set, char *errbuf, size_t errlen) {
  char at[32];
  for (size_t i = OPT_COMMON; i < set->n; i++) {
    const opt_slot *slot = &set->slot[i];
    if (slot->value && !scheme_has_option(scheme, slot->key)) {
      pw_errbuf_printf(errbuf, errlen, "%s: option '%s' is not valid for a %s",
                       where(slot, at, sizeof at), slot->key,
                       scheme->description);
      return PW_EBADCONFIG;
    }
  }
  int rc = set_timeout(&set->slot[OPT_TIMEOUT], PW_DEFAULT_TIMEOUT_MS,
                       &cfg->timeout_ms, errbuf, errlen);
  if (rc == PW_OK)
    rc = set_timeout(&set->slot[OPT_CONNECT_TIMEOUT],
                     PW_DEFAULT_CONNECT_TIMEOUT_MS, &cfg->connect_timeout_ms,
                     errbuf, errlen);
  for (size_t i = OPT_COMMON; rc == PW_OK && i < set->n; i++) {
    const opt_slot *slot = &set->slot[i];
    if (!slot->value)
      continue;
    char reason[160] = "";
    rc = scheme->set_option(cfg->opts, slot->key, slot->value, reason,
                            sizeof reason);
    if (rc != PW_OK && rc != PW_ENOMEM)
      pw_errbuf_printf(errbuf, errlen, "%s: %s", where(slot, at, sizeof at),
                       reason);
  }
  if (rc == PW_OK && scheme->check) {
    char reason[160] = "";
    rc = scheme->check(cfg->opts, reason, sizeof reason);
    if (rc != PW_OK && rc != PW_ENOMEM)
      pw_errbuf_printf(errbuf, errlen, "%s", reason);
  }
  return rc;
}

/* The canonical URI of cfg's destination (newly allocated). PW_EINVAL if
 * cfg lacks what its type needs, PW_ENAMETOOLONG, PW_ENOMEM. */
static int build_uri(const pw_port_config *cfg, char **out) {
  *out = NULL;
  const pw_dest_scheme *scheme = pw_dest_scheme_for_kind(cfg->kind);
  if (!scheme || !cfg->opts)
    return PW_EINVAL;
  pw_textbuf b = {0};
  int rc = scheme->format_uri(cfg->opts, &b);
  if (rc != PW_OK) {
    pw_textbuf_free(&b);
    return rc;
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

/* The type's options from the URI (reason prefixed with `line`). */
static int apply_uri(pw_port_config *cfg, const pw_uri *uri, unsigned line,
                     const pw_dest_scheme **scheme, char *errbuf,
                     size_t errlen) {
  *scheme = pw_dest_scheme_for_name(uri->scheme);
  if (!*scheme) {
    pw_errbuf_printf(errbuf, errlen, "line %u: unsupported URI scheme '%.16s'",
                     line, uri->scheme);
    return PW_EBADCONFIG;
  }
  cfg->kind = (*scheme)->kind;
  char reason[160] = "";
  int rc = (*scheme)->from_uri(uri, &cfg->opts, reason, sizeof reason);
  if (rc != PW_OK && rc != PW_ENOMEM)
    pw_errbuf_printf(errbuf, errlen, "line %u: %s", line, reason);
  return rc;
}

static int config_parse(char *buf, pw_port_config *cfg, char *errbuf,
                        size_t errlen) {
  opt_set set;
  int rc = opt_set_init(&set);
  if (rc != PW_OK)
    return rc;
  rc = read_lines(buf, &set, errbuf, errlen);
  const opt_slot *uri_slot = &set.slot[OPT_URI];
  if (rc == PW_OK && !uri_slot->value) {
    pw_errbuf_printf(errbuf, errlen, "missing 'uri'");
    rc = PW_EBADCONFIG;
  }
  pw_uri uri;
  if (rc == PW_OK)
    rc = parse_uri_line(uri_slot, &uri, errbuf, errlen);
  if (rc != PW_OK) {
    free(set.slot);
    return rc;
  }
  const pw_dest_scheme *scheme = NULL;
  rc = merge_query(&uri, &set, errbuf, errlen);
  if (rc == PW_OK)
    rc = apply_uri(cfg, &uri, uri_slot->line, &scheme, errbuf, errlen);
  if (rc == PW_OK)
    rc = apply_options(cfg, scheme, &set, errbuf, errlen);
  if (rc == PW_OK) {
    rc = build_uri(cfg, &cfg->uri);
    if (rc == PW_ENAMETOOLONG)
      pw_errbuf_printf(errbuf, errlen,
                       "line %u: uri is longer than %u bytes once "
                       "percent-encoded",
                       uri_slot->line, (unsigned)PW_MAX_URI - 1u);
  }
  pw_uri_free(&uri); /* query values were borrowed by slots until here */
  free(set.slot);
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

static void add_timeout(pw_textbuf *b, const char *key, uint32_t ms,
                        uint32_t def) {
  if (ms == 0 || ms == def)
    return;
  char line[40];
  snprintf(line, sizeof line, "%s=%lu\n", key,
           (unsigned long)((ms + 999u) / 1000u));
  pw_textbuf_adds(b, line);
}

int pw_port_config_format(const pw_port_config *cfg, char **text) {
  if (!text)
    return PW_EINVAL;
  *text = NULL;
  if (!cfg)
    return PW_EINVAL;
  char *uri;
  int rc = build_uri(cfg, &uri);
  if (rc != PW_OK)
    return rc;
  pw_textbuf b = {0};
  pw_textbuf_adds(&b, "uri=");
  pw_textbuf_adds(&b, uri);
  pw_textbuf_addc(&b, '\n');
  free(uri);
  const pw_dest_scheme *scheme = pw_dest_scheme_for_kind(cfg->kind);
  if (scheme->format_options)
    rc = scheme->format_options(cfg->opts, &b);
  if (rc != PW_OK) {
    pw_textbuf_free(&b);
    return rc;
  }
  add_timeout(&b, "timeout", cfg->timeout_ms, PW_DEFAULT_TIMEOUT_MS);
  add_timeout(&b, "connect_timeout", cfg->connect_timeout_ms,
              PW_DEFAULT_CONNECT_TIMEOUT_MS);
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
  /* The URI file:<joined>, as the file type would get it from the parser
   * (the path is not percent-encoded text: nothing to decode). */
  char scheme_name[] = "file";
  pw_uri uri;
  memset(&uri, 0, sizeof uri);
  uri.scheme = scheme_name;
  uri.port = -1;
  uri.path = joined;
  const pw_dest_scheme *scheme = &pw_dest_scheme_file;
  cfg->kind = scheme->kind;
  cfg->timeout_ms = PW_DEFAULT_TIMEOUT_MS;
  cfg->connect_timeout_ms = PW_DEFAULT_CONNECT_TIMEOUT_MS;
  rc = scheme->from_uri(&uri, &cfg->opts, NULL, 0);
  free(joined);
  if (rc == PW_OK)
    rc = build_uri(cfg, &cfg->uri);
  if (rc != PW_OK) {
    pw_port_config_free(cfg);
    return rc;
  }
  *out = cfg;
  return PW_OK;
}

pw_port_config *pw_port_config_clone(const pw_port_config *cfg) {
  if (!cfg)
    return NULL;
  const pw_dest_scheme *scheme = pw_dest_scheme_for_kind(cfg->kind);
  if (cfg->opts && !scheme)
    return NULL; /* options of no known type: cannot be copied */
  pw_port_config *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  *c = *cfg;
  c->uri = NULL;
  c->opts = NULL;
  int ok = pw_strdup_to(cfg->uri, &c->uri) == PW_OK;
  if (ok && cfg->opts) {
    c->opts = scheme->clone(cfg->opts);
    ok = c->opts != NULL;
  }
  if (!ok) {
    pw_port_config_free(c);
    return NULL;
  }
  return c;
}

void pw_port_config_free(pw_port_config *cfg) {
  if (!cfg)
    return;
  const pw_dest_scheme *scheme = pw_dest_scheme_for_kind(cfg->kind);
  if (scheme)
    scheme->free(cfg->opts);
  free(cfg->uri);
  free(cfg);
}

int pw_port_config_equal(const pw_port_config *a, const pw_port_config *b) {
  if (!a || !b)
    return a == b;
  if (a->kind != b->kind || a->timeout_ms != b->timeout_ms ||
      a->connect_timeout_ms != b->connect_timeout_ms ||
      !pw_config_str_eq(a->uri, b->uri))
    return 0;
  if (!a->opts || !b->opts)
    return a->opts == b->opts;
  const pw_dest_scheme *scheme = pw_dest_scheme_for_kind(a->kind);
  return scheme ? scheme->equal(a->opts, b->opts) : a->opts == b->opts;
}

const char *pw_dest_kind_name(pw_dest_kind kind) {
  const pw_dest_scheme *scheme = pw_dest_scheme_for_kind(kind);
  return scheme ? scheme->description : "portway port";
}
