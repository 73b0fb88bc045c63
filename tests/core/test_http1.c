/* HTTP/1.1 client framing (src/core/http1.h) against RFC 9112: the request
 * head and chunk writer byte for byte, and the response parser fed whole,
 * split at every byte boundary, and one byte at a time, which must all
 * give the same result. */
#include <stdint.h>

#include "core/http1.h"
#include "portway/error.h"
#include "test.h"

#define LIT(s) (s), (sizeof(s) - 1)

typedef struct result {
  int rc;
  pw_http1_state state;
  int status, minor, keep_alive;
  unsigned interim, headers;
  size_t used;
  char reason[PW_HTTP1_MAX_REASON];
  char body[256];
  size_t body_len;
  char last_header[64];
} result;

static int on_body(void *ctx, const uint8_t *d, size_t n) {
  result *r = ctx;
  if (n > sizeof r->body - r->body_len)
    return PW_ENOBUFS;
  memcpy(r->body + r->body_len, d, n);
  r->body_len += n;
  return PW_OK;
}

static int on_header(void *ctx, const char *name, const char *value) {
  result *r = ctx;
  r->headers++;
  snprintf(r->last_header, sizeof r->last_header, "%s=%s", name, value);
  return PW_OK;
}

/* Feed s in pieces cut at the given offsets (ascending, then SIZE_MAX for
 * none); eof: the peer closes after the last byte. */
static result run(const char *s, size_t n, const size_t *cuts, int eof) {
  result r;
  memset(&r, 0, sizeof r);
  pw_http1_parser p;
  pw_http1_parser_init(&p, on_body, on_header, &r);
  size_t at = 0;
  int rc = PW_OK;
  for (size_t c = 0; rc == PW_OK; c++) {
    size_t end = cuts && cuts[c] < n ? cuts[c] : n;
    size_t used = 0;
    /* an exactly sized copy of the piece, so ASan sees any overread */
    char *piece = malloc(end - at + 1);
    if (!piece)
      abort();
    memcpy(piece, s + at, end - at);
    rc = pw_http1_feed(&p, piece, end - at, &used);
    free(piece);
    r.used += used;
    if (rc != PW_OK || used < end - at || end == n)
      break;
    at = end;
  }
  if (rc == PW_OK && eof)
    rc = pw_http1_finish(&p);
  r.rc = rc;
  r.state = p.state;
  r.status = p.status;
  r.minor = p.minor;
  r.keep_alive = p.keep_alive;
  r.interim = p.interim;
  memcpy(r.reason, p.reason, sizeof r.reason);
  return r;
}

static int same(const result *a, const result *b) {
  return a->rc == b->rc && a->state == b->state && a->status == b->status &&
         a->keep_alive == b->keep_alive && a->interim == b->interim &&
         a->headers == b->headers && a->used == b->used &&
         strcmp(a->reason, b->reason) == 0 && a->body_len == b->body_len &&
         memcmp(a->body, b->body, a->body_len) == 0 &&
         strcmp(a->last_header, b->last_header) == 0;
}

/* Whole, then every split into two, then one byte at a time. */
static result run_split(const char *s, size_t n, int eof) {
  result whole = run(s, n, NULL, eof);
  for (size_t i = 0; i <= n; i++) {
    size_t cuts[2] = {i, SIZE_MAX};
    result r = run(s, n, cuts, eof);
    if (!same(&r, &whole)) {
      fprintf(stderr, "  split at %zu differs (rc %d vs %d)\n", i, r.rc,
              whole.rc);
      pw_test_failed_ = 1;
    }
  }
  size_t *bytes = malloc((n + 1) * sizeof *bytes);
  if (!bytes)
    abort();
  for (size_t i = 0; i < n; i++)
    bytes[i] = i + 1;
  bytes[n] = SIZE_MAX;
  result r = run(s, n, bytes, eof);
  free(bytes);
  if (!same(&r, &whole)) {
    fprintf(stderr, "  byte by byte differs (rc %d vs %d)\n", r.rc, whole.rc);
    pw_test_failed_ = 1;
  }
  return whole;
}

/* ---- writing ------------------------------------------------------------ */

