/* portway — TLS client on Schannel through SSPI (platform.h, "TLS client
 * over a connected pw_socket").
 *
 * Schannel never touches the socket: every record goes through
 * pw_socket_send / pw_socket_recv, so pw_socket_abort and the time-outs
 * work as for plain sockets. The handshake is the usual
 * InitializeSecurityContextW loop, bounded as a whole by one deadline;
 * records are EncryptMessage / DecryptMessage with the stream sizes of the
 * context. Certificates: SCH_CRED_MANUAL_CRED_VALIDATION, portway decides
 * after the handshake (tls_verify.c).
 *
 * Buffers (all bounded): `in` holds received ciphertext, at least one
 * whole record of the largest size TLS allows; `plain` keeps what a record
 * decrypted to beyond what the caller's buffer took; `out` is one record
 * being sent (header + cbMaximumMessage + trailer).
 *
 * Wine 8.0's Schannel (GnuTLS) differs from Windows in ways handled here:
 * it takes SCH_CREDENTIALS but ignores its TLS_PARAMETERS (so it may
 * negotiate TLS 1.0 / 1.1: the protocol is checked after the handshake),
 * it reads a record header from DecryptMessage's buffer without checking
 * its length (so only whole records are passed), a close_notify decrypts
 * to SEC_E_OK with no data rather than SEC_I_CONTEXT_EXPIRED, and it has
 * no ApplyControlToken (close_notify is then not sent).
 */
#include "platform/win32/tls_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/oserror_common.h"
#include "portway/error.h"
#include "portway/utf.h"

#define TLS_HEADER 5u
/* The largest TLSCiphertext.length (TLS 1.2: 2^14 + 2048). */
#define TLS_RECORD_MAX (16384u + 2048u)
#define TLS_CONTENT_ALERT 21u
/* Bound on handshake steps that read nothing (each one consumes input). */
#define TLS_MAX_STEPS 1000
/* Stream sizes beyond this are not believed. */
#define TLS_SANE_RECORD ((size_t)1 << 20)

struct pw_tls {
  pw_socket *s;
  CredHandle cred;
  CtxtHandle ctx;
  int have_cred, have_ctx;
  wchar_t *target; /* SNI and Schannel's target; NULL for an IP literal */
  ULONG req;       /* InitializeSecurityContext request flags */
  SecPkgContext_StreamSizes sizes;
  unsigned char *in; /* ciphertext received, not yet decrypted */
  size_t in_cap, in_len;
  unsigned char *plain; /* decrypted, not yet given to the caller */
  size_t plain_cap, plain_off, plain_len;
  unsigned char *out; /* one record being encrypted and sent */
  size_t out_cap;
  int closed;   /* the peer closed: recv gives 0 from now on */
  int shut;     /* close_notify sent: no more sends */
  int send_err; /* a failed send left a partial record: sticky */
  int recv_err; /* a failed decrypt or renegotiation: sticky */
  uint8_t fp[PW_TLS_SHA256_LEN];
  const char *version;
  /* The options, kept for a renegotiation's new certificate. */
  char *server_name;
  uint8_t pin[PW_TLS_SHA256_LEN];
  int has_pin, insecure;
};

static uint64_t deadline_after(uint32_t timeout_ms) {
  return pw_time_monotonic_ns() + (uint64_t)timeout_ms * UINT64_C(1000000);
}

