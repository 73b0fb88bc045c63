/* portway — read-only views of the ports: EnumPorts' snapshot, PortExists,
 * GetConfig, and the edge-triggered status report. Changing ports is
 * port_registry.c. */
#include <stdlib.h>

#include "core/dest.h"
#include "core/monitor_internal.h"

void pw_port_report_status(pw_monitor *mon, pw_port *port,
                           const pw_port_status *status) {
  pw_mutex_lock(&port->lock);
  int changed =
      port->status != status->code || port->severity != status->severity;
  port->status = status->code;
  port->severity = status->severity;
  pw_mutex_unlock(&port->lock);
  if (!changed)
    return;
  pw_log_write(mon->log,
               status->severity == PW_PORT_SEVERITY_ERROR ? PW_LOG_ERROR
               : status->code == PW_PORT_STATUS_OK        ? PW_LOG_INFO
                                                          : PW_LOG_WARN,
               "port=%s status %d%s%s", port->name, (int)status->code,
               status->text ? ": " : "", status->text ? status->text : "");
  if (mon->hooks.port_status)
    mon->hooks.port_status(mon->hooks.ctx, mon, port->name, status);
}

int pw_monitor_port_exists(pw_monitor *mon, const char *name, int *exists) {
  pw_port *port = NULL;
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!name || !exists)
    return PW_EINVAL;
  rc = pw_registry_find(mon, name, &port);
  *exists = rc == PW_OK;
  pw_port_release(port);
  return rc == PW_OK || rc == PW_ENOENT ? PW_OK : rc;
}

int pw_monitor_get_port_config(pw_monitor *mon, const char *name, char **text) {
  pw_port *port = NULL;
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!name || !text)
    return PW_EINVAL;
  rc = pw_registry_find(mon, name, &port);
  if (rc != PW_OK)
    return rc;
  pw_config_ref *cref = pw_port_config_get(port);
  rc = pw_port_config_format(cref->cfg, text);
  pw_config_ref_release(cref);
  pw_port_release(port);
  return rc;
}

static int info_compare(const void *a, const void *b) {
  return pw_ascii_icmp(((const pw_port_info *)a)->name,
                       ((const pw_port_info *)b)->name);
}

int pw_monitor_list_ports(pw_monitor *mon, pw_port_list *out) {
  if (!out)
    return PW_EINVAL;
  out->count = 0;
  out->ports = NULL;
  int check = pw_monitor_check(mon);
  if (check != PW_OK)
    return check;
  pw_registry_sync(mon);
  pw_mutex_lock(&mon->ports_lock);
  size_t n = mon->nports;
  pw_port_info *info = n ? calloc(n, sizeof *info) : NULL;
  int rc = (n && !info) ? PW_ENOMEM : PW_OK;
  for (size_t i = 0; rc == PW_OK && i < n; i++) {
    pw_port *port = mon->ports[i];
    info[i].name = pw_strdup(port->name);
    pw_mutex_lock(&port->lock);
    pw_dest_kind kind = port->cfg->cfg->kind;
    pw_mutex_unlock(&port->lock);
    info[i].description = pw_dest_kind_name(kind);
    const pw_dest_ops *ops = pw_dest_for_kind(kind);
    unsigned f = ops ? ops->flags : 0u;
    info[i].flags = ((f & PW_DEST_HAS_BACKCHANNEL) ? PW_PORT_INFO_READ : 0u) |
                    ((f & PW_DEST_NETWORK) ? PW_PORT_INFO_NET : 0u);
    if (!info[i].name)
      rc = PW_ENOMEM;
  }
  pw_mutex_unlock(&mon->ports_lock);
  out->count = n;
  out->ports = info;
  if (rc != PW_OK) {
    pw_port_list_free(out);
    return rc;
  }
  if (n > 1)
    qsort(info, n, sizeof *info, info_compare);
  return PW_OK;
}

void pw_port_list_free(pw_port_list *list) {
  if (!list)
    return;
  for (size_t i = 0; i < list->count && list->ports; i++)
    free(list->ports[i].name);
  free(list->ports);
  list->ports = NULL;
  list->count = 0;
}
