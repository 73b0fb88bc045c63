/* portway — the socket port type: socket://host[:port] (raw TCP, port 9100
 * by default). Configuration only; the destination comes next. */
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest/socket.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"

#define PW_SOCKET_DEFAULT_PORT 9100

static void socket_free(void *opts) {
  pw_socket_options *o = opts;
  if (!o)
    return;
  free(o->host);
  free(o);
}

static int socket_from_uri(const pw_uri *u, void **opts, char *errbuf,
                           size_t errlen) {
  *opts = NULL;
  pw_socket_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  int rc = pw_config_net_authority(u, PW_SOCKET_DEFAULT_PORT, &o->host,
                                   &o->port, errbuf, errlen);
  if (rc == PW_OK && u->path[0] && strcmp(u->path, "/") != 0) {
    pw_errbuf_printf(errbuf, errlen, "socket URIs take no path");
    rc = PW_EBADCONFIG;
  }
  if (rc != PW_OK) {
    socket_free(o);
    return rc;
  }
  *opts = o;
  return PW_OK;
}

static int socket_format_uri(const void *opts, pw_textbuf *b) {
  const pw_socket_options *o = opts;
  return pw_config_add_authority(b, "socket", o->host, o->port);
}

static void *socket_clone(const void *opts) {
  const pw_socket_options *o = opts;
  pw_socket_options *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->port = o->port;
  if (pw_strdup_to(o->host, &c->host) != PW_OK) {
    socket_free(c);
    return NULL;
  }
  return c;
}

static int socket_equal(const void *a, const void *b) {
  const pw_socket_options *x = a, *y = b;
  return x->port == y->port && pw_config_str_eq(x->host, y->host);
}

const pw_socket_options *pw_socket_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_SOCKET ? cfg->opts : NULL;
}

static const char *const socket_schemes[] = {"socket", NULL};
static const char *const socket_options[] = {NULL};

const pw_dest_scheme pw_dest_scheme_socket = {
    .kind = PW_DEST_SOCKET,
    .schemes = socket_schemes,
    .description = "portway socket port",
    .options = socket_options,
    .ops = NULL, /* not implemented yet: PW_ENOTSUP */
    .from_uri = socket_from_uri,
    .set_option = NULL,
    .format_uri = socket_format_uri,
    .format_options = NULL,
    .clone = socket_clone,
    .equal = socket_equal,
    .free = socket_free,
};
