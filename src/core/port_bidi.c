/* portway — Bidi on a port handle (pw_port_bidi, core.h): the port type's
 * way to ask its device (pw_dest_ops.facts: IPP ports only), then the
 * answer from what it said (bidi.c).
 *
 * The query runs beside any job on the handle, on a connection of its own,
 * and is not counted as the job's I/O: EndDocPort never waits for it. It
 * is registered on the handle so ClosePort and Shutdown cancel it, and
 * counted in the instance's I/O so Shutdown waits for it (bounded) like
 * for a job's. */
#include <stdlib.h>

#include "core/bidi.h"
#include "core/port_handle.h"

/* The device could not be reached or did not answer: the Bidi schema's
 * "device offline". Any other failure (a refusal, a certificate, a
 * malformed answer) leaves the facts unknown ("no data"). */
static int unreachable(int rc) {
  return pw_err_is_transient(rc) || rc == PW_ENOHOST;
}

static const char *action_name(pw_bidi_action a) {
  switch (a) {
  case PW_BIDI_ENUM_SCHEMA:
    return "EnumSchema";
  case PW_BIDI_GET:
    return "Get";
  case PW_BIDI_GET_ALL:
    return "GetAll";
  case PW_BIDI_SET:
    return "Set";
  }
  return "?";
}

/* Ask the device, the handle unlocked (the query is registered on it). */
static int ask(pw_port_handle *ph, const pw_dest_ops *ops,
               const pw_port_config *cfg, const pw_timeouts *t,
               pw_cancel *cancel, pw_printer_facts *facts) {
  char why[256] = "";
  pw_dest_start st = {
      .cfg = cfg,
      .port = ph->port->name,
      .timeouts = *t,
      .cancel = cancel,
      .spool_dir = ph->mon->spool_dir,
  };
  pw_time_local(&st.when);
  int rc = ops->facts(&st, facts, why, sizeof why);
  if (rc == PW_OK || rc == PW_ECANCELED)
    return rc;
  pw_log_write(ph->mon->log, PW_LOG_DEBUG,
               "port=%s bidi: the printer could not be asked: %s: %s",
               ph->port->name, pw_strerror(rc), why);
  pw_printer_facts_init(facts);
  if (unreachable(rc)) {
    facts->state = PW_PRINTER_OFFLINE;
    facts->known |= PW_FACT_STATE;
  }
  return PW_OK;
}

int pw_port_bidi(pw_handle h, const char *action, const pw_bidi_request *reqs,
                 size_t n, pw_bidi_response **out) {
  pw_port_handle *ph;
  pw_bidi_action act = PW_BIDI_GET;
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  int rc =
      ph_lock(h, action && (n == 0 || reqs) && n <= PW_BIDI_MAX_REQUESTS, &ph);
  if (rc != PW_OK)
    return rc;
  rc = pw_bidi_action_parse(action, &act);
  if (rc == PW_OK && n == 0 && act != PW_BIDI_ENUM_SCHEMA)
    rc = PW_EINVAL;
  pw_config_ref *cref = pw_port_config_get(ph->port);
  const pw_dest_ops *ops = pw_dest_for_kind(cref->cfg->kind);
  if (rc == PW_OK && (!ops || !ops->facts))
    rc = PW_ENOTSUP; /* file, socket, lpd, pipe: no device to ask */
  if (rc != PW_OK) {
    ph_unlock(ph);
    pw_config_ref_release(cref);
    return rc;
  }
  pw_timeouts t = ph_effective_timeouts(&ph->timeouts, cref->cfg);
  pw_bidi_query q;
  pw_cancel_init(&q.cancel);
  q.next = ph->bidi;
  ph->bidi = &q;
  pw_monitor_io_enter(ph->mon);
  pw_mutex_unlock(&ph->lock); /* the reference stays */

  pw_printer_facts *facts = malloc(sizeof *facts);
  if (!facts)
    rc = PW_ENOMEM;
  else if (pw_bidi_needs_facts(act, reqs, n))
    rc = ask(ph, ops, cref->cfg, &t, &q.cancel, facts);
  else
    pw_printer_facts_init(facts);

  pw_mutex_lock(&ph->lock);
  for (pw_bidi_query **p = &ph->bidi; *p; p = &(*p)->next)
    if (*p == &q) {
      *p = q.next;
      break;
    }
  if (ph->closed && rc == PW_OK)
    rc = PW_ECANCELED; /* ClosePort or Shutdown meanwhile */
  pw_monitor_io_leave(ph->mon);
  pw_mutex_unlock(&ph->lock);
  pw_cancel_destroy(&q.cancel);

  if (rc == PW_OK)
    rc = pw_bidi_answer(facts, act, reqs, n, out);
  pw_log_write(
      ph->mon->log, PW_LOG_DEBUG,
      "port=%s bidi %s: %zu request(s): %s, %zu answer(s)%s", ph->port->name,
      action_name(act), n, pw_strerror(rc), rc == PW_OK ? (*out)->count : 0,
      rc == PW_OK && pw_bidi_response_has_errors(*out) ? ", some with errors"
                                                       : "");
  free(facts);
  pw_config_ref_release(cref);
  pw_ref_release(&ph->ref);
  return rc;
}
