/* portway tests — the loopback TLS server (see tlsserver.h). */
#define _DEFAULT_SOURCE /* mkstemp, usleep */
#include "tlsserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "portway/error.h"

#define TLSS_POLL_MS 20
#define TLSS_SAN "DNS:localhost,IP:127.0.0.1,IP:::1"
#define TLSS_GARBAGE_DEFAULT                                                   \
  "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"                   \
  "Content-Length: 11\r\nConnection: close\r\n\r\nBad Request"

struct tlss_conn {
  tlsserver *srv;
  int fd;
  SSL *ssl;
  int dead;      /* a fatal TLS error: no close_notify at the end */
  int no_notify; /* tlss_no_close_notify */
  tlss_result r;
};

uint64_t tlss_hash(uint64_t h, const void *p, size_t len) {
  const unsigned char *b = p;
  for (size_t i = 0; i < len; i++) {
    h ^= b[i];
    h *= 1099511628211ull;
  }
  return h;
}

void tlss_format_sha256(const uint8_t d[32], char out[TLSS_FP_TEXT]) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < 32; i++) {
    out[3 * i] = hex[d[i] >> 4];
    out[3 * i + 1] = hex[d[i] & 15];
    out[3 * i + 2] = i < 31 ? ':' : '\0';
  }
}

static int stopping(tlsserver *s) {
  pw_mutex_lock(&s->lock);
  int v = s->stop;
  pw_mutex_unlock(&s->lock);
  return v;
}

static uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

static unsigned io_ms(const tlsserver *s) {
  return s->io_ms ? s->io_ms : 10000;
}

/* Wait for `events` on fd until deadline (ms) or the stop: 1 ready, 0 not. */
static int wait_fd(tlsserver *s, int fd, short events, uint64_t deadline) {
  while (!stopping(s)) {
    uint64_t now = now_ms();
    if (now >= deadline)
      return 0;
    uint64_t left = deadline - now;
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, left < TLSS_POLL_MS ? (int)left : TLSS_POLL_MS);
    if (n > 0)
      return 1;
    if (n < 0 && errno != EINTR)
      return 0;
  }
  return 0;
}

/* ---- certificates ---- */

static EVP_PKEY *make_key(void) {
  EVP_PKEY *k = NULL;
  EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
  if (!pc || EVP_PKEY_keygen_init(pc) != 1 ||
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(pc, NID_X9_62_prime256v1) != 1 ||
      EVP_PKEY_keygen(pc, &k) != 1) {
    EVP_PKEY_free(k);
    k = NULL;
  }
  EVP_PKEY_CTX_free(pc);
  return k;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
  X509V3_CTX v;
  X509V3_set_ctx_nodb(&v);
  X509V3_set_ctx(&v, issuer, cert, NULL, NULL, 0);
  X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &v, nid, value);
  int ok = e && X509_add_ext(cert, e, -1) == 1;
  X509_EXTENSION_free(e);
  return ok;
}

