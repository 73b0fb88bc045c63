/* portway — the language monitor instance and its port options
 * (portway/langmon.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/errbuf.h"
#include "core/handle_table.h"
#include "core/lm/lm_internal.h"
#include "core/strutil.h"

#define LM_DEFAULT_CLOSE_WAIT_MS 2000u

static void lm_destroy_ref(pw_ref *ref) {
  pw_lm *lm = PW_CONTAINER_OF(ref, pw_lm, ref);
  pw_log_close(lm->log);
  free(lm->name);
  free(lm);
}

int pw_lm_create(const pw_lm_options *opt, pw_lm **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!opt || !opt->name || !opt->data_dir)
    return PW_EINVAL;
  pw_lm *lm = calloc(1, sizeof *lm);
  if (!lm)
    return PW_ENOMEM;
  pw_ref_init(&lm->ref, lm_destroy_ref);
  lm->name = pw_strdup(opt->name);
  if (opt->hooks)
    lm->hooks = *opt->hooks;
  lm->close_wait_ms =
      opt->close_wait_ms ? opt->close_wait_ms : LM_DEFAULT_CLOSE_WAIT_MS;
  char *log_path = pw_path_join(opt->data_dir, "portwaylm.log", pw_path_sep());
  if (!lm->name || !log_path) {
    free(log_path);
    pw_ref_release(&lm->ref);
    return PW_ENOMEM;
  }
  /* A log that cannot be opened discards lines; the monitor still works. */
  (void)pw_dir_create_all(opt->data_dir);
  (void)pw_log_open(log_path, PW_LOG_INFO, &lm->log);
  free(log_path);
  pw_log_write(lm->log, PW_LOG_DEBUG, "%s: initialized", lm->name);
  *out = lm;
  return PW_OK;
}

void pw_lm_destroy(pw_lm *lm) {
  if (!lm)
    return;
  /* Each open port is closed as by ClosePort (its close function). */
  pw_handle_free_owner(lm);
  pw_log_write(lm->log, PW_LOG_DEBUG, "%s: shut down", lm->name);
  pw_ref_release(&lm->ref); /* freed once the last port is gone */
}

void pw_lm_log(pw_lm *lm, pw_log_level level, const char *fmt, ...) {
  if (!lm)
    return;
  va_list ap;
  va_start(ap, fmt);
  pw_log_vwrite(lm->log, level, fmt, ap);
  va_end(ap);
}

/* ---- port options ---- */

static void defaults(pw_lm_port_options *o) {
  memset(o, 0, sizeof *o);
  o->framing = 1;
  o->status = 1;
  o->eoj_wait_ms = PW_LM_DEFAULT_EOJ_WAIT_MS;
  o->poll_ms = PW_LM_DEFAULT_POLL_MS;
}

static int set_number(const char *key, const char *v, unsigned long lo,
                      unsigned long hi, unsigned long *out, char *errbuf,
                      size_t errlen) {
  if (!pw_parse_ulong(v, hi, out) || *out < lo) {
    pw_errbuf_printf(errbuf, errlen, "%s must be %lu to %lu", key, lo, hi);
    return PW_EBADCONFIG;
  }
  return PW_OK;
}

static int set_option(pw_lm_port_options *o, const char *key, const char *v,
                      char *errbuf, size_t errlen) {
  unsigned long n = 0;
  int rc;
  if (strcmp(key, "framing") == 0)
    return pw_config_parse_bool(key, v, &o->framing, errbuf, errlen);
  if (strcmp(key, "wrap_uel") == 0)
    return pw_config_parse_bool(key, v, &o->wrap_uel, errbuf, errlen);
  if (strcmp(key, "status") == 0)
    return pw_config_parse_bool(key, v, &o->status, errbuf, errlen);
  if (strcmp(key, "page_status") == 0)
    return pw_config_parse_bool(key, v, &o->page_status, errbuf, errlen);
  if (strcmp(key, "timed") == 0) {
    rc = set_number(key, v, 0, PW_PJL_TIMED_MAX, &n, errbuf, errlen);
    if (rc == PW_OK && n != 0 && n < PW_PJL_TIMED_MIN) {
      pw_errbuf_printf(errbuf, errlen, "timed must be 0 or %u to %u",
                       PW_PJL_TIMED_MIN, PW_PJL_TIMED_MAX);
      rc = PW_EBADCONFIG;
    }
    if (rc == PW_OK)
      o->timed = (unsigned)n;
    return rc;
  }
  if (strcmp(key, "eoj_wait") == 0) {
    rc = set_number(key, v, 0, 3600, &n, errbuf, errlen);
    if (rc == PW_OK)
      o->eoj_wait_ms = (uint32_t)n * 1000u;
    return rc;
  }
  if (strcmp(key, "poll_ms") == 0) {
    rc = set_number(key, v, 50, 5000, &n, errbuf, errlen);
    if (rc == PW_OK)
      o->poll_ms = (uint32_t)n;
    return rc;
  }
  pw_errbuf_printf(errbuf, errlen, "unknown option '%.32s'", key);
  return PW_EBADCONFIG;
}

int pw_lm_port_options_parse(const char *text, pw_lm_port_options *out,
                             char *errbuf, size_t errlen) {
  if (errbuf && errlen)
    errbuf[0] = '\0';
  if (!out)
    return PW_EINVAL;
  defaults(out);
  pw_lm_port_options o = *out;
  unsigned line = 0;
  const char *p = text ? text : "";
  while (*p) {
    const char *end = strpbrk(p, "\r\n");
    size_t len = end ? (size_t)(end - p) : strlen(p);
    line++;
    char buf[256];
    if (len >= sizeof buf) {
      pw_errbuf_printf(errbuf, errlen, "line %u: too long", line);
      return PW_EBADCONFIG;
    }
    memcpy(buf, p, len);
    buf[len] = '\0';
    p += len;
    while (*p == '\r' || *p == '\n')
      p++;
    char *k = buf;
    while (*k == ' ' || *k == '\t')
      k++;
    if (!*k || *k == '#')
      continue;
    char *eq = strchr(k, '=');
    if (!eq) {
      pw_errbuf_printf(errbuf, errlen, "line %u: not key=value", line);
      return PW_EBADCONFIG;
    }
    char *ke = eq;
    while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
      ke--;
    *ke = '\0';
    char *v = eq + 1;
    while (*v == ' ' || *v == '\t')
      v++;
    size_t vl = strlen(v);
    while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
      v[--vl] = '\0';
    char why[128] = "";
    int rc = set_option(&o, k, v, why, sizeof why);
    if (rc != PW_OK) {
      pw_errbuf_printf(errbuf, errlen, "line %u: %s", line, why);
      return rc;
    }
  }
  *out = o;
  return PW_OK;
}
