/* portway — the IPP port type's configuration: ipp://host[:port]/resource
 * and ipps:// (TLS), port 631 by default for both, as CUPS, with the
 * options of ipp.h. Its destination is ipp_job.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest.h"
#include "core/dest/ipp.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"

#define PW_IPP_DEFAULT_PORT 631

static void ipp_free(void *opts) {
  pw_ipp_options *o = opts;
  if (!o)
    return;
  free(o->host);
  free(o->resource);
  free(o->format);
  free(o);
}

static int ipp_from_uri(const pw_uri *u, void **opts, char *errbuf,
                        size_t errlen) {
  *opts = NULL;
  pw_ipp_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  o->tls = strcmp(u->scheme, "ipps") == 0;
  o->spool = PW_IPP_SPOOL_AUTO;
  o->retries = PW_IPP_DEFAULT_RETRIES;
  o->busywait = PW_IPP_DEFAULT_BUSYWAIT;
  o->verify = 1;
  int rc = pw_config_net_authority(u, PW_IPP_DEFAULT_PORT, &o->host, &o->port,
                                   errbuf, errlen);
  if (rc == PW_OK && (u->path[0] != '/' || u->path[1] == '\0')) {
    pw_errbuf_printf(errbuf, errlen,
                     "%s URI needs a resource path (e.g. /printers/x)",
                     u->scheme);
    rc = PW_EBADCONFIG;
  }
  if (rc == PW_OK)
    rc = pw_strdup_to(u->path, &o->resource);
  if (rc != PW_OK) {
    ipp_free(o);
    return rc;
  }
  *opts = o;
  return PW_OK;
}

static int ipp_format_uri(const void *opts, pw_textbuf *b) {
  const pw_ipp_options *o = opts;
  if (!o->resource)
    return PW_EINVAL;
  int rc =
      pw_config_add_authority(b, o->tls ? "ipps" : "ipp", o->host, o->port);
  pw_textbuf_add_uri_encoded(b, o->resource);
  return rc;
}

static void *ipp_clone(const void *opts) {
  const pw_ipp_options *o = opts;
  pw_ipp_options *c = malloc(sizeof *c);
  if (!c)
    return NULL;
  *c = *o;
  c->host = c->resource = c->format = NULL;
  if (pw_strdup_to(o->host, &c->host) != PW_OK ||
      pw_strdup_to(o->resource, &c->resource) != PW_OK ||
      (o->format && pw_strdup_to(o->format, &c->format) != PW_OK)) {
    ipp_free(c);
    return NULL;
  }
  return c;
}

static int ipp_equal(const void *a, const void *b) {
  const pw_ipp_options *x = a, *y = b;
  return x->port == y->port && x->tls == y->tls && x->spool == y->spool &&
         x->check == y->check && x->retries == y->retries &&
         x->busywait == y->busywait && x->verify == y->verify &&
         x->has_pin == y->has_pin &&
         (!x->has_pin || memcmp(x->pin, y->pin, sizeof x->pin) == 0) &&
         pw_config_str_eq(x->host, y->host) &&
         pw_config_str_eq(x->resource, y->resource) &&
         strcmp(pw_ipp_format(x), pw_ipp_format(y)) == 0;
}

/* A mimeMediaType as RFC 2045 spells a type/subtype (parameters allowed):
 * printable ASCII, no spaces, one '/' with something on each side. */
static int format_valid(const char *v) {
  size_t n = strlen(v);
  const char *slash = strchr(v, '/');
  if (n == 0 || n > PW_IPP_FORMAT_MAX || !slash || slash == v || !slash[1])
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\')
      return 0;
  }
  return 1;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* 64 hex digits, optionally in colon-separated pairs (as openssl x509
 * -fingerprint -sha256 prints them). */
static int parse_pin(const char *v, uint8_t out[PW_IPP_PIN_LEN]) {
  size_t n = 0;
  while (*v) {
    if (n == PW_IPP_PIN_LEN)
      return 0;
    int hi = hex_value(v[0]), lo = hi < 0 ? -1 : hex_value(v[1]);
    if (hi < 0 || lo < 0)
      return 0;
    out[n++] = (uint8_t)(hi * 16 + lo);
    v += 2;
    if (*v == ':' && v[1])
      v++;
  }
  return n == PW_IPP_PIN_LEN;
}

