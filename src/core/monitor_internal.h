/* portway — internal shapes shared by monitor.c, port_registry.c, job.c and
 * xcv.c. Nothing outside src/core includes this. */
#ifndef PORTWAY_MONITOR_INTERNAL_H
#define PORTWAY_MONITOR_INTERNAL_H

#include <stdatomic.h>
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
  pw_mutex lock;      /* guards everything below */
  pw_config_ref *cfg; /* holds one reference */
  /* The store's text this configuration was made from: a re-read that
   * finds the same text keeps the snapshot without parsing it again. */
  char *stored_text;
  /* The store's change stamp when stored_text was last known current
   * (0: never; the next refresh reads the entry). */
  uint64_t stamp_seen;
  /* Set when the port leaves the list (DeletePort here or in another
   * process): a job already started finishes, a new one is refused. */
  int deleted;
  /* Last status reported through the port_status hook (edge trigger). */
  pw_port_status_code status;
  pw_port_severity severity;
} pw_port;

struct pw_monitor {
  /* One reference for the creator (dropped by pw_monitor_destroy) and one
   * per live handle object, so a call still running on a handle when the
   * spooler shuts the instance down never touches freed memory. */
  pw_ref ref;
  uint32_t magic; /* written only before the instance is published */
  uint32_t close_wait_ms;
  char *name;
  char *data_dir;
  char *spool_dir; /* data_dir + "/spool": destinations' temporary files */
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
  /* Set (under ports_lock) by pw_monitor_destroy before it empties the
   * list: an Xcv or port call still running then changes neither the list
   * nor the store (PW_ECANCELED). Atomic so checks need no lock. */
  atomic_int closing;
  /* Threads inside destination I/O on any handle of this instance, so
   * Shutdown can wait once, with one bound, for all of them. */
  pw_mutex io_lock;
  pw_cond io_cond;
  unsigned io_inflight; /* guarded by io_lock */
};

#define PW_MONITOR_MAGIC 0x70776d6eu /* "pwmn" */

/* ---- port_registry.c ---- */
/* Find a port by name (ASCII case-insensitive) and return a new reference,
 * with its configuration made current from the store (ports added,
 * reconfigured or deleted by another process are seen). PW_ENOENT if
 * unknown, PW_ECANCELED while the monitor shuts down. */
int pw_registry_find(pw_monitor *mon, const char *name, pw_port **out);
/* Make a port object's configuration current from the store (StartDocPort):
 * PW_EPORTGONE if it was deleted (here or in another process). */
int pw_registry_refresh(pw_monitor *mon, pw_port *port);
/* Edge-triggered status change: calls the port_status hook if the status
 * differs from the last one reported (no lock may be held). */
void pw_port_report_status(pw_monitor *mon, pw_port *port,
                           const pw_port_status *status);
/* Make the port list match the store: adopt ports added and retire ports
 * deleted by another process (at create and for EnumPorts). */
void pw_registry_sync(pw_monitor *mon);
/* Drop every port (at destroy, after all handles are closed). */
void pw_registry_clear(pw_monitor *mon);
void pw_port_release(pw_port *port);
/* The port's current configuration snapshot, with a new reference. */
pw_config_ref *pw_port_config_get(pw_port *port);
void pw_config_ref_release(pw_config_ref *cref);

/* ---- monitor.c ---- */
void pw_monitor_acquire(pw_monitor *mon);
void pw_monitor_release(pw_monitor *mon);
/* PW_OK for a live instance, PW_EINVAL for NULL / garbage, PW_ECANCELED
 * once Shutdown began. */
int pw_monitor_check(pw_monitor *mon);
/* Count a thread entering / leaving destination I/O (job.c). */
void pw_monitor_io_enter(pw_monitor *mon);
void pw_monitor_io_leave(pw_monitor *mon);

/* ---- helpers ---- */
#include "core/ascii.h"
#include "core/strutil.h"
/* Windows port names compare case-insensitively; ASCII folding is what the
 * spooler's own registry lookups do for the names we accept. */
static inline int pw_name_equal(const char *a, const char *b) {
  return pw_ascii_ieq(a, b);
}

#endif
