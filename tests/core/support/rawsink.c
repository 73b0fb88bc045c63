/* portway tests — the loopback RAW printer (see rawsink.h). */
#define _DEFAULT_SOURCE
#include "rawsink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SINK_POLL_MS 20
#define SINK_MAX_BYTES (64u * 1024u * 1024u) /* per connection kept */

static int sink_stopping(rawsink *k) {
  pw_mutex_lock(&k->lock);
  int s = k->stop;
  pw_mutex_unlock(&k->lock);
  return s;
}

/* Wait until fd is readable or the sink stops: 1 readable, 0 stopping. */
static int wait_readable(rawsink *k, int fd) {
  while (!sink_stopping(k)) {
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, SINK_POLL_MS);
    if (n > 0)
      return 1;
    if (n < 0 && errno != EINTR)
      return 0;
  }
  return 0;
}

static void keep(rawsink *k, unsigned c, const unsigned char *buf, size_t n) {
  pw_mutex_lock(&k->lock);
  size_t have = k->len[c];
  if (have + n <= SINK_MAX_BYTES) {
    unsigned char *p = realloc(k->data[c], have + n);
    if (p) {
      memcpy(p + have, buf, n);
      k->data[c] = p;
      k->len[c] = have + n;
    }
  }
  pw_mutex_unlock(&k->lock);
}

static void serve(rawsink *k, int fd, unsigned c) {
  unsigned char buf[65536];
  if (k->greeting)
    (void)send(fd, k->greeting, strlen(k->greeting), MSG_NOSIGNAL);
  if (k->mode == RAWSINK_STALL) {
    while (!sink_stopping(k))
      usleep(SINK_POLL_MS * 1000);
    return;
  }
  size_t total = 0;
  while (wait_readable(k, fd)) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0) {
        pw_mutex_lock(&k->lock);
        k->eof[c] = 1;
        pw_mutex_unlock(&k->lock);
      }
      break;
    }
    keep(k, c, buf, (size_t)n);
    total += (size_t)n;
    if (k->mode == RAWSINK_RESET_AT && total >= k->limit) {
      struct linger lg = {1, 0}; /* close sends RST */
      (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      return;
    }
  }
  if (k->mode == RAWSINK_LINGER_EOF) {
    for (unsigned waited = 0; waited < k->linger_ms && !sink_stopping(k);
         waited += SINK_POLL_MS)
      usleep(SINK_POLL_MS * 1000);
  }
}

static void sink_main(void *arg) {
  rawsink *k = arg;
  while (wait_readable(k, k->listen_fd)) {
    int fd = accept(k->listen_fd, NULL, NULL);
    if (fd < 0)
      continue;
    pw_mutex_lock(&k->lock);
    unsigned c = k->conns < RAWSINK_MAX_CONN ? k->conns : RAWSINK_MAX_CONN - 1;
    pw_mutex_unlock(&k->lock);
    if (k->mode == RAWSINK_STALL) {
      int small = 1024;
      (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    }
    serve(k, fd, c);
    close(fd);
    pw_mutex_lock(&k->lock);
    k->conns++;
    pw_mutex_unlock(&k->lock);
  }
}

static int listen_loopback(int family, int backlog, int *port, int small_rcv) {
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (small_rcv) {
    /* Inherited by accepted sockets: set before listen to take effect. */
    int small = 1024;
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  }
  struct sockaddr_storage ss;
  socklen_t sl;
  memset(&ss, 0, sizeof ss);
  if (family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    sl = sizeof *a;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sl = sizeof *a;
  }
  if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, backlog) != 0 ||
      getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                   : ((struct sockaddr_in *)&ss)->sin_port);
  return fd;
}

int rawsink_start(rawsink *k, int family, rawsink_mode mode) {
  rawsink_mode keep_mode = mode;
  size_t limit = k->limit;
  unsigned linger = k->linger_ms;
  const char *greeting = k->greeting;
  memset(k, 0, sizeof *k);
  k->mode = keep_mode;
  k->limit = limit;
  k->linger_ms = linger;
  k->greeting = greeting;
  k->family = family;
  k->listen_fd =
      listen_loopback(family, 4, &k->port, keep_mode == RAWSINK_STALL);
  if (k->listen_fd < 0)
    return -1;
  pw_mutex_init(&k->lock);
  if (pw_thread_start(&k->thread, sink_main, k) != PW_OK) {
    close(k->listen_fd);
    pw_mutex_destroy(&k->lock);
    return -1;
  }
  return 0;
}

void rawsink_stop(rawsink *k) {
  if (!k->thread)
    return;
  pw_mutex_lock(&k->lock);
  k->stop = 1;
  pw_mutex_unlock(&k->lock);
  (void)pw_thread_join(k->thread);
  k->thread = NULL;
  close(k->listen_fd);
  for (unsigned i = 0; i < RAWSINK_MAX_CONN; i++)
    free(k->data[i]);
  pw_mutex_destroy(&k->lock);
}

int rawsink_wait_conns(rawsink *k, unsigned n) {
  for (int i = 0; i < 500; i++) {
    pw_mutex_lock(&k->lock);
    unsigned c = k->conns;
    pw_mutex_unlock(&k->lock);
    if (c >= n)
      return 1;
    usleep(20000);
  }
  return 0;
}

int rawsink_dead_port(void) {
  int port = 0;
  int fd = listen_loopback(AF_INET, 1, &port, 0);
  if (fd < 0)
    return -1;
  close(fd);
  return port;
}
