/* portway — the socket port type (raw TCP, "AppSocket"/JetDirect). */
#ifndef PORTWAY_DEST_SOCKET_H
#define PORTWAY_DEST_SOCKET_H

#include "portway/config.h"

/*   uri=socket://host[:9100]
 *   retries=2     connection attempts after the first (0..10)
 *   waiteof=true  EndDocPort waits until the printer closes the connection
 * (plus the common timeout / connect_timeout; docs/socket-port.md). */
typedef struct pw_socket_options {
  char *host;  /* DNS/NetBIOS name or IPv6 literal (without brackets) */
  int port;    /* 1..65535, default 9100 */
  int retries; /* default PW_SOCKET_DEFAULT_RETRIES */
  int waiteof; /* 1 (default) or 0 */
} pw_socket_options;

#define PW_SOCKET_DEFAULT_RETRIES 2
#define PW_SOCKET_MAX_RETRIES 10

/* The options of a socket port, NULL if cfg is not one. */
const pw_socket_options *pw_socket_opts(const pw_port_config *cfg);

#endif
