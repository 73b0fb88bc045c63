/* The IPP decoder (src/core/ipp.h) fed hostile input, as a printer's reply
 * may be: truncations, lengths beyond the limits, misplaced values, too many
 * attributes, deep collections, unknown tags. */
#include <stdint.h>

#include "core/ipp.h"
#include "ippfix.h"
#include "portway/error.h"
#include "test.h"

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
