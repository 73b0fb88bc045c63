/* IPP encoding and decoding (src/core/ipp.h): byte-exact requests after
 * RFC 8010, responses decoded from hand-written bytes, round trips, and a
 * decoder fed hostile input. Note: hex escapes in the literals below are
 * always closed with "" so a following name cannot extend them. */
#include <stdint.h>

#include "core/ipp.h"
#include "portway/error.h"
#include "test.h"

#define LIT(s) (s), (sizeof(s) - 1)

/* Exactly sized heap copy, so ASan sees any read past the end. */
static uint8_t *exact_copy(const void *src, size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  if (p && len)
    memcpy(p, src, len);
  return p;
}

static int decode_copy(const void *data, size_t len, pw_ipp_msg *m) {
  uint8_t *c = exact_copy(data, len);
  int rc = pw_ipp_decode(c, len, m);
  if (rc == PW_OK) {
    /* the message must not point into the input */
    memset(c, 0xAA, len);
  }
  free(c);
  return rc;
}

static int same_bytes(const pw_ipp_writer *w, const char *want, size_t n) {
  if (w->buf.len != n || memcmp(w->buf.data, want, n) != 0) {
    fprintf(stderr, "  encoded %zu octets, want %zu\n", w->buf.len, n);
    for (size_t i = 0; i < w->buf.len && i < n; i++) {
      if (w->buf.data[i] != want[i]) {
        fprintf(stderr, "  first difference at octet %zu\n", i);
        break;
      }
    }
    return 0;
  }
  return 1;
}

/* RFC 8010 Appendix A.3, "Print-Job Request" (the document data that
 * follows end-of-attributes-tag is left out). Transcribed from memory of
 * the RFC's table; every length below was recounted by hand. */
static const char rfc8010_print_job[] =
    "\x01\x01"                    /* version-number 1.1 */
    "\x00\x02"                    /* Print-Job */
    "\x00\x00\x00\x01"            /* request-id 1 */
    "\x01"                        /* operation-attributes-tag */
    "\x47"                        /* charset */
    "\x00\x12"                    /* name-length 18 */
    "attributes-charset"          /* */
    "\x00\x05"                    /* value-length */
    "utf-8"                       /* */
    "\x48"                        /* naturalLanguage */
    "\x00\x1b"                    /* 27 */
    "attributes-natural-language" /* */
    "\x00\x05"                    /* */
    "en-us"                       /* */
    "\x45"                        /* uri */
    "\x00\x0b"                    /* 11 */
    "printer-uri"                 /* */
    "\x00\x2c"                    /* 44 */
    "ipp://printer.example.com/ipp/print/pinetree" /* */
    "\x42"                                         /* nameWithoutLanguage */
    "\x00\x08"                                     /* */
    "job-name"                                     /* */
    "\x00\x06"                                     /* */
    "foobar"                                       /* */
    "\x22"                                         /* boolean */
    "\x00\x16"                                     /* 22 */
    "ipp-attribute-fidelity"                       /* */
    "\x00\x01"                                     /* */
    "\x01"                                         /* true */
    "\x02"                                         /* job-attributes-tag */
    "\x21"                                         /* integer */
    "\x00\x06"                                     /* */
    "copies"                                       /* */
    "\x00\x04"                                     /* */
    "\x00\x00\x00\x14"                             /* 20 */
    "\x44"                                         /* keyword */
    "\x00\x05"                                     /* */
    "sides"                                        /* */
    "\x00\x13"                                     /* 19 */
    "two-sided-long-edge"                          /* */
    "\x03";                                        /* end-of-attributes-tag */

TEST(writer_encodes_rfc8010_print_job_example_byte_exact) {
  pw_ipp_writer w = {0};
  pw_ipp_begin(&w, PW_IPP_VERSION_1_1, PW_IPP_OP_PRINT_JOB, 1);
  pw_ipp_group(&w, PW_IPP_TAG_OPERATION);
  pw_ipp_add_string(&w, PW_IPP_TAG_CHARSET, "attributes-charset", "utf-8");
  pw_ipp_add_string(&w, PW_IPP_TAG_LANGUAGE, "attributes-natural-language",
                    "en-us");
  pw_ipp_add_string(&w, PW_IPP_TAG_URI, "printer-uri",
                    "ipp://printer.example.com/ipp/print/pinetree");
  pw_ipp_add_string(&w, PW_IPP_TAG_NAME, "job-name", "foobar");
  pw_ipp_add_boolean(&w, "ipp-attribute-fidelity", 1);
  pw_ipp_group(&w, PW_IPP_TAG_JOB);
  pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, "copies", 20);
  pw_ipp_add_string(&w, PW_IPP_TAG_KEYWORD, "sides", "two-sided-long-edge");
  pw_ipp_end(&w);
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_OK);
  ASSERT(same_bytes(&w, LIT(rfc8010_print_job)));
  pw_ipp_writer_free(&w);
}