/* A certificate for key named cn: a CA (is_ca), or a server certificate
 * for localhost; signed by issuer/issuer_key, or self-signed (NULL). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, int is_ca, X509 *issuer,
                       EVP_PKEY *issuer_key, long serial) {
  X509 *x = X509_new();
  if (!x)
    return NULL;
  X509_NAME *name = X509_get_subject_name(x);
  int ok =
      X509_set_version(x, 2) == 1 &&
      ASN1_INTEGER_set(X509_get_serialNumber(x), serial) == 1 &&
      X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL &&
      X509_gmtime_adj(X509_getm_notAfter(x), 2L * 86400) != NULL &&
      X509_set_pubkey(x, key) == 1 &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 (const unsigned char *)cn, -1, -1, 0) == 1 &&
      X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) ==
          1 &&
      add_ext(x, issuer ? issuer : x, NID_subject_key_identifier, "hash");
  if (ok && issuer)
    ok = add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
  if (ok && is_ca)
    ok = add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") &&
         add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
  if (ok && !is_ca)
    ok = add_ext(x, x, NID_subject_alt_name, TLSS_SAN) &&
         add_ext(x, x, NID_basic_constraints, "CA:FALSE");
  if (ok && !is_ca && issuer)
    ok = add_ext(x, x, NID_key_usage, "critical,digitalSignature") &&
         add_ext(x, x, NID_ext_key_usage, "serverAuth");
  if (ok)
    ok = X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) > 0;
  if (!ok) {
    X509_free(x);
    x = NULL;
  }
  return x;
}

static int write_ca_file(tlsserver *s) {
  const char *dir = getenv("PW_TEST_TMP");
  if (!dir || !*dir)
    dir = "/tmp";
  if (pw_dir_create_all(dir) != PW_OK)
    return -1;
  snprintf(s->ca_file, sizeof s->ca_file, "%s/tlsserver-ca-XXXXXX", dir);
  int fd = mkstemp(s->ca_file);
  if (fd < 0) {
    s->ca_file[0] = '\0';
    return -1;
  }
  FILE *f = fdopen(fd, "w");
  int ok = f && PEM_write_X509(f, (X509 *)s->ca) == 1;
  if (f)
    ok = fclose(f) == 0 && ok;
  else
    close(fd);
  return ok ? 0 : -1;
}

static int make_credentials(tlsserver *s) {
  s->key = make_key();
  if (!s->key)
    return -1;
  if (s->cert == TLSS_CA_SIGNED) {
    s->ca_key = make_key();
    s->ca = s->ca_key
                ? make_cert(s->ca_key, "portway test CA", 1, NULL, NULL, 1)
                : NULL;
    if (!s->ca || write_ca_file(s) != 0)
      return -1;
    s->leaf = make_cert(s->key, "localhost", 0, s->ca, s->ca_key, 2);
  } else {
    s->leaf = make_cert(s->key, "localhost", 0, NULL, NULL, 3);
  }
  unsigned n = 0;
  if (!s->leaf || X509_digest(s->leaf, EVP_sha256(), s->leaf_sha256, &n) != 1 ||
      n != 32)
    return -1;
  tlss_format_sha256(s->leaf_sha256, s->leaf_fp);
  return 0;
}

static int make_ctx(tlsserver *s) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  s->ctx = ctx;
  if (!ctx || SSL_CTX_use_certificate(ctx, s->leaf) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, s->key) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1)
    return -1;
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (s->max_version == 11) {
    /* Below the system's policy on purpose: a server too old to talk to. */
    SSL_CTX_set_security_level(ctx, 0);
    if (SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0") != 1 ||
        SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION) != 1)
      return -1;
  } else if (s->max_version == 12) {
    if (SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1)
      return -1;
  }
  return 0;
}

/* ---- handler I/O ---- */

/* Wait as SSL asked after a WANT_* (e): 1 go on, 0 give up. */
static int ssl_wait(tlss_conn *c, int e, uint64_t deadline) {
  if (e == SSL_ERROR_WANT_READ)
    return wait_fd(c->srv, c->fd, POLLIN, deadline);
  if (e == SSL_ERROR_WANT_WRITE)
    return wait_fd(c->srv, c->fd, POLLOUT, deadline);
  return 0;
}

long tlss_read(tlss_conn *c, void *buf, size_t len) {
  if (c->dead || !c->ssl)
    return -1;
  uint64_t deadline = now_ms() + io_ms(c->srv);
  int want = len > INT_MAX ? INT_MAX : (int)len;
  for (;;) {
    ERR_clear_error();
    int n = SSL_read(c->ssl, buf, want);
    if (n > 0) {
      c->r.rx_len += (uint64_t)n;
      c->r.rx_hash = tlss_hash(c->r.rx_hash, buf, (size_t)n);
      return n;
    }
    int e = SSL_get_error(c->ssl, n);
    if (ssl_wait(c, e, deadline))
      continue;
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
      return -1; /* time-out or stop: the connection is still good */
    unsigned long code = ERR_peek_error();
    ERR_clear_error();
    if (e == SSL_ERROR_ZERO_RETURN) {
      c->r.end = TLSS_END_NOTIFY;
      return 0;
    }
    c->dead = 1;
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
    if (e == SSL_ERROR_SSL &&
        ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
      c->r.end = TLSS_END_TCP;
      return 0;
    }
#endif
    if (e == SSL_ERROR_SYSCALL && code == 0 && errno == 0) {
      c->r.end = TLSS_END_TCP; /* OpenSSL 1.1.1's EOF */
      return 0;
    }
    c->r.end = TLSS_END_ERROR;
    return -1;
  }
}

