/* portway — TCP client sockets on BSD sockets (platform.h, "TCP client
 * sockets").
 *
 * Every socket is non-blocking from birth (SOCK_NONBLOCK | SOCK_CLOEXEC).
 * A call tries its operation first and, when the kernel says "would
 * block", waits in poll(2) on the socket and on the socket's wake-up
 * descriptor (an eventfd, or a pipe where there is none) with its time-out.
 * pw_socket_abort sets a flag and makes the wake-up descriptor readable for
 * good, so every waiter (a send and a recv on two threads alike) and every
 * later call sees it; nothing ever reads it back. Sends pass MSG_NOSIGNAL,
 * so a closed peer gives EPIPE, never SIGPIPE.
 */
#define _GNU_SOURCE /* SOCK_CLOEXEC, SOCK_NONBLOCK, MSG_NOSIGNAL, pipe2 */

#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

#include "platform/oserror_common.h"
#include "platform/posix/posix_internal.h"
#include "portway/error.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* BSDs: SO_NOSIGPIPE is set on the socket instead */
#endif

/* One send(2)/recv(2) call is bounded so the byte count fits ssize_t. */
#define PW_NET_CHUNK ((size_t)1 << 30)

typedef struct pw_addr {
  struct sockaddr_storage sa;
  socklen_t len;
} pw_addr;

struct pw_addr_list {
  size_t n;
  pw_addr *addrs;
};

struct pw_socket {
  int fd;
  int wake_rd; /* readable once aborted */
  int wake_wr; /* the same descriptor as wake_rd for an eventfd */
  atomic_int aborted;
  pw_addr addr;
};

/* ---- name resolution ---- */

int pw_posix_gai_err(int eai, int sys_errno) {
  int err;
  switch (eai) {
  case EAI_SYSTEM:
    return pw_posix_err(sys_errno); /* the cause is in errno */
  case EAI_NONAME: /* no such name (or a numeric-only lookup of a name) */
#ifdef EAI_NODATA
  case EAI_NODATA: /* the name exists but has no address */
#endif
#ifdef EAI_ADDRFAMILY
  case EAI_ADDRFAMILY: /* no address of the family asked for */
#endif
  case EAI_FAIL: /* the name server said no for good */
    err = PW_ENOHOST;
    break;
  case EAI_AGAIN:
    /* The name server did not answer (yet): worth retrying, unlike a name
     * that does not exist. */
    err = PW_ETIMEDOUT;
    break;
  case EAI_MEMORY:
    err = PW_ENOMEM;
    break;
  case EAI_FAMILY:
  case EAI_SOCKTYPE:
  case EAI_SERVICE:
  case EAI_BADFLAGS:
    err = PW_EINVAL;
    break;
  default:
    err = PW_EIO;
    break;
  }
  /* EAI_* codes are no errno values; record "no OS error" for err so an
   * older record cannot be taken for this failure's cause. */
  pw_os_record(PW_OSERR_ERRNO, 0, err);
  return err;
}

static int lookup(const char *host, const char *service, int flags,
                  struct addrinfo **res) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_NUMERICSERV | flags;
  *res = NULL;
  errno = 0;
  int rc = getaddrinfo(host, service, &hints, res);
  return rc == 0 ? PW_OK : pw_posix_gai_err(rc, errno);
}

int pw_net_resolve(const char *host, int port, pw_addr_list **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!host || !*host || port < 1 || port > 65535)
    return PW_EINVAL;
  char service[8];
  snprintf(service, sizeof service, "%d", port);
  /* A literal never reaches the resolver (no DNS query, no hosts file). */
  struct addrinfo *res = NULL;
  int err = lookup(host, service, AI_NUMERICHOST, &res);
  if (err == PW_ENOHOST)
    err = lookup(host, service, 0, &res);
  if (err != PW_OK)
    return err;
  size_t n = 0;
  for (const struct addrinfo *a = res; a; a = a->ai_next) {
    if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
        a->ai_addrlen <= sizeof(struct sockaddr_storage))
      n++;
  }
  pw_addr_list *l = calloc(1, sizeof *l);
  pw_addr *addrs = n ? calloc(n, sizeof *addrs) : NULL;
  if (!l || (n && !addrs)) {
    free(l);
    free(addrs);
    freeaddrinfo(res);
    return PW_ENOMEM;
  }
  for (const struct addrinfo *a = res; a; a = a->ai_next) {
    if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
        a->ai_addrlen <= sizeof(struct sockaddr_storage)) {
      memcpy(&addrs[l->n].sa, a->ai_addr, a->ai_addrlen);
      addrs[l->n].len = a->ai_addrlen;
      l->n++;
    }
  }
  freeaddrinfo(res);
  if (l->n == 0) {
    free(l);
    pw_os_record(PW_OSERR_ERRNO, 0, PW_ENOHOST);
    return PW_ENOHOST; /* only families we cannot connect to */
  }
  l->addrs = addrs;
  *out = l;
  return PW_OK;
}

