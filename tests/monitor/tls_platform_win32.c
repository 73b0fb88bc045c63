/* portway — the Win32 platform layer's TLS client (platform.h, "TLS client
 * over a connected pw_socket") on Schannel, run under Wine against native
 * peers on 127.0.0.1 that tests/monitor/tls_wine.sh starts: a Python ssl
 * server with a throwaway self-signed certificate for localhost (SAN
 * DNS:localhost, IP:127.0.0.1). Not named test_*.c on purpose: without
 * its peers it cannot run, so the glob in CMakeLists.txt leaves it alone
 * and only the script runs it.
 *
 * The script passes, in the environment:
 *   PW_TLS_PEER  "echo=P notify=P tcpclose=P plain=P silent=P sni=P
 *                 garbage=P alert=P old=P"
 *   PW_TLS_FP    the certificate's SHA-256 as openssl prints it (AB:CD:...)
 * echo: TLS, echoes everything; notify: TLS, sends "bye" and close_notify;
 * tcpclose: TLS, sends "bye" and closes TCP without close_notify; plain:
 * answers a ClientHello with an HTTP error (no TLS); silent: accepts and
 * says nothing; sni: TLS, sends the SNI name it got (or "-") and a "\n";
 * garbage: answers with a ServerHello too short to be one; alert: answers
 * with a fatal handshake_failure alert; old: an echo that speaks only
 * TLS 1.1. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "portway/error.h"
#include "test.h"

#define BIG_LEN ((size_t)1024 * 1024)
#define CHUNK ((size_t)64 * 1024)
#define IO_MS 20000 /* bound of every I/O call that should succeed */

static unsigned char pattern(size_t i) {
  return (unsigned char)((i * 31u) ^ (i >> 9));
}

static uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

/* The port of peer `name` from PW_TLS_PEER, or 0. */
static int peer_port(const char *name) {
  const char *env = getenv("PW_TLS_PEER");
  if (!env)
    return 0;
  size_t n = strlen(name);
  for (const char *p = env; (p = strstr(p, name)) != NULL; p += n) {
    if ((p == env || p[-1] == ' ') && p[n] == '=')
      return atoi(p + n + 1);
  }
  return 0;
}

/* PW_TLS_FP (AB:CD:...) as 32 octets: 0, or -1 if missing or malformed. */
static int expected_fp(uint8_t out[PW_TLS_SHA256_LEN]) {
  const char *env = getenv("PW_TLS_FP");
  if (!env || strlen(env) != PW_TLS_SHA256_LEN * 3 - 1)
    return -1;
  for (size_t i = 0; i < PW_TLS_SHA256_LEN; i++) {
    unsigned v;
    if (sscanf(env + i * 3, "%2x", &v) != 1)
      return -1;
    out[i] = (uint8_t)v;
  }
  return 0;
}

static int connect_to(int port, pw_socket **out) {
  pw_addr_list *l = NULL;
  *out = NULL;
  CHECK_OR_RETURN(port > 0, -1);
  CHECK_OR_RETURN(pw_net_resolve("127.0.0.1", port, &l) == PW_OK, -1);
  int err = pw_socket_open(l, 0, out);
  pw_addr_list_free(l);
  CHECK_OR_RETURN(err == PW_OK, -1);
  err = pw_socket_connect(*out, 5000);
  if (err != PW_OK) {
    pw_socket_close(*out);
    *out = NULL;
  }
  CHECK_OR_RETURN(err == PW_OK, -1);
  return 0;
}

/* A TCP connection to peer `name` and a handshake on it with `o`: the
 * pw_tls result, *s (close it) and *t (NULL unless PW_OK). */
static int tls_to(const char *name, const pw_tls_options *o, uint32_t ms,
                  pw_socket **s, pw_tls **t, char *err, size_t errlen) {
  *t = NULL;
  if (connect_to(peer_port(name), s) != 0)
    return PW_EIO;
  int rc = pw_tls_connect(*s, o, ms, t, err, errlen);
  if (rc != PW_OK)
    printf("  (%s: %s: %s)\n", name, pw_errname(rc), err);
  return rc;
}

static void done(pw_socket *s, pw_tls *t) {
  pw_tls_free(t);
  pw_socket_close(s);
}