TEST(rfc8010_print_job_example_decodes) {
  pw_ipp_msg m;
  ASSERT_EQ(decode_copy(LIT(rfc8010_print_job), &m), PW_OK);
  ASSERT_EQ(m.version, 0x0101);
  ASSERT_EQ(m.code, PW_IPP_OP_PRINT_JOB);
  ASSERT_EQ(m.request_id, 1);
  ASSERT_EQ(m.nattrs, 7);
  ASSERT_EQ(m.header_len, sizeof rfc8010_print_job - 1);
  const pw_ipp_attr *a = pw_ipp_find(&m, PW_IPP_TAG_JOB, "copies");
  int32_t v = 0;
  ASSERT_EQ(pw_ipp_get_integer(&m, a, 0, &v), PW_OK);
  ASSERT_EQ(v, 20);
  ASSERT(pw_ipp_find(&m, PW_IPP_TAG_OPERATION, "copies") == NULL);
  int b = 0;
  a = pw_ipp_find(&m, PW_IPP_TAG_OPERATION, "ipp-attribute-fidelity");
  ASSERT_EQ(pw_ipp_get_boolean(&m, a, 0, &b), PW_OK);
  ASSERT_EQ(b, 1);
  ASSERT_STREQ(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "sides"), 0),
               "two-sided-long-edge");
  pw_ipp_msg_free(&m);
}

TEST(print_job_builder_byte_exact) {
  static const char want[] = "\x02\x00"
                             "\x00\x02"
                             "\x00\x00\x00\x07"
                             "\x01"
                             "\x47\x00\x12"
                             "attributes-charset"
                             "\x00\x05"
                             "utf-8"
                             "\x48\x00\x1b"
                             "attributes-natural-language"
                             "\x00\x02"
                             "en"
                             "\x45\x00\x0b"
                             "printer-uri"
                             "\x00\x1d"
                             "ipp://localhost:631/ipp/print"
                             "\x42\x00\x14"
                             "requesting-user-name"
                             "\x00\x05"
                             "alice"
                             "\x42\x00\x08"
                             "job-name"
                             "\x00\x06"
                             "report"
                             "\x49\x00\x0f"
                             "document-format"
                             "\x00\x18"
                             "application/octet-stream"
                             "\x03";
  pw_ipp_request_attrs a = {.printer_uri = "ipp://localhost:631/ipp/print",
                            .user = "alice",
                            .job_name = "report",
                            .document_format = "application/octet-stream"};
  pw_ipp_writer w = {0};
  ASSERT_EQ(pw_ipp_build_print_job(&w, PW_IPP_VERSION_2_0, 7, &a), PW_OK);
  ASSERT(same_bytes(&w, LIT(want)));
  pw_ipp_writer_free(&w);
}

TEST(get_printer_attributes_builder_byte_exact) {
  static const char want[] =
      "\x01\x01"
      "\x00\x0b"
      "\x00\x00\x00\x02"
      "\x01"
      "\x47\x00\x12"
      "attributes-charset"
      "\x00\x05"
      "utf-8"
      "\x48\x00\x1b"
      "attributes-natural-language"
      "\x00\x02"
      "en"
      "\x45\x00\x0b"
      "printer-uri"
      "\x00\x12"
      "ipp://[::1]/ipp/lp"
      "\x44\x00\x14"
      "requested-attributes"
      "\x00\x0d"
      "printer-state"
      "\x44\x00\x00" /* additional value: name-length 0 */
      "\x00\x19"
      "document-format-supported"
      "\x03";
  static const char *const req[] = {"printer-state",
                                    "document-format-supported"};
  pw_ipp_request_attrs a = {
      .printer_uri = "ipp://[::1]/ipp/lp", .requested = req, .nrequested = 2};
  pw_ipp_writer w = {0};
  ASSERT_EQ(pw_ipp_build_get_printer_attributes(&w, PW_IPP_VERSION_1_1, 2, &a),
            PW_OK);
  ASSERT(same_bytes(&w, LIT(want)));
  pw_ipp_writer_free(&w);
}

