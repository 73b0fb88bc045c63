/* portway — connecting a network destination (see netconnect.h). */
#include "core/dest/netconnect.h"

#include <stdio.h>

#include "core/errbuf.h"
#include "core/retry.h"
#include "portway/error.h"

typedef struct attempt_state {
  const pw_netconnect *nc;
  pw_addr_list *addrs;
  uint64_t deadline_ns;
  pw_socket *sock;
  char peer[80];
  char why[200];
} attempt_state;

static void abort_socket(void *arg) {
  pw_socket_abort(arg);
}

static uint32_t ms_left(uint64_t deadline_ns) {
  uint64_t now = pw_time_monotonic_ns();
  if (now >= deadline_ns)
    return 0;
  uint64_t ms = (deadline_ns - now) / 1000000u;
  return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)(ms ? ms : 1);
}

/* One attempt: every resolved address in turn, the first that connects
 * wins. Returns the most telling error of the attempt. */
static int connect_once(void *arg, unsigned attempt) {
  attempt_state *a = arg;
  int rc = PW_ECONNREFUSED;
  for (size_t i = 0; i < pw_addr_count(a->addrs); i++) {
    uint32_t left = ms_left(a->deadline_ns);
    if (left == 0)
      return PW_ETIMEDOUT;
    uint32_t limit = a->nc->connect_ms;
    pw_socket *s = NULL;
    char where[80];
    pw_addr_format(a->addrs, i, where, sizeof where);
    rc = pw_socket_open(a->addrs, i, &s);
    if (rc == PW_OK) {
      /* ClosePort/Shutdown now abort this connect from their thread. */
      pw_cancel_set_action(a->nc->cancel, abort_socket, s);
      rc = pw_socket_connect(s, limit < left ? limit : left);
      if (rc != PW_OK) {
        pw_cancel_set_action(a->nc->cancel, NULL, NULL);
        pw_socket_close(s);
        s = NULL;
      }
    }
    if (rc == PW_OK) {
      a->sock = s;
      snprintf(a->peer, sizeof a->peer, "%s", where);
      return PW_OK;
    }
    pw_errbuf_os(a->why, sizeof a->why, rc,
                 "cannot connect to %s (attempt %u): %s", where, attempt,
                 pw_strerror(rc));
    if (rc == PW_ECANCELED)
      return rc;
  }
  return rc;
}

static void on_retry(void *arg, unsigned attempt, int err, uint32_t delay) {
  attempt_state *a = arg;
  (void)err;
  (void)attempt;
  char text[260];
  snprintf(text, sizeof text, "%s; retrying in %u s", a->why,
           (unsigned)((delay + 999u) / 1000u));
  pw_port_status st = {PW_PORT_STATUS_OFFLINE, PW_PORT_SEVERITY_WARNING, text};
  if (a->nc->report_status)
    a->nc->report_status(a->nc->status_ctx, &st);
}

int pw_netconnect_run(const pw_netconnect *nc, pw_socket **out, char *peer,
                      size_t peercap, char *errbuf, size_t errlen) {
  attempt_state a = {0};
  *out = NULL;
  a.nc = nc;
  int rc = pw_net_resolve(nc->host, nc->port, &a.addrs);
  if (rc != PW_OK) {
    pw_errbuf_os(errbuf, errlen, rc, "cannot resolve '%s': %s", nc->host,
                 pw_strerror(rc));
    return rc;
  }
  uint32_t budget = nc->connect_ms > PW_NETCONNECT_BUDGET_MS
                        ? nc->connect_ms
                        : PW_NETCONNECT_BUDGET_MS;
  a.deadline_ns = pw_time_monotonic_ns() + (uint64_t)budget * 1000000u;
  pw_retry_policy policy = {nc->retries + 1u, PW_NETCONNECT_FIRST_BACKOFF_MS,
                            PW_NETCONNECT_MAX_BACKOFF_MS, budget};
  rc = pw_retry_run(&policy, NULL, nc->cancel, connect_once, on_retry, &a);
  pw_addr_list_free(a.addrs);
  if (rc != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "%s", a.why[0] ? a.why : pw_strerror(rc));
    return rc;
  }
  *out = a.sock;
  if (peer && peercap)
    snprintf(peer, peercap, "%s", a.peer);
  return PW_OK;
}

int pw_netconnect_probe(const char *host, int port, uint32_t connect_ms,
                        const char *what, char *verdict, size_t len) {
  pw_netconnect nc = {host, port, 0, connect_ms, NULL, NULL, NULL};
  pw_socket *s = NULL;
  char peer[80] = "";
  uint64_t t0 = pw_time_monotonic_ns();
  int rc = pw_netconnect_run(&nc, &s, peer, sizeof peer, verdict, len);
  if (rc == PW_OK) {
    double ms = (double)(pw_time_monotonic_ns() - t0) / 1e6;
    pw_socket_close(s);
    pw_errbuf_printf(verdict, len, "%s at %s accepts connections (%.1f ms)",
                     what, peer, ms);
  }
  return rc;
}
