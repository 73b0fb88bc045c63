/* portway — the POSIX platform layer's TLS client (platform.h, "TLS client
 * over a connected pw_socket") against an OpenSSL server this test runs on
 * 127.0.0.1 (tests/core/support/tlsserver.c), with certificates made at run
 * time. Only the literal 127.0.0.1 is ever connected to (never DNS): the
 * name checked in the certificate is passed separately as server_name. */
#define _DEFAULT_SOURCE /* setenv, unsetenv, usleep */

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/platform.h"
#include "platform/posix/posix_internal.h"
#include "portway/error.h"
#include "test.h"
#include "tlsserver.h"

#define BIG_LEN ((size_t)4 * 1024 * 1024)
#define STALL_LEN ((size_t)16 * 1024 * 1024)

/* ---- helpers ---- */

static unsigned char pattern(size_t i) {
  return (unsigned char)((i * 7u) ^ (i >> 11));
}

static uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

/* SSL_CERT_FILE as the test wants it (NULL: unset), and back as it was. */
static int cert_file_saved;
static char *cert_file_orig;

static void use_cert_file(const char *path) {
  if (!cert_file_saved) {
    const char *v = getenv("SSL_CERT_FILE");
    cert_file_orig = v ? strdup(v) : NULL;
    cert_file_saved = 1;
  }
  if (path)
    setenv("SSL_CERT_FILE", path, 1);
  else
    unsetenv("SSL_CERT_FILE");
}

static void restore_cert_file(void) {
  if (!cert_file_saved)
    return;
  if (cert_file_orig)
    setenv("SSL_CERT_FILE", cert_file_orig, 1);
  else
    unsetenv("SSL_CERT_FILE");
  free(cert_file_orig);
  cert_file_orig = NULL;
  cert_file_saved = 0;
}

/* A TCP connection to 127.0.0.1:port within 5 s. */
static int tcp_to(int port, pw_socket **out) {
  *out = NULL;
  pw_addr_list *l = NULL;
  int err = pw_net_resolve("127.0.0.1", port, &l);
  if (err == PW_OK)
    err = pw_socket_open(l, 0, out);
  pw_addr_list_free(l);
  if (err == PW_OK)
    err = pw_socket_connect(*out, 5000);
  if (err != PW_OK) {
    pw_socket_close(*out);
    *out = NULL;
  }
  return err;
}

typedef struct client {
  pw_socket *s;
  pw_tls *t;
  char why[256];
  uint64_t took_ms; /* of the handshake */
} client;

/* TCP, then pw_tls_connect with these options; c->t on success. */
static int tls_to(const tlsserver *srv, const char *name, const uint8_t *pin,
                  int insecure, uint32_t timeout_ms, client *c) {
  memset(c, 0, sizeof *c);
  int err = tcp_to(srv->port, &c->s);
  if (err != PW_OK)
    return err;
  pw_tls_options o = {name, pin, insecure};
  uint64_t t0 = now_ms();
  err = pw_tls_connect(c->s, &o, timeout_ms, &c->t, c->why, sizeof c->why);
  c->took_ms = now_ms() - t0;
  return err;
}

static void client_close(client *c) {
  pw_tls_free(c->t);
  pw_socket_close(c->s);
  c->t = NULL;
  c->s = NULL;
}

/* Receive until `want` bytes, the end of the stream or a failure. */
static int recv_all(pw_tls *t, unsigned char *buf, size_t want, size_t *total,
                    uint32_t timeout_ms) {
  *total = 0;
  while (*total < want) {
    size_t got = 0;
    int err = pw_tls_recv(t, buf + *total, want - *total, timeout_ms, &got);
    if (err != PW_OK)
      return err;
    if (got == 0)
      break;
    *total += got;
  }
  return PW_OK;
}

/* A handshake that must fail: its error, with c->why. The server is
 * stopped afterwards by the caller. */
static int handshake_error(tlsserver *srv, const char *name, const uint8_t *pin,
                           int insecure, client *c) {
  int err = tls_to(srv, name, pin, insecure, 10000, c);
  client_close(c);
  return err;
}

/* ---- handlers of the test's own ---- */

static void send_hello_and_end(tlss_conn *c, void *arg) {
  (void)arg;
  (void)tlss_write(c, "hello", 5); /* then close_notify and close */
}

