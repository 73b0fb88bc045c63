/* portway — HTTP/1.1 client framing (see http1.h). References are to
 * RFC 9112 (message syntax) and RFC 9110 (semantics). */
#include "http1.h"

#include <string.h>

#include "ascii.h"
#include "portway/error.h"

/* ---- writing ----------------------------------------------------------- */

/* Visible ASCII only (0x21..0x7E), plus SP if allow_space. */
static int plain(const char *s, int allow_space) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (!((c > 0x20 && c < 0x7F) || (allow_space && c == ' ')))
      return 0;
  }
  return 1;
}

int pw_http1_write_post_head(pw_textbuf *b, const char *path, const char *host,
                             const char *content_type, unsigned flags) {
  if (!content_type)
    content_type = "application/ipp";
  /* the path must already be percent-encoded (RFC 9112 3.2: origin-form) */
  if (!path || path[0] != '/' || !plain(path, 0) || !host || !host[0] ||
      !plain(host, 0) || !content_type[0] || !plain(content_type, 1))
    return PW_EINVAL;
  pw_textbuf_adds(b, "POST ");
  pw_textbuf_adds(b, path);
  pw_textbuf_adds(b, " HTTP/1.1\r\nHost: ");
  pw_textbuf_adds(b, host);
  pw_textbuf_adds(b, "\r\nContent-Type: ");
  pw_textbuf_adds(b, content_type);
  pw_textbuf_adds(b, "\r\nTransfer-Encoding: chunked\r\n");
  if (flags & PW_HTTP1_EXPECT_CONTINUE)
    pw_textbuf_adds(b, "Expect: 100-continue\r\n");
  pw_textbuf_adds(b, "\r\n");
  return b->failed ? PW_ENOMEM : PW_OK;
}

size_t pw_http1_chunk_head(char out[PW_HTTP1_CHUNK_HEAD_MAX], size_t n) {
  static const char hex[] = "0123456789abcdef";
  char tmp[16];
  size_t k = 0;
  do {
    tmp[k++] = hex[n & 0xFu];
    n >>= 4;
  } while (n && k < sizeof tmp);
  size_t len = 0;
  while (k)
    out[len++] = tmp[--k];
  out[len++] = '\r';
  out[len++] = '\n';
  out[len] = '\0';
  return len;
}

void pw_http1_add_chunk(pw_textbuf *b, const void *data, size_t n) {
  if (n == 0)
    return;
  char head[PW_HTTP1_CHUNK_HEAD_MAX];
  size_t hl = pw_http1_chunk_head(head, n);
  pw_textbuf_add(b, head, hl);
  pw_textbuf_add(b, (const char *)data, n);
  pw_textbuf_add(b, "\r\n", 2);
}

/* ---- parsing ----------------------------------------------------------- */

enum {
  /* sub-states of PW_HTTP1_HEAD */
  H_STATUS,
  H_FIELDS,  /* of the final response */
  H_INTERIM, /* of a 1xx response: checked, not reported */
  /* sub-states of PW_HTTP1_BODY */
  B_LENGTH,
  B_CLOSE,
  B_CHUNK_SIZE,
  B_CHUNK_DATA,
  B_CHUNK_END,
  B_TRAILER,
};

void pw_http1_parser_init(pw_http1_parser *p, pw_http1_body_fn on_body,
                          pw_http1_header_fn on_header, void *ctx) {
  memset(p, 0, sizeof *p);
  p->state = PW_HTTP1_HEAD;
  p->sub_ = H_STATUS;
  p->on_body = on_body;
  p->on_header = on_header;
  p->ctx = ctx;
}

static int fail(pw_http1_parser *p, int err) {
  p->state = PW_HTTP1_ERROR;
  p->err = err;
  return err;
}

/* tchar, RFC 9110 5.6.2 */
static int is_tchar(char c) {
  return pw_ascii_is_alpha(c) || pw_ascii_is_digit(c) ||
         (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int is_ows(char c) {
  return c == ' ' || c == '\t';
}

/* Value bytes: HTAB, SP, VCHAR, obs-text (RFC 9110 5.5). */
static int field_text_ok(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (pw_ascii_is_control(s[i]) && s[i] != '\t')
      return 0;
  }
  return 1;
}

static int status_line(pw_http1_parser *p, const char *l, size_t n) {
  /* HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 4); a
   * missing SP after the code is accepted (seen from real servers). */
  if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || !pw_ascii_is_digit(l[7]) ||
      l[8] != ' ' || !pw_ascii_is_digit(l[9]) || !pw_ascii_is_digit(l[10]) ||
      !pw_ascii_is_digit(l[11]) || (n > 12 && l[12] != ' '))
    return PW_EPROTO;
  int status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
  if (status < 100 || status > 599 || status == 101) /* never asked to */
    return PW_EPROTO;                                /* switch protocols */
  const char *reason = n > 12 ? l + 13 : l + n;
  size_t rlen = n > 12 ? n - 13 : 0;
  if (!field_text_ok(reason, rlen))
    return PW_EPROTO;
  p->minor = l[7] - '0';
  p->status = status;
  if (rlen >= sizeof p->reason)
    rlen = sizeof p->reason - 1;
  memcpy(p->reason, reason, rlen);
  p->reason[rlen] = '\0';
  if (status < 200) {
    if (++p->interim > PW_HTTP1_MAX_INTERIM)
      return PW_EPROTO;
    p->sub_ = H_INTERIM;
  } else {
    p->sub_ = H_FIELDS;
  }
  return PW_OK;
}

