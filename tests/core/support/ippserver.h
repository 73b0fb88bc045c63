/* portway tests — an IPP printer on loopback (HTTP/1.1 + RFC 8010), in a
 * thread of the test, for the ipp:// destination's tests. It serves
 * connections one after another, several requests per connection
 * (keep-alive), de-chunks request bodies, decodes the IPP request and
 * records per request the operation, version and attributes and the
 * document byte-exactly (length, hash, first IPPS_KEEP_MAX bytes). Its
 * answers are scripted per job creation (Print-Job or Create-Job): busy,
 * an error status, HTTP 503; or misbehaviour in a document (Print-Job or
 * Send-Document): reset mid-document, stall. POSIX; 127.0.0.1 only. */
#ifndef PORTWAY_TEST_IPPSERVER_H
#define PORTWAY_TEST_IPPSERVER_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

#define IPPS_MAX_REQ 16
#define IPPS_KEEP_MAX (4u * 1024u * 1024u)

typedef struct ipps_request {
  unsigned op, version;
  int32_t request_id;
  char user[64], job_name[128], format[64], printer_uri[128];
  char path[128], host[128]; /* request-target and Host header */
  int chunked;               /* Transfer-Encoding: chunked */
  unsigned char *doc;        /* first IPPS_KEEP_MAX bytes */
  uint64_t doc_len, doc_hash;
  int32_t job_id;      /* the job-id operation attribute (Send-Document,
                          Cancel-Job) */
  int complete;        /* the whole body arrived */
  char requested[512]; /* requested-attributes, comma-separated */
  unsigned conn;       /* which connection (1, 2, ...) */
} ipps_request;

typedef enum ipps_misbehave {
  IPPS_NORMAL,
  IPPS_RESET_MID_DOC, /* RST after reset_after document bytes */
  IPPS_STALL,         /* stop reading the body (the sender's window fills) */
} ipps_misbehave;

typedef struct ippserver {
  /* set before ippserver_start */
  /* Job creation number i (0-based; Print-Job and Create-Job count; job-id
   * 41 + i) is answered with status[i] (0 = ok) or,
   * if http[i] is set, with that HTTP status and no IPP body. */
  unsigned status[IPPS_MAX_REQ];
  int http[IPPS_MAX_REQ];
  int only_v11;        /* 2.0 requests: server-error-version-not-supported */
  int not_accepting;   /* Get-Printer-Attributes: printer-is-accepting-jobs */
  int no_create_job;   /* operations-supported without Create-Job and
                          Send-Document (an older printer) */
  const char *formats; /* document-format-supported, comma-separated */
  /* Get-Printer-Attributes, the printer's description (Bidi): printer-state
   * (0: 3, idle), printer-state-reasons (NULL: "none", or "paused" with
   * not_accepting); a NULL string is not sent. Lists are comma-separated,
   * one value per marker (marker_levels: integers). */
  int state;
  const char *reasons, *make_model, *device_id;
  const char *marker_names, *marker_types, *marker_colors, *marker_levels;
  int close_each; /* Connection: close after every response */
  ipps_misbehave misbehave;
  uint64_t reset_after;
  /* internal */
  int listen_fd;
  int port;
  pw_thread *thread;
  pw_mutex lock;
  int stop;
  unsigned conns;      /* connections accepted */
  unsigned print_jobs; /* Print-Job and Create-Job requests seen */
  /* observed */
  unsigned nreq;
  ipps_request req[IPPS_MAX_REQ];
} ippserver;

uint64_t ipps_hash(uint64_t h, const void *p, size_t len);
#define IPPS_HASH_INIT 1469598103934665603ull
/* 0 on success. */
int ippserver_start(ippserver *s);
void ippserver_stop(ippserver *s);
/* Wait (at most 10 s) until n requests were recorded complete. */
int ippserver_wait(ippserver *s, unsigned n);

#endif