TEST(post_head_is_byte_exact) {
  pw_textbuf b = {0};
  ASSERT_EQ(pw_http1_write_post_head(&b, "/ipp/print", "localhost:631", NULL,
                                     PW_HTTP1_EXPECT_CONTINUE),
            PW_OK);
  ASSERT_STREQ(b.data, "POST /ipp/print HTTP/1.1\r\n"
                       "Host: localhost:631\r\n"
                       "Content-Type: application/ipp\r\n"
                       "Transfer-Encoding: chunked\r\n"
                       "Expect: 100-continue\r\n"
                       "\r\n");
  pw_textbuf_free(&b);
  ASSERT_EQ(pw_http1_write_post_head(&b, "/", "[::1]", NULL, 0), PW_OK);
  ASSERT_STREQ(b.data, "POST / HTTP/1.1\r\n"
                       "Host: [::1]\r\n"
                       "Content-Type: application/ipp\r\n"
                       "Transfer-Encoding: chunked\r\n"
                       "\r\n");
  pw_textbuf_free(&b);
}

TEST(post_head_refuses_injection_and_bad_targets) {
  pw_textbuf b = {0};
  ASSERT_EQ(pw_http1_write_post_head(&b, "/a\r\nX: y", "h", NULL, 0),
            PW_EINVAL);
  ASSERT_EQ(pw_http1_write_post_head(&b, "/a b", "h", NULL, 0), PW_EINVAL);
  ASSERT_EQ(pw_http1_write_post_head(&b, "ipp", "h", NULL, 0), PW_EINVAL);
  ASSERT_EQ(pw_http1_write_post_head(&b, "/", "", NULL, 0), PW_EINVAL);
  ASSERT_EQ(pw_http1_write_post_head(&b, "/", "h\n", NULL, 0), PW_EINVAL);
  ASSERT_EQ(pw_http1_write_post_head(&b, "/", "h", "a\r\nb", 0), PW_EINVAL);
  ASSERT_EQ(pw_http1_write_post_head(&b, "/\xc3\xa9", "h", NULL, 0), PW_EINVAL);
  ASSERT(b.len == 0);
  pw_textbuf_free(&b);
}

TEST(chunks_are_hex_size_data_crlf) {
  char h[PW_HTTP1_CHUNK_HEAD_MAX];
  ASSERT_EQ(pw_http1_chunk_head(h, 1), 3);
  ASSERT_STREQ(h, "1\r\n");
  ASSERT_EQ(pw_http1_chunk_head(h, 0x1a2b), 6);
  ASSERT_STREQ(h, "1a2b\r\n");
  ASSERT_EQ(pw_http1_chunk_head(h, 65536), 7);
  ASSERT_STREQ(h, "10000\r\n");
  if (sizeof(size_t) == 8) {
    ASSERT_EQ(pw_http1_chunk_head(h, SIZE_MAX), 18);
    ASSERT_STREQ(h, "ffffffffffffffff\r\n");
  }
  pw_textbuf b = {0};
  pw_http1_add_chunk(&b, "hello", 5);
  pw_http1_add_chunk(&b, "", 0); /* not a last-chunk */
  pw_http1_add_chunk(&b, " world, and more", 16);
  pw_textbuf_adds(&b, PW_HTTP1_LAST_CHUNK);
  ASSERT_STREQ(b.data, "5\r\nhello\r\n10\r\n world, and more\r\n0\r\n\r\n");

  /* what we write, the parser reads back */
  pw_textbuf resp = {0};
  pw_textbuf_adds(&resp,
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  pw_textbuf_add(&resp, b.data, b.len);
  result r = run_split(resp.data, resp.len, 0);
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.body_len, 21);
  ASSERT(memcmp(r.body, "hello world, and more", 21) == 0);
  pw_textbuf_free(&resp);
  pw_textbuf_free(&b);
}

/* ---- parsing: framing --------------------------------------------------- */

TEST(content_length_body_and_bytes_after_it) {
  static const char s[] = "HTTP/1.1 200 OK\r\n"
                          "Content-Type: application/ipp\r\n"
                          "Content-Length: 5\r\n"
                          "\r\n"
                          "helloNEXT";
  result r = run_split(LIT(s), 0);
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.minor, 1);
  ASSERT_STREQ(r.reason, "OK");
  ASSERT_EQ(r.keep_alive, 1);
  ASSERT_EQ(r.headers, 2);
  ASSERT_STREQ(r.last_header, "Content-Length=5");
  ASSERT_EQ(r.body_len, 5);
  ASSERT(memcmp(r.body, "hello", 5) == 0);
  ASSERT_EQ(r.used, sizeof s - 1 - 4); /* "NEXT" is not ours */
}

