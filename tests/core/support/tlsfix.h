/* portway tests — helpers shared by test_platform_tls.c and
 * test_platform_tls_io.c (split by concern). */
#ifndef PORTWAY_TEST_TLSFIX_H
#define PORTWAY_TEST_TLSFIX_H

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

static inline unsigned char pattern(size_t i) {
  return (unsigned char)((i * 7u) ^ (i >> 11));
}

static inline uint64_t now_ms(void) {
  return pw_time_monotonic_ns() / 1000000u;
}

/* SSL_CERT_FILE as the test wants it (NULL: unset), and back as it was. */
static int cert_file_saved;
static char *cert_file_orig;

static inline void use_cert_file(const char *path) {
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

static inline void restore_cert_file(void) {
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
static inline int tcp_to(int port, pw_socket **out) {
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
static inline int tls_to(const tlsserver *srv, const char *name,
                         const uint8_t *pin, int insecure, uint32_t timeout_ms,
                         client *c) {
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

static inline void client_close(client *c) {
  pw_tls_free(c->t);
  pw_socket_close(c->s);
  c->t = NULL;
  c->s = NULL;
}

/* Receive until `want` bytes, the end of the stream or a failure. */
static inline int recv_all(pw_tls *t, unsigned char *buf, size_t want,
                           size_t *total, uint32_t timeout_ms) {
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
static inline int handshake_error(tlsserver *srv, const char *name,
                                  const uint8_t *pin, int insecure, client *c) {
  int err = tls_to(srv, name, pin, insecure, 10000, c);
  client_close(c);
  return err;
}

/* ---- handlers of the test's own ---- */

static inline void send_hello_and_end(tlss_conn *c, void *arg) {
  (void)arg;
  (void)tlss_write(c, "hello", 5); /* then close_notify and close */
}

static inline void send_hello_and_close_tcp(tlss_conn *c, void *arg) {
  (void)arg;
  (void)tlss_write(c, "hello", 5);
  tlss_no_close_notify(c);
}

static inline void send_cut_record(tlss_conn *c, void *arg) {
  (void)arg;
  /* An application-data record header announcing 64 bytes, then 10. */
  static const unsigned char cut[15] = {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3,
                                        4,    5,    6,    7,    8,    9, 10};
  (void)tlss_write_raw(c, cut, sizeof cut);
  tlss_no_close_notify(c);
}

/* Say nothing until the test releases it (or the server stops), then
 * answer "late" and end. */
static inline void late_reply(tlss_conn *c, void *arg) {
  if (tlss_wait_flag(c, arg, 20000))
    (void)tlss_write(c, "late", 4);
}

/* Read nothing until the test releases it, then read to the end. */
static inline void late_drain(tlss_conn *c, void *arg) {
  if (tlss_wait_flag(c, arg, 20000))
    tlss_drain(c, NULL);
}

/* Hold the connection, silent, until the server stops. */
static inline void hold(tlss_conn *c, void *arg) {
  (void)arg;
  (void)tlss_wait_flag(c, NULL, 60000);
}

/* ---- verification ---- */

#endif
