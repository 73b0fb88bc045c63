/* portway — internal shapes shared by monitor.c, port_registry.c, job.c and
 * xcv.c. Nothing outside src/core includes this. */
#ifndef PORTWAY_MONITOR_INTERNAL_H
#define PORTWAY_MONITOR_INTERNAL_H

#include <stdint.h>

#include "core/log.h"
#include "core/ref.h"
#include "platform/platform.h"
#include "portway/core.h"

/* An immutable, shared configuration snapshot. Reconfiguring a port swaps
 * the port's snapshot; running jobs keep the one they started with. */
typedef struct pw_config_ref {
  pw_ref ref;
  pw_port_config *cfg;
} pw_config_ref;

typedef struct pw_port {
  pw_ref ref;
  char *name;
  pw_mutex lock;      /* guards cfg and deleted */
  pw_config_ref *cfg; /* holds one reference */
  int deleted;
} pw_port;

struct pw_monitor {
  /* One reference for the creator (dropped by pw_monitor_destroy) and one
   * per live handle object, so a call still running on a handle when the
   * spooler shuts the instance down never touches freed memory. */
  pw_ref ref;
  uint32_t magic;
  char *name;
  char *data_dir;
  char *ui_dll;
  pw_store store;
  int owns_store; /* create succeeded: release the store when freed */
  pw_hooks hooks;
  pw_log *log;
  /* The port list. Held only to find, insert or remove a port (and around
   * the store write that must happen atomically with it), never across job
   * I/O. */
  pw_mutex ports_lock;
  pw_port **ports;
  size_t nports, cap;
};

#define PW_MONITOR_MAGIC 0x70776d6eu /* "pwmn" */

/* ---- port_registry.c ---- */
/* Find a port by name (ASCII case-insensitive) and return a new reference;
 * falls back to the store for ports added by another process.
 * PW_ENOENT if unknown. */
int pw_registry_find(pw_monitor *mon, const char *name, pw_port **out);
/* Load every stored port (at create). */
void pw_registry_load(pw_monitor *mon);
/* Drop every port (at destroy, after all handles are closed). */
void pw_registry_clear(pw_monitor *mon);
void pw_port_release(pw_port *port);
/* The port's current configuration snapshot, with a new reference. */
pw_config_ref *pw_port_config_get(pw_port *port);
void pw_config_ref_release(pw_config_ref *cref);

/* ---- job.c ---- */
/* Close a port handle object whose handle was already invalidated
 * (ClosePort, or Shutdown via pw_handle_free_owner). */
void pw_job_handle_close(pw_ref *obj);

/* ---- xcv.c ---- */
void pw_xcv_handle_close(pw_ref *obj);

/* ---- monitor.c ---- */
void pw_monitor_acquire(pw_monitor *mon);
void pw_monitor_release(pw_monitor *mon);

/* ---- helpers (monitor.c) ---- */
char *pw_strdup(const char *s);
int pw_name_equal(const char *a, const char *b);

#endif