/* What is left of deadline, in ms rounded up (0 once it has passed). */
static uint32_t ms_left(uint64_t deadline) {
  uint64_t now = pw_time_monotonic_ns();
  if (now >= deadline)
    return 0;
  uint64_t ms = (deadline - now + 999999u) / 1000000u;
  return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

static void set_msg(char *errbuf, size_t errlen, const char *what, int err) {
  if (errbuf && errlen)
    snprintf(errbuf, errlen, "%s: %s", what, pw_strerror(err));
}

static SecBuffer sec_buffer(ULONG type, void *p, size_t len) {
  SecBuffer b;
  b.cbBuffer = (ULONG)len;
  b.BufferType = type;
  b.pvBuffer = p;
  return b;
}

static SecBufferDesc sec_desc(SecBuffer *b, ULONG n) {
  SecBufferDesc d;
  d.ulVersion = SECBUFFER_VERSION;
  d.cBuffers = n;
  d.pBuffers = b;
  return d;
}

static SecBuffer *find_buffer(SecBuffer *b, ULONG n, ULONG type) {
  for (ULONG i = 0; i < n; i++) {
    if (b[i].BufferType == type)
      return &b[i];
  }
  return NULL;
}

/* Keep the `extra` bytes at the end of `in` (unprocessed input) as the new
 * start of `in`. */
static void keep_extra(pw_tls *t, const SecBuffer *extra) {
  size_t n = extra && extra->cbBuffer <= t->in_len ? extra->cbBuffer : 0;
  if (n)
    memmove(t->in, t->in + (t->in_len - n), n);
  t->in_len = n;
}

static int acquire_credentials(pw_tls *t, char *errbuf, size_t errlen) {
  DWORD flags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS |
                SCH_USE_STRONG_CRYPTO;
  TLS_PARAMETERS tp;
  memset(&tp, 0, sizeof tp);
  tp.grbitDisabledProtocols =
      ~(DWORD)(SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT);
  SCH_CREDENTIALS sc;
  memset(&sc, 0, sizeof sc);
  sc.dwVersion = SCH_CREDENTIALS_VERSION;
  sc.dwFlags = flags;
  sc.cTlsParameters = 1;
  sc.pTlsParameters = &tp;
  TimeStamp expiry;
  SECURITY_STATUS st = AcquireCredentialsHandleW(
      NULL, (LPWSTR)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &sc, NULL, NULL,
      &t->cred, &expiry);
  if (st != SEC_E_OK) {
    /* Before Windows 10 1809, and Wine: SCHANNEL_CRED, TLS 1.2. */
    SCHANNEL_CRED old;
    memset(&old, 0, sizeof old);
    old.dwVersion = SCHANNEL_CRED_VERSION;
    old.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    old.dwFlags = flags;
    st = AcquireCredentialsHandleW(NULL, (LPWSTR)UNISP_NAME_W,
                                   SECPKG_CRED_OUTBOUND, NULL, &old, NULL, NULL,
                                   &t->cred, &expiry);
  }
  if (st != SEC_E_OK)
    return pw_tls_sspi_fail(st, "TLS credentials not available", errbuf,
                            errlen);
  t->have_cred = 1;
  return PW_OK;
}

/* Send a token InitializeSecurityContext produced, within the deadline. */
static int send_token(pw_tls *t, const SecBuffer *b, uint64_t deadline) {
  if (!b->pvBuffer || b->cbBuffer == 0)
    return PW_OK;
  return pw_socket_send(t->s, b->pvBuffer, b->cbBuffer, ms_left(deadline),
                        NULL);
}

/* 0 (errbuf told) if what the peer sent cannot be TLS records: a
 * plaintext service answering, which would otherwise just be waited on. */
static int looks_like_tls(const pw_tls *t, char *errbuf, size_t errlen) {
  const unsigned char *p = t->in;
  if (t->in_len == 0 ||
      ((p[0] >= 20 && p[0] <= 23) && (t->in_len < 2 || p[1] == 3)))
    return 1;
  if (errbuf && errlen) {
    char hex[3 * 8 + 1] = "";
    for (size_t i = 0; i < t->in_len && i < 8; i++)
      snprintf(hex + 3 * i, sizeof hex - 3 * i, " %02X", p[i]);
    snprintf(errbuf, errlen,
             "TLS handshake failed: the peer does not speak TLS (it sent%s)",
             hex);
  }
  return 0;
}

/* The InitializeSecurityContext loop, from the first call (first != 0: no
 * input, creates the context) or on the context (a renegotiation, input
 * from `in`), until SEC_E_OK; input left after it stays in `in`. */
static int handshake(pw_tls *t, int first, uint64_t deadline, char *errbuf,
                     size_t errlen) {
  int need_read = 0;
  int retried_creds = 0;
  for (int step = 0; step < TLS_MAX_STEPS; step++) {
    if (need_read) {
      if (t->in_len >= t->in_cap) {
        if (errbuf && errlen)
          snprintf(errbuf, errlen, "TLS handshake record too long");
        return PW_ETLS;
      }
      size_t got = 0;
      int err = pw_socket_recv(t->s, t->in + t->in_len, t->in_cap - t->in_len,
                               ms_left(deadline), &got);
      if (err != PW_OK) {
        set_msg(errbuf, errlen, "TLS handshake", err);
        return err;
      }
      if (got == 0) {
        if (errbuf && errlen)
          snprintf(errbuf, errlen,
                   "the peer closed the connection during the TLS handshake");
        return PW_ETLS;
      }
      t->in_len += got;
      need_read = 0;
    }
    if (!first && !looks_like_tls(t, errbuf, errlen))
      return PW_ETLS;
    SecBuffer inb[2] = {sec_buffer(SECBUFFER_TOKEN, t->in, t->in_len),
                        sec_buffer(SECBUFFER_EMPTY, NULL, 0)};
    SecBufferDesc ind = sec_desc(inb, 2);
    SecBuffer outb[1] = {sec_buffer(SECBUFFER_TOKEN, NULL, 0)};
    SecBufferDesc outd = sec_desc(outb, 1);
    ULONG attrs = 0;
    size_t offered = first ? 0 : t->in_len;
    SECURITY_STATUS st = InitializeSecurityContextW(
        &t->cred, first ? NULL : &t->ctx, t->target, t->req, 0, 0,
        first ? NULL : &ind, 0, &t->ctx, &outd, &attrs, NULL);
    if (first && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED ||
                  st == SEC_I_INCOMPLETE_CREDENTIALS))
      t->have_ctx = 1;
    /* Also on failure: the token may be an alert telling the peer why. */
    int serr = send_token(t, &outb[0], deadline);
    if (outb[0].pvBuffer)
      FreeContextBuffer(outb[0].pvBuffer);
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
      if (serr != PW_OK) {
        set_msg(errbuf, errlen, "TLS handshake", serr);
        return serr;
      }
      if (!first)
        keep_extra(t, find_buffer(inb, 2, SECBUFFER_EXTRA));
      first = 0;
      if (st == SEC_E_OK)
        return PW_OK;
      /* Nothing left, or nothing of it taken: the peer's turn. */
      need_read = t->in_len == 0 || t->in_len == offered;
    } else if (st == SEC_E_INCOMPLETE_MESSAGE && !first) {
      need_read = 1;
    } else if (st == SEC_I_INCOMPLETE_CREDENTIALS && !retried_creds) {
      /* A server asking for a client certificate: go on without one. */
      t->req |= ISC_REQ_USE_SUPPLIED_CREDS;
      retried_creds = 1;
      first = 0;
    } else {
      return pw_tls_sspi_fail(st, "TLS handshake failed", errbuf, errlen);
    }
  }
  if (errbuf && errlen)
    snprintf(errbuf, errlen, "TLS handshake did not finish");
  return PW_ETLS;
}