int tlss_read_full(tlss_conn *c, void *buf, size_t len) {
  unsigned char *p = buf;
  while (len > 0) {
    long n = tlss_read(c, p, len);
    if (n <= 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int tlss_write(tlss_conn *c, const void *buf, size_t len) {
  if (c->dead || !c->ssl)
    return -1;
  const unsigned char *p = buf;
  uint64_t deadline = now_ms() + io_ms(c->srv);
  while (len > 0) {
    int chunk = len > 16384 ? 16384 : (int)len;
    ERR_clear_error();
    int n = SSL_write(c->ssl, p, chunk);
    if (n > 0) {
      p += n;
      len -= (size_t)n;
      c->r.tx_len += (uint64_t)n;
      deadline = now_ms() + io_ms(c->srv);
      continue;
    }
    int e = SSL_get_error(c->ssl, n);
    if (ssl_wait(c, e, deadline))
      continue;
    ERR_clear_error();
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
      c->dead = 1;
    return -1;
  }
  return 0;
}

int tlss_write_raw(tlss_conn *c, const void *buf, size_t len) {
  const unsigned char *p = buf;
  uint64_t deadline = now_ms() + io_ms(c->srv);
  while (len > 0) {
    ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
    if (n > 0) {
      p += n;
      len -= (size_t)n;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_fd(c->srv, c->fd, POLLOUT, deadline))
        return -1;
    } else if (!(n < 0 && errno == EINTR)) {
      return -1;
    }
  }
  return 0;
}

int tlss_wait_flag(tlss_conn *c, const atomic_int *flag, unsigned ms) {
  uint64_t deadline = now_ms() + ms;
  while (!stopping(c->srv) && now_ms() < deadline) {
    if (flag && atomic_load(flag))
      return 1;
    usleep(TLSS_POLL_MS * 1000);
  }
  return flag && atomic_load(flag);
}

void tlss_no_close_notify(tlss_conn *c) {
  c->no_notify = 1;
}

void tlss_drain(tlss_conn *c, void *arg) {
  (void)arg;
  unsigned char buf[16384];
  while (tlss_read(c, buf, sizeof buf) > 0)
    ;
}

void tlss_reply(tlss_conn *c, void *arg) {
  const char *reply = arg;
  if (reply && tlss_write(c, reply, strlen(reply)) != 0)
    return;
  tlss_drain(c, NULL);
}

void tlss_echo_sized(tlss_conn *c, void *arg) {
  (void)arg;
  unsigned char hdr[8];
  if (tlss_read_full(c, hdr, sizeof hdr) != 0)
    return;
  uint64_t len = 0;
  for (size_t i = 0; i < 8; i++)
    len = len << 8 | hdr[i];
  unsigned char *buf =
      len <= ((uint64_t)1 << 30) ? malloc(len ? len : 1) : NULL;
  if (buf && tlss_read_full(c, buf, (size_t)len) == 0 &&
      tlss_write(c, buf, (size_t)len) == 0)
    tlss_drain(c, NULL);
  free(buf);
}

/* ---- serving ---- */

static void serve_tls(tlsserver *s, tlss_conn *c) {
  c->ssl = SSL_new(s->ctx);
  if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1)
    return;
  uint64_t deadline = now_ms() + io_ms(s);
  for (;;) {
    ERR_clear_error();
    int n = SSL_accept(c->ssl);
    if (n == 1)
      break;
    int e = SSL_get_error(c->ssl, n);
    if (!ssl_wait(c, e, deadline)) {
      ERR_clear_error();
      c->dead = 1;
      break;
    }
  }
  /* The name the client asked for, also when it then refused us. */
  const char *sni = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
  snprintf(c->r.sni, sizeof c->r.sni, "%s", sni ? sni : "");
  if (c->dead)
    return;
  c->r.handshake_ok = 1;
  snprintf(c->r.version, sizeof c->r.version, "%s", SSL_get_version(c->ssl));
  (s->handler ? s->handler : tlss_drain)(c, s->handler_arg);
  if (!c->dead && !c->no_notify) {
    /* Send our close_notify (not waiting for the client's). */
    deadline = now_ms() + io_ms(s);
    for (;;) {
      ERR_clear_error();
      int n = SSL_shutdown(c->ssl);
      if (n >= 0 || !ssl_wait(c, SSL_get_error(c->ssl, n), deadline))
        break;
    }
    ERR_clear_error();
  }
}

/* Read and drop until the client closes, or the stop, or until `ms`. */
static void drop_input(tlsserver *s, int fd, unsigned ms) {
  unsigned char buf[4096];
  uint64_t deadline = now_ms() + ms;
  while (wait_fd(s, fd, POLLIN, deadline)) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
      return;
  }
}

