/* portway — IPP message encoding and decoding (see ipp.h).
 *
 * Wire format (RFC 8010 3.1): version-number (2 octets), operation-id or
 * status-code (2), request-id (4), then attribute groups, each a
 * begin-attribute-group-tag (one octet below 0x10) followed by attributes;
 * an attribute is value-tag (1), name-length (2), name, value-length (2),
 * value; an additional value of the same attribute has name-length 0. The
 * header ends with end-of-attributes-tag 0x03; document data follows. All
 * integers are big-endian (network order). */
#include "ipp.h"

#include <stdlib.h>
#include <string.h>

#include "portway/error.h"
#include "portway/utf.h"

/* ---- status codes ------------------------------------------------------ */

typedef struct status_name {
  unsigned code;
  const char *name;
} status_name;

/* RFC 8011 Appendix B.1 (successful, client-error, server-error). */
static const status_name status_names[] = {
    {0x0000, "successful-ok"},
    {0x0001, "successful-ok-ignored-or-substituted-attributes"},
    {0x0002, "successful-ok-conflicting-attributes"},
    {0x0400, "client-error-bad-request"},
    {0x0401, "client-error-forbidden"},
    {0x0402, "client-error-not-authenticated"},
    {0x0403, "client-error-not-authorized"},
    {0x0404, "client-error-not-possible"},
    {0x0405, "client-error-timeout"},
    {0x0406, "client-error-not-found"},
    {0x0407, "client-error-gone"},
    {0x0408, "client-error-request-entity-too-large"},
    {0x0409, "client-error-request-value-too-long"},
    {0x040A, "client-error-document-format-not-supported"},
    {0x040B, "client-error-attributes-or-values-not-supported"},
    {0x040C, "client-error-uri-scheme-not-supported"},
    {0x040D, "client-error-charset-not-supported"},
    {0x040E, "client-error-conflicting-attributes"},
    {0x040F, "client-error-compression-not-supported"},
    {0x0410, "client-error-compression-error"},
    {0x0411, "client-error-document-format-error"},
    {0x0412, "client-error-document-access-error"},
    {0x0500, "server-error-internal-error"},
    {0x0501, "server-error-operation-not-supported"},
    {0x0502, "server-error-service-unavailable"},
    {0x0503, "server-error-version-not-supported"},
    {0x0504, "server-error-device-error"},
    {0x0505, "server-error-temporary-error"},
    {0x0506, "server-error-not-accepting-jobs"},
    {0x0507, "server-error-busy"},
    {0x0508, "server-error-job-canceled"},
    {0x0509, "server-error-multiple-document-jobs-not-supported"},
};

const char *pw_ipp_status_name(unsigned status) {
  for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++) {
    if (status_names[i].code == status)
      return status_names[i].name;
  }
  return NULL;
}

int pw_ipp_status_is_success(unsigned status) {
  return status <= 0x00FFu;
}

int pw_ipp_status_is_client_error(unsigned status) {
  return status >= 0x0400u && status <= 0x04FFu;
}

int pw_ipp_status_is_retryable(unsigned status) {
  return status == PW_IPP_STATUS_SERVER_ERROR_SERVICE_UNAVAILABLE ||
         status == PW_IPP_STATUS_SERVER_ERROR_TEMPORARY ||
         status == PW_IPP_STATUS_SERVER_ERROR_BUSY;
}

/* ---- writer ------------------------------------------------------------ */

static void put(pw_ipp_writer *w, const void *p, size_t n) {
  if (w->err)
    return;
  pw_textbuf_add(&w->buf, (const char *)p, n);
  if (w->buf.failed)
    w->err = PW_ENOMEM;
}

static void put16(pw_ipp_writer *w, unsigned v) {
  unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
  put(w, b, 2);
}

static void put32(pw_ipp_writer *w, uint32_t v) {
  unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 8), (unsigned char)v};
  put(w, b, 4);
}

static void fail(pw_ipp_writer *w, int err) {
  if (!w->err)
    w->err = err;
}

void pw_ipp_begin(pw_ipp_writer *w, unsigned version, unsigned op,
                  int32_t request_id) {
  if (version > 0xFFFFu || op > 0xFFFFu || request_id < 1) {
    fail(w, PW_EINVAL);
    return;
  }
  put16(w, version);
  put16(w, op);
  put32(w, (uint32_t)request_id);
}

