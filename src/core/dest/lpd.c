/* portway — the LPD port type: lpd://host[:port]/queue (RFC 1179 client,
 * port 515 by default): its destination (the configuration is lpd_config.c).
 * See docs/lpd-port.md.
 *
 * A job is one "receive job" (RFC 1179 5.2) on one TCP connection:
 *   \2queue\n                          -> ack 0
 *   \3<size> dfA<nnn><host>\n          -> ack 0, <size> bytes, \0 -> ack 0
 *   \2<size> cfA<nnn><host>\n          -> ack 0, control file, \0 -> ack 0
 * With bytecount (the default) the job spools to a temporary file while the
 * spooler writes, and EndDocPort connects and sends all of it with its exact
 * size, data file first. Without, StartDocPort connects, sends the control
 * file, then the data file with size 0 ("until the connection closes", an
 * LPRng extension) and WritePort streams into it; EndDocPort half-closes.
 * Every answer of the server is checked; a refusal names the step. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest.h"
#include "core/dest/lpd.h"
#include "core/dest/netconnect.h"
#include "core/dest_scheme.h"
#include "core/strutil.h"
#include "portway/error.h"
/* ---- the destination ---- */

/* Reads of the temporary file, and streaming's gathered sends (the
 * spooler's WritePorts are 4 KB; one send each would be a segment each). */
#define LPD_CHUNK 262144u
/* Longest text a server may send instead of an ack that we quote. */
#define LPD_REPLY_QUOTE 96u

/* "dfA" / "cfA" + 3 digits + host. */
#define LPD_NAME_MAX (3 + 3 + PW_LPD_HOST_MAX)

struct pw_dest_job {
  pw_cancel *cancel;
  pw_socket *sock; /* NULL until connected */
  _Atomic uint32_t read_ms, write_ms;
  int bytecount;
  /* Streaming: a write failed after part of it went out (or the
   * connection is gone). Byte counting: the spool file failed. Every later
   * write and the commit fail. */
  int broken;
  int broken_err;
  pw_file *spool; /* byte counting: the job so far (deleted when closed) */
  uint64_t size;  /* bytes written by the spooler */
  pw_netconnect nc;
  char *host;
  char queue[PW_LPD_QUEUE_MAX + 1];
  char df[LPD_NAME_MAX + 1], cf[LPD_NAME_MAX + 1];
  unsigned number;
  char *ctl; /* the control file */
  size_t ctl_len;
  char peer[80];
  size_t gathered;    /* streaming: bytes waiting in buf */
  unsigned char *buf; /* LPD_CHUNK bytes */
};

/* Job numbers 000-999: the spooler's job id modulo 1000; for a job without
 * an id (Wine), a process-wide counter shared by every LPD port, starting
 * at an offset from the process id so that a restarted monitor does not
 * reuse the numbers it just sent. */
static atomic_uint lpd_counter;

static unsigned job_number(uint32_t job_id) {
  if (job_id)
    return job_id % 1000u;
  unsigned n = atomic_fetch_add(&lpd_counter, 1u);
  return (unsigned)((pw_process_id() + n) % 1000u);
}

/* Copy at most max bytes of src into dst (max + 1 bytes), keeping only
 * what an LPD server can take in a file name (hosts: letters, digits,
 * '.', '-', '_') or in a line (user: printable ASCII, no space; text:
 * anything but control characters, cut at a UTF-8 boundary). Everything
 * else becomes '_'. Empty: `fallback`. */
typedef enum field_kind { FIELD_HOST, FIELD_USER, FIELD_TEXT } field_kind;

static void sanitise(char *dst, size_t max, const char *src, field_kind kind,
                     const char *fallback) {
  size_t n = 0;
  if (src && kind == FIELD_HOST)
    while (*src == '\\') /* "\\ws1" */
      src++;
  for (; src && *src && n < max; src++) {
    unsigned char c = (unsigned char)*src;
    int ok;
    if (kind == FIELD_HOST)
      ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    else if (kind == FIELD_USER)
      ok = c > 0x20 && c < 0x7f;
    else
      ok = c >= 0x20 && c != 0x7f;
    dst[n++] = ok ? (char)c : '_';
  }
  if (kind == FIELD_TEXT && src && *src) {
    /* Cut: drop a partial UTF-8 sequence at the end. */
    size_t end = n;
    while (end > 0 && ((unsigned char)dst[end - 1] & 0xC0u) == 0x80u)
      end--;
    if (end > 0 && ((unsigned char)dst[end - 1] & 0x80u)) {
      unsigned char lead = (unsigned char)dst[end - 1];
      size_t need = lead >= 0xF0u ? 4u : lead >= 0xE0u ? 3u : 2u;
      if (n - (end - 1) < need)
        n = end - 1;
    }
  }
  dst[n] = '\0';
  if (n == 0)
    snprintf(dst, max + 1, "%s", fallback);
}

