/* portway tests — an LPD server (RFC 1179 "receive job") on loopback, in a
 * thread of the test. It serves connections one after another and records,
 * per connection, the subcommands, the control file and the data file
 * byte-exactly (a large data file: its length and hash, and its first
 * LPDS_KEEP_MAX bytes). It can refuse (NAK) at each step, answer with text
 * instead of an ack, or reset the connection in the middle of the data
 * file. POSIX sockets; 127.0.0.1 only, port chosen by the kernel. */
#ifndef PORTWAY_TEST_LPDSERVER_H
#define PORTWAY_TEST_LPDSERVER_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

typedef enum lpds_nak {
  LPDS_NAK_NONE,
  LPDS_NAK_RECEIVE,       /* the \2queue line (queue unknown) */
  LPDS_NAK_CONTROL,       /* the control-file subcommand */
  LPDS_NAK_DATA,          /* the data-file subcommand */
  LPDS_NAK_CONTROL_AFTER, /* after the control file's bytes */
  LPDS_NAK_DATA_AFTER,    /* after the data file's bytes */
  LPDS_NAK_STREAM_END,    /* after a size-0 data file ended (streaming) */
} lpds_nak;

#define LPDS_MAX_CONN 8
#define LPDS_KEEP_MAX (4u * 1024u * 1024u)
#define LPDS_HASH_INIT 1469598103934665603ull

typedef struct lpds_conn {
  char cmds[512]; /* "recv q|data 1000 dfA007ws1|ctl 70 cfA007ws1|" */
  char *ctl;      /* the control file, without its NUL */
  size_t ctl_len;
  unsigned char *data; /* its first LPDS_KEEP_MAX bytes */
  uint64_t data_len;   /* bytes of the data file received */
  uint64_t data_hash;  /* lpds_hash over all of them */
  int data_until_eof;  /* the size was 0: read until the connection closed */
  int done;            /* control and data file received and acknowledged */
} lpds_conn;

typedef struct lpdserver {
  /* set before lpdserver_start */
  lpds_nak nak;
  unsigned char nak_byte; /* the refusal: 1 if left 0 */
  const char *reply_text; /* answer the \2queue line with this text */
  uint64_t reset_after;   /* RST after this many data bytes (0: never) */
  /* internal */
  int listen_fd;
  int port;
  pw_thread *thread;
  pw_mutex lock;
  int stop;
  unsigned probes; /* connections that sent nothing (a liveness check) */
  /* observed */
  unsigned conns; /* connections served to their end */
  lpds_conn conn[LPDS_MAX_CONN];
} lpdserver;

uint64_t lpds_hash(uint64_t h, const void *p, size_t len);
/* 0 on success. */
int lpdserver_start(lpdserver *s);
/* Stop the thread, close everything, free what was kept. */
void lpdserver_stop(lpdserver *s);
/* Wait (at most 10 s) until `n` connections were served to their end. */
int lpdserver_wait_conns(lpdserver *s, unsigned n);

#endif
