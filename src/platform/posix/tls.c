/* portway — TLS client over a pw_socket with OpenSSL (platform.h, "TLS
 * client over a connected pw_socket").
 *
 * The record layer runs over a BIO of our own whose read and write are
 * pw_socket_recv / pw_socket_send, given the time left of the current
 * call: a blocked handshake, send or recv wakes up with PW_ECANCELED when
 * the socket is aborted, and each call is bounded by its time-out. The
 * handshake, a recv and a close_notify are bounded as a whole (a deadline);
 * a send, like pw_socket_send, bounds each wait for the peer to take
 * something (a large job on a slow printer is no time-out).
 *
 * A time-out is no failure of the TLS state: the BIO sets its retry flag,
 * OpenSSL answers SSL_ERROR_WANT_READ/WRITE and keeps what it has. A recv
 * that timed out can be called again; a send that timed out keeps the
 * record it was writing (already encrypted) and finishes it on the next
 * send, which must therefore begin with the bytes not reported as sent (the
 * pw_socket_send contract: go on from buf + *sent). Every other failure is
 * fatal: the pw_tls answers every later call with the same error and never
 * touches the SSL object again (OpenSSL forbids I/O after SSL_ERROR_SSL or
 * SSL_ERROR_SYSCALL).
 *
 * One SSL_CTX per connection, no cache: a change of SSL_CERT_FILE /
 * SSL_CERT_DIR or of the system store takes effect on the next connection,
 * and nothing is shared between threads but the BIO method (made once).
 * Measured (OpenSSL 3.0, Debian): a context costs about 0.1 ms; loading
 * the default trust store into it (verification on) about 16 ms, parsing
 * the ~140 roots of ca-certificates.crt - small beside a print job, but
 * the first thing to cache (keyed on those variables) if connections ever
 * come by the hundred.
 */
#define _POSIX_C_SOURCE 200809L

#include "platform/platform.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "platform/posix/tls_verify.h"
#include "portway/error.h"

/* Plaintext per SSL_write: one full record, so *sent is exact to a record
 * and a time-out leaves at most one record in flight. */
#define TLS_CHUNK 16384
/* io_err: the peer closed TCP (pw_err values are <= 0). */
#define TLS_EOF 1

struct pw_tls {
  SSL_CTX *ctx;
  SSL *ssl;
  pw_socket *sock;
  /* The current call's bound: a deadline for all of it, or a time-out for
   * each wait (sends). */
  int has_deadline;
  uint64_t deadline_ns;
  uint32_t wait_ms;
  int io_err;      /* first socket failure of the current call, or TLS_EOF */
  int eof;         /* the peer closed TCP (sticky) */
  int dead;        /* a fatal failure: what every later call returns */
  int rx_closed;   /* the peer's stream ended: recv gives 0 from now on */
  int tx_closed;   /* close_notify sent (or tried): no more sends */
  int established; /* the handshake and the checks passed */
  /* Framing of the incoming bytes, to tell a TCP close between two records
   * from one in the middle of a record (a truncation). */
  unsigned hdr_have; /* bytes of a 5-byte record header seen */
  unsigned char hdr[5];
  size_t body_left; /* bytes of the current record's body still to come */
  uint8_t peer_sha256[PW_TLS_SHA256_LEN];
};

/* ---- bounds ---- */

static void bound_call(pw_tls *t, uint32_t timeout_ms) {
  t->has_deadline = 1;
  t->deadline_ns =
      pw_time_monotonic_ns() + (uint64_t)timeout_ms * UINT64_C(1000000);
}

static void bound_each_wait(pw_tls *t, uint32_t timeout_ms) {
  t->has_deadline = 0;
  t->wait_ms = timeout_ms;
}

/* The time-out for the next socket call: what is left of the deadline
 * (rounded up, 0 once it passed: the socket call then only tries). */
