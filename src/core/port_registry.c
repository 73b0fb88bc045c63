/* portway — the port registry: add / configure / delete / find ports.
 *
 * Ports are reference counted. The list holds one reference; each open
 * handle holds one. Deleting a port removes it from the list and the store
 * and drops the list's reference; a job still running on it keeps its port
 * and configuration alive until ClosePort. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errbuf.h"
#include "core/dest.h"
#include "core/monitor_internal.h"

/* ---- configuration snapshots ---- */

static void config_ref_destroy(pw_ref *ref) {
  pw_config_ref *cref = PW_CONTAINER_OF(ref, pw_config_ref, ref);
  pw_port_config_free(cref->cfg);
  free(cref);
}

static pw_config_ref *config_ref_new(pw_port_config *cfg) {
  pw_config_ref *cref = malloc(sizeof *cref);
  if (!cref)
    return NULL;
  pw_ref_init(&cref->ref, config_ref_destroy);
  cref->cfg = cfg;
  return cref;
}

void pw_config_ref_release(pw_config_ref *cref) {
  if (cref)
    pw_ref_release(&cref->ref);
}

pw_config_ref *pw_port_config_get(pw_port *port) {
  pw_mutex_lock(&port->lock);
  pw_config_ref *cref = port->cfg;
  pw_ref_acquire(&cref->ref);
  pw_mutex_unlock(&port->lock);
  return cref;
}

/* ---- port objects ---- */

static void port_destroy(pw_ref *ref) {
  pw_port *port = PW_CONTAINER_OF(ref, pw_port, ref);
  pw_config_ref_release(port->cfg);
  free(port->stored_text);
  pw_mutex_destroy(&port->lock);
  free(port->name);
  free(port);
}

void pw_port_release(pw_port *port) {
  if (port)
    pw_ref_release(&port->ref);
}

/* Takes ownership of cfg (freed on failure). `text` is the store's text
 * the configuration came from (copied; NULL if unknown). */
static pw_port *port_new(const char *name, pw_port_config *cfg,
                         const char *text) {
  pw_port *port = calloc(1, sizeof *port);
  pw_config_ref *cref = port ? config_ref_new(cfg) : NULL;
  char *copy = cref ? pw_strdup(name) : NULL;
  char *text_copy = copy && text ? pw_strdup(text) : NULL;
  if (!copy || (text && !text_copy)) {
    free(copy);
    if (cref)
      pw_config_ref_release(cref);
    else
      pw_port_config_free(cfg);
    free(port);
    return NULL;
  }
  pw_ref_init(&port->ref, port_destroy);
  pw_mutex_init(&port->lock);
  port->name = copy;
  port->cfg = cref;
  port->stored_text = text_copy;
  return port;
}

/* Leave the list for good (ports_lock held): later jobs are refused. */
static void mark_deleted(pw_port *port) {
  pw_mutex_lock(&port->lock);
  port->deleted = 1;
  pw_mutex_unlock(&port->lock);
}

/* ---- the list (ports_lock held by callers) ---- */

static size_t list_index(const pw_monitor *mon, const char *name) {
  for (size_t i = 0; i < mon->nports; i++)
    if (pw_name_equal(mon->ports[i]->name, name))
      return i;
  return SIZE_MAX;
}

static int list_insert(pw_monitor *mon, pw_port *port) {
  if (mon->nports == mon->cap) {
    size_t cap = mon->cap ? mon->cap * 2 : 16;
    pw_port **p = realloc(mon->ports, cap * sizeof(pw_port *));
    if (!p)
      return PW_ENOMEM;
    mon->ports = p;
    mon->cap = cap;
  }
  mon->ports[mon->nports++] = port;
  return PW_OK;
}

static pw_port *list_remove(pw_monitor *mon, size_t i) {
  pw_port *port = mon->ports[i];
  mon->ports[i] = mon->ports[--mon->nports];
  return port;
}

/* Index of this very object (not just its name) in the list. */
static size_t list_index_of(const pw_monitor *mon, const pw_port *port) {
  for (size_t i = 0; i < mon->nports; i++)
    if (mon->ports[i] == port)
      return i;
  return SIZE_MAX;
}

