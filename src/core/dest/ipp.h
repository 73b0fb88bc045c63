/* portway — the IPP port type (Internet Printing Protocol, RFC 8011, over
 * HTTP/1.1; ipps: over TLS). Configuration in ipp.c, the destination in
 * ipp_job.c, one HTTP request/response exchange in ipp_exchange.c. See
 * docs/ipp-port.md. */
#ifndef PORTWAY_DEST_IPP_H
#define PORTWAY_DEST_IPP_H

#include <stdint.h>

#include "portway/config.h"

#define PW_IPP_DEFAULT_FORMAT "application/octet-stream"
#define PW_IPP_FORMAT_MAX 255 /* mimeMediaType(255), RFC 8011 5.1.10 */
#define PW_IPP_DEFAULT_RETRIES 2
#define PW_IPP_MAX_RETRIES 10
#define PW_IPP_DEFAULT_BUSYWAIT 60 /* seconds */
#define PW_IPP_MAX_BUSYWAIT 3600
#define PW_IPP_PIN_LEN 32 /* SHA-256 */
#define PW_IPP_SPOOL_FALSE 0
#define PW_IPP_SPOOL_TRUE 1
#define PW_IPP_SPOOL_AUTO 2

/*   uri=ipp://host[:631]/resource     uri=ipps://host[:631]/resource
 *   format=application/octet-stream   document-format sent with the job
 *   spool=auto      stream the job with Create-Job + Send-Document when
 *                   the printer has them (a busy printer is retried before
 *                   any data), else spool it; true: spool it to a
 *                   temporary file and send it with Print-Job at EndDocPort
 *                   (busy printers are retried); false: always stream
 *   check=false     ask the printer's state (Get-Printer-Attributes) at
 *                   StartDocPort: refuse the job early if it is not
 *                   accepting jobs or does not support the format
 *   retries=2       connection attempts after the first (0..10)
 *   busywait=60     seconds a busy printer is retried (0..3600)
 *   pin=AB:CD:...   ipps only: trust the certificate whose SHA-256 this is
 *   verify=true     ipps only: false accepts any certificate (dangerous)
 * (plus the common timeout / connect_timeout; docs/ipp-port.md). */
typedef struct pw_ipp_options {
  char *host;     /* DNS/NetBIOS name or IPv6 literal (without brackets) */
  int port;       /* 1..65535, default 631 (for ipps too, as CUPS) */
  char *resource; /* the printer's path, "/printers/x"; not just "/" */
  int tls;        /* 1 for ipps */
  char *format;   /* NULL: PW_IPP_DEFAULT_FORMAT */
  int spool;      /* PW_IPP_SPOOL_AUTO (default), _TRUE or _FALSE */
  int check;      /* 0 (default) or 1 */
  int retries;    /* default PW_IPP_DEFAULT_RETRIES */
  int busywait;   /* seconds, default PW_IPP_DEFAULT_BUSYWAIT */
  int has_pin;
  uint8_t pin[PW_IPP_PIN_LEN];
  int verify; /* 1 (default) or 0 */
} pw_ipp_options;

/* The options of an IPP port, NULL if cfg is not one. */
const pw_ipp_options *pw_ipp_opts(const pw_port_config *cfg);

/* The document-format a job is sent with. */
const char *pw_ipp_format(const pw_ipp_options *o);

#endif