static int check_peer(pw_tls *t, char *errbuf, size_t errlen) {
  pw_tls_options o;
  o.server_name = t->server_name;
  o.pin_sha256 = t->has_pin ? t->pin : NULL;
  o.insecure = t->insecure;
  return pw_tls_check_peer(&t->ctx, &o, t->fp, errbuf, errlen);
}

/* After the first handshake: the protocol, the record sizes, the peer. */
static int established(pw_tls *t, char *errbuf, size_t errlen) {
  SecPkgContext_ConnectionInfo ci;
  memset(&ci, 0, sizeof ci);
  if (QueryContextAttributesW(&t->ctx, SECPKG_ATTR_CONNECTION_INFO, &ci) ==
      SEC_E_OK) {
    if (ci.dwProtocol & SP_PROT_TLS1_3_CLIENT)
      t->version = "TLSv1.3";
    else if (ci.dwProtocol & SP_PROT_TLS1_2_CLIENT)
      t->version = "TLSv1.2";
    else if (ci.dwProtocol & (SP_PROT_SSL2_CLIENT | SP_PROT_SSL3_CLIENT |
                              SP_PROT_TLS1_0_CLIENT | SP_PROT_TLS1_1_CLIENT)) {
      const char *old = (ci.dwProtocol & SP_PROT_TLS1_1_CLIENT)   ? "TLS 1.1"
                        : (ci.dwProtocol & SP_PROT_TLS1_0_CLIENT) ? "TLS 1.0"
                                                                  : "SSL";
      if (errbuf && errlen)
        snprintf(errbuf, errlen,
                 "the server negotiated %s; TLS 1.2 or later is required", old);
      return PW_ETLS;
    }
  }
  SECURITY_STATUS st =
      QueryContextAttributesW(&t->ctx, SECPKG_ATTR_STREAM_SIZES, &t->sizes);
  if (st != SEC_E_OK)
    return pw_tls_sspi_fail(st, "TLS stream sizes not available", errbuf,
                            errlen);
  size_t rec = (size_t)t->sizes.cbHeader + t->sizes.cbMaximumMessage +
               t->sizes.cbTrailer;
  if (t->sizes.cbMaximumMessage == 0 || rec > TLS_SANE_RECORD) {
    if (errbuf && errlen)
      snprintf(errbuf, errlen, "TLS stream sizes not usable (%lu bytes)",
               (unsigned long)t->sizes.cbMaximumMessage);
    return PW_ETLS;
  }
  if (rec > t->in_cap) {
    unsigned char *bigger = realloc(t->in, rec);
    if (!bigger)
      return PW_ENOMEM;
    t->in = bigger;
    t->in_cap = rec;
  }
  t->out = malloc(rec);
  t->plain = malloc(t->in_cap); /* a record never decrypts to more */
  if (!t->out || !t->plain)
    return PW_ENOMEM;
  t->out_cap = rec;
  t->plain_cap = t->in_cap;
  return check_peer(t, errbuf, errlen);
}

