/* portway tests — a port monitor below the language monitor's core, in
 * memory (test_lm_*.c): it keeps what is written, and plays a PJL printer's
 * back channel from a queue the test (or its own echo of EOJ) fills.
 * Static inline: each test file is its own program. Every wait is bounded. */
#ifndef PORTWAY_TEST_LMFIX_H
#define PORTWAY_TEST_LMFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "portway/langmon.h"
#include "test.h"

#define LMFIX_CAP (1u << 20)

typedef struct lmfix_pm {
  pw_mutex lock;
  pw_cond cond;
  unsigned char written[LMFIX_CAP]; /* what the port monitor got */
  size_t wlen;
  char backq[65536]; /* what the printer will send back */
  size_t qlen;
  int echo_eoj;         /* answer "@PJL EOJ NAME=x" with a USTATUS JOB END */
  int answer_info;      /* answer "@PJL INFO ID/STATUS/PAGECOUNT/CONFIG" */
  uint32_t device_code; /* INFO STATUS's CODE (default 10001) */
  int not_readable;     /* EnumPorts would not say PORT_TYPE_READ */
  int read_fail;        /* ReadPort fails with this (0: works) */
  int read_hang;        /* ReadPort ignores its time-out until closed */
  int write_fail;       /* WritePort fails with this */
  uint32_t read_ms;     /* set by set_read_timeout (default 100) */
  int starts, ends, closes, reads, writes;
  int closed;
} lmfix_pm;

static inline void lmfix_queue(lmfix_pm *pm, const char *s) {
  pw_mutex_lock(&pm->lock);
  size_t n = strlen(s);
  if (pm->qlen + n <= sizeof pm->backq) {
    memcpy(pm->backq + pm->qlen, s, n);
    pm->qlen += n;
  }
  pw_cond_broadcast(&pm->cond);
  pw_mutex_unlock(&pm->lock);
}

static inline int lmfix_start(void *ctx, const char *printer, uint32_t job,
                              const char *doc, const void *arg) {
  (void)printer, (void)job, (void)doc, (void)arg;
  lmfix_pm *pm = ctx;
  pw_mutex_lock(&pm->lock);
  pm->starts++;
  pw_mutex_unlock(&pm->lock);
  return PW_OK;
}

/* A printer echoes the end of a job whose EOJ it read: the first EOJ in
 * written[from..) (lock held; dropped to queue). */
static inline void lmfix_echo(lmfix_pm *pm, size_t from) {
  static const char eoj[] = "@PJL EOJ NAME=\"";
  const size_t el = sizeof eoj - 1;
  const unsigned char *w = pm->written;
  for (size_t i = from; i + el < pm->wlen; i++) {
    if (memcmp(w + i, eoj, el) != 0)
      continue;
    const char *name = (const char *)w + i + el;
    const char *q = memchr(name, '"', pm->wlen - i - el);
    if (!q)
      return;
    char msg[256];
    snprintf(msg, sizeof msg,
             "@PJL USTATUS JOB\r\nEND\r\nNAME=\"%.*s\"\r\nPAGES=2\r\n\f",
             (int)(q - name), name);
    pw_mutex_unlock(&pm->lock);
    lmfix_queue(pm, msg);
    pw_mutex_lock(&pm->lock);
    return;
  }
}

/* A printer answers the INFO requests in written[from..) (lock held). */
static inline void lmfix_info(lmfix_pm *pm, size_t from) {
  static const char *const ask[] = {"@PJL INFO ID\r\n", "@PJL INFO STATUS\r\n",
                                    "@PJL INFO PAGECOUNT\r\n",
                                    "@PJL INFO CONFIG\r\n"};
  char reply[4][160];
  snprintf(reply[0], sizeof reply[0],
           "@PJL INFO ID\r\n\"PORTWAY SIM 9\"\r\n\f");
  snprintf(reply[1], sizeof reply[1],
           "@PJL INFO STATUS\r\nCODE=%u\r\nDISPLAY=\"X\"\r\nONLINE=%s\r\n\f",
           pm->device_code ? pm->device_code : 10001u,
           pm->device_code == 40079u ? "FALSE" : "TRUE");
  snprintf(reply[2], sizeof reply[2],
           "@PJL INFO PAGECOUNT\r\nPAGECOUNT=77\r\n\f");
  snprintf(reply[3], sizeof reply[3],
           "@PJL INFO CONFIG\r\nIN TRAYS [1 ENUMERATED]\r\n\tINTRAY1\r\n"
           "MEMORY=8388608\r\n\f");
  for (int k = 0; k < 4; k++) {
    size_t n = strlen(ask[k]);
    for (size_t i = from; i + n <= pm->wlen; i++) {
      if (memcmp(pm->written + i, ask[k], n) == 0) {
        pw_mutex_unlock(&pm->lock);
        lmfix_queue(pm, reply[k]);
        pw_mutex_lock(&pm->lock);
        break;
      }
    }
  }
}