static void send_hello_and_close_tcp(tlss_conn *c, void *arg) {
  (void)arg;
  (void)tlss_write(c, "hello", 5);
  tlss_no_close_notify(c);
}

static void send_cut_record(tlss_conn *c, void *arg) {
  (void)arg;
  /* An application-data record header announcing 64 bytes, then 10. */
  static const unsigned char cut[15] = {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3,
                                        4,    5,    6,    7,    8,    9, 10};
  (void)tlss_write_raw(c, cut, sizeof cut);
  tlss_no_close_notify(c);
}

/* Say nothing until the test releases it (or the server stops), then
 * answer "late" and end. */
static void late_reply(tlss_conn *c, void *arg) {
  if (tlss_wait_flag(c, arg, 20000))
    (void)tlss_write(c, "late", 4);
}

/* Read nothing until the test releases it, then read to the end. */
static void late_drain(tlss_conn *c, void *arg) {
  if (tlss_wait_flag(c, arg, 20000))
    tlss_drain(c, NULL);
}

/* Hold the connection, silent, until the server stops. */
static void hold(tlss_conn *c, void *arg) {
  (void)arg;
  (void)tlss_wait_flag(c, NULL, 60000);
}

/* ---- verification ---- */

TEST(pinned_handshake_echoes_4_mb_byte_for_byte) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.handler = tlss_echo_sized;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  unsigned char *big = malloc(BIG_LEN), *back = malloc(BIG_LEN);
  unsigned char hdr[8];
  uint64_t expect_hash = TLSS_HASH_INIT;
  for (size_t i = 0; i < 8; i++)
    hdr[i] = (unsigned char)((uint64_t)BIG_LEN >> (56 - 8 * i));
  client c;
  int err = tls_to(&srv, "localhost", srv.leaf_sha256, 0, 10000, &c);
  int send_err = PW_EIO, recv_err = PW_EIO, late_send = PW_OK;
  size_t sent = 0, total = 0;
  uint8_t fp[PW_TLS_SHA256_LEN] = {0};
  char version[32] = "";
  if (err == PW_OK && big && back) {
    for (size_t i = 0; i < BIG_LEN; i++)
      big[i] = pattern(i);
    expect_hash = tlss_hash(tlss_hash(expect_hash, hdr, 8), big, BIG_LEN);
    send_err = pw_tls_send(c.t, hdr, sizeof hdr, 10000, &sent);
    if (send_err == PW_OK)
      send_err = pw_tls_send(c.t, big, BIG_LEN, 10000, &sent);
    recv_err = recv_all(c.t, back, BIG_LEN, &total, 10000);
    pw_tls_peer_sha256(c.t, fp);
    snprintf(version, sizeof version, "%s", pw_tls_version(c.t));
    pw_tls_close_notify(c.t, 5000);
    late_send = pw_tls_send(c.t, "x", 1, 1000, NULL);
  }
  client_close(&c);
  int served = tlsserver_wait_conns(&srv, 1);
  tlsserver_stop(&srv);
  int same = big && back && total == BIG_LEN && memcmp(big, back, BIG_LEN) == 0;
  free(big);
  free(back);
  ASSERT_EQ(err, PW_OK);
  ASSERT_STREQ(c.why, "");
  ASSERT_EQ(send_err, PW_OK);
  ASSERT_EQ(sent, BIG_LEN); /* plaintext bytes accepted */
  ASSERT_EQ(recv_err, PW_OK);
  ASSERT_EQ(total, BIG_LEN);
  ASSERT(same);
  ASSERT(memcmp(fp, srv.leaf_sha256, sizeof fp) == 0);
  ASSERT_STREQ(version, "TLSv1.3");
  ASSERT_EQ(late_send, PW_ESTATE); /* no sends after close_notify */
  ASSERT(served);
  ASSERT(srv.res[0].handshake_ok);
  ASSERT_STREQ(srv.res[0].sni, "localhost");
  ASSERT_EQ(srv.res[0].rx_len, 8 + BIG_LEN);
  ASSERT(srv.res[0].rx_hash == expect_hash);
  ASSERT_EQ(srv.res[0].tx_len, BIG_LEN);
  ASSERT_EQ(srv.res[0].end, TLSS_END_NOTIFY);
}

