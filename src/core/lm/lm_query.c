/* portway — asking the printer outside a job (portway/langmon.h:
 * pw_lm_query), and what is built on it: Bidi answers from the shared
 * schema table (core/bidi.h) and GetPrinterDataFromPort by name.
 *
 * A query is a job of its own on the port monitor below: StartDocPort
 * (job id 0, document "portway PJL query"), the status reader started, its
 * first ReadPort awaited (a port monitor may hold written bytes until its
 * back channel is read), "UEL @PJL INFO <category> ... UEL", the replies
 * awaited for at most wait_ms, the reader stopped, EndDocPort. Only a port
 * whose port monitor says it can be read (lower.readable) is asked: on a
 * port without back channel a query would print nothing useful and, on a
 * file port, leave a file behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/bidi.h"
#include "core/handle_table.h"
#include "core/lm/lm_internal.h"

static size_t add(char *buf, size_t at, size_t cap, const char *s) {
  size_t n = strlen(s);
  if (at + n < cap) {
    memcpy(buf + at, s, n);
    at += n;
  }
  return at;
}

/* The query's bytes for the categories asked. */
static size_t query_bytes(unsigned ask, char *buf, size_t cap) {
  size_t n = add(buf, 0, cap, PW_PJL_UEL "@PJL \r\n");
  if (ask & PW_LM_ASK_ID)
    n = add(buf, n, cap, "@PJL INFO ID\r\n");
  if (ask & PW_LM_ASK_STATUS)
    n = add(buf, n, cap, "@PJL INFO STATUS\r\n");
  if (ask & PW_LM_ASK_PAGECOUNT)
    n = add(buf, n, cap, "@PJL INFO PAGECOUNT\r\n");
  if (ask & PW_LM_ASK_CONFIG)
    n = add(buf, n, cap, "@PJL INFO CONFIG\r\n");
  return add(buf, n, cap, PW_PJL_UEL);
}

/* The query job (no lock held; the caller holds the call). */
static int ask_printer(lm_port *p, unsigned ask, uint32_t wait_ms,
                       const void *lower_arg) {
  int rc =
      p->lower.start_doc(p->lower.ctx, NULL, 0, "portway PJL query", lower_arg);
  if (rc != PW_OK)
    return rc;
  pw_mutex_lock(&p->lock);
  p->answered = 0;
  rc = lm_reader_start(p);
  pw_mutex_unlock(&p->lock);
  if (rc == PW_OK) {
    lm_wait_for_first_read(p);
    char q[256];
    rc = lm_send_all(p, q, query_bytes(ask, q, sizeof q));
    p->broken = 0; /* a query leaves no job behind to poison */
  }
  pw_mutex_lock(&p->lock);
  uint64_t until = pw_time_monotonic_ns() + (uint64_t)wait_ms * 1000000u;
  while (rc == PW_OK && (p->answered & ask) != ask && !p->closed &&
         p->reader_state == READER_RUNNING) {
    uint64_t now = pw_time_monotonic_ns();
    if (now >= until)
      break;
    uint64_t left = (until - now) / 1000000u + 1u;
    pw_cond_wait_ms(&p->cond, &p->lock, left > 1000u ? 1000u : (uint32_t)left);
  }
  unsigned got = p->answered;
  (void)lm_reader_stop(p, p->opt.poll_ms * 2u + p->lm->close_wait_ms);
  pw_mutex_unlock(&p->lock);
  lm_status_flush(p);
  int end = p->lower.end_doc(p->lower.ctx);
  if (rc == PW_OK && (got & ask) != ask)
    rc = PW_ETIMEDOUT;
  pw_log_write(p->lm->log, rc == PW_OK ? PW_LOG_DEBUG : PW_LOG_INFO,
               "port=%s query of the printer: %s", p->name,
               rc == PW_OK          ? "answered"
               : rc == PW_ETIMEDOUT ? "not answered in time"
                                    : pw_strerror(rc));
  return rc != PW_OK ? rc : end;
}

/* A live port (a new reference; lock not held on return). */
static int port_of(pw_handle h, lm_port **out) {
  pw_ref *obj;
  int rc = pw_handle_get(h, PW_HANDLE_LM_PORT, &obj);
  if (rc != PW_OK)
    return rc;
  lm_port *p = PW_CONTAINER_OF(obj, lm_port, ref);
  pw_mutex_lock(&p->lock);
  int closed = p->closed;
  pw_mutex_unlock(&p->lock);
  if (closed) {
    lm_port_release(p);
    return PW_EBADHANDLE;
  }
  *out = p;
  return PW_OK;
}