TEST(chunked_with_extensions_and_trailers) {
  static const char s[] = "HTTP/1.1 200 OK\r\n"
                          "transfer-encoding: CHUNKED\r\n"
                          "\r\n"
                          "5;name=value\r\n"
                          "hello\r\n"
                          "06 ; ext ; other=\"q\"\r\n"
                          " world\r\n"
                          "0\r\n"
                          "Expires: never\r\n"
                          "X-Trailer: 1\r\n"
                          "\r\n";
  result r = run_split(LIT(s), 1); /* the close after it changes nothing */
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.body_len, 11);
  ASSERT(memcmp(r.body, "hello world", 11) == 0);
  ASSERT_EQ(r.headers, 1); /* trailers are not reported as headers */
  ASSERT_EQ(r.used, sizeof s - 1);
}

TEST(continue_responses_are_skipped) {
  static const char s[] = "HTTP/1.1 100 Continue\r\n"
                          "\r\n"
                          "HTTP/1.1 103 Early Hints\r\n"
                          "Link: </x>\r\n"
                          "\r\n"
                          "HTTP/1.1 200 OK\r\n"
                          "Content-Length: 2\r\n"
                          "\r\n"
                          "ok";
  result r = run_split(LIT(s), 0);
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.interim, 2);
  ASSERT_EQ(r.headers, 1); /* interim fields are not reported */
  ASSERT_EQ(r.body_len, 2);

  /* after the 100 alone the caller may send the body: still in HEAD */
  r = run(s, 25, NULL, 0);
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_HEAD);
  ASSERT_EQ(r.interim, 1);
  ASSERT_EQ(r.status, 100);

  pw_textbuf many = {0};
  for (unsigned i = 0; i <= PW_HTTP1_MAX_INTERIM; i++)
    pw_textbuf_adds(&many, "HTTP/1.1 100 Continue\r\n\r\n");
  r = run(many.data, many.len, NULL, 0);
  ASSERT_EQ(r.rc, PW_EPROTO);
  pw_textbuf_free(&many);
}

TEST(body_until_close_without_length_or_chunking) {
  static const char s[] = "HTTP/1.0 200 OK\r\n"
                          "Content-Type: application/ipp\r\n"
                          "\r\n"
                          "abc";
  result r = run_split(LIT(s), 1);
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.minor, 0);
  ASSERT_EQ(r.keep_alive, 0);
  ASSERT_EQ(r.body_len, 3);
  r = run(s, sizeof s - 1, NULL, 0); /* not closed yet: more may come */
  ASSERT_EQ(r.state, PW_HTTP1_BODY);
}

TEST(transfer_encoding_overrides_content_length) {
  static const char s[] = "HTTP/1.1 200 OK\r\n"
                          "Content-Length: 100\r\n"
                          "Transfer-Encoding: chunked\r\n"
                          "\r\n"
                          "3\r\nabc\r\n0\r\n\r\n";
  result r = run_split(LIT(s), 0);
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.body_len, 3);
  ASSERT_EQ(r.keep_alive, 0); /* RFC 9112 6.3: not to be reused */
}

TEST(no_body_for_204_and_304_and_length_zero) {
  static const char s204[] = "HTTP/1.1 204 No Content\r\n\r\nX";
  result r = run_split(LIT(s204), 0);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.used, sizeof s204 - 2);
  static const char s0[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  r = run_split(LIT(s0), 0);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(r.body_len, 0);
}

TEST(connection_close_and_http10_keep_alive) {
  static const char c[] = "HTTP/1.1 200 OK\r\nConnection: Close\r\n"
                          "Content-Length: 0\r\n\r\n";
  ASSERT_EQ(run(LIT(c), NULL, 0).keep_alive, 0);
  static const char k[] = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                          "Content-Length: 0\r\n\r\n";
  ASSERT_EQ(run(LIT(k), NULL, 0).keep_alive, 1);
  static const char p[] = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  ASSERT_EQ(run(LIT(p), NULL, 0).keep_alive, 0);
}

TEST(lone_lf_line_ends_and_status_without_reason) {
  static const char s[] = "HTTP/1.1 200\nContent-Length: 1\n\nx";
  result r = run_split(LIT(s), 0);
  ASSERT_EQ(r.rc, PW_OK);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_STREQ(r.reason, "");
  static const char e[] = "HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n";
  r = run_split(LIT(e), 0);
  ASSERT_EQ(r.status, 503);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
}

