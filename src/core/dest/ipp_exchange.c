/* portway — one IPP exchange over HTTP/1.1 (see ipp_exchange.h). */
#include "core/dest/ipp_exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/errbuf.h"
#include "core/ipp.h"
#include "core/strutil.h"
#include "core/textbuf.h"
#include "portway/error.h"

/* A response body is read whole (so the connection can be reused) but only
 * its IPP header is kept; a printer that sends more than this is cut off. */
#define IPPX_MAX_BODY ((uint64_t)4 * 1024 * 1024)

/* Percent-encode the octets >= 0x80 that pw_textbuf_add_uri_encoded
 * keeps. 0 when out of memory. */
static int ascii_only(pw_textbuf *b) {
  pw_textbuf out = {0};
  for (size_t i = 0; i < b->len; i++) {
    unsigned char c = (unsigned char)b->data[i];
    if (c < 0x80) {
      pw_textbuf_addc(&out, (char)c);
    } else {
      char hex[4];
      snprintf(hex, sizeof hex, "%%%02X", c);
      pw_textbuf_adds(&out, hex);
    }
  }
  if (out.failed || !out.data) {
    pw_textbuf_free(&out);
    return 0;
  }
  pw_textbuf_free(b);
  *b = out;
  return 1;
}

int pw_ippx_target_init(pw_ippx_target *t, int tls, const char *host, int port,
                        const char *resource) {
  memset(t, 0, sizeof *t);
  pw_textbuf uri = {0}, hosthdr = {0}, path = {0};
  int rc = pw_config_add_authority(&uri, tls ? "ipps" : "ipp", host, port);
  pw_textbuf_add_uri_encoded(&uri, resource);
  /* The request-target is ASCII (RFC 9112 3.2): UTF-8 octets encoded too. */
  pw_textbuf_add_uri_encoded(&path, resource);
  if (!path.failed && path.data)
    rc = ascii_only(&path) ? rc : PW_ENOMEM;
  /* "scheme://" is 6 or 7 octets: the Host header is what follows it */
  if (rc == PW_OK && !uri.failed) {
    const char *auth = strstr(uri.data, "://") + 3;
    const char *end = strchr(auth, '/');
    pw_textbuf_add(&hosthdr, auth, end ? (size_t)(end - auth) : strlen(auth));
  }
  if (rc == PW_OK && (uri.failed || path.failed || hosthdr.failed))
    rc = PW_ENOMEM;
  if (rc == PW_OK)
    rc = pw_textbuf_take(&uri, &t->printer_uri);
  if (rc == PW_OK)
    rc = pw_textbuf_take(&hosthdr, &t->host);
  if (rc == PW_OK)
    rc = pw_textbuf_take(&path, &t->path);
  pw_textbuf_free(&uri);
  pw_textbuf_free(&hosthdr);
  pw_textbuf_free(&path);
  if (rc != PW_OK)
    pw_ippx_target_free(t);
  return rc;
}

void pw_ippx_target_free(pw_ippx_target *t) {
  free(t->path);
  free(t->host);
  free(t->printer_uri);
  memset(t, 0, sizeof *t);
}

static int send_all(pw_netconn *c, const void *p, size_t n, uint32_t ms,
                    size_t *sent) {
  size_t got = 0;
  int rc = pw_netconn_send(c, p, n, ms, &got);
  if (sent)
    *sent += got;
  return rc;
}

int pw_ippx_send_head(pw_netconn *c, const pw_ippx_target *t, const void *ipp,
                      size_t ipp_len, uint32_t timeout_ms, size_t *sent) {
  pw_textbuf b = {0};
  int rc = pw_http1_write_post_head(&b, t->path, t->host, "application/ipp", 0);
  if (rc == PW_OK) {
    pw_http1_add_chunk(&b, ipp, ipp_len);
    rc = b.failed ? PW_ENOMEM : send_all(c, b.data, b.len, timeout_ms, sent);
  }
  pw_textbuf_free(&b);
  return rc;
}

