/* portway — connecting a network destination: resolve the host, try every
 * address in turn, retry with bounded back-off (socket:// and lpd://). */
#ifndef PORTWAY_DEST_NETCONNECT_H
#define PORTWAY_DEST_NETCONNECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/cancel.h"
#include "platform/platform.h"
#include "portway/core.h"

/* Whatever one connect may spend, retries and back-off included, unless
 * connect_ms alone is longer. */
#define PW_NETCONNECT_BUDGET_MS 60000u
#define PW_NETCONNECT_FIRST_BACKOFF_MS 1000u
#define PW_NETCONNECT_MAX_BACKOFF_MS 8000u

typedef struct pw_netconnect {
  const char *host;    /* name, IPv4 or IPv6 literal (no brackets) */
  int port;            /* 1..65535 */
  unsigned retries;    /* attempts after the first */
  uint32_t connect_ms; /* one connection attempt */
  pw_cancel *cancel;   /* may be NULL */
  /* Told "cannot connect ...; retrying in N s" before each back-off (may
   * be NULL). */
  void (*report_status)(void *ctx, const pw_port_status *status);
  void *status_ctx;
} pw_netconnect;

/* Connect to nc->host:port. On success *out is connected and the cancel
 * token's action aborts it: the caller clears that action
 * (pw_cancel_set_action(cancel, NULL, NULL)) before closing *out. `peer`
 * gets "host:port" of the address that answered. On failure errbuf gets a
 * one-line cause ("cannot connect to 127.0.0.1:515 (attempt 3): ...",
 * "cannot resolve 'x': ..."). */
int pw_netconnect_run(const pw_netconnect *nc, pw_socket **out, char *peer,
                      size_t peercap, char *errbuf, size_t errlen);

/* Test a network destination without printing: one connection attempt (no
 * retries) to host:port within connect_ms, then hang up. `verdict` gets
 * "<what> at 127.0.0.1:9100 accepts connections (0.4 ms)" or the cause. */
int pw_netconnect_probe(const char *host, int port, uint32_t connect_ms,
                        const char *what, char *verdict, size_t len);

#endif