/* Read exactly len bytes (in reads of at most `step`). */
static int recv_all(pw_tls *t, unsigned char *buf, size_t len, size_t step) {
  size_t have = 0;
  while (have < len) {
    size_t want = len - have < step ? len - have : step;
    size_t got = 0;
    int rc = pw_tls_recv(t, buf + have, want, IO_MS, &got);
    CHECK_OR_RETURN(rc == PW_OK, rc);
    CHECK_OR_RETURN(got > 0, PW_ECONNRESET);
    have += got;
  }
  return PW_OK;
}

TEST(peers_are_given) {
  uint8_t fp[PW_TLS_SHA256_LEN];
  ASSERT(expected_fp(fp) == 0);
  ASSERT(peer_port("echo") > 0 && peer_port("notify") > 0);
  ASSERT(peer_port("tcpclose") > 0 && peer_port("plain") > 0);
  ASSERT(peer_port("silent") > 0 && peer_port("sni") > 0);
  ASSERT(peer_port("garbage") > 0 && peer_port("alert") > 0);
  ASSERT(peer_port("old") > 0);
}

TEST(pinned_handshake_and_1mb_round_trip) {
  uint8_t fp[PW_TLS_SHA256_LEN];
  ASSERT(expected_fp(fp) == 0);
  pw_tls_options o = {"localhost", fp, 0};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  ASSERT_EQ(tls_to("echo", &o, IO_MS, &s, &t, err, sizeof err), PW_OK);
  const char *v = pw_tls_version(t);
  printf("  (negotiated %s)\n", v);
  ASSERT(strcmp(v, "TLSv1.2") == 0 || strcmp(v, "TLSv1.3") == 0);
  unsigned char *out = malloc(BIG_LEN);
  unsigned char *in = malloc(BIG_LEN);
  int ok = out && in;
  for (size_t i = 0; ok && i < BIG_LEN; i++)
    out[i] = pattern(i);
  /* Chunk by chunk, so neither side's buffers need to hold it all; odd
   * read sizes leave decrypted surplus for the next recv. */
  for (size_t off = 0; ok && off < BIG_LEN; off += CHUNK) {
    size_t sent = 0;
    ok = pw_tls_send(t, out + off, CHUNK, IO_MS, &sent) == PW_OK &&
         sent == CHUNK && recv_all(t, in + off, CHUNK, 777) == PW_OK;
  }
  ok = ok && memcmp(in, out, BIG_LEN) == 0;
  free(out);
  free(in);
  pw_tls_close_notify(t, 2000);
  done(s, t);
  ASSERT(ok);
}

TEST(peer_sha256_matches_openssl_fingerprint) {
  uint8_t fp[PW_TLS_SHA256_LEN], got[PW_TLS_SHA256_LEN];
  ASSERT(expected_fp(fp) == 0);
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  ASSERT_EQ(tls_to("echo", &o, IO_MS, &s, &t, err, sizeof err), PW_OK);
  pw_tls_peer_sha256(t, got);
  done(s, t);
  ASSERT(memcmp(fp, got, sizeof fp) == 0);
}

TEST(wrong_pin_is_ecert_and_names_the_fingerprint) {
  uint8_t fp[PW_TLS_SHA256_LEN];
  ASSERT(expected_fp(fp) == 0);
  fp[7] ^= 0x40;
  pw_tls_options o = {"localhost", fp, 0};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  int rc = tls_to("echo", &o, IO_MS, &s, &t, err, sizeof err);
  done(s, t);
  ASSERT_EQ(rc, PW_ECERT);
  ASSERT(t == NULL);
  ASSERT(strstr(err, "does not match the pinned one") != NULL);
  ASSERT(strstr(err, getenv("PW_TLS_FP")) != NULL); /* the real one */
}

/* Wine's chain engine must refuse the unknown self-signed root too. */
TEST(default_verification_refuses_self_signed) {
  const char *names[] = {"localhost", "127.0.0.1"};
  for (size_t i = 0; i < 2; i++) {
    pw_tls_options o = {names[i], NULL, 0};
    pw_socket *s = NULL;
    pw_tls *t = NULL;
    char err[256] = "";
    int rc = tls_to("echo", &o, IO_MS, &s, &t, err, sizeof err);
    done(s, t);
    ASSERT_EQ(rc, PW_ECERT);
    ASSERT(strstr(err, "0x800B") != NULL); /* a CERT_E_ / TRUST_E_ code */
    pw_os_error e = pw_os_last_error();
    ASSERT_EQ(e.err, PW_ECERT);
  }
}

