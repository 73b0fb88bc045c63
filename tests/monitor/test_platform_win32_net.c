/* portway — the Win32 platform layer's TCP client sockets (platform.h, "TCP
 * client sockets") on Winsock, run on Windows or under Wine, against peers
 * this test runs itself on loopback only: 127.0.0.1, ::1 and "localhost".
 * No other name is ever resolved (the resolver's "not found" codes are
 * tested as a mapping). */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "platform/win32/win32_internal.h"
#include "portway/error.h"
#include "test.h"

#define BIG_LEN ((size_t)10 * 1024 * 1024)
#define PEER_WAIT_MS 20000 /* bound of every wait on the test's own side */

/* ---- helpers: the peer side, on plain Winsock ---- */

static unsigned char pattern(size_t i) {
  return (unsigned char)((i * 7u) ^ (i >> 11));
}

static uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

/* A loopback listener on an ephemeral port; rcvbuf > 0 makes accepted
 * sockets' receive buffers small. INVALID_SOCKET on failure. */
static SOCKET listener(int family, int backlog, int rcvbuf, int *port) {
  SOCKET fd = socket(family, SOCK_STREAM, IPPROTO_TCP);
  if (fd == INVALID_SOCKET)
    return fd;
  SOCKADDR_STORAGE ss;
  memset(&ss, 0, sizeof ss);
  int len;
  if (family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = (int)sizeof *a;
  } else {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = (int)sizeof *a;
  }
  if ((rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF,
                                (const char *)&rcvbuf, sizeof rcvbuf) != 0) ||
      bind(fd, (struct sockaddr *)&ss, len) != 0 ||
      getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
      listen(fd, backlog) != 0) {
    closesocket(fd);
    return INVALID_SOCKET;
  }
  *port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                  : ((struct sockaddr_in6 *)&ss)->sin6_port);
  return fd;
}

/* Accept one connection within PEER_WAIT_MS; its reads and writes time out
 * after the same bound. INVALID_SOCKET on failure. */
static SOCKET accept_one(SOCKET lfd) {
  fd_set r;
  FD_ZERO(&r);
  FD_SET(lfd, &r);
  struct timeval tv = {PEER_WAIT_MS / 1000, 0};
  if (select(0, &r, NULL, NULL, &tv) != 1)
    return INVALID_SOCKET;
  SOCKET fd = accept(lfd, NULL, NULL);
  if (fd == INVALID_SOCKET)
    return fd;
  DWORD ms = PEER_WAIT_MS;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof ms);
  return fd;
}

static int have_ipv6_loopback(void) {
  int port;
  SOCKET fd = listener(AF_INET6, 1, 0, &port);
  if (fd == INVALID_SOCKET)
    return 0;
  closesocket(fd);
  return 1;
}

/* The sink: accepts one connection, reads to end of stream checking every
 * byte against pattern(), then answers "<count> <1 if all matched>" and
 * closes. */
typedef struct sink {
  SOCKET lfd;
  size_t count;
  int match;
  int saw_eof;
} sink;

static void sink_main(void *arg) {
  sink *k = arg;
  SOCKET fd = accept_one(k->lfd);
  if (fd == INVALID_SOCKET)
    return;
  static char buf[65536];
  k->match = 1;
  for (;;) {
    int n = recv(fd, buf, (int)sizeof buf, 0);
    if (n <= 0) {
      k->saw_eof = n == 0;
      break;
    }
    for (int j = 0; j < n; j++) {
      if ((unsigned char)buf[j] != pattern(k->count + (size_t)j))
        k->match = 0;
    }
    k->count += (size_t)n;
  }
  char reply[64];
  int len = snprintf(reply, sizeof reply, "%zu %d", k->count, k->match);
  if (send(fd, reply, len, 0) != len)
    k->match = 0;
  closesocket(fd);
}