TEST(long_reason_is_cut_not_refused) {
  pw_textbuf b = {0};
  pw_textbuf_adds(&b, "HTTP/1.1 500 ");
  for (int i = 0; i < 300; i++)
    pw_textbuf_addc(&b, 'r');
  pw_textbuf_adds(&b, "\r\nContent-Length: 0\r\n\r\n");
  result r = run(b.data, b.len, NULL, 0);
  ASSERT_EQ(r.state, PW_HTTP1_DONE);
  ASSERT_EQ(strlen(r.reason), PW_HTTP1_MAX_REASON - 1);
  pw_textbuf_free(&b);
}

/* ---- parsing: refusals -------------------------------------------------- */

static void expect_proto(const char *s, size_t n, int eof) {
  result r = run_split(s, n, eof);
  if (r.rc != PW_EPROTO || r.state != PW_HTTP1_ERROR) {
    fprintf(stderr, "  accepted: %.*s\n", (int)(n < 60 ? n : 60), s);
    pw_test_failed_ = 1;
  }
}
#define EXPECT_PROTO(s) expect_proto(LIT(s), 0)

TEST(invalid_status_lines) {
  EXPECT_PROTO("HTTP/2 200 OK\r\n\r\n");
  EXPECT_PROTO("HTTP/2.0 200 OK\r\n\r\n");
  EXPECT_PROTO("http/1.1 200 OK\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 20 OK\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 2000 OK\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 099 Low\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 600 High\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1  200 OK\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 2x0 OK\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 101 Switching Protocols\r\n\r\n");
  EXPECT_PROTO("ICY 200 OK\r\n\r\n");
  EXPECT_PROTO("\r\n");
  EXPECT_PROTO("HTTP/1.1 200 O\x01K\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n"); /* bare CR */
}

TEST(invalid_header_fields) {
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\n\tfolded: x\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nno colon\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n");
  static const char nul[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
  expect_proto(LIT(nul), 0);
}

TEST(invalid_framing) {
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
               "Content-Length: 2\r\n\r\nxx");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nContent-Length: 1,1\r\n\r\nx");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999"
               "\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  EXPECT_PROTO("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
               "Transfer-Encoding: chunked\r\n\r\n");
  EXPECT_PROTO("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
               "0\r\n\r\n");
  /* the same Content-Length twice is one length (RFC 9110 8.6) */
  static const char twice[] = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
                              "Content-Length: 1\r\n\r\nx";
  ASSERT_EQ(run_split(LIT(twice), 0).state, PW_HTTP1_DONE);
}

