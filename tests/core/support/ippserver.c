/* portway tests — the loopback IPP printer (see ippserver.h). */
#define _DEFAULT_SOURCE
#include "ippserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/ipp.h"
#include "portway/error.h"

#define IPPS_POLL_MS 20

uint64_t ipps_hash(uint64_t h, const void *p, size_t len) {
  const unsigned char *b = p;
  for (size_t i = 0; i < len; i++) {
    h ^= b[i];
    h *= 1099511628211ull;
  }
  return h;
}

typedef struct reader {
  ippserver *s;
  int fd;
  unsigned char buf[65536];
  size_t pos, len;
} reader;

static int stopping(ippserver *s) {
  pw_mutex_lock(&s->lock);
  int v = s->stop;
  pw_mutex_unlock(&s->lock);
  return v;
}

/* 1 data buffered, 0 end of stream, -1 error or stopping. */
static int fill(reader *r) {
  if (r->pos < r->len)
    return 1;
  while (!stopping(r->s)) {
    struct pollfd p = {r->fd, POLLIN, 0};
    int n = poll(&p, 1, IPPS_POLL_MS);
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

/* A line without its CRLF. 1 ok, 0 end of stream, -1 error/too long. */
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
  if (n && line[n - 1] == '\r')
    n--;
  line[n] = '\0';
  return 1;
}

static void copy_text(char *dst, size_t cap, const char *src) {
  snprintf(dst, cap, "%s", src ? src : "");
}

/* The body of one request, de-chunked, handed over as it comes. */
typedef struct body {
  reader *r;
  int chunked;
  uint64_t left; /* of the current chunk, or of Content-Length */
  int done;
} body;

/* Up to cap body bytes into out: >0 bytes, 0 end of body, -1 error. */
static long body_read(body *b, unsigned char *out, size_t cap) {
  char line[128];
  while (!b->done && b->left == 0) {
    if (!b->chunked) {
      b->done = 1;
      break;
    }
    if (read_line(b->r, line, sizeof line) != 1)
      return -1;
    char *end = NULL;
    unsigned long long n = strtoull(line, &end, 16);
    if (end == line)
      return -1;
    if (n == 0) { /* trailers until the empty line */
      do {
        if (read_line(b->r, line, sizeof line) != 1)
          return -1;
      } while (line[0]);
      b->done = 1;
      break;
    }
    b->left = n;
  }
  if (b->done)
    return 0;
  if (fill(b->r) != 1)
    return -1;
  size_t n = b->r->len - b->r->pos;
  if (n > b->left)
    n = (size_t)b->left;
  if (n > cap)
    n = cap;
  memcpy(out, b->r->buf + b->r->pos, n);
  b->r->pos += n;
  b->left -= n;
  if (b->left == 0 && b->chunked &&
      (read_line(b->r, line, sizeof line) != 1 || line[0]))
    return -1; /* the CRLF after the chunk's data */
  return (long)n;
}

static void respond(int fd, int http, const pw_ipp_writer *w, int close) {
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\nContent-Type: application/ipp\r\n"
                   "Content-Length: %zu\r\n%s\r\n",
                   http, http == 200 ? "OK" : "Service Unavailable",
                   w ? w->buf.len : 0, close ? "Connection: close\r\n" : "");
  (void)send(fd, head, (size_t)n, MSG_NOSIGNAL);
  if (w && w->buf.len)
    (void)send(fd, w->buf.data, w->buf.len, MSG_NOSIGNAL);
}