void pw_ipp_group(pw_ipp_writer *w, unsigned group_tag) {
  if (group_tag == 0 || group_tag == PW_IPP_TAG_END || group_tag >= 0x10u) {
    fail(w, PW_EINVAL);
    return;
  }
  unsigned char t = (unsigned char)group_tag;
  put(w, &t, 1);
}

void pw_ipp_add_raw(pw_ipp_writer *w, unsigned tag, const char *name,
                    const void *value, size_t len) {
  size_t nlen = name ? strlen(name) : 0;
  if (tag < 0x10u || tag > 0xFFu || nlen > PW_IPP_MAX_NAME ||
      len > PW_IPP_MAX_VALUE || (len > 0 && !value)) {
    fail(w, PW_EINVAL);
    return;
  }
  unsigned char t = (unsigned char)tag;
  put(w, &t, 1);
  put16(w, (unsigned)nlen);
  if (nlen)
    put(w, name, nlen);
  put16(w, (unsigned)len);
  if (len)
    put(w, value, len);
}

static int is_string_tag(unsigned tag) {
  return tag >= PW_IPP_TAG_TEXT && tag <= PW_IPP_TAG_MIMETYPE &&
         tag != 0x43u; /* 0x43 is reserved */
}

void pw_ipp_add_string(pw_ipp_writer *w, unsigned tag, const char *name,
                       const char *value) {
  if (!is_string_tag(tag) || !value) {
    fail(w, PW_EINVAL);
    return;
  }
  pw_ipp_add_raw(w, tag, name, value, strlen(value));
}

void pw_ipp_add_strings(pw_ipp_writer *w, unsigned tag, const char *name,
                        const char *const *values, size_t n) {
  if (n == 0 || !values) {
    fail(w, PW_EINVAL);
    return;
  }
  for (size_t i = 0; i < n; i++)
    pw_ipp_add_string(w, tag, i == 0 ? name : NULL, values[i]);
}

void pw_ipp_add_integer(pw_ipp_writer *w, unsigned tag, const char *name,
                        int32_t value) {
  if (tag != PW_IPP_TAG_INTEGER && tag != PW_IPP_TAG_ENUM) {
    fail(w, PW_EINVAL);
    return;
  }
  uint32_t u = (uint32_t)value;
  unsigned char b[4] = {(unsigned char)(u >> 24), (unsigned char)(u >> 16),
                        (unsigned char)(u >> 8), (unsigned char)u};
  pw_ipp_add_raw(w, tag, name, b, 4);
}

void pw_ipp_add_boolean(pw_ipp_writer *w, const char *name, int value) {
  unsigned char b = value ? 1 : 0;
  pw_ipp_add_raw(w, PW_IPP_TAG_BOOLEAN, name, &b, 1);
}

void pw_ipp_end(pw_ipp_writer *w) {
  unsigned char t = PW_IPP_TAG_END;
  put(w, &t, 1);
}

int pw_ipp_writer_status(const pw_ipp_writer *w) {
  return w->err;
}

void pw_ipp_writer_free(pw_ipp_writer *w) {
  pw_textbuf_free(&w->buf);
  w->err = PW_OK;
}

/* ---- request builders -------------------------------------------------- */

#define NAME_MAX_OCTETS 255u /* name(MAX), RFC 8011 5.1.3 */

/* s cut to at most 255 octets without splitting a UTF-8 sequence. */
static void add_name(pw_ipp_writer *w, const char *attr, const char *s) {
  char cut[NAME_MAX_OCTETS + 1];
  size_t n = strlen(s);
  if (n > NAME_MAX_OCTETS) {
    n = NAME_MAX_OCTETS;
    while (n > 0 && ((unsigned char)s[n] & 0xC0u) == 0x80u)
      n--; /* s[n] continues a character: drop that whole character */
  }
  memcpy(cut, s, n);
  cut[n] = '\0';
  pw_ipp_add_string(w, PW_IPP_TAG_NAME, attr, cut);
}

static int check_attrs(const pw_ipp_request_attrs *a) {
  if (!a || !a->printer_uri || !a->printer_uri[0] ||
      !pw_utf8_valid(a->printer_uri))
    return PW_EINVAL;
  const char *opt[] = {a->user, a->job_name, a->document_format};
  for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++) {
    if (opt[i] && !pw_utf8_valid(opt[i]))
      return PW_EINVAL;
  }
  for (size_t i = 0; i < a->nrequested; i++) {
    if (!a->requested || !a->requested[i] || !a->requested[i][0])
      return PW_EINVAL;
  }
  return PW_OK;
}

