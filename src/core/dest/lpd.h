/* portway — the LPD port type (RFC 1179 line printer daemon). */
#ifndef PORTWAY_DEST_LPD_H
#define PORTWAY_DEST_LPD_H

#include "portway/config.h"

#define PW_LPD_QUEUE_MAX 32 /* bytes; RFC 1179 queue names are short */

/*   uri=lpd://host[:515]/queue */
typedef struct pw_lpd_options {
  char *host;  /* DNS/NetBIOS name or IPv6 literal (without brackets) */
  int port;    /* 1..65535, default 515 */
  char *queue; /* 1..PW_LPD_QUEUE_MAX printable ASCII, no space or '/' */
} pw_lpd_options;

/* The options of an LPD port, NULL if cfg is not one. */
const pw_lpd_options *pw_lpd_opts(const pw_port_config *cfg);

#endif