/* Resolve `host`, connect to its first address (bounded), in *out. */
static int connect_to(const char *host, int port, pw_socket **out) {
  pw_addr_list *l = NULL;
  int err = pw_net_resolve(host, port, &l);
  if (err != PW_OK)
    return err;
  err = pw_socket_open(l, 0, out);
  pw_addr_list_free(l);
  if (err != PW_OK)
    return err;
  err = pw_socket_connect(*out, 5000);
  if (err != PW_OK) {
    pw_socket_close(*out);
    *out = NULL;
  }
  return err;
}

/* Send BIG_LEN pattern bytes to a sink at host, half-close, read its answer
 * to end of stream, and check both sides agree. 0 if all went well. */
static int big_round_trip(const char *host, int family) {
  int port = 0;
  sink k = {listener(family, 4, 0, &port), 0, 0, 0};
  CHECK_OR_RETURN(k.lfd != INVALID_SOCKET, 1);
  pw_thread *t = NULL;
  CHECK_OR_RETURN(pw_thread_start(&t, sink_main, &k) == PW_OK, 1);
  unsigned char *big = malloc(BIG_LEN);
  pw_socket *s = NULL;
  int err = connect_to(host, port, &s);
  size_t sent = 0, got = 0, total = 0;
  char reply[64] = "";
  int send_err = PW_EIO, shut_err = PW_EIO, recv_err = PW_EIO;
  if (err == PW_OK && big) {
    for (size_t i = 0; i < BIG_LEN; i++)
      big[i] = pattern(i);
    send_err = pw_socket_send(s, big, BIG_LEN, 10000, &sent);
    shut_err = pw_socket_shutdown_send(s);
    /* Read the answer until the sink's close: data first, then 0. */
    do {
      recv_err = pw_socket_recv(s, reply + total, sizeof reply - 1 - total,
                                10000, &got);
      total += got;
    } while (recv_err == PW_OK && got > 0 && total < sizeof reply - 1);
  }
  pw_socket_close(s);
  free(big);
  pw_thread_join(t);
  closesocket(k.lfd);
  char expect[64];
  snprintf(expect, sizeof expect, "%zu 1", BIG_LEN);
  CHECK_OR_RETURN(err == PW_OK, 1);
  CHECK_OR_RETURN(send_err == PW_OK && sent == BIG_LEN, 1);
  CHECK_OR_RETURN(shut_err == PW_OK, 1);
  CHECK_OR_RETURN(recv_err == PW_OK && got == 0, 1); /* ended at EOF */
  CHECK_OR_RETURN(k.saw_eof && k.count == BIG_LEN && k.match, 1);
  CHECK_OR_RETURN(strcmp(reply, expect) == 0, 1);
  return 0;
}

/* ---- connections ---- */

TEST(sockets_are_not_inheritable_and_have_keepalive_on) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9, &l), PW_OK);
  pw_socket *s = NULL;
  ASSERT_EQ(pw_socket_open(l, 0, &s), PW_OK);
  pw_addr_list_free(l);
  SOCKET fd = (SOCKET)pw_win32_socket_handle(s);
  DWORD flags = 0;
  BOOL got_flags = GetHandleInformation((HANDLE)fd, &flags);
  BOOL keepalive = FALSE;
  int n = (int)sizeof keepalive;
  int got = getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, (char *)&keepalive, &n);
  pw_socket_close(s);
  ASSERT(got_flags);
  ASSERT_EQ(flags & HANDLE_FLAG_INHERIT, 0);
  ASSERT_EQ(got, 0);
  ASSERT(keepalive);
}

TEST(ipv4_sends_10_mb_byte_identical_and_reads_the_answer_to_eof) {
  ASSERT_EQ(big_round_trip("127.0.0.1", AF_INET), 0);
}

TEST(ipv6_sends_10_mb_byte_identical_and_reads_the_answer_to_eof) {
  if (!have_ipv6_loopback()) {
    printf("  skip: this machine has no IPv6 loopback (::1)\n");
    return;
  }
  ASSERT_EQ(big_round_trip("::1", AF_INET6), 0);
}