int pw_lm_query(pw_handle h, unsigned ask, uint32_t wait_ms,
                const void *lower_arg, pw_lm_info *out) {
  if (!out)
    return PW_EINVAL;
  memset(out, 0, sizeof *out);
  lm_port *p;
  int rc = port_of(h, &p);
  if (rc != PW_OK)
    return rc;
  /* Ask only a port that is free: no job, no spooler call, no other
   * query (the query then holds it: spooler calls wait for it, bounded).
   * Otherwise - and without a back channel - what was heard before. */
  pw_mutex_lock(&p->lock);
  int can_ask = !p->in_job && !p->calls && !p->querying && !p->closed &&
                p->opt.status && p->lower.readable &&
                p->lower.readable(p->lower.ctx);
  if (can_ask) {
    p->querying = 1;
    p->calls++;
  }
  pw_mutex_unlock(&p->lock);
  if (can_ask)
    rc = ask_printer(p, ask, wait_ms, lower_arg);
  pw_mutex_lock(&p->lock);
  *out = p->info;
  if (can_ask) {
    p->querying = 0;
    p->calls--;
    pw_cond_broadcast(&p->cond);
  }
  pw_mutex_unlock(&p->lock);
  if (!can_ask) /* what was heard before, if anything */
    rc = (out->known & ask) == ask ? PW_OK
         : out->known              ? PW_ETIMEDOUT
                                   : PW_ENOTSUP;
  lm_port_release(p);
  return rc;
}

/* ---- Bidi ---- */

/* What the printer's last PJL status and INFO ID say, as facts. */
static void info_facts(const pw_lm_info *i, pw_printer_facts *f) {
  pw_printer_facts_init(f);
  if (i->known & PW_LM_ASK_ID) {
    pw_bidi_copy_text(f->make_model, sizeof f->make_model, i->id);
    f->known |= PW_FACT_MAKE_MODEL;
  }
  if (i->known & PW_LM_ASK_PAGECOUNT) {
    f->page_count = i->pagecount;
    f->known |= PW_FACT_PAGE_COUNT;
  }
  if (!(i->known & 1))
    return;
  if (i->online >= 0) {
    f->online = i->online;
    f->known |= PW_FACT_ONLINE;
  }
  pw_port_status st;
  int tells = pw_pjl_code_status(i->code, &st);
  static const struct {
    pw_port_status_code code;
    unsigned reason;
  } reasons[] = {
      {PW_PORT_STATUS_PAPER_JAM, PW_REASON_MEDIA_JAM},
      {PW_PORT_STATUS_PAPER_OUT, PW_REASON_MEDIA_EMPTY},
      {PW_PORT_STATUS_PAPER_PROBLEM, PW_REASON_MEDIA_NEEDED},
      {PW_PORT_STATUS_DOOR_OPEN, PW_REASON_DOOR_OPEN},
      {PW_PORT_STATUS_NO_TONER, PW_REASON_MARKER_EMPTY},
      {PW_PORT_STATUS_TONER_LOW, PW_REASON_MARKER_LOW},
      {PW_PORT_STATUS_OUTPUT_BIN_FULL, PW_REASON_OUTPUT_FULL},
      {PW_PORT_STATUS_USER_INTERVENTION, PW_REASON_ATTENTION},
      {PW_PORT_STATUS_OFFLINE, PW_REASON_ATTENTION},
      {PW_PORT_STATUS_OUT_OF_MEMORY, PW_REASON_ATTENTION},
  };
  for (size_t k = 0; tells && k < sizeof reasons / sizeof reasons[0]; k++)
    if (st.code == reasons[k].code)
      f->reasons |= reasons[k].reason;
  f->known |= PW_FACT_REASONS;
  pw_bidi_copy_text(f->reasons_text, sizeof f->reasons_text, i->display);
  /* HP: 10023 "printing", 10007 "cancelling" - busy; an error, or the
   * device saying it is offline, stops it; the rest is idle. */
  if (i->online == 0 || (tells && st.severity == PW_PORT_SEVERITY_ERROR))
    f->state = PW_PRINTER_STOPPED;
  else if (i->code == 10023u || i->code == 10007u)
    f->state = PW_PRINTER_PRINTING;
  else
    f->state = PW_PRINTER_IDLE;
  f->known |= PW_FACT_STATE;
}

