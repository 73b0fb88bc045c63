/* portway — a monitor instance: one per InitializePrintMonitor2 call.
 *
 * All state hangs off the instance (cluster rule: no writable globals but the
 * process-wide handle table, which has its own locks). */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/handle_table.h"
#include "core/strutil.h"
#include "core/monitor_internal.h"

static atomic_int g_instances;

static pw_log_level initial_log_level(const pw_store *store) {
  pw_log_level level = PW_LOG_INFO;
  char *value = NULL;
  if (store->read_setting &&
      store->read_setting(store->ctx, "LogLevel", &value) == PW_OK && value) {
    pw_log_level parsed;
    if (pw_log_level_parse(value, &parsed) == PW_OK)
      level = parsed;
  }
  free(value);
  return level;
}

static void monitor_free(pw_ref *ref) {
  pw_monitor *mon = PW_CONTAINER_OF(ref, pw_monitor, ref);
  int counted = mon->log != NULL;
  if (mon->owns_store && mon->store.release)
    mon->store.release(mon->store.ctx);
  pw_log_close(mon->log);
  pw_cond_destroy(&mon->io_cond);
  pw_mutex_destroy(&mon->io_lock);
  pw_mutex_destroy(&mon->ports_lock);
  free(mon->ports);
  free(mon->name);
  free(mon->data_dir);
  free(mon->spool_dir);
  free(mon->ui_dll);
  free(mon);
  if (counted)
    atomic_fetch_sub(&g_instances, 1);
}

void pw_monitor_acquire(pw_monitor *mon) {
  pw_ref_acquire(&mon->ref);
}

void pw_monitor_release(pw_monitor *mon) {
  pw_ref_release(&mon->ref);
}

int pw_monitor_check(pw_monitor *mon) {
  if (!mon || mon->magic != PW_MONITOR_MAGIC)
    return PW_EINVAL;
  return atomic_load(&mon->closing) ? PW_ECANCELED : PW_OK;
}

void pw_monitor_io_enter(pw_monitor *mon) {
  pw_mutex_lock(&mon->io_lock);
  mon->io_inflight++;
  pw_mutex_unlock(&mon->io_lock);
}

void pw_monitor_io_leave(pw_monitor *mon) {
  pw_mutex_lock(&mon->io_lock);
  if (--mon->io_inflight == 0)
    pw_cond_broadcast(&mon->io_cond);
  pw_mutex_unlock(&mon->io_lock);
}

/* Wait (bounded) until no handle of this instance is in destination I/O;
 * returns how many threads still are. */
static unsigned wait_io_drained(pw_monitor *mon, uint32_t ms) {
  uint64_t deadline = pw_time_monotonic_ns() + (uint64_t)ms * 1000000u;
  pw_mutex_lock(&mon->io_lock);
  while (mon->io_inflight > 0) {
    uint64_t now = pw_time_monotonic_ns();
    if (now >= deadline)
      break;
    pw_cond_wait_ms(&mon->io_cond, &mon->io_lock,
                    (uint32_t)((deadline - now + 999999u) / 1000000u));
  }
  unsigned left = mon->io_inflight;
  pw_mutex_unlock(&mon->io_lock);
  return left;
}