static inline int lmfix_write(void *ctx, const void *buf, size_t len,
                              size_t *written) {
  lmfix_pm *pm = ctx;
  pw_mutex_lock(&pm->lock);
  int rc = pm->write_fail;
  if (rc == PW_OK && pm->wlen + len > LMFIX_CAP)
    rc = PW_ENOSPC;
  size_t at = pm->wlen;
  pm->writes++;
  if (rc == PW_OK) {
    memcpy(pm->written + pm->wlen, buf, len);
    pm->wlen += len;
    *written = len;
  }
  if (rc == PW_OK && pm->echo_eoj)
    lmfix_echo(pm, at);
  if (rc == PW_OK && pm->answer_info)
    lmfix_info(pm, at);
  pw_mutex_unlock(&pm->lock);
  return rc;
}

static inline int lmfix_read(void *ctx, void *buf, size_t cap, size_t *got) {
  lmfix_pm *pm = ctx;
  *got = 0;
  pw_mutex_lock(&pm->lock);
  pm->reads++;
  int rc = pm->read_fail;
  uint64_t until = pw_time_monotonic_ns() + (uint64_t)pm->read_ms * 1000000u;
  while (rc == PW_OK && pm->qlen == 0 && !pm->closed) {
    uint64_t now = pw_time_monotonic_ns();
    if (!pm->read_hang && now >= until)
      break;
    pw_cond_wait_ms(&pm->cond, &pm->lock, 20);
  }
  if (rc == PW_OK && pm->qlen > 0) {
    size_t n = pm->qlen < cap ? pm->qlen : cap;
    memcpy(buf, pm->backq, n);
    memmove(pm->backq, pm->backq + n, pm->qlen - n);
    pm->qlen -= n;
    *got = n;
  } else if (rc == PW_OK) {
    rc = pm->closed ? PW_ECANCELED : PW_ETIMEDOUT;
  }
  pw_mutex_unlock(&pm->lock);
  return rc;
}

static inline int lmfix_end(void *ctx) {
  lmfix_pm *pm = ctx;
  pw_mutex_lock(&pm->lock);
  pm->ends++;
  pw_mutex_unlock(&pm->lock);
  return PW_OK;
}

static inline int lmfix_timeout(void *ctx, uint32_t ms) {
  lmfix_pm *pm = ctx;
  pw_mutex_lock(&pm->lock);
  pm->read_ms = ms;
  pw_mutex_unlock(&pm->lock);
  return PW_OK;
}

static inline void lmfix_close(void *ctx) {
  lmfix_pm *pm = ctx;
  pw_mutex_lock(&pm->lock);
  pm->closes++;
  pm->closed = 1;
  pw_cond_broadcast(&pm->cond);
  pw_mutex_unlock(&pm->lock);
}

static inline int lmfix_readable(void *ctx) {
  lmfix_pm *pm = ctx;
  return !pm->not_readable;
}

static inline lmfix_pm *lmfix_pm_new(void) {
  lmfix_pm *pm = calloc(1, sizeof *pm);
  if (!pm)
    return NULL;
  pw_mutex_init(&pm->lock);
  pw_cond_init(&pm->cond);
  pm->read_ms = 100;
  return pm;
}

static inline void lmfix_pm_free(lmfix_pm *pm) {
  if (!pm)
    return;
  pw_cond_destroy(&pm->cond);
  pw_mutex_destroy(&pm->lock);
  free(pm);
}

static inline pw_lm_lower lmfix_lower(lmfix_pm *pm) {
  pw_lm_lower l = {pm,        lmfix_start,   lmfix_write, lmfix_read,
                   lmfix_end, lmfix_timeout, lmfix_close, lmfix_readable};
  return l;
}