static void serve_garbage(tlsserver *s, int fd) {
  unsigned char buf[16384];
  /* Take the ClientHello first: closing on unread data would reset. */
  if (wait_fd(s, fd, POLLIN, now_ms() + io_ms(s)))
    (void)recv(fd, buf, sizeof buf, 0);
  const char *g = s->garbage ? s->garbage : TLSS_GARBAGE_DEFAULT;
  (void)send(fd, g, strlen(g), MSG_NOSIGNAL);
  (void)shutdown(fd, SHUT_WR);
  drop_input(s, fd, io_ms(s));
}

static void server_main(void *arg) {
  tlsserver *s = arg;
  unsigned served = 0;
  /* OpenSSL's socket BIO writes with write(2): a client that is gone would
   * raise SIGPIPE. Blocked in this thread only, it stays pending and dies
   * with the thread; the process's disposition is left alone. */
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  (void)pthread_sigmask(SIG_BLOCK, &pipe, NULL);
  while (s->accept_max == 0 || served < s->accept_max) {
    if (!wait_fd(s, s->listen_fd, POLLIN, UINT64_MAX))
      break; /* stopped */
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
      continue;
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    tlss_conn c;
    memset(&c, 0, sizeof c);
    c.srv = s;
    c.fd = fd;
    c.r.rx_hash = TLSS_HASH_INIT;
    switch (s->mode) {
    case TLSS_TLS:
      serve_tls(s, &c);
      break;
    case TLSS_GARBAGE:
      serve_garbage(s, fd);
      break;
    case TLSS_SILENT:
      drop_input(s, fd, 120000); /* until the client closes or the stop */
      break;
    case TLSS_CLOSE:
    default:
      /* Take the ClientHello, so that the close is a FIN, not a reset. */
      if (wait_fd(s, fd, POLLIN, now_ms() + io_ms(s))) {
        unsigned char hello[16384];
        (void)recv(fd, hello, sizeof hello, 0);
      }
      break;
    }
    SSL_free(c.ssl);
    close(fd);
    ERR_clear_error();
    pw_mutex_lock(&s->lock);
    if (s->conns < TLSS_MAX_CONN)
      s->res[s->conns] = c.r;
    s->conns++;
    pw_mutex_unlock(&s->lock);
    served++;
  }
}

static int listen_loopback(int rcvbuf, int *port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  /* Inherited by accepted sockets: set before listen to take effect. */
  if (rcvbuf > 0)
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t sl = sizeof a;
  if (bind(fd, (struct sockaddr *)&a, sl) != 0 || listen(fd, 8) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &sl) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

static void release(tlsserver *s) {
  if (s->listen_fd >= 0)
    close(s->listen_fd);
  s->listen_fd = -1;
  SSL_CTX_free(s->ctx);
  X509_free(s->leaf);
  X509_free(s->ca);
  EVP_PKEY_free(s->key);
  EVP_PKEY_free(s->ca_key);
  s->ctx = s->leaf = s->ca = s->key = s->ca_key = NULL;
  if (s->ca_file[0])
    (void)remove(s->ca_file);
  s->ca_file[0] = '\0';
  ERR_clear_error();
}

int tlsserver_start(tlsserver *s) {
  s->listen_fd = -1;
  s->ctx = s->key = s->leaf = s->ca_key = s->ca = NULL;
  s->thread = NULL;
  s->stop = 0;
  s->conns = 0;
  s->ca_file[0] = '\0';
  memset(s->res, 0, sizeof s->res);
  if (make_credentials(s) != 0 || make_ctx(s) != 0 ||
      (s->listen_fd = listen_loopback(s->rcvbuf, &s->port)) < 0) {
    release(s);
    return -1;
  }
  pw_mutex_init(&s->lock);
  if (pw_thread_start(&s->thread, server_main, s) != PW_OK) {
    pw_mutex_destroy(&s->lock);
    release(s);
    return -1;
  }
  return 0;
}

void tlsserver_stop(tlsserver *s) {
  if (!s->thread)
    return;
  pw_mutex_lock(&s->lock);
  s->stop = 1;
  pw_mutex_unlock(&s->lock);
  (void)pw_thread_join(s->thread);
  s->thread = NULL;
  pw_mutex_destroy(&s->lock);
  release(s);
}

int tlsserver_wait_conns(tlsserver *s, unsigned n) {
  if (!s->thread)
    return s->conns >= n; /* stopped: nothing changes any more */
  for (int i = 0; i < 500; i++) {
    pw_mutex_lock(&s->lock);
    unsigned c = s->conns;
    pw_mutex_unlock(&s->lock);
    if (c >= n)
      return 1;
    usleep(20000);
  }
  return 0;
}