TEST(localhost_sends_10_mb_byte_identical_and_reads_the_answer_to_eof) {
  /* The hosts file may list ::1 first; listen where localhost's first
   * address points. */
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("localhost", 9, &l), PW_OK);
  char buf[64];
  pw_addr_format(l, 0, buf, sizeof buf);
  pw_addr_list_free(l);
  ASSERT_EQ(big_round_trip("localhost", buf[0] == '[' ? AF_INET6 : AF_INET), 0);
}

TEST(connect_to_a_closed_port_is_refused_with_the_os_cause) {
  int port;
  SOCKET lfd = listener(AF_INET, 1, 0, &port);
  ASSERT(lfd != INVALID_SOCKET);
  closesocket(lfd); /* nothing listens there any more */
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", port, &l), PW_OK);
  pw_socket *s = NULL;
  ASSERT_EQ(pw_socket_open(l, 0, &s), PW_OK);
  pw_addr_list_free(l);
  pw_os_error_clear();
  /* Windows itself retries a refused SYN for about 2 s. */
  int err = pw_socket_connect(s, 20000);
  pw_os_error e = pw_os_last_error();
  pw_socket_close(s);
  ASSERT_EQ(err, PW_ECONNREFUSED);
  ASSERT_EQ(e.domain, PW_OSERR_WSA);
  ASSERT_EQ(e.code, WSAECONNREFUSED);
  ASSERT_EQ(e.err, PW_ECONNREFUSED);
}

TEST(connect_times_out_when_the_listener_backlog_is_full) {
  /* listen(fd, 0) and never accept: once the backlog is full the
   * listener drops new handshakes, so a connect waits for ever. */
  int port;
  SOCKET lfd = listener(AF_INET, 0, 0, &port);
  ASSERT(lfd != INVALID_SOCKET);
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", port, &l), PW_OK);
  pw_socket *socks[32] = {NULL};
  int timed_out = 0, other = PW_OK;
  uint64_t took = 0;
  for (size_t i = 0; i < 32 && !timed_out && other == PW_OK; i++) {
    if (pw_socket_open(l, 0, &socks[i]) != PW_OK)
      break;
    uint64_t t0 = now_ms();
    int err = pw_socket_connect(socks[i], 200);
    took = now_ms() - t0;
    if (err == PW_ETIMEDOUT)
      timed_out = 1;
    else
      other = err;
  }
  for (size_t i = 0; i < 32; i++)
    pw_socket_close(socks[i]);
  pw_addr_list_free(l);
  closesocket(lfd);
  ASSERT_EQ(other, PW_OK);
  ASSERT(timed_out);
  ASSERT(took >= 200 && took < 5000);
}

TEST(recv_returns_data_then_zero_at_eof_after_the_peer_closes) {
  int port;
  SOCKET lfd = listener(AF_INET, 1, 0, &port);
  ASSERT(lfd != INVALID_SOCKET);
  pw_socket *s = NULL;
  int err = connect_to("127.0.0.1", port, &s);
  SOCKET fd = err == PW_OK ? accept_one(lfd) : INVALID_SOCKET;
  closesocket(lfd);
  int peer_sent = 0;
  if (fd != INVALID_SOCKET) {
    peer_sent = send(fd, "hello", 5, 0);
    closesocket(fd);
  }
  char buf[16] = "";
  size_t got = 0, total = 0;
  int r1 = PW_EIO;
  while (s && total < 5) {
    r1 = pw_socket_recv(s, buf + total, sizeof buf - total, 5000, &got);
    if (r1 != PW_OK || got == 0)
      break;
    total += got;
  }
  int r2 = s ? pw_socket_recv(s, buf + total, sizeof buf - total, 5000, &got)
             : PW_EIO;
  pw_socket_close(s);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(peer_sent, 5);
  ASSERT_EQ(r1, PW_OK);
  ASSERT_EQ(total, 5);
  ASSERT(memcmp(buf, "hello", 5) == 0);
  ASSERT_EQ(r2, PW_OK);
  ASSERT_EQ(got, 0);
}

