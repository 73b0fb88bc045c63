/* portway — the LPD port type (RFC 1179 line printer daemon client). */
#ifndef PORTWAY_DEST_LPD_H
#define PORTWAY_DEST_LPD_H

#include "portway/config.h"

#define PW_LPD_QUEUE_MAX 32 /* bytes; RFC 1179 queue names are short */

/* Control-file fields, in bytes (RFC 1179 section 7: H and P "at most 31
 * octets", J "at most 99"; N has no RFC limit, 131 is ours, as LPRng's). */
#define PW_LPD_HOST_MAX 31
#define PW_LPD_USER_MAX 31
#define PW_LPD_JOBNAME_MAX 99
#define PW_LPD_DOCNAME_MAX 131

#define PW_LPD_DEFAULT_FORMAT 'l'
#define PW_LPD_DEFAULT_RETRIES 2
#define PW_LPD_MAX_RETRIES 10

/*   uri=lpd://host[:515]/queue
 *   format=l        control-file print command: c d f g l n o p r t v
 *   bytecount=true  spool to a temporary file first, send the exact size;
 *                   false: stream with size 0 (LPRng only, see
 *                   docs/lpd-port.md)
 *   retries=2       connection attempts after the first (0..10)
 * (plus the common timeout / connect_timeout; docs/lpd-port.md). */
typedef struct pw_lpd_options {
  char *host;    /* DNS/NetBIOS name or IPv6 literal (without brackets) */
  int port;      /* 1..65535, default 515 */
  char *queue;   /* 1..PW_LPD_QUEUE_MAX printable ASCII, no space or '/' */
  char format;   /* one of "cdfglnoprtv", default PW_LPD_DEFAULT_FORMAT */
  int bytecount; /* 1 (default) or 0 */
  int retries;   /* default PW_LPD_DEFAULT_RETRIES */
} pw_lpd_options;

/* The options of an LPD port, NULL if cfg is not one. */
const pw_lpd_options *pw_lpd_opts(const pw_port_config *cfg);

#endif