static void op_prologue(pw_ipp_writer *w, unsigned version, unsigned op,
                        int32_t request_id, const pw_ipp_request_attrs *a) {
  pw_ipp_begin(w, version, op, request_id);
  pw_ipp_group(w, PW_IPP_TAG_OPERATION);
  /* RFC 8011 4.1.4: these two come first, in this order */
  pw_ipp_add_string(w, PW_IPP_TAG_CHARSET, "attributes-charset", "utf-8");
  pw_ipp_add_string(w, PW_IPP_TAG_LANGUAGE, "attributes-natural-language",
                    "en");
  pw_ipp_add_string(w, PW_IPP_TAG_URI, "printer-uri", a->printer_uri);
  /* RFC 8011 4.3.1: a job's target is printer-uri plus job-id */
  if (op == PW_IPP_OP_SEND_DOCUMENT || op == PW_IPP_OP_CANCEL_JOB)
    pw_ipp_add_integer(w, PW_IPP_TAG_INTEGER, "job-id", a->job_id);
  if (a->user && a->user[0])
    add_name(w, "requesting-user-name", a->user);
}

/* Print-Job, Create-Job, Send-Document, Cancel-Job: their operation
 * attributes in RFC 8011's order. */
static int build_job_request(pw_ipp_writer *w, unsigned version, unsigned op,
                             int32_t request_id,
                             const pw_ipp_request_attrs *a) {
  int rc = check_attrs(a);
  if (rc == PW_OK &&
      (op == PW_IPP_OP_SEND_DOCUMENT || op == PW_IPP_OP_CANCEL_JOB) &&
      a->job_id <= 0)
    rc = PW_EINVAL;
  if (rc != PW_OK) {
    fail(w, rc);
    return w->err;
  }
  op_prologue(w, version, op, request_id, a);
  if ((op == PW_IPP_OP_PRINT_JOB || op == PW_IPP_OP_CREATE_JOB) &&
      a->job_name && a->job_name[0])
    add_name(w, "job-name", a->job_name);
  if ((op == PW_IPP_OP_PRINT_JOB || op == PW_IPP_OP_SEND_DOCUMENT) &&
      a->document_format && a->document_format[0])
    pw_ipp_add_string(w, PW_IPP_TAG_MIMETYPE, "document-format",
                      a->document_format);
  if (op == PW_IPP_OP_SEND_DOCUMENT)
    pw_ipp_add_boolean(w, "last-document", 1);
  pw_ipp_end(w);
  return w->err;
}

int pw_ipp_build_print_job(pw_ipp_writer *w, unsigned version,
                           int32_t request_id, const pw_ipp_request_attrs *a) {
  return build_job_request(w, version, PW_IPP_OP_PRINT_JOB, request_id, a);
}

int pw_ipp_build_create_job(pw_ipp_writer *w, unsigned version,
                            int32_t request_id, const pw_ipp_request_attrs *a) {
  return build_job_request(w, version, PW_IPP_OP_CREATE_JOB, request_id, a);
}

int pw_ipp_build_send_document(pw_ipp_writer *w, unsigned version,
                               int32_t request_id,
                               const pw_ipp_request_attrs *a) {
  return build_job_request(w, version, PW_IPP_OP_SEND_DOCUMENT, request_id, a);
}

int pw_ipp_build_cancel_job(pw_ipp_writer *w, unsigned version,
                            int32_t request_id, const pw_ipp_request_attrs *a) {
  return build_job_request(w, version, PW_IPP_OP_CANCEL_JOB, request_id, a);
}

int pw_ipp_build_get_printer_attributes(pw_ipp_writer *w, unsigned version,
                                        int32_t request_id,
                                        const pw_ipp_request_attrs *a) {
  int rc = check_attrs(a);
  if (rc != PW_OK) {
    fail(w, rc);
    return w->err;
  }
  op_prologue(w, version, PW_IPP_OP_GET_PRINTER_ATTRIBUTES, request_id, a);
  if (a->nrequested)
    pw_ipp_add_strings(w, PW_IPP_TAG_KEYWORD, "requested-attributes",
                       a->requested, a->nrequested);
  if (a->document_format && a->document_format[0])
    pw_ipp_add_string(w, PW_IPP_TAG_MIMETYPE, "document-format",
                      a->document_format);
  pw_ipp_end(w);
  return w->err;
}

/* ---- decoder ----------------------------------------------------------- */

static unsigned get16(const uint8_t *p) {
  return (unsigned)p[0] << 8 | p[1];
}

void pw_ipp_msg_free(pw_ipp_msg *m) {
  free(m->attrs);
  free(m->values);
  free(m->pool_);
  memset(m, 0, sizeof *m);
}

