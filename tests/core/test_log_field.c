/* portway — values from outside in log lines: pw_log_field escapes a
 * document, user or printer name so it cannot end its field or its line;
 * pw_log_config_text puts a port's configuration on one readable line. */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "logfix.h"
#include "memstore.h"
#include "portway/error.h"
#include "test.h"

/* ---- values from outside in a log field (pw_log_field) ---- */

TEST(field_passes_plain_text_and_utf8_unchanged) {
  char buf[PW_LOG_FIELD_MAX];
  ASSERT_STREQ(pw_log_field(buf, sizeof buf, "Report 2026.pdf"),
               "Report 2026.pdf");
  ASSERT_STREQ(pw_log_field(buf, sizeof buf,
                            "caf\xc3\xa9 \xe2\x82\xac "
                            "\xf0\x9f\x96\xa8"),
               "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\xa8");
  ASSERT_STREQ(pw_log_field(buf, sizeof buf, ""), "");
}

TEST(field_escapes_quotes_backslashes_and_control_characters) {
  char buf[PW_LOG_FIELD_MAX];
  ASSERT_STREQ(pw_log_field(buf, sizeof buf, "a\"b\\c\nd\re\tf\x01g\x1fh\x7f"),
               "a\\\"b\\\\c\\nd\\re\\tf\\x01g\\x1fh\\x7f");
}

TEST(field_escapes_invalid_utf8_bytes_as_hex) {
  char buf[PW_LOG_FIELD_MAX];
  /* stray continuation, overlong '/', truncated sequence at the end */
  ASSERT_STREQ(pw_log_field(buf, sizeof buf,
                            "a\x80"
                            "b\xc0\xaf"
                            "c\xe2\x82"),
               "a\\x80b\\xc0\\xafc\\xe2\\x82");
}

TEST(field_escapes_c1_controls_and_unicode_line_separators) {
  char buf[PW_LOG_FIELD_MAX];
  /* U+0085 NEL, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR */
  ASSERT_STREQ(pw_log_field(buf, sizeof buf,
                            "a\xc2\x85"
                            "b\xe2\x80\xa8"
                            "c\xe2\x80\xa9"),
               "a\\u0085b\\u2028c\\u2029");
}

TEST(field_of_null_is_unknown) {
  char buf[PW_LOG_FIELD_MAX];
  ASSERT_STREQ(pw_log_field(buf, sizeof buf, NULL), "(unknown)");
  ASSERT_STREQ(pw_log_field(NULL, 10, "x"), "");
  ASSERT_STREQ(pw_log_field(buf, 0, "x"), "");
}

TEST(field_is_bounded_and_marks_the_cut) {
  char buf[16];
  memset(buf, 'Z', sizeof buf);
  /* 12 + NUL fit exactly: no cut */
  ASSERT_STREQ(pw_log_field(buf, 13, "abcdefghijkl"), "abcdefghijkl");
  ASSERT_EQ(buf[13], 'Z');
  ASSERT_STREQ(pw_log_field(buf, 13, "abcdefghijklm"), "abcdefghi...");
  ASSERT_EQ(buf[13], 'Z');
  /* never half an escape or half a character */
  ASSERT_STREQ(pw_log_field(buf, 13, "abcdefgh\nijkl"), "abcdefgh...");
  ASSERT_STREQ(pw_log_field(buf, 13, "abcdefg\xc3\xa9\xc3\xa9\xc3\xa9"),
               "abcdefg\xc3\xa9...");
  ASSERT_STREQ(pw_log_field(buf, 3, "abcdef"), "");
  ASSERT_STREQ(pw_log_field(buf, 3, "ab"), "ab");
}

TEST(field_is_bounded_for_every_cap_and_input_byte) {
  char in[64], buf[40];
  for (int b = 0; b < 256; b++) {
    memset(in, b ? b : 'a', sizeof in - 1);
    in[sizeof in - 1] = '\0';
    for (size_t cap = 1; cap < sizeof buf; cap++) {
      memset(buf, 'Z', sizeof buf);
      pw_log_field(buf, cap, in);
      ASSERT(strlen(buf) < cap);
      ASSERT(buf[cap - 1] == '\0' || memchr(buf, '\0', cap) != NULL);
      for (size_t i = cap; i < sizeof buf; i++)
        ASSERT_EQ(buf[i], 'Z');
    }
  }
}

/* A reader of a log line of key=value and key="escaped value" fields,
 * separated by single spaces. Returns how many fields it read (at most
 * max), each key and unescaped value in keys[i] / vals[i]; -1 if the line
 * does not parse. */
