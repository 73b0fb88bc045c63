/* portway — a network destination's connection, plain or TLS (netconn.h). */
#include "core/dest/netconn.h"

#include <string.h>

#include "core/errbuf.h"
#include "portway/error.h"

int pw_netconn_open(pw_netconn *c, const pw_netconnect *nc,
                    const pw_tls_options *tls, char *errbuf, size_t errlen) {
  memset(c, 0, sizeof *c);
  c->cancel = nc->cancel;
  int rc =
      pw_netconnect_run(nc, &c->sock, c->peer, sizeof c->peer, errbuf, errlen);
  if (rc != PW_OK || !tls)
    return rc;
  char why[256] = "";
  rc = pw_tls_connect(c->sock, tls, nc->connect_ms, &c->tls, why, sizeof why);
  if (rc != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "TLS with %s failed: %s", c->peer,
                     why[0] ? why : pw_strerror(rc));
    pw_netconn_close(c);
  }
  return rc;
}

int pw_netconn_send(pw_netconn *c, const void *buf, size_t len,
                    uint32_t timeout_ms, size_t *sent) {
  if (c->tls)
    return pw_tls_send(c->tls, buf, len, timeout_ms, sent);
  return pw_socket_send(c->sock, buf, len, timeout_ms, sent);
}

int pw_netconn_recv(pw_netconn *c, void *buf, size_t len, uint32_t timeout_ms,
                    size_t *got) {
  if (c->tls)
    return pw_tls_recv(c->tls, buf, len, timeout_ms, got);
  return pw_socket_recv(c->sock, buf, len, timeout_ms, got);
}

void pw_netconn_abort(pw_netconn *c) {
  if (c->sock)
    pw_socket_abort(c->sock);
}

void pw_netconn_close(pw_netconn *c) {
  if (c->sock) /* the token must not reach a freed socket */
    pw_cancel_set_action(c->cancel, NULL, NULL);
  pw_tls_free(c->tls);
  pw_socket_close(c->sock);
  c->tls = NULL;
  c->sock = NULL;
}