/* Parse config text and check the destination type is implemented. */
static int config_from_text(const pw_monitor *mon, const char *text,
                            pw_port_config **out, char *errbuf, size_t errlen) {
  int rc = (!text || !*text) ? pw_port_config_default(mon->data_dir, out)
                             : pw_port_config_parse(text, out, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  if (!pw_dest_for_kind((*out)->kind)) {
    if (errbuf && errlen)
      snprintf(errbuf, errlen, "%s ports are not supported yet",
               pw_dest_kind_name((*out)->kind));
    pw_port_config_free(*out);
    *out = NULL;
    return PW_ENOTSUP;
  }
  return PW_OK;
}

/* Read, validate and wrap a stored port. Stored data is hostile input. */
static int load_from_store(pw_monitor *mon, const char *name, pw_port **out) {
  char *text = NULL;
  char why[160] = "";
  pw_port_config *cfg = NULL;
  if (pw_port_name_validate(name) != PW_OK)
    return PW_ENOENT;
  int rc = mon->store.read_port(mon->store.ctx, name, &text);
  if (rc == PW_OK)
    rc = config_from_text(mon, text, &cfg, why, sizeof why);
  char *text_kept = text;
  if (rc == PW_ENOENT) {
    free(text);
    return rc;
  }
  if (rc != PW_OK) {
    free(text);
    pw_log_write(mon->log, PW_LOG_ERROR,
                 "port=%s stored configuration ignored: %s%s%s", name,
                 pw_strerror(rc), *why ? ": " : "", why);
    return rc;
  }
  *out = port_new(name, cfg, text_kept);
  free(text_kept);
  return *out ? PW_OK : PW_ENOMEM;
}

static int load_one(void *arg, const char *name) {
  pw_monitor *mon = arg;
  pw_port *port = NULL;
  if (list_index(mon, name) != SIZE_MAX)
    return 0;
  if (load_from_store(mon, name, &port) == PW_OK &&
      list_insert(mon, port) != PW_OK)
    pw_port_release(port);
  return 0;
}

typedef struct name_set {
  char **v;
  size_t n, cap;
  int failed;
} name_set;

static int collect_name(void *arg, const char *name) {
  name_set *set = arg;
  if (set->n == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 16;
    char **v = realloc(set->v, cap * sizeof *v);
    if (!v) {
      set->failed = 1;
      return 1;
    }
    set->v = v;
    set->cap = cap;
  }
  if (!(set->v[set->n] = pw_strdup(name))) {
    set->failed = 1;
    return 1;
  }
  set->n++;
  return 0;
}

static int in_set(const name_set *set, const char *name) {
  for (size_t i = 0; i < set->n; i++)
    if (pw_name_equal(set->v[i], name))
      return 1;
  return 0;
}

void pw_registry_sync(pw_monitor *mon) {
  name_set names = {0};
  /* Listed without ports_lock: the store's list_ports calls back into
   * nothing of ours here, but it may take the store's own lock. */
  int rc = mon->store.list_ports(mon->store.ctx, collect_name, &names);
  if (rc == PW_OK && names.failed)
    rc = PW_ENOMEM;
  if (rc != PW_OK) {
    pw_log_write(mon->log, PW_LOG_ERROR, "cannot list stored ports: %s",
                 pw_strerror(rc));
  } else {
    pw_mutex_lock(&mon->ports_lock);
    if (!atomic_load(&mon->closing)) {
      /* Deleted by another process: retire. */
      for (size_t i = 0; i < mon->nports;) {
        if (in_set(&names, mon->ports[i]->name)) {
          i++;
          continue;
        }
        pw_port *port = list_remove(mon, i);
        mark_deleted(port);
        pw_port_release(port);
      }
      /* Added by another process: adopt. */
      for (size_t i = 0; i < names.n; i++)
        (void)load_one(mon, names.v[i]);
    }
    pw_mutex_unlock(&mon->ports_lock);
  }
  for (size_t i = 0; i < names.n; i++)
    free(names.v[i]);
  free(names.v);
}

void pw_registry_clear(pw_monitor *mon) {
  pw_mutex_lock(&mon->ports_lock);
  while (mon->nports)
    pw_port_release(list_remove(mon, mon->nports - 1));
  pw_mutex_unlock(&mon->ports_lock);
}

/* Re-read one port from the store (ports_lock held, so a SetConfig or
 * DeletePort of this process cannot interleave with the swap). The text is
 * compared first: an unchanged port costs one store read, no parse. */
static int refresh_locked(pw_monitor *mon, pw_port *port) {
  char *text = NULL;
  char why[160] = "";
  uint64_t stamp = 0;
  if (mon->store.read_stamp &&
      mon->store.read_stamp(mon->store.ctx, &stamp) != PW_OK)
    stamp = 0;
  pw_mutex_lock(&port->lock);
  int deleted = port->deleted;
  int unchanged = stamp != 0 && port->stamp_seen == stamp;
  pw_mutex_unlock(&port->lock);
  if (deleted)
    return PW_EPORTGONE;
  if (unchanged)
    return PW_OK; /* nothing in the store changed since we last looked */
  int rc = mon->store.read_port(mon->store.ctx, port->name, &text);
  if (rc == PW_ENOENT) {
    size_t i = list_index_of(mon, port);
    if (i != SIZE_MAX)
      pw_port_release(list_remove(mon, i));
    mark_deleted(port);
    pw_log_write(mon->log, PW_LOG_INFO,
                 "port=%s was deleted by another process", port->name);
    return PW_EPORTGONE;
  }
  if (rc != PW_OK)
    return rc;
  pw_mutex_lock(&port->lock);
  int same = port->stored_text && strcmp(port->stored_text, text) == 0;
  if (same)
    port->stamp_seen = stamp; /* read before the entry: a later change
                                 gives another stamp */
  pw_mutex_unlock(&port->lock);
  if (same) {
    free(text);
    return PW_OK;
  }
  pw_port_config *cfg = NULL;
  rc = config_from_text(mon, text, &cfg, why, sizeof why);
  pw_config_ref *cref = rc == PW_OK ? config_ref_new(cfg) : NULL;
  if (rc == PW_OK && !cref) {
    pw_port_config_free(cfg);
    rc = PW_ENOMEM;
  }
  if (rc != PW_OK) {
    pw_log_write(mon->log, PW_LOG_ERROR,
                 "port=%s changed stored configuration ignored: %s%s%s",
                 port->name, pw_strerror(rc), *why ? ": " : "", why);
    free(text);
    return rc;
  }
  pw_mutex_lock(&port->lock);
  pw_config_ref *old = port->cfg;
  port->cfg = cref;
  free(port->stored_text);
  port->stored_text = text;
  port->stamp_seen = stamp;
  pw_mutex_unlock(&port->lock);
  pw_config_ref_release(old);
  pw_log_write(mon->log, PW_LOG_INFO,
               "port=%s configuration changed by another process", port->name);
  return PW_OK;
}

int pw_registry_refresh(pw_monitor *mon, pw_port *port) {
  pw_mutex_lock(&mon->ports_lock);
  int rc =
      atomic_load(&mon->closing) ? PW_ECANCELED : refresh_locked(mon, port);
  pw_mutex_unlock(&mon->ports_lock);
  return rc;
}

int pw_registry_find(pw_monitor *mon, const char *name, pw_port **out) {
  pw_mutex_lock(&mon->ports_lock);
  if (atomic_load(&mon->closing)) {
    pw_mutex_unlock(&mon->ports_lock);
    return PW_ECANCELED;
  }
  size_t i = list_index(mon, name);
  int rc = PW_OK;
  if (i != SIZE_MAX) {
    /* Known here: reconfigured or deleted by another process since? */
    rc = refresh_locked(mon, mon->ports[i]);
    if (rc == PW_EPORTGONE) {
      pw_mutex_unlock(&mon->ports_lock);
      return PW_ENOENT;
    }
    rc = PW_OK; /* an unreadable store keeps what we have */
    i = list_index(mon, name);
  }
  if (i == SIZE_MAX) {
    /* Added by another process (pwctl under Wine, a second spooler
     * instance): adopt it from the store. */
    pw_port *port = NULL;
    rc = load_from_store(mon, name, &port);
    if (rc == PW_OK && (rc = list_insert(mon, port)) != PW_OK)
      pw_port_release(port);
    if (rc != PW_OK) {
      pw_mutex_unlock(&mon->ports_lock);
      return rc == PW_ENOMEM ? rc : PW_ENOENT;
    }
    i = mon->nports - 1;
  }
  pw_ref_acquire(&mon->ports[i]->ref);
  *out = mon->ports[i];
  pw_mutex_unlock(&mon->ports_lock);
  return rc;
}

/* ---- public API ---- */

/* Stored text -> one readable log field ("uri=...; pattern=..."). */
#define CONFIG_FIELD(buf, text) pw_log_config_text((buf), sizeof(buf), (text))

int pw_monitor_add_port(pw_monitor *mon, const char *name,
                        const char *config_text, char *errbuf, size_t errlen) {
  pw_port_config *cfg = NULL;
  char *canonical = NULL;
  char field[512];
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!name)
    return PW_EINVAL;
  if (pw_port_name_validate(name) != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "%s", "invalid port name");
    return PW_EBADNAME;
  }
  rc = config_from_text(mon, config_text, &cfg, errbuf, errlen);
  if (rc == PW_OK)
    rc = pw_port_config_format(cfg, &canonical);
  if (rc != PW_OK) {
    pw_port_config_free(cfg);
    return rc;
  }

  pw_mutex_lock(&mon->ports_lock);
  char *stored = NULL;
  /* Known here, or added by another process meanwhile. */
  if (atomic_load(&mon->closing)) {
    rc = PW_ECANCELED; /* Shutdown began: no store write after it */
  } else if (list_index(mon, name) != SIZE_MAX ||
             mon->store.read_port(mon->store.ctx, name, &stored) == PW_OK) {
    rc = PW_EEXIST;
  } else {
    rc = mon->store.write_port(mon->store.ctx, name, canonical);
    if (rc == PW_OK) {
      pw_port *port = port_new(name, cfg, canonical);
      cfg = NULL;
      rc = port ? list_insert(mon, port) : PW_ENOMEM;
      if (rc != PW_OK) {
        pw_port_release(port);
        (void)mon->store.delete_port(mon->store.ctx, name);
      }
    }
  }
  pw_mutex_unlock(&mon->ports_lock);
  free(stored);
  pw_port_config_free(cfg);
  if (rc == PW_EEXIST)
    pw_errbuf_printf(errbuf, errlen, "%s", "port already exists");
  pw_log_write(mon->log, rc == PW_OK ? PW_LOG_INFO : PW_LOG_ERROR,
               "port=%s add %s%s", name, rc == PW_OK ? "ok: " : "failed: ",
               rc == PW_OK ? CONFIG_FIELD(field, canonical) : pw_strerror(rc));
  free(canonical);
  return rc;
}

