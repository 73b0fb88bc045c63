/* portway — the language monitor's status reader (portway/langmon.h): one
 * thread per port while a job runs. It polls the port monitor's ReadPort
 * (each call bounded by the port's read time-out, poll_ms), feeds what
 * arrives to the PJL parser and turns replies into the port's status, the
 * printer's facts and the end echo EndDocPort waits for.
 *
 * Why a thread: ReadPort blocks for up to its time-out, and the spooler's
 * threads must never wait on the printer. Why per job: a port monitor has a
 * back channel only while a job holds the device open (a TCP connection,
 * for portway's socket ports); between jobs ReadPort fails.
 *
 * The reader holds a reference to the port, so a ClosePort that gives up
 * waiting for it (a ReadPort that ignores its time-out) never frees memory
 * the reader still uses. */
#include <stdio.h>
#include <string.h>

#include "core/lm/lm_internal.h"

#define READ_BUF 4096u
#define FIRST_READ_MS 1u

static void copy_text(char *dst, size_t cap, const char *src) {
  snprintf(dst, cap, "%s", src ? src : "");
}

/* A device code: the wanted status (lock held). */
static void take_code(lm_port *p, const pw_pjl_event *ev) {
  p->info.known |= 1u;
  p->info.code = ev->code;
  p->info.online = ev->online;
  copy_text(p->info.display, sizeof p->info.display, ev->display);
  pw_port_status st;
  if (!pw_pjl_code_status(ev->code, &st))
    return; /* says nothing about the device: keep what we have */
  p->want_code = st.code;
  p->want_sev = st.severity;
  /* The printer's own words when it gave some (its panel), else ours. */
  copy_text(p->want_text, sizeof p->want_text,
            st.code == PW_PORT_STATUS_OK ? ""
            : ev->display[0]             ? ev->display
                                         : st.text);
}

/* A job echo: this job's end (matched by name), or another's. */
static void take_job_end(lm_port *p, const pw_pjl_event *ev) {
  uint32_t seq = 0;
  if (!p->in_job || !pw_pjl_job_name_seq(ev->name, p->tag, &seq) ||
      seq != p->seq) {
    pw_log_write(p->lm->log, PW_LOG_DEBUG,
                 "port=%s end echo of another job (\"%s\") ignored", p->name,
                 ev->name);
    return;
  }
  p->eoj_seen = 1;
  p->eoj_pages = ev->has_pages ? (long)ev->pages : -1;
  /* The job is over on the printer's side: no need to sit out another
   * ReadPort time-out before EndDocPort may go on. */
  p->reader_stop = 1;
  pw_cond_broadcast(&p->cond);
}

/* The parser's callback, on the reader's thread (takes the lock). */
static void on_event(void *ctx, const pw_pjl_event *ev) {
  lm_port *p = ctx;
  pw_mutex_lock(&p->lock);
  switch (ev->kind) {
  case PW_PJL_EV_STATUS:
    p->answered |= PW_LM_ASK_STATUS;
    pw_cond_broadcast(&p->cond);
    take_code(p, ev);
    break;
  case PW_PJL_EV_DEVICE:
  case PW_PJL_EV_TIMED:
    take_code(p, ev);
    break;
  case PW_PJL_EV_JOB_END:
  case PW_PJL_EV_JOB_CANCELED:
    take_job_end(p, ev);
    break;
  case PW_PJL_EV_ID:
    p->info.known |= PW_LM_ASK_ID;
    copy_text(p->info.id, sizeof p->info.id, ev->text);
    p->answered |= PW_LM_ASK_ID;
    pw_cond_broadcast(&p->cond);
    break;
  case PW_PJL_EV_PAGECOUNT:
    p->info.known |= PW_LM_ASK_PAGECOUNT;
    p->info.pagecount = ev->number;
    p->answered |= PW_LM_ASK_PAGECOUNT;
    pw_cond_broadcast(&p->cond);
    break;
  case PW_PJL_EV_CONFIG:
    p->info.known |= PW_LM_ASK_CONFIG;
    copy_text(p->info.config, sizeof p->info.config, ev->text);
    p->answered |= PW_LM_ASK_CONFIG;
    pw_cond_broadcast(&p->cond);
    break;
  case PW_PJL_EV_JOB_START:
  case PW_PJL_EV_PAGE:
  case PW_PJL_EV_ECHO:
    break;
  }
  pw_mutex_unlock(&p->lock);
}