/* The control file (RFC 1179 section 7), every line bounded. */
static int build_control(pw_dest_job *job, const pw_doc_info *doc, char fmt,
                         const char *host) {
  char user[PW_LPD_USER_MAX + 1], jname[PW_LPD_JOBNAME_MAX + 1],
      dname[PW_LPD_DOCNAME_MAX + 1];
  const char *title = doc ? doc->doc_name : NULL;
  sanitise(user, PW_LPD_USER_MAX, doc ? doc->user : NULL, FIELD_USER,
           "portway");
  sanitise(jname, PW_LPD_JOBNAME_MAX, title, FIELD_TEXT, "untitled");
  sanitise(dname, PW_LPD_DOCNAME_MAX, title, FIELD_TEXT, "untitled");
  size_t cap = 16 + PW_LPD_HOST_MAX + PW_LPD_USER_MAX + PW_LPD_JOBNAME_MAX +
               PW_LPD_DOCNAME_MAX + 2 * LPD_NAME_MAX;
  job->ctl = malloc(cap);
  if (!job->ctl)
    return PW_ENOMEM;
  int n = snprintf(job->ctl, cap, "H%s\nP%s\nJ%s\nN%s\n%c%s\nU%s\n", host, user,
                   jname, dname, fmt, job->df, job->df);
  if (n < 0 || (size_t)n >= cap)
    return PW_EINVAL; /* cannot happen: every field is bounded */
  job->ctl_len = (size_t)n;
  return PW_OK;
}

static void job_free(pw_dest_job *job) {
  /* The token must not reach a freed socket. */
  pw_cancel_set_action(job->cancel, NULL, NULL);
  pw_socket_close(job->sock);
  (void)pw_file_close(job->spool); /* a temp file: removed on close */
  free(job->ctl);
  free(job->host);
  free(job->buf);
  free(job);
}

static int send_bytes(pw_dest_job *job, const void *p, size_t len,
                      const char *what, char *errbuf, size_t errlen) {
  int rc = pw_socket_send(job->sock, p, len, atomic_load(&job->write_ms), NULL);
  if (rc != PW_OK)
    pw_errbuf_os(errbuf, errlen, rc, "cannot send the %s to %s: %s", what,
                 job->peer, pw_strerror(rc));
  return rc;
}

/* Read the one-byte answer to `step`; 0 is yes. Anything else is a
 * refusal with `cause`; a server that writes text instead (BSD lpd: "lpd:
 * Host name for your address (::1) unknown") is quoted, printable ASCII
 * only. */
static int read_ack(pw_dest_job *job, const char *cause, char *errbuf,
                    size_t errlen) {
  unsigned char b = 0;
  size_t got = 0;
  int rc = pw_socket_recv(job->sock, &b, 1, atomic_load(&job->read_ms), &got);
  if (rc != PW_OK) {
    pw_errbuf_os(errbuf, errlen, rc, "no answer from %s (%s): %s", job->peer,
                 cause, pw_strerror(rc));
    return rc;
  }
  if (got == 0) {
    pw_errbuf_printf(errbuf, errlen, "%s closed the connection (%s)", job->peer,
                     cause);
    return PW_ECONNRESET;
  }
  if (b == 0)
    return PW_OK;
  if (b < 0x20 || b >= 0x7f) {
    pw_errbuf_printf(errbuf, errlen, "%s: %s (answer %u)", job->peer, cause,
                     (unsigned)b);
    return PW_EPROTO;
  }
  char text[LPD_REPLY_QUOTE + 1];
  size_t n = 0;
  text[n++] = (char)b;
  while (n < LPD_REPLY_QUOTE) {
    char more[LPD_REPLY_QUOTE];
    got = 0;
    uint32_t wait = atomic_load(&job->read_ms);
    if (pw_socket_recv(job->sock, more, LPD_REPLY_QUOTE - n,
                       wait < 1000u ? wait : 1000u, &got) != PW_OK ||
        got == 0)
      break;
    for (size_t i = 0; i < got; i++) {
      unsigned char c = (unsigned char)more[i];
      text[n++] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
    }
  }
  while (n > 0 && text[n - 1] == ' ')
    n--;
  text[n] = '\0';
  pw_errbuf_printf(errbuf, errlen, "%s: %s (the server said \"%s\")", job->peer,
                   cause, text);
  return PW_EPROTO;
}

