/* Generic device URI parsing (pw_uri_parse in portway/config.h). */
#include "portway/config.h"
#include "portway/error.h"
#include "test.h"

static int parse_fails(const char *text, int want) {
  pw_uri u;
  memset(&u, 0x5a, sizeof u); /* garbage: must be zeroed on error */
  int rc = pw_uri_parse(text, &u);
  CHECK_OR_RETURN(rc == want, 0);
  CHECK_OR_RETURN(u.scheme == NULL && u.host == NULL && u.path == NULL &&
                      u.userinfo == NULL && u.params == NULL && u.nparams == 0,
                  0);
  return 1;
}

TEST(uri_parses_scheme_authority_path_and_query) {
  pw_uri u;
  ASSERT_EQ(
      pw_uri_parse("ipp://user@printer.example:8631/printers/x?a=1&b=2", &u),
      PW_OK);
  ASSERT_STREQ(u.scheme, "ipp");
  ASSERT_STREQ(u.userinfo, "user");
  ASSERT_STREQ(u.host, "printer.example");
  ASSERT_EQ(u.port, 8631);
  ASSERT_STREQ(u.path, "/printers/x");
  ASSERT_EQ(u.nparams, 2);
  ASSERT_STREQ(u.params[0].key, "a");
  ASSERT_STREQ(u.params[0].value, "1");
  ASSERT_STREQ(u.params[1].key, "b");
  ASSERT_STREQ(u.params[1].value, "2");
  pw_uri_free(&u);
}

TEST(uri_scheme_is_lowercased) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("FiLe:///tmp", &u), PW_OK);
  ASSERT_STREQ(u.scheme, "file");
  pw_uri_free(&u);
}

TEST(uri_without_authority_has_null_host_and_no_port) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("file:/C:/out", &u), PW_OK);
  ASSERT(u.host == NULL);
  ASSERT_EQ(u.port, -1);
  ASSERT_STREQ(u.path, "/C:/out");
  pw_uri_free(&u);
}

TEST(uri_with_empty_authority_has_empty_host) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("file:///C:/out", &u), PW_OK);
  ASSERT_STREQ(u.host, "");
  ASSERT_EQ(u.port, -1);
  ASSERT_STREQ(u.path, "/C:/out");
  pw_uri_free(&u);
}

TEST(uri_path_may_be_empty) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("socket://host", &u), PW_OK);
  ASSERT_STREQ(u.path, "");
  ASSERT_EQ(u.nparams, 0);
  pw_uri_free(&u);
}

TEST(uri_ipv6_literal_host_is_stored_without_brackets) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("socket://[fe80::1:2]:9101", &u), PW_OK);
  ASSERT_STREQ(u.host, "fe80::1:2");
  ASSERT_EQ(u.port, 9101);
  pw_uri_free(&u);
  ASSERT_EQ(pw_uri_parse("ipp://[::ffff:192.0.2.1]/ipp", &u), PW_OK);
  ASSERT_STREQ(u.host, "::ffff:192.0.2.1");
  ASSERT_EQ(u.port, -1);
  pw_uri_free(&u);
  ASSERT_EQ(pw_uri_parse("socket://[1:2:3:4:5:6:7:8]", &u), PW_OK);
  pw_uri_free(&u);
  ASSERT_EQ(pw_uri_parse("socket://[::]", &u), PW_OK);
  pw_uri_free(&u);
}

