/* portway — the POSIX platform layer's name resolution, error mapping and
 * argument checks for TCP client sockets (platform.h, "TCP client
 * sockets"). Only literals and "localhost" (from /etc/hosts) are resolved;
 * the resolver's "not found" codes are tested as a mapping. Connections:
 * test_platform_net.c. */
#define _GNU_SOURCE /* SOCK_CLOEXEC, struct addrinfo's EAI_* under -std=c11 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "platform/platform.h"
#include "platform/posix/posix_internal.h"
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
  ASSERT_EQ(pw_net_resolve("127.0.0.1", 9100, NULL), PW_EINVAL);
  ASSERT_EQ(pw_addr_count(NULL), 0);
  pw_addr_list_free(NULL);
}

TEST(resolver_codes_map_to_name_not_found_or_retryable) {
  pw_os_error_clear();
  ASSERT_EQ(pw_posix_gai_err(EAI_NONAME, 0), PW_ENOHOST);
  /* No errno to record: "no OS error", not an older cause. */
  ASSERT_EQ(pw_os_last_error().domain, PW_OSERR_NONE);
  ASSERT_EQ(pw_os_last_error().err, PW_ENOHOST);
#ifdef EAI_NODATA
  ASSERT_EQ(pw_posix_gai_err(EAI_NODATA, 0), PW_ENOHOST);
#endif
#ifdef EAI_ADDRFAMILY
  ASSERT_EQ(pw_posix_gai_err(EAI_ADDRFAMILY, 0), PW_ENOHOST);
#endif
  ASSERT_EQ(pw_posix_gai_err(EAI_FAIL, 0), PW_ENOHOST);
  ASSERT_EQ(pw_posix_gai_err(EAI_AGAIN, 0), PW_ETIMEDOUT);
  ASSERT(pw_err_is_transient(pw_posix_gai_err(EAI_AGAIN, 0)));
  ASSERT(!pw_err_is_transient(pw_posix_gai_err(EAI_NONAME, 0)));
  ASSERT_EQ(pw_posix_gai_err(EAI_MEMORY, 0), PW_ENOMEM);
  ASSERT_EQ(pw_posix_gai_err(EAI_SERVICE, 0), PW_EINVAL);
  /* EAI_SYSTEM: the cause is errno, recorded as such. */
  ASSERT_EQ(pw_posix_gai_err(EAI_SYSTEM, EMFILE), PW_EIO);
  pw_os_error e = pw_os_last_error();
  ASSERT_EQ(e.domain, PW_OSERR_ERRNO);
  ASSERT_EQ(e.code, EMFILE);
}

TEST(socket_errnos_map_to_network_codes) {
  ASSERT_EQ(pw_posix_err(ECONNREFUSED), PW_ECONNREFUSED);
  ASSERT_EQ(pw_posix_err(EHOSTUNREACH), PW_EHOSTUNREACH);
  ASSERT_EQ(pw_posix_err(ENETUNREACH), PW_ENETUNREACH);
  ASSERT_EQ(pw_posix_err(EAFNOSUPPORT), PW_ENETUNREACH);
  ASSERT_EQ(pw_posix_err(ECONNRESET), PW_ECONNRESET);
  ASSERT_EQ(pw_posix_err(EPIPE), PW_ECONNRESET);
  ASSERT_EQ(pw_posix_err(ENOTCONN), PW_ECONNRESET);
  ASSERT_EQ(pw_posix_err(ENETRESET), PW_ECONNRESET);
  ASSERT_EQ(pw_posix_err(ETIMEDOUT), PW_ETIMEDOUT);
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

TEST_MAIN(TEST_ENTRY(resolve_ipv4_literal_gives_that_address),
          TEST_ENTRY(resolve_ipv6_literal_gives_that_address_in_brackets),
          TEST_ENTRY(resolve_localhost_gives_loopback_addresses),
          TEST_ENTRY(resolve_refuses_bad_arguments),
          TEST_ENTRY(resolver_codes_map_to_name_not_found_or_retryable),
          TEST_ENTRY(socket_errnos_map_to_network_codes),
          TEST_ENTRY(addr_format_is_bounded_and_empty_out_of_range),
          TEST_ENTRY(abort_before_connect_makes_connect_return_ecanceled),
          TEST_ENTRY(socket_calls_refuse_bad_arguments))