static uint32_t time_left_ms(const pw_tls *t) {
  if (!t->has_deadline)
    return t->wait_ms;
  uint64_t now = pw_time_monotonic_ns();
  if (now >= t->deadline_ns)
    return 0;
  uint64_t ms = (t->deadline_ns - now + 999999u) / 1000000u;
  return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

/* ---- the BIO over a pw_socket ---- */

static void note_io(pw_tls *t, int err) {
  if (t->io_err == 0)
    t->io_err = err; /* the first cause; an alert that fails after it not */
}

/* Follow the record framing over n bytes just read. */
static void track_records(pw_tls *t, const unsigned char *p, size_t n) {
  while (n > 0) {
    if (t->body_left > 0) {
      size_t take = n < t->body_left ? n : t->body_left;
      t->body_left -= take;
      p += take;
      n -= take;
      continue;
    }
    t->hdr[t->hdr_have++] = *p++;
    n--;
    if (t->hdr_have == sizeof t->hdr) {
      t->body_left = (size_t)t->hdr[3] << 8 | t->hdr[4];
      t->hdr_have = 0;
    }
  }
}

static int at_record_boundary(const pw_tls *t) {
  return t->hdr_have == 0 && t->body_left == 0;
}

static int bio_write(BIO *b, const char *data, int len) {
  pw_tls *t = BIO_get_data(b);
  BIO_clear_retry_flags(b);
  if (!t || len <= 0)
    return 0;
  size_t sent = 0;
  int err = pw_socket_send(t->sock, data, (size_t)len, time_left_ms(t), &sent);
  if (sent > 0)
    return (int)sent; /* OpenSSL comes back for the rest */
  note_io(t, err);
  if (err == PW_ETIMEDOUT)
    BIO_set_retry_write(b); /* SSL_ERROR_WANT_WRITE: the state stays good */
  return -1;
}

static int bio_read(BIO *b, char *buf, int len) {
  pw_tls *t = BIO_get_data(b);
  BIO_clear_retry_flags(b);
  if (!t || len <= 0)
    return 0;
  size_t got = 0;
  int err =
      t->eof ? PW_OK
             : pw_socket_recv(t->sock, buf, (size_t)len, time_left_ms(t), &got);
  if (err == PW_OK && got > 0) {
    track_records(t, (const unsigned char *)buf, got);
    return (int)got;
  }
  if (err == PW_OK) {
    t->eof = 1; /* BIO_eof says so: OpenSSL 3 reports an unexpected EOF */
    note_io(t, TLS_EOF);
    return 0;
  }
  note_io(t, err);
  if (err == PW_ETIMEDOUT)
    BIO_set_retry_read(b); /* SSL_ERROR_WANT_READ: the state stays good */
  return -1;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr) {
  (void)num;
  (void)ptr;
  const pw_tls *t = BIO_get_data(b);
  switch (cmd) {
  case BIO_CTRL_FLUSH: /* every write went straight to the socket */
    return 1;
  case BIO_CTRL_EOF:
    return t && t->eof;
  default:
    return 0;
  }
}

static int bio_create(BIO *b) {
  BIO_set_init(b, 1);
  return 1;
}

/* BIO_get_new_index hands out a few hundred indexes per process: the
 * method is made once and kept for the process's life. */
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;
static BIO_METHOD *bio_method;

static void bio_method_init(void) {
  int type = BIO_get_new_index();
  BIO_METHOD *m = type == -1
                      ? NULL
                      : BIO_meth_new(type | BIO_TYPE_SOURCE_SINK, "pw_socket");
  if (m && (BIO_meth_set_write(m, bio_write) != 1 ||
            BIO_meth_set_read(m, bio_read) != 1 ||
            BIO_meth_set_ctrl(m, bio_ctrl) != 1 ||
            BIO_meth_set_create(m, bio_create) != 1)) {
    BIO_meth_free(m);
    m = NULL;
  }
  bio_method = m;
}

/* ---- what a failed SSL call means ---- */

enum outcome {
  OUT_FAIL,         /* *err says what */
  OUT_CLOSE_NOTIFY, /* the peer ended its stream properly */
  OUT_EOF,          /* the peer closed TCP (no close_notify) */
  OUT_AGAIN         /* nothing failed: call again while time is left */
};

/* Classify ret (<= 0) of an SSL call; *err is PW_ETLS when OpenSSL itself
 * failed (protocol, certificate: *code has its first error) and the
 * socket's pw_err when the socket did. Clears the error queue. */
static enum outcome outcome(pw_tls *t, int ret, int *err, unsigned long *code) {
  int e = SSL_get_error(t->ssl, ret);
  unsigned long c = ERR_peek_error();
  ERR_clear_error();
  *code = c;
  *err = PW_ETLS;
  switch (e) {
  case SSL_ERROR_ZERO_RETURN:
    return OUT_CLOSE_NOTIFY;
  case SSL_ERROR_WANT_READ:
  case SSL_ERROR_WANT_WRITE:
    if (t->io_err == 0)
      return OUT_AGAIN;
    *err = t->io_err == TLS_EOF ? PW_ECONNRESET : t->io_err;
    return OUT_FAIL;
  case SSL_ERROR_SYSCALL:
    /* The BIO failed: the socket's error, or an EOF (OpenSSL 1.1.1 says
     * SSL_ERROR_SYSCALL with an empty queue for it). */
    if (t->io_err == TLS_EOF || (t->io_err == 0 && c == 0))
      return OUT_EOF;
    if (t->io_err != 0)
      *err = t->io_err;
    return OUT_FAIL;
  case SSL_ERROR_SSL:
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
    if (ERR_GET_LIB(c) == ERR_LIB_SSL &&
        ERR_GET_REASON(c) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
      return OUT_EOF; /* OpenSSL 3's name for a TCP close */
#endif
    return OUT_FAIL;
  default:
    return OUT_FAIL;
  }
}

/* OpenSSL's reason for code, "protocol error" when it has none. */
static const char *reason_text(unsigned long code) {
  const char *r = code ? ERR_reason_error_string(code) : NULL;
  return r ? r : "protocol error";
}

/* Fatal: every later call returns err. */
static int die(pw_tls *t, int err) {
  t->dead = err;
  return err;
}

/* ---- connect ---- */

/* Context, SSL object, BIO and verification settings for o. */
static int setup(pw_tls *t, const pw_tls_options *o) {
  t->ctx = SSL_CTX_new(TLS_client_method());
  if (!t->ctx)
    return PW_ENOMEM;
  if (SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION) != 1)
    return PW_ETLS;
  /* No renegotiation (a TLS 1.2 server asking for one mid-stream would
   * make a send read); no compression. */
  SSL_CTX_set_options(t->ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  /* SSL_MODE_ENABLE_PARTIAL_WRITE stays off: SSL_write takes all of a
   * chunk or fails. The moving buffer mode lets a send that timed out be
   * finished from another buffer with the same bytes. */
  SSL_CTX_set_mode(t->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_OFF);
  t->ssl = SSL_new(t->ctx);
  if (!t->ssl)
    return PW_ENOMEM;
  BIO *b = BIO_new(bio_method);
  if (!b)
    return PW_ENOMEM;
  BIO_set_data(b, t);
  SSL_set_bio(t->ssl, b, b); /* the SSL owns b from now on */
  SSL_set_connect_state(t->ssl);
  return pw_posix_tls_verify_setup(t->ssl, o);
}

static int handshake_failed(pw_tls *t, const pw_tls_options *o, enum outcome k,
                            int err, unsigned long code, char *errbuf,
                            size_t errlen) {
  const char *name = o->server_name;
  if (k == OUT_FAIL && err == PW_ETLS &&
      pw_posix_tls_refused(t->ssl, o, errbuf, errlen) == PW_ECERT)
    return PW_ECERT;
  if (k == OUT_EOF || k == OUT_CLOSE_NOTIFY) {
    pw_posix_tls_say(errbuf, errlen,
                     "%.100s closed the connection during the TLS handshake",
                     name);
    return pw_posix_tls_failed(PW_ECONNRESET);
  }
  if (k == OUT_AGAIN)
    err = PW_ETIMEDOUT; /* the deadline passed between two tries */
  if (err != PW_ETLS) {
    pw_posix_tls_say(errbuf, errlen, "TLS handshake with %.100s: %s", name,
                     pw_strerror(err));
    return err; /* the socket recorded its OS error */
  }
  pw_posix_tls_say(errbuf, errlen, "TLS handshake with %.100s failed: %s", name,
                   reason_text(code));
  return pw_posix_tls_failed(PW_ETLS);
}

int pw_tls_connect(pw_socket *s, const pw_tls_options *o, uint32_t timeout_ms,
                   pw_tls **out, char *errbuf, size_t errlen) {
  if (errbuf && errlen)
    errbuf[0] = '\0';
  if (out)
    *out = NULL;
  if (!s || !o || !o->server_name || !*o->server_name || !out) {
    pw_posix_tls_say(errbuf, errlen, "TLS: no socket, options or server name");
    return PW_EINVAL;
  }
  (void)pthread_once(&bio_once, bio_method_init);
  pw_tls *t = bio_method ? calloc(1, sizeof *t) : NULL;
  if (!t) {
    pw_posix_tls_say(errbuf, errlen, "TLS: out of memory");
    return PW_ENOMEM;
  }
  t->sock = s;
  int err = setup(t, o);
  if (err != PW_OK) {
    ERR_clear_error();
    pw_posix_tls_say(errbuf, errlen, "cannot set up TLS for %.100s: %s",
                     o->server_name, pw_strerror(err));
    pw_tls_free(t);
    return err;
  }
  bound_call(t, timeout_ms);
  for (;;) {
    ERR_clear_error();
    t->io_err = 0;
    int ret = SSL_connect(t->ssl);
    if (ret == 1)
      break;
    unsigned long code = 0;
    enum outcome k = outcome(t, ret, &err, &code);
    if (k == OUT_AGAIN && time_left_ms(t) > 0)
      continue;
    err = handshake_failed(t, o, k, err, code, errbuf, errlen);
    pw_tls_free(t);
    return err;
  }
  err = pw_posix_tls_check_peer(t->ssl, o, t->peer_sha256, errbuf, errlen);
  if (err != PW_OK) {
    pw_tls_free(t);
    return err;
  }
  t->established = 1;
  *out = t;
  return PW_OK;
}

/* ---- data ---- */

/* The peer closed TCP without a close_notify, as many printers end a
 * connection. Between two records that is taken for the end of the stream
 * (PW_OK, recv gives 0 from now on); in the middle of a record the data
 * was cut short: PW_ECONNRESET. Either way the TLS state is gone (OpenSSL 3
 * made it an error), so sends fail from now on. */
static int peer_closed_tcp(pw_tls *t) {
  if (at_record_boundary(t)) {
    t->rx_closed = 1;
    (void)die(t, PW_ECONNRESET);
    return PW_OK;
  }
  return die(t, pw_posix_tls_failed(PW_ECONNRESET));
}

/* Take what has already arrived (TLS 1.3 session tickets, above all) out
 * of the socket, without waiting and without losing application data
 * (SSL_peek leaves it for the next recv). A socket closed while received
 * bytes lie unread sends a reset instead of a FIN, and the kernel then
 * drops what it had not sent yet: a client that only sends - a print job -
 * and closes would lose the end of its data to the server's tickets. */
static void absorb_arrived(pw_tls *t) {
  if (t->dead || t->rx_closed)
    return;
  bound_call(t, 0);
  ERR_clear_error();
  t->io_err = 0;
  unsigned char c;
  int n = SSL_peek(t->ssl, &c, 1);
  if (n > 0)
    return; /* application data: kept for pw_tls_recv */
  int err = PW_ETLS;
  unsigned long code = 0;
  switch (outcome(t, n, &err, &code)) {
  case OUT_CLOSE_NOTIFY:
    t->rx_closed = 1;
    break;
  case OUT_EOF:
    (void)peer_closed_tcp(t);
    break;
  case OUT_FAIL:
    if (err != PW_ETIMEDOUT) /* a time-out: nothing (more) has arrived */
      (void)die(t, err);
    break;
  case OUT_AGAIN:
  default:
    break;
  }
}

int pw_tls_send(pw_tls *t, const void *buf, size_t len, uint32_t timeout_ms,
                size_t *sent) {
  if (sent)
    *sent = 0;
  if (!t || (!buf && len))
    return PW_EINVAL;
  if (t->dead)
    return t->dead;
  if (t->tx_closed)
    return PW_ESTATE;
  bound_each_wait(t, timeout_ms);
  const unsigned char *p = buf;
  size_t done = 0;
  int err = PW_OK;
  while (done < len) {
    int chunk = len - done < TLS_CHUNK ? (int)(len - done) : TLS_CHUNK;
    ERR_clear_error();
    t->io_err = 0;
    int n = SSL_write(t->ssl, p + done, chunk);
    if (n > 0) {
      done += (size_t)n;
      continue;
    }
    unsigned long code = 0;
    enum outcome k = outcome(t, n, &err, &code);
    if (k == OUT_AGAIN || (k == OUT_FAIL && err == PW_ETIMEDOUT)) {
      err = PW_ETIMEDOUT; /* the record stays in flight for the next send */
      break;
    }
    if (k != OUT_FAIL)
      err = PW_ECONNRESET; /* the peer's end, seen while writing */
    err = die(t, err == PW_ETLS ? pw_posix_tls_failed(PW_ETLS) : err);
    break;
  }
  if (sent)
    *sent = done;
  return err;
}

int pw_tls_recv(pw_tls *t, void *buf, size_t len, uint32_t timeout_ms,
                size_t *got) {
  if (got)
    *got = 0;
  if (!t || !buf || !got || len == 0)
    return PW_EINVAL;
  if (t->rx_closed)
    return PW_OK;
  if (t->dead)
    return t->dead;
  bound_call(t, timeout_ms);
  int want = len > INT_MAX ? INT_MAX : (int)len;
  for (;;) {
    ERR_clear_error();
    t->io_err = 0;
    int n = SSL_read(t->ssl, buf, want);
    if (n > 0) {
      *got = (size_t)n;
      return PW_OK;
    }
    int err = PW_ETLS;
    unsigned long code = 0;
    switch (outcome(t, n, &err, &code)) {
    case OUT_CLOSE_NOTIFY:
      t->rx_closed = 1;
      return PW_OK;
    case OUT_EOF:
      return peer_closed_tcp(t);
    case OUT_AGAIN:
      if (time_left_ms(t) > 0)
        continue;
      return PW_ETIMEDOUT;
    case OUT_FAIL:
    default:
      if (err == PW_ETIMEDOUT)
        return err; /* nothing lost: recv can be called again */
      return die(t, err == PW_ETLS ? pw_posix_tls_failed(PW_ETLS) : err);
    }
  }
}

/* ---- the rest ---- */

void pw_tls_peer_sha256(const pw_tls *t, uint8_t out[PW_TLS_SHA256_LEN]) {
  if (!out)
    return;
  if (t)
    memcpy(out, t->peer_sha256, PW_TLS_SHA256_LEN);
  else
    memset(out, 0, PW_TLS_SHA256_LEN);
}

const char *pw_tls_version(const pw_tls *t) {
  const char *v = t && t->ssl ? SSL_get_version(t->ssl) : NULL;
  return v ? v : "TLS";
}

void pw_tls_close_notify(pw_tls *t, uint32_t timeout_ms) {
  if (!t || t->dead || t->tx_closed)
    return;
  t->tx_closed = 1;
  absorb_arrived(t);
  if (t->dead)
    return;
  bound_call(t, timeout_ms);
  ERR_clear_error();
  t->io_err = 0;
  /* 0: sent, the peer's close_notify not (yet) read - which is all we ask
   * for (recv can still read the rest of the peer's stream). A time-out
   * leaves the alert queued and the connection as it was; any other
   * failure is fatal like everywhere else. */
  int r = SSL_shutdown(t->ssl);
  int err = PW_OK;
  unsigned long code = 0;
  if (r < 0 && outcome(t, r, &err, &code) == OUT_FAIL && err != PW_ETIMEDOUT)
    (void)die(t, err);
  ERR_clear_error();
}

void pw_tls_free(pw_tls *t) {
  if (!t)
    return;
  if (t->established)
    absorb_arrived(t); /* so that closing the socket sends no reset */
  SSL_free(t->ssl);    /* and the BIO; sends nothing */
  SSL_CTX_free(t->ctx);
  free(t);
}