TEST(builder_cuts_long_names_at_a_utf8_boundary) {
  char name[260];
  memset(name, 'a', 254);
  memcpy(name + 254, "\xc3\xa9zz", 5); /* 'é' spans octets 254 and 255 */
  pw_ipp_request_attrs a = {.printer_uri = "ipp://h/p", .job_name = name};
  pw_ipp_writer w = {0};
  ASSERT_EQ(pw_ipp_build_print_job(&w, PW_IPP_VERSION_2_0, 1, &a), PW_OK);
  pw_ipp_msg m;
  ASSERT_EQ(pw_ipp_decode(w.buf.data, w.buf.len, &m), PW_OK);
  const char *t = pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "job-name"), 0);
  ASSERT(t != NULL);
  ASSERT_EQ(strlen(t), 254);
  pw_ipp_msg_free(&m);
  pw_ipp_writer_free(&w);

  memcpy(name + 253, "\xc3\xa9", 3); /* now 'é' ends at octet 255 */
  ASSERT_EQ(pw_ipp_build_print_job(&w, PW_IPP_VERSION_2_0, 1, &a), PW_OK);
  ASSERT_EQ(pw_ipp_decode(w.buf.data, w.buf.len, &m), PW_OK);
  t = pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "job-name"), 0);
  ASSERT(t != NULL && strlen(t) == 255);
  pw_ipp_msg_free(&m);
  pw_ipp_writer_free(&w);
}

TEST(writer_refuses_what_the_wire_cannot_carry) {
  pw_ipp_writer w = {0};
  pw_ipp_begin(&w, PW_IPP_VERSION_2_0, PW_IPP_OP_PRINT_JOB, 0);
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_EINVAL); /* request-id >= 1 */
  pw_ipp_writer_free(&w);

  static const unsigned bad_groups[] = {0x00, 0x03, 0x10, 0x47};
  for (size_t i = 0; i < 4; i++) {
    pw_ipp_group(&w, bad_groups[i]);
    ASSERT_EQ(pw_ipp_writer_status(&w), PW_EINVAL);
    pw_ipp_writer_free(&w);
  }
  pw_ipp_add_string(&w, PW_IPP_TAG_INTEGER, "x", "1");
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_EINVAL);
  pw_ipp_writer_free(&w);
  pw_ipp_add_integer(&w, PW_IPP_TAG_KEYWORD, "x", 1);
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_EINVAL);
  pw_ipp_writer_free(&w);

  char *big = malloc(PW_IPP_MAX_VALUE + 2);
  ASSERT(big != NULL);
  memset(big, 'n', PW_IPP_MAX_VALUE + 1);
  big[PW_IPP_MAX_NAME] = '\0';
  pw_ipp_add_string(&w, PW_IPP_TAG_KEYWORD, big, "v"); /* 1023: fine */
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_OK);
  big[PW_IPP_MAX_NAME] = 'n';
  big[PW_IPP_MAX_NAME + 1] = '\0';
  pw_ipp_add_string(&w, PW_IPP_TAG_KEYWORD, big, "v"); /* 1024 */
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_EINVAL);
  pw_ipp_writer_free(&w);
  big[PW_IPP_MAX_NAME + 1] = 'n';
  big[PW_IPP_MAX_VALUE] = '\0';
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "t", big); /* 32767: fine */
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_OK);
  big[PW_IPP_MAX_VALUE] = 'n';
  big[PW_IPP_MAX_VALUE + 1] = '\0';
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "t", big); /* 32768 */
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_EINVAL);
  pw_ipp_writer_free(&w);
  free(big);

  pw_ipp_request_attrs none = {0};
  ASSERT_EQ(pw_ipp_build_print_job(&w, PW_IPP_VERSION_2_0, 1, &none),
            PW_EINVAL);
  pw_ipp_writer_free(&w);
  pw_ipp_request_attrs bad_utf8 = {.printer_uri = "ipp://h/p", .user = "\xc3("};
  ASSERT_EQ(pw_ipp_build_print_job(&w, PW_IPP_VERSION_2_0, 1, &bad_utf8),
            PW_EINVAL);
  pw_ipp_writer_free(&w);
}

/* A successful Print-Job response in the layout of RFC 8010 A.4, followed
 * by two octets that are not part of the header. */
static const char print_job_response[] = "\x01\x01"
                                         "\x00\x00"         /* successful-ok */
                                         "\x00\x00\x00\x01" /* */
                                         "\x01"             /* */
                                         "\x47\x00\x12"
                                         "attributes-charset"
                                         "\x00\x05"
                                         "utf-8"
                                         "\x48\x00\x1b"
                                         "attributes-natural-language"
                                         "\x00\x05"
                                         "en-us"
                                         "\x41\x00\x0e"
                                         "status-message"
                                         "\x00\x0d"
                                         "successful-ok"
                                         "\x02"
                                         "\x21\x00\x06"
                                         "job-id"
                                         "\x00\x04"
                                         "\x00\x00\x00\x93" /* 147 */
                                         "\x45\x00\x07"
                                         "job-uri"
                                         "\x00\x21"
                                         "ipp://printer.example.com/job/147"
                                         "\x23\x00\x09"
                                         "job-state"
                                         "\x00\x04"
                                         "\x00\x00\x00\x03" /* pending */
                                         "\x03"
                                         "%!";

