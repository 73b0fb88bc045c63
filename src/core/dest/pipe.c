/* portway — the pipe port type: pipe:/path/to/program with the option
 * `args`. Configuration only; the destination comes next. */
#include <stdlib.h>

#include "core/config_internal.h"
#include "core/dest/pipe.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"

static void pipe_free(void *opts) {
  pw_pipe_options *o = opts;
  if (!o)
    return;
  free(o->command);
  free(o->args);
  free(o);
}

static int pipe_from_uri(const pw_uri *u, void **opts, char *errbuf,
                         size_t errlen) {
  *opts = NULL;
  pw_pipe_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  /* A local program only (no UNC), and it must name one. */
  int rc = pw_config_local_path(u, 0, 1, &o->command, errbuf, errlen);
  if (rc != PW_OK) {
    pipe_free(o);
    return rc;
  }
  *opts = o;
  return PW_OK;
}

static int pipe_set_option(void *opts, const char *key, const char *value,
                           char *errbuf, size_t errlen) {
  pw_pipe_options *o = opts;
  (void)key; /* "args", the only one */
  (void)errbuf;
  (void)errlen;
  char *copy = NULL;
  int rc = value[0] ? pw_strdup_to(value, &copy) : PW_OK; /* "" is none */
  if (rc != PW_OK)
    return rc;
  free(o->args);
  o->args = copy;
  return PW_OK;
}

static int pipe_format_uri(const void *opts, pw_textbuf *b) {
  const pw_pipe_options *o = opts;
  if (!o->command || !o->command[0])
    return PW_EINVAL;
  pw_textbuf_adds(b, o->command[0] == '/' ? "pipe:" : "pipe:/");
  pw_textbuf_add_uri_encoded(b, o->command);
  return PW_OK;
}

static int pipe_format_options(const void *opts, pw_textbuf *b) {
  const pw_pipe_options *o = opts;
  return o->args && o->args[0] ? pw_config_add_option(b, "args", o->args)
                               : PW_OK;
}

static void *pipe_clone(const void *opts) {
  const pw_pipe_options *o = opts;
  pw_pipe_options *c = calloc(1, sizeof *c);
  if (c && (pw_strdup_to(o->command, &c->command) != PW_OK ||
            pw_strdup_to(o->args, &c->args) != PW_OK)) {
    pipe_free(c);
    c = NULL;
  }
  return c;
}

static int pipe_equal(const void *a, const void *b) {
  const pw_pipe_options *x = a, *y = b;
  return pw_config_str_eq(x->command, y->command) &&
         pw_config_str_eq(x->args, y->args);
}

const pw_pipe_options *pw_pipe_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_PIPE ? cfg->opts : NULL;
}

static const char *const pipe_schemes[] = {"pipe", NULL};
static const char *const pipe_options[] = {"args", NULL};

const pw_dest_scheme pw_dest_scheme_pipe = {
    .kind = PW_DEST_PIPE,
    .schemes = pipe_schemes,
    .description = "portway pipe port",
    .options = pipe_options,
    .ops = NULL, /* not implemented yet: PW_ENOTSUP */
    .from_uri = pipe_from_uri,
    .set_option = pipe_set_option,
    .format_uri = pipe_format_uri,
    .format_options = pipe_format_options,
    .clone = pipe_clone,
    .equal = pipe_equal,
    .free = pipe_free,
};
