/* portway — a program port's command line and environment (pipe_args.h). */
#include "core/dest/pipe_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/errbuf.h"
#include "core/textbuf.h"
#include "portway/error.h"

void pw_strv_free(pw_strv *s) {
  for (size_t i = 0; s->v && i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  s->v = NULL;
  s->n = 0;
}

/* Append a copy of b's text (possibly empty) as the next element. */
static int strv_push(pw_strv *s, pw_textbuf *b) {
  char **v = realloc(s->v, (s->n + 2) * sizeof *v);
  if (!v)
    return PW_ENOMEM;
  s->v = v;
  char *copy = NULL;
  if (b->failed)
    return PW_ENOMEM;
  if (b->data) {
    if (pw_textbuf_take(b, &copy) != PW_OK)
      return PW_ENOMEM;
  } else if (!(copy = calloc(1, 1))) {
    return PW_ENOMEM;
  }
  s->v[s->n++] = copy;
  s->v[s->n] = NULL;
  return PW_OK;
}

int pw_pipe_split_args(const char *tmpl, pw_strv *out, char *errbuf,
                       size_t errlen) {
  memset(out, 0, sizeof *out);
  pw_textbuf cur = {0};
  int in_token = 0, quoted = 0, rc = PW_OK;
  const char *p = tmpl ? tmpl : "";
  while (rc == PW_OK && *p) {
    char c = *p;
    if (pw_ascii_is_control(c) && c != '\t') {
      pw_errbuf_printf(errbuf, errlen, "args holds a control character");
      rc = PW_EBADCONFIG;
      break;
    }
    if (!quoted && (c == ' ' || c == '\t')) {
      if (in_token) {
        if (out->n >= PW_PIPE_MAX_ARGS) {
          rc = PW_EBADCONFIG;
          break;
        }
        rc = strv_push(out, &cur);
        in_token = 0;
      }
      p++;
      continue;
    }
    in_token = 1;
    if (c == '\\') {
      size_t n = 0;
      while (p[n] == '\\')
        n++;
      if (p[n] == '"') {
        for (size_t i = 0; i < n / 2; i++)
          pw_textbuf_addc(&cur, '\\');
        if (n % 2) { /* an escaped, literal quote */
          pw_textbuf_addc(&cur, '"');
          p += n + 1;
        } else {
          p += n; /* the quote is a delimiter: next round */
        }
      } else {
        for (size_t i = 0; i < n; i++)
          pw_textbuf_addc(&cur, '\\');
        p += n;
      }
      continue;
    }
    if (c == '"') {
      if (quoted && p[1] == '"') { /* "" inside quotes: a literal quote */
        pw_textbuf_addc(&cur, '"');
        p += 2;
        continue;
      }
      quoted = !quoted;
      p++;
      continue;
    }
    pw_textbuf_addc(&cur, c);
    p++;
  }
  if (rc == PW_OK && quoted) {
    pw_errbuf_printf(errbuf, errlen, "args has an unclosed quote");
    rc = PW_EBADCONFIG;
  }
  if (rc == PW_OK && in_token)
    rc = out->n >= PW_PIPE_MAX_ARGS ? PW_EBADCONFIG : strv_push(out, &cur);
  if (rc == PW_EBADCONFIG && out->n >= PW_PIPE_MAX_ARGS)
    pw_errbuf_printf(errbuf, errlen, "args has more than %d arguments",
                     PW_PIPE_MAX_ARGS);
  pw_textbuf_free(&cur);
  if (rc == PW_OK && !out->v) { /* no tokens: an empty, terminated array */
    out->v = calloc(1, sizeof *out->v);
    if (!out->v)
      rc = PW_ENOMEM;
  }
  if (rc != PW_OK)
    pw_strv_free(out);
  return rc;
}

/* ---- tokens ------------------------------------------------------------ */

typedef enum tok {
  T_JOB,
  T_DOC,
  T_USER,
  T_MACHINE,
  T_PRINTER,
  T_PORT,
  T_DATE,
  T_TIME,
  T_YEAR,
  T_MONTH,
  T_DAY,
  T_HOUR,
  T_MINUTE,
  T_SECOND,
  T_OUTPUT,
  T_NONE
} tok;

static const char *const tok_names[] = {
    "job",  "doc",   "user", "machine", "printer", "port",   "date",  "time",
    "year", "month", "day",  "hour",    "minute",  "second", "output"};

/* The token at p (just after '{'), its length through '}' in *len. */
static tok find_token(const char *p, size_t *len) {
  const char *end = strchr(p, '}');
  if (!end)
    return T_NONE;
  size_t n = (size_t)(end - p);
  for (size_t i = 0; i < sizeof tok_names / sizeof tok_names[0]; i++) {
    if (strlen(tok_names[i]) == n && memcmp(tok_names[i], p, n) == 0) {
      *len = n + 1;
      return (tok)i;
    }
  }
  return T_NONE;
}

int pw_pipe_check_tokens(const pw_strv *tokens, int has_output, char *errbuf,
                         size_t errlen) {
  for (size_t i = 0; i < tokens->n; i++) {
    for (const char *p = tokens->v[i]; *p; p++) {
      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
        p++;
        continue;
      }
      size_t len = 0;
      tok t = p[0] == '{' ? find_token(p + 1, &len) : T_NONE;
      if (p[0] == '}' || (p[0] == '{' && t == T_NONE)) {
        pw_errbuf_printf(errbuf, errlen,
                         "args: unknown token or lone brace in '%s'",
                         tokens->v[i]);
        return PW_EBADCONFIG;
      }
      if (t == T_OUTPUT && !has_output) {
        pw_errbuf_printf(errbuf, errlen,
                         "args uses {output} but the port has no output=");
        return PW_EBADCONFIG;
      }
      p += len;
    }
  }
  return PW_OK;
}