TEST(decodes_a_print_job_response) {
  pw_ipp_msg m;
  ASSERT_EQ(decode_copy(LIT(print_job_response), &m), PW_OK);
  ASSERT_EQ(m.code, PW_IPP_STATUS_OK);
  ASSERT_STREQ(pw_ipp_status_name(m.code), "successful-ok");
  ASSERT_EQ(m.header_len, sizeof print_job_response - 1 - 2);
  ASSERT_EQ(m.nattrs, 6);
  int32_t v = 0;
  ASSERT_EQ(
      pw_ipp_get_integer(&m, pw_ipp_find(&m, PW_IPP_TAG_JOB, "job-id"), 0, &v),
      PW_OK);
  ASSERT_EQ(v, 147);
  const pw_ipp_attr *st = pw_ipp_find(&m, PW_IPP_TAG_JOB, "job-state");
  ASSERT_EQ(pw_ipp_get_integer(&m, st, 0, &v), PW_OK);
  ASSERT_EQ(v, 3);
  ASSERT_EQ(pw_ipp_get_integer(&m, st, 1, &v), PW_ENOENT);
  ASSERT_EQ(pw_ipp_value_at(&m, st, 0)->tag, PW_IPP_TAG_ENUM);
  ASSERT_STREQ(
      pw_ipp_get_text(
          &m, pw_ipp_find(&m, PW_IPP_TAG_OPERATION, "status-message"), 0),
      "successful-ok");
  ASSERT_STREQ(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "job-uri"), 0),
               "ipp://printer.example.com/job/147");
  /* a getter of the wrong syntax answers "bad data", not garbage */
  ASSERT(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "job-id"), 0) == NULL);
  int b;
  ASSERT_EQ(pw_ipp_get_boolean(&m, pw_ipp_find(&m, 0, "job-id"), 0, &b),
            PW_EBADDATA);
  ASSERT(pw_ipp_find(&m, 0, "no-such-attribute") == NULL);
  pw_ipp_msg_free(&m);
}

TEST(round_trip_of_every_value_kind_and_group) {
  static const char *const fmts[] = {"application/pdf", "image/pwg-raster",
                                     "application/octet-stream"};
  pw_ipp_writer w = {0};
  pw_ipp_begin(&w, PW_IPP_VERSION_2_0, PW_IPP_STATUS_SERVER_ERROR_BUSY,
               0x7fffffff);
  pw_ipp_group(&w, PW_IPP_TAG_OPERATION);
  pw_ipp_add_string(&w, PW_IPP_TAG_CHARSET, "attributes-charset", "utf-8");
  pw_ipp_add_string(&w, PW_IPP_TAG_LANGUAGE, "attributes-natural-language",
                    "en");
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "status-message", "busy \xe2\x82\xac");
  pw_ipp_group(&w, PW_IPP_TAG_JOB);
  pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, "job-id", -5);
  pw_ipp_group(&w, PW_IPP_TAG_PRINTER);
  pw_ipp_add_string(&w, PW_IPP_TAG_URI, "printer-uri-supported", "ipp://a/");
  pw_ipp_add_string(&w, PW_IPP_TAG_NAME, "printer-name", "lp");
  pw_ipp_add_integer(&w, PW_IPP_TAG_ENUM, "printer-state", 3);
  pw_ipp_add_boolean(&w, "printer-is-accepting-jobs", 0);
  pw_ipp_add_strings(&w, PW_IPP_TAG_MIMETYPE, "document-format-supported", fmts,
                     3);
  pw_ipp_add_string(&w, PW_IPP_TAG_KEYWORD, "printer-state-reasons", "none");
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "printer-info", ""); /* empty */
  pw_ipp_end(&w);
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_OK);

  pw_ipp_msg m;
  ASSERT_EQ(decode_copy(w.buf.data, w.buf.len, &m), PW_OK);
  ASSERT_EQ(m.version, PW_IPP_VERSION_2_0);
  ASSERT_EQ(m.code, PW_IPP_STATUS_SERVER_ERROR_BUSY);
  ASSERT_EQ(m.request_id, 0x7fffffff);
  ASSERT_EQ(m.nattrs, 11);
  ASSERT_EQ(m.nvalues, 13);
  ASSERT_EQ(m.header_len, w.buf.len);
  int32_t v;
  ASSERT_EQ(
      pw_ipp_get_integer(&m, pw_ipp_find(&m, PW_IPP_TAG_JOB, "job-id"), 0, &v),
      PW_OK);
  ASSERT_EQ(v, -5);
  const pw_ipp_attr *f =
      pw_ipp_find(&m, PW_IPP_TAG_PRINTER, "document-format-supported");
  ASSERT(f != NULL);
  ASSERT_EQ(f->count, 3);
  for (size_t i = 0; i < 3; i++)
    ASSERT_STREQ(pw_ipp_get_text(&m, f, i), fmts[i]);
  ASSERT(pw_ipp_get_text(&m, f, 3) == NULL);
  int b = 1;
  ASSERT_EQ(pw_ipp_get_boolean(
                &m, pw_ipp_find(&m, 0, "printer-is-accepting-jobs"), 0, &b),
            PW_OK);
  ASSERT_EQ(b, 0);
  ASSERT_STREQ(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "status-message"), 0),
               "busy \xe2\x82\xac");
  ASSERT_STREQ(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "printer-info"), 0), "");
  ASSERT_EQ(pw_ipp_find(&m, 0, "printer-state")->group, PW_IPP_TAG_PRINTER);
  pw_ipp_msg_free(&m);
  pw_ipp_writer_free(&w);
}