/* What the hooks saw. */
#define LMFIX_MAX_EVENTS 32
typedef struct lmfix_seen {
  pw_mutex lock;
  int n_status;
  pw_port_status_code codes[LMFIX_MAX_EVENTS];
  pw_port_severity sevs[LMFIX_MAX_EVENTS];
  char texts[LMFIX_MAX_EVENTS][64];
  int n_done;
  int confirmed[LMFIX_MAX_EVENTS];
  long pages[LMFIX_MAX_EVENTS];
  uint32_t jobs[LMFIX_MAX_EVENTS];
} lmfix_seen;

static inline void lmfix_on_status(void *ctx, pw_lm *lm, const char *port,
                                   const pw_port_status *st) {
  (void)port, (void)lm;
  lmfix_seen *s = ctx;
  pw_mutex_lock(&s->lock);
  if (s->n_status < LMFIX_MAX_EVENTS) {
    s->codes[s->n_status] = st->code;
    s->sevs[s->n_status] = st->severity;
    snprintf(s->texts[s->n_status], sizeof s->texts[0], "%s",
             st->text ? st->text : "");
    s->n_status++;
  }
  pw_mutex_unlock(&s->lock);
}

static inline void lmfix_on_done(void *ctx, pw_lm *lm, const char *port,
                                 const char *printer, uint32_t job,
                                 int confirmed, long pages) {
  (void)port, (void)printer, (void)lm;
  lmfix_seen *s = ctx;
  pw_mutex_lock(&s->lock);
  if (s->n_done < LMFIX_MAX_EVENTS) {
    s->confirmed[s->n_done] = confirmed;
    s->pages[s->n_done] = pages;
    s->jobs[s->n_done] = job;
    s->n_done++;
  }
  pw_mutex_unlock(&s->lock);
}

/* An instance with the hooks writing into `seen`, its log under PW_TEST_TMP. */
static inline pw_lm *lmfix_lm(lmfix_seen *seen) {
  memset(seen, 0, sizeof *seen);
  pw_mutex_init(&seen->lock);
  static pw_lm_hooks hooks;
  hooks.ctx = seen;
  hooks.port_status = lmfix_on_status;
  hooks.job_done = lmfix_on_done;
  const char *tmp = getenv("PW_TEST_TMP");
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/lm", tmp ? tmp : "/tmp");
  pw_lm_options o = {"portway PJL", dir, &hooks, 500};
  pw_lm *lm = NULL;
  return pw_lm_create(&o, &lm) == PW_OK ? lm : NULL;
}

/* Options: defaults, with eoj_wait and poll_ms shortened for tests. */
static inline pw_lm_port_options lmfix_opts(const char *text) {
  pw_lm_port_options o;
  char why[128];
  if (pw_lm_port_options_parse(text, &o, why, sizeof why) != PW_OK)
    fprintf(stderr, "  options: %s\n", why);
  return o;
}

/* One open port of an instance over a port monitor in memory: what most
 * tests start from. Options as for lmfix_opts; printer may be NULL. */
typedef struct lmfix_port {
  lmfix_seen seen;
  pw_lm *lm;
  lmfix_pm *pm;
  pw_handle h;
} lmfix_port;

static inline int lmfix_open(lmfix_port *f, const char *opts,
                             const char *printer) {
  f->lm = lmfix_lm(&f->seen);
  f->pm = lmfix_pm_new();
  if (!f->lm || !f->pm)
    return 0;
  pw_lm_port_options o = lmfix_opts(opts);
  pw_lm_lower lo = lmfix_lower(f->pm);
  return pw_lm_open(f->lm, "PW1:", printer, &o, &lo, &f->h) == PW_OK;
}

/* Shutdown (it closes the port if the test did not) and free. */
static inline void lmfix_done(lmfix_port *f) {
  pw_lm_destroy(f->lm);
  lmfix_pm_free(f->pm);
}

/* One job of `len` bytes in `chunk` pieces on h: the first failure. */
static inline int lmfix_print(pw_handle h, uint32_t job, const char *doc,
                              const void *data, size_t len, size_t chunk) {
  int rc = pw_lm_start_doc(h, "Office", job, doc, NULL);
  const unsigned char *b = data;
  for (size_t off = 0; rc == PW_OK && off < len; off += chunk) {
    size_t n = len - off < chunk ? len - off : chunk, w = 0;
    rc = pw_lm_write(h, b + off, n, &w);
    if (rc == PW_OK && w != n)
      rc = PW_EIO;
  }
  int end = pw_lm_end_doc(h);
  return rc != PW_OK ? rc : end;
}

#endif
