/* portway tests — the loopback LPD server (see lpdserver.h). */
#define _DEFAULT_SOURCE
#include "lpdserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "portway/error.h"

#define LPDS_POLL_MS 20
#define LPDS_CTL_MAX (64u * 1024u)

uint64_t lpds_hash(uint64_t h, const void *p, size_t len) {
  const unsigned char *b = p;
  for (size_t i = 0; i < len; i++) {
    h ^= b[i];
    h *= 1099511628211ull;
  }
  return h;
}

typedef struct reader {
  lpdserver *s;
  int fd;
  unsigned char buf[65536];
  size_t pos, len;
} reader;

static int stopping(lpdserver *s) {
  pw_mutex_lock(&s->lock);
  int v = s->stop;
  pw_mutex_unlock(&s->lock);
  return v;
}

/* Fill the buffer: 1 data, 0 end of stream, -1 error or stopping. */
static int fill(reader *r) {
  if (r->pos < r->len)
    return 1;
  while (!stopping(r->s)) {
    struct pollfd p = {r->fd, POLLIN, 0};
    int n = poll(&p, 1, LPDS_POLL_MS);
    if (n < 0 && errno != EINTR)
      return -1;
    if (n <= 0)
      continue;
    ssize_t got = recv(r->fd, r->buf, sizeof r->buf, 0);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return got == 0 ? 0 : -1;
    r->pos = 0;
    r->len = (size_t)got;
    return 1;
  }
  return -1;
}

/* A line up to '\n' (not kept), at most cap - 1 bytes. 1 ok, else 0/-1. */
static int read_line(reader *r, char *line, size_t cap) {
  size_t n = 0;
  for (;;) {
    int f = fill(r);
    if (f <= 0)
      return f;
    char c = (char)r->buf[r->pos++];
    if (c == '\n')
      break;
    if (n + 1 >= cap)
      return -1;
    line[n++] = c;
  }
  line[n] = '\0';
  return 1;
}

static void ack(int fd, unsigned char b) {
  (void)send(fd, &b, 1, MSG_NOSIGNAL);
}

/* Append "what a b|" (b may be empty) to the connection's record. */
static void note(lpdserver *s, lpds_conn *c, const char *what, const char *a,
                 const char *b) {
  pw_mutex_lock(&s->lock);
  size_t have = strlen(c->cmds);
  snprintf(c->cmds + have, sizeof c->cmds - have, "%s %s%s%s|", what, a,
           *b ? " " : "", b);
  pw_mutex_unlock(&s->lock);
}