TEST(status_names_and_classes_follow_rfc8011) {
  ASSERT_STREQ(pw_ipp_status_name(0x0000), "successful-ok");
  ASSERT_STREQ(pw_ipp_status_name(0x0406), "client-error-not-found");
  ASSERT_STREQ(pw_ipp_status_name(0x040A),
               "client-error-document-format-not-supported");
  ASSERT_STREQ(pw_ipp_status_name(0x0502), "server-error-service-unavailable");
  ASSERT_STREQ(pw_ipp_status_name(0x0505), "server-error-temporary-error");
  ASSERT_STREQ(pw_ipp_status_name(0x0507), "server-error-busy");
  ASSERT(pw_ipp_status_name(0x0300) == NULL);
  ASSERT(pw_ipp_status_name(0xFFFF) == NULL);

  ASSERT(pw_ipp_status_is_success(0x0000));
  ASSERT(pw_ipp_status_is_success(0x0002));
  ASSERT(!pw_ipp_status_is_success(0x0400));
  ASSERT(pw_ipp_status_is_client_error(0x0400));
  ASSERT(pw_ipp_status_is_client_error(0x04FF));
  ASSERT(!pw_ipp_status_is_client_error(0x0500));
  ASSERT(!pw_ipp_status_is_client_error(0x03FF));
  ASSERT(pw_ipp_status_is_retryable(0x0502));
  ASSERT(pw_ipp_status_is_retryable(0x0505));
  ASSERT(pw_ipp_status_is_retryable(0x0507));
  ASSERT(!pw_ipp_status_is_retryable(0x0500)); /* internal error */
  ASSERT(!pw_ipp_status_is_retryable(0x0503)); /* version: caller falls back */
  ASSERT(!pw_ipp_status_is_retryable(0x0400));
  ASSERT(!pw_ipp_status_is_retryable(0x0000));
}

/* ---- hostile input ------------------------------------------------------ */

TEST(every_truncation_asks_for_more_and_never_succeeds) {
  size_t full = sizeof print_job_response - 1 - 2; /* without the data */
  for (size_t n = 0; n < full; n++) {
    pw_ipp_msg m;
    int rc = decode_copy(print_job_response, n, &m);
    if (rc != PW_ENOBUFS)
      fprintf(stderr, "  prefix %zu: %d\n", n, rc);
    ASSERT_EQ(rc, PW_ENOBUFS);
    ASSERT(m.attrs == NULL && m.nattrs == 0 && m.pool_ == NULL);
  }
}

/* header + operation group + one attribute "a" with the given lengths */
static size_t attr_with_lengths(uint8_t *out, unsigned tag, unsigned nlen,
                                unsigned vlen) {
  static const uint8_t head[] = {1, 1, 0, 0, 0, 0, 0, 1, 0x01};
  memcpy(out, head, sizeof head);
  size_t k = sizeof head;
  out[k++] = (uint8_t)tag;
  out[k++] = (uint8_t)(nlen >> 8);
  out[k++] = (uint8_t)nlen;
  out[k++] = 'a';
  out[k++] = (uint8_t)(vlen >> 8);
  out[k++] = (uint8_t)vlen;
  return k;
}

TEST(claimed_lengths_beyond_the_limits_are_refused_before_reading) {
  uint8_t buf[64];
  pw_ipp_msg m;
  /* name-length 0xFFFF, 0x8000 (negative SIGNED-SHORT), 1024 */
  static const unsigned names[] = {0xFFFF, 0x8000, PW_IPP_MAX_NAME + 1};
  for (size_t i = 0; i < 3; i++) {
    size_t n = attr_with_lengths(buf, PW_IPP_TAG_KEYWORD, names[i], 0);
    ASSERT_EQ(decode_copy(buf, n, &m), PW_EBADDATA);
  }
  /* name-length 1: value-length 0xFFFF / 0x8000 */
  size_t n = attr_with_lengths(buf, PW_IPP_TAG_KEYWORD, 1, 0xFFFF);
  ASSERT_EQ(decode_copy(buf, n, &m), PW_EBADDATA);
  n = attr_with_lengths(buf, PW_IPP_TAG_KEYWORD, 1, 0x8000);
  ASSERT_EQ(decode_copy(buf, n, &m), PW_EBADDATA);
  /* in range but absent: more bytes might come */
  n = attr_with_lengths(buf, PW_IPP_TAG_KEYWORD, 1, 0x7FFF);
  ASSERT_EQ(decode_copy(buf, n, &m), PW_ENOBUFS);
}