TEST(a_wrong_pin_is_ecert_naming_the_servers_fingerprint) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  ASSERT_EQ(tlsserver_start(&srv), 0);
  uint8_t pin[32];
  memcpy(pin, srv.leaf_sha256, sizeof pin);
  pin[31] ^= 1;
  client c;
  int err = handshake_error(&srv, "localhost", pin, 0, &c);
  int served = tlsserver_wait_conns(&srv, 1);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_ECERT);
  ASSERT(c.t == NULL);
  ASSERT(strstr(c.why, srv.leaf_fp) != NULL);
  ASSERT(strstr(c.why, "does not match the pinned one") != NULL);
  ASSERT(served);
  ASSERT_EQ(srv.res[0].rx_len, 0); /* not a byte of data went out */
}

TEST(a_pin_skips_the_chain_and_name_checks) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv); /* self-signed */
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = tls_to(&srv, "notlocalhost", srv.leaf_sha256, 0, 10000, &c);
  client_close(&c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_OK);
}

TEST(default_verification_refuses_a_self_signed_certificate) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  ASSERT_EQ(tlsserver_start(&srv), 0);
  use_cert_file(NULL); /* the system's roots, which do not have it */
  client c;
  int err = handshake_error(&srv, "localhost", NULL, 0, &c);
  restore_cert_file();
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_ECERT);
  ASSERT(strstr(c.why, "not trusted") != NULL);
  ASSERT(strstr(c.why, "self") != NULL && strstr(c.why, "signed") != NULL);
}

TEST(default_verification_trusts_the_ca_named_by_ssl_cert_file) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.cert = TLSS_CA_SIGNED;
  srv.handler = tlss_reply;
  srv.handler_arg = "pong";
  ASSERT_EQ(tlsserver_start(&srv), 0);
  use_cert_file(srv.ca_file);
  client c;
  int err = tls_to(&srv, "localhost", NULL, 0, 10000, &c);
  restore_cert_file();
  unsigned char buf[8] = "";
  size_t total = 0;
  int recv_err = err == PW_OK ? recv_all(c.t, buf, 4, &total, 5000) : PW_EIO;
  uint8_t fp[PW_TLS_SHA256_LEN] = {0};
  pw_tls_peer_sha256(c.t, fp);
  client_close(&c);
  int served = tlsserver_wait_conns(&srv, 1);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(recv_err, PW_OK);
  ASSERT_EQ(total, 4);
  ASSERT(memcmp(buf, "pong", 4) == 0);
  ASSERT(memcmp(fp, srv.leaf_sha256, sizeof fp) == 0);
  ASSERT(served);
  ASSERT_STREQ(srv.res[0].sni, "localhost");
}

TEST(default_verification_refuses_a_name_the_certificate_does_not_carry) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.cert = TLSS_CA_SIGNED;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  use_cert_file(srv.ca_file);
  client c;
  int err = handshake_error(&srv, "notlocalhost", NULL, 0, &c);
  restore_cert_file();
  int served = tlsserver_wait_conns(&srv, 1);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_ECERT);
  ASSERT(strstr(c.why, "hostname mismatch") != NULL);
  ASSERT(strstr(c.why, "notlocalhost") != NULL);
  ASSERT(served);
  ASSERT_STREQ(srv.res[0].sni, "notlocalhost"); /* SNI is server_name */
}

TEST(default_verification_checks_an_ip_literal_against_the_ip_addresses) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.cert = TLSS_CA_SIGNED;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  use_cert_file(srv.ca_file);
  client c4, c6, cx;
  int err4 = tls_to(&srv, "127.0.0.1", NULL, 0, 10000, &c4);
  client_close(&c4);
  int err6 = tls_to(&srv, "::1", NULL, 0, 10000, &c6);
  client_close(&c6);
  int errx = handshake_error(&srv, "127.0.0.2", NULL, 0, &cx);
  restore_cert_file();
  int served = tlsserver_wait_conns(&srv, 3);
  tlsserver_stop(&srv);
  ASSERT_EQ(err4, PW_OK);
  ASSERT_EQ(err6, PW_OK);
  ASSERT_EQ(errx, PW_ECERT);
  ASSERT(strstr(cx.why, "IP address mismatch") != NULL);
  ASSERT(served);
  ASSERT_STREQ(srv.res[0].sni, ""); /* no SNI for an address */
  ASSERT_STREQ(srv.res[1].sni, "");
}