int pw_monitor_create(const pw_monitor_options *opt, pw_monitor **out) {
  if (!opt || !out || !opt->name || !opt->data_dir || !opt->store ||
      !opt->store->list_ports || !opt->store->read_port ||
      !opt->store->write_port || !opt->store->delete_port)
    return PW_EINVAL;
  *out = NULL;
  pw_monitor *mon = calloc(1, sizeof *mon);
  if (!mon)
    return PW_ENOMEM;
  pw_ref_init(&mon->ref, monitor_free);
  mon->magic = PW_MONITOR_MAGIC;
  mon->name = pw_strdup(opt->name);
  mon->data_dir = pw_strdup(opt->data_dir);
  mon->ui_dll = pw_strdup(opt->ui_dll ? opt->ui_dll : "");
  mon->store = *opt->store;
  if (opt->hooks)
    mon->hooks = *opt->hooks;
  mon->close_wait_ms =
      opt->close_wait_ms ? opt->close_wait_ms : PW_DEFAULT_CLOSE_WAIT_MS;
  atomic_init(&mon->closing, 0);
  pw_mutex_init(&mon->ports_lock);
  pw_mutex_init(&mon->io_lock);
  pw_cond_init(&mon->io_cond);
  char *log_path = pw_path_join(opt->data_dir, "portway.log", pw_path_sep());
  mon->spool_dir = pw_path_join(opt->data_dir, "spool", pw_path_sep());
  if (!mon->name || !mon->data_dir || !mon->ui_dll || !log_path ||
      !mon->spool_dir) {
    free(log_path);
    pw_monitor_destroy(mon);
    return PW_ENOMEM;
  }
  /* A missing data folder is created; failing that, the log discards lines
   * and the monitor still works (pw_log_open's contract). */
  (void)pw_dir_create_all(opt->data_dir);
  (void)pw_log_open(log_path, initial_log_level(&mon->store), &mon->log);
  free(log_path);
  if (!mon->log) {
    pw_monitor_destroy(mon);
    return PW_ENOMEM;
  }
  atomic_fetch_add(&g_instances, 1);
  pw_registry_sync(mon);
  pw_log_write(mon->log, PW_LOG_DEBUG, "monitor %s started (%zu ports)",
               mon->name, mon->nports);
  mon->owns_store = 1;
  *out = mon;
  return PW_OK;
}

void pw_monitor_destroy(pw_monitor *mon) {
  if (!mon)
    return;
  /* 1. Closing: from here no call changes the port list or the store
   *    (an Xcv AddPort racing Shutdown gets PW_ECANCELED). */
  pw_mutex_lock(&mon->ports_lock);
  atomic_store(&mon->closing, 1);
  pw_mutex_unlock(&mon->ports_lock);
  /* 2. Invalidate every handle; port handles cancel their I/O and abort
   *    idle jobs (each handle brings its own close function). */
  pw_handle_free_owner(mon);
  /* 3. One bounded wait for all cancelled I/O; what is still running then
   *    aborts its own job when it returns and keeps the instance alive
   *    through its reference. */
  unsigned left = wait_io_drained(mon, mon->close_wait_ms);
  if (left && mon->log)
    pw_log_write(mon->log, PW_LOG_WARN,
                 "monitor %s shut down with %u destination call(s) still "
                 "running; their jobs are aborted when they return",
                 mon->name, left);
  pw_registry_clear(mon);
  if (mon->log)
    pw_log_write(mon->log, PW_LOG_DEBUG, "monitor %s shut down", mon->name);
  pw_monitor_release(mon); /* freed now, or when a running call returns */
}

/* Nothing to do while an instance lives (or a call on one of its handles is
 * still running: instances are counted until their memory is freed). */
void pw_core_cleanup(void) {
  if (atomic_load(&g_instances) == 0)
    (void)pw_handle_table_cleanup();
}

pw_log_level pw_monitor_log_level(const pw_monitor *mon) {
  return mon ? pw_log_get_level(mon->log) : PW_LOG_OFF;
}

int pw_monitor_set_log_level(pw_monitor *mon, pw_log_level level) {
  if (!mon || level < PW_LOG_OFF || level > PW_LOG_DEBUG)
    return PW_EINVAL;
  if (!mon->store.write_setting)
    return PW_ENOTSUP;
  int rc = mon->store.write_setting(mon->store.ctx, "LogLevel",
                                    pw_log_level_name(level));
  if (rc == PW_OK)
    pw_log_set_level(mon->log, level);
  return rc;
}

void pw_monitor_log(pw_monitor *mon, pw_log_level level, const char *fmt, ...) {
  if (!mon || !fmt)
    return;
  va_list ap;
  va_start(ap, fmt);
  pw_log_vwrite(mon->log, level, fmt, ap);
  va_end(ap);
}

const char *pw_monitor_log_path(const pw_monitor *mon) {
  return mon ? pw_log_path(mon->log) : NULL;
}
