/* Output filename patterns and sanitization (portway/pattern.h). */
#include <limits.h>

#include "portway/config.h"
#include "portway/error.h"
#include "portway/pattern.h"
#include "test.h"

static pw_pattern_vars sample_vars(void) {
  pw_pattern_vars v;
  memset(&v, 0, sizeof v);
  v.job_id = 42;
  v.doc = "report";
  v.user = "alice";
  v.machine = "\\\\WS01";
  v.printer = "Lab Printer";
  v.port = "PW1:";
  v.year = 2026;
  v.month = 11;
  v.day = 4;
  v.hour = 9;
  v.minute = 5;
  v.second = 7;
  return v;
}

static char out[PW_MAX_FILENAME + 1];

/* Expand with only the document name varying. */
static const char *expand_doc(const char *pattern, const char *doc,
                              unsigned attempt) {
  pw_pattern_vars v = sample_vars();
  v.doc = doc;
  int rc = pw_pattern_expand(pattern, &v, attempt, out, sizeof out);
  CHECK_OR_RETURN(rc == PW_OK, NULL);
  CHECK_OR_RETURN(pw_filename_is_safe(out), NULL);
  return out;
}

static const char *sanitize(const char *in) {
  static char buf[PW_MAX_COMPONENT + 1];
  pw_sanitize_component(in, buf, sizeof buf, PW_MAX_COMPONENT);
  return buf;
}

static int invalid(const char *pattern) {
  char err[128] = "";
  int rc = pw_pattern_validate(pattern, err, sizeof err);
  if (rc != PW_EBADCONFIG)
    fprintf(stderr, "  pattern \"%s\" gave %d\n", pattern, rc);
  CHECK_OR_RETURN(rc == PW_EBADCONFIG, 0);
  CHECK_OR_RETURN(err[0] != '\0', 0);
  return 1;
}

/* ---- validation ---- */