int pw_monitor_set_port(pw_monitor *mon, const char *name,
                        const char *config_text, char *errbuf, size_t errlen) {
  pw_port_config *cfg = NULL;
  char *canonical = NULL;
  pw_port *port = NULL;
  char field[512];
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!name || !config_text)
    return PW_EINVAL;
  rc = config_from_text(mon, config_text, &cfg, errbuf, errlen);
  if (rc == PW_OK)
    rc = pw_port_config_format(cfg, &canonical);
  if (rc == PW_OK)
    rc = pw_registry_find(mon, name, &port);
  pw_config_ref *cref = NULL;
  char *text = NULL;
  if (rc == PW_OK) {
    cref = config_ref_new(cfg);
    text = pw_strdup(canonical);
    if (cref)
      cfg = NULL;
    if (!cref || !text)
      rc = PW_ENOMEM;
  }
  if (rc == PW_OK) {
    /* Store and swap under the list lock, and only if the port we found
     * is still the one listed under that name: a DeletePort + AddPort of
     * the same name in between must not get this configuration swapped
     * into the dead object while the store holds it for the new one. */
    pw_mutex_lock(&mon->ports_lock);
    if (atomic_load(&mon->closing))
      rc = PW_ECANCELED;
    else if (list_index_of(mon, port) == SIZE_MAX)
      rc = PW_ENOENT;
    else
      rc = mon->store.write_port(mon->store.ctx, port->name, canonical);
    if (rc == PW_OK) {
      pw_mutex_lock(&port->lock);
      pw_config_ref *old = port->cfg;
      port->cfg = cref;
      cref = NULL;
      free(port->stored_text);
      port->stored_text = text;
      text = NULL;
      pw_mutex_unlock(&port->lock);
      pw_config_ref_release(old);
    }
    pw_mutex_unlock(&mon->ports_lock);
  }
  if (rc == PW_ENOENT)
    pw_errbuf_printf(errbuf, errlen, "%s", "no such port");
  pw_log_write(mon->log, rc == PW_OK ? PW_LOG_INFO : PW_LOG_ERROR,
               "port=%s configure %s%s", name,
               rc == PW_OK ? "ok: " : "failed: ",
               rc == PW_OK ? CONFIG_FIELD(field, canonical) : pw_strerror(rc));
  free(text);
  pw_config_ref_release(cref);
  pw_port_config_free(cfg);
  pw_port_release(port);
  free(canonical);
  return rc;
}

