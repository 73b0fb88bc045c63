/* libFuzzer target: the HTTP/1.1 response parser (src/core/http1.h).
 * Input: one control octet (bit 0: the peer closes after the last byte),
 * two octets choosing where to split, then the response bytes.
 * Invariants checked (abort() on violation):
 *  - the result (return code, state, status, keep-alive, body octets and
 *    their count, octets consumed) is the same whether the bytes come
 *    whole, split in two at the chosen point, or (for short inputs) one at
 *    a time;
 *  - the body never holds more octets than were fed, nothing is consumed
 *    past the input, and an error is sticky. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/http1.h"
#include "portway/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond) {
  if (!cond)
    abort();
}

typedef struct outcome {
  int rc, state, status, keep_alive;
  unsigned interim;
  uint64_t body_bytes, hash;
  size_t used;
} outcome;

static int on_body(void *ctx, const uint8_t *d, size_t n) {
  outcome *o = ctx;
  check(n > 0);
  for (size_t i = 0; i < n; i++)
    o->hash = (o->hash ^ d[i]) * 1099511628211u; /* FNV-1a */
  return PW_OK;
}

static int on_header(void *ctx, const char *name, const char *value) {
  (void)ctx;
  check(name[0] != '\0' && strlen(value) < PW_HTTP1_MAX_LINE);
  return PW_OK;
}

/* Feed d[0..n) in pieces of at most `piece` octets, the first cut at
 * `first`. */
static outcome run(const uint8_t *d, size_t n, size_t first, size_t piece,
                   int eof) {
  outcome o;
  memset(&o, 0, sizeof o);
  o.hash = 14695981039346656037u;
  pw_http1_parser p;
  pw_http1_parser_init(&p, on_body, on_header, &o);
  size_t at = 0, len = first;
  int rc = PW_OK;
  for (;; len = piece) {
    if (len > n - at)
      len = n - at;
    size_t used = 0;
    rc = pw_http1_feed(&p, d + at, len, &used);
    check(used <= len);
    o.used += used;
    if (rc != PW_OK || used < len || at + len == n)
      break;
    at += len;
  }
  if (rc == PW_OK && eof)
    rc = pw_http1_finish(&p);
  if (rc != PW_OK) {
    size_t used = 1;
    check(p.state == PW_HTTP1_ERROR);
    check(pw_http1_feed(&p, "x", 1, &used) == rc && used == 0);
  }
  check(p.body_bytes <= n);
  o.rc = rc;
  o.state = (int)p.state;
  o.status = p.status;
  o.keep_alive = p.keep_alive;
  o.interim = p.interim;
  o.body_bytes = p.body_bytes;
  return o;
}

static void same(const outcome *a, const outcome *b) {
  check(a->rc == b->rc && a->state == b->state && a->status == b->status &&
        a->keep_alive == b->keep_alive && a->interim == b->interim &&
        a->body_bytes == b->body_bytes && a->hash == b->hash &&
        a->used == b->used);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3 || size > 1u << 20)
    return 0;
  int eof = data[0] & 1;
  size_t split = ((size_t)data[1] << 8 | data[2]);
  data += 3;
  size -= 3;
  split = size ? split % (size + 1) : 0;

  outcome whole = run(data, size, size, size, eof);
  check(whole.used <= size);
  outcome two = run(data, size, split, size, eof);
  same(&whole, &two);
  if (size <= 4096) {
    outcome bytes = run(data, size, 1, 1, eof);
    same(&whole, &bytes);
  }
  return 0;
}
