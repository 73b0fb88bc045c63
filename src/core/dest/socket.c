/* portway — the socket port type: socket://host[:port] (raw TCP, port 9100
 * by default, "AppSocket"/JetDirect): its configuration and its
 * destination. See docs/socket-port.md.
 *
 * A job is one TCP connection: StartDocPort resolves the host and connects
 * (every address in turn, bounded retries with back-off, at most
 * max(60 s, connect_timeout) in all), WritePort sends with the write
 * time-out, EndDocPort half-closes and, with waiteof, reads until the
 * printer closes (so consecutive jobs cannot mix); anything the printer
 * sends back is the back channel (ReadPort). ClosePort/Shutdown abort the
 * socket from their thread (cancel). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dest.h"
#include "core/dest/netconnect.h"

#include "core/config_internal.h"
#include "core/dest/socket.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"

#define PW_SOCKET_DEFAULT_PORT 9100

static void socket_free(void *opts) {
  pw_socket_options *o = opts;
  if (!o)
    return;
  free(o->host);
  free(o);
}

static int socket_from_uri(const pw_uri *u, void **opts, char *errbuf,
                           size_t errlen) {
  *opts = NULL;
  pw_socket_options *o = calloc(1, sizeof *o);
  if (!o)
    return PW_ENOMEM;
  o->retries = PW_SOCKET_DEFAULT_RETRIES;
  o->waiteof = 1;
  int rc = pw_config_net_authority(u, PW_SOCKET_DEFAULT_PORT, &o->host,
                                   &o->port, errbuf, errlen);
  if (rc == PW_OK && u->path[0] && strcmp(u->path, "/") != 0) {
    pw_errbuf_printf(errbuf, errlen, "socket URIs take no path");
    rc = PW_EBADCONFIG;
  }
  if (rc != PW_OK) {
    socket_free(o);
    return rc;
  }
  *opts = o;
  return PW_OK;
}

static int socket_format_uri(const void *opts, pw_textbuf *b) {
  const pw_socket_options *o = opts;
  return pw_config_add_authority(b, "socket", o->host, o->port);
}

static void *socket_clone(const void *opts) {
  const pw_socket_options *o = opts;
  pw_socket_options *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->port = o->port;
  c->retries = o->retries;
  c->waiteof = o->waiteof;
  if (pw_strdup_to(o->host, &c->host) != PW_OK) {
    socket_free(c);
    return NULL;
  }
  return c;
}

static int socket_equal(const void *a, const void *b) {
  const pw_socket_options *x = a, *y = b;
  return x->port == y->port && x->retries == y->retries &&
         x->waiteof == y->waiteof && pw_config_str_eq(x->host, y->host);
}

static int socket_set_option(void *opts, const char *key, const char *value,
                             char *errbuf, size_t errlen) {
  pw_socket_options *o = opts;
  if (strcmp(key, "waiteof") == 0)
    return pw_config_parse_bool(key, value, &o->waiteof, errbuf, errlen);
  return pw_config_parse_count(key, value, PW_SOCKET_MAX_RETRIES, &o->retries,
                               errbuf, errlen); /* retries */
}

static int socket_format_options(const void *opts, pw_textbuf *b) {
  const pw_socket_options *o = opts;
  int rc = PW_OK;
  if (o->retries != PW_SOCKET_DEFAULT_RETRIES) {
    char n[16];
    snprintf(n, sizeof n, "%d", o->retries);
    rc = pw_config_add_option(b, "retries", n);
  }
  if (rc == PW_OK && !o->waiteof)
    rc = pw_config_add_option(b, "waiteof", "false");
  return rc;
}

/* ---- the destination ---- */