static int copy_options(pw_tls *t, const pw_tls_options *o) {
  size_t n = strlen(o->server_name);
  t->server_name = malloc(n + 1);
  if (!t->server_name)
    return PW_ENOMEM;
  memcpy(t->server_name, o->server_name, n + 1);
  if (o->pin_sha256) {
    memcpy(t->pin, o->pin_sha256, PW_TLS_SHA256_LEN);
    t->has_pin = 1;
  }
  t->insecure = o->insecure != 0;
  if (pw_tls_is_ip_literal(o->server_name))
    return PW_OK; /* no SNI for an address (RFC 6066) */
  uint16_t *w = NULL;
  int err = pw_utf8_to_utf16(o->server_name, &w, NULL);
  if (err != PW_OK)
    return err == PW_ENOMEM ? err : PW_EINVAL;
  t->target = (wchar_t *)(void *)w;
  return PW_OK;
}

int pw_tls_connect(pw_socket *s, const pw_tls_options *o, uint32_t timeout_ms,
                   pw_tls **out, char *errbuf, size_t errlen) {
  if (errbuf && errlen)
    errbuf[0] = '\0';
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!s || !o || !o->server_name || !o->server_name[0]) {
    if (errbuf && errlen)
      snprintf(errbuf, errlen, "TLS needs a server name");
    return PW_EINVAL;
  }
  uint64_t deadline = deadline_after(timeout_ms);
  pw_tls *t = calloc(1, sizeof *t);
  if (!t)
    return PW_ENOMEM;
  t->s = s;
  t->version = "TLS";
  t->in_cap = TLS_HEADER + TLS_RECORD_MAX;
  t->in = malloc(t->in_cap);
  int err = t->in ? copy_options(t, o) : PW_ENOMEM;
  if (err == PW_EINVAL && errbuf && errlen)
    snprintf(errbuf, errlen, "server name is not valid UTF-8");
  if (err == PW_OK)
    err = acquire_credentials(t, errbuf, errlen);
  t->req = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT |
           ISC_REQ_CONFIDENTIALITY | ISC_REQ_EXTENDED_ERROR |
           ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM |
           ISC_REQ_MANUAL_CRED_VALIDATION;
  if (err == PW_OK)
    err = handshake(t, 1, deadline, errbuf, errlen);
  if (err == PW_OK)
    err = established(t, errbuf, errlen);
  if (err != PW_OK) {
    if (err == PW_ENOMEM && errbuf && errlen && !errbuf[0])
      set_msg(errbuf, errlen, "TLS", err);
    pw_tls_free(t);
    return err;
  }
  *out = t;
  return PW_OK;
}