size_t pw_addr_count(const pw_addr_list *l) {
  return l ? l->n : 0;
}

static void format_addr(const pw_addr *a, char *buf, size_t cap) {
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  if (getnameinfo((const struct sockaddr *)&a->sa, a->len, host, sizeof host,
                  serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    snprintf(buf, cap, "?");
    return;
  }
  if (a->sa.ss_family == AF_INET6)
    snprintf(buf, cap, "[%s]:%s", host, serv);
  else
    snprintf(buf, cap, "%s:%s", host, serv);
}

void pw_addr_format(const pw_addr_list *l, size_t i, char *buf, size_t cap) {
  if (!buf || cap == 0)
    return;
  buf[0] = '\0';
  if (l && i < l->n)
    format_addr(&l->addrs[i], buf, cap);
}

void pw_addr_list_free(pw_addr_list *l) {
  if (!l)
    return;
  free(l->addrs);
  free(l);
}

/* ---- sockets ---- */

static int is_aborted(pw_socket *s) {
  return atomic_load(&s->aborted) != 0;
}

static int open_wake(pw_socket *s) {
#ifdef __linux__
  int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0)
    return pw_posix_err(errno);
  s->wake_rd = s->wake_wr = fd;
#else
  int p[2];
  if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
    return pw_posix_err(errno);
  s->wake_rd = p[0];
  s->wake_wr = p[1];
#endif
  return PW_OK;
}

static void close_wake(pw_socket *s) {
  if (s->wake_wr != s->wake_rd && s->wake_wr >= 0)
    close(s->wake_wr);
  if (s->wake_rd >= 0)
    close(s->wake_rd);
}

int pw_socket_open(const pw_addr_list *l, size_t i, pw_socket **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!l || i >= l->n)
    return PW_EINVAL;
  pw_socket *s = calloc(1, sizeof *s);
  if (!s)
    return PW_ENOMEM;
  s->fd = s->wake_rd = s->wake_wr = -1;
  atomic_init(&s->aborted, 0);
  s->addr = l->addrs[i];
  int err = open_wake(s);
  if (err != PW_OK) {
    free(s);
    return err;
  }
  s->fd = socket(s->addr.sa.ss_family,
                 SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
  if (s->fd < 0) {
    err = pw_posix_err(errno);
    close_wake(s);
    free(s);
    return err;
  }
  int on = 1;
  if (setsockopt(s->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0)
    err = pw_posix_err(errno);
  /* No Nagle: portway gathers its own sends, and a small one after a
   * large one (LPD's trailing NUL, an HTTP last chunk) would otherwise wait
   * for the peer's delayed ACK, up to 40 ms a time. */
  if (err == PW_OK &&
      setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
    err = pw_posix_err(errno);
#ifdef SO_NOSIGPIPE
  if (err == PW_OK &&
      setsockopt(s->fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on) != 0)
    err = pw_posix_err(errno);
#endif
  if (err != PW_OK) {
    pw_socket_close(s);
    return err;
  }
  *out = s;
  return PW_OK;
}

static uint64_t deadline_after(uint32_t timeout_ms) {
  return pw_time_monotonic_ns() + (uint64_t)timeout_ms * UINT64_C(1000000);
}

/* Wait until s->fd has one of `events` (or an error or hang-up: the caller
 * retries its operation and learns which), s is aborted (PW_ECANCELED) or
 * the monotonic clock reaches deadline (PW_ETIMEDOUT). */
static int wait_ready(pw_socket *s, short events, uint64_t deadline) {
  for (;;) {
    if (is_aborted(s))
      return PW_ECANCELED;
    uint64_t now = pw_time_monotonic_ns();
    uint64_t left_ns = deadline > now ? deadline - now : 0;
    uint64_t left_ms = (left_ns + 999999u) / 1000000u; /* round up */
    int ms = left_ms > INT_MAX ? INT_MAX : (int)left_ms;
    struct pollfd p[2] = {{s->wake_rd, POLLIN, 0}, {s->fd, events, 0}};
    int r = poll(p, 2, ms);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      return pw_posix_err(errno);
    }
    if (p[0].revents)
      return PW_ECANCELED;
    if (p[1].revents)
      return PW_OK;
    if (left_ns == 0 || pw_time_monotonic_ns() >= deadline)
      return PW_ETIMEDOUT;
  }
}

int pw_socket_connect(pw_socket *s, uint32_t timeout_ms) {
  if (!s)
    return PW_EINVAL;
  if (is_aborted(s))
    return PW_ECANCELED;
  if (connect(s->fd, (const struct sockaddr *)&s->addr.sa, s->addr.len) == 0)
    return PW_OK;
  int e = errno;
  if (e == EISCONN)
    return PW_OK;
  /* EINTR: the connection goes on in the background, as for EINPROGRESS. */
  if (e != EINPROGRESS && e != EALREADY && e != EINTR)
    return pw_posix_err(e);
  int err = wait_ready(s, POLLOUT, deadline_after(timeout_ms));
  if (err != PW_OK)
    return err;
  int so_error = 0;
  socklen_t n = sizeof so_error;
  if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &so_error, &n) != 0)
    return pw_posix_err(errno);
  return so_error == 0 ? PW_OK : pw_posix_err(so_error);
}

