/* portway — the LPD port type: lpd://host[:port]/queue (RFC 1179, port
 * 515 by default). Configuration only; the destination comes next. */
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest/lpd.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"

#define PW_LPD_DEFAULT_PORT 515

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
  if (pw_strdup_to(o->host, &c->host) != PW_OK ||
      pw_strdup_to(o->queue, &c->queue) != PW_OK) {
    lpd_free(c);
    return NULL;
  }
  return c;
}

static int lpd_equal(const void *a, const void *b) {
  const pw_lpd_options *x = a, *y = b;
  return x->port == y->port && pw_config_str_eq(x->host, y->host) &&
         pw_config_str_eq(x->queue, y->queue);
}

const pw_lpd_options *pw_lpd_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_LPD ? cfg->opts : NULL;
}

static const char *const lpd_schemes[] = {"lpd", NULL};
static const char *const lpd_options[] = {NULL};

const pw_dest_scheme pw_dest_scheme_lpd = {
    .kind = PW_DEST_LPD,
    .schemes = lpd_schemes,
    .description = "portway LPD port",
    .options = lpd_options,
    .ops = NULL, /* not implemented yet: PW_ENOTSUP */
    .from_uri = lpd_from_uri,
    .set_option = NULL,
    .format_uri = lpd_format_uri,
    .format_options = NULL,
    .clone = lpd_clone,
    .equal = lpd_equal,
    .free = lpd_free,
};