int pw_tls_send(pw_tls *t, const void *buf, size_t len, uint32_t timeout_ms,
                size_t *sent) {
  if (sent)
    *sent = 0;
  if (!t || (!buf && len) || t->shut)
    return PW_EINVAL;
  if (t->send_err)
    return t->send_err;
  const unsigned char *p = buf;
  size_t done = 0;
  while (done < len) {
    size_t hdr = t->sizes.cbHeader;
    size_t n = len - done;
    if (n > t->sizes.cbMaximumMessage)
      n = t->sizes.cbMaximumMessage;
    memcpy(t->out + hdr, p + done, n);
    SecBuffer b[4] = {sec_buffer(SECBUFFER_STREAM_HEADER, t->out, hdr),
                      sec_buffer(SECBUFFER_DATA, t->out + hdr, n),
                      sec_buffer(SECBUFFER_STREAM_TRAILER, t->out + hdr + n,
                                 t->sizes.cbTrailer),
                      sec_buffer(SECBUFFER_EMPTY, NULL, 0)};
    SecBufferDesc d = sec_desc(b, 4);
    SECURITY_STATUS st = EncryptMessage(&t->ctx, 0, &d, 0);
    if (st != SEC_E_OK) {
      t->send_err = pw_tls_sspi_fail(st, "TLS encryption failed", NULL, 0);
      break;
    }
    /* The record is header, data, trailer as they came back: make it one
     * run (it already is unless a part came back shorter). */
    size_t total = b[0].cbBuffer;
    for (int i = 1; i < 3; i++) {
      if (b[i].cbBuffer && (unsigned char *)b[i].pvBuffer != t->out + total)
        memmove(t->out + total, b[i].pvBuffer, b[i].cbBuffer);
      total += b[i].cbBuffer;
    }
    int err = total <= t->out_cap
                  ? pw_socket_send(t->s, t->out, total, timeout_ms, NULL)
                  : PW_ETLS;
    if (err != PW_OK) {
      t->send_err = err; /* a partial record: the stream is broken */
      break;
    }
    done += n;
  }
  if (sent)
    *sent = done;
  return t->send_err;
}

/* Bytes still missing for `in` to hold one whole record (0: it does); a
 * record longer than TLS allows is PW_ETLS in *err. */
static size_t record_missing(const pw_tls *t, int *err) {
  *err = PW_OK;
  if (t->in_len < TLS_HEADER)
    return TLS_HEADER - t->in_len;
  size_t body = ((size_t)t->in[3] << 8) | t->in[4];
  if (body > TLS_RECORD_MAX || TLS_HEADER + body > t->in_cap) {
    *err = PW_ETLS;
    return 0;
  }
  return TLS_HEADER + body > t->in_len ? TLS_HEADER + body - t->in_len : 0;
}

/* Give the caller what `plain` holds. */
static size_t take_plain(pw_tls *t, unsigned char *buf, size_t len) {
  size_t n = t->plain_len < len ? t->plain_len : len;
  memcpy(buf, t->plain + t->plain_off, n);
  t->plain_off += n;
  t->plain_len -= n;
  return n;
}

/* Decrypt the record at the start of `in` (a whole one is there). *got:
 * plaintext given to the caller; the rest goes to `plain`. */
static int decrypt_record(pw_tls *t, unsigned char *buf, size_t len,
                          size_t *got, uint64_t deadline) {
  unsigned char type = t->in[0];
  SecBuffer b[4] = {sec_buffer(SECBUFFER_DATA, t->in, t->in_len),
                    sec_buffer(SECBUFFER_EMPTY, NULL, 0),
                    sec_buffer(SECBUFFER_EMPTY, NULL, 0),
                    sec_buffer(SECBUFFER_EMPTY, NULL, 0)};
  SecBufferDesc d = sec_desc(b, 4);
  SECURITY_STATUS st = DecryptMessage(&t->ctx, &d, 0, NULL);
  if (st != SEC_E_OK && st != SEC_I_RENEGOTIATE && st != SEC_I_CONTEXT_EXPIRED)
    return pw_tls_sspi_fail(st, "TLS decryption failed", NULL, 0);
  const SecBuffer *data = find_buffer(b, 4, SECBUFFER_DATA);
  size_t dlen = data && data->pvBuffer ? data->cbBuffer : 0;
  if (dlen > t->plain_cap)
    return PW_ETLS;
  if (dlen) {
    const unsigned char *src = data->pvBuffer;
    size_t n = dlen < len ? dlen : len;
    memcpy(buf, src, n);
    memcpy(t->plain, src + n, dlen - n); /* before `in` moves */
    t->plain_off = 0;
    t->plain_len = dlen - n;
    *got = n;
  }
  keep_extra(t, find_buffer(b, 4, SECBUFFER_EXTRA));
  if (st == SEC_I_CONTEXT_EXPIRED ||
      (st == SEC_E_OK && dlen == 0 && type == TLS_CONTENT_ALERT))
    t->closed = 1; /* close_notify (Wine: an alert that decrypts to 0) */
  if (st == SEC_I_RENEGOTIATE) {
    /* TLS 1.3 post-handshake messages, or a TLS 1.2 renegotiation. */
    int err = handshake(t, 0, deadline, NULL, 0);
    if (err == PW_OK)
      err = check_peer(t, NULL, 0);
    if (err != PW_OK)
      return err;
  }
  return PW_OK;
}