TEST(insecure_accepts_and_talks) {
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  ASSERT_EQ(tls_to("echo", &o, IO_MS, &s, &t, err, sizeof err), PW_OK);
  unsigned char buf[4] = {0};
  size_t sent = 0;
  int rc = pw_tls_send(t, "ping", 4, IO_MS, &sent);
  int rc2 = rc == PW_OK ? recv_all(t, buf, 4, 4) : rc;
  done(s, t);
  ASSERT_EQ(rc, PW_OK);
  ASSERT_EQ(sent, 4);
  ASSERT_EQ(rc2, PW_OK);
  ASSERT(memcmp(buf, "ping", 4) == 0);
}

TEST(sni_is_the_name_but_never_an_address) {
  const char *names[] = {"localhost", "127.0.0.1"};
  const char *want[] = {"localhost\n", "-\n"};
  for (size_t i = 0; i < 2; i++) {
    pw_tls_options o = {names[i], NULL, 1};
    pw_socket *s = NULL;
    pw_tls *t = NULL;
    char err[256] = "";
    ASSERT_EQ(tls_to("sni", &o, IO_MS, &s, &t, err, sizeof err), PW_OK);
    unsigned char buf[64] = {0};
    size_t len = strlen(want[i]);
    int rc = recv_all(t, buf, len, sizeof buf);
    done(s, t);
    ASSERT_EQ(rc, PW_OK);
    ASSERT(memcmp(buf, want[i], len) == 0);
  }
}

TEST(plaintext_peer_is_etls) {
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  uint64_t t0 = now_ms();
  int rc = tls_to("plain", &o, IO_MS, &s, &t, err, sizeof err);
  uint64_t took = now_ms() - t0;
  done(s, t);
  ASSERT_EQ(rc, PW_ETLS);
  ASSERT(err[0] != '\0');
  ASSERT(took < 10000);
}

/* A broken handshake or a refusal: Schannel's own error, its status in
 * the text and recorded as the OS error. */
TEST(broken_handshake_and_alert_are_etls_with_the_status) {
  const char *peers[] = {"garbage", "alert"};
  for (size_t i = 0; i < 2; i++) {
    pw_tls_options o = {"localhost", NULL, 1};
    pw_socket *s = NULL;
    pw_tls *t = NULL;
    char err[256] = "";
    uint64_t t0 = now_ms();
    int rc = tls_to(peers[i], &o, IO_MS, &s, &t, err, sizeof err);
    uint64_t took = now_ms() - t0;
    done(s, t);
    ASSERT_EQ(rc, PW_ETLS);
    ASSERT(strstr(err, "TLS handshake failed (") == err);
    ASSERT(strstr(err, " 0x8009") != NULL); /* a SEC_E_ code */
    ASSERT(took < 5000);                    /* not waited out */
    pw_os_error e = pw_os_last_error();
    ASSERT_EQ(e.err, PW_ETLS);
  }
}

/* TLS 1.2 or later: a TLS 1.1 server is refused (under Wine, Schannel
 * ignores the credentials' disabled protocols and negotiates it; portway
 * refuses it after the handshake). */
TEST(tls_1_1_peer_is_refused) {
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  int rc = tls_to("old", &o, IO_MS, &s, &t, err, sizeof err);
  done(s, t);
  ASSERT_EQ(rc, PW_ETLS);
}

TEST(silent_peer_times_out_within_the_bound) {
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  uint64_t t0 = now_ms();
  int rc = tls_to("silent", &o, 1500, &s, &t, err, sizeof err);
  uint64_t took = now_ms() - t0;
  done(s, t);
  ASSERT_EQ(rc, PW_ETIMEDOUT);
  ASSERT(took >= 1400);
  ASSERT(took < 1500 + 3000);
}

typedef struct aborter {
  pw_socket *s;
  unsigned ms;
} aborter;

static void abort_main(void *arg) {
  aborter *a = arg;
  Sleep(a->ms);
  pw_socket_abort(a->s);
}

TEST(abort_ends_a_blocked_handshake) {
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  ASSERT(connect_to(peer_port("silent"), &s) == 0);
  aborter a = {s, 500};
  pw_thread *th = NULL;
  ASSERT_EQ(pw_thread_start(&th, abort_main, &a), PW_OK);
  pw_tls *t = NULL;
  char err[256] = "";
  uint64_t t0 = now_ms();
  int rc = pw_tls_connect(s, &o, 30000, &t, err, sizeof err);
  uint64_t took = now_ms() - t0;
  pw_thread_join(th);
  done(s, t);
  ASSERT_EQ(rc, PW_ECANCELED);
  ASSERT(took < 10000);
}

