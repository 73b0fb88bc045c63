/* libFuzzer target: the PJL back-channel parser and the job name
 * sanitizer (src/core/pjl/). Input: one control octet (its low 6 bits + 1
 * are the piece size the rest is fed in), then the printer's bytes.
 * Invariants checked (abort() on violation):
 *  - the events (every field) and the counters are the same whether the
 *    bytes come whole, in pieces of the chosen size, or one at a time;
 *  - every event string is printable ASCII or HT, and no longer than a
 *    reply can be;
 *  - each reply ends as one event, one unknown or one malformed at most:
 *    events + unknown + malformed never exceed the form feeds and "@PJL"s
 *    fed, and skipped never exceeds the bytes fed;
 *  - the same bytes as a document name give a job name of at most 80
 *    printable characters without '"', that frames a header and trailer
 *    within their documented maxima and matches back to its sequence;
 *  - the UEL detector decides the same whole or byte by byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/pjl/pjl.h"
#include "portway/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond) {
  if (!cond)
    abort();
}

static void mix(uint64_t *h, uint64_t v) {
  *h = (*h ^ v) * 1099511628211u; /* FNV-1a, one value at a time */
}

static void mix_str(uint64_t *h, const char *s) {
  size_t n = 0;
  for (; s[n]; n++) {
    unsigned char u = (unsigned char)s[n];
    check(u == '\t' || u == '\n' || (u >= 0x20 && u <= 0x7E));
    mix(h, u);
  }
  check(n <= PW_PJL_MSG_MAX);
  mix(h, 0x100); /* the end of a string */
}

static void on_event(void *ctx, const pw_pjl_event *ev) {
  uint64_t *h = ctx;
  mix(h, (uint64_t)ev->kind);
  mix(h, ev->code);
  mix(h, (uint64_t)(ev->online + 1));
  mix(h, (uint64_t)ev->has_pages << 32 | ev->pages);
  mix(h, (uint64_t)ev->has_id << 32 | ev->id);
  mix(h, ev->number);
  mix_str(h, ev->display);
  mix_str(h, ev->name);
  mix_str(h, ev->result);
  mix_str(h, ev->text);
  check(strlen(pw_pjl_event_name(ev->kind)) > 1);
  if (ev->kind <= PW_PJL_EV_STATUS) {
    pw_port_status st;
    int known = pw_pjl_code_status(ev->code, &st);
    check(known == 0 || known == 1);
    check(st.code <= PW_PORT_STATUS_POWER_SAVE);
  }
}

typedef struct outcome {
  uint64_t hash, events, unknown, malformed, skipped;
} outcome;

static outcome run(const uint8_t *d, size_t n, size_t piece) {
  static pw_pjl_parser p;
  outcome o = {14695981039346656037u, 0, 0, 0, 0};
  pw_pjl_parser_init(&p, on_event, &o.hash);
  for (size_t at = 0; at < n; at += piece)
    pw_pjl_parser_feed(&p, d + at, n - at < piece ? n - at : piece);
  pw_pjl_parser_feed(&p, NULL, 0);
  o.events = p.events;
  o.unknown = p.unknown;
  o.malformed = p.malformed;
  o.skipped = p.skipped;
  return o;
}

static void same(const outcome *a, const outcome *b) {
  check(a->hash == b->hash && a->events == b->events &&
        a->unknown == b->unknown && a->malformed == b->malformed &&
        a->skipped == b->skipped);
}

static void check_name(const uint8_t *d, size_t n) {
  char *doc = malloc(n + 1);
  if (!doc)
    return;
  memcpy(doc, d, n);
  doc[n] = '\0';
  char name[PW_PJL_NAME_MAX + 1];
  size_t needed = 0;
  check(pw_pjl_job_name(name, sizeof name, &needed, "PW1:", (uint32_t)n, doc) ==
        PW_OK);
  size_t len = strlen(name);
  check(needed == len + 1 && len <= PW_PJL_NAME_MAX);
  for (size_t i = 0; i < len; i++)
    check(name[i] >= 0x20 && name[i] <= 0x7E && name[i] != '"');
  uint32_t seq = 0;
  check(pw_pjl_job_name_seq(name, "PW1:", &seq) && seq == (uint32_t)n);
  char small[8];
  if (len + 1 > sizeof small)
    check(pw_pjl_job_name(small, sizeof small, &needed, "PW1:", (uint32_t)n,
                          doc) == PW_ENOBUFS &&
          needed == len + 1);
  char out[PW_PJL_HEADER_MAX];
  size_t olen = 0;
  pw_pjl_job_opts o = {name, PW_PJL_USTATUS_PAGE | PW_PJL_INFO_STATUS,
                       PW_PJL_TIMED_MAX};
  check(pw_pjl_job_header(&o, out, sizeof out, &olen) == PW_OK);
  check(pw_pjl_job_trailer(name, out, PW_PJL_TRAILER_MAX, &olen) == PW_OK);
  free(doc);

  pw_pjl_uel_detector whole, bytes;
  pw_pjl_uel_init(&whole);
  pw_pjl_uel_init(&bytes);
  pw_pjl_uel_feed(&whole, d, n);
  for (size_t i = 0; i < n; i++)
    pw_pjl_uel_feed(&bytes, d + i, 1);
  check(pw_pjl_uel_finish(&whole) == pw_pjl_uel_finish(&bytes));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 1u << 16)
    return 0;
  size_t piece = (size_t)(data[0] & 0x3F) + 1;
  data++;
  size--;

  outcome whole = run(data, size, size ? size : 1);
  outcome pieces = run(data, size, piece);
  same(&whole, &pieces);
  if (size <= 8192) {
    outcome bytes = run(data, size, 1);
    same(&whole, &bytes);
  }
  size_t ff = 0, starts = 0;
  for (size_t i = 0; i < size; i++) {
    ff += data[i] == 0x0C;
    starts += i + 4 <= size && memcmp(data + i, "@PJL", 4) == 0;
  }
  check(whole.events + whole.unknown <= ff);
  check(whole.events + whole.unknown + whole.malformed <= starts);
  check(whole.skipped <= size);
  check_name(data, size);
  return 0;
}
