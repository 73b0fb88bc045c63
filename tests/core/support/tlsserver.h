/* portway tests — a TLS server on 127.0.0.1 (OpenSSL's server side), in a
 * thread of the test. Its certificate is made at run time with OpenSSL's
 * API (nothing committed, no command line): CN=localhost with
 * subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1 on an EC P-256 key,
 * either self-signed or issued by a tiny CA made with it, whose certificate
 * is written to a PEM file (point SSL_CERT_FILE at it to trust it).
 *
 * It accepts connections one after another (at most accept_max, or until
 * stopped) and runs a handler on each over a small blocking-style API
 * (tlss_read / tlss_write...), or misbehaves on purpose: plain-text garbage
 * instead of TLS, silence, an immediate close. Every wait of the server is
 * bounded (io_ms, and 20 ms slices that watch for the stop), so
 * tlsserver_stop always returns soon. */
#ifndef PORTWAY_TEST_TLSSERVER_H
#define PORTWAY_TEST_TLSSERVER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

typedef enum tlss_mode {
  TLSS_TLS,     /* handshake, then the handler */
  TLSS_GARBAGE, /* no TLS: read the ClientHello, answer `garbage` in plain
                   text, half-close, read to the end */
  TLSS_SILENT,  /* accept, read and drop what comes, never send a byte */
  TLSS_CLOSE,   /* read the ClientHello, then close (a FIN, no answer) */
} tlss_mode;

typedef enum tlss_cert {
  TLSS_SELF_SIGNED, /* the leaf is its own issuer */
  TLSS_CA_SIGNED,   /* the leaf is issued by the test CA (ca_file) */
} tlss_cert;

typedef enum tlss_end {
  TLSS_END_NONE,   /* the client did not end it (the handler stopped first) */
  TLSS_END_NOTIFY, /* the client sent close_notify */
  TLSS_END_TCP,    /* the client closed TCP without a close_notify */
  TLSS_END_ERROR,  /* a read failed: reset, TLS error, time-out, stop */
} tlss_end;

#define TLSS_MAX_CONN 8
#define TLSS_HASH_INIT 1469598103934665603ull
/* "AB:CD:...:EF" of a SHA-256, NUL included. */
#define TLSS_FP_TEXT 96

/* What the server saw on one connection. */
typedef struct tlss_result {
  int handshake_ok;
  char sni[256];    /* the server name the client sent; "" for none */
  char version[16]; /* "TLSv1.3" */
  uint64_t rx_len;  /* application bytes read through tlss_read */
  uint64_t rx_hash; /* tlss_hash of them */
  uint64_t tx_len;  /* application bytes written through tlss_write */
  tlss_end end;
} tlss_result;

typedef struct tlss_conn tlss_conn;
typedef void (*tlss_handler)(tlss_conn *c, void *arg);

typedef struct tlsserver {
  /* set before tlsserver_start (all zero: TLS, self-signed, tlss_drain) */
  tlss_mode mode;
  tlss_cert cert;
  tlss_handler handler; /* NULL: tlss_drain */
  void *handler_arg;
  const char *garbage; /* TLSS_GARBAGE: NULL for an HTTP 400 answer */
  int max_version;     /* 11, 12, 13 (TLS 1.x); 0: the library's best */
  int rcvbuf;          /* > 0: receive buffer of accepted sockets */
  unsigned accept_max; /* connections to accept; 0: until stopped */
  unsigned io_ms;      /* bound of each server operation; 0: 10000 */
  /* set by tlsserver_start */
  int port;
  uint8_t leaf_sha256[32];    /* of the leaf certificate's DER */
  char leaf_fp[TLSS_FP_TEXT]; /* the same as "AB:CD:..." */
  char ca_file[512]; /* TLSS_CA_SIGNED: the CA's PEM; removed at stop */
  /* internal */
  int listen_fd;
  void *ctx;                      /* SSL_CTX */
  void *key, *leaf, *ca_key, *ca; /* EVP_PKEY, X509 */
  pw_thread *thread;
  pw_mutex lock;
  int stop;
  /* observed: stable for i < conns (see tlsserver_wait_conns) */
  unsigned conns; /* connections served to their end */
  tlss_result res[TLSS_MAX_CONN];
} tlsserver;

uint64_t tlss_hash(uint64_t h, const void *p, size_t len);
/* "AB:CD:..." of 32 octets into out. */
void tlss_format_sha256(const uint8_t d[32], char out[TLSS_FP_TEXT]);

/* Make the certificate(s), listen on 127.0.0.1 (ephemeral port), serve in
 * a thread. 0 on success, -1 on failure (nothing left to stop). */
int tlsserver_start(tlsserver *s);
/* Stop and join the thread (within about io_ms), close and free everything,
 * remove ca_file. Idempotent. */
void tlsserver_stop(tlsserver *s);
/* Wait (at most 10 s) until `n` connections were served to their end:
 * 1 if they were, 0 if not. res[0..n) are stable afterwards. */
int tlsserver_wait_conns(tlsserver *s, unsigned n);

/* ---- for handlers: each wait bounded by io_ms and the server's stop ---- */

/* Some bytes (> 0); 0 when the client ended its stream (close_notify or a
 * TCP close: res.end says which); -1 on failure or time-out. */
long tlss_read(tlss_conn *c, void *buf, size_t len);
/* Exactly len bytes: 0, or -1. */
int tlss_read_full(tlss_conn *c, void *buf, size_t len);
/* All of buf: 0, or -1. */
int tlss_write(tlss_conn *c, const void *buf, size_t len);
/* Bytes straight onto TCP, around TLS (a forged or cut record): 0 or -1. */
int tlss_write_raw(tlss_conn *c, const void *buf, size_t len);
/* Wait until *flag != 0 (polled every 20 ms), at most ms: 1 if it was set,
 * 0 on time-out or stop. flag may be NULL (then: wait ms). */
int tlss_wait_flag(tlss_conn *c, const atomic_int *flag, unsigned ms);
/* When the handler returns, close TCP without a close_notify. */
void tlss_no_close_notify(tlss_conn *c);

/* ---- ready-made handlers ---- */
/* Read to the end of the client's stream (counted and hashed). */
void tlss_drain(tlss_conn *c, void *arg);
/* arg: a NUL-terminated reply, sent at once; then tlss_drain. */
void tlss_reply(tlss_conn *c, void *arg);
/* Read an 8-byte big-endian length, then that many bytes, then send them
 * all back; then tlss_drain. (Reading all before answering means a client
 * may send everything before it reads: no deadlock.) */
void tlss_echo_sized(tlss_conn *c, void *arg);

#endif
