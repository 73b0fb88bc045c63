/* Strict UTF-8 <-> UTF-16 conversion (portway/utf.h). */
#include <stdint.h>

#include "portway/error.h"
#include "portway/utf.h"
#include "test.h"

/* Copy bytes into an exactly sized heap block so ASan reports any read past
 * the end. */
static uint8_t *exact_copy(const void *src, size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  if (p && len)
    memcpy(p, src, len);
  return p;
}

TEST(utf8_valid_accepts_ascii_and_all_sequence_lengths) {
  ASSERT(pw_utf8_valid(""));
  ASSERT(pw_utf8_valid("plain ascii"));
  ASSERT(pw_utf8_valid("caf\xc3\xa9"));              /* U+00E9 */
  ASSERT(pw_utf8_valid("\xe2\x82\xac"));             /* U+20AC */
  ASSERT(pw_utf8_valid("\xf0\x9f\x98\x80"));         /* U+1F600 */
  ASSERT(pw_utf8_valid("\xf4\x8f\xbf\xbf"));         /* U+10FFFF */
  ASSERT(pw_utf8_valid("\xef\xbf\xbd"));             /* U+FFFD */
  ASSERT(pw_utf8_valid("\xed\x9f\xbf\xee\x80\x80")); /* U+D7FF U+E000 */
}

TEST(utf8_valid_rejects_overlong_forms) {
  ASSERT(!pw_utf8_valid("\xc0\x80")); /* NUL */
  ASSERT(!pw_utf8_valid("\xc1\xbf"));
  ASSERT(!pw_utf8_valid("\xc0\xaf"));     /* '/' */
  ASSERT(!pw_utf8_valid("\xe0\x80\xaf")); /* '/' */
  ASSERT(!pw_utf8_valid("\xe0\x9f\xbf"));
  ASSERT(!pw_utf8_valid("\xf0\x80\x80\xaf")); /* '/' */
  ASSERT(!pw_utf8_valid("\xf0\x8f\xbf\xbf"));
}