TEST(default_verification_reads_the_trust_store_for_each_connection) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.cert = TLSS_CA_SIGNED;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client ok, refused;
  use_cert_file(srv.ca_file);
  int err_ok = tls_to(&srv, "localhost", NULL, 0, 10000, &ok);
  client_close(&ok);
  use_cert_file("/dev/null"); /* the CA is not trusted any more */
  int err_refused = handshake_error(&srv, "localhost", NULL, 0, &refused);
  restore_cert_file();
  tlsserver_stop(&srv);
  ASSERT_EQ(err_ok, PW_OK);
  ASSERT_EQ(err_refused, PW_ECERT);
  ASSERT(strstr(refused.why, "issuer") != NULL);
}

TEST(insecure_accepts_any_certificate_and_still_reports_its_fingerprint) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = tls_to(&srv, "notlocalhost", NULL, 1, 10000, &c);
  uint8_t fp[PW_TLS_SHA256_LEN] = {0};
  pw_tls_peer_sha256(c.t, fp);
  client_close(&c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_OK);
  ASSERT(memcmp(fp, srv.leaf_sha256, sizeof fp) == 0);
}

/* ---- peers that do not talk TLS ---- */

TEST(a_peer_that_answers_in_plain_text_is_etls) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.mode = TLSS_GARBAGE; /* "HTTP/1.1 400 Bad Request..." */
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = handshake_error(&srv, "localhost", NULL, 1, &c);
  tlsserver_stop(&srv);
  pw_os_error os = pw_os_last_error();
  ASSERT_EQ(err, PW_ETLS);
  ASSERT(strstr(c.why, "TLS handshake with localhost failed: ") != NULL);
  ASSERT(c.took_ms < 5000);
  /* TLS's own verdict: "no OS error" recorded for it, not an older one. */
  ASSERT_EQ(os.err, PW_ETLS);
  ASSERT_EQ(os.code, 0);
}

TEST(a_peer_that_closes_during_the_handshake_is_econnreset) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.mode = TLSS_CLOSE;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = handshake_error(&srv, "localhost", NULL, 1, &c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_ECONNRESET);
  ASSERT(strstr(c.why, "closed the connection during the TLS handshake"));
}

TEST(a_silent_peer_times_the_handshake_out_within_the_bound) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.mode = TLSS_SILENT;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = tls_to(&srv, "localhost", NULL, 1, 300, &c);
  client_close(&c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_ETIMEDOUT);
  ASSERT(c.took_ms >= 300 && c.took_ms < 3000);
  ASSERT(strstr(c.why, "timed out") != NULL);
}

TEST(a_server_that_speaks_only_tls_1_1_is_refused_with_etls) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.max_version = 11;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = handshake_error(&srv, "localhost", NULL, 1, &c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_ETLS);
  ASSERT(c.why[0] != '\0');
}

/* ---- abort ---- */

typedef struct blocked {
  client *c;
  const tlsserver *srv;
  int handshake; /* 1: block in pw_tls_connect, 0: in pw_tls_recv */
  int result;
} blocked;

static void blocked_main(void *arg) {
  blocked *b = arg;
  if (b->handshake) {
    pw_tls_options o = {"localhost", NULL, 1};
    b->result = pw_tls_connect(b->c->s, &o, 60000, &b->c->t, b->c->why,
                               sizeof b->c->why);
  } else {
    char buf[16];
    size_t got = 99;
    b->result = pw_tls_recv(b->c->t, buf, sizeof buf, 60000, &got);
  }
}

TEST(abort_wakes_a_blocked_handshake_with_ecanceled) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.mode = TLSS_SILENT;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  memset(&c, 0, sizeof c);
  int err = tcp_to(srv.port, &c.s);
  blocked b = {&c, &srv, 1, PW_OK};
  pw_thread *t = NULL;
  if (err == PW_OK)
    err = pw_thread_start(&t, blocked_main, &b);
  usleep(200 * 1000); /* let it block (60 s time-out) */
  uint64_t t0 = now_ms();
  pw_socket_abort(c.s);
  if (t)
    pw_thread_join(t);
  uint64_t took = now_ms() - t0;
  client_close(&c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(b.result, PW_ECANCELED);
  ASSERT(c.why[0] != '\0');
  ASSERT(took < 5000);
}