/* Grow *arr (of *cap elements of size sz) to hold one more than used. */
static int grow(void **arr, size_t *cap, size_t used, size_t sz) {
  if (used < *cap)
    return PW_OK;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *p = realloc(*arr, ncap * sz);
  if (!p)
    return PW_ENOMEM;
  *arr = p;
  *cap = ncap;
  return PW_OK;
}

/* Fixed lengths of the syntaxes the getters read (RFC 8010 3.9). */
static int value_ok(unsigned tag, const uint8_t *v, size_t len) {
  switch (tag) {
  case PW_IPP_TAG_INTEGER:
  case PW_IPP_TAG_ENUM:
    return len == 4;
  case PW_IPP_TAG_BOOLEAN:
    return len == 1 && v[0] <= 1;
  default:
    return 1;
  }
}

/* Attribute names are keywords (RFC 8011 5.1.4: US-ASCII letters, digits,
 * '-', '_', '.'); only control octets (NUL included: names are handed out
 * as C strings) are refused here, so a vendor's odd name still reads. */
static int name_ok(const uint8_t *name, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (name[i] < 0x20u || name[i] == 0x7Fu)
      return 0;
  }
  return 1;
}

int pw_ipp_decode(const void *data, size_t len, pw_ipp_msg *m) {
  memset(m, 0, sizeof *m);
  const uint8_t *p = data;
  size_t n = len < PW_IPP_MAX_HEADER ? len : PW_IPP_MAX_HEADER;
  int incomplete = len < PW_IPP_MAX_HEADER ? PW_ENOBUFS : PW_EBADDATA;
  if (!data || n < 8)
    return data ? incomplete : PW_EINVAL;

  /* Every stored name or value takes its length plus a NUL from the pool,
   * and at least 5 header octets more than that from the input, so n + 1
   * octets always suffice: the pool is sized by bytes present, never by a
   * length the peer claims. */
  char *pool = malloc(n + 1);
  if (!pool)
    return PW_ENOMEM;
  m->pool_ = pool;
  size_t pool_used = 0, attr_cap = 0, value_cap = 0;
  m->version = get16(p);
  m->code = get16(p + 2);
  m->request_id = (int32_t)((uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
                            (uint32_t)p[6] << 8 | (uint32_t)p[7]);

  size_t pos = 8;
  unsigned group = 0;  /* current group, 0 before the first group tag */
  int attr_open = 0;   /* an attribute of this group may take more values */
  unsigned depth = 0;  /* nesting inside a collection being skipped */
  int rc = incomplete; /* what running out of bytes means */
  while (pos < n) {
    unsigned tag = p[pos];
    if (tag < 0x10u) { /* delimiter tag */
      pos++;
      if (depth > 0 || tag == 0) {
        rc = PW_EBADDATA;
        goto out;
      }
      if (tag == PW_IPP_TAG_END) {
        m->header_len = pos;
        return PW_OK;
      }
      /* RFC 8010 3.5.1: 0x06-0x0F are groups of later specifications
       * (subscription, event-notification, document, ...) or reserved;
       * their attributes are framed the same way, so they are kept as
       * groups of that tag rather than refused. */
      group = tag;
      attr_open = 0;
      continue;
    }
    if (n - pos < 3)
      goto out;
    size_t nlen = get16(p + pos + 1);
    if (nlen > PW_IPP_MAX_NAME) {
      rc = PW_EBADDATA;
      goto out;
    }
    if (n - pos - 3 < nlen + 2)
      goto out;
    const uint8_t *name = p + pos + 3;
    size_t vlen = get16(name + nlen);
    if (vlen > PW_IPP_MAX_VALUE) {
      rc = PW_EBADDATA;
      goto out;
    }
    if (n - pos - 5 - nlen < vlen)
      goto out;
    const uint8_t *val = name + nlen + 2;
    pos += 5 + nlen + vlen;

    if (depth > 0) {
      /* inside a collection (RFC 8010 3.1.6): memberAttrName, member
       * values, nested collections, endCollection; all with name-length 0 */
      if (nlen != 0) {
        rc = PW_EBADDATA;
        goto out;
      }
      if (tag == PW_IPP_TAG_BEGIN_COLLECTION) {
        if (++depth > PW_IPP_MAX_DEPTH) {
          rc = PW_EBADDATA;
          goto out;
        }
      } else if (tag == PW_IPP_TAG_END_COLLECTION) {
        depth--;
      }
      continue;
    }
    if (group == 0 || !name_ok(name, nlen) ||
        tag == PW_IPP_TAG_END_COLLECTION || tag == PW_IPP_TAG_MEMBERNAME ||
        !value_ok(tag, val, vlen) || (nlen == 0 && !attr_open)) {
      rc = PW_EBADDATA;
      goto out;
    }
    if (nlen > 0) {
      if (m->nattrs >= PW_IPP_MAX_ATTRS) {
        rc = PW_EBADDATA;
        goto out;
      }
      if (grow((void **)&m->attrs, &attr_cap, m->nattrs, sizeof *m->attrs)) {
        rc = PW_ENOMEM;
        goto out;
      }
      pw_ipp_attr *a = &m->attrs[m->nattrs++];
      memcpy(pool + pool_used, name, nlen);
      pool[pool_used + nlen] = '\0';
      a->group = group;
      a->name = pool + pool_used;
      a->first = m->nvalues;
      a->count = 0;
      pool_used += nlen + 1;
      attr_open = 1;
    }
    if (grow((void **)&m->values, &value_cap, m->nvalues, sizeof *m->values)) {
      rc = PW_ENOMEM;
      goto out;
    }
    pw_ipp_value *v = &m->values[m->nvalues++];
    m->attrs[m->nattrs - 1].count++;
    v->tag = tag;
    if (tag == PW_IPP_TAG_BEGIN_COLLECTION) {
      vlen = 0; /* its own value is empty by definition; members skipped */
      depth = 1;
    }
    memcpy(pool + pool_used, val, vlen);
    pool[pool_used + vlen] = '\0';
    v->data = (const uint8_t *)pool + pool_used;
    v->len = vlen;
    pool_used += vlen + 1;
  }
out:
  pw_ipp_msg_free(m);
  return rc;
}

/* ---- getters ----------------------------------------------------------- */

const pw_ipp_attr *pw_ipp_find(const pw_ipp_msg *m, unsigned group,
                               const char *name) {
  for (size_t i = 0; i < m->nattrs; i++) {
    const pw_ipp_attr *a = &m->attrs[i];
    if ((group == 0 || a->group == group) && strcmp(a->name, name) == 0)
      return a;
  }
  return NULL;
}

const pw_ipp_value *pw_ipp_value_at(const pw_ipp_msg *m, const pw_ipp_attr *a,
                                    size_t i) {
  if (!a || i >= a->count)
    return NULL;
  return &m->values[a->first + i];
}

int pw_ipp_get_integer(const pw_ipp_msg *m, const pw_ipp_attr *a, size_t i,
                       int32_t *out) {
  const pw_ipp_value *v = pw_ipp_value_at(m, a, i);
  if (!v)
    return PW_ENOENT;
  if ((v->tag != PW_IPP_TAG_INTEGER && v->tag != PW_IPP_TAG_ENUM) ||
      v->len != 4)
    return PW_EBADDATA;
  const uint8_t *d = v->data;
  *out = (int32_t)((uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
                   (uint32_t)d[2] << 8 | (uint32_t)d[3]);
  return PW_OK;
}

int pw_ipp_get_boolean(const pw_ipp_msg *m, const pw_ipp_attr *a, size_t i,
                       int *out) {
  const pw_ipp_value *v = pw_ipp_value_at(m, a, i);
  if (!v)
    return PW_ENOENT;
  if (v->tag != PW_IPP_TAG_BOOLEAN || v->len != 1 || v->data[0] > 1)
    return PW_EBADDATA;
  *out = v->data[0];
  return PW_OK;
}

const char *pw_ipp_get_text(const pw_ipp_msg *m, const pw_ipp_attr *a,
                            size_t i) {
  const pw_ipp_value *v = pw_ipp_value_at(m, a, i);
  if (!v)
    return NULL;
  if (is_string_tag(v->tag))
    return (const char *)v->data;
  if (v->tag == PW_IPP_TAG_TEXT_LANG || v->tag == PW_IPP_TAG_NAME_LANG) {
    /* RFC 8010 3.9: a SIGNED-SHORT language length, the language, a
     * SIGNED-SHORT text length, the text; the lengths must add up. */
    if (v->len < 4)
      return NULL;
    size_t llen = get16(v->data);
    if (llen > v->len - 4)
      return NULL;
    size_t tlen = get16(v->data + 2 + llen);
    if (4 + llen + tlen != v->len)
      return NULL;
    return (const char *)v->data + 4 + llen; /* the pool's NUL ends it */
  }
  return NULL;
}
