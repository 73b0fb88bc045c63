/* libFuzzer target: Bidi schema paths and calls (src/core/bidi.h), as a
 * spooler's request container brings them.
 * Input: byte 0 the action (mod 4), byte 1 the facts (mod 4: none, an
 * office printer, an unreachable one, consumables named by the input's
 * paths), then up to 16 paths separated by '\n' (NULs and any other octet
 * allowed inside).
 * Invariants checked (abort() on violation):
 *  - a supported path is printable ASCII, at most PW_BIDI_MAX_PATH octets,
 *    and its canonical spelling differs from it in case only;
 *  - Get and Set answer each request once, in order, with its number; Set
 *    never answers OK; GetAll answers every request at least once and
 *    only with request numbers it was given;
 *  - an OK answer has a type and a schema (a text for strings, valid
 *    UTF-8); an error answer has type BIDI_NULL and no text;
 *  - every EnumSchema answer names a supported path;
 *  - a Get without any supported path needs no facts and answers none OK;
 *  - device text given to the facts helpers comes out valid UTF-8 without
 *    control characters, and consumable names are schema names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bidi.h"
#include "portway/error.h"
#include "portway/utf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PATHS 16

static void check(int cond) {
  if (!cond)
    abort();
}

static void check_supported(const char *p, size_t len) {
  char canon[PW_BIDI_MAX_PATH + 1];
  if (!pw_bidi_schema_supported(p, len, canon, sizeof canon))
    return;
  check(len > 0 && len <= PW_BIDI_MAX_PATH);
  check(strlen(canon) == len);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)p[i];
    check(c > 0x20 && c < 0x7f);
    char a = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    char b =
        canon[i] >= 'A' && canon[i] <= 'Z' ? (char)(canon[i] + 32) : canon[i];
    check(a == b);
  }
}

static void check_value(const pw_bidi_value *v) {
  if (v->result != PW_BIDI_OK) {
    check(v->type == PW_BIDI_NULL && v->text == NULL);
    return;
  }
  check(v->type != PW_BIDI_NULL);
  if (v->type == PW_BIDI_STRING || v->type == PW_BIDI_TEXT)
    check(v->text && pw_utf8_valid(v->text));
  if (v->type == PW_BIDI_BOOL)
    check(v->i == 0 || v->i == 1);
  if (v->type == PW_BIDI_INT)
    check(v->i >= -1 && v->i <= 100);
}

static void facts_for(uint8_t kind, char **paths, size_t n,
                      pw_printer_facts *f) {
  pw_printer_facts_init(f);
  switch (kind % 4) {
  case 1:
    f->state = PW_PRINTER_PRINTING;
    f->reasons = PW_REASON_MEDIA_LOW | PW_REASON_PAUSED;
    pw_bidi_copy_text(f->model, sizeof f->model, "LaserBeam 9");
    f->known = PW_FACT_STATE | PW_FACT_REASONS | PW_FACT_MODEL;
    pw_printer_facts_add_marker(f, "Black Toner", "Toner", "Black", 42);
    pw_printer_facts_add_marker(f, "Waste", "WasteToner", NULL, -1);
    break;
  case 2:
    f->state = PW_PRINTER_OFFLINE;
    f->known = PW_FACT_STATE;
    break;
  case 3:
    for (size_t i = 0; i < n; i++) {
      pw_printer_facts_add_marker(f, paths[i], paths[i], paths[i],
                                  (int)strlen(paths[i]) - 10);
      pw_bidi_copy_text(f->make_model, sizeof f->make_model, paths[i]);
    }
    f->known |= PW_FACT_MAKE_MODEL;
    check(pw_utf8_valid(f->make_model));
    for (const char *p = f->make_model; *p; p++)
      check((unsigned char)*p >= 0x20 && *p != 0x7f);
    for (size_t i = 0; i < f->nmarkers; i++) {
      check(f->markers[i].name[0] != '\0');
      check(pw_utf8_valid(f->markers[i].type));
      for (const char *p = f->markers[i].name; *p; p++)
        check((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9'));
    }
    break;
  default:
    break;
  }
}

static int request_known(const pw_bidi_request *reqs, size_t n, uint32_t r) {
  for (size_t i = 0; i < n; i++)
    if (reqs[i].req == r)
      return 1;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  pw_bidi_action action = (pw_bidi_action)(data[0] % 4);
  uint8_t facts_kind = data[1];
  const char *p = (const char *)data + 2;
  size_t left = size - 2;

  char *paths[MAX_PATHS];
  pw_bidi_request reqs[MAX_PATHS];
  size_t n = 0;
  while (n < MAX_PATHS) {
    const char *nl = memchr(p, '\n', left);
    size_t len = nl ? (size_t)(nl - p) : left;
    check_supported(p, len);
    paths[n] = malloc(len + 1); /* as a C string: cut at its first NUL */
    if (!paths[n])
      break;
    memcpy(paths[n], p, len);
    paths[n][len] = '\0';
    reqs[n].req = (uint32_t)(n * 7 + 3);
    reqs[n].schema = paths[n];
    n++;
    if (!nl)
      break;
    p = nl + 1;
    left -= len + 1;
  }

  pw_printer_facts f;
  facts_for(facts_kind, paths, n, &f);
  pw_bidi_response *r = NULL;
  int rc = pw_bidi_answer(facts_kind % 4 ? &f : NULL, action, reqs, n, &r);
  check(rc == PW_OK || rc == PW_ENOMEM);
  if (rc == PW_OK) {
    if (action == PW_BIDI_GET || action == PW_BIDI_SET)
      check(r->count == n);
    if (action == PW_BIDI_GET_ALL)
      check(r->count >= n);
    for (size_t i = 0; i < r->count; i++) {
      const pw_bidi_value *v = &r->values[i];
      check_value(v);
      if (action == PW_BIDI_GET || action == PW_BIDI_SET)
        check(v->req == reqs[i].req);
      if (action == PW_BIDI_SET)
        check(v->result == PW_BIDI_SCHEMA_READ_ONLY ||
              v->result == PW_BIDI_SCHEMA_NOT_SUPPORTED);
      if (action == PW_BIDI_GET_ALL)
        check(request_known(reqs, n, v->req));
      if (action == PW_BIDI_ENUM_SCHEMA)
        check(v->type == PW_BIDI_TEXT &&
              pw_bidi_schema_supported(v->text, strlen(v->text), NULL, 0));
    }
    if (action == PW_BIDI_GET && !pw_bidi_needs_facts(action, reqs, n))
      for (size_t i = 0; i < r->count; i++)
        check(r->values[i].result == PW_BIDI_SCHEMA_NOT_SUPPORTED);
    pw_bidi_response_free(r);
  }
  for (size_t i = 0; i < n; i++)
    free(paths[i]);
  return 0;
}