int pw_ippx_send_request(pw_netconn *c, const pw_ippx_target *t,
                         const void *ipp, size_t ipp_len, uint32_t timeout_ms) {
  pw_textbuf b = {0};
  int rc = pw_http1_write_post_head(&b, t->path, t->host, "application/ipp", 0);
  if (rc == PW_OK) {
    pw_http1_add_chunk(&b, ipp, ipp_len);
    pw_textbuf_adds(&b, PW_HTTP1_LAST_CHUNK);
    rc = b.failed ? PW_ENOMEM : send_all(c, b.data, b.len, timeout_ms, NULL);
  }
  pw_textbuf_free(&b);
  return rc;
}

int pw_ippx_send_chunk(pw_netconn *c, unsigned char *buf, size_t n,
                       uint32_t timeout_ms, size_t *sent) {
  char head[PW_HTTP1_CHUNK_HEAD_MAX];
  size_t hl = pw_http1_chunk_head(head, n);
  unsigned char *start = buf + PW_IPPX_CHUNK_LEAD - hl;
  memcpy(start, head, hl);
  buf[PW_IPPX_CHUNK_LEAD + n] = '\r';
  buf[PW_IPPX_CHUNK_LEAD + n + 1] = '\n';
  return send_all(c, start, hl + n + 2, timeout_ms, sent);
}

int pw_ippx_send_end(pw_netconn *c, uint32_t timeout_ms) {
  return send_all(c, PW_HTTP1_LAST_CHUNK, sizeof PW_HTTP1_LAST_CHUNK - 1,
                  timeout_ms, NULL);
}

/* ---- reading the response ---------------------------------------------- */

typedef struct body_sink {
  uint8_t *data; /* the first PW_IPP_MAX_HEADER octets of the body */
  size_t len;
  uint64_t total;
} body_sink;

static int on_body(void *ctx, const uint8_t *data, size_t n) {
  body_sink *b = ctx;
  b->total += n;
  if (b->total > IPPX_MAX_BODY)
    return PW_EPROTO;
  size_t room = PW_IPP_MAX_HEADER - b->len;
  size_t take = n < room ? n : room;
  memcpy(b->data + b->len, data, take);
  b->len += take;
  return PW_OK;
}

/* Printable ASCII and UTF-8 kept, anything else becomes '?': printer text
 * goes into log lines. */
static void keep_text(char *dst, size_t cap, const char *src) {
  size_t n = 0;
  for (; src && *src && n + 1 < cap; src++) {
    unsigned char ch = (unsigned char)*src;
    dst[n++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
  }
  dst[n] = '\0';
}

static void add_text(char *dst, size_t cap, const char *sep, const char *s) {
  size_t used = strlen(dst);
  if (used && used + strlen(sep) < cap)
    snprintf(dst + used, cap - used, "%s", sep);
  used = strlen(dst);
  if (used + 1 < cap)
    keep_text(dst + used, cap - used, s);
}

static void take_ipp(const pw_ipp_msg *m, const char *format,
                     pw_ippx_reply *r) {
  r->have_ipp = 1;
  r->version = m->version;
  r->status = m->code;
  const pw_ipp_attr *a = pw_ipp_find(m, PW_IPP_TAG_OPERATION, "status-message");
  if (a)
    keep_text(r->message, sizeof r->message, pw_ipp_get_text(m, a, 0));
  if ((a = pw_ipp_find(m, PW_IPP_TAG_JOB, "job-id")))
    (void)pw_ipp_get_integer(m, a, 0, &r->job_id);
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-state")))
    (void)pw_ipp_get_integer(m, a, 0, &r->printer_state);
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-is-accepting-jobs")))
    (void)pw_ipp_get_boolean(m, a, 0, &r->accepting);
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-state-reasons")))
    for (size_t i = 0; i < a->count; i++)
      add_text(r->reasons, sizeof r->reasons, ", ", pw_ipp_get_text(m, a, i));
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "operations-supported"))) {
    int create = 0, send = 0;
    for (size_t i = 0; i < a->count; i++) {
      int32_t op = 0;
      if (pw_ipp_get_integer(m, a, i, &op) == PW_OK) {
        create |= op == PW_IPP_OP_CREATE_JOB;
        send |= op == PW_IPP_OP_SEND_DOCUMENT;
      }
    }
    r->create_job = create && send;
  }
  if (format &&
      (a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "document-format-supported"))) {
    r->format_supported = 0;
    for (size_t i = 0; i < a->count; i++) {
      const char *f = pw_ipp_get_text(m, a, i);
      if (f && strcmp(f, format) == 0)
        r->format_supported = 1;
    }
  }
}