void lm_status_flush(lm_port *p) {
  pw_mutex_lock(&p->lock);
  int changed = p->want_code != p->shown_code || p->want_sev != p->shown_sev ||
                strcmp(p->want_text, p->shown_text) != 0;
  char text[sizeof p->want_text];
  pw_port_status st = {p->want_code, p->want_sev, text};
  copy_text(text, sizeof text, p->want_text);
  uint32_t pjl_code = p->info.code;
  if (changed) {
    p->shown_code = p->want_code;
    p->shown_sev = p->want_sev;
    copy_text(p->shown_text, sizeof p->shown_text, p->want_text);
  }
  pw_mutex_unlock(&p->lock);
  if (!changed)
    return;
  if (st.code != PW_PORT_STATUS_OK)
    pw_log_write(p->lm->log, PW_LOG_WARN, "port=%s status \"%s\" (PJL %u)",
                 p->name, text, pjl_code);
  else
    pw_log_write(p->lm->log, PW_LOG_INFO, "port=%s status cleared", p->name);
  const pw_lm_hooks *h = &p->lm->hooks;
  if (h->port_status)
    h->port_status(h->ctx, p->lm, p->name, &st);
}

static void reader_main(void *arg) {
  lm_port *p = arg;
  unsigned char buf[READ_BUF];
  /* The first ReadPort is short: a port monitor that holds written bytes
   * until its back channel is read (portway's socket port) sends them from
   * then on, and EndDocPort waits for that first read to return. */
  int can_time =
      p->lower.set_read_timeout &&
      p->lower.set_read_timeout(p->lower.ctx, FIRST_READ_MS) == PW_OK;
  pw_mutex_lock(&p->lock);
  while (!p->reader_stop) {
    pw_mutex_unlock(&p->lock);
    uint64_t t0 = pw_time_monotonic_ns();
    size_t got = 0;
    int rc = p->lower.read(p->lower.ctx, buf, sizeof buf, &got);
    if (can_time && p->reads_done == 0)
      (void)p->lower.set_read_timeout(p->lower.ctx, p->opt.poll_ms);
    if (rc == PW_OK && got > 0) {
      pw_pjl_parser_feed(&p->parser, buf, got);
      lm_status_flush(p);
    }
    pw_mutex_lock(&p->lock);
    if (p->reads_done++ == 0)
      pw_cond_broadcast(&p->cond); /* EndDocPort may wait for this */
    if (p->reader_stop)
      break;
    if (rc != PW_OK && rc != PW_ETIMEDOUT) {
      pw_log_write(p->lm->log, PW_LOG_INFO,
                   "port=%s job=%u: no back channel (%s): framing only, no "
                   "status",
                   p->name, p->job_id, pw_strerror(rc));
      break;
    }
    /* Nothing came and ReadPort did not wait for it (0 bytes at once):
     * wait here instead of spinning, woken early by a stop. Not after the
     * short first read, which is meant to return at once. */
    uint64_t ms = (pw_time_monotonic_ns() - t0) / 1000000u;
    if (got == 0 && ms < p->opt.poll_ms / 2u &&
        !(can_time && p->reads_done == 1))
      pw_cond_wait_ms(&p->cond, &p->lock, p->opt.poll_ms - (uint32_t)ms);
  }
  p->reader_state = READER_DONE;
  pw_cond_broadcast(&p->cond);
  pw_mutex_unlock(&p->lock);
  lm_port_release(p); /* the reader's reference */
}

int lm_reader_start(lm_port *p) {
  pw_pjl_parser_init(&p->parser, on_event, p);
  p->reader_stop = 0;
  p->reads_done = 0;
  p->reader_state = READER_RUNNING;
  pw_ref_acquire(&p->ref); /* the reader's */
  int rc = pw_thread_start(&p->reader, reader_main, p);
  if (rc != PW_OK) {
    p->reader_state = READER_NONE;
    pw_ref_release(&p->ref); /* not the last: the caller holds one */
  }
  return rc;
}

int lm_reader_stop(lm_port *p, uint32_t ms) {
  if (!p->reader)
    return 1;
  p->reader_stop = 1;
  pw_cond_broadcast(&p->cond);
  uint64_t until = pw_time_monotonic_ns() + (uint64_t)ms * 1000000u;
  while (p->reader_state == READER_RUNNING) {
    uint64_t now = pw_time_monotonic_ns();
    if (now >= until)
      break;
    pw_cond_wait_ms(&p->cond, &p->lock,
                    (uint32_t)((until - now) / 1000000u) + 1u);
  }
  pw_thread *t = p->reader;
  p->reader = NULL;
  int ended = p->reader_state != READER_RUNNING;
  pw_mutex_unlock(&p->lock);
  if (ended) {
    (void)pw_thread_join(t);
  } else {
    pw_log_write(p->lm->log, PW_LOG_WARN,
                 "port=%s the status reader did not stop within %u ms (the "
                 "port monitor's ReadPort ignores its time-out); it is left "
                 "to end on its own",
                 p->name, ms);
    (void)pw_thread_detach(t);
  }
  pw_mutex_lock(&p->lock);
  return ended;
}
