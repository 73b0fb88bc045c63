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
#include "core/monitor_internal.h"

static atomic_int g_instances;

char *pw_strdup(const char *s) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

/* Windows port names compare case-insensitively; ASCII folding is what the
 * spooler's own registry lookups do for the names we accept. */
int pw_name_equal(const char *a, const char *b) {
  for (;; a++, b++) {
    unsigned char ca = (unsigned char)*a, cb = (unsigned char)*b;
    if (ca >= 'A' && ca <= 'Z')
      ca = (unsigned char)(ca - 'A' + 'a');
    if (cb >= 'A' && cb <= 'Z')
      cb = (unsigned char)(cb - 'A' + 'a');
    if (ca != cb)
      return 0;
    if (ca == 0)
      return 1;
  }
}

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

static char *join_path(const char *dir, const char *file) {
  size_t a = strlen(dir), b = strlen(file);
  char *p = malloc(a + b + 2);
  if (!p)
    return NULL;
  memcpy(p, dir, a);
  p[a] = pw_path_sep();
  memcpy(p + a + 1, file, b + 1);
  return p;
}

static void monitor_free(pw_ref *ref) {
  pw_monitor *mon = PW_CONTAINER_OF(ref, pw_monitor, ref);
  int counted = mon->log != NULL;
  if (mon->owns_store && mon->store.release)
    mon->store.release(mon->store.ctx);
  pw_log_close(mon->log);
  pw_mutex_destroy(&mon->ports_lock);
  free(mon->ports);
  free(mon->name);
  free(mon->data_dir);
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
  pw_mutex_init(&mon->ports_lock);
  char *log_path = join_path(opt->data_dir, "portway.log");
  if (!mon->name || !mon->data_dir || !mon->ui_dll || !log_path) {
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
  pw_registry_load(mon);
  pw_log_write(mon->log, PW_LOG_DEBUG, "monitor %s started (%zu ports)",
               mon->name, mon->nports);
  mon->owns_store = 1;
  *out = mon;
  return PW_OK;
}

static void close_owned_handle(pw_handle_kind kind, pw_ref *obj) {
  if (kind == PW_HANDLE_PORT)
    pw_job_handle_close(obj);
  else
    pw_xcv_handle_close(obj);
}

void pw_monitor_destroy(pw_monitor *mon) {
  if (!mon)
    return;
  /* Abort open jobs first: they hold port references. */
  pw_handle_free_owner(mon, close_owned_handle);
  pw_registry_clear(mon);
  if (mon->log)
    pw_log_write(mon->log, PW_LOG_DEBUG, "monitor %s shut down", mon->name);
  mon->magic = 0;
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
