/* portway — the LPD port type's configuration: lpd://host[:port]/queue
 * with the options format, bytecount and retries (docs/lpd-port.md). Its
 * destination is lpd.c. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest.h"
#include "core/dest/lpd.h"
#include "core/dest/netconnect.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"
#define PW_LPD_DEFAULT_PORT 515
#define LPD_FORMATS "cdfglnoprtv"

static int queue_valid(const char *q) {
  size_t n = strlen(q);
  if (n == 0 || n > PW_LPD_QUEUE_MAX)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)q[i];
    if (c <= 0x20 || c >= 0x7f || c == '/')
      return 0;
  }
  return 1;
}

static void lpd_free(void *opts) {
  pw_lpd_options *o = opts;
  if (!o)
    return;
  free(o->host);
  free(o->queue);
  free(o);
}

static int lpd_from_uri(const pw_uri *u, void **opts, char *errbuf,
                        size_t errlen) {
  *opts = NULL;
  pw_lpd_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  o->format = PW_LPD_DEFAULT_FORMAT;
  o->bytecount = 1;
  o->retries = PW_LPD_DEFAULT_RETRIES;
  int rc = pw_config_net_authority(u, PW_LPD_DEFAULT_PORT, &o->host, &o->port,
                                   errbuf, errlen);
  if (rc == PW_OK && (u->path[0] != '/' || !queue_valid(u->path + 1))) {
    pw_errbuf_printf(errbuf, errlen,
                     "lpd URI needs a queue name (1-%u printable ASCII "
                     "characters, no spaces or '/')",
                     (unsigned)PW_LPD_QUEUE_MAX);
    rc = PW_EBADCONFIG;
  }
  if (rc == PW_OK)
    rc = pw_strdup_to(u->path + 1, &o->queue);
  if (rc != PW_OK) {
    lpd_free(o);
    return rc;
  }
  *opts = o;
  return PW_OK;
}

static int lpd_format_uri(const void *opts, pw_textbuf *b) {
  const pw_lpd_options *o = opts;
  if (!o->queue)
    return PW_EINVAL;
  int rc = pw_config_add_authority(b, "lpd", o->host, o->port);
  pw_textbuf_addc(b, '/');
  pw_textbuf_add_uri_encoded(b, o->queue);
  return rc;
}

static void *lpd_clone(const void *opts) {
  const pw_lpd_options *o = opts;
  pw_lpd_options *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->port = o->port;
  c->format = o->format;
  c->bytecount = o->bytecount;
  c->retries = o->retries;
  if (pw_strdup_to(o->host, &c->host) != PW_OK ||
      pw_strdup_to(o->queue, &c->queue) != PW_OK) {
    lpd_free(c);
    return NULL;
  }
  return c;
}

static int lpd_equal(const void *a, const void *b) {
  const pw_lpd_options *x = a, *y = b;
  return x->port == y->port && x->format == y->format &&
         x->bytecount == y->bytecount && x->retries == y->retries &&
         pw_config_str_eq(x->host, y->host) &&
         pw_config_str_eq(x->queue, y->queue);
}

static int lpd_set_option(void *opts, const char *key, const char *value,
                          char *errbuf, size_t errlen) {
  pw_lpd_options *o = opts;
  if (strcmp(key, "format") == 0) {
    if (strlen(value) != 1 || !strchr(LPD_FORMATS, value[0])) {
      pw_errbuf_printf(errbuf, errlen,
                       "format must be one RFC 1179 print command letter "
                       "(c d f g l n o p r t v)");
      return PW_EBADCONFIG;
    }
    o->format = value[0];
    return PW_OK;
  }
  if (strcmp(key, "bytecount") == 0)
    return pw_config_parse_bool(key, value, &o->bytecount, errbuf, errlen);
  return pw_config_parse_count(key, value, PW_LPD_MAX_RETRIES, &o->retries,
                               errbuf, errlen); /* retries */
}

static int lpd_format_options(const void *opts, pw_textbuf *b) {
  const pw_lpd_options *o = opts;
  int rc = PW_OK;
  if (o->format != PW_LPD_DEFAULT_FORMAT) {
    char f[2] = {o->format, '\0'};
    rc = pw_config_add_option(b, "format", f);
  }
  if (rc == PW_OK && !o->bytecount)
    rc = pw_config_add_option(b, "bytecount", "false");
  if (rc == PW_OK && o->retries != PW_LPD_DEFAULT_RETRIES) {
    char n[16];
    snprintf(n, sizeof n, "%d", o->retries);
    rc = pw_config_add_option(b, "retries", n);
  }
  return rc;
}

const pw_lpd_options *pw_lpd_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_LPD ? cfg->opts : NULL;
}

static const char *const lpd_schemes[] = {"lpd", NULL};
static const char *const lpd_options[] = {"format", "bytecount", "retries",
                                          NULL};

const pw_dest_scheme pw_dest_scheme_lpd = {
    .kind = PW_DEST_LPD,
    .schemes = lpd_schemes,
    .description = "portway LPD port",
    .options = lpd_options,
    .ops = &pw_dest_lpd,
    .from_uri = lpd_from_uri,
    .set_option = lpd_set_option,
    .format_uri = lpd_format_uri,
    .format_options = lpd_format_options,
    .clone = lpd_clone,
    .equal = lpd_equal,
    .free = lpd_free,
};