TEST(utf8_valid_rejects_surrogates_and_values_above_10ffff) {
  ASSERT(!pw_utf8_valid("\xed\xa0\x80"));             /* U+D800 */
  ASSERT(!pw_utf8_valid("\xed\xbf\xbf"));             /* U+DFFF */
  ASSERT(!pw_utf8_valid("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair */
  ASSERT(!pw_utf8_valid("\xf4\x90\x80\x80"));         /* U+110000 */
  ASSERT(!pw_utf8_valid("\xf5\x80\x80\x80"));
  ASSERT(!pw_utf8_valid("\xff"));
  ASSERT(!pw_utf8_valid("\xfe"));
}

TEST(utf8_valid_rejects_stray_and_truncated_sequences) {
  ASSERT(!pw_utf8_valid("\x80"));
  ASSERT(!pw_utf8_valid("a\xbf"));
  ASSERT(!pw_utf8_valid("\xc3"));
  ASSERT(!pw_utf8_valid("\xc3x"));
  ASSERT(!pw_utf8_valid("\xe2\x82"));
  ASSERT(!pw_utf8_valid("\xe2\x82x"));
  ASSERT(!pw_utf8_valid(NULL));
}

TEST(utf8_valid_4_byte_sequence_at_end_of_string) {
  /* Complete at the very end: fine. Cut by the terminator at each byte:
   * rejected, and the decoder must not look past the NUL. */
  const char full[] = "abc\xf0\x9f\x98\x80";
  ASSERT(pw_utf8_valid(full));
  for (size_t cut = 4; cut < sizeof full - 1; cut++) {
    char *s = (char *)exact_copy(full, cut + 1);
    ASSERT(s != NULL);
    s[cut] = '\0';
    int ok = pw_utf8_valid(s);
    free(s);
    ASSERT(!ok);
  }
}

TEST(utf8_to_utf16_encodes_bmp_and_surrogate_pairs) {
  uint16_t *w = NULL;
  size_t n = 99;
  ASSERT_EQ(pw_utf8_to_utf16("A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", &w, &n),
            PW_OK);
  ASSERT_EQ(n, 5);
  ASSERT_EQ(w[0], 0x41);
  ASSERT_EQ(w[1], 0xe9);
  ASSERT_EQ(w[2], 0x20ac);
  ASSERT_EQ(w[3], 0xd83d);
  ASSERT_EQ(w[4], 0xde00);
  ASSERT_EQ(w[5], 0);
  free(w);
}

TEST(utf8_to_utf16_of_empty_string_is_just_a_terminator) {
  uint16_t *w = NULL;
  size_t n = 99;
  ASSERT_EQ(pw_utf8_to_utf16("", &w, &n), PW_OK);
  ASSERT_EQ(n, 0);
  ASSERT(w != NULL);
  ASSERT_EQ(w[0], 0);
  free(w);
}

TEST(utf8_to_utf16_rejects_invalid_input_and_returns_nothing) {
  uint16_t *w = (uint16_t *)(uintptr_t)1;
  size_t n = 99;
  ASSERT_EQ(pw_utf8_to_utf16("ok\xed\xa0\x80", &w, &n), PW_EBADDATA);
  ASSERT(w == NULL);
  ASSERT_EQ(n, 0);
  ASSERT_EQ(pw_utf8_to_utf16(NULL, &w, NULL), PW_EINVAL);
  ASSERT_EQ(pw_utf8_to_utf16("x", NULL, NULL), PW_EINVAL);
}

TEST(utf16_to_utf8_decodes_pairs_and_round_trips) {
  const uint16_t in[] = {0x48, 0xe9, 0x20ac, 0xd83d, 0xde00, 0x7a};
  char *s = NULL;
  ASSERT_EQ(pw_utf16_to_utf8(in, 6, &s), PW_OK);
  ASSERT_STREQ(s, "H\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z");
  uint16_t *back = NULL;
  size_t n = 0;
  ASSERT_EQ(pw_utf8_to_utf16(s, &back, &n), PW_OK);
  free(s);
  ASSERT_EQ(n, 6);
  ASSERT(memcmp(back, in, sizeof in) == 0);
  free(back);
}

TEST(utf16_to_utf8_of_zero_units_is_empty_string) {
  char *s = NULL;
  ASSERT_EQ(pw_utf16_to_utf8(NULL, 0, &s), PW_OK);
  ASSERT_STREQ(s, "");
  free(s);
}

TEST(utf16_to_utf8_rejects_unpaired_surrogates) {
  char *s = (char *)1;
  const uint16_t high_at_end[] = {0x41, 0xd800};
  const uint16_t lone_low[] = {0xdc00, 0x41};
  const uint16_t high_then_bmp[] = {0xd800, 0x41};
  const uint16_t two_highs[] = {0xdbff, 0xdbff, 0xdc00};
  ASSERT_EQ(pw_utf16_to_utf8(high_at_end, 2, &s), PW_EBADDATA);
  ASSERT(s == NULL);
  ASSERT_EQ(pw_utf16_to_utf8(lone_low, 2, &s), PW_EBADDATA);
  ASSERT_EQ(pw_utf16_to_utf8(high_then_bmp, 2, &s), PW_EBADDATA);
  ASSERT_EQ(pw_utf16_to_utf8(two_highs, 3, &s), PW_EBADDATA);
  /* The pair is only a pair within n: cutting it leaves a lone high. */
  const uint16_t pair[] = {0xd83d, 0xde00};
  ASSERT_EQ(pw_utf16_to_utf8(pair, 1, &s), PW_EBADDATA);
}

TEST(utf16_to_utf8_rejects_embedded_nul_unit) {
  const uint16_t in[] = {0x61, 0x00, 0x62};
  char *s = NULL;
  ASSERT_EQ(pw_utf16_to_utf8(in, 3, &s), PW_EBADDATA);
  ASSERT(s == NULL);
}

TEST(utf16le_bytes_decodes_string_and_reports_consumed) {
  const uint8_t buf[] = {'P', 0, 'W', 0, 0x3d, 0xd8, 0x00, 0xde, 0, 0};
  uint8_t *b = exact_copy(buf, sizeof buf);
  char *s = NULL;
  size_t used = 0;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(b, sizeof buf, &s, &used), PW_OK);
  free(b);
  ASSERT_STREQ(s, "PW\xf0\x9f\x98\x80");
  ASSERT_EQ(used, sizeof buf);
  free(s);
}

TEST(utf16le_bytes_decodes_consecutive_strings) {
  const uint8_t buf[] = {'n', 0, 0, 0, 't', 0, 'x', 0, 0, 0};
  char *a = NULL, *b = NULL;
  size_t used1 = 0, used2 = 0;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, sizeof buf, &a, &used1), PW_OK);
  ASSERT_EQ(used1, 4);
  ASSERT_EQ(
      pw_utf16le_bytes_to_utf8(buf + used1, sizeof buf - used1, &b, &used2),
      PW_OK);
  ASSERT_EQ(used2, 6);
  ASSERT_STREQ(a, "n");
  ASSERT_STREQ(b, "tx");
  free(a);
  free(b);
}