struct pw_dest_job {
  pw_socket *sock;
  pw_cancel *cancel;
  _Atomic uint32_t read_ms, write_ms;
  int waiteof;
  /* Set by a write that failed after part of its buffer went out: the
   * stream has a hole, so every later write and the commit fail. */
  int broken;
  char peer[80]; /* "host:port" of the address connected to */
  /* Small WritePorts (the spooler's are 4 KB) gathered into one send: a
   * system call per 4 KB halves the throughput, and 256 KB (socat's
   * buffer) beats 64 KB by a third (docs/performance.md, RAW). Bytes wait here
   * at most until the next write that fills it, or EndDocPort, which fails the
   * job if they cannot be sent (as the file port's buffer does). */
  unsigned char *gather;
  size_t gathered;
  /* Someone reads the back channel (a language monitor's status reader,
   * on its own thread): from then on each write goes out at once, since
   * the printer's answers to what was written (a PJL job's end echo) must
   * not wait for EndDocPort's flush. */
  atomic_int conversing;
};

#define SOCKET_GATHER_BYTES 262144u

static void job_free(pw_dest_job *job) {
  /* The token must not reach a freed socket. */
  pw_cancel_set_action(job->cancel, NULL, NULL);
  pw_socket_close(job->sock);
  free(job->gather);
  free(job);
}

/* StartDocPort connects: every address in turn, bounded retries with
 * back-off, at most max(60 s, connect_timeout) in all (netconnect.c). */
static int sock_start(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
                      size_t errlen) {
  const pw_socket_options *o = pw_socket_opts(st->cfg);
  *out = NULL;
  if (!o) {
    pw_errbuf_printf(errbuf, errlen, "not a socket port configuration");
    return PW_EINVAL;
  }
  pw_dest_job *job = calloc(1, sizeof *job);
  if (!job)
    return PW_ENOMEM;
  job->cancel = st->cancel;
  job->waiteof = o->waiteof;
  atomic_init(&job->read_ms, st->timeouts.read_ms);
  atomic_init(&job->write_ms, st->timeouts.write_ms);
  atomic_init(&job->conversing, 0);
  pw_netconnect nc = {o->host,
                      o->port,
                      (unsigned)o->retries,
                      st->timeouts.connect_ms,
                      st->cancel,
                      st->report_status,
                      st->status_ctx};
  int rc = pw_netconnect_run(&nc, &job->sock, job->peer, sizeof job->peer,
                             errbuf, errlen);
  if (rc != PW_OK) {
    job_free(job);
    return rc;
  }
  *out = job;
  return PW_OK;
}

/* Send bytes on the stream; anything but "nothing went out, time-out"
 * breaks it for good (see the contract in dest.h). */
static int send_or_break(pw_dest_job *job, const void *buf, size_t len) {
  size_t sent = 0;
  int rc =
      pw_socket_send(job->sock, buf, len, atomic_load(&job->write_ms), &sent);
  if (rc != PW_OK && (sent > 0 || rc != PW_ETIMEDOUT))
    job->broken = 1; /* part of it went out, or the connection is gone */
  return rc;
}

/* Send what was gathered. On a time-out with nothing sent it stays, and
 * the caller's retried write sends it first. */
static int flush_gathered(pw_dest_job *job) {
  if (job->gathered == 0)
    return PW_OK;
  int rc = send_or_break(job, job->gather, job->gathered);
  if (rc == PW_OK)
    job->gathered = 0;
  return rc;
}

static int sock_write(pw_dest_job *job, const void *buf, size_t len) {
  if (job->broken)
    return PW_EIO; /* the stream already has a hole */
  if (atomic_load(&job->conversing)) {
    int rc = flush_gathered(job); /* what came before the first read */
    return rc == PW_OK ? send_or_break(job, buf, len) : rc;
  }
  if (!job->gather && !(job->gather = malloc(SOCKET_GATHER_BYTES)))
    return send_or_break(job, buf, len); /* no memory: unbuffered */
  if (job->gathered + len > SOCKET_GATHER_BYTES) {
    int rc = flush_gathered(job);
    if (rc != PW_OK)
      return rc; /* this write's bytes were not taken */
  }
  if (len >= SOCKET_GATHER_BYTES)
    return send_or_break(job, buf, len);
  memcpy(job->gather + job->gathered, buf, len);
  job->gathered += len;
  return PW_OK;
}