static int ipp_set_option(void *opts, const char *key, const char *value,
                          char *errbuf, size_t errlen) {
  pw_ipp_options *o = opts;
  if (strcmp(key, "format") == 0) {
    if (!format_valid(value)) {
      pw_errbuf_printf(errbuf, errlen,
                       "format must be a MIME type such as "
                       "application/pdf (at most %d characters)",
                       PW_IPP_FORMAT_MAX);
      return PW_EBADCONFIG;
    }
    char *copy = NULL;
    int rc = pw_strdup_to(value, &copy);
    if (rc != PW_OK)
      return rc;
    free(o->format);
    o->format = copy;
    return PW_OK;
  }
  if (strcmp(key, "spool") == 0) {
    if (strcmp(value, "auto") == 0) {
      o->spool = PW_IPP_SPOOL_AUTO;
      return PW_OK;
    }
    int on = 0;
    int rc = pw_config_parse_bool(key, value, &on, errbuf, errlen);
    if (rc != PW_OK)
      pw_errbuf_printf(errbuf, errlen, "spool must be auto, true or false");
    else
      o->spool = on ? PW_IPP_SPOOL_TRUE : PW_IPP_SPOOL_FALSE;
    return rc;
  }
  if (strcmp(key, "check") == 0)
    return pw_config_parse_bool(key, value, &o->check, errbuf, errlen);
  if (strcmp(key, "retries") == 0)
    return pw_config_parse_count(key, value, PW_IPP_MAX_RETRIES, &o->retries,
                                 errbuf, errlen);
  if (strcmp(key, "busywait") == 0)
    return pw_config_parse_count(key, value, PW_IPP_MAX_BUSYWAIT, &o->busywait,
                                 errbuf, errlen);
  /* pin and verify */
  if (!o->tls) {
    pw_errbuf_printf(errbuf, errlen, "%s applies to ipps:// ports only", key);
    return PW_EBADCONFIG;
  }
  if (strcmp(key, "verify") == 0)
    return pw_config_parse_bool(key, value, &o->verify, errbuf, errlen);
  if (!parse_pin(value, o->pin)) {
    pw_errbuf_printf(errbuf, errlen,
                     "pin must be a SHA-256 fingerprint: 64 hex digits, "
                     "optionally in pairs separated by ':'");
    return PW_EBADCONFIG;
  }
  o->has_pin = 1;
  return PW_OK;
}

static int add_int_option(pw_textbuf *b, const char *key, int v) {
  char n[16];
  snprintf(n, sizeof n, "%d", v);
  return pw_config_add_option(b, key, n);
}

static int ipp_format_options(const void *opts, pw_textbuf *b) {
  const pw_ipp_options *o = opts;
  int rc = PW_OK;
  if (o->format)
    rc = pw_config_add_option(b, "format", o->format);
  if (rc == PW_OK && o->spool != PW_IPP_SPOOL_AUTO)
    rc = pw_config_add_option(b, "spool",
                              o->spool == PW_IPP_SPOOL_TRUE ? "true" : "false");
  if (rc == PW_OK && o->check)
    rc = pw_config_add_option(b, "check", "true");
  if (rc == PW_OK && o->retries != PW_IPP_DEFAULT_RETRIES)
    rc = add_int_option(b, "retries", o->retries);
  if (rc == PW_OK && o->busywait != PW_IPP_DEFAULT_BUSYWAIT)
    rc = add_int_option(b, "busywait", o->busywait);
  if (rc == PW_OK && o->has_pin) {
    char hex[PW_IPP_PIN_LEN * 3];
    for (size_t i = 0; i < PW_IPP_PIN_LEN; i++)
      snprintf(hex + 3 * i, 4, "%02X%s", o->pin[i],
               i + 1 < PW_IPP_PIN_LEN ? ":" : "");
    rc = pw_config_add_option(b, "pin", hex);
  }
  if (rc == PW_OK && !o->verify)
    rc = pw_config_add_option(b, "verify", "false");
  return rc;
}

const pw_ipp_options *pw_ipp_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_IPP ? cfg->opts : NULL;
}

const char *pw_ipp_format(const pw_ipp_options *o) {
  return o->format ? o->format : PW_IPP_DEFAULT_FORMAT;
}

static const char *const ipp_schemes[] = {"ipp", "ipps", NULL};
static const char *const ipp_options[] = {
    "format", "spool", "check", "retries", "busywait", "pin", "verify", NULL};

const pw_dest_scheme pw_dest_scheme_ipp = {
    .kind = PW_DEST_IPP,
    .schemes = ipp_schemes,
    .description = "portway IPP port",
    .options = ipp_options,
    .ops = &pw_dest_ipp,
    .from_uri = ipp_from_uri,
    .set_option = ipp_set_option,
    .format_uri = ipp_format_uri,
    .format_options = ipp_format_options,
    .clone = ipp_clone,
    .equal = ipp_equal,
    .free = ipp_free,
};
