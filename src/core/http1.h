/* portway — internal: HTTP/1.1 message framing for a client (RFC 9112),
 * enough for IPP over HTTP: a POST request head with a chunked body, the
 * chunk framing, and an incremental response parser.
 *
 * The parser is fed whatever bytes arrive, split anywhere; it keeps one
 * line at a time (bounded) and hands body bytes to a callback as they come,
 * so it never holds a body. Everything it reads is hostile: line length,
 * header count, head size and chunk sizes are bounded, obsolete line
 * folding and ambiguous framing are refused. No I/O here. */
#ifndef PORTWAY_HTTP1_H
#define PORTWAY_HTTP1_H

#include <stddef.h>
#include <stdint.h>

#include "textbuf.h"

#define PW_HTTP1_MAX_LINE 8192u     /* octets of one line, CRLF included */
#define PW_HTTP1_MAX_HEADERS 100u   /* header (or trailer) fields */
#define PW_HTTP1_MAX_HEAD 65536u    /* octets of a head (or trailer section) */
#define PW_HTTP1_MAX_INTERIM 16u    /* 1xx responses before the final one */
#define PW_HTTP1_MAX_REASON 128u    /* reason-phrase kept (longer is cut) */
#define PW_HTTP1_CHUNK_HEAD_MAX 19u /* "ffffffffffffffff\r\n" + NUL */

/* ---- writing ----------------------------------------------------------- */

#define PW_HTTP1_EXPECT_CONTINUE 0x1u

/* Append "POST <path> HTTP/1.1", Host, Content-Type, Transfer-Encoding:
 * chunked, optionally Expect: 100-continue, and the empty line. path must
 * start with '/', host (with ":port" if not the default) must be non-empty;
 * neither may hold spaces or control characters (no header injection).
 * PW_OK, PW_EINVAL, PW_ENOMEM. */
int pw_http1_write_post_head(pw_textbuf *b, const char *path, const char *host,
                             const char *content_type, unsigned flags);
/* The chunk-size line for a chunk of n > 0 octets ("1a2b\r\n") into out;
 * returns its length. The chunk's data and then "\r\n" follow it. */
size_t pw_http1_chunk_head(char out[PW_HTTP1_CHUNK_HEAD_MAX], size_t n);
/* Append one whole chunk (nothing for n == 0: an empty chunk would end the
 * body). */
void pw_http1_add_chunk(pw_textbuf *b, const void *data, size_t n);
/* The last chunk and the empty trailer section: "0\r\n\r\n". */
#define PW_HTTP1_LAST_CHUNK "0\r\n\r\n"

/* ---- parsing a response ------------------------------------------------ */

/* Body bytes as they arrive; non-zero stops the parser with that error. */
typedef int (*pw_http1_body_fn)(void *ctx, const uint8_t *data, size_t n);
/* Each header field of the final response (name as sent, value without
 * surrounding whitespace); non-zero stops the parser with that error. */
typedef int (*pw_http1_header_fn)(void *ctx, const char *name,
                                  const char *value);

typedef enum pw_http1_state {
  PW_HTTP1_HEAD,  /* reading a status line and headers */
  PW_HTTP1_BODY,  /* head of the final response read; body bytes follow */
  PW_HTTP1_DONE,  /* the whole response has been read */
  PW_HTTP1_ERROR, /* malformed or beyond a limit; sticky */
} pw_http1_state;

typedef struct pw_http1_parser {
  /* results */
  pw_http1_state state;
  int status; /* 100..599 of the final response (once in BODY) */
  int minor;  /* HTTP/1.<minor> */
  char reason[PW_HTTP1_MAX_REASON];
  int keep_alive;   /* the connection may carry another request */
  unsigned interim; /* 1xx responses seen (100 Continue: send the body) */
  int err;          /* the error once in PW_HTTP1_ERROR */
  uint64_t body_bytes;
  /* callbacks */
  pw_http1_body_fn on_body;
  pw_http1_header_fn on_header;
  void *ctx;
  /* internal */
  int sub_; /* position inside state */
  int chunked_, has_len_, has_te_, close_;
  uint64_t remaining_; /* of Content-Length, or of the current chunk */
  size_t head_bytes_;  /* of this head or trailer section */
  unsigned fields_;    /* header fields in this head or trailers */
  size_t line_len_;
  char line_[PW_HTTP1_MAX_LINE];
} pw_http1_parser;

void pw_http1_parser_init(pw_http1_parser *p, pw_http1_body_fn on_body,
                          pw_http1_header_fn on_header, void *ctx);
/* Consume data[0..n). Returns PW_OK while the response is fine so far
 * (state HEAD or BODY: feed more; DONE: bytes after the response are left,
 * *used tells how many were taken), or the error (PW_EPROTO for a malformed
 * or over-limit response, or the callback's). used may be NULL. */
int pw_http1_feed(pw_http1_parser *p, const void *data, size_t n, size_t *used);
/* The peer closed the connection: PW_OK if that completes the response (a
 * body delimited by the close, or a response already DONE), PW_EPROTO if
 * the response was cut short. */
int pw_http1_finish(pw_http1_parser *p);

#endif
