/* portway tests — a RAW (AppSocket, port 9100 style) printer on loopback,
 * in a thread of the test: it accepts connections one after another and
 * keeps what each one sent, and can misbehave on purpose (reset mid-job,
 * stall, talk back, stay open after the job). POSIX sockets; loopback only
 * (127.0.0.1 or ::1), port chosen by the kernel. */
#ifndef PORTWAY_TEST_RAWSINK_H
#define PORTWAY_TEST_RAWSINK_H

#include <stddef.h>

#include "platform/platform.h"
#include "portway/error.h"

typedef enum rawsink_mode {
  RAWSINK_KEEP,       /* read to end of stream, then close */
  RAWSINK_RESET_AT,   /* after `limit` bytes, reset the connection (RST) */
  RAWSINK_STALL,      /* accept, read nothing, tiny receive buffer */
  RAWSINK_LINGER_EOF, /* read to end of stream, stay open `linger_ms` */
} rawsink_mode;

#define RAWSINK_MAX_CONN 8

typedef struct rawsink {
  int family; /* AF_INET or AF_INET6 */
  int listen_fd;
  int port;
  rawsink_mode mode;
  size_t limit;         /* RAWSINK_RESET_AT */
  unsigned linger_ms;   /* RAWSINK_LINGER_EOF */
  const char *greeting; /* sent right after accept (back channel), or NULL */
  pw_thread *thread;
  pw_mutex lock;
  int stop;
  /* observed, per connection */
  unsigned conns;
  unsigned char *data[RAWSINK_MAX_CONN];
  size_t len[RAWSINK_MAX_CONN];
  int eof[RAWSINK_MAX_CONN]; /* the client half-closed (end of stream) */
} rawsink;

/* Listen on the loopback of `family` and serve in a thread. 0 on success,
 * -1 if that family has no loopback here (IPv6 disabled). */
int rawsink_start(rawsink *k, int family, rawsink_mode mode);
/* Stop the thread, close everything, free what was kept. */
void rawsink_stop(rawsink *k);
/* Wait (at most 10 s) until `n` connections were served whole. */
int rawsink_wait_conns(rawsink *k, unsigned n);
/* A loopback TCP port with nothing listening (bound, then closed). */
int rawsink_dead_port(void);

#endif