TEST(chunk_size_edge_cases) {
  static const char head[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                             "chunked\r\n\r\n";
  static const char *const bad[] = {
      "10000000000000000\r\n", /* 2^64: overflows */
      "zz\r\n",
      "\r\n",
      " 5\r\nhello\r\n0\r\n\r\n",
      "5x\r\nhello\r\n0\r\n\r\n",
      "5\r\nhelloXX\r\n0\r\n\r\n", /* no CRLF after the data */
      "-5\r\n",
      "0\r\nbad trailer\r\n\r\n",
      "0\r\n folded: trailer\r\n\r\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    pw_textbuf b = {0};
    pw_textbuf_adds(&b, head);
    pw_textbuf_adds(&b, bad[i]);
    result r = run_split(b.data, b.len, 0);
    if (r.rc != PW_EPROTO)
      fprintf(stderr, "  accepted chunk case %zu\n", i);
    ASSERT_EQ(r.rc, PW_EPROTO);
    pw_textbuf_free(&b);
  }
  /* the largest size that fits, and leading zeros: fine so far */
  static const char *const ok[] = {
      "ffffffffffffffff\r\nab", "00000000000000000000003\r\nabc\r\n0\r\n\r\n"};
  for (size_t i = 0; i < 2; i++) {
    pw_textbuf b = {0};
    pw_textbuf_adds(&b, head);
    pw_textbuf_adds(&b, ok[i]);
    result r = run_split(b.data, b.len, 0);
    ASSERT_EQ(r.rc, PW_OK);
    ASSERT_EQ(r.state, i == 0 ? PW_HTTP1_BODY : PW_HTTP1_DONE);
    ASSERT_EQ(r.body_len, i == 0 ? 2 : 3);
    pw_textbuf_free(&b);
  }
}

TEST(cut_short_by_the_peer) {
  /* head, fixed-length body, chunked body: closing early is an error */
  expect_proto(LIT("HTTP/1.1 200 OK\r\nContent-Len"), 1);
  expect_proto(LIT("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel"), 1);
  expect_proto(LIT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n"),
               1);
  expect_proto(LIT(""), 1);
}

TEST(limits_on_lines_fields_and_head_size) {
  pw_textbuf b = {0};
  /* a line of PW_HTTP1_MAX_LINE + 1 octets with its CRLF: refused */
  pw_textbuf_adds(&b, "HTTP/1.1 200 OK\r\nX: ");
  while (b.len < 17 + PW_HTTP1_MAX_LINE - 1)
    pw_textbuf_addc(&b, 'v');
  pw_textbuf_adds(&b, "\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(run(b.data, b.len, NULL, 0).rc, PW_EPROTO);
  pw_textbuf_free(&b);
  /* one octet shorter (PW_HTTP1_MAX_LINE with CRLF): accepted */
  pw_textbuf_adds(&b, "HTTP/1.1 200 OK\r\nX: ");
  while (b.len < 17 + PW_HTTP1_MAX_LINE - 2)
    pw_textbuf_addc(&b, 'v');
  pw_textbuf_adds(&b, "\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(run(b.data, b.len, NULL, 0).state, PW_HTTP1_DONE);
  pw_textbuf_free(&b);

  for (unsigned count = PW_HTTP1_MAX_HEADERS; count <= PW_HTTP1_MAX_HEADERS + 1;
       count++) {
    pw_textbuf_adds(&b, "HTTP/1.1 200 OK\r\n");
    for (unsigned i = 1; i < count; i++)
      pw_textbuf_adds(&b, "X: y\r\n");
    pw_textbuf_adds(&b, "Content-Length: 0\r\n\r\n");
    result r = run(b.data, b.len, NULL, 0);
    ASSERT_EQ(r.rc, count == PW_HTTP1_MAX_HEADERS ? PW_OK : PW_EPROTO);
    pw_textbuf_free(&b);
  }

  /* 20 fields of 4000 octets: 80 KB of head */
  pw_textbuf_adds(&b, "HTTP/1.1 200 OK\r\n");
  for (int i = 0; i < 20; i++) {
    pw_textbuf_adds(&b, "X: ");
    for (int k = 0; k < 4000; k++)
      pw_textbuf_addc(&b, 'v');
    pw_textbuf_adds(&b, "\r\n");
  }
  pw_textbuf_adds(&b, "\r\n");
  ASSERT_EQ(run(b.data, b.len, NULL, 0).rc, PW_EPROTO);
  pw_textbuf_free(&b);
}

static int refuse_body(void *ctx, const uint8_t *d, size_t n) {
  (void)ctx;
  (void)d;
  (void)n;
  return PW_EIO;
}

TEST(a_callback_error_stops_the_parser) {
  static const char s[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
  pw_http1_parser p;
  pw_http1_parser_init(&p, refuse_body, NULL, NULL);
  size_t used = 0;
  ASSERT_EQ(pw_http1_feed(&p, s, sizeof s - 1, &used), PW_EIO);
  ASSERT_EQ(p.state, PW_HTTP1_ERROR);
  ASSERT_EQ(pw_http1_feed(&p, "x", 1, &used), PW_EIO);
  ASSERT_EQ(used, 0);
  ASSERT_EQ(pw_http1_finish(&p), PW_EIO);
}

TEST_MAIN(TEST_ENTRY(post_head_is_byte_exact),
          TEST_ENTRY(post_head_refuses_injection_and_bad_targets),
          TEST_ENTRY(chunks_are_hex_size_data_crlf),
          TEST_ENTRY(content_length_body_and_bytes_after_it),
          TEST_ENTRY(chunked_with_extensions_and_trailers),
          TEST_ENTRY(continue_responses_are_skipped),
          TEST_ENTRY(body_until_close_without_length_or_chunking),
          TEST_ENTRY(transfer_encoding_overrides_content_length),
          TEST_ENTRY(no_body_for_204_and_304_and_length_zero),
          TEST_ENTRY(connection_close_and_http10_keep_alive),
          TEST_ENTRY(lone_lf_line_ends_and_status_without_reason),
          TEST_ENTRY(long_reason_is_cut_not_refused),
          TEST_ENTRY(invalid_status_lines), TEST_ENTRY(invalid_header_fields),
          TEST_ENTRY(invalid_framing), TEST_ENTRY(chunk_size_edge_cases),
          TEST_ENTRY(cut_short_by_the_peer),
          TEST_ENTRY(limits_on_lines_fields_and_head_size),
          TEST_ENTRY(a_callback_error_stops_the_parser))
