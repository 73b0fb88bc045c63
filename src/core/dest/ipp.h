/* portway — the IPP port type (Internet Printing Protocol, RFC 8011). */
#ifndef PORTWAY_DEST_IPP_H
#define PORTWAY_DEST_IPP_H

#include "portway/config.h"

/*   uri=ipp://host[:631]/resource     uri=ipps://host[:631]/resource */
typedef struct pw_ipp_options {
  char *host;     /* DNS/NetBIOS name or IPv6 literal (without brackets) */
  int port;       /* 1..65535, default 631 (for ipps too, as CUPS) */
  char *resource; /* the printer's path, "/printers/x"; not just "/" */
  int tls;        /* 1 for ipps */
} pw_ipp_options;

/* The options of an IPP port, NULL if cfg is not one. */
const pw_ipp_options *pw_ipp_opts(const pw_port_config *cfg);

#endif