TEST(validate_accepts_default_and_every_token) {
  ASSERT_EQ(pw_pattern_validate(PW_DEFAULT_PATTERN, NULL, 0), PW_OK);
  ASSERT_EQ(pw_pattern_validate("{job}{doc}{user}{machine}.{printer}", NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_pattern_validate("{port}{date}{time}{year}{month}{day}{hour}"
                                "{minute}{second}{n}",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_pattern_validate("{{literal}} braces.prn", NULL, 0), PW_OK);
  ASSERT_EQ(pw_pattern_validate("out.prn", NULL, 0), PW_OK);
  ASSERT_EQ(pw_pattern_validate("caf\xc3\xa9-{job}", NULL, 0), PW_OK);
}

TEST(validate_rejects_unknown_tokens_and_unbalanced_braces) {
  ASSERT(invalid("{nope}.prn"));
  ASSERT(invalid("{DOC}.prn"));
  ASSERT(invalid("{}.prn"));
  ASSERT(invalid("{doc.prn"));
  ASSERT(invalid("doc}.prn"));
  ASSERT(invalid("{do{c}}.prn"));
  ASSERT(invalid("{"));
  ASSERT(invalid("}"));
  ASSERT(invalid("{{doc}}}"));
}

TEST(validate_rejects_separators_and_forbidden_characters) {
  ASSERT(invalid("../{doc}"));
  ASSERT(invalid("a/b"));
  ASSERT(invalid("a\\b"));
  ASSERT(invalid("C:{doc}"));
  ASSERT(invalid("a<b"));
  ASSERT(invalid("a>b"));
  ASSERT(invalid("a\"b"));
  ASSERT(invalid("a|b"));
  ASSERT(invalid("a?b"));
  ASSERT(invalid("a*b"));
  ASSERT(invalid("a\tb"));
  ASSERT(invalid("a\x7f"));
  ASSERT(invalid("a\xc2\x85")); /* U+0085 NEL */
}

TEST(validate_rejects_names_windows_would_alter) {
  ASSERT(invalid(""));
  ASSERT(invalid("."));
  ASSERT(invalid(".."));
  ASSERT(invalid(".{doc}"));
  ASSERT(invalid(" {doc}"));
  ASSERT(invalid("{doc}."));
  ASSERT(invalid("{doc} "));
  ASSERT(invalid("{doc}.prn."));
}

TEST(validate_rejects_invalid_utf8) {
  ASSERT(invalid("a\xff.prn"));
  ASSERT(invalid("a\xc3"));
  ASSERT(invalid("\xed\xa0\x80"));
}

TEST(validate_rejects_patterns_that_could_expand_too_long) {
  /* Text values share what is left of PW_MAX_FILENAME; each must still get
   * at least a few bytes. 30 x {doc} leaves 188 / 30 = 6 bytes each. */
  char many[PW_MAX_PATTERN + 1] = "";
  for (int i = 0; i < 30; i++)
    strcat(many, "{doc}");
  ASSERT(invalid(many));
  /* 190 literal bytes + prefix + "-N" suffix leave no room for {doc}. */
  char lit[PW_MAX_PATTERN + 1];
  memset(lit, 'a', 190);
  strcpy(lit + 190, "{doc}");
  ASSERT(invalid(lit));
  /* Literal text alone beyond PW_MAX_FILENAME, or beyond PW_MAX_PATTERN. */
  memset(lit, 'a', 195);
  lit[195] = '\0';
  ASSERT(invalid(lit));
  char long_literal[PW_MAX_PATTERN + 2];
  memset(long_literal, 'a', sizeof long_literal - 1);
  long_literal[sizeof long_literal - 1] = '\0';
  ASSERT(invalid(long_literal));
  ASSERT_EQ(pw_pattern_validate(NULL, NULL, 0), PW_EINVAL);
}

/* ---- expansion ---- */

TEST(expand_default_pattern) {
  pw_pattern_vars v = sample_vars();
  ASSERT_EQ(pw_pattern_expand(PW_DEFAULT_PATTERN, &v, 1, out, sizeof out),
            PW_OK);
  ASSERT_STREQ(out, "20261104-090507-job42-report.prn");
}

TEST(expand_every_token) {
  pw_pattern_vars v = sample_vars();
  ASSERT_EQ(pw_pattern_expand("{year}{month}{day}_{hour}{minute}{second}_"
                              "{user}_{machine}_{printer}_{port}_{job}_{n}",
                              &v, 3, out, sizeof out),
            PW_OK);
  ASSERT_STREQ(out, "20261104_090507_alice___WS01_Lab Printer_PW1__42_3");
}

TEST(expand_literal_braces) {
  ASSERT_STREQ(expand_doc("{{{doc}}}.prn", "x", 1), "{x}.prn");
}

TEST(expand_missing_values_become_unknown) {
  pw_pattern_vars v;
  memset(&v, 0, sizeof v);
  ASSERT_EQ(pw_pattern_expand("{doc}-{user}-{machine}-{printer}-{port}-{job}",
                              &v, 1, out, sizeof out),
            PW_OK);
  ASSERT_STREQ(out, "unknown-unknown-unknown-unknown-unknown-0");
}

TEST(expand_clamps_out_of_range_time_fields) {
  pw_pattern_vars v = sample_vars();
  v.year = 123456;
  v.month = -3;
  v.second = 1000;
  ASSERT_EQ(pw_pattern_expand("{date}{second}", &v, 1, out, sizeof out), PW_OK);
  ASSERT_STREQ(out, "99990004"
                    "99");
}

TEST(expand_collision_inserts_counter_before_last_extension) {
  ASSERT_STREQ(expand_doc("{doc}.prn", "a", 1), "a.prn");
  ASSERT_STREQ(expand_doc("{doc}.prn", "a", 2), "a-2.prn");
  ASSERT_STREQ(expand_doc("{doc}.prn", "a", 10), "a-10.prn");
  ASSERT_STREQ(expand_doc("{doc}", "report.pdf", 2), "report-2.pdf");
  ASSERT_STREQ(expand_doc("{doc}.tar.gz", "x", 3), "x.tar-3.gz");
  ASSERT_STREQ(expand_doc("out", NULL, 2), "out-2");
}

TEST(expand_with_n_uses_attempt_number_and_no_suffix) {
  ASSERT_STREQ(expand_doc("job-{n}.prn", "x", 1), "job-1.prn");
  ASSERT_STREQ(expand_doc("job-{n}.prn", "x", 3), "job-3.prn");
  ASSERT_STREQ(expand_doc("{n}{n}", "x", 12), "1212");
}

TEST(expand_rejects_bad_arguments) {
  pw_pattern_vars v = sample_vars();
  ASSERT_EQ(pw_pattern_expand("{bad}", &v, 1, out, sizeof out), PW_EBADCONFIG);
  ASSERT_EQ(pw_pattern_expand("x", &v, 0, out, sizeof out), PW_EINVAL);
  ASSERT_EQ(pw_pattern_expand("x", NULL, 1, out, sizeof out), PW_EINVAL);
  ASSERT_EQ(pw_pattern_expand("x", &v, 1, NULL, 10), PW_EINVAL);
  ASSERT_EQ(pw_pattern_expand("x", &v, 1, out, 0), PW_EINVAL);
}

TEST(expand_into_small_buffer_fails_instead_of_truncating) {
  pw_pattern_vars v = sample_vars();
  char small[8];
  memset(small, 'z', sizeof small);
  ASSERT_EQ(pw_pattern_expand("{doc}.prn", &v, 1, small, sizeof small),
            PW_ENAMETOOLONG);
  ASSERT_EQ(small[0], '\0');
  char exact[11]; /* "report.prn" + NUL */
  ASSERT_EQ(pw_pattern_expand("{doc}.prn", &v, 1, exact, sizeof exact), PW_OK);
  ASSERT_STREQ(exact, "report.prn");
}

TEST(expand_worst_case_fits_pw_max_filename) {
  char big[1000];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  pw_pattern_vars v = sample_vars();
  v.doc = v.user = big;
  v.job_id = UINT32_MAX;
  const char *p = "{doc}{user}{job}{date}{time}-{year}{month}{day}.prn";
  ASSERT_EQ(pw_pattern_validate(p, NULL, 0), PW_OK);
  ASSERT_EQ(pw_pattern_expand(p, &v, UINT_MAX, out, sizeof out), PW_OK);
  ASSERT(strlen(out) <= PW_MAX_FILENAME);
  ASSERT(pw_filename_is_safe(out));
}

TEST(text_values_share_the_filename_budget) {
  char big[1000];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  pw_pattern_vars v = sample_vars();
  v.doc = v.user = v.machine = v.printer = v.port = big;
  /* Two values: 64 bytes each (PW_MAX_COMPONENT). */
  ASSERT_EQ(pw_pattern_expand("{doc}-{user}", &v, 1, out, sizeof out), PW_OK);
  ASSERT_EQ(strlen(out), 2 * PW_MAX_COMPONENT + 1);
  /* Three: (200 - 1 prefix - 11 suffix) / 3 = 62 bytes each. */
  ASSERT_EQ(pw_pattern_expand("{doc}{user}{machine}", &v, 1, out, sizeof out),
            PW_OK);
  ASSERT_EQ(strlen(out), 3 * 62);
  /* Five with 4 separators: (200 - 1 - 11 - 4) / 5 = 36 bytes each. */
  ASSERT_EQ(pw_pattern_expand("{doc}-{user}-{machine}-{printer}-{port}", &v, 2,
                              out, sizeof out),
            PW_OK);
  ASSERT_EQ(strlen(out), 5 * 36 + 4 + 2);
  ASSERT(pw_filename_is_safe(out));
}

/* ---- hostile values ---- */

TEST(doc_name_path_traversal_stays_one_file_name) {
  ASSERT_STREQ(expand_doc("{doc}", "../../etc/passwd", 1), "_.._etc_passwd");
  ASSERT_STREQ(expand_doc("{doc}", "..\\..\\x", 1), "_.._x");
  ASSERT_STREQ(expand_doc("{doc}", "C:\\Windows\\x", 1), "C__Windows_x");
  ASSERT_STREQ(expand_doc("{doc}", "\\\\server\\share\\f", 1),
               "__server_share_f");
  ASSERT_STREQ(expand_doc("{doc}", "/", 1), "_");
  ASSERT_STREQ(expand_doc("{doc}", "..", 1), "_");
  ASSERT_STREQ(expand_doc("{doc}", ".", 1), "_");
  ASSERT_STREQ(expand_doc("{doc}", "", 1), "_");
  ASSERT_STREQ(expand_doc("{doc}.prn", "..", 2), "_-2.prn");
}

TEST(doc_name_reserved_devices_are_prefixed) {
  ASSERT_STREQ(expand_doc("{doc}", "CON", 1), "_CON");
  ASSERT_STREQ(expand_doc("{doc}", "NUL", 1), "_NUL");
  ASSERT_STREQ(expand_doc("{doc}", "com1.txt", 1), "_com1.txt");
  ASSERT_STREQ(expand_doc("{doc}", "nul .txt", 1), "_nul .txt");
  ASSERT_STREQ(expand_doc("{doc}", "aux...", 1), "_aux");
  ASSERT_STREQ(expand_doc("{doc}", "Lpt9", 1), "_Lpt9");
  ASSERT_STREQ(expand_doc("{doc}", "CONOUT$", 1), "_CONOUT$");
  ASSERT_STREQ(expand_doc("{doc}", "conin$.log", 1), "_conin$.log");
  ASSERT_STREQ(expand_doc("{doc}", "COM\xc2\xb9", 1), "_COM\xc2\xb9");
  ASSERT_STREQ(expand_doc("{doc}", "COM0", 1), "_COM0");
}

TEST(names_that_only_resemble_devices_are_kept) {
  ASSERT_STREQ(expand_doc("{doc}", "COM10", 1), "COM10");
  ASSERT_STREQ(expand_doc("{doc}", "CONSOLE", 1), "CONSOLE");
  ASSERT_STREQ(expand_doc("{doc}", "NULL.txt", 1), "NULL.txt");
  ASSERT_STREQ(expand_doc("{doc}", "xnul", 1), "xnul");
  ASSERT_STREQ(expand_doc("{doc}", "COM\xc2\xb4", 1), "COM\xc2\xb4");
}

TEST(expanded_name_that_spells_a_device_is_prefixed) {
  ASSERT_STREQ(expand_doc("COM{n}", NULL, 1), "_COM1");
  ASSERT_STREQ(expand_doc("COM{n}.prn", NULL, 9), "_COM9.prn");
  ASSERT_STREQ(expand_doc("COM{n}", NULL, 10), "COM10");
  ASSERT_STREQ(expand_doc("NUL", NULL, 1), "_NUL");
  ASSERT_STREQ(expand_doc("{doc}{user}", "NU", 1), "NUalice");
  pw_pattern_vars v = sample_vars();
  v.doc = "CO";
  v.user = "n.txt";
  ASSERT_EQ(pw_pattern_expand("{doc}{user}", &v, 1, out, sizeof out), PW_OK);
  ASSERT_STREQ(out, "_COn.txt");
}

TEST(control_characters_and_invalid_utf8_are_replaced) {
  ASSERT_STREQ(sanitize("a\tb\nc\rd"), "a_b_c_d");
  ASSERT_STREQ(sanitize("a\x7f"
                        "b"),
               "a_b");
  ASSERT_STREQ(sanitize("a\xc2\x85"
                        "b"),
               "a_b");
  ASSERT_STREQ(sanitize("a\xff"
                        "b"),
               "a_b");
  ASSERT_STREQ(sanitize("a\xe2\x82"), "a__");
  ASSERT_STREQ(sanitize("\xc0\xaf"), "__");
  ASSERT_STREQ(sanitize("\xed\xa0\x80x"), "___x");
  ASSERT_STREQ(sanitize("x:y<z>\"|?*"), "x_y_z_____");
}

TEST(leading_and_trailing_dots_and_spaces_are_stripped) {
  ASSERT_STREQ(sanitize("  . report. . ."), "report");
  ASSERT_STREQ(sanitize(".bashrc"), "bashrc");
  ASSERT_STREQ(sanitize("a . b"), "a . b");
  ASSERT_STREQ(sanitize(" . "), "_");
}

TEST(sanitize_null_gives_unknown) {
  ASSERT_STREQ(sanitize(NULL), "unknown");
}

TEST(long_values_are_bounded_without_splitting_utf8) {
  char doc[600];
  memset(doc, 'a', sizeof doc - 1);
  doc[sizeof doc - 1] = '\0';
  ASSERT_EQ(strlen(sanitize(doc)), PW_MAX_COMPONENT);
  /* 63 x 'a' + 2-byte char = 65 bytes: the char does not fit whole. */
  memset(doc, 'a', 63);
  strcpy(doc + 63, "\xc3\xa9");
  ASSERT_EQ(strlen(sanitize(doc)), 63);
  /* 4-byte sequence at the boundary: 60 + 4 = 64 fits, 61 + 4 does not. */
  memset(doc, 'a', 61);
  strcpy(doc + 60, "\xf0\x9f\x98\x80");
  ASSERT_EQ(strlen(sanitize(doc)), 64);
  memset(doc, 'a', 61);
  strcpy(doc + 61, "\xf0\x9f\x98\x80");
  ASSERT_EQ(strlen(sanitize(doc)), 61);
  memset(doc, 'a', 62);
  strcpy(doc + 62, "\xf0\x9f\x98\x80zz");
  ASSERT_EQ(strlen(sanitize(doc)), 62);
}

TEST(truncation_never_leaves_a_trailing_dot_or_space) {
  char doc[100];
  memset(doc, 'a', 63);
  strcpy(doc + 63, ".xyz"); /* cut right after the dot */
  ASSERT_EQ(strlen(sanitize(doc)), 63);
  memset(doc, 'a', 62);
  strcpy(doc + 62, " .rest");
  ASSERT_EQ(strlen(sanitize(doc)), 62);
}

TEST(sanitize_bounds_by_the_smaller_of_cap_and_max) {
  char buf[5];
  pw_sanitize_component("abcdefgh", buf, sizeof buf, 100);
  ASSERT_STREQ(buf, "abcd");
  pw_sanitize_component("abcdefgh", buf, sizeof buf, 2);
  ASSERT_STREQ(buf, "ab");
  pw_sanitize_component("CON.txt", buf, sizeof buf, 4);
  ASSERT_STREQ(buf, "_CON");
  pw_sanitize_component("COM1", buf, sizeof buf, 4);
  ASSERT_STREQ(buf, "_COM");
  pw_sanitize_component("AUX", buf, sizeof buf, 3);
  ASSERT_STREQ(buf, "_AU");
  pw_sanitize_component("...", buf, sizeof buf, 1);
  ASSERT_STREQ(buf, "_");
  pw_sanitize_component("nul.txt", buf, 6, 5);
  ASSERT_STREQ(buf, "_nul");
}

/* ---- pw_filename_is_safe ---- */

TEST(filename_is_safe_accepts_ordinary_names) {
  ASSERT(pw_filename_is_safe("report.prn"));
  ASSERT(pw_filename_is_safe("a"));
  ASSERT(pw_filename_is_safe("20261124-job7-caf\xc3\xa9.prn"));
  ASSERT(pw_filename_is_safe("{x} (copy).ps"));
  ASSERT(pw_filename_is_safe("_CON"));
}

TEST(filename_is_safe_rejects_everything_sanitize_would_change) {
  const char *bad[] = {"",       ".",           "..",   "../x",    "a/b",
                       "a\\b",   "C:x",         "a\tb", " a",      "a ",
                       "a.",     ".a",          "CON",  "con.txt", "nul .prn",
                       "COM1",   "LPT\xc2\xb2", "a*b",  "a\xff",   "a\xc2\x80",
                       "CONIN$", "a?",          "a|b",  "\"q\""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (pw_filename_is_safe(bad[i]))
      fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
    ASSERT(!pw_filename_is_safe(bad[i]));
  }
  ASSERT(!pw_filename_is_safe(NULL));
}

TEST(filename_is_safe_bounds_length) {
  char name[PW_MAX_FILENAME + 2];
  memset(name, 'a', PW_MAX_FILENAME);
  name[PW_MAX_FILENAME] = '\0';
  ASSERT(pw_filename_is_safe(name));
  name[PW_MAX_FILENAME] = 'a';
  name[PW_MAX_FILENAME + 1] = '\0';
  ASSERT(!pw_filename_is_safe(name));
}

TEST(filename_is_safe_agrees_with_sanitize) {
  /* A name is safe exactly when sanitizing leaves it unchanged. */
  const char *samples[] = {"report.prn",
                           "../x",
                           "CON",
                           "a.",
                           " a",
                           "ok name",
                           "caf\xc3\xa9",
                           "a\xff",
                           "COM10",
                           "LPT1.x",
                           "x:y",
                           "_",
                           ".",
                           "a..b",
                           "..a",
                           "\xe2\x80\xae"
                           "gpj.exe"};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    char buf[PW_MAX_FILENAME + 1];
    pw_sanitize_component(samples[i], buf, sizeof buf, PW_MAX_FILENAME);
    int unchanged = strcmp(buf, samples[i]) == 0;
    ASSERT_EQ(pw_filename_is_safe(samples[i]), unchanged);
    ASSERT(pw_filename_is_safe(buf));
  }
}

TEST_MAIN(TEST_ENTRY(validate_accepts_default_and_every_token),
          TEST_ENTRY(validate_rejects_unknown_tokens_and_unbalanced_braces),
          TEST_ENTRY(validate_rejects_separators_and_forbidden_characters),
          TEST_ENTRY(validate_rejects_names_windows_would_alter),
          TEST_ENTRY(validate_rejects_invalid_utf8),
          TEST_ENTRY(validate_rejects_patterns_that_could_expand_too_long),
          TEST_ENTRY(expand_default_pattern), TEST_ENTRY(expand_every_token),
          TEST_ENTRY(expand_literal_braces),
          TEST_ENTRY(expand_missing_values_become_unknown),
          TEST_ENTRY(expand_clamps_out_of_range_time_fields),
          TEST_ENTRY(expand_collision_inserts_counter_before_last_extension),
          TEST_ENTRY(expand_with_n_uses_attempt_number_and_no_suffix),
          TEST_ENTRY(expand_rejects_bad_arguments),
          TEST_ENTRY(expand_into_small_buffer_fails_instead_of_truncating),
          TEST_ENTRY(expand_worst_case_fits_pw_max_filename),
          TEST_ENTRY(text_values_share_the_filename_budget),
          TEST_ENTRY(doc_name_path_traversal_stays_one_file_name),
          TEST_ENTRY(doc_name_reserved_devices_are_prefixed),
          TEST_ENTRY(names_that_only_resemble_devices_are_kept),
          TEST_ENTRY(expanded_name_that_spells_a_device_is_prefixed),
          TEST_ENTRY(control_characters_and_invalid_utf8_are_replaced),
          TEST_ENTRY(leading_and_trailing_dots_and_spaces_are_stripped),
          TEST_ENTRY(sanitize_null_gives_unknown),
          TEST_ENTRY(long_values_are_bounded_without_splitting_utf8),
          TEST_ENTRY(truncation_never_leaves_a_trailing_dot_or_space),
          TEST_ENTRY(sanitize_bounds_by_the_smaller_of_cap_and_max),
          TEST_ENTRY(filename_is_safe_accepts_ordinary_names),
          TEST_ENTRY(filename_is_safe_rejects_everything_sanitize_would_change),
          TEST_ENTRY(filename_is_safe_bounds_length),
          TEST_ENTRY(filename_is_safe_agrees_with_sanitize))