static void reset(int fd) {
  struct linger lg = {1, 0}; /* close sends RST */
  (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

static const char *attr_text(const pw_ipp_msg *m, const char *name) {
  const pw_ipp_attr *a = pw_ipp_find(m, PW_IPP_TAG_OPERATION, name);
  return a ? pw_ipp_get_text(m, a, 0) : NULL;
}

/* A comma-separated list as one attribute of 1setOf values (integers for
 * PW_IPP_TAG_INTEGER); nothing for NULL. */
static void add_list(pw_ipp_writer *w, unsigned tag, const char *name,
                     const char *list) {
  char copy[512];
  if (!list)
    return;
  copy_text(copy, sizeof copy, list);
  for (char *save = NULL, *v = strtok_r(copy, ",", &save); v;
       v = strtok_r(NULL, ",", &save), name = NULL) {
    if (tag == PW_IPP_TAG_INTEGER)
      pw_ipp_add_integer(w, tag, name, (int32_t)strtol(v, NULL, 10));
    else
      pw_ipp_add_string(w, tag, name, v);
  }
}

/* The Bidi part of the printer's description. */
static void add_description(ippserver *s, pw_ipp_writer *w) {
  if (s->make_model)
    pw_ipp_add_string(w, PW_IPP_TAG_TEXT, "printer-make-and-model",
                      s->make_model);
  if (s->device_id)
    pw_ipp_add_string(w, PW_IPP_TAG_TEXT, "printer-device-id", s->device_id);
  add_list(w, PW_IPP_TAG_NAME, "marker-names", s->marker_names);
  add_list(w, PW_IPP_TAG_KEYWORD, "marker-types", s->marker_types);
  add_list(w, PW_IPP_TAG_NAME, "marker-colors", s->marker_colors);
  add_list(w, PW_IPP_TAG_INTEGER, "marker-levels", s->marker_levels);
}

static void answer(ippserver *s, int fd, const pw_ipp_msg *m, unsigned pj,
                   int close) {
  pw_ipp_writer w = {0};
  unsigned status = 0;
  int http = 200;
  if (s->only_v11 && m->version != PW_IPP_VERSION_1_1)
    status = PW_IPP_STATUS_SERVER_ERROR_VERSION_NOT_SUPPORTED;
  else if ((m->code == PW_IPP_OP_PRINT_JOB ||
            m->code == PW_IPP_OP_CREATE_JOB) &&
           pj < IPPS_MAX_REQ) {
    status = s->status[pj];
    http = s->http[pj] ? s->http[pj] : 200;
  }
  if (http != 200) {
    respond(fd, http, NULL, close);
    return;
  }
  pw_ipp_begin(&w, m->version, status, m->request_id);
  pw_ipp_group(&w, PW_IPP_TAG_OPERATION);
  pw_ipp_add_string(&w, PW_IPP_TAG_CHARSET, "attributes-charset", "utf-8");
  pw_ipp_add_string(&w, PW_IPP_TAG_LANGUAGE, "attributes-natural-language",
                    "en");
  if (status)
    pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "status-message",
                      "scripted refusal");
  if (status == 0 &&
      (m->code == PW_IPP_OP_PRINT_JOB || m->code == PW_IPP_OP_CREATE_JOB)) {
    pw_ipp_group(&w, PW_IPP_TAG_JOB);
    pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, "job-id", (int32_t)(pj + 41));
  }
  if (status == 0 && m->code == PW_IPP_OP_GET_PRINTER_ATTRIBUTES) {
    pw_ipp_group(&w, PW_IPP_TAG_PRINTER);
    pw_ipp_add_integer(&w, PW_IPP_TAG_ENUM, "printer-state",
                       s->state ? s->state : 3);
    add_list(&w, PW_IPP_TAG_KEYWORD, "printer-state-reasons",
             s->reasons         ? s->reasons
             : s->not_accepting ? "paused"
                                : "none");
    pw_ipp_add_boolean(&w, "printer-is-accepting-jobs", !s->not_accepting);
    static const int32_t ops[] = {PW_IPP_OP_PRINT_JOB,
                                  PW_IPP_OP_VALIDATE_JOB,
                                  PW_IPP_OP_CREATE_JOB,
                                  PW_IPP_OP_SEND_DOCUMENT,
                                  PW_IPP_OP_CANCEL_JOB,
                                  PW_IPP_OP_GET_JOB_ATTRIBUTES,
                                  PW_IPP_OP_GET_PRINTER_ATTRIBUTES};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
      if (s->no_create_job &&
          (ops[i] == PW_IPP_OP_CREATE_JOB || ops[i] == PW_IPP_OP_SEND_DOCUMENT))
        continue;
      pw_ipp_add_integer(&w, PW_IPP_TAG_ENUM,
                         i == 0 ? "operations-supported" : NULL, ops[i]);
    }
    char formats[256];
    copy_text(formats, sizeof formats,
              s->formats ? s->formats : "application/octet-stream");
    const char *name = "document-format-supported";
    for (char *save = NULL, *f = strtok_r(formats, ",", &save); f;
         f = strtok_r(NULL, ",", &save), name = NULL)
      pw_ipp_add_string(&w, PW_IPP_TAG_MIMETYPE, name, f);
    add_description(s, &w);
  }
  pw_ipp_end(&w);
  respond(fd, 200, &w, close);
  pw_ipp_writer_free(&w);
}