TEST(abort_wakes_a_blocked_recv_with_ecanceled_for_good) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.handler = hold;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = tls_to(&srv, "localhost", srv.leaf_sha256, 0, 10000, &c);
  blocked b = {&c, &srv, 0, PW_OK};
  pw_thread *t = NULL;
  if (err == PW_OK)
    err = pw_thread_start(&t, blocked_main, &b);
  usleep(200 * 1000);
  uint64_t t0 = now_ms();
  pw_socket_abort(c.s);
  if (t)
    pw_thread_join(t);
  uint64_t took = now_ms() - t0;
  char buf[4];
  size_t got = 99;
  int later_recv = c.t ? pw_tls_recv(c.t, buf, sizeof buf, 1000, &got) : PW_EIO;
  int later_send = c.t ? pw_tls_send(c.t, "x", 1, 1000, NULL) : PW_EIO;
  pw_tls_close_notify(c.t, 1000); /* harmless on a dead connection */
  client_close(&c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(b.result, PW_ECANCELED);
  ASSERT(took < 5000);
  ASSERT_EQ(later_recv, PW_ECANCELED);
  ASSERT_EQ(got, 0);
  ASSERT_EQ(later_send, PW_ECANCELED);
}

/* ---- the end of the stream, time-outs ---- */

/* Connect (pinned) to a server running `h`, read to the end: the bytes, and
 * the two results of recv after them. */
static void read_to_end(tlss_handler h, char *buf, size_t cap, size_t *total,
                        int *end1, int *end2, size_t *got2) {
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.handler = h;
  *end1 = *end2 = PW_EIO;
  if (tlsserver_start(&srv) != 0)
    return;
  client c;
  if (tls_to(&srv, "localhost", srv.leaf_sha256, 0, 10000, &c) == PW_OK) {
    *end1 = recv_all(c.t, (unsigned char *)buf, cap, total, 5000);
    *end2 = pw_tls_recv(c.t, buf, cap, 5000, got2);
  }
  client_close(&c);
  tlsserver_stop(&srv);
}

TEST(recv_gives_zero_after_the_peers_close_notify) {
  char buf[16] = "";
  size_t total = 0, got2 = 99;
  int end1, end2;
  read_to_end(send_hello_and_end, buf, sizeof buf, &total, &end1, &end2, &got2);
  ASSERT_EQ(end1, PW_OK);
  ASSERT_EQ(total, 5);
  ASSERT(memcmp(buf, "hello", 5) == 0);
  ASSERT_EQ(end2, PW_OK); /* and again */
  ASSERT_EQ(got2, 0);
}

TEST(recv_gives_zero_when_the_peer_just_closes_tcp_after_a_record) {
  char buf[16] = "";
  size_t total = 0, got2 = 99;
  int end1, end2;
  read_to_end(send_hello_and_close_tcp, buf, sizeof buf, &total, &end1, &end2,
              &got2);
  ASSERT_EQ(end1, PW_OK);
  ASSERT_EQ(total, 5);
  ASSERT(memcmp(buf, "hello", 5) == 0);
  ASSERT_EQ(end2, PW_OK);
  ASSERT_EQ(got2, 0);
}

TEST(recv_of_a_record_cut_by_a_tcp_close_is_econnreset) {
  char buf[16] = "";
  size_t total = 0, got2 = 99;
  int end1, end2;
  read_to_end(send_cut_record, buf, sizeof buf, &total, &end1, &end2, &got2);
  ASSERT_EQ(end1, PW_ECONNRESET);
  ASSERT_EQ(total, 0);
  ASSERT_EQ(end2, PW_ECONNRESET); /* for good */
}

