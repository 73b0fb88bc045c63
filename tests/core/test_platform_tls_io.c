/* portway — the POSIX platform layer's TLS client, continued from
 * test_platform_tls.c (handshake and verification): abort of blocked calls,
 * the peer's close, time-outs of recv and send, version names, bad
 * arguments; against the in-process OpenSSL server on 127.0.0.1
 * (support/tlsserver.c). Helpers in support/tlsfix.h. */
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
    TEST_ENTRY(abort_wakes_a_blocked_handshake_with_ecanceled),
    TEST_ENTRY(abort_wakes_a_blocked_recv_with_ecanceled_for_good),
    TEST_ENTRY(recv_gives_zero_after_the_peers_close_notify),
    TEST_ENTRY(recv_gives_zero_when_the_peer_just_closes_tcp_after_a_record),
    TEST_ENTRY(recv_of_a_record_cut_by_a_tcp_close_is_econnreset),
    TEST_ENTRY(a_recv_time_out_leaves_the_connection_usable),
    TEST_ENTRY(a_send_time_out_then_going_on_delivers_every_byte_once),
    TEST_ENTRY(version_names_tls_1_2_and_tls_1_3),
    TEST_ENTRY(bad_arguments_are_einval_and_null_is_harmless))
