/* IPP encoding and decoding (src/core/ipp.h): byte-exact requests after
 * RFC 8010, responses decoded from hand-written bytes, round trips (hostile
 * input: test_ipp_hostile.c). Note: hex escapes in the literals below are
 * always closed with "" so a following name cannot extend them. */
#include <stdint.h>

#include "core/ipp.h"
#include "ippfix.h"
#include "portway/error.h"
#include "test.h"

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

TEST(send_document_builder_byte_exact) {
  /* RFC 8011 4.3.1: target printer-uri + job-id, then the user, the
   * format and last-document. */
  static const char want[] = "\x02\x00"
                             "\x00\x06"
                             "\x00\x00\x00\x09"
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
                             "\x00\x09"
                             "ipp://h/p"
                             "\x21\x00\x06"
                             "job-id"
                             "\x00\x04"
                             "\x00\x00\x00\x2a"
                             "\x42\x00\x14"
                             "requesting-user-name"
                             "\x00\x03"
                             "bob"
                             "\x49\x00\x0f"
                             "document-format"
                             "\x00\x0f"
                             "application/pdf"
                             "\x22\x00\x0d"
                             "last-document"
                             "\x00\x01"
                             "\x01"
                             "\x03";
  pw_ipp_request_attrs a = {.printer_uri = "ipp://h/p",
                            .user = "bob",
                            .job_name = "not sent",
                            .document_format = "application/pdf",
                            .job_id = 42};
  pw_ipp_writer w = {0};
  ASSERT_EQ(pw_ipp_build_send_document(&w, PW_IPP_VERSION_2_0, 9, &a), PW_OK);
  ASSERT(same_bytes(&w, LIT(want)));
  pw_ipp_writer_free(&w);
}

TEST(create_job_and_cancel_job_builders_carry_their_attributes_only) {
  pw_ipp_request_attrs a = {.printer_uri = "ipp://h/p",
                            .user = "bob",
                            .job_name = "report",
                            .document_format = "application/pdf",
                            .job_id = 7};
  pw_ipp_writer w = {0};
  pw_ipp_msg m;
  ASSERT_EQ(pw_ipp_build_create_job(&w, PW_IPP_VERSION_2_0, 3, &a), PW_OK);
  ASSERT_EQ(pw_ipp_decode(w.buf.data, w.buf.len, &m), PW_OK);
  ASSERT_EQ(m.code, PW_IPP_OP_CREATE_JOB);
  ASSERT_STREQ(pw_ipp_get_text(&m, pw_ipp_find(&m, 0, "job-name"), 0),
               "report");
  ASSERT(pw_ipp_find(&m, 0, "document-format") == NULL); /* Send-Document's */
  ASSERT(pw_ipp_find(&m, 0, "job-id") == NULL);
  pw_ipp_msg_free(&m);
  pw_ipp_writer_free(&w);
  memset(&w, 0, sizeof w);
  ASSERT_EQ(pw_ipp_build_cancel_job(&w, PW_IPP_VERSION_1_1, 4, &a), PW_OK);
  ASSERT_EQ(pw_ipp_decode(w.buf.data, w.buf.len, &m), PW_OK);
  ASSERT_EQ(m.code, PW_IPP_OP_CANCEL_JOB);
  int32_t id = 0;
  ASSERT_EQ(pw_ipp_get_integer(&m, pw_ipp_find(&m, 0, "job-id"), 0, &id),
            PW_OK);
  ASSERT_EQ(id, 7);
  ASSERT(pw_ipp_find(&m, 0, "job-name") == NULL);
  pw_ipp_msg_free(&m);
  pw_ipp_writer_free(&w);
  /* a job operation without a job is refused */
  a.job_id = 0;
  memset(&w, 0, sizeof w);
  ASSERT_EQ(pw_ipp_build_send_document(&w, PW_IPP_VERSION_2_0, 5, &a),
            PW_EINVAL);
  pw_ipp_writer_free(&w);
  memset(&w, 0, sizeof w);
  ASSERT_EQ(pw_ipp_build_cancel_job(&w, PW_IPP_VERSION_2_0, 5, &a), PW_EINVAL);
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

TEST_MAIN(
    TEST_ENTRY(writer_encodes_rfc8010_print_job_example_byte_exact),
    TEST_ENTRY(rfc8010_print_job_example_decodes),
    TEST_ENTRY(print_job_builder_byte_exact),
    TEST_ENTRY(get_printer_attributes_builder_byte_exact),
    TEST_ENTRY(send_document_builder_byte_exact),
    TEST_ENTRY(create_job_and_cancel_job_builders_carry_their_attributes_only),
    TEST_ENTRY(builder_cuts_long_names_at_a_utf8_boundary),
    TEST_ENTRY(writer_refuses_what_the_wire_cannot_carry),
    TEST_ENTRY(decodes_a_print_job_response),
    TEST_ENTRY(round_trip_of_every_value_kind_and_group),
    TEST_ENTRY(status_names_and_classes_follow_rfc8011))