TEST(a_recv_time_out_leaves_the_connection_usable) {
  static atomic_int release;
  atomic_store(&release, 0);
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.handler = late_reply;
  srv.handler_arg = &release;
  ASSERT_EQ(tlsserver_start(&srv), 0);
  client c;
  int err = tls_to(&srv, "localhost", srv.leaf_sha256, 0, 10000, &c);
  char buf[16] = "";
  size_t got = 99, total = 0;
  int r1 = PW_EIO, r2 = PW_EIO;
  uint64_t took = 0;
  if (err == PW_OK) {
    uint64_t t0 = now_ms();
    r1 = pw_tls_recv(c.t, buf, sizeof buf, 200, &got);
    took = now_ms() - t0;
    atomic_store(&release, 1);
    r2 = recv_all(c.t, (unsigned char *)buf, sizeof buf, &total, 10000);
  }
  atomic_store(&release, 1);
  client_close(&c);
  tlsserver_stop(&srv);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(r1, PW_ETIMEDOUT);
  ASSERT_EQ(got, 0);
  ASSERT(took >= 200 && took < 3000);
  ASSERT_EQ(r2, PW_OK);
  ASSERT_EQ(total, 4);
  ASSERT(memcmp(buf, "late", 4) == 0);
}

TEST(a_send_time_out_then_going_on_delivers_every_byte_once) {
  static atomic_int release;
  atomic_store(&release, 0);
  tlsserver srv;
  memset(&srv, 0, sizeof srv);
  srv.handler = late_drain;
  srv.handler_arg = &release;
  srv.rcvbuf = 4096; /* the stalled server takes little */
  ASSERT_EQ(tlsserver_start(&srv), 0);
  unsigned char *big = malloc(STALL_LEN);
  client c;
  int err = tls_to(&srv, "localhost", srv.leaf_sha256, 0, 10000, &c);
  /* Small buffers on both sides, whatever the kernel's defaults: the
   * first send must stall long before 16 MB. */
  int sndbuf = 65536;
  if (c.s)
    (void)setsockopt(pw_posix_socket_fd(c.s), SOL_SOCKET, SO_SNDBUF, &sndbuf,
                     sizeof sndbuf);
  int first = PW_EIO, rest = PW_EIO;
  size_t first_sent = 0, total = 0;
  uint64_t hash = TLSS_HASH_INIT;
  if (err == PW_OK && big) {
    for (size_t i = 0; i < STALL_LEN; i++)
      big[i] = pattern(i);
    hash = tlss_hash(hash, big, STALL_LEN);
    first = pw_tls_send(c.t, big, STALL_LEN, 200, &first_sent);
    total = first_sent;
    atomic_store(&release, 1);
    /* As with pw_socket_send: go on from what was reported sent. */
    do {
      size_t n = 0;
      rest = pw_tls_send(c.t, big + total, STALL_LEN - total, 10000, &n);
      total += n;
    } while (rest == PW_ETIMEDOUT);
    pw_tls_close_notify(c.t, 5000);
  }
  atomic_store(&release, 1);
  client_close(&c);
  int served = tlsserver_wait_conns(&srv, 1);
  tlsserver_stop(&srv);
  free(big);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(first, PW_ETIMEDOUT);
  ASSERT(first_sent < STALL_LEN);
  ASSERT_EQ(rest, PW_OK);
  ASSERT_EQ(total, STALL_LEN);
  ASSERT(served);
  ASSERT_EQ(srv.res[0].rx_len, STALL_LEN);
  ASSERT(srv.res[0].rx_hash == hash);
  ASSERT_EQ(srv.res[0].end, TLSS_END_NOTIFY);
}

/* ---- the rest of the interface ---- */

TEST(version_names_tls_1_2_and_tls_1_3) {
  tlsserver s12, s13;
  memset(&s12, 0, sizeof s12);
  memset(&s13, 0, sizeof s13);
  s12.max_version = 12;
  ASSERT_EQ(tlsserver_start(&s12), 0);
  ASSERT_EQ(tlsserver_start(&s13), 0);
  client c12, c13;
  char v12[32] = "", v13[32] = "";
  int e12 = tls_to(&s12, "localhost", s12.leaf_sha256, 0, 10000, &c12);
  snprintf(v12, sizeof v12, "%s", pw_tls_version(c12.t));
  client_close(&c12);
  int e13 = tls_to(&s13, "localhost", s13.leaf_sha256, 0, 10000, &c13);
  snprintf(v13, sizeof v13, "%s", pw_tls_version(c13.t));
  client_close(&c13);
  int served = tlsserver_wait_conns(&s12, 1);
  tlsserver_stop(&s12);
  tlsserver_stop(&s13);
  ASSERT_EQ(e12, PW_OK);
  ASSERT_EQ(e13, PW_OK);
  ASSERT_STREQ(v12, "TLSv1.2");
  ASSERT_STREQ(v13, "TLSv1.3");
  ASSERT(served);
  ASSERT_STREQ(s12.res[0].version, "TLSv1.2");
}