TEST(utf16le_bytes_ignores_bytes_after_the_terminator) {
  const uint8_t buf[] = {'a', 0, 0, 0, 0xff, 0xff, 0x00, 0xd8};
  char *s = NULL;
  size_t used = 0;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, sizeof buf, &s, &used), PW_OK);
  ASSERT_STREQ(s, "a");
  ASSERT_EQ(used, 4);
  free(s);
}

TEST(utf16le_bytes_empty_string_is_just_terminator) {
  const uint8_t buf[] = {0, 0};
  char *s = NULL;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, 2, &s, NULL), PW_OK);
  ASSERT_STREQ(s, "");
  free(s);
}

TEST(utf16le_bytes_rejects_odd_length) {
  const uint8_t buf[] = {'a', 0, 0, 0, 0};
  char *s = (char *)1;
  size_t used = 7;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, 5, &s, &used), PW_EBADDATA);
  ASSERT(s == NULL);
  ASSERT_EQ(used, 0);
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, 1, &s, &used), PW_EBADDATA);
}

TEST(utf16le_bytes_rejects_missing_terminator_without_reading_past_len) {
  const uint8_t buf[] = {'a', 0, 'b', 0, 'c', 0};
  for (size_t len = 0; len <= sizeof buf; len += 2) {
    uint8_t *b = exact_copy(buf, len);
    char *s = NULL;
    int rc = pw_utf16le_bytes_to_utf8(len ? b : NULL, len, &s, NULL);
    free(b);
    ASSERT_EQ(rc, PW_EBADDATA);
    ASSERT(s == NULL);
  }
}

TEST(utf16le_bytes_rejects_terminator_in_the_odd_position) {
  /* A zero byte pair straddling two units is not a terminator. */
  const uint8_t buf[] = {0x00, 0x41, 0x00, 0x42};
  char *s = NULL;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, sizeof buf, &s, NULL), PW_EBADDATA);
}

TEST(utf16le_bytes_rejects_surrogate_cut_by_terminator) {
  const uint8_t buf[] = {0x3d, 0xd8, 0, 0, 0x00, 0xde};
  char *s = NULL;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, sizeof buf, &s, NULL), PW_EBADDATA);
}

TEST(utf16le_bytes_works_on_unaligned_buffers) {
  uint8_t raw[8] = {0xaa, 'o', 0, 'k', 0, 0, 0, 0xaa};
  char *s = NULL;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(raw + 1, 6, &s, NULL), PW_OK);
  ASSERT_STREQ(s, "ok");
  free(s);
}

TEST(utf16le_size_counts_units_and_terminator) {
  ASSERT_EQ(pw_utf8_utf16le_size(""), 2);
  ASSERT_EQ(pw_utf8_utf16le_size("ab"), 6);
  ASSERT_EQ(pw_utf8_utf16le_size("\xe2\x82\xac"), 4);
  ASSERT_EQ(pw_utf8_utf16le_size("\xf0\x9f\x98\x80"), 6);
  ASSERT_EQ(pw_utf8_utf16le_size("\xc0\x80"), PW_EBADDATA);
  ASSERT(pw_utf8_utf16le_size(NULL) < 0);
}

TEST(utf8_to_utf16le_bytes_writes_little_endian_with_terminator) {
  uint8_t out[8];
  size_t needed = 0;
  ASSERT_EQ(pw_utf8_to_utf16le_bytes("\xe2\x82\xac"
                                     "a",
                                     out, sizeof out, &needed),
            PW_OK);
  ASSERT_EQ(needed, 6);
  const uint8_t want[] = {0xac, 0x20, 'a', 0, 0, 0};
  ASSERT(memcmp(out, want, sizeof want) == 0);
}

TEST(utf8_to_utf16le_bytes_too_small_reports_size_and_writes_nothing) {
  uint8_t out[6];
  memset(out, 0x5a, sizeof out);
  size_t needed = 0;
  ASSERT_EQ(pw_utf8_to_utf16le_bytes("abcd", NULL, 0, &needed), PW_ENOBUFS);
  ASSERT_EQ(needed, 10);
  ASSERT_EQ(pw_utf8_to_utf16le_bytes("abcd", out, sizeof out, &needed),
            PW_ENOBUFS);
  ASSERT_EQ(needed, 10);
  for (size_t i = 0; i < sizeof out; i++)
    ASSERT_EQ(out[i], 0x5a);
}