int pw_socket_send(pw_socket *s, const void *buf, size_t len,
                   uint32_t timeout_ms, size_t *sent) {
  if (sent)
    *sent = 0;
  if (!s || (!buf && len))
    return PW_EINVAL;
  const unsigned char *p = buf;
  size_t done = 0;
  int err = is_aborted(s) ? PW_ECANCELED : PW_OK;
  /* The peer must take something within timeout_ms of the last progress. */
  uint64_t deadline = deadline_after(timeout_ms);
  while (err == PW_OK && done < len) {
    size_t chunk = len - done < PW_NET_CHUNK ? len - done : PW_NET_CHUNK;
    ssize_t n = send(s->fd, p + done, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      done += (size_t)n;
      deadline = deadline_after(timeout_ms);
      if (is_aborted(s))
        err = PW_ECANCELED;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      err = wait_ready(s, POLLOUT, deadline);
    } else {
      err = n < 0 ? pw_posix_err(errno) : PW_EIO; /* no progress, no error */
    }
  }
  if (sent)
    *sent = done;
  return err;
}

int pw_socket_recv(pw_socket *s, void *buf, size_t len, uint32_t timeout_ms,
                   size_t *got) {
  if (got)
    *got = 0;
  if (!s || !buf || !got || len == 0)
    return PW_EINVAL;
  size_t chunk = len < PW_NET_CHUNK ? len : PW_NET_CHUNK;
  uint64_t deadline = deadline_after(timeout_ms);
  for (;;) {
    if (is_aborted(s))
      return PW_ECANCELED;
    ssize_t n = recv(s->fd, buf, chunk, MSG_DONTWAIT);
    if (n >= 0) {
      *got = (size_t)n; /* 0: the peer closed its side */
      return PW_OK;
    }
    if (errno == EINTR)
      continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return pw_posix_err(errno);
    int err = wait_ready(s, POLLIN, deadline);
    if (err != PW_OK)
      return err;
  }
}

int pw_socket_shutdown_send(pw_socket *s) {
  if (!s)
    return PW_EINVAL;
  if (is_aborted(s))
    return PW_ECANCELED;
  return shutdown(s->fd, SHUT_WR) == 0 ? PW_OK : pw_posix_err(errno);
}

void pw_socket_abort(pw_socket *s) {
  if (!s || atomic_exchange(&s->aborted, 1) != 0)
    return;
    /* Readable from now on: nothing reads it back. The descriptor is
     * non-blocking, and one write never fills an eventfd or a pipe. */
#ifdef __linux__
  uint64_t one = 1;
#else
  unsigned char one = 1;
#endif
  ssize_t n;
  do {
    n = write(s->wake_wr, &one, sizeof one);
  } while (n < 0 && errno == EINTR);
}

int pw_posix_socket_fd(const pw_socket *s) {
  return s ? s->fd : -1;
}

void pw_socket_close(pw_socket *s) {
  if (!s)
    return;
  if (s->fd >= 0)
    close(s->fd);
  close_wake(s);
  free(s);
}