static int sock_read(pw_dest_job *job, void *buf, size_t len, size_t *nread) {
  atomic_store(&job->conversing, 1);
  size_t got = 0;
  int rc =
      pw_socket_recv(job->sock, buf, len, atomic_load(&job->read_ms), &got);
  *nread = rc == PW_OK ? got : 0;
  return rc;
}

/* Read and drop whatever the printer still sends until it closes. */
static int drain_until_eof(pw_dest_job *job) {
  char buf[4096];
  for (;;) {
    size_t got = 0;
    int rc = pw_socket_recv(job->sock, buf, sizeof buf,
                            atomic_load(&job->read_ms), &got);
    if (rc != PW_OK)
      return rc;
    if (got == 0)
      return PW_OK;
  }
}

static int sock_commit(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                       size_t errlen) {
  int rc = job->broken ? PW_EIO : flush_gathered(job);
  if (rc == PW_OK)
    rc = pw_socket_shutdown_send(job->sock);
  if (job->broken)
    pw_errbuf_printf(errbuf, errlen,
                     "the connection to %s failed during the job", job->peer);
  else if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc, "cannot end the job on %s: %s", job->peer,
                 pw_strerror(rc));
  /* With waiteof the printer's close is the proof it read everything
   * (and that the next job cannot mix with this one); without, the job
   * is delivered once the network stack took all of it. */
  if (rc == PW_OK && job->waiteof) {
    rc = drain_until_eof(job);
    if (rc != PW_OK)
      pw_errbuf_os(errbuf, errlen, rc,
                   "%s did not close the connection after the job (%s)",
                   job->peer, pw_strerror(rc));
  }
  if (rc == PW_OK && final && cap)
    snprintf(final, cap, "socket://%s", job->peer);
  job_free(job);
  return rc;
}

static void sock_abort(pw_dest_job *job) {
  job_free(job);
}

static void sock_cancel(pw_dest_job *job) {
  pw_socket_abort(job->sock);
}

static void sock_set_timeouts(pw_dest_job *job, const pw_timeouts *t) {
  atomic_store(&job->read_ms, t->read_ms);
  atomic_store(&job->write_ms, t->write_ms);
}

static int sock_probe(const pw_dest_start *st, char *verdict, size_t len) {
  const pw_socket_options *o = pw_socket_opts(st->cfg);
  if (!o)
    return PW_EINVAL;
  return pw_netconnect_probe(o->host, o->port, st->timeouts.connect_ms,
                             "the printer", verdict, len);
}

static const pw_dest_ops socket_ops = {
    .kind = PW_DEST_SOCKET,
    /* The printer may talk back; a write that timed out having sent
     * nothing can be retried (sock_write marks anything else broken). */
    .flags =
        PW_DEST_HAS_BACKCHANNEL | PW_DEST_WRITE_RETRYABLE | PW_DEST_NETWORK,
    .start = sock_start,
    .write = sock_write,
    .read = sock_read,
    .commit = sock_commit,
    .abort = sock_abort,
    .cancel = sock_cancel,
    .set_timeouts = sock_set_timeouts,
    .probe = sock_probe,
};

const pw_socket_options *pw_socket_opts(const pw_port_config *cfg) {
  return cfg && cfg->kind == PW_DEST_SOCKET ? cfg->opts : NULL;
}

static const char *const socket_schemes[] = {"socket", NULL};
static const char *const socket_options[] = {"retries", "waiteof", NULL};

const pw_dest_scheme pw_dest_scheme_socket = {
    .kind = PW_DEST_SOCKET,
    .schemes = socket_schemes,
    .description = "portway socket port",
    .options = socket_options,
    .ops = &socket_ops,
    .from_uri = socket_from_uri,
    .set_option = socket_set_option,
    .format_uri = socket_format_uri,
    .format_options = socket_format_options,
    .clone = socket_clone,
    .equal = socket_equal,
    .free = socket_free,
};