TEST(recv_times_out_when_nothing_comes) {
  int port;
  SOCKET lfd = listener(AF_INET, 1, 0, &port);
  ASSERT(lfd != INVALID_SOCKET);
  pw_socket *s = NULL;
  int err = connect_to("127.0.0.1", port, &s);
  SOCKET fd = err == PW_OK ? accept_one(lfd) : INVALID_SOCKET;
  char buf[16];
  size_t got = 99;
  uint64_t t0 = now_ms();
  int r = s ? pw_socket_recv(s, buf, sizeof buf, 150, &got) : PW_EIO;
  uint64_t took = now_ms() - t0;
  pw_socket_close(s);
  if (fd != INVALID_SOCKET)
    closesocket(fd);
  closesocket(lfd);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(r, PW_ETIMEDOUT);
  ASSERT_EQ(got, 0);
  ASSERT(took >= 150 && took < 5000);
}

TEST(send_to_a_stalled_peer_times_out_and_reports_what_was_accepted) {
  int port;
  SOCKET lfd = listener(AF_INET, 1, 4096, &port);
  ASSERT(lfd != INVALID_SOCKET);
  pw_socket *s = NULL;
  int err = connect_to("127.0.0.1", port, &s);
  /* accepts, never reads */
  SOCKET fd = err == PW_OK ? accept_one(lfd) : INVALID_SOCKET;
  size_t len = (size_t)64 * 1024 * 1024;
  unsigned char *big = calloc(1, len);
  size_t sent = 0;
  uint64_t t0 = now_ms();
  int r = s && big ? pw_socket_send(s, big, len, 200, &sent) : PW_EIO;
  uint64_t took = now_ms() - t0;
  pw_socket_close(s);
  free(big);
  if (fd != INVALID_SOCKET)
    closesocket(fd);
  closesocket(lfd);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(r, PW_ETIMEDOUT);
  ASSERT(sent > 0 && sent < len);
  ASSERT(took >= 200 && took < 10000);
}

TEST(send_after_the_peer_closed_is_connection_reset) {
  int port;
  SOCKET lfd = listener(AF_INET, 1, 0, &port);
  ASSERT(lfd != INVALID_SOCKET);
  pw_socket *s = NULL;
  int err = connect_to("127.0.0.1", port, &s);
  SOCKET fd = err == PW_OK ? accept_one(lfd) : INVALID_SOCKET;
  int accepted = fd != INVALID_SOCKET;
  if (accepted)
    closesocket(fd); /* then our data arrives at a closed socket: reset */
  closesocket(lfd);
  static unsigned char chunk[65536];
  int r = PW_OK;
  for (int i = 0; i < 1000 && s && r == PW_OK; i++) {
    r = pw_socket_send(s, chunk, sizeof chunk, 5000, NULL);
    if (r == PW_OK)
      Sleep(1); /* let the reset come back */
  }
  pw_socket_close(s);
  ASSERT_EQ(err, PW_OK);
  ASSERT(accepted);
  ASSERT_EQ(r, PW_ECONNRESET);
}

/* ---- abort ---- */

typedef struct blocked_call {
  pw_socket *s;
  int is_send;
  int result;
  size_t n;
} blocked_call;

static void blocked_main(void *arg) {
  blocked_call *c = arg;
  if (c->is_send) {
    size_t len = (size_t)64 * 1024 * 1024;
    unsigned char *big = calloc(1, len);
    c->result = big ? pw_socket_send(c->s, big, len, 60000, &c->n) : PW_EIO;
    free(big);
  } else {
    char buf[64];
    c->result = pw_socket_recv(c->s, buf, sizeof buf, 60000, &c->n);
  }
}