TEST(bad_arguments_are_einval_and_null_is_harmless) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9, &l), PW_OK);
  pw_socket *s = NULL;
  int open_err = pw_socket_open(l, 0, &s);
  pw_addr_list_free(l);
  ASSERT_EQ(open_err, PW_OK);
  pw_tls_options none = {NULL, NULL, 0}, empty = {"", NULL, 0};
  pw_tls_options ok = {"localhost", NULL, 0};
  pw_tls *t = (pw_tls *)&none; /* must be set to NULL */
  char why[128] = "x";
  int e1 = pw_tls_connect(s, &none, 1000, &t, why, sizeof why);
  int e2 = pw_tls_connect(s, &empty, 1000, &t, NULL, 0);
  int e3 = pw_tls_connect(s, NULL, 1000, &t, NULL, 0);
  int e4 = pw_tls_connect(NULL, &ok, 1000, &t, NULL, 0);
  int e5 = pw_tls_connect(s, &ok, 1000, NULL, NULL, 0);
  pw_socket_close(s);
  char buf[4];
  size_t n = 99;
  ASSERT_EQ(e1, PW_EINVAL);
  ASSERT(why[0] != '\0' && strcmp(why, "x") != 0);
  ASSERT_EQ(e2, PW_EINVAL);
  ASSERT_EQ(e3, PW_EINVAL);
  ASSERT_EQ(e4, PW_EINVAL);
  ASSERT_EQ(e5, PW_EINVAL);
  ASSERT(t == NULL);
  ASSERT_EQ(pw_tls_send(NULL, "x", 1, 10, &n), PW_EINVAL);
  ASSERT_EQ(n, 0);
  n = 99;
  ASSERT_EQ(pw_tls_recv(NULL, buf, sizeof buf, 10, &n), PW_EINVAL);
  ASSERT_EQ(n, 0);
  ASSERT(pw_tls_version(NULL) != NULL);
  pw_tls_close_notify(NULL, 10);
  pw_tls_free(NULL);
}

TEST_MAIN(
    TEST_ENTRY(pinned_handshake_echoes_4_mb_byte_for_byte),
    TEST_ENTRY(a_wrong_pin_is_ecert_naming_the_servers_fingerprint),
    TEST_ENTRY(a_pin_skips_the_chain_and_name_checks),
    TEST_ENTRY(default_verification_refuses_a_self_signed_certificate),
    TEST_ENTRY(default_verification_trusts_the_ca_named_by_ssl_cert_file),
    TEST_ENTRY(
        default_verification_refuses_a_name_the_certificate_does_not_carry),
    TEST_ENTRY(
        default_verification_checks_an_ip_literal_against_the_ip_addresses),
    TEST_ENTRY(default_verification_reads_the_trust_store_for_each_connection),
    TEST_ENTRY(
        insecure_accepts_any_certificate_and_still_reports_its_fingerprint),
    TEST_ENTRY(a_peer_that_answers_in_plain_text_is_etls),
    TEST_ENTRY(a_peer_that_closes_during_the_handshake_is_econnreset),
    TEST_ENTRY(a_silent_peer_times_the_handshake_out_within_the_bound),
    TEST_ENTRY(a_server_that_speaks_only_tls_1_1_is_refused_with_etls),
    TEST_ENTRY(abort_wakes_a_blocked_handshake_with_ecanceled),
    TEST_ENTRY(abort_wakes_a_blocked_recv_with_ecanceled_for_good),
    TEST_ENTRY(recv_gives_zero_after_the_peers_close_notify),
    TEST_ENTRY(recv_gives_zero_when_the_peer_just_closes_tcp_after_a_record),
    TEST_ENTRY(recv_of_a_record_cut_by_a_tcp_close_is_econnreset),
    TEST_ENTRY(a_recv_time_out_leaves_the_connection_usable),
    TEST_ENTRY(a_send_time_out_then_going_on_delivers_every_byte_once),
    TEST_ENTRY(version_names_tls_1_2_and_tls_1_3),
    TEST_ENTRY(bad_arguments_are_einval_and_null_is_harmless))
