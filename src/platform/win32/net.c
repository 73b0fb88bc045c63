/* portway — TCP client sockets on Winsock 2 (platform.h, "TCP client
 * sockets").
 *
 * Each address list and each socket holds one WSAStartup reference, given
 * back by pw_addr_list_free / pw_socket_close (Winsock counts them), so the
 * core never has to start Winsock itself.
 *
 * A socket is non-blocking through WSAEventSelect on its own network event
 * (FD_CONNECT, FD_READ, FD_WRITE, FD_CLOSE). A call tries its operation
 * first and, on WSAEWOULDBLOCK, waits with WSAWaitForMultipleEvents on the
 * abort event (manual reset, set by pw_socket_abort and never reset), the
 * network event and its direction's "bell". The bells make a send and a
 * recv on two threads safe: Winsock signals one event for both, and the
 * waiter that takes it (WSAEnumNetworkEvents resets it) rings the other
 * direction's bell, which that direction resets only right before it tries
 * its operation again. So no wake-up is lost; a spurious one costs one
 * retry.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "platform/win32/win32_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/oserror_common.h"
#include "platform/platform.h"
#include "portway/error.h"
#include "portway/utf.h"

#ifndef WSA_FLAG_NO_HANDLE_INHERIT /* Windows 7 SP1 and later */
#define WSA_FLAG_NO_HANDLE_INHERIT 0x80
#endif

/* One send()/recv() call is bounded so the byte count fits an int. */
#define PW_NET_CHUNK ((size_t)1 << 30)
/* The longest single wait: WSA_INFINITE (0xFFFFFFFF) must never be passed. */
#define PW_NET_MAX_WAIT_MS 0x7FFFFFFFu

typedef struct pw_addr {
  SOCKADDR_STORAGE sa;
  int len;
} pw_addr;

struct pw_addr_list {
  size_t n;
  pw_addr *addrs;
};

enum { DIR_SEND = 0, DIR_RECV = 1 };

struct pw_socket {
  SOCKET fd;
  WSAEVENT net_ev; /* fd's network events (WSAEventSelect) */
  HANDLE abort_ev; /* manual reset; set once by pw_socket_abort */
  HANDLE bell[2];  /* manual reset; DIR_SEND (and connect), DIR_RECV */
  volatile LONG aborted;
  /* FD_CONNECT's outcome, written by whichever waiter took the event; only
   * pw_socket_connect waits before the connection is up. */
  volatile LONG connect_done;
  volatile LONG connect_err;
  pw_addr addr;
};

static int wsa_start(void) {
  WSADATA d;
  int rc = WSAStartup(MAKEWORD(2, 2), &d);
  return rc == 0 ? PW_OK : pw_win32_wsa_err(rc);
}

/* ---- name resolution ---- */

static int lookup(const wchar_t *host, const wchar_t *service, int flags,
                  ADDRINFOW **res) {
  ADDRINFOW hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = flags;
  *res = NULL;
  int rc = GetAddrInfoW(host, service, &hints, res);
  return rc == 0 ? PW_OK : pw_win32_wsa_err(rc);
}

static int copy_addresses(const ADDRINFOW *res, pw_addr_list **out) {
  size_t n = 0;
  for (const ADDRINFOW *a = res; a; a = a->ai_next) {
    if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
        a->ai_addrlen <= sizeof(SOCKADDR_STORAGE))
      n++;
  }
  if (n == 0) {
    pw_os_record(PW_OSERR_WSA, 0, PW_ENOHOST);
    return PW_ENOHOST; /* only families we cannot connect to */
  }
  pw_addr_list *l = calloc(1, sizeof *l);
  pw_addr *addrs = calloc(n, sizeof *addrs);
  if (!l || !addrs) {
    free(l);
    free(addrs);
    return PW_ENOMEM;
  }
  for (const ADDRINFOW *a = res; a; a = a->ai_next) {
    if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
        a->ai_addrlen <= sizeof(SOCKADDR_STORAGE)) {
      memcpy(&addrs[l->n].sa, a->ai_addr, a->ai_addrlen);
      addrs[l->n].len = (int)a->ai_addrlen;
      l->n++;
    }
  }
  l->addrs = addrs;
  *out = l;
  return PW_OK;
}