TEST(fixed_size_syntaxes_must_have_their_size) {
  uint8_t buf[64];
  pw_ipp_msg m;
  static const struct {
    unsigned tag, len;
  } bad[] = {{PW_IPP_TAG_INTEGER, 3},
             {PW_IPP_TAG_INTEGER, 5},
             {PW_IPP_TAG_ENUM, 0},
             {PW_IPP_TAG_BOOLEAN, 2}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    size_t n = attr_with_lengths(buf, bad[i].tag, 1, bad[i].len);
    memset(buf + n, 0, bad[i].len);
    n += bad[i].len;
    buf[n++] = PW_IPP_TAG_END;
    ASSERT_EQ(decode_copy(buf, n, &m), PW_EBADDATA);
  }
  /* boolean 0x02 is neither true nor false */
  size_t n = attr_with_lengths(buf, PW_IPP_TAG_BOOLEAN, 1, 1);
  buf[n++] = 2;
  buf[n++] = PW_IPP_TAG_END;
  ASSERT_EQ(decode_copy(buf, n, &m), PW_EBADDATA);
}

TEST(misplaced_values_and_bad_names_are_refused) {
  pw_ipp_msg m;
  /* zero-length name as the first attribute of the message */
  static const char first[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                              "\x01"
                              "\x44\x00\x00\x00\x01"
                              "x"
                              "\x03";
  ASSERT_EQ(decode_copy(LIT(first), &m), PW_EBADDATA);
  /* ... as the first of a new group */
  static const char after_group[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                    "\x01"
                                    "\x44\x00\x01"
                                    "k"
                                    "\x00\x01"
                                    "x"
                                    "\x04"
                                    "\x44\x00\x00\x00\x01"
                                    "y"
                                    "\x03";
  ASSERT_EQ(decode_copy(LIT(after_group), &m), PW_EBADDATA);
  /* an attribute before any group tag */
  static const char no_group[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                 "\x44\x00\x01"
                                 "k"
                                 "\x00\x01"
                                 "x"
                                 "\x03";
  ASSERT_EQ(decode_copy(LIT(no_group), &m), PW_EBADDATA);
  /* a name with a NUL or another control octet */
  static const char nul_name[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                 "\x01"
                                 "\x44\x00\x02"
                                 "k\0"
                                 "\x00\x01"
                                 "x"
                                 "\x03";
  ASSERT_EQ(decode_copy(LIT(nul_name), &m), PW_EBADDATA);
  static const char ctl_name[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                 "\x01"
                                 "\x44\x00\x02"
                                 "k\n"
                                 "\x00\x01"
                                 "x"
                                 "\x03";
  ASSERT_EQ(decode_copy(LIT(ctl_name), &m), PW_EBADDATA);
  /* delimiter 0x00 is reserved */
  static const char zero_tag[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                 "\x00"
                                 "\x03";
  ASSERT_EQ(decode_copy(LIT(zero_tag), &m), PW_EBADDATA);
}

static void put_attr(pw_ipp_writer *w, unsigned i) {
  char name[16];
  snprintf(name, sizeof name, "a%u", i);
  pw_ipp_add_raw(w, PW_IPP_TAG_NOVALUE, name, NULL, 0);
}

TEST(at_most_4096_attributes) {
  for (unsigned count = PW_IPP_MAX_ATTRS; count <= PW_IPP_MAX_ATTRS + 1;
       count++) {
    pw_ipp_writer w = {0};
    pw_ipp_begin(&w, PW_IPP_VERSION_2_0, 0, 1);
    pw_ipp_group(&w, PW_IPP_TAG_PRINTER);
    for (unsigned i = 0; i < count; i++)
      put_attr(&w, i);
    pw_ipp_end(&w);
    ASSERT_EQ(pw_ipp_writer_status(&w), PW_OK);
    ASSERT(w.buf.len < PW_IPP_MAX_HEADER);
    pw_ipp_msg m;
    int rc = decode_copy(w.buf.data, w.buf.len, &m);
    if (count == PW_IPP_MAX_ATTRS) {
      ASSERT_EQ(rc, PW_OK);
      ASSERT_EQ(m.nattrs, PW_IPP_MAX_ATTRS);
      ASSERT(pw_ipp_find(&m, PW_IPP_TAG_PRINTER, "a4095") != NULL);
      pw_ipp_msg_free(&m);
    } else {
      ASSERT_EQ(rc, PW_EBADDATA);
    }
    pw_ipp_writer_free(&w);
  }
}

TEST(a_header_longer_than_64k_is_refused) {
  /* 3 values of 32767 octets: about 98 KB before end-of-attributes */
  char *big = malloc(PW_IPP_MAX_VALUE + 1);
  ASSERT(big != NULL);
  memset(big, 'x', PW_IPP_MAX_VALUE);
  big[PW_IPP_MAX_VALUE] = '\0';
  pw_ipp_writer w = {0};
  pw_ipp_begin(&w, PW_IPP_VERSION_2_0, 0, 1);
  pw_ipp_group(&w, PW_IPP_TAG_OPERATION);
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "t", big);
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "u", big);
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "v", big);
  pw_ipp_end(&w);
  free(big);
  ASSERT_EQ(pw_ipp_writer_status(&w), PW_OK);
  pw_ipp_msg m;
  ASSERT_EQ(decode_copy(w.buf.data, w.buf.len, &m), PW_EBADDATA);
  /* the first 64 KB minus one: still incomplete, not yet too large */
  ASSERT_EQ(decode_copy(w.buf.data, PW_IPP_MAX_HEADER - 1, &m), PW_ENOBUFS);
  ASSERT_EQ(decode_copy(w.buf.data, PW_IPP_MAX_HEADER, &m), PW_EBADDATA);
  pw_ipp_writer_free(&w);
}

/* "c" = a collection nested `depth` deep, then "after" = keyword. */
static void nested_collection(pw_ipp_writer *w, unsigned depth, int close) {
  pw_ipp_begin(w, PW_IPP_VERSION_2_0, 0, 1);
  pw_ipp_group(w, PW_IPP_TAG_PRINTER);
  pw_ipp_add_raw(w, PW_IPP_TAG_BEGIN_COLLECTION, "c", NULL, 0);
  for (unsigned d = 1; d < depth; d++) {
    pw_ipp_add_raw(w, PW_IPP_TAG_MEMBERNAME, NULL, "m", 1);
    pw_ipp_add_raw(w, PW_IPP_TAG_BEGIN_COLLECTION, NULL, NULL, 0);
  }
  pw_ipp_add_raw(w, PW_IPP_TAG_MEMBERNAME, NULL, "leaf", 4);
  pw_ipp_add_integer(w, PW_IPP_TAG_INTEGER, NULL, 1);
  for (unsigned d = 0; d < depth - (close ? 0u : 1u); d++)
    pw_ipp_add_raw(w, PW_IPP_TAG_END_COLLECTION, NULL, NULL, 0);
  pw_ipp_add_string(w, PW_IPP_TAG_KEYWORD, "after", "yes");
  pw_ipp_end(w);
}

TEST(collections_are_skipped_up_to_16_deep) {
  pw_ipp_writer w = {0};
  pw_ipp_msg m;
  nested_collection(&w, PW_IPP_MAX_DEPTH, 1);
  ASSERT_EQ(decode_copy(w.buf.data, w.buf.len, &m), PW_OK);
  ASSERT_EQ(m.nattrs, 2);
  const pw_ipp_attr *c = pw_ipp_find(&m, 0, "c");
  ASSERT(c != NULL && c->count == 1);
  ASSERT_EQ(pw_ipp_value_at(&m, c, 0)->tag, PW_IPP_TAG_BEGIN_COLLECTION);
  ASSERT_STREQ(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "after"), 0), "yes");
  pw_ipp_msg_free(&m);
  pw_ipp_writer_free(&w);

  nested_collection(&w, PW_IPP_MAX_DEPTH + 1, 1);
  ASSERT_EQ(decode_copy(w.buf.data, w.buf.len, &m), PW_EBADDATA);
  pw_ipp_writer_free(&w);

  /* one endCollection short: "after" is read as a member of it (named:
   * refused) */
  nested_collection(&w, 3, 0);
  ASSERT_EQ(decode_copy(w.buf.data, w.buf.len, &m), PW_EBADDATA);
  pw_ipp_writer_free(&w);
}

TEST(collection_delimiters_out_of_place_are_refused) {
  pw_ipp_msg m;
  /* endCollection, memberAttrName at the top level; end tag inside */
  static const char end_top[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                "\x01"
                                "\x37\x00\x01"
                                "c"
                                "\x00\x00"
                                "\x03";
  ASSERT_EQ(decode_copy(LIT(end_top), &m), PW_EBADDATA);
  static const char member_top[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                   "\x01"
                                   "\x4a\x00\x01"
                                   "c"
                                   "\x00\x01"
                                   "m"
                                   "\x03";
  ASSERT_EQ(decode_copy(LIT(member_top), &m), PW_EBADDATA);
  static const char unclosed[] = "\x01\x01\x00\x00\x00\x00\x00\x01"
                                 "\x01"
                                 "\x34\x00\x01"
                                 "c"
                                 "\x00\x00"
                                 "\x03";
  ASSERT_EQ(decode_copy(LIT(unclosed), &m), PW_EBADDATA);
}

TEST(unknown_tags_and_groups_are_kept_and_read_safely) {
  static const char msg[] = "\x02\x00\x00\x00\x00\x00\x00\x09"
                            "\x0a" /* a later spec's group */
                            "\x5f\x00\x01"
                            "u"
                            "\x00\x03"
                            "abc" /* unassigned value tag */
                            "\x7f\x00\x01"
                            "x"
                            "\x00\x06"
                            "\x40\x00\x00\x01" /* extension: tag in data */
                            "hi"
                            "\x04"
                            "\x21\x00\x01"
                            "n"
                            "\x00\x04"
                            "\x00\x00\x00\x2a"
                            "\x03";
  pw_ipp_msg m;
  ASSERT_EQ(decode_copy(LIT(msg), &m), PW_OK);
  ASSERT_EQ(m.nattrs, 3);
  const pw_ipp_attr *u = pw_ipp_find(&m, 0x0a, "u");
  ASSERT(u != NULL);
  ASSERT(pw_ipp_get_text(&m, u, 0) == NULL);
  int32_t v;
  ASSERT_EQ(pw_ipp_get_integer(&m, u, 0, &v), PW_EBADDATA);
  ASSERT_EQ(pw_ipp_value_at(&m, pw_ipp_find(&m, 0, "x"), 0)->len, 6);
  ASSERT_EQ(pw_ipp_get_integer(&m, pw_ipp_find(&m, 4, "n"), 0, &v), PW_OK);
  ASSERT_EQ(v, 42);
  pw_ipp_msg_free(&m);
}

TEST(text_with_language_gives_its_text_only_when_lengths_agree) {
  static const char good[] = "\x00\x05"
                             "en-us"
                             "\x00\x03"
                             "abc";
  static const char bad[] = "\x00\x05"
                            "en-us"
                            "\x00\x09"
                            "abc";
  static const char short_lang[] = "\x00\x09"
                                   "en";
  pw_ipp_writer w = {0};
  pw_ipp_begin(&w, PW_IPP_VERSION_2_0, 0, 1);
  pw_ipp_group(&w, PW_IPP_TAG_OPERATION);
  pw_ipp_add_raw(&w, PW_IPP_TAG_TEXT_LANG, "g", LIT(good));
  pw_ipp_add_raw(&w, PW_IPP_TAG_NAME_LANG, "b", LIT(bad));
  pw_ipp_add_raw(&w, PW_IPP_TAG_TEXT_LANG, "s", LIT(short_lang));
  pw_ipp_end(&w);
  pw_ipp_msg m;
  ASSERT_EQ(decode_copy(w.buf.data, w.buf.len, &m), PW_OK);
  ASSERT_STREQ(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "g"), 0), "abc");
  ASSERT(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "b"), 0) == NULL);
  ASSERT(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "s"), 0) == NULL);
  pw_ipp_msg_free(&m);
  pw_ipp_writer_free(&w);
}

