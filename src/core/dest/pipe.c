/* portway — the program port type's configuration: pipe:///program with the
 * options args, output, pattern, cwd, env, runas, stdout and stderr_lines
 * (pipe.h,
 * docs/pipe-port.md). Its destination is pipe_job.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest.h"
#include "core/dest/pipe.h"
#include "core/dest/pipe_args.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"
#include "portway/pattern.h"

static void pipe_free(void *opts) {
  pw_pipe_options *o = opts;
  if (!o)
    return;
  free(o->command);
  free(o->args);
  free(o->output);
  free(o->pattern);
  free(o->cwd);
  free(o->env);
  free(o);
}

static int pipe_from_uri(const pw_uri *u, void **opts, char *errbuf,
                         size_t errlen) {
  *opts = NULL;
  pw_pipe_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  /* A local program only (no UNC), and it must name one. */
  o->stderr_lines = PW_PIPE_DEFAULT_STDERR_LINES;
  int rc = pw_config_local_path(u, 0, 1, &o->command, errbuf, errlen);
  if (rc != PW_OK) {
    pipe_free(o);
    return rc;
  }
  *opts = o;
  return PW_OK;
}

/* A folder given as a file: URI, in the forms file ports accept. */
static int folder_option(const char *key, const char *value, char **out,
                         char *errbuf, size_t errlen) {
  pw_uri u;
  int rc = pw_uri_parse(value, &u);
  if (rc != PW_OK || strcmp(u.scheme, "file") != 0) {
    if (rc == PW_OK)
      pw_uri_free(&u);
    pw_errbuf_printf(errbuf, errlen,
                     "%s must be a folder as a file: URI (file:///C:/pdf)",
                     key);
    return PW_EBADCONFIG;
  }
  rc = pw_config_local_path(&u, 1, 0, out, errbuf, errlen);
  pw_uri_free(&u);
  return rc;
}

/* env: NAME=VALUE entries, split as args are. */
static int check_env(const char *value, char *errbuf, size_t errlen) {
  pw_strv s;
  int rc = pw_pipe_split_args(value, &s, errbuf, errlen);
  for (size_t i = 0; rc == PW_OK && i < s.n; i++) {
    const char *eq = strchr(s.v[i], '=');
    if (!eq || eq == s.v[i]) {
      pw_errbuf_printf(errbuf, errlen, "env entries are NAME=VALUE, not '%s'",
                       s.v[i]);
      rc = PW_EBADCONFIG;
    }
  }
  if (rc == PW_OK || s.v)
    pw_strv_free(&s);
  return rc;
}

static int replace(char **field, const char *value) {
  char *copy = NULL;
  int rc = value && value[0] ? pw_strdup_to(value, &copy) : PW_OK;
  if (rc != PW_OK)
    return rc;
  free(*field);
  *field = copy;
  return PW_OK;
}