TEST(uri_rejects_malformed_ipv6_literals) {
  ASSERT(parse_fails("socket://[::1", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[::g]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[1:2]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[1::2::3]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[12345::]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[1:2:3:4:5:6:7:8:9]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[::1]x", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[::1%25eth0]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[::1.2.3.999]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[:1]", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://[1:]", PW_EBADCONFIG));
}

TEST(uri_port_must_be_1_to_5_digits_up_to_65535) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("socket://h:65535", &u), PW_OK);
  ASSERT_EQ(u.port, 65535);
  pw_uri_free(&u);
  ASSERT_EQ(pw_uri_parse("socket://h:0", &u), PW_OK);
  ASSERT_EQ(u.port, 0);
  pw_uri_free(&u);
  ASSERT(parse_fails("socket://h:65536", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://h:123456", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://h:", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://h:-1", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://h:9x", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://h:1:2", PW_EBADCONFIG));
}

TEST(uri_percent_escapes_are_decoded) {
  pw_uri u;
  ASSERT_EQ(
      pw_uri_parse("file:///C:/My%20Files/caf%C3%A9%25?pat%74ern=a%26b", &u),
      PW_OK);
  ASSERT_STREQ(u.path, "/C:/My Files/caf\xc3\xa9%");
  ASSERT_STREQ(u.params[0].key, "pattern");
  ASSERT_STREQ(u.params[0].value, "a&b");
  pw_uri_free(&u);
}

TEST(uri_rejects_bad_percent_escapes) {
  ASSERT(parse_fails("file:///a%", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a%4", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a%zz", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a%g0", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a?k=%", PW_EBADCONFIG));
}

TEST(uri_rejects_decoded_nul_and_control_characters) {
  ASSERT(parse_fails("file:///a%00b", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a%0Ab", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a%0db", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a%7Fb", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a?k=%09", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://h%00st", PW_EBADCONFIG));
}

TEST(uri_rejects_decoded_bytes_that_are_not_utf8) {
  ASSERT(parse_fails("file:///a%C3", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a%C0%AF", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///%ED%A0%80", PW_EBADCONFIG));
}

TEST(uri_rejects_raw_control_characters_and_invalid_utf8) {
  ASSERT(parse_fails("file:///a\tb", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a\nuri=x", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a\x7f", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a\xff", PW_EBADCONFIG));
  ASSERT(parse_fails("file:///a\xc3", PW_EBADCONFIG));
}

TEST(uri_rejects_missing_or_malformed_scheme) {
  ASSERT(parse_fails("", PW_EBADCONFIG));
  ASSERT(parse_fails("x", PW_EBADCONFIG));
  ASSERT(parse_fails(":foo", PW_EBADCONFIG));
  ASSERT(parse_fails("/tmp/out", PW_EBADCONFIG));
  ASSERT(parse_fails("1abc:/x", PW_EBADCONFIG));
  ASSERT(parse_fails("fi le:/x", PW_EBADCONFIG));
}

TEST(uri_rejects_fragments) {
  ASSERT(parse_fails("file:///a#b", PW_EBADCONFIG));
}

TEST(uri_rejects_more_than_one_userinfo_separator) {
  ASSERT(parse_fails("ipp://a@b@host/x", PW_EBADCONFIG));
}

TEST(uri_rejects_decoded_host_that_changes_structure) {
  ASSERT(parse_fails("socket://evil%2Fhost", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://a%3Ab", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://a%40b", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://a%20b", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://a b", PW_EBADCONFIG));
  ASSERT(parse_fails("socket://a\\b", PW_EBADCONFIG));
}

TEST(uri_query_keys_are_lowercased_and_values_kept) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("file:///x?Pattern=A.PRN&TIMEOUT=5&flag", &u), PW_OK);
  ASSERT_EQ(u.nparams, 3);
  ASSERT_STREQ(u.params[0].key, "pattern");
  ASSERT_STREQ(u.params[0].value, "A.PRN");
  ASSERT_STREQ(u.params[1].key, "timeout");
  ASSERT_STREQ(u.params[1].value, "5");
  ASSERT_STREQ(u.params[2].key, "flag");
  ASSERT_STREQ(u.params[2].value, "");
  pw_uri_free(&u);
}

TEST(uri_query_splits_only_on_ampersand_and_first_equals) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("pipe:/bin/x?args=a+b=c;d&&k=v&", &u), PW_OK);
  ASSERT_EQ(u.nparams, 2);
  ASSERT_STREQ(u.params[0].key, "args");
  ASSERT_STREQ(u.params[0].value, "a+b=c;d");
  ASSERT_STREQ(u.params[1].key, "k");
  ASSERT_STREQ(u.params[1].value, "v");
  pw_uri_free(&u);
}

TEST(uri_query_rejects_empty_key) {
  ASSERT(parse_fails("file:///x?=v", PW_EBADCONFIG));
}

TEST(uri_length_limit_is_pw_max_uri_bytes) {
  char *text = malloc(PW_MAX_URI + 2);
  ASSERT(text != NULL);
  memcpy(text, "file:///", 8);
  memset(text + 8, 'a', PW_MAX_URI - 8);
  text[PW_MAX_URI] = '\0';
  pw_uri u;
  int rc = pw_uri_parse(text, &u);
  pw_uri_free(&u);
  text[PW_MAX_URI] = 'a';
  text[PW_MAX_URI + 1] = '\0';
  int rc_long = parse_fails(text, PW_ENAMETOOLONG);
  free(text);
  ASSERT_EQ(rc, PW_OK);
  ASSERT(rc_long);
}

TEST(uri_null_arguments_are_invalid) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse(NULL, &u), PW_EINVAL);
  ASSERT_EQ(pw_uri_parse("file:///x", NULL), PW_EINVAL);
  pw_uri_free(NULL);
}

TEST(uri_free_leaves_a_zeroed_struct_safe_to_free_again) {
  pw_uri u;
  ASSERT_EQ(pw_uri_parse("ipp://h/x?a=b", &u), PW_OK);
  pw_uri_free(&u);
  ASSERT(u.scheme == NULL && u.params == NULL && u.nparams == 0);
  pw_uri_free(&u);
}

TEST_MAIN(TEST_ENTRY(uri_parses_scheme_authority_path_and_query),
          TEST_ENTRY(uri_scheme_is_lowercased),
          TEST_ENTRY(uri_without_authority_has_null_host_and_no_port),
          TEST_ENTRY(uri_with_empty_authority_has_empty_host),
          TEST_ENTRY(uri_path_may_be_empty),
          TEST_ENTRY(uri_ipv6_literal_host_is_stored_without_brackets),
          TEST_ENTRY(uri_rejects_malformed_ipv6_literals),
          TEST_ENTRY(uri_port_must_be_1_to_5_digits_up_to_65535),
          TEST_ENTRY(uri_percent_escapes_are_decoded),
          TEST_ENTRY(uri_rejects_bad_percent_escapes),
          TEST_ENTRY(uri_rejects_decoded_nul_and_control_characters),
          TEST_ENTRY(uri_rejects_decoded_bytes_that_are_not_utf8),
          TEST_ENTRY(uri_rejects_raw_control_characters_and_invalid_utf8),
          TEST_ENTRY(uri_rejects_missing_or_malformed_scheme),
          TEST_ENTRY(uri_rejects_fragments),
          TEST_ENTRY(uri_rejects_more_than_one_userinfo_separator),
          TEST_ENTRY(uri_rejects_decoded_host_that_changes_structure),
          TEST_ENTRY(uri_query_keys_are_lowercased_and_values_kept),
          TEST_ENTRY(uri_query_splits_only_on_ampersand_and_first_equals),
          TEST_ENTRY(uri_query_rejects_empty_key),
          TEST_ENTRY(uri_length_limit_is_pw_max_uri_bytes),
          TEST_ENTRY(uri_null_arguments_are_invalid),
          TEST_ENTRY(uri_free_leaves_a_zeroed_struct_safe_to_free_again))