int pw_tls_recv(pw_tls *t, void *buf, size_t len, uint32_t timeout_ms,
                size_t *got) {
  if (got)
    *got = 0;
  if (!t || !buf || !got || len == 0)
    return PW_EINVAL;
  uint64_t deadline = deadline_after(timeout_ms);
  for (;;) {
    if (t->plain_len) {
      *got = take_plain(t, buf, len);
      return PW_OK;
    }
    if (t->recv_err)
      return t->recv_err;
    if (t->closed)
      return PW_OK;
    int err;
    size_t missing = record_missing(t, &err);
    if (err != PW_OK) {
      t->recv_err = err;
      continue;
    }
    if (missing) {
      size_t n = 0;
      err = pw_socket_recv(t->s, t->in + t->in_len, t->in_cap - t->in_len,
                           ms_left(deadline), &n);
      if (err != PW_OK)
        return err; /* a time-out keeps the partial record for later */
      if (n == 0) {
        if (t->in_len == 0)
          t->closed = 1; /* TCP close at a record boundary */
        else
          t->recv_err = PW_ECONNRESET; /* cut inside a record */
        continue;
      }
      t->in_len += n;
      continue;
    }
    err = decrypt_record(t, buf, len, got, deadline);
    if (err != PW_OK) {
      t->recv_err = err;
      *got = 0;
      return err;
    }
    if (*got)
      return PW_OK;
  }
}

void pw_tls_peer_sha256(const pw_tls *t, uint8_t out[PW_TLS_SHA256_LEN]) {
  if (!out)
    return;
  if (t)
    memcpy(out, t->fp, PW_TLS_SHA256_LEN);
  else
    memset(out, 0, PW_TLS_SHA256_LEN);
}

const char *pw_tls_version(const pw_tls *t) {
  return t && t->version ? t->version : "TLS";
}

void pw_tls_close_notify(pw_tls *t, uint32_t timeout_ms) {
  if (!t || !t->have_ctx || t->shut || t->send_err)
    return;
  DWORD type = SCHANNEL_SHUTDOWN;
  SecBuffer b = sec_buffer(SECBUFFER_TOKEN, &type, sizeof type);
  SecBufferDesc d = sec_desc(&b, 1);
  /* Wine has no ApplyControlToken: nothing is sent there. */
  if (ApplyControlToken(&t->ctx, &d) != SEC_E_OK)
    return;
  t->shut = 1;
  SecBuffer ob = sec_buffer(SECBUFFER_TOKEN, NULL, 0);
  SecBufferDesc od = sec_desc(&ob, 1);
  ULONG attrs = 0;
  SECURITY_STATUS st =
      InitializeSecurityContextW(&t->cred, &t->ctx, t->target, t->req, 0, 0,
                                 NULL, 0, &t->ctx, &od, &attrs, NULL);
  if ((st == SEC_E_OK || st == SEC_I_CONTEXT_EXPIRED) && ob.pvBuffer &&
      ob.cbBuffer)
    pw_socket_send(t->s, ob.pvBuffer, ob.cbBuffer, timeout_ms, NULL);
  if (ob.pvBuffer)
    FreeContextBuffer(ob.pvBuffer);
}

void pw_tls_free(pw_tls *t) {
  if (!t)
    return;
  if (t->have_ctx)
    DeleteSecurityContext(&t->ctx);
  if (t->have_cred)
    FreeCredentialsHandle(&t->cred);
  if (t->in)
    SecureZeroMemory(t->in, t->in_cap);
  if (t->plain)
    SecureZeroMemory(t->plain, t->plain_cap);
  if (t->out)
    SecureZeroMemory(t->out, t->out_cap);
  free(t->in);
  free(t->plain);
  free(t->out);
  free(t->target);
  free(t->server_name);
  free(t);
}