/* A value as it goes into an argument: control characters become '_', cut
 * to PW_PIPE_MAX_VALUE bytes without splitting a UTF-8 sequence. */
static void add_value(pw_textbuf *b, const char *v) {
  if (!v)
    v = "unknown";
  size_t n = strlen(v);
  if (n > PW_PIPE_MAX_VALUE) {
    n = PW_PIPE_MAX_VALUE;
    while (n > 0 && ((unsigned char)v[n] & 0xC0u) == 0x80u)
      n--;
  }
  for (size_t i = 0; i < n; i++)
    pw_textbuf_addc(b, pw_ascii_is_control(v[i]) ? '_' : v[i]);
}

/* v zero-padded to `width` digits (0: as it is). */
static void add_number(pw_textbuf *b, int width, long v) {
  char t[24];
  snprintf(t, sizeof t, "%0*ld", width, v);
  pw_textbuf_adds(b, t);
}

int pw_pipe_expand_arg(const char *token, const pw_pattern_vars *vars,
                       const char *output, char **out) {
  *out = NULL;
  pw_textbuf b = {0};
  for (const char *p = token; *p; p++) {
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      pw_textbuf_addc(&b, *p++);
      continue;
    }
    size_t len = 0;
    tok t = p[0] == '{' ? find_token(p + 1, &len) : T_NONE;
    if (p[0] == '}' ||
        (p[0] == '{' && (t == T_NONE || (t == T_OUTPUT && !output)))) {
      pw_textbuf_free(&b);
      return PW_EBADCONFIG;
    }
    if (p[0] != '{') {
      pw_textbuf_addc(&b, *p);
      continue;
    }
    switch (t) {
    case T_JOB:
      add_number(&b, 0, (long)vars->job_id);
      break;
    case T_DOC:
      add_value(&b, vars->doc);
      break;
    case T_USER:
      add_value(&b, vars->user);
      break;
    case T_MACHINE:
      add_value(&b, vars->machine);
      break;
    case T_PRINTER:
      add_value(&b, vars->printer);
      break;
    case T_PORT:
      add_value(&b, vars->port);
      break;
    case T_DATE:
      add_number(&b, 4, vars->year);
      add_number(&b, 2, vars->month);
      add_number(&b, 2, vars->day);
      break;
    case T_TIME:
      add_number(&b, 2, vars->hour);
      add_number(&b, 2, vars->minute);
      add_number(&b, 2, vars->second);
      break;
    case T_YEAR:
      add_number(&b, 4, vars->year);
      break;
    case T_MONTH:
      add_number(&b, 2, vars->month);
      break;
    case T_DAY:
      add_number(&b, 2, vars->day);
      break;
    case T_HOUR:
      add_number(&b, 2, vars->hour);
      break;
    case T_MINUTE:
      add_number(&b, 2, vars->minute);
      break;
    case T_SECOND:
      add_number(&b, 2, vars->second);
      break;
    case T_OUTPUT:
      pw_textbuf_adds(&b, output);
      break;
    case T_NONE:
      break;
    }
    p += len;
  }
  if (b.failed) {
    pw_textbuf_free(&b);
    return PW_ENOMEM;
  }
  if (b.len > PW_PIPE_MAX_ARG) {
    pw_textbuf_free(&b);
    return PW_ENAMETOOLONG;
  }
  if (!b.data)
    return (*out = calloc(1, 1)) ? PW_OK : PW_ENOMEM;
  return pw_textbuf_take(&b, out);
}