enum { FIELD_TEXT = 128 };
static int read_fields(const char *p, char keys[][FIELD_TEXT],
                       char vals[][FIELD_TEXT], int max) {
  int n = 0;
  while (*p && *p != '\n') {
    if (n == max)
      return -1;
    size_t k = 0, v = 0;
    while (*p && *p != '=' && *p != ' ' && k + 1 < FIELD_TEXT)
      keys[n][k++] = *p++;
    keys[n][k] = '\0';
    if (*p++ != '=')
      return -1;
    if (*p == '"') {
      for (p++; *p != '"'; p++) {
        if (!*p || *p == '\n' || v + 1 >= FIELD_TEXT)
          return -1;
        char c = *p;
        if (c == '\\') {
          c = *++p;
          if (c == 'n')
            c = '\n';
          else if (c == 'r')
            c = '\r';
          else if (c == 't')
            c = '\t';
          else if (c == 'x' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], 0};
            c = (char)strtol(hex, NULL, 16);
            p += 2;
          } else if (c != '"' && c != '\\')
            return -1;
        }
        vals[n][v++] = c;
      }
      p++;
    } else {
      while (*p && *p != ' ' && *p != '\n' && v + 1 < FIELD_TEXT)
        vals[n][v++] = *p++;
    }
    vals[n][v] = '\0';
    n++;
    if (*p == ' ')
      p++;
  }
  return n;
}

/* The defect: a document name that tries to add a field and a line. */
TEST(document_name_cannot_forge_a_field_or_a_line) {
  static const char hostile[] = "x\" user=mallory\nport=FAKE";
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  char doc[PW_LOG_FIELD_MAX], user[PW_LOG_FIELD_MAX];
  pw_log_write(log, PW_LOG_INFO, "port=PW1: job=7 doc=\"%s\" user=\"%s\"",
               pw_log_field(doc, sizeof doc, hostile),
               pw_log_field(user, sizeof user, "alice"));
  pw_log_close(log);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT(text);
  int lines = count_lines(text);
  int off = message_offset(text, "INFO");
  char keys[8][FIELD_TEXT], vals[8][FIELD_TEXT];
  int n = off > 0 ? read_fields(text + off, keys, vals, 8) : -1;
  int exact = off > 0 &&
              strcmp(text + off, "port=PW1: job=7 doc=\"x\\\" user=mallory\\n"
                                 "port=FAKE\" user=\"alice\"\n") == 0;
  free(text);
  ASSERT_EQ(lines, 1);
  ASSERT(exact);
  ASSERT_EQ(n, 4); /* port, job, doc, user: nothing forged */
  ASSERT_STREQ(keys[0], "port");
  ASSERT_STREQ(vals[0], "PW1:");
  ASSERT_STREQ(keys[2], "doc");
  ASSERT_STREQ(vals[2], hostile); /* and read back exactly */
  ASSERT_STREQ(keys[3], "user");
  ASSERT_STREQ(vals[3], "alice");
}

TEST(unescaped_document_name_would_forge_a_field) {
  /* The same reader on the line as it was written before pw_log_field:
   * the reader is able to see the forgery this defect was about. */
  static const char before[] =
      "port=PW1: job=7 doc=\"x\" user=mallory\\nport=FAKE\" user=\"alice\"";
  char keys[8][FIELD_TEXT], vals[8][FIELD_TEXT];
  int n = read_fields(before, keys, vals, 8);
  ASSERT(n != 4 || strcmp(vals[3], "alice") != 0);
}

/* ---- a port's configuration on one line (pw_log_config_text) ---- */

TEST(config_text_lines_are_joined_with_semicolons) {
  char buf[PW_LOG_FIELD_MAX];
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf,
                                  "uri=file:///C:/Print/Out\n"
                                  "pattern={printer}-{job}.prn\n"),
               "uri=file:///C:/Print/Out; pattern={printer}-{job}.prn");
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf, "a=1\r\n\r\nb=2"),
               "a=1; b=2");
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf, "a=1"), "a=1");
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf, "\n\n"), "");
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf, NULL), "(unknown)");
}

TEST(config_text_values_cannot_pose_as_keys_or_lines) {
  char buf[PW_LOG_FIELD_MAX];
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf,
                                  "uri=file:///x; pattern=evil\n"
                                  "pattern=\"q\"\x01\xff\n"),
               "uri=file:///x\\x3b pattern=evil; pattern=\\\"q\\\"\\x01\\xff");
}

TEST(config_text_is_bounded_and_marks_the_cut) {
  char buf[12];
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf, "a=1\nb=2\nc=3\n"),
               "a=1; b=2...");
  ASSERT_STREQ(pw_log_config_text(buf, sizeof buf, "a=1\nb=2\nc\n"),
               "a=1; b=2; c");
}
TEST_MAIN(TEST_ENTRY(field_passes_plain_text_and_utf8_unchanged),
          TEST_ENTRY(field_escapes_quotes_backslashes_and_control_characters),
          TEST_ENTRY(field_escapes_invalid_utf8_bytes_as_hex),
          TEST_ENTRY(field_escapes_c1_controls_and_unicode_line_separators),
          TEST_ENTRY(field_of_null_is_unknown),
          TEST_ENTRY(field_is_bounded_and_marks_the_cut),
          TEST_ENTRY(field_is_bounded_for_every_cap_and_input_byte),
          TEST_ENTRY(document_name_cannot_forge_a_field_or_a_line),
          TEST_ENTRY(unescaped_document_name_would_forge_a_field),
          TEST_ENTRY(config_text_lines_are_joined_with_semicolons),
          TEST_ENTRY(config_text_values_cannot_pose_as_keys_or_lines),
          TEST_ENTRY(config_text_is_bounded_and_marks_the_cut))
