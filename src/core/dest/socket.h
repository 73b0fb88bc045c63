/* portway — the socket port type (raw TCP, "AppSocket"/JetDirect). */
#ifndef PORTWAY_DEST_SOCKET_H
#define PORTWAY_DEST_SOCKET_H

#include "portway/config.h"

/*   uri=socket://host[:9100] */
typedef struct pw_socket_options {
  char *host; /* DNS/NetBIOS name or IPv6 literal (without brackets) */
  int port;   /* 1..65535, default 9100 */
} pw_socket_options;

/* The options of a socket port, NULL if cfg is not one. */
const pw_socket_options *pw_socket_opts(const pw_port_config *cfg);

#endif
