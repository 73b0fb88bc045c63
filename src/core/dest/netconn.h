/* portway — one connection of a network destination: TCP, or TLS over TCP
 * (ipps://). Connecting goes through netconnect.c (every address, bounded
 * retries); the TLS handshake follows, once, with the platform's TLS. */
#ifndef PORTWAY_DEST_NETCONN_H
#define PORTWAY_DEST_NETCONN_H

#include <stddef.h>
#include <stdint.h>

#include "core/dest/netconnect.h"
#include "platform/platform.h"

typedef struct pw_netconn {
  pw_socket *sock;
  pw_tls *tls; /* NULL for plain TCP */
  pw_cancel *cancel;
  char peer[80]; /* "127.0.0.1:631" */
} pw_netconn;

/* Connect (nc's retries) and, when tls is not NULL, run the handshake
 * within nc->connect_ms. On success the cancel token aborts the socket
 * (until pw_netconn_close). On failure *c is closed and errbuf says why:
 * "TLS with 127.0.0.1:631 failed: certificate ... does not match the pin".
 */
int pw_netconn_open(pw_netconn *c, const pw_netconnect *nc,
                    const pw_tls_options *tls, char *errbuf, size_t errlen);
/* pw_socket_send / pw_socket_recv, through TLS when there is TLS. */
int pw_netconn_send(pw_netconn *c, const void *buf, size_t len,
                    uint32_t timeout_ms, size_t *sent);
int pw_netconn_recv(pw_netconn *c, void *buf, size_t len, uint32_t timeout_ms,
                    size_t *got);
/* Any thread: make blocked I/O return PW_ECANCELED. */
void pw_netconn_abort(pw_netconn *c);
/* Free everything (idempotent); *c may be opened again. */
void pw_netconn_close(pw_netconn *c);

#endif