int pw_net_resolve(const char *host, int port, pw_addr_list **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!host || !*host || port < 1 || port > 65535)
    return PW_EINVAL;
  uint16_t *units = NULL;
  size_t len = 0;
  int err = pw_utf8_to_utf16(host, &units, &len);
  if (err != PW_OK)
    return err == PW_ENOMEM ? err : PW_EINVAL;
  char digits[8];
  wchar_t service[8];
  snprintf(digits, sizeof digits, "%d", port);
  for (size_t k = 0; k < sizeof digits; k++)
    service[k] = (wchar_t)(unsigned char)digits[k]; /* ASCII digits, NUL */
  err = wsa_start();
  if (err != PW_OK) {
    free(units);
    return err;
  }
  const wchar_t *whost = (const wchar_t *)(const void *)units;
  /* A literal never reaches the resolver (no DNS query, no hosts file). */
  ADDRINFOW *res = NULL;
  err = lookup(whost, service, AI_NUMERICHOST, &res);
  if (err == PW_ENOHOST)
    err = lookup(whost, service, 0, &res);
  free(units);
  if (err == PW_OK) {
    err = copy_addresses(res, out);
    FreeAddrInfoW(res);
  }
  if (err != PW_OK)
    WSACleanup(); /* *out holds the reference otherwise */
  return err;
}

size_t pw_addr_count(const pw_addr_list *l) {
  return l ? l->n : 0;
}

void pw_addr_format(const pw_addr_list *l, size_t i, char *buf, size_t cap) {
  if (!buf || cap == 0)
    return;
  buf[0] = '\0';
  if (!l || i >= l->n)
    return;
  const pw_addr *a = &l->addrs[i];
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  /* Numeric only: no resolver involved, ASCII output. */
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

void pw_addr_list_free(pw_addr_list *l) {
  if (!l)
    return;
  free(l->addrs);
  free(l);
  WSACleanup();
}

/* ---- sockets ---- */

static int is_aborted(pw_socket *s) {
  return InterlockedCompareExchange(&s->aborted, 0, 0) != 0;
}

static void free_socket(pw_socket *s) {
  if (s->fd != INVALID_SOCKET)
    closesocket(s->fd);
  if (s->net_ev != WSA_INVALID_EVENT)
    WSACloseEvent(s->net_ev);
  if (s->abort_ev)
    CloseHandle(s->abort_ev);
  for (int d = 0; d < 2; d++) {
    if (s->bell[d])
      CloseHandle(s->bell[d]);
  }
  free(s);
  WSACleanup();
}

static SOCKET new_socket(int family) {
  SOCKET fd = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                         WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  if (fd != INVALID_SOCKET || WSAGetLastError() != WSAEINVAL)
    return fd;
  /* Before Windows 7 SP1 the flag is unknown: clear inheritance after. */
  fd = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                  WSA_FLAG_OVERLAPPED);
  if (fd != INVALID_SOCKET &&
      !SetHandleInformation((HANDLE)fd, HANDLE_FLAG_INHERIT, 0)) {
    DWORD e = GetLastError();
    closesocket(fd);
    WSASetLastError((int)e);
    return INVALID_SOCKET;
  }
  return fd;
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
  s->fd = INVALID_SOCKET;
  s->net_ev = WSA_INVALID_EVENT;
  s->addr = l->addrs[i];
  int err = wsa_start();
  if (err != PW_OK) {
    free(s);
    return err;
  }
  s->abort_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  s->bell[DIR_SEND] = CreateEventW(NULL, TRUE, FALSE, NULL);
  s->bell[DIR_RECV] = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!s->abort_ev || !s->bell[DIR_SEND] || !s->bell[DIR_RECV]) {
    err = pw_win32_last_err();
    free_socket(s);
    return err;
  }
  s->net_ev = WSACreateEvent();
  if (s->net_ev == WSA_INVALID_EVENT) {
    err = pw_win32_wsa_err(WSAGetLastError());
    free_socket(s);
    return err;
  }
  s->fd = new_socket(s->addr.sa.ss_family);
  BOOL on = TRUE;
  if (s->fd == INVALID_SOCKET ||
      setsockopt(s->fd, SOL_SOCKET, SO_KEEPALIVE, (const char *)&on,
                 sizeof on) != 0 ||
      /* No Nagle (as on POSIX): portway gathers its own sends. */
      setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, (const char *)&on,
                 sizeof on) != 0 ||
      /* Makes fd non-blocking as well. */
      WSAEventSelect(s->fd, s->net_ev,
                     FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE) != 0) {
    err = pw_win32_wsa_err(WSAGetLastError());
    free_socket(s);
    return err;
  }
  *out = s;
  return PW_OK;
}

static uint64_t deadline_after(uint32_t timeout_ms) {
  return pw_time_monotonic_ns() + (uint64_t)timeout_ms * UINT64_C(1000000);
}

/* Wait until something happened that may let direction `dir` go on (the
 * caller retries its operation), s is aborted (PW_ECANCELED) or the
 * monotonic clock reaches deadline (PW_ETIMEDOUT). */