/* Content-Length = 1*DIGIT, at most 2^63-1 here. */
static int parse_length(const char *v, uint64_t *out) {
  uint64_t x = 0;
  if (!*v)
    return 0;
  for (; *v; v++) {
    if (!pw_ascii_is_digit(*v) || x > (UINT64_MAX / 2 - 9) / 10)
      return 0;
    x = x * 10 + (uint64_t)(*v - '0');
  }
  *out = x;
  return 1;
}

/* Does the comma-separated list v contain token t (case-insensitive)? */
static int has_token(const char *v, const char *t) {
  while (*v) {
    while (*v == ',' || is_ows(*v))
      v++;
    size_t n = 0;
    while (v[n] && v[n] != ',' && !is_ows(v[n]))
      n++;
    if (n && pw_ascii_ieq_n(v, n, t))
      return 1;
    v += n;
  }
  return 0;
}

/* One field line, NUL-terminated in l (modified in place). */
static int field_line(pw_http1_parser *p, char *l, size_t n, int report) {
  if (is_ows(l[0])) /* obs-fold (RFC 9112 5.2): refused */
    return PW_EPROTO;
  if (++p->fields_ > PW_HTTP1_MAX_HEADERS)
    return PW_EPROTO;
  size_t k = 0;
  while (k < n && is_tchar(l[k]))
    k++;
  /* no whitespace between name and colon (RFC 9112 5.1) */
  if (k == 0 || k == n || l[k] != ':')
    return PW_EPROTO;
  l[k] = '\0';
  char *v = l + k + 1;
  size_t vn = n - k - 1;
  while (vn && is_ows(*v))
    v++, vn--;
  while (vn && is_ows(v[vn - 1]))
    vn--;
  v[vn] = '\0';
  if (!field_text_ok(v, vn))
    return PW_EPROTO;
  if (!report)
    return PW_OK;
  if (pw_ascii_ieq(l, "content-length")) {
    uint64_t len;
    if (!parse_length(v, &len) || (p->has_len_ && len != p->remaining_))
      return PW_EPROTO;
    p->has_len_ = 1;
    p->remaining_ = len;
  } else if (pw_ascii_ieq(l, "transfer-encoding")) {
    /* Only "chunked" is ever right for us: we send no TE, so a compressed
     * body would be bytes we cannot decode (RFC 9112 6.1). */
    if (p->has_te_ || !pw_ascii_ieq(v, "chunked"))
      return PW_EPROTO;
    p->has_te_ = 1;
  } else if (pw_ascii_ieq(l, "connection")) {
    if (has_token(v, "close"))
      p->close_ = 1;
    if (has_token(v, "keep-alive"))
      p->keep_alive = 1; /* counts for HTTP/1.0 only, see end_of_head */
  }
  if (p->on_header) {
    int rc = p->on_header(p->ctx, l, v);
    if (rc)
      return rc;
  }
  return PW_OK;
}

/* The empty line after a head: decide the body's framing (RFC 9112 6.3). */
static int end_of_head(pw_http1_parser *p) {
  if (p->sub_ == H_INTERIM) { /* a 1xx: the final response follows */
    p->sub_ = H_STATUS;
    p->fields_ = 0;
    p->head_bytes_ = 0;
    return PW_OK;
  }
  int keep = p->minor >= 1 ? !p->close_ : (p->keep_alive && !p->close_);
  p->state = PW_HTTP1_BODY;
  p->head_bytes_ = 0;
  p->fields_ = 0;
  if (p->status == 204 || p->status == 304) {
    p->state = PW_HTTP1_DONE; /* never a body, whatever the fields say */
  } else if (p->has_te_) {
    if (p->minor == 0) /* RFC 9112 6.1: TE in 1.0 means faulty framing */
      return PW_EPROTO;
    if (p->has_len_)
      keep = 0; /* TE overrides CL; the connection is not reused */
    p->sub_ = B_CHUNK_SIZE;
  } else if (p->has_len_) {
    p->sub_ = B_LENGTH;
    if (p->remaining_ == 0)
      p->state = PW_HTTP1_DONE;
  } else {
    p->sub_ = B_CLOSE;
    keep = 0;
  }
  p->keep_alive = keep;
  return PW_OK;
}

