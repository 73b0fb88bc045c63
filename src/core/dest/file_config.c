/* portway — the file port type's configuration: file:// URIs (a local or
 * UNC directory) and the option `pattern`. Its I/O is file.c. */
#include <stdlib.h>

#include "core/config_internal.h"
#include "core/dest.h"
#include "core/dest/file.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"
#include "portway/pattern.h"

static void file_free(void *opts) {
  pw_file_options *o = opts;
  if (!o)
    return;
  free(o->dir);
  free(o->pattern);
  free(o);
}

static int file_from_uri(const pw_uri *u, void **opts, char *errbuf,
                         size_t errlen) {
  *opts = NULL;
  pw_file_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  int rc = pw_config_local_path(u, 1, 0, &o->dir, errbuf, errlen);
  if (rc == PW_OK)
    rc = pw_strdup_to(PW_DEFAULT_PATTERN, &o->pattern);
  if (rc != PW_OK) {
    file_free(o);
    return rc;
  }
  *opts = o;
  return PW_OK;
}

static int file_set_option(void *opts, const char *key, const char *value,
                           char *errbuf, size_t errlen) {
  pw_file_options *o = opts;
  (void)key; /* "pattern", the only one */
  int rc = pw_pattern_validate(value, errbuf, errlen);
  if (rc != PW_OK)
    return PW_EBADCONFIG;
  char *copy;
  rc = pw_strdup_to(value, &copy);
  if (rc != PW_OK)
    return rc;
  free(o->pattern);
  o->pattern = copy;
  return PW_OK;
}

static int file_format_uri(const void *opts, pw_textbuf *b) {
  const pw_file_options *o = opts;
  const char *dir = o->dir;
  if (!dir || !dir[0])
    return PW_EINVAL;
  /* UNC "//srv/share" -> file://srv/share; "C:/x" -> file:///C:/x. */
  pw_textbuf_adds(b, dir[0] == '/' && dir[1] == '/' ? "file:"
                     : dir[0] == '/'                ? "file://"
                                                    : "file:///");
  pw_textbuf_add_uri_encoded(b, dir);
  return PW_OK;
}

static int file_format_options(const void *opts, pw_textbuf *b) {
  const pw_file_options *o = opts;
  /* Always written, default or not: an admin reading the stored text sees
   * how files are named. */
  return pw_config_add_option(b, "pattern",
                              o->pattern ? o->pattern : PW_DEFAULT_PATTERN);
}

static void *file_clone(const void *opts) {
  const pw_file_options *o = opts;
  pw_file_options *c = calloc(1, sizeof *c);
  if (c && (pw_strdup_to(o->dir, &c->dir) != PW_OK ||
            pw_strdup_to(o->pattern, &c->pattern) != PW_OK)) {
    file_free(c);
    c = NULL;
  }
  return c;
}

static int file_equal(const void *a, const void *b) {
  const pw_file_options *x = a, *y = b;
  return pw_config_str_eq(x->dir, y->dir) &&
         pw_config_str_eq(x->pattern, y->pattern);
}

const pw_file_options *pw_file_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_FILE ? cfg->opts : NULL;
}

static const char *const file_schemes[] = {"file", NULL};
static const char *const file_options[] = {"pattern", NULL};

const pw_dest_scheme pw_dest_scheme_file = {
    .kind = PW_DEST_FILE,
    .schemes = file_schemes,
    .description = "portway file port",
    .options = file_options,
    .ops = &pw_dest_file,
    .from_uri = file_from_uri,
    .set_option = file_set_option,
    .format_uri = file_format_uri,
    .format_options = file_format_options,
    .clone = file_clone,
    .equal = file_equal,
    .free = file_free,
};