int pw_ippx_read_reply(pw_netconn *c, uint32_t timeout_ms, const char *format,
                       pw_ippx_reply *r, char *errbuf, size_t errlen) {
  return pw_ippx_read_reply_msg(c, timeout_ms, format, r, NULL, NULL, errbuf,
                                errlen);
}

int pw_ippx_read_reply_msg(pw_netconn *c, uint32_t timeout_ms,
                           const char *format, pw_ippx_reply *r,
                           pw_ippx_msg_fn on_msg, void *ctx, char *errbuf,
                           size_t errlen) {
  memset(r, 0, sizeof *r);
  r->accepting = -1;
  r->format_supported = -1;
  r->create_job = -1;
  body_sink body = {malloc(PW_IPP_MAX_HEADER), 0, 0};
  pw_http1_parser *p = malloc(sizeof *p);
  uint8_t *buf = malloc(16384);
  int rc = body.data && p && buf ? PW_OK : PW_ENOMEM;
  if (rc == PW_OK)
    pw_http1_parser_init(p, on_body, NULL, &body);
  while (rc == PW_OK && p->state != PW_HTTP1_DONE) {
    size_t got = 0;
    rc = pw_netconn_recv(c, buf, 16384, timeout_ms, &got);
    if (rc != PW_OK) {
      pw_errbuf_os(errbuf, errlen, rc, "no answer from %s: %s", c->peer,
                   pw_strerror(rc));
      break;
    }
    rc = got ? pw_http1_feed(p, buf, got, NULL) : pw_http1_finish(p);
    if (rc != PW_OK)
      pw_errbuf_printf(errbuf, errlen, "%s sent a malformed HTTP response",
                       c->peer);
    else if (got == 0 && p->state != PW_HTTP1_DONE)
      rc = PW_EPROTO; /* closed before the end (finish says so too) */
  }
  if (rc == PW_OK) {
    r->http_status = p->status;
    r->keep_alive = p->keep_alive;
    keep_text(r->http_reason, sizeof r->http_reason, p->reason);
    pw_ipp_msg m;
    if (body.len && pw_ipp_decode(body.data, body.len, &m) == PW_OK) {
      take_ipp(&m, format, r);
      if (on_msg)
        on_msg(ctx, &m);
      pw_ipp_msg_free(&m);
    }
  }
  free(buf);
  free(p);
  free(body.data);
  return rc;
}

int pw_ippx_verdict(const pw_ippx_reply *r, char *errbuf, size_t errlen) {
  if (r->http_status == 503) {
    pw_errbuf_printf(errbuf, errlen, "HTTP 503 %s", r->http_reason);
    return PW_EBUSY;
  }
  if (r->http_status == 401 || r->http_status == 403) {
    pw_errbuf_printf(errbuf, errlen,
                     "HTTP %d %s: the printer wants authentication, which "
                     "portway does not do",
                     r->http_status, r->http_reason);
    return PW_EACCES;
  }
  if (r->http_status == 426) {
    pw_errbuf_printf(errbuf, errlen,
                     "HTTP 426 %s: the printer requires TLS (use ipps://)",
                     r->http_reason);
    return PW_EREJECTED;
  }
  if (r->http_status != 200 || !r->have_ipp) {
    pw_errbuf_printf(errbuf, errlen, "HTTP %d %s%s", r->http_status,
                     r->http_reason,
                     r->http_status == 200 ? " without an IPP response" : "");
    return PW_EPROTO;
  }
  if (pw_ipp_status_is_success(r->status))
    return PW_OK;
  const char *name = pw_ipp_status_name(r->status);
  char code[16];
  snprintf(code, sizeof code, "0x%04X", r->status);
  pw_errbuf_printf(errbuf, errlen, "%s%s%s", name ? name : code,
                   r->message[0] ? ": " : "", r->message);
  return pw_ipp_status_is_retryable(r->status) ? PW_EBUSY : PW_EREJECTED;
}