int pw_monitor_delete_port(pw_monitor *mon, const char *name) {
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!name)
    return PW_EINVAL;
  pw_mutex_lock(&mon->ports_lock);
  size_t i = list_index(mon, name);
  pw_port *port = NULL;
  if (atomic_load(&mon->closing)) {
    rc = PW_ECANCELED;
  } else if (i != SIZE_MAX) {
    rc = mon->store.delete_port(mon->store.ctx, mon->ports[i]->name);
    if (rc == PW_ENOENT)
      rc = PW_OK; /* already gone from the store: finish the job */
    if (rc == PW_OK) {
      port = list_remove(mon, i);
      /* Retired: a handle opened before now may finish its open job but
       * starts no new one (StartDocPort: PW_EPORTGONE). */
      mark_deleted(port);
    }
  } else {
    /* Possibly stored by another process and never loaded here. */
    rc = pw_port_name_validate(name) == PW_OK
             ? mon->store.delete_port(mon->store.ctx, name)
             : PW_ENOENT;
  }
  pw_mutex_unlock(&mon->ports_lock);
  pw_port_release(port);
  pw_log_write(mon->log, rc == PW_OK ? PW_LOG_INFO : PW_LOG_WARN,
               "port=%s delete %s", name, rc == PW_OK ? "ok" : pw_strerror(rc));
  return rc;
}
