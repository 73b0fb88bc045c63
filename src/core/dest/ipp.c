/* portway — the IPP port type: ipp://host[:port]/resource and ipps://
 * (TLS), port 631 by default for both, as CUPS. Configuration only; the
 * destination comes next. */
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
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
  free(o);
}

static int ipp_from_uri(const pw_uri *u, void **opts, char *errbuf,
                        size_t errlen) {
  *opts = NULL;
  pw_ipp_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  o->tls = strcmp(u->scheme, "ipps") == 0;
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
  pw_ipp_options *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->port = o->port;
  c->tls = o->tls;
  if (pw_strdup_to(o->host, &c->host) != PW_OK ||
      pw_strdup_to(o->resource, &c->resource) != PW_OK) {
    ipp_free(c);
    return NULL;
  }
  return c;
}

static int ipp_equal(const void *a, const void *b) {
  const pw_ipp_options *x = a, *y = b;
  return x->port == y->port && x->tls == y->tls &&
         pw_config_str_eq(x->host, y->host) &&
         pw_config_str_eq(x->resource, y->resource);
}

const pw_ipp_options *pw_ipp_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_IPP ? cfg->opts : NULL;
}

static const char *const ipp_schemes[] = {"ipp", "ipps", NULL};
static const char *const ipp_options[] = {NULL};

const pw_dest_scheme pw_dest_scheme_ipp = {
    .kind = PW_DEST_IPP,
    .schemes = ipp_schemes,
    .description = "portway IPP port",
    .options = ipp_options,
    .ops = NULL, /* not implemented yet: PW_ENOTSUP */
    .from_uri = ipp_from_uri,
    .set_option = NULL,
    .format_uri = ipp_format_uri,
    .format_options = NULL,
    .clone = ipp_clone,
    .equal = ipp_equal,
    .free = ipp_free,
};