TEST(abort_wakes_a_blocked_send_and_a_blocked_recv_with_ecanceled) {
  int port;
  SOCKET lfd = listener(AF_INET, 1, 4096, &port);
  ASSERT(lfd != INVALID_SOCKET);
  pw_socket *s = NULL;
  ASSERT_EQ(connect_to("127.0.0.1", port, &s), PW_OK);
  SOCKET fd = accept_one(lfd); /* silent, never reads */
  blocked_call snd = {s, 1, PW_OK, 0}, rcv = {s, 0, PW_OK, 0};
  pw_thread *ts = NULL, *tr = NULL;
  int started = pw_thread_start(&ts, blocked_main, &snd) == PW_OK &&
                pw_thread_start(&tr, blocked_main, &rcv) == PW_OK;
  Sleep(300); /* give both time to block (60 s time-outs) */
  uint64_t t0 = now_ms();
  pw_socket_abort(s);
  pw_socket_abort(s); /* idempotent */
  if (ts)
    pw_thread_join(ts);
  if (tr)
    pw_thread_join(tr);
  uint64_t took = now_ms() - t0;
  char buf[4];
  size_t got = 99;
  int later_recv = pw_socket_recv(s, buf, sizeof buf, 1000, &got);
  int later_send = pw_socket_send(s, "x", 1, 1000, NULL);
  int later_shut = pw_socket_shutdown_send(s);
  int later_conn = pw_socket_connect(s, 1000);
  pw_socket_close(s);
  if (fd != INVALID_SOCKET)
    closesocket(fd);
  closesocket(lfd);
  ASSERT(started);
  ASSERT_EQ(snd.result, PW_ECANCELED);
  ASSERT(snd.n > 0); /* it had sent what fitted before it blocked */
  ASSERT_EQ(rcv.result, PW_ECANCELED);
  ASSERT(took < 10000); /* far below the 60 s time-outs */
  ASSERT_EQ(later_recv, PW_ECANCELED);
  ASSERT_EQ(got, 0);
  ASSERT_EQ(later_send, PW_ECANCELED);
  ASSERT_EQ(later_shut, PW_ECANCELED);
  ASSERT_EQ(later_conn, PW_ECANCELED);
}

/* A send and a recv running at once on two threads both make progress:
 * the peer echoes, so the recv side sees data while the send side waits
 * for buffer space, and neither misses its wake-up. */
typedef struct echo_peer {
  SOCKET lfd;
  size_t echoed;
} echo_peer;

static void echo_main(void *arg) {
  echo_peer *e = arg;
  SOCKET fd = accept_one(e->lfd);
  if (fd == INVALID_SOCKET)
    return;
  static char buf[4096];
  for (;;) {
    int n = recv(fd, buf, (int)sizeof buf, 0);
    if (n <= 0 || send(fd, buf, n, 0) != n)
      break;
    e->echoed += (size_t)n;
  }
  closesocket(fd);
}

typedef struct reader {
  pw_socket *s;
  size_t total;
  int result;
} reader;

static void reader_main(void *arg) {
  reader *r = arg;
  static unsigned char buf[65536];
  size_t got = 0;
  do {
    r->result = pw_socket_recv(r->s, buf, sizeof buf, 10000, &got);
    for (size_t i = 0; i < got; i++) {
      if (buf[i] != pattern(r->total + i))
        r->result = PW_EBADDATA;
    }
    r->total += got;
  } while (r->result == PW_OK && got > 0);
}

