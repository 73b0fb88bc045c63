/* portway — testing a port without printing (pwctl test-port, Xcv
 * "TestPort"): the destination's `probe` with the port's time-outs. */
#include <stdio.h>
#include <string.h>

#include "core/dest.h"
#include "core/errbuf.h"
#include "core/monitor_internal.h"

/* The destination's probe for cfg, logged under `name`. */
static int probe(pw_monitor *mon, const char *name, const pw_port_config *cfg,
                 char *verdict, size_t len) {
  const pw_dest_ops *ops = pw_dest_for_kind(cfg->kind);
  int rc;
  if (!ops || !ops->probe) {
    snprintf(verdict, len, "%s ports cannot be tested yet",
             pw_dest_kind_name(cfg->kind));
    rc = PW_ENOTSUP;
  } else {
    pw_dest_start st = {
        .cfg = cfg,
        .port = name,
        .timeouts = {cfg->connect_timeout_ms ? cfg->connect_timeout_ms
                                             : PW_DEFAULT_CONNECT_TIMEOUT_MS,
                     cfg->timeout_ms, cfg->timeout_ms},
        .spool_dir = mon->spool_dir,
    };
    pw_time_local(&st.when);
    rc = ops->probe(&st, verdict, len);
  }
  pw_log_write(mon->log, rc == PW_OK ? PW_LOG_INFO : PW_LOG_WARN,
               "port=%s test: %s: %s", name,
               rc == PW_OK ? "ok" : pw_strerror(rc), verdict);
  return rc;
}

static int start(pw_monitor *mon, const char *name, char **verdict, size_t *len,
                 char *dummy, size_t dlen) {
  if (!*verdict || *len == 0) {
    *verdict = dummy;
    *len = dlen;
  }
  (*verdict)[0] = '\0';
  int rc = pw_monitor_check(mon);
  return rc == PW_OK && !name ? PW_EINVAL : rc;
}

int pw_monitor_test_port(pw_monitor *mon, const char *name, char *verdict,
                         size_t len) {
  char dummy[8];
  int rc = start(mon, name, &verdict, &len, dummy, sizeof dummy);
  if (rc != PW_OK)
    return rc;
  pw_port *port = NULL;
  rc = pw_registry_find(mon, name, &port);
  if (rc != PW_OK) {
    snprintf(verdict, len, "%s",
             rc == PW_ENOENT ? "no such port" : pw_strerror(rc));
    return rc;
  }
  pw_config_ref *cref = pw_port_config_get(port);
  rc = probe(mon, port->name, cref->cfg, verdict, len);
  pw_config_ref_release(cref);
  pw_port_release(port);
  return rc;
}

int pw_monitor_test_config(pw_monitor *mon, const char *name,
                           const char *config_text, char *verdict, size_t len) {
  char dummy[8];
  int rc = start(mon, name, &verdict, &len, dummy, sizeof dummy);
  if (rc != PW_OK)
    return rc;
  pw_port_config *cfg = NULL;
  char why[256] = "";
  rc = pw_port_config_parse(config_text, &cfg, why, sizeof why);
  if (rc != PW_OK) {
    snprintf(verdict, len, "%s", why[0] ? why : pw_strerror(rc));
    return rc;
  }
  rc = probe(mon, name, cfg, verdict, len);
  pw_port_config_free(cfg);
  return rc;
}