static void reset(int fd) {
  struct linger lg = {1, 0}; /* close sends RST */
  (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

/* The bytes of one file: `count` of them, or until end of stream when
 * count is 0 (data only). Returns 1 when all came (and, with a count, the
 * trailing NUL was checked: 2 if it was not a NUL), 0/-1 otherwise. */
static int receive_file(lpdserver *s, reader *r, lpds_conn *c, int is_data,
                        uint64_t count) {
  uint64_t got = 0;
  for (;;) {
    if (count && got == count)
      break;
    int f = fill(r);
    if (f == 0 && !count && is_data) {
      c->data_until_eof = 1;
      return 1;
    }
    if (f <= 0)
      return f;
    size_t n = r->len - r->pos;
    if (count && n > count - got)
      n = (size_t)(count - got);
    const unsigned char *p = r->buf + r->pos;
    pw_mutex_lock(&s->lock);
    if (is_data) {
      if (c->data_len < LPDS_KEEP_MAX) {
        size_t keep = n;
        if (keep > LPDS_KEEP_MAX - c->data_len)
          keep = (size_t)(LPDS_KEEP_MAX - c->data_len);
        memcpy(c->data + c->data_len, p, keep);
      }
      c->data_len += n;
      c->data_hash = lpds_hash(c->data_hash, p, n);
    } else if (c->ctl_len + n <= LPDS_CTL_MAX) {
      memcpy(c->ctl + c->ctl_len, p, n);
      c->ctl_len += n;
      c->ctl[c->ctl_len] = '\0';
    }
    pw_mutex_unlock(&s->lock);
    r->pos += n;
    got += n;
    if (is_data && s->reset_after && got >= s->reset_after) {
      reset(r->fd);
      return -1;
    }
  }
  int f = fill(r);
  if (f <= 0)
    return f;
  return r->buf[r->pos++] == 0 ? 1 : 2;
}

static void serve(lpdserver *s, int fd, lpds_conn *c) {
  reader *r = calloc(1, sizeof *r);
  char line[300];
  unsigned char no = s->nak_byte ? s->nak_byte : 1;
  int have_ctl = 0, have_data = 0;
  if (!r)
    return;
  r->s = s;
  r->fd = fd;
  if (read_line(r, line, sizeof line) != 1 || line[0] != '\002') {
    free(r);
    return;
  }
  note(s, c, "recv", line + 1, "");
  if (s->reply_text) {
    (void)send(fd, s->reply_text, strlen(s->reply_text), MSG_NOSIGNAL);
    free(r);
    return;
  }
  if (s->nak == LPDS_NAK_RECEIVE) {
    ack(fd, no);
    free(r);
    return;
  }
  ack(fd, 0);
  while (read_line(r, line, sizeof line) == 1) {
    int kind = line[0];
    char *name = strchr(line, ' ');
    if ((kind != 2 && kind != 3) || !name)
      break;
    *name++ = '\0';
    char *end = NULL;
    uint64_t count = strtoull(line + 1, &end, 10);
    if (!end || *end || end == line + 1)
      break;
    int is_data = kind == 3;
    note(s, c, is_data ? "data" : "ctl", line + 1, name);
    if ((is_data && s->nak == LPDS_NAK_DATA) ||
        (!is_data && s->nak == LPDS_NAK_CONTROL) || (!is_data && !count)) {
      ack(fd, no);
      break;
    }
    ack(fd, 0);
    int rc = receive_file(s, r, c, is_data, count);
    if (rc <= 0 && !(is_data && c->data_until_eof))
      break;
    if (rc == 2 || (is_data && s->nak == LPDS_NAK_DATA_AFTER) ||
        (!is_data && s->nak == LPDS_NAK_CONTROL_AFTER) ||
        (c->data_until_eof && s->nak == LPDS_NAK_STREAM_END)) {
      ack(fd, no);
      break;
    }
    ack(fd, 0);
    have_ctl |= !is_data;
    have_data |= is_data;
    if (c->data_until_eof)
      break;
  }
  pw_mutex_lock(&s->lock);
  c->done = have_ctl && have_data;
  pw_mutex_unlock(&s->lock);
  free(r);
}

static void server_main(void *arg) {
  lpdserver *s = arg;
  while (!stopping(s)) {
    struct pollfd p = {s->listen_fd, POLLIN, 0};
    if (poll(&p, 1, LPDS_POLL_MS) <= 0)
      continue;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
      continue;
    pw_mutex_lock(&s->lock);
    unsigned i = s->conns < LPDS_MAX_CONN ? s->conns : LPDS_MAX_CONN - 1;
    lpds_conn *c = &s->conn[i];
    pw_mutex_unlock(&s->lock);
    serve(s, fd, c);
    close(fd);
    pw_mutex_lock(&s->lock);
    /* A connection that sent no command is the client checking that the
     * printer is up (byte counting, at StartDocPort): counted apart. */
    if (c->cmds[0])
      s->conns++;
    else
      s->probes++;
    pw_mutex_unlock(&s->lock);
  }
}

int lpdserver_start(lpdserver *s) {
  s->thread = NULL;
  s->stop = 0;
  s->conns = 0;
  s->probes = 0;
  for (unsigned i = 0; i < LPDS_MAX_CONN; i++) {
    lpds_conn *c = &s->conn[i];
    memset(c, 0, sizeof *c);
    c->data_hash = LPDS_HASH_INIT;
    c->ctl = malloc(LPDS_CTL_MAX + 1);
    c->data = malloc(LPDS_KEEP_MAX);
    if (!c->ctl || !c->data)
      return -1;
  }
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->listen_fd < 0)
    return -1;
  int one = 1;
  (void)setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  socklen_t sl = sizeof a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s->listen_fd, (struct sockaddr *)&a, sl) != 0 ||
      listen(s->listen_fd, 4) != 0 ||
      getsockname(s->listen_fd, (struct sockaddr *)&a, &sl) != 0) {
    close(s->listen_fd);
    return -1;
  }
  s->port = ntohs(a.sin_port);
  pw_mutex_init(&s->lock);
  if (pw_thread_start(&s->thread, server_main, s) != PW_OK) {
    close(s->listen_fd);
    pw_mutex_destroy(&s->lock);
    return -1;
  }
  return 0;
}

void lpdserver_stop(lpdserver *s) {
  if (s->thread) {
    pw_mutex_lock(&s->lock);
    s->stop = 1;
    pw_mutex_unlock(&s->lock);
    (void)pw_thread_join(s->thread);
    s->thread = NULL;
    close(s->listen_fd);
    pw_mutex_destroy(&s->lock);
  }
  for (unsigned i = 0; i < LPDS_MAX_CONN; i++) {
    free(s->conn[i].ctl);
    free(s->conn[i].data);
    s->conn[i].ctl = NULL;
    s->conn[i].data = NULL;
  }
}

int lpdserver_wait_conns(lpdserver *s, unsigned n) {
  for (int i = 0; i < 500; i++) {
    pw_mutex_lock(&s->lock);
    unsigned c = s->conns;
    pw_mutex_unlock(&s->lock);
    if (c >= n)
      return 1;
    usleep(20000);
  }
  return 0;
}