/* ---- environment ------------------------------------------------------- */

/* Length of the NAME in "NAME=VALUE" (the whole string if no '='). */
static size_t name_len(const char *e) {
  const char *eq = strchr(e, '=');
  /* Windows keeps "=C:=C:\..." entries: their name starts with '=' */
  if (eq == e && e[0])
    eq = strchr(e + 1, '=');
  return eq ? (size_t)(eq - e) : strlen(e);
}

static int same_name(const char *a, const char *b) {
  size_t n = name_len(a);
  if (n != name_len(b))
    return 0;
  for (size_t i = 0; i < n; i++)
    if (pw_ascii_lower(a[i]) != pw_ascii_lower(b[i]))
      return 0;
  return 1;
}

/* Set NAME=VALUE in s, replacing an entry of the same name. */
static int env_set(pw_strv *s, const char *entry) {
  for (size_t i = 0; i < s->n; i++) {
    if (same_name(s->v[i], entry)) {
      size_t len = strlen(entry) + 1;
      char *c = malloc(len);
      if (!c)
        return PW_ENOMEM;
      memcpy(c, entry, len);
      free(s->v[i]);
      s->v[i] = c;
      return PW_OK;
    }
  }
  pw_textbuf b = {0};
  pw_textbuf_adds(&b, entry);
  int rc = strv_push(s, &b);
  pw_textbuf_free(&b);
  return rc;
}

static int env_pair(pw_strv *s, const char *name, const char *value) {
  pw_textbuf b = {0};
  pw_textbuf_adds(&b, name);
  pw_textbuf_addc(&b, '=');
  add_value(&b, value);
  int rc = b.failed ? PW_ENOMEM : env_set(s, b.data);
  pw_textbuf_free(&b);
  return rc;
}

int pw_pipe_build_env(const char *const *base, const pw_pattern_vars *vars,
                      const char *output, unsigned long session,
                      const pw_strv *extra, pw_strv *out) {
  memset(out, 0, sizeof *out);
  int rc = PW_OK;
  for (size_t i = 0; rc == PW_OK && base && base[i]; i++)
    rc = env_set(out, base[i]);
  char job[16], sess[24];
  snprintf(job, sizeof job, "%lu", (unsigned long)vars->job_id);
  snprintf(sess, sizeof sess, "%lu", session);
  static const char *const prefixes[] = {"REDMON_", "PORTWAY_"};
  for (size_t k = 0; k < 2 && rc == PW_OK; k++) {
    const struct {
      const char *name, *value;
    } pairs[] = {{"PORT", vars->port},       {"JOB", job},
                 {"PRINTER", vars->printer}, {"MACHINE", vars->machine},
                 {"USER", vars->user},       {"DOCNAME", vars->doc},
                 {"SESSIONID", sess},        {"FILENAME", output}};
    for (size_t i = 0; rc == PW_OK && i < sizeof pairs / sizeof pairs[0]; i++) {
      if (!pairs[i].value && strcmp(pairs[i].name, "FILENAME") == 0)
        continue;
      char name[32];
      snprintf(name, sizeof name, "%s%s", prefixes[k], pairs[i].name);
      rc = env_pair(out, name, pairs[i].value);
    }
  }
  for (size_t i = 0; rc == PW_OK && extra && i < extra->n; i++)
    rc = env_set(out, extra->v[i]);
  if (rc == PW_OK && !out->v && !(out->v = calloc(1, sizeof *out->v)))
    rc = PW_ENOMEM;
  if (rc != PW_OK)
    pw_strv_free(out);
  return rc;
}