/* One request on the connection: 1 served (another may follow), 0 the
 * connection ends. */
static int serve_request(ippserver *s, reader *r, unsigned conn) {
  char line[1024], path[128] = "", host[128] = "";
  int rl = read_line(r, line, sizeof line);
  if (rl != 1)
    return 0;
  if (sscanf(line, "POST %127s HTTP/1.1", path) != 1)
    return 0;
  body b = {r, 0, 0, 0};
  for (;;) {
    if (read_line(r, line, sizeof line) != 1)
      return 0;
    if (!line[0])
      break;
    if (strncasecmp(line, "Host:", 5) == 0)
      copy_text(host, sizeof host, line + 5 + strspn(line + 5, " "));
    else if (strncasecmp(line, "Transfer-Encoding: chunked", 26) == 0)
      b.chunked = 1;
    else if (strncasecmp(line, "Content-Length:", 15) == 0)
      b.left = strtoull(line + 15, NULL, 10);
  }
  pw_mutex_lock(&s->lock);
  unsigned idx = s->nreq < IPPS_MAX_REQ ? s->nreq++ : IPPS_MAX_REQ - 1;
  ipps_request *q = &s->req[idx];
  free(q->doc);
  memset(q, 0, sizeof *q);
  q->conn = conn;
  q->chunked = b.chunked;
  q->doc_hash = IPPS_HASH_INIT;
  copy_text(q->path, sizeof q->path, path);
  copy_text(q->host, sizeof q->host, host);
  pw_mutex_unlock(&s->lock);

  /* the IPP header first, then the document */
  unsigned char *hdr = malloc(PW_IPP_MAX_HEADER), *chunk = malloc(65536);
  size_t hlen = 0;
  pw_ipp_msg m;
  int rc = PW_ENOBUFS, alive = 1;
  while (hdr && chunk && rc == PW_ENOBUFS && hlen < PW_IPP_MAX_HEADER) {
    long n = body_read(&b, hdr + hlen, PW_IPP_MAX_HEADER - hlen);
    if (n <= 0)
      break;
    hlen += (size_t)n;
    rc = pw_ipp_decode(hdr, hlen, &m);
  }
  if (rc != PW_OK) {
    free(hdr);
    free(chunk);
    return 0;
  }
  unsigned pj = 0;
  pw_mutex_lock(&s->lock);
  q->op = m.code;
  q->version = m.version;
  q->request_id = m.request_id;
  copy_text(q->user, sizeof q->user, attr_text(&m, "requesting-user-name"));
  copy_text(q->job_name, sizeof q->job_name, attr_text(&m, "job-name"));
  copy_text(q->format, sizeof q->format, attr_text(&m, "document-format"));
  copy_text(q->printer_uri, sizeof q->printer_uri,
            attr_text(&m, "printer-uri"));
  const pw_ipp_attr *ra =
      pw_ipp_find(&m, PW_IPP_TAG_OPERATION, "requested-attributes");
  for (size_t i = 0; ra && i < ra->count; i++) {
    const char *v = pw_ipp_get_text(&m, ra, i);
    size_t used = strlen(q->requested);
    if (v && used + strlen(v) + 2 < sizeof q->requested)
      snprintf(q->requested + used, sizeof q->requested - used, "%s%s",
               used ? "," : "", v);
  }
  const pw_ipp_attr *jid = pw_ipp_find(&m, PW_IPP_TAG_OPERATION, "job-id");
  if (jid)
    (void)pw_ipp_get_integer(&m, jid, 0, &q->job_id);
  if (m.code == PW_IPP_OP_PRINT_JOB || m.code == PW_IPP_OP_CREATE_JOB)
    pj = s->print_jobs++;
  pw_mutex_unlock(&s->lock);
  /* the requests that carry a document */
  int print_job =
      m.code == PW_IPP_OP_PRINT_JOB || m.code == PW_IPP_OP_SEND_DOCUMENT;
  if (print_job && s->misbehave == IPPS_STALL) {
    while (!stopping(s))
      usleep(IPPS_POLL_MS * 1000);
    alive = 0;
  }
  /* document bytes: what came with the header, then the rest */
  uint64_t doc_len = 0, hash = IPPS_HASH_INIT;
  unsigned char *keep = print_job ? malloc(IPPS_KEEP_MAX) : NULL;
  size_t extra = hlen - m.header_len;
  const unsigned char *p = hdr + m.header_len;
  long n = (long)extra;
  while (alive) {
    if (n > 0) {
      if (keep && doc_len < IPPS_KEEP_MAX) {
        size_t k = (size_t)n;
        if (k > IPPS_KEEP_MAX - doc_len)
          k = (size_t)(IPPS_KEEP_MAX - doc_len);
        memcpy(keep + doc_len, p, k);
      }
      hash = ipps_hash(hash, p, (size_t)n);
      doc_len += (uint64_t)n;
      if (print_job && s->misbehave == IPPS_RESET_MID_DOC &&
          doc_len >= s->reset_after) {
        reset(r->fd);
        alive = 0;
        break;
      }
    }
    n = body_read(&b, chunk, 65536);
    p = chunk;
    if (n == 0)
      break;
    if (n < 0)
      alive = 0;
  }
  pw_mutex_lock(&s->lock);
  q->doc = keep;
  q->doc_len = doc_len;
  q->doc_hash = hash;
  q->complete = alive;
  pw_mutex_unlock(&s->lock);
  if (alive)
    answer(s, r->fd, &m, pj, s->close_each);
  pw_ipp_msg_free(&m);
  free(hdr);
  free(chunk);
  return alive && !s->close_each;
}