static int chunk_size_line(pw_http1_parser *p, const char *l, size_t n) {
  uint64_t x = 0;
  size_t k = 0;
  for (; k < n; k++) {
    char c = l[k];
    unsigned d;
    if (pw_ascii_is_digit(c))
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      break;
    if (x > (UINT64_MAX >> 4)) /* the size would overflow */
      return PW_EPROTO;
    x = x << 4 | d;
  }
  if (k == 0)
    return PW_EPROTO;
  /* chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ): ignored */
  while (k < n && is_ows(l[k]))
    k++;
  if (k < n && l[k] != ';')
    return PW_EPROTO;
  if (x == 0) {
    p->sub_ = B_TRAILER;
    p->head_bytes_ = 0;
    p->fields_ = 0;
  } else {
    p->sub_ = B_CHUNK_DATA;
    p->remaining_ = x;
  }
  return PW_OK;
}

/* A complete line (terminator removed) in the current sub-state. */
static int line(pw_http1_parser *p) {
  char *l = p->line_;
  size_t n = p->line_len_;
  p->line_len_ = 0;
  /* a bare CR or a NUL inside a line is invalid (RFC 9112 2.2) */
  if (memchr(l, '\r', n) || memchr(l, '\0', n))
    return PW_EPROTO;
  l[n] = '\0';
  switch (p->sub_) {
  case H_STATUS:
    return status_line(p, l, n);
  case H_FIELDS:
  case H_INTERIM:
    return n == 0 ? end_of_head(p) : field_line(p, l, n, p->sub_ == H_FIELDS);
  case B_CHUNK_SIZE:
    return chunk_size_line(p, l, n);
  case B_CHUNK_END:
    if (n != 0)
      return PW_EPROTO;
    p->sub_ = B_CHUNK_SIZE;
    return PW_OK;
  case B_TRAILER:
    if (n == 0) {
      p->state = PW_HTTP1_DONE;
      return PW_OK;
    }
    return field_line(p, l, n, 0); /* checked, then ignored */
  default:
    return PW_EPROTO;
  }
}

/* Gather line bytes from d[0..n); *took is what was consumed. Returns 1
 * when a line is complete, 0 if more is needed, or an error. */
static int gather(pw_http1_parser *p, const char *d, size_t n, size_t *took) {
  const char *nl = memchr(d, '\n', n);
  size_t k = nl ? (size_t)(nl - d) + 1 : n;
  *took = k;
  int counted = p->state == PW_HTTP1_HEAD || p->sub_ == B_TRAILER;
  if (counted) {
    p->head_bytes_ += k;
    if (p->head_bytes_ > PW_HTTP1_MAX_HEAD)
      return PW_EPROTO;
  }
  size_t body = nl ? k - 1 : k; /* without the LF */
  if (body > PW_HTTP1_MAX_LINE - 1 - p->line_len_)
    return PW_EPROTO;
  memcpy(p->line_ + p->line_len_, d, body);
  p->line_len_ += body;
  if (!nl)
    return 0;
  /* CRLF, or a lone LF (RFC 9112 2.2 lets a recipient accept it) */
  if (p->line_len_ && p->line_[p->line_len_ - 1] == '\r')
    p->line_len_--;
  return 1;
}

static int body(pw_http1_parser *p, const uint8_t *d, size_t n) {
  p->body_bytes += n;
  if (!p->on_body || n == 0)
    return PW_OK;
  return p->on_body(p->ctx, d, n);
}

int pw_http1_feed(pw_http1_parser *p, const void *data, size_t n,
                  size_t *used) {
  const uint8_t *d = data;
  size_t i = 0;
  int rc = PW_OK;
  while (i < n && rc == PW_OK) {
    if (p->state == PW_HTTP1_DONE || p->state == PW_HTTP1_ERROR)
      break;
    size_t avail = n - i, k;
    if (p->state == PW_HTTP1_BODY && p->sub_ == B_CLOSE) {
      k = avail;
      rc = body(p, d + i, k);
    } else if (p->state == PW_HTTP1_BODY &&
               (p->sub_ == B_LENGTH || p->sub_ == B_CHUNK_DATA)) {
      k = avail < p->remaining_ ? avail : (size_t)p->remaining_;
      p->remaining_ -= k;
      rc = body(p, d + i, k);
      if (p->remaining_ == 0) {
        if (p->sub_ == B_LENGTH)
          p->state = PW_HTTP1_DONE;
        else
          p->sub_ = B_CHUNK_END;
      }
    } else {
      rc = gather(p, (const char *)d + i, avail, &k);
      if (rc == 1)
        rc = line(p);
    }
    i += k;
  }
  if (used)
    *used = i;
  if (rc != PW_OK)
    return fail(p, rc);
  return p->state == PW_HTTP1_ERROR ? p->err : PW_OK;
}

int pw_http1_finish(pw_http1_parser *p) {
  if (p->state == PW_HTTP1_ERROR)
    return p->err;
  if (p->state == PW_HTTP1_BODY && p->sub_ == B_CLOSE)
    p->state = PW_HTTP1_DONE;
  if (p->state != PW_HTTP1_DONE)
    return fail(p, PW_EPROTO); /* cut short */
  return PW_OK;
}