static int wait_ready(pw_socket *s, int dir, uint64_t deadline) {
  for (;;) {
    if (is_aborted(s))
      return PW_ECANCELED;
    uint64_t now = pw_time_monotonic_ns();
    uint64_t left_ns = deadline > now ? deadline - now : 0;
    uint64_t left_ms = (left_ns + 999999u) / 1000000u; /* round up */
    DWORD ms =
        left_ms > PW_NET_MAX_WAIT_MS ? PW_NET_MAX_WAIT_MS : (DWORD)left_ms;
    /* The abort event first: when several are set, the lowest wins. */
    WSAEVENT h[3] = {s->abort_ev, s->net_ev, s->bell[dir]};
    DWORD r = WSAWaitForMultipleEvents(3, h, FALSE, ms, FALSE);
    if (r == WSA_WAIT_EVENT_0)
      return PW_ECANCELED;
    if (r == WSA_WAIT_EVENT_0 + 1) {
      WSANETWORKEVENTS ne;
      if (WSAEnumNetworkEvents(s->fd, s->net_ev, &ne) != 0)
        return pw_win32_wsa_err(WSAGetLastError());
      if (ne.lNetworkEvents & FD_CONNECT) {
        InterlockedExchange(&s->connect_err, ne.iErrorCode[FD_CONNECT_BIT]);
        InterlockedExchange(&s->connect_done, 1);
      }
      /* The event may have been the other direction's: pass it on. */
      SetEvent(s->bell[1 - dir]);
      return PW_OK;
    }
    if (r == WSA_WAIT_EVENT_0 + 2) {
      ResetEvent(s->bell[dir]); /* before the caller's retry */
      return PW_OK;
    }
    if (r != WSA_WAIT_TIMEOUT)
      return pw_win32_wsa_err(WSAGetLastError());
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
  int e = WSAGetLastError();
  if (e == WSAEISCONN)
    return PW_OK;
  if (e != WSAEWOULDBLOCK && e != WSAEALREADY && e != WSAEINPROGRESS)
    return pw_win32_wsa_err(e);
  uint64_t deadline = deadline_after(timeout_ms);
  while (!InterlockedCompareExchange(&s->connect_done, 0, 0)) {
    int err = wait_ready(s, DIR_SEND, deadline);
    if (err != PW_OK)
      return err;
  }
  LONG ce = InterlockedCompareExchange(&s->connect_err, 0, 0);
  return ce == 0 ? PW_OK : pw_win32_wsa_err((int)ce);
}

int pw_socket_send(pw_socket *s, const void *buf, size_t len,
                   uint32_t timeout_ms, size_t *sent) {
  if (sent)
    *sent = 0;
  if (!s || (!buf && len))
    return PW_EINVAL;
  const char *p = buf;
  size_t done = 0;
  int err = is_aborted(s) ? PW_ECANCELED : PW_OK;
  /* The peer must take something within timeout_ms of the last progress. */
  uint64_t deadline = deadline_after(timeout_ms);
  while (err == PW_OK && done < len) {
    size_t chunk = len - done < PW_NET_CHUNK ? len - done : PW_NET_CHUNK;
    int n = send(s->fd, p + done, (int)chunk, 0);
    if (n > 0) {
      done += (size_t)n;
      deadline = deadline_after(timeout_ms);
      if (is_aborted(s))
        err = PW_ECANCELED;
      continue;
    }
    int e = n == 0 ? 0 : WSAGetLastError();
    if (e == WSAEWOULDBLOCK)
      err = wait_ready(s, DIR_SEND, deadline);
    else if (e != WSAEINTR)
      err = e ? pw_win32_wsa_err(e) : PW_EIO; /* no progress, no error */
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
  int chunk = (int)(len < PW_NET_CHUNK ? len : PW_NET_CHUNK);
  uint64_t deadline = deadline_after(timeout_ms);
  for (;;) {
    if (is_aborted(s))
      return PW_ECANCELED;
    int n = recv(s->fd, buf, chunk, 0);
    if (n >= 0) {
      *got = (size_t)n; /* 0: the peer closed its side */
      return PW_OK;
    }
    int e = WSAGetLastError();
    if (e == WSAEINTR)
      continue;
    if (e != WSAEWOULDBLOCK)
      return pw_win32_wsa_err(e);
    int err = wait_ready(s, DIR_RECV, deadline);
    if (err != PW_OK)
      return err;
  }
}

int pw_socket_shutdown_send(pw_socket *s) {
  if (!s)
    return PW_EINVAL;
  if (is_aborted(s))
    return PW_ECANCELED;
  return shutdown(s->fd, SD_SEND) == 0 ? PW_OK
                                       : pw_win32_wsa_err(WSAGetLastError());
}

void pw_socket_abort(pw_socket *s) {
  if (!s || InterlockedExchange(&s->aborted, 1) != 0)
    return;
  SetEvent(s->abort_ev); /* never reset: every waiter and later call sees it */
}

uintptr_t pw_win32_socket_handle(const pw_socket *s) {
  return s ? (uintptr_t)s->fd : (uintptr_t)INVALID_SOCKET;
}

void pw_socket_close(pw_socket *s) {
  if (s)
    free_socket(s);
}
