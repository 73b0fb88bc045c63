/* libFuzzer target: the IPP response decoder (src/core/ipp.h).
 * Invariants checked (abort() on violation):
 *  - a decode that fails leaves a zeroed message; "incomplete" is only
 *    answered below PW_IPP_MAX_HEADER octets;
 *  - a decoded message keeps every limit (attributes, names, values,
 *    header length) and its attributes' value ranges are in bounds;
 *  - re-encoding what was decoded succeeds, and decoding that gives the
 *    same attributes, groups, tags and value octets (collections come back
 *    as empty collections, which is how they were kept), in no more octets;
 *  - the getters never read outside a value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipp.h"
#include "portway/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond) {
  if (!cond)
    abort();
}

static void check_msg(const pw_ipp_msg *m, size_t size) {
  check(m->header_len >= 9 && m->header_len <= size &&
        m->header_len <= PW_IPP_MAX_HEADER);
  check(m->nattrs <= PW_IPP_MAX_ATTRS);
  size_t next = 0;
  for (size_t i = 0; i < m->nattrs; i++) {
    const pw_ipp_attr *a = &m->attrs[i];
    size_t n = strlen(a->name);
    check(n > 0 && n <= PW_IPP_MAX_NAME);
    check(a->group > 0 && a->group < 0x10 && a->group != PW_IPP_TAG_END);
    check(a->count > 0 && a->first == next);
    next = a->first + a->count;
    check(pw_ipp_find(m, a->group, a->name) != NULL);
    for (size_t k = 0; k < a->count; k++) {
      const pw_ipp_value *v = pw_ipp_value_at(m, a, k);
      check(v != NULL && v->len <= PW_IPP_MAX_VALUE && v->tag >= 0x10 &&
            v->data[v->len] == '\0');
      int32_t iv;
      int bv;
      (void)pw_ipp_get_integer(m, a, k, &iv);
      (void)pw_ipp_get_boolean(m, a, k, &bv);
      const char *t = pw_ipp_get_text(m, a, k);
      if (t)
        check(strlen(t) <= v->len);
    }
    check(pw_ipp_value_at(m, a, a->count) == NULL);
  }
  check(next == m->nvalues);
}

static void reencode(const pw_ipp_msg *m, pw_ipp_writer *w) {
  pw_ipp_begin(w, m->version, m->code, 1);
  unsigned group = 0;
  for (size_t i = 0; i < m->nattrs; i++) {
    const pw_ipp_attr *a = &m->attrs[i];
    if (a->group != group) {
      pw_ipp_group(w, a->group);
      group = a->group;
    }
    for (size_t k = 0; k < a->count; k++) {
      const pw_ipp_value *v = &m->values[a->first + k];
      const char *name = k == 0 ? a->name : NULL;
      if (v->tag == PW_IPP_TAG_BEGIN_COLLECTION) {
        pw_ipp_add_raw(w, v->tag, name, NULL, 0);
        pw_ipp_add_raw(w, PW_IPP_TAG_END_COLLECTION, NULL, NULL, 0);
      } else {
        pw_ipp_add_raw(w, v->tag, name, v->data, v->len);
      }
    }
  }
  pw_ipp_end(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pw_ipp_msg m;
  memset(&m, 0x5a, sizeof m);
  int rc = pw_ipp_decode(data, size, &m);
  if (rc != PW_OK) {
    check(rc == PW_EBADDATA || rc == PW_ENOBUFS || rc == PW_ENOMEM);
    check(rc != PW_ENOBUFS || size < PW_IPP_MAX_HEADER);
    check(m.attrs == NULL && m.values == NULL && m.pool_ == NULL &&
          m.nattrs == 0 && m.nvalues == 0);
    return 0;
  }
  check_msg(&m, size);

  pw_ipp_writer w = {0};
  reencode(&m, &w);
  check(pw_ipp_writer_status(&w) == PW_OK);
  pw_ipp_msg again;
  rc = pw_ipp_decode(w.buf.data, w.buf.len, &again);
  /* never longer: empty groups are dropped, collections lose members */
  check(w.buf.len <= m.header_len);
  {
    check(rc == PW_OK);
    check(again.header_len == w.buf.len);
    check(again.version == m.version && again.code == m.code);
    check(again.nattrs == m.nattrs && again.nvalues == m.nvalues);
    for (size_t i = 0; i < m.nattrs; i++) {
      const pw_ipp_attr *a = &m.attrs[i], *b = &again.attrs[i];
      check(a->group == b->group && a->count == b->count &&
            strcmp(a->name, b->name) == 0);
    }
    for (size_t i = 0; i < m.nvalues; i++) {
      const pw_ipp_value *a = &m.values[i], *b = &again.values[i];
      check(a->tag == b->tag && a->len == b->len &&
            memcmp(a->data, b->data, a->len) == 0);
    }
  }
  pw_ipp_msg_free(&again);
  pw_ipp_writer_free(&w);
  pw_ipp_msg_free(&m);
  return 0;
}