static int pipe_set_option(void *opts, const char *key, const char *value,
                           char *errbuf, size_t errlen) {
  pw_pipe_options *o = opts;
  if (strcmp(key, "args") == 0) {
    pw_strv s;
    int rc = pw_pipe_split_args(value, &s, errbuf, errlen);
    if (rc == PW_OK) {
      rc = pw_pipe_check_tokens(&s, 1, errbuf, errlen); /* pipe_check */
      pw_strv_free(&s);
    }
    return rc == PW_OK ? replace(&o->args, value) : rc;
  }
  if (strcmp(key, "pattern") == 0) {
    int rc = pw_pattern_validate(value, errbuf, errlen);
    return rc == PW_OK ? replace(&o->pattern, value) : rc;
  }
  if (strcmp(key, "env") == 0) {
    int rc = check_env(value, errbuf, errlen);
    return rc == PW_OK ? replace(&o->env, value) : rc;
  }
  if (strcmp(key, "runas") == 0 || strcmp(key, "stdout") == 0) {
    int is_runas = key[0] == 'r';
    const char *no = is_runas ? "service" : "discard";
    const char *yes = is_runas ? "user" : "output";
    if (strcmp(value, no) != 0 && strcmp(value, yes) != 0) {
      pw_errbuf_printf(errbuf, errlen, "%s must be %s or %s", key, no, yes);
      return PW_EBADCONFIG;
    }
    *(is_runas ? &o->runas_user : &o->stdout_to_output) =
        strcmp(value, yes) == 0;
    return PW_OK;
  }
  if (strcmp(key, "stderr_lines") == 0) {
    unsigned long n = 0;
    if (!pw_parse_ulong(value, PW_PIPE_MAX_STDERR_LINES, &n)) {
      pw_errbuf_printf(errbuf, errlen, "stderr_lines must be 0 to %u",
                       PW_PIPE_MAX_STDERR_LINES);
      return PW_EBADCONFIG;
    }
    o->stderr_lines = (unsigned)n;
    return PW_OK;
  }
  /* output and cwd: folders */
  char *path = NULL;
  int rc = value[0] ? folder_option(key, value, &path, errbuf, errlen) : PW_OK;
  if (rc != PW_OK)
    return rc;
  char **field = strcmp(key, "output") == 0 ? &o->output : &o->cwd;
  free(*field);
  *field = path;
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

static int add_folder(pw_textbuf *b, const char *key, const char *path) {
  pw_textbuf v = {0};
  pw_textbuf_adds(&v, path[0] == '/' && path[1] == '/' ? "file:" : "file://");
  if (path[0] != '/')
    pw_textbuf_addc(&v, '/');
  pw_textbuf_add_uri_encoded(&v, path);
  int rc = v.failed ? PW_ENOMEM : pw_config_add_option(b, key, v.data);
  pw_textbuf_free(&v);
  return rc;
}

static int pipe_format_options(const void *opts, pw_textbuf *b) {
  const pw_pipe_options *o = opts;
  int rc = PW_OK;
  if (o->args)
    rc = pw_config_add_option(b, "args", o->args);
  if (rc == PW_OK && o->output)
    rc = add_folder(b, "output", o->output);
  if (rc == PW_OK && o->pattern)
    rc = pw_config_add_option(b, "pattern", o->pattern);
  if (rc == PW_OK && o->cwd)
    rc = add_folder(b, "cwd", o->cwd);
  if (rc == PW_OK && o->env)
    rc = pw_config_add_option(b, "env", o->env);
  if (rc == PW_OK && o->runas_user)
    rc = pw_config_add_option(b, "runas", "user");
  if (rc == PW_OK && o->stdout_to_output)
    rc = pw_config_add_option(b, "stdout", "output");
  if (rc == PW_OK && o->stderr_lines != PW_PIPE_DEFAULT_STDERR_LINES) {
    char n[16];
    snprintf(n, sizeof n, "%u", o->stderr_lines);
    rc = pw_config_add_option(b, "stderr_lines", n);
  }
  return rc;
}

/* {output} (in args, or as stdout) names a file in the output folder. */
static int pipe_check(const void *opts, char *errbuf, size_t errlen) {
  const pw_pipe_options *o = opts;
  if (o->output)
    return PW_OK;
  if (o->stdout_to_output) {
    pw_errbuf_printf(errbuf, errlen, "stdout=output needs output=");
    return PW_EBADCONFIG;
  }
  pw_strv s;
  int rc = pw_pipe_split_args(o->args, &s, errbuf, errlen);
  if (rc == PW_OK)
    rc = pw_pipe_check_tokens(&s, 0, errbuf, errlen);
  if (rc == PW_OK || s.v)
    pw_strv_free(&s);
  return rc;
}

static void *pipe_clone(const void *opts) {
  const pw_pipe_options *o = opts;
  pw_pipe_options *c = calloc(1, sizeof *c);
  if (c && (pw_strdup_to(o->command, &c->command) != PW_OK ||
            pw_strdup_to(o->args, &c->args) != PW_OK ||
            pw_strdup_to(o->output, &c->output) != PW_OK ||
            pw_strdup_to(o->pattern, &c->pattern) != PW_OK ||
            pw_strdup_to(o->cwd, &c->cwd) != PW_OK ||
            pw_strdup_to(o->env, &c->env) != PW_OK)) {
    pipe_free(c);
    c = NULL;
  }
  if (c) {
    c->runas_user = o->runas_user;
    c->stdout_to_output = o->stdout_to_output;
    c->stderr_lines = o->stderr_lines;
  }
  return c;
}

static int pipe_equal(const void *a, const void *b) {
  const pw_pipe_options *x = a, *y = b;
  return pw_config_str_eq(x->command, y->command) &&
         pw_config_str_eq(x->args, y->args) &&
         pw_config_str_eq(x->output, y->output) &&
         pw_config_str_eq(x->pattern, y->pattern) &&
         pw_config_str_eq(x->cwd, y->cwd) && pw_config_str_eq(x->env, y->env) &&
         x->runas_user == y->runas_user &&
         x->stdout_to_output == y->stdout_to_output &&
         x->stderr_lines == y->stderr_lines;
}

const pw_pipe_options *pw_pipe_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_PIPE ? cfg->opts : NULL;
}

static const char *const pipe_schemes[] = {"pipe", NULL};
static const char *const pipe_options[] = {"args",   "output",       "pattern",
                                           "cwd",    "env",          "runas",
                                           "stdout", "stderr_lines", NULL};

const pw_dest_scheme pw_dest_scheme_pipe = {
    .kind = PW_DEST_PIPE,
    .schemes = pipe_schemes,
    .description = "portway pipe port",
    .options = pipe_options,
    .ops = &pw_dest_pipe,
    .from_uri = pipe_from_uri,
    .set_option = pipe_set_option,
    .check = pipe_check,
    .format_uri = pipe_format_uri,
    .format_options = pipe_format_options,
    .clone = pipe_clone,
    .equal = pipe_equal,
    .free = pipe_free,
};