/* Send one subcommand line and check its answer. */
static int subcommand(pw_dest_job *job, const char *line, const char *cause,
                      char *errbuf, size_t errlen) {
  int rc = send_bytes(job, line, strlen(line), "request", errbuf, errlen);
  if (rc == PW_OK)
    rc = read_ack(job, cause, errbuf, errlen);
  return rc;
}

static int connect_and_open_queue(pw_dest_job *job, char *errbuf,
                                  size_t errlen) {
  int rc = pw_netconnect_run(&job->nc, &job->sock, job->peer, sizeof job->peer,
                             errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  char line[PW_LPD_QUEUE_MAX + 3], cause[PW_LPD_QUEUE_MAX + 64];
  snprintf(line, sizeof line, "\002%s\n", job->queue);
  snprintf(cause, sizeof cause, "queue '%s' unknown or not accepting jobs",
           job->queue);
  return subcommand(job, line, cause, errbuf, errlen);
}

static int send_control_file(pw_dest_job *job, char *errbuf, size_t errlen) {
  char line[LPD_NAME_MAX + 32];
  snprintf(line, sizeof line, "\002%zu %s\n", job->ctl_len, job->cf);
  int rc = subcommand(job, line, "control file refused", errbuf, errlen);
  if (rc == PW_OK)
    rc = send_bytes(job, job->ctl, job->ctl_len + 1, "control file", errbuf,
                    errlen); /* with its terminating NUL */
  if (rc == PW_OK)
    rc = read_ack(job, "control file not accepted", errbuf, errlen);
  return rc;
}

static int lpd_start(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
                     size_t errlen) {
  const pw_lpd_options *o = pw_lpd_opts(st->cfg);
  *out = NULL;
  if (!o) {
    pw_errbuf_printf(errbuf, errlen, "not an LPD port configuration");
    return PW_EINVAL;
  }
  pw_dest_job *job = calloc(1, sizeof *job);
  if (job && !(job->buf = malloc(LPD_CHUNK))) {
    free(job);
    job = NULL;
  }
  if (!job)
    return PW_ENOMEM;
  job->cancel = st->cancel;
  job->bytecount = o->bytecount;
  atomic_init(&job->read_ms, st->timeouts.read_ms);
  atomic_init(&job->write_ms, st->timeouts.write_ms);
  snprintf(job->queue, sizeof job->queue, "%s", o->queue);
  char host[PW_LPD_HOST_MAX + 1];
  sanitise(host, PW_LPD_HOST_MAX, st->doc ? st->doc->machine : NULL, FIELD_HOST,
           "portway");
  job->number = job_number(st->doc ? st->doc->job_id : 0);
  snprintf(job->df, sizeof job->df, "dfA%03u%s", job->number, host);
  snprintf(job->cf, sizeof job->cf, "cfA%03u%s", job->number, host);
  int rc = pw_strdup_to(o->host, &job->host);
  if (rc == PW_OK)
    rc = build_control(job, st->doc, o->format, host);
  if (rc != PW_OK) {
    job_free(job);
    return rc;
  }
  job->nc = (pw_netconnect){job->host,
                            o->port,
                            (unsigned)o->retries,
                            st->timeouts.connect_ms,
                            st->cancel,
                            st->report_status,
                            st->status_ctx};
  if (job->bytecount) {
    /* The job is sent at EndDocPort; a printer that is down should still
     * fail StartDocPort (so the spooler keeps the job and retries it), so
     * connect once now, with the port's retries, and hang up. */
    rc = pw_netconnect_run(&job->nc, &job->sock, job->peer, sizeof job->peer,
                           errbuf, errlen);
    if (rc == PW_OK) {
      pw_cancel_set_action(job->cancel, NULL, NULL);
      pw_socket_close(job->sock);
      job->sock = NULL;
      rc = pw_file_open_temp(st->spool_dir, &job->spool);
      if (rc != PW_OK)
        pw_errbuf_os(errbuf, errlen, rc,
                     "cannot create the temporary file for byte counting "
                     "in '%s': %s",
                     st->spool_dir ? st->spool_dir : "(none)", pw_strerror(rc));
    }
    if (rc != PW_OK) {
      job_free(job);
      return rc;
    }
    *out = job;
    return PW_OK;
  }
  /* Streaming: control file first, then a data file of size 0, which the
   * connection's end closes. */
  rc = connect_and_open_queue(job, errbuf, errlen);
  if (rc == PW_OK)
    rc = send_control_file(job, errbuf, errlen);
  if (rc == PW_OK) {
    char line[LPD_NAME_MAX + 8];
    snprintf(line, sizeof line, "\0030 %s\n", job->df);
    rc = subcommand(job, line,
                    "data file of unknown size refused (the server needs "
                    "bytecount=true)",
                    errbuf, errlen);
  }
  if (rc != PW_OK) {
    job_free(job);
    return rc;
  }
  *out = job;
  return PW_OK;
}

/* Streaming: bytes on the stream; anything but "nothing went out,
 * time-out" breaks it for good (the contract in dest.h). */
static int stream_send(pw_dest_job *job, const void *buf, size_t len) {
  size_t sent = 0;
  int rc =
      pw_socket_send(job->sock, buf, len, atomic_load(&job->write_ms), &sent);
  if (rc != PW_OK && (sent > 0 || rc != PW_ETIMEDOUT)) {
    job->broken = 1; /* a hole in the stream, or the connection is gone */
    job->broken_err = PW_EIO;
  }
  if (rc == PW_OK && buf != job->buf)
    job->size += len;
  return rc;
}

/* Streaming: send what was gathered; on a time-out with nothing sent it
 * stays, and the spooler's retried write sends it first. */
static int stream_flush(pw_dest_job *job) {
  if (job->gathered == 0)
    return PW_OK;
  int rc = stream_send(job, job->buf, job->gathered);
  if (rc == PW_OK)
    job->gathered = 0;
  return rc;
}

static int lpd_write(pw_dest_job *job, const void *buf, size_t len) {
  if (job->broken)
    return job->broken_err;
  if (job->bytecount) {
    int rc = pw_file_write_all(job->spool, buf, len);
    if (rc != PW_OK) {
      job->broken = 1; /* the spool file has a hole now */
      job->broken_err = rc;
      return rc;
    }
    job->size += len;
    return PW_OK;
  }
  /* Make room first: if that fails, nothing of this buffer was taken and
   * the spooler's retry of it is exact. */
  if (job->gathered + len > LPD_CHUNK) {
    int rc = stream_flush(job);
    if (rc != PW_OK)
      return rc;
  }
  if (len >= LPD_CHUNK)
    return stream_send(job, buf, len);
  memcpy(job->buf + job->gathered, buf, len);
  job->gathered += len;
  job->size += len;
  return PW_OK;
}

/* Byte counting: the whole job, from the spool file. */
static int send_spooled(pw_dest_job *job, char *errbuf, size_t errlen) {
  int rc = connect_and_open_queue(job, errbuf, errlen);
  if (rc != PW_OK)
    return rc;
  char line[LPD_NAME_MAX + 32];
  snprintf(line, sizeof line, "\003%llu %s\n", (unsigned long long)job->size,
           job->df);
  rc = subcommand(job, line, "data file refused", errbuf, errlen);
  for (uint64_t off = 0; rc == PW_OK && off < job->size;) {
    uint64_t left = job->size - off;
    size_t want = left < LPD_CHUNK ? (size_t)left : LPD_CHUNK, n = 0;
    rc = pw_file_read_at(job->spool, off, job->buf, want, &n);
    if (rc == PW_OK && n == 0)
      rc = PW_EIO; /* shorter than what was written */
    if (rc != PW_OK) {
      pw_errbuf_os(errbuf, errlen, rc,
                   "cannot read back the temporary file: %s", pw_strerror(rc));
      return rc;
    }
    rc = send_bytes(job, job->buf, n, "data file", errbuf, errlen);
    off += n;
  }
  if (rc == PW_OK)
    rc = send_bytes(job, "", 1, "data file", errbuf, errlen);
  if (rc == PW_OK)
    rc = read_ack(job, "data file not accepted", errbuf, errlen);
  if (rc == PW_OK)
    rc = send_control_file(job, errbuf, errlen);
  return rc;
}

/* Streaming: the data file ends with the connection; the server's answer
 * (if any) or its close says how it went. */
static int end_stream(pw_dest_job *job, char *errbuf, size_t errlen) {
  int rc = stream_flush(job);
  if (rc != PW_OK) {
    pw_errbuf_os(errbuf, errlen, rc, "cannot send the data file to %s: %s",
                 job->peer, pw_strerror(rc));
    return rc;
  }
  rc = pw_socket_shutdown_send(job->sock);
  if (rc != PW_OK) {
    pw_errbuf_os(errbuf, errlen, rc, "cannot end the job on %s: %s", job->peer,
                 pw_strerror(rc));
    return rc;
  }
  unsigned char b = 0;
  size_t got = 0;
  rc = pw_socket_recv(job->sock, &b, 1, atomic_load(&job->read_ms), &got);
  if (rc != PW_OK) {
    pw_errbuf_os(errbuf, errlen, rc,
                 "%s did not answer after the data file: %s", job->peer,
                 pw_strerror(rc));
    return rc;
  }
  if (got == 1 && b != 0) {
    pw_errbuf_printf(errbuf, errlen,
                     "%s: data file not accepted (answer %u; the server may "
                     "need bytecount=true)",
                     job->peer, (unsigned)b);
    return PW_EPROTO;
  }
  return PW_OK;
}

static int lpd_commit(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                      size_t errlen) {
  int rc;
  if (job->broken) {
    rc = job->broken_err;
    pw_errbuf_printf(errbuf, errlen, "%s",
                     job->bytecount
                         ? "cannot write the temporary file"
                         : "the connection to the server failed during the "
                           "job");
  } else {
    rc = !job->bytecount  ? end_stream(job, errbuf, errlen)
         : job->size == 0 ? PW_OK /* nothing to print: not sent */
                          : send_spooled(job, errbuf, errlen);
  }
  int sent_nothing = job->bytecount && job->size == 0;
  if (rc == PW_OK && final && cap && !sent_nothing)
    snprintf(final, cap, "lpd://%s/%s as job %03u", job->peer, job->queue,
             job->number);
  else if (rc == PW_OK && final && cap)
    snprintf(final, cap, "nothing (an empty job is not sent to %s)",
             job->nc.host);
  job_free(job);
  return rc;
}

static void lpd_abort(pw_dest_job *job) {
  job_free(job);
}

static void lpd_set_timeouts(pw_dest_job *job, const pw_timeouts *t) {
  atomic_store(&job->read_ms, t->read_ms);
  atomic_store(&job->write_ms, t->write_ms);
}

static int lpd_probe(const pw_dest_start *st, char *verdict, size_t len) {
  const pw_lpd_options *o = pw_lpd_opts(st->cfg);
  if (!o)
    return PW_EINVAL;
  return pw_netconnect_probe(o->host, o->port, st->timeouts.connect_ms,
                             "the LPD server", verdict, len);
}

const pw_dest_ops pw_dest_lpd = {
    .kind = PW_DEST_LPD,
    /* No back channel in RFC 1179. A streaming write that timed out having
     * sent nothing can be retried; anything else marks the job broken. */
    .flags = PW_DEST_WRITE_RETRYABLE | PW_DEST_NETWORK,
    .start = lpd_start,
    .write = lpd_write,
    .read = NULL,
    .commit = lpd_commit,
    .abort = lpd_abort,
    /* The cancel token's action (set by netconnect while a socket exists)
     * aborts the socket; spool-file writes do not block. */
    .cancel = NULL,
    .set_timeouts = lpd_set_timeouts,
    .probe = lpd_probe,
};
