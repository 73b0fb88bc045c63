/* Port name rules (pw_port_name_validate in portway/config.h). */
#include "portway/config.h"
#include "portway/error.h"
#include "test.h"

TEST(port_name_accepts_ordinary_names) {
  ASSERT_EQ(pw_port_name_validate("PW1:"), PW_OK);
  ASSERT_EQ(pw_port_name_validate("portway"), PW_OK);
  ASSERT_EQ(pw_port_name_validate("Lab printer (2nd floor)"), PW_OK);
  ASSERT_EQ(pw_port_name_validate("Drucker-\xc3\xbc"), PW_OK);
  ASSERT_EQ(pw_port_name_validate("x"), PW_OK);
}

TEST(port_name_length_is_1_to_63_utf16_units) {
  char name[300];
  memset(name, 'n', 63);
  name[63] = '\0';
  ASSERT_EQ(pw_port_name_validate(name), PW_OK);
  name[63] = 'n';
  name[64] = '\0';
  ASSERT_EQ(pw_port_name_validate(name), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate(""), PW_EBADNAME);
  /* 61 + one supplementary character (2 units) = 63 units. */
  memset(name, 'n', 61);
  memcpy(name + 61, "\xf0\x9f\x96\xa8", 5);
  ASSERT_EQ(pw_port_name_validate(name), PW_OK);
  /* 62 + 2 units = 64 units, though only 63 code points. */
  memset(name, 'n', 62);
  memcpy(name + 62, "\xf0\x9f\x96\xa8", 5);
  ASSERT_EQ(pw_port_name_validate(name), PW_EBADNAME);
  /* 63 BMP characters of 3 bytes each (189 bytes) are fine. */
  for (int i = 0; i < 63; i++)
    memcpy(name + 3 * i, "\xe2\x82\xac", 3);
  name[189] = '\0';
  ASSERT_EQ(pw_port_name_validate(name), PW_OK);
}

TEST(port_name_rejects_separators_and_wildcards) {
  const char *bad[] = {"a\\b", "a/b", "a,b", "a\"b", "a*b",
                       "a?b",  "a<b", "a>b", "a|b"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ASSERT_EQ(pw_port_name_validate(bad[i]), PW_EBADNAME);
}

TEST(port_name_rejects_control_characters_and_bad_utf8) {
  ASSERT_EQ(pw_port_name_validate("a\tb"), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate("a\nb"), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate("a\x7f"), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate("a\xc2\x85"), PW_EBADNAME); /* U+0085 */
  ASSERT_EQ(pw_port_name_validate("a\xff"), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate("a\xed\xa0\x80"), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate(NULL), PW_EINVAL);
}

TEST(port_name_rejects_leading_or_trailing_space) {
  ASSERT_EQ(pw_port_name_validate(" PW1:"), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate("PW1: "), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate(" "), PW_EBADNAME);
  ASSERT_EQ(pw_port_name_validate("PW 1"), PW_OK);
}

TEST_MAIN(TEST_ENTRY(port_name_accepts_ordinary_names),
          TEST_ENTRY(port_name_length_is_1_to_63_utf16_units),
          TEST_ENTRY(port_name_rejects_separators_and_wildcards),
          TEST_ENTRY(port_name_rejects_control_characters_and_bad_utf8),
          TEST_ENTRY(port_name_rejects_leading_or_trailing_space))
