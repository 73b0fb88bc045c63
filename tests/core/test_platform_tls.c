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
#include "tlsfix.h"

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
    TEST_ENTRY(a_server_that_speaks_only_tls_1_1_is_refused_with_etls))