int pw_lm_bidi(pw_handle h, const char *action, const pw_bidi_request *reqs,
               size_t n, const void *lower_arg, pw_bidi_response **out) {
  if (!out || !action)
    return PW_EINVAL;
  *out = NULL;
  pw_bidi_action act;
  if (pw_bidi_action_parse(action, &act) != PW_OK)
    return PW_ENOTSUP;
  pw_printer_facts *facts = malloc(sizeof *facts);
  if (!facts)
    return PW_ENOMEM;
  pw_printer_facts_init(facts);
  int rc = PW_OK;
  if (pw_bidi_needs_facts(act, reqs, n)) {
    pw_lm_info info;
    rc =
        pw_lm_query(h, PW_LM_ASK_ID | PW_LM_ASK_STATUS, 3000, lower_arg, &info);
    if (rc == PW_OK || rc == PW_ETIMEDOUT || rc == PW_ENOTSUP) {
      info_facts(&info, facts);
      /* Asked and silent, nothing known before: the device is offline. */
      if (rc == PW_ETIMEDOUT && !info.known) {
        facts->state = PW_PRINTER_OFFLINE;
        facts->known |= PW_FACT_STATE;
      }
      rc = PW_OK;
    }
  } else {
    lm_port *p; /* the handle must still be checked */
    rc = port_of(h, &p);
    if (rc == PW_OK)
      lm_port_release(p);
  }
  if (rc == PW_OK)
    rc = pw_bidi_answer(facts, act, reqs, n, out);
  free(facts);
  return rc;
}

/* ---- GetPrinterDataFromPort ---- */

static int put(const char *text, char *out, size_t cap, size_t *needed) {
  size_t n = strlen(text) + 1;
  if (needed)
    *needed = n;
  if (!out || cap < n)
    return PW_ENOBUFS;
  memcpy(out, text, n);
  return PW_OK;
}

int pw_lm_get_data(pw_handle h, const char *name, const void *lower_arg,
                   char *out, size_t cap, size_t *needed) {
  if (needed)
    *needed = 0;
  if (!name)
    return PW_EINVAL;
  static const struct {
    const char *name;
    unsigned ask;
  } names[] = {{"ID", PW_LM_ASK_ID},
               {"STATUS", PW_LM_ASK_STATUS},
               {"PAGECOUNT", PW_LM_ASK_PAGECOUNT},
               {"CONFIG", PW_LM_ASK_CONFIG},
               {"Installed Memory", PW_LM_ASK_CONFIG}};
  size_t k = 0;
  while (k < sizeof names / sizeof names[0] &&
         !pw_ascii_ieq(name, names[k].name))
    k++;
  if (k == sizeof names / sizeof names[0]) {
    lm_port *p; /* a bad handle is that, not an unknown name */
    int rc = port_of(h, &p);
    if (rc != PW_OK)
      return rc;
    lm_port_release(p);
    return PW_ENOENT;
  }
  pw_lm_info *info = malloc(sizeof *info);
  if (!info)
    return PW_ENOMEM;
  int rc = pw_lm_query(h, names[k].ask, 3000, lower_arg, info);
  char text[sizeof info->config + 32];
  if (rc == PW_OK) {
    switch (names[k].ask) {
    case PW_LM_ASK_ID:
      snprintf(text, sizeof text, "%s", info->id);
      break;
    case PW_LM_ASK_STATUS:
      snprintf(text, sizeof text, "CODE=%u\nDISPLAY=%s\nONLINE=%s", info->code,
               info->display,
               info->online < 0 ? "?"
               : info->online   ? "TRUE"
                                : "FALSE");
      break;
    case PW_LM_ASK_PAGECOUNT:
      snprintf(text, sizeof text, "%u", info->pagecount);
      break;
    default: /* CONFIG, or its MEMORY line */
      if (k == 3)
        snprintf(text, sizeof text, "%s", info->config);
      else if (pw_pjl_config_value(info->config, "MEMORY", text, sizeof text) !=
               PW_OK)
        rc = PW_ENOENT;
      break;
    }
  }
  free(info);
  return rc == PW_OK ? put(text, out, cap, needed) : rc;
}

int pw_lm_forward(pw_handle h, int (*fn)(void *lower_ctx, void *arg),
                  void *arg) {
  if (!fn)
    return PW_EINVAL;
  lm_port *p;
  int rc = lm_enter(h, &p);
  if (rc != PW_OK)
    return rc;
  rc = fn(p->lower.ctx, arg);
  lm_leave(p);
  return rc;
}