TEST_MAIN(
    TEST_ENTRY(writer_encodes_rfc8010_print_job_example_byte_exact),
    TEST_ENTRY(rfc8010_print_job_example_decodes),
    TEST_ENTRY(print_job_builder_byte_exact),
    TEST_ENTRY(get_printer_attributes_builder_byte_exact),
    TEST_ENTRY(builder_cuts_long_names_at_a_utf8_boundary),
    TEST_ENTRY(writer_refuses_what_the_wire_cannot_carry),
    TEST_ENTRY(decodes_a_print_job_response),
    TEST_ENTRY(round_trip_of_every_value_kind_and_group),
    TEST_ENTRY(status_names_and_classes_follow_rfc8011),
    TEST_ENTRY(every_truncation_asks_for_more_and_never_succeeds),
    TEST_ENTRY(claimed_lengths_beyond_the_limits_are_refused_before_reading),
    TEST_ENTRY(fixed_size_syntaxes_must_have_their_size),
    TEST_ENTRY(misplaced_values_and_bad_names_are_refused),
    TEST_ENTRY(at_most_4096_attributes),
    TEST_ENTRY(a_header_longer_than_64k_is_refused),
    TEST_ENTRY(collections_are_skipped_up_to_16_deep),
    TEST_ENTRY(collection_delimiters_out_of_place_are_refused),
    TEST_ENTRY(unknown_tags_and_groups_are_kept_and_read_safely),
    TEST_ENTRY(text_with_language_gives_its_text_only_when_lengths_agree))
