/* portway — one IPP request/response exchange over HTTP/1.1 (RFC 8010
 * section 4: POST, Content-Type application/ipp), on a pw_netconn. The
 * request body is chunked so a document of any size streams through; the
 * response is read into a bounded buffer (its IPP header only) and what
 * the printer said is condensed into a pw_ippx_reply. */
#ifndef PORTWAY_DEST_IPP_EXCHANGE_H
#define PORTWAY_DEST_IPP_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/dest/netconn.h"
#include "core/http1.h"

/* Where a request goes: the percent-encoded resource ("/ipp/print"), the
 * Host header ("localhost:631", "[::1]:631") and the printer-uri
 * attribute. */
typedef struct pw_ippx_target {
  char *path;
  char *host;
  char *printer_uri;
} pw_ippx_target;

/* From the port's options: scheme ipp/ipps, host, port, resource. */
int pw_ippx_target_init(pw_ippx_target *t, int tls, const char *host, int port,
                        const char *resource);
void pw_ippx_target_free(pw_ippx_target *t);

/* A chunk sent in one piece: the data sits at buf + PW_IPPX_CHUNK_LEAD,
 * with 2 spare octets after it for the CRLF. */
#define PW_IPPX_CHUNK_LEAD (PW_HTTP1_CHUNK_HEAD_MAX - 1u)
#define PW_IPPX_CHUNK_SPACE(n) (PW_IPPX_CHUNK_LEAD + (n) + 2u)

/* The POST head and the IPP request header (as the first chunk). */
int pw_ippx_send_head(pw_netconn *c, const pw_ippx_target *t, const void *ipp,
                      size_t ipp_len, uint32_t timeout_ms, size_t *sent);
/* A whole request without a document (head, IPP header, last chunk) in
 * one send: sent as two, the last chunk would wait for the printer's
 * delayed ACK of the first (Nagle's algorithm), 40 ms per request. */
int pw_ippx_send_request(pw_netconn *c, const pw_ippx_target *t,
                         const void *ipp, size_t ipp_len, uint32_t timeout_ms);
/* One chunk of n > 0 octets laid out as above (buf is written to). */
int pw_ippx_send_chunk(pw_netconn *c, unsigned char *buf, size_t n,
                       uint32_t timeout_ms, size_t *sent);
/* The last chunk: the request is complete. */
int pw_ippx_send_end(pw_netconn *c, uint32_t timeout_ms);

#define PW_IPPX_TEXT_MAX 200u

typedef struct pw_ippx_reply {
  int http_status;                /* 100..599 */
  int keep_alive;                 /* the connection may carry another request */
  int have_ipp;                   /* an IPP response was decoded */
  unsigned version;               /* of the response */
  unsigned status;                /* IPP status-code */
  char message[PW_IPPX_TEXT_MAX]; /* status-message, printable */
  int32_t job_id;                 /* 0 if none */
  /* Get-Printer-Attributes */
  int32_t printer_state; /* 3 idle, 4 processing, 5 stopped */
  int accepting;         /* printer-is-accepting-jobs, -1 */
  int format_supported;  /* the format asked about, -1 */
  int create_job; /* operations-supported has Create-Job and Send-Document:
                     1, 0, or -1 (not said) */
  char reasons[PW_IPPX_TEXT_MAX]; /* printer-state-reasons, ", " */
  char http_reason[PW_HTTP1_MAX_REASON];
} pw_ippx_reply;

/* Read one whole response (each wait bounded by timeout_ms). format, when
 * not NULL, is looked up in document-format-supported. PW_OK when the
 * response was read (whatever it says; see pw_ippx_verdict), PW_EPROTO
 * when it was malformed or cut short, or the connection's error. */
int pw_ippx_read_reply(pw_netconn *c, uint32_t timeout_ms, const char *format,
                       pw_ippx_reply *r, char *errbuf, size_t errlen);

/* Sees a decoded response while it lives (Bidi reads more of a
 * Get-Printer-Attributes answer than pw_ippx_reply keeps). */
struct pw_ipp_msg;
typedef void (*pw_ippx_msg_fn)(void *ctx, const struct pw_ipp_msg *m);
/* pw_ippx_read_reply, and on_msg (may be NULL) with the IPP message when
 * the body held one. */
int pw_ippx_read_reply_msg(pw_netconn *c, uint32_t timeout_ms,
                           const char *format, pw_ippx_reply *r,
                           pw_ippx_msg_fn on_msg, void *ctx, char *errbuf,
                           size_t errlen);

/* What a reply means for the job: PW_OK (successful-ok*), PW_EBUSY
 * (server-error-busy, -service-unavailable, -temporary-error, HTTP 503:
 * worth retrying later), PW_EREJECTED (any other IPP error: the request
 * or the job was refused; HTTP 426: TLS required), PW_EACCES (HTTP 401,
 * 403: authentication, which portway does not do), PW_EPROTO (another
 * HTTP status, or no IPP in the body). errbuf gets the printer's words:
 * "client-error-document-format-not-supported: Unsupported format". */
int pw_ippx_verdict(const pw_ippx_reply *r, char *errbuf, size_t errlen);

#endif