TEST(utf8_to_utf16le_bytes_exact_capacity_is_enough) {
  uint8_t *out = malloc(6);
  size_t needed = 0;
  ASSERT(out != NULL);
  ASSERT_EQ(pw_utf8_to_utf16le_bytes("\xf0\x9f\x98\x80", out, 6, &needed),
            PW_OK);
  ASSERT_EQ(needed, 6);
  ASSERT_EQ(out[0], 0x3d);
  ASSERT_EQ(out[1], 0xd8);
  ASSERT_EQ(out[2], 0x00);
  ASSERT_EQ(out[3], 0xde);
  ASSERT_EQ(out[4], 0);
  ASSERT_EQ(out[5], 0);
  free(out);
}

TEST(utf8_to_utf16le_bytes_rejects_invalid_utf8) {
  uint8_t out[16];
  size_t needed = 99;
  ASSERT_EQ(pw_utf8_to_utf16le_bytes("a\xed\xa0\x80", out, sizeof out, &needed),
            PW_EBADDATA);
  ASSERT_EQ(needed, 0);
}

TEST(utf16le_round_trip_through_bytes) {
  const char *s = "Grü\xc3\x9f"
                  "e \xe4\xb8\xad\xf0\x90\x8d\x88";
  long size = pw_utf8_utf16le_size(s);
  ASSERT(size > 0);
  uint8_t *buf = malloc((size_t)size);
  ASSERT(buf != NULL);
  size_t needed = 0;
  ASSERT_EQ(pw_utf8_to_utf16le_bytes(s, buf, (size_t)size, &needed), PW_OK);
  ASSERT_EQ(needed, size);
  char *back = NULL;
  size_t used = 0;
  ASSERT_EQ(pw_utf16le_bytes_to_utf8(buf, (size_t)size, &back, &used), PW_OK);
  free(buf);
  ASSERT_EQ(used, size);
  ASSERT_STREQ(back, s);
  free(back);
}

TEST_MAIN(
    TEST_ENTRY(utf8_valid_accepts_ascii_and_all_sequence_lengths),
    TEST_ENTRY(utf8_valid_rejects_overlong_forms),
    TEST_ENTRY(utf8_valid_rejects_surrogates_and_values_above_10ffff),
    TEST_ENTRY(utf8_valid_rejects_stray_and_truncated_sequences),
    TEST_ENTRY(utf8_valid_4_byte_sequence_at_end_of_string),
    TEST_ENTRY(utf8_to_utf16_encodes_bmp_and_surrogate_pairs),
    TEST_ENTRY(utf8_to_utf16_of_empty_string_is_just_a_terminator),
    TEST_ENTRY(utf8_to_utf16_rejects_invalid_input_and_returns_nothing),
    TEST_ENTRY(utf16_to_utf8_decodes_pairs_and_round_trips),
    TEST_ENTRY(utf16_to_utf8_of_zero_units_is_empty_string),
    TEST_ENTRY(utf16_to_utf8_rejects_unpaired_surrogates),
    TEST_ENTRY(utf16_to_utf8_rejects_embedded_nul_unit),
    TEST_ENTRY(utf16le_bytes_decodes_string_and_reports_consumed),
    TEST_ENTRY(utf16le_bytes_decodes_consecutive_strings),
    TEST_ENTRY(utf16le_bytes_ignores_bytes_after_the_terminator),
    TEST_ENTRY(utf16le_bytes_empty_string_is_just_terminator),
    TEST_ENTRY(utf16le_bytes_rejects_odd_length),
    TEST_ENTRY(
        utf16le_bytes_rejects_missing_terminator_without_reading_past_len),
    TEST_ENTRY(utf16le_bytes_rejects_terminator_in_the_odd_position),
    TEST_ENTRY(utf16le_bytes_rejects_surrogate_cut_by_terminator),
    TEST_ENTRY(utf16le_bytes_works_on_unaligned_buffers),
    TEST_ENTRY(utf16le_size_counts_units_and_terminator),
    TEST_ENTRY(utf8_to_utf16le_bytes_writes_little_endian_with_terminator),
    TEST_ENTRY(utf8_to_utf16le_bytes_too_small_reports_size_and_writes_nothing),
    TEST_ENTRY(utf8_to_utf16le_bytes_exact_capacity_is_enough),
    TEST_ENTRY(utf8_to_utf16le_bytes_rejects_invalid_utf8),
    TEST_ENTRY(utf16le_round_trip_through_bytes))