TEST(recv_time_out_keeps_the_connection_and_abort_ends_recv) {
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  ASSERT_EQ(tls_to("echo", &o, IO_MS, &s, &t, err, sizeof err), PW_OK);
  unsigned char buf[16];
  size_t got = 99;
  uint64_t t0 = now_ms();
  int rc1 = pw_tls_recv(t, buf, sizeof buf, 300, &got);
  uint64_t took = now_ms() - t0;
  int rc2 = pw_tls_send(t, "x", 1, IO_MS, NULL);
  int rc3 = rc2 == PW_OK ? recv_all(t, buf, 1, 1) : rc2;
  aborter a = {s, 300};
  pw_thread *th = NULL;
  int rc4 = pw_thread_start(&th, abort_main, &a);
  int rc5 = rc4 == PW_OK ? pw_tls_recv(t, buf, sizeof buf, 30000, &got) : rc4;
  if (th)
    pw_thread_join(th);
  done(s, t);
  ASSERT_EQ(rc1, PW_ETIMEDOUT);
  ASSERT(took >= 250 && took < 5000);
  ASSERT_EQ(rc2, PW_OK);
  ASSERT_EQ(rc3, PW_OK);
  ASSERT_EQ(buf[0], 'x');
  ASSERT_EQ(rc5, PW_ECANCELED);
}

/* The peer sends "bye" and then closes: with close_notify ("notify") or
 * just TCP ("tcpclose"); either way recv gives 0, and again after. */
static void peer_close_gives_zero(const char *name) {
  pw_tls_options o = {"localhost", NULL, 1};
  pw_socket *s = NULL;
  pw_tls *t = NULL;
  char err[256] = "";
  ASSERT_EQ(tls_to(name, &o, IO_MS, &s, &t, err, sizeof err), PW_OK);
  unsigned char buf[16] = {0};
  int rc1 = recv_all(t, buf, 3, sizeof buf);
  size_t got1 = 99, got2 = 99;
  int rc2 = pw_tls_recv(t, buf + 3, sizeof buf - 3, IO_MS, &got1);
  int rc3 = pw_tls_recv(t, buf + 3, sizeof buf - 3, IO_MS, &got2);
  done(s, t);
  ASSERT_EQ(rc1, PW_OK);
  ASSERT(memcmp(buf, "bye", 3) == 0);
  ASSERT_EQ(rc2, PW_OK);
  ASSERT_EQ(got1, 0);
  ASSERT_EQ(rc3, PW_OK);
  ASSERT_EQ(got2, 0);
}

TEST(close_notify_gives_zero) {
  peer_close_gives_zero("notify");
}

TEST(tcp_close_at_record_boundary_gives_zero) {
  peer_close_gives_zero("tcpclose");
}

TEST(bad_arguments) {
  pw_tls *t = (pw_tls *)1;
  pw_tls_options o = {NULL, NULL, 1};
  char err[64];
  ASSERT_EQ(pw_tls_connect(NULL, &o, 100, &t, err, sizeof err), PW_EINVAL);
  ASSERT(t == NULL);
  pw_tls_free(NULL);
  ASSERT_STREQ(pw_tls_version(NULL), "TLS");
}

TEST_MAIN(TEST_ENTRY(peers_are_given),
          TEST_ENTRY(pinned_handshake_and_1mb_round_trip),
          TEST_ENTRY(peer_sha256_matches_openssl_fingerprint),
          TEST_ENTRY(wrong_pin_is_ecert_and_names_the_fingerprint),
          TEST_ENTRY(default_verification_refuses_self_signed),
          TEST_ENTRY(insecure_accepts_and_talks),
          TEST_ENTRY(sni_is_the_name_but_never_an_address),
          TEST_ENTRY(plaintext_peer_is_etls),
          TEST_ENTRY(broken_handshake_and_alert_are_etls_with_the_status),
          TEST_ENTRY(tls_1_1_peer_is_refused),
          TEST_ENTRY(silent_peer_times_out_within_the_bound),
          TEST_ENTRY(abort_ends_a_blocked_handshake),
          TEST_ENTRY(recv_time_out_keeps_the_connection_and_abort_ends_recv),
          TEST_ENTRY(close_notify_gives_zero),
          TEST_ENTRY(tcp_close_at_record_boundary_gives_zero),
          TEST_ENTRY(bad_arguments))