TEST(send_and_recv_on_two_threads_at_once_both_complete) {
  int port = 0;
  echo_peer e = {listener(AF_INET, 1, 0, &port), 0};
  ASSERT(e.lfd != INVALID_SOCKET);
  pw_thread *pt = NULL;
  ASSERT_EQ(pw_thread_start(&pt, echo_main, &e), PW_OK);
  pw_socket *s = NULL;
  int err = connect_to("127.0.0.1", port, &s);
  reader rd = {s, 0, PW_EIO};
  pw_thread *rt = NULL;
  size_t len = (size_t)8 * 1024 * 1024, sent = 0;
  unsigned char *big = malloc(len);
  int send_err = PW_EIO, shut_err = PW_EIO;
  if (err == PW_OK && big && pw_thread_start(&rt, reader_main, &rd) == PW_OK) {
    for (size_t i = 0; i < len; i++)
      big[i] = pattern(i);
    send_err = pw_socket_send(s, big, len, 10000, &sent);
    shut_err = pw_socket_shutdown_send(s);
    pw_thread_join(rt);
  }
  pw_socket_close(s);
  pw_thread_join(pt);
  closesocket(e.lfd);
  free(big);
  ASSERT_EQ(err, PW_OK);
  ASSERT_EQ(send_err, PW_OK);
  ASSERT_EQ(sent, len);
  ASSERT_EQ(shut_err, PW_OK);
  ASSERT_EQ(rd.result, PW_OK);
  ASSERT_EQ(rd.total, len);
}

/* ---- resources ---- */

/* Winsock is started by pw_net_resolve / pw_socket_open and given back by
 * free / close: after they are all gone, one more WSACleanup than this
 * test's own WSAStartup calls fails (WSANOTINITIALISED). */
TEST(lists_and_sockets_give_back_their_winsock_reference) {
  ASSERT_EQ(big_round_trip("127.0.0.1", AF_INET), 0);
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9, &l), PW_OK);
  pw_socket *s = NULL;
  ASSERT_EQ(pw_socket_open(l, 0, &s), PW_OK);
  pw_addr_list_free(l);
  pw_socket_abort(s);
  pw_socket_close(s);
  ASSERT_EQ(pw_net_resolve("", 9, &l), PW_EINVAL); /* fails before startup */
  /* main() holds exactly one reference. */
  ASSERT_EQ(WSACleanup(), 0);
  int again = WSACleanup();
  int e = WSAGetLastError();
  WSADATA d;
  ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &d), 0); /* main's reference back */
  ASSERT_EQ(again, SOCKET_ERROR);
  ASSERT_EQ(e, WSANOTINITIALISED);
}
static const pw_test_entry tests[] = {
    TEST_ENTRY(sockets_are_not_inheritable_and_have_keepalive_on),
    TEST_ENTRY(ipv4_sends_10_mb_byte_identical_and_reads_the_answer_to_eof),
    TEST_ENTRY(ipv6_sends_10_mb_byte_identical_and_reads_the_answer_to_eof),
    TEST_ENTRY(
        localhost_sends_10_mb_byte_identical_and_reads_the_answer_to_eof),
    TEST_ENTRY(connect_to_a_closed_port_is_refused_with_the_os_cause),
    TEST_ENTRY(connect_times_out_when_the_listener_backlog_is_full),
    TEST_ENTRY(recv_returns_data_then_zero_at_eof_after_the_peer_closes),
    TEST_ENTRY(recv_times_out_when_nothing_comes),
    TEST_ENTRY(send_to_a_stalled_peer_times_out_and_reports_what_was_accepted),
    TEST_ENTRY(send_after_the_peer_closed_is_connection_reset),
    TEST_ENTRY(abort_wakes_a_blocked_send_and_a_blocked_recv_with_ecanceled),
    TEST_ENTRY(send_and_recv_on_two_threads_at_once_both_complete),
    TEST_ENTRY(lists_and_sockets_give_back_their_winsock_reference),
};

int main(int argc, char **argv) {
  /* The test's own peers use Winsock directly. */
  WSADATA d;
  if (WSAStartup(MAKEWORD(2, 2), &d) != 0) {
    fprintf(stderr, "WSAStartup failed\n");
    return 1;
  }
  int rc = pw_test_run_(tests, sizeof tests / sizeof tests[0], argc, argv);
  WSACleanup();
  return rc;
}