static void serve(void *arg) {
  ippserver *s = arg;
  reader *r = malloc(sizeof *r);
  while (r && !stopping(s)) {
    struct pollfd p = {s->listen_fd, POLLIN, 0};
    if (poll(&p, 1, IPPS_POLL_MS) <= 0)
      continue;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
      continue;
    pw_mutex_lock(&s->lock);
    unsigned conn = ++s->conns;
    pw_mutex_unlock(&s->lock);
    r->s = s;
    r->fd = fd;
    r->pos = r->len = 0;
    while (serve_request(s, r, conn))
      ;
    close(fd);
  }
  free(r);
}

int ippserver_start(ippserver *s) {
  pw_mutex_init(&s->lock);
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->listen_fd < 0)
    return -1;
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  if (bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      listen(s->listen_fd, 8) != 0 ||
      getsockname(s->listen_fd, (struct sockaddr *)&a, &al) != 0)
    return -1;
  s->port = ntohs(a.sin_port);
  return pw_thread_start(&s->thread, serve, s) == PW_OK ? 0 : -1;
}

void ippserver_stop(ippserver *s) {
  pw_mutex_lock(&s->lock);
  s->stop = 1;
  pw_mutex_unlock(&s->lock);
  if (s->thread)
    (void)pw_thread_join(s->thread);
  s->thread = NULL;
  if (s->listen_fd >= 0)
    close(s->listen_fd);
  s->listen_fd = -1;
  for (unsigned i = 0; i < IPPS_MAX_REQ; i++) {
    free(s->req[i].doc);
    s->req[i].doc = NULL;
  }
  pw_mutex_destroy(&s->lock);
}

int ippserver_wait(ippserver *s, unsigned n) {
  for (int i = 0; i < 1000; i++) {
    unsigned done = 0;
    pw_mutex_lock(&s->lock);
    for (unsigned k = 0; k < s->nreq; k++)
      done += s->req[k].complete ? 1u : 0u;
    pw_mutex_unlock(&s->lock);
    if (done >= n)
      return 0;
    usleep(10000);
  }
  return -1;
}
