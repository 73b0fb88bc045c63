/* portway — testing a port without printing (pwctl test-port, Xcv
 * "TestPort"): the destination's `probe` with the port's time-outs. */
#include <stdio.h>
#include <string.h>

#include "core/dest.h"
#include "core/errbuf.h"
#include "core/monitor_internal.h"

int pw_monitor_test_port(pw_monitor *mon, const char *name, char *verdict,
                         size_t len) {
  char dummy[8];
  if (!verdict || len == 0) {
    verdict = dummy;
    len = sizeof dummy;
  }
  verdict[0] = '\0';
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!name)
    return PW_EINVAL;
  pw_port *port = NULL;
  rc = pw_registry_find(mon, name, &port);
  if (rc != PW_OK) {
    snprintf(verdict, len, "%s",
             rc == PW_ENOENT ? "no such port" : pw_strerror(rc));
    return rc;
  }
  pw_config_ref *cref = pw_port_config_get(port);
  const pw_port_config *cfg = cref->cfg;
  const pw_dest_ops *ops = pw_dest_for_kind(cfg->kind);
  if (!ops || !ops->probe) {
    snprintf(verdict, len, "%s ports cannot be tested yet",
             pw_dest_kind_name(cfg->kind));
    rc = PW_ENOTSUP;
  } else {
    pw_dest_start st = {
        .cfg = cfg,
        .port = port->name,
        .timeouts = {cfg->connect_timeout_ms ? cfg->connect_timeout_ms
                                             : PW_DEFAULT_CONNECT_TIMEOUT_MS,
                     cfg->timeout_ms, cfg->timeout_ms},
        .spool_dir = mon->spool_dir,
    };
    pw_time_local(&st.when);
    rc = ops->probe(&st, verdict, len);
  }
  pw_log_write(mon->log, rc == PW_OK ? PW_LOG_INFO : PW_LOG_WARN,
               "port=%s test: %s: %s", port->name,
               rc == PW_OK ? "ok" : pw_strerror(rc), verdict);
  pw_config_ref_release(cref);
  pw_port_release(port);
  return rc;
}
