/* portway — the Win32 platform layer's name resolution, error mapping and
 * argument checks for TCP client sockets (platform.h) on Winsock, run on
 * Windows or under Wine. Only literals and "localhost" are resolved; the
 * resolver's "not found" codes are tested as a mapping. Connections:
 * test_platform_win32_net.c. */
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

/* ---- resolution ---- */

TEST(resolve_ipv4_literal_gives_that_address) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9100, &l), PW_OK);
  char buf[64];
  pw_addr_format(l, 0, buf, sizeof buf);
  size_t n = pw_addr_count(l);
  pw_addr_list_free(l);
  ASSERT_EQ(n, 1);
  ASSERT_STREQ(buf, "127.0.0.1:9100");
}

TEST(resolve_ipv6_literal_gives_that_address_in_brackets) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("::1", 631, &l), PW_OK);
  char buf[64];
  pw_addr_format(l, 0, buf, sizeof buf);
  size_t n = pw_addr_count(l);
  pw_addr_list_free(l);
  ASSERT_EQ(n, 1);
  ASSERT_STREQ(buf, "[::1]:631");
}

TEST(resolve_localhost_gives_loopback_addresses) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("localhost", 515, &l), PW_OK);
  size_t n = pw_addr_count(l);
  int all_loopback = 1;
  for (size_t i = 0; i < n; i++) {
    char buf[64];
    pw_addr_format(l, i, buf, sizeof buf);
    if (strcmp(buf, "127.0.0.1:515") != 0 && strcmp(buf, "[::1]:515") != 0)
      all_loopback = 0;
  }
  pw_addr_list_free(l);
  ASSERT(n >= 1);
  ASSERT(all_loopback);
}

TEST(resolve_refuses_bad_arguments) {
  pw_addr_list *l = (pw_addr_list *)1;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 0, &l), PW_EINVAL);
  ASSERT(l == NULL);
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 65536, &l), PW_EINVAL);
  ASSERT_EQ(pw_net_resolve("", 9100, &l), PW_EINVAL);
  ASSERT_EQ(pw_net_resolve(NULL, 9100, &l), PW_EINVAL);
  ASSERT_EQ(pw_net_resolve("\xff", 9100, &l), PW_EINVAL); /* not UTF-8 */
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9100, NULL), PW_EINVAL);
  ASSERT_EQ(pw_addr_count(NULL), 0);
  pw_addr_list_free(NULL);
}

TEST(resolver_codes_map_to_name_not_found_or_retryable) {
  ASSERT_EQ(pw_win32_wsa_err(WSAHOST_NOT_FOUND), PW_ENOHOST);
  pw_os_error e = pw_os_last_error();
  ASSERT_EQ(e.domain, PW_OSERR_WSA);
  ASSERT_EQ(e.code, WSAHOST_NOT_FOUND);
  ASSERT_EQ(e.err, PW_ENOHOST);
  ASSERT_EQ(pw_win32_wsa_err(WSANO_DATA), PW_ENOHOST);
  ASSERT_EQ(pw_win32_wsa_err(WSANO_RECOVERY), PW_ENOHOST);
  ASSERT_EQ(pw_win32_wsa_err(EAI_NONAME), PW_ENOHOST);
  ASSERT_EQ(pw_win32_wsa_err(WSATRY_AGAIN), PW_ETIMEDOUT);
  ASSERT(pw_err_is_transient(pw_win32_wsa_err(WSATRY_AGAIN)));
  ASSERT(!pw_err_is_transient(pw_win32_wsa_err(WSAHOST_NOT_FOUND)));
}

TEST(socket_errors_map_to_network_codes) {
  ASSERT_EQ(pw_win32_wsa_err(WSAECONNREFUSED), PW_ECONNREFUSED);
  ASSERT_EQ(pw_win32_wsa_err(WSAEHOSTUNREACH), PW_EHOSTUNREACH);
  ASSERT_EQ(pw_win32_wsa_err(WSAENETUNREACH), PW_ENETUNREACH);
  ASSERT_EQ(pw_win32_wsa_err(WSAEAFNOSUPPORT), PW_ENETUNREACH);
  ASSERT_EQ(pw_win32_wsa_err(WSAECONNRESET), PW_ECONNRESET);
  ASSERT_EQ(pw_win32_wsa_err(WSAECONNABORTED), PW_ECONNRESET);
  ASSERT_EQ(pw_win32_wsa_err(WSAENETRESET), PW_ECONNRESET);
  ASSERT_EQ(pw_win32_wsa_err(WSAENOTCONN), PW_ECONNRESET);
  ASSERT_EQ(pw_win32_wsa_err(WSAETIMEDOUT), PW_ETIMEDOUT);
  ASSERT_EQ(pw_win32_wsa_err(WSAENOBUFS), PW_ENOMEM);
}

TEST(addr_format_is_bounded_and_empty_out_of_range) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9100, &l), PW_OK);
  char small[6];
  memset(small, 'x', sizeof small);
  pw_addr_format(l, 0, small, sizeof small);
  char none[8] = "junk";
  pw_addr_format(l, 1, none, sizeof none);
  pw_addr_list_free(l);
  ASSERT_STREQ(small, "127.0");
  ASSERT_STREQ(none, "");
}

TEST(abort_before_connect_makes_connect_return_ecanceled) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9, &l), PW_OK);
  pw_socket *s = NULL;
  ASSERT_EQ(pw_socket_open(l, 0, &s), PW_OK);
  pw_addr_list_free(l);
  pw_socket_abort(s);
  int err = pw_socket_connect(s, 1000);
  pw_socket_close(s);
  ASSERT_EQ(err, PW_ECANCELED);
}

TEST(socket_calls_refuse_bad_arguments) {
  pw_addr_list *l = NULL;
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9, &l), PW_OK);
  pw_socket *s = (pw_socket *)1;
  int out_of_range = pw_socket_open(l, 1, &s);
  pw_addr_list_free(l);
  ASSERT_EQ(out_of_range, PW_EINVAL);
  ASSERT(s == NULL);
  size_t n = 7;
  ASSERT_EQ(pw_socket_send(NULL, "x", 1, 10, &n), PW_EINVAL);
  ASSERT_EQ(n, 0);
  ASSERT_EQ(pw_socket_recv(NULL, &n, 1, 10, &n), PW_EINVAL);
  ASSERT_EQ(pw_socket_connect(NULL, 10), PW_EINVAL);
  ASSERT_EQ(pw_socket_shutdown_send(NULL), PW_EINVAL);
  pw_socket_abort(NULL);
  pw_socket_close(NULL);
}

static const pw_test_entry tests[] = {
    TEST_ENTRY(resolve_ipv4_literal_gives_that_address),
    TEST_ENTRY(resolve_ipv6_literal_gives_that_address_in_brackets),
    TEST_ENTRY(resolve_localhost_gives_loopback_addresses),
    TEST_ENTRY(resolve_refuses_bad_arguments),
    TEST_ENTRY(resolver_codes_map_to_name_not_found_or_retryable),
    TEST_ENTRY(socket_errors_map_to_network_codes),
    TEST_ENTRY(addr_format_is_bounded_and_empty_out_of_range),
    TEST_ENTRY(abort_before_connect_makes_connect_return_ecanceled),
    TEST_ENTRY(socket_calls_refuse_bad_arguments),
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
