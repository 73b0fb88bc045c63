/* PJL job framing (src/core/pjl/pjl_frame.c) against HP's PJL Technical
 * Reference Manual: the job's header and trailer byte for byte, the job
 * name (tag and sequence first, then the document name made safe for a
 * quoted PJL string of at most 80 characters), the buffer contract, and
 * the UEL detector fed one byte at a time. */
#include <stdint.h>
#include <string.h>

#include "core/pjl/pjl.h"
#include "portway/error.h"
#include "test.h"

#define UEL "\x1b%-12345X"

/* The name for doc with tag "PW1", sequence 7, or "" on failure. */
static const char *name_of(const char *doc, char *buf, size_t cap) {
  if (pw_pjl_job_name(buf, cap, NULL, "PW1", 7, doc) != PW_OK)
    buf[0] = '\0';
  return buf;
}

TEST(a_framed_job_is_these_exact_bytes) {
  char name[PW_PJL_NAME_MAX + 1];
  size_t needed = 0xdeadbeef;
  ASSERT_EQ(pw_pjl_job_name(name, sizeof name, &needed, "PW1", 42,
                            "Quarterly report.pdf"),
            PW_OK);
  ASSERT_STREQ(name, "PW1-42 Quarterly report.pdf");
  ASSERT_EQ(needed, strlen(name) + 1);

  static const char want_head[] =
      UEL "@PJL USTATUS JOB=ON\r\n"
          "@PJL USTATUS DEVICE=ON\r\n"
          "@PJL USTATUS PAGE=ON\r\n"
          "@PJL USTATUS TIMED=30\r\n"
          "@PJL INFO STATUS\r\n"
          "@PJL JOB NAME=\"PW1-42 Quarterly report.pdf\"\r\n";
  static const char want_tail[] =
      UEL "@PJL EOJ NAME=\"PW1-42 Quarterly report.pdf\"\r\n" UEL;
  char out[PW_PJL_HEADER_MAX];
  size_t len = 0xdeadbeef;
  pw_pjl_job_opts o = {name, PW_PJL_USTATUS_PAGE | PW_PJL_INFO_STATUS, 30};
  ASSERT_EQ(pw_pjl_job_header(&o, out, sizeof out, &len), PW_OK);
  ASSERT_EQ(len, sizeof want_head - 1);
  ASSERT(memcmp(out, want_head, len) == 0);
  ASSERT_EQ(pw_pjl_job_trailer(name, out, sizeof out, &len), PW_OK);
  ASSERT_EQ(len, sizeof want_tail - 1);
  ASSERT(memcmp(out, want_tail, len) == 0);
}

TEST(the_plain_header_switches_on_job_and_device_status_only) {
  static const char want[] = UEL "@PJL USTATUS JOB=ON\r\n"
                                 "@PJL USTATUS DEVICE=ON\r\n"
                                 "@PJL JOB NAME=\"PW1-1\"\r\n";
  char out[PW_PJL_HEADER_MAX];
  size_t len = 0;
  pw_pjl_job_opts o = {"PW1-1", 0, 0};
  ASSERT_EQ(pw_pjl_job_header(&o, out, sizeof out, &len), PW_OK);
  ASSERT_EQ(len, sizeof want - 1);
  ASSERT(memcmp(out, want, len) == 0);
}

TEST(a_short_buffer_is_told_the_size_and_never_written_past) {
  pw_pjl_job_opts o = {"PW1-9 a.txt", PW_PJL_USTATUS_PAGE, 5};
  char big[PW_PJL_HEADER_MAX];
  size_t full = 0;
  ASSERT_EQ(pw_pjl_job_header(&o, big, sizeof big, &full), PW_OK);
  char small[PW_PJL_HEADER_MAX + 1];
  for (size_t cap = 0; cap < full; cap++) {
    memset(small, 0x5A, sizeof small);
    size_t len = 0xdeadbeef;
    ASSERT_EQ(pw_pjl_job_header(&o, small, cap, &len), PW_ENOBUFS);
    ASSERT_EQ(len, full);
    for (size_t i = cap; i < sizeof small; i++)
      ASSERT_EQ(small[i], 0x5A);
  }
  size_t len = 0;
  ASSERT_EQ(pw_pjl_job_header(&o, NULL, 0, &len), PW_ENOBUFS); /* sizing */
  ASSERT_EQ(len, full);
  ASSERT_EQ(pw_pjl_job_header(&o, small, full, &len), PW_OK); /* exact */
  ASSERT(memcmp(small, big, full) == 0);
  ASSERT_EQ(small[full], 0x5A);

  ASSERT_EQ(pw_pjl_job_trailer("PW1-9 a.txt", NULL, 0, &len), PW_ENOBUFS);
  ASSERT_EQ(len, 2 * 9 + strlen("@PJL EOJ NAME=\"PW1-9 a.txt\"\r\n"));
  memset(small, 0x5A, sizeof small);
  ASSERT_EQ(pw_pjl_job_trailer("PW1-9 a.txt", small, len - 1, &len),
            PW_ENOBUFS);
  ASSERT_EQ(small[len - 1], 0x5A);
}

TEST(the_largest_header_and_trailer_fit_the_documented_maximum) {
  char name[PW_PJL_NAME_MAX + 1];
  char doc[600];
  memset(doc, 'x', sizeof doc - 1);
  doc[sizeof doc - 1] = '\0';
  ASSERT_EQ(pw_pjl_job_name(name, sizeof name, NULL, "ABCDEFGHIJKLMNOP",
                            UINT32_MAX, doc),
            PW_OK);
  ASSERT_EQ(strlen(name), PW_PJL_NAME_MAX);
  pw_pjl_job_opts o = {name, PW_PJL_USTATUS_PAGE | PW_PJL_INFO_STATUS,
                       PW_PJL_TIMED_MAX};
  char out[PW_PJL_HEADER_MAX];
  size_t len = 0;
  ASSERT_EQ(pw_pjl_job_header(&o, out, sizeof out, &len), PW_OK);
  ASSERT_EQ(pw_pjl_job_trailer(name, out, PW_PJL_TRAILER_MAX, &len), PW_OK);
}

TEST(bad_options_and_names_that_pw_pjl_job_name_could_not_make_are_refused) {
  char out[PW_PJL_HEADER_MAX];
  size_t len = 0;
  pw_pjl_job_opts o = {"PW1-1", 0, 4}; /* HP: TIMED is 5..300 (or 0) */
  ASSERT_EQ(pw_pjl_job_header(&o, out, sizeof out, &len), PW_EINVAL);
  o.timed = 301;
  ASSERT_EQ(pw_pjl_job_header(&o, out, sizeof out, &len), PW_EINVAL);
  o.timed = PW_PJL_TIMED_MIN;
  ASSERT_EQ(pw_pjl_job_header(&o, out, sizeof out, &len), PW_OK);
  ASSERT(strstr(out, "@PJL USTATUS TIMED=5\r\n") != NULL);
  static const char *const bad[] = {"",
                                    "a\"b",
                                    "a\r\nb",
                                    "a\x1b"
                                    "b",
                                    "caf\xc3\xa9",
                                    "a\tb"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    pw_pjl_job_opts b = {bad[i], 0, 0};
    ASSERT_EQ(pw_pjl_job_header(&b, out, sizeof out, &len), PW_EINVAL);
    ASSERT_EQ(pw_pjl_job_trailer(bad[i], out, sizeof out, &len), PW_EINVAL);
  }
  char long_name[PW_PJL_NAME_MAX + 2];
  memset(long_name, 'n', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0'; /* 81 characters */
  ASSERT_EQ(pw_pjl_job_trailer(long_name, out, sizeof out, &len), PW_EINVAL);
  long_name[PW_PJL_NAME_MAX] = '\0'; /* 80 */
  ASSERT_EQ(pw_pjl_job_trailer(long_name, out, sizeof out, &len), PW_OK);
  ASSERT_EQ(pw_pjl_job_header(NULL, out, sizeof out, &len), PW_EINVAL);
  ASSERT_EQ(pw_pjl_job_trailer(NULL, out, sizeof out, &len), PW_EINVAL);
}

TEST(hostile_document_names_cannot_end_the_quoted_name_or_the_line) {
  char b[PW_PJL_NAME_MAX + 1];
  /* '"' would end the PJL string: it becomes '_' */
  ASSERT_STREQ(name_of("say \"hi\"", b, sizeof b), "PW1-7 say _hi_");
  /* CR, LF, FF (ends a back-channel reply), ESC (starts a UEL), TAB, DEL */
  ASSERT_STREQ(name_of("a\r\n@PJL RESET\fb\x1b%-12345Xc\td\x7f", b, sizeof b),
               "PW1-7 a__@PJL RESET_b_%-12345Xc_d_");
  /* one '_' per UTF-8 character: e-acute, a CJK one, an emoji */
  ASSERT_STREQ(
      name_of("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80!", b, sizeof b),
      "PW1-7 caf_ _ _!");
  /* bytes that are not UTF-8: one '_' each */
  ASSERT_STREQ(name_of("x\xff\xc3(y\x80", b, sizeof b), "PW1-7 x__(y_");
  /* empty or no document name: the tag and sequence alone */
  ASSERT_STREQ(name_of("", b, sizeof b), "PW1-7");
  ASSERT_STREQ(name_of(NULL, b, sizeof b), "PW1-7");
  /* what survives is printable ASCII without '"' */
  ASSERT_STREQ(name_of("{}[]\\/ ~`'$%&", b, sizeof b), "PW1-7 {}[]\\/ ~`'$%&");
}

TEST(a_500_character_name_is_cut_to_80_keeping_tag_and_sequence) {
  char doc[501];
  for (size_t i = 0; i < 500; i++)
    doc[i] = (char)('a' + i % 26);
  doc[500] = '\0';
  char b[PW_PJL_NAME_MAX + 1];
  ASSERT_EQ(strlen(name_of(doc, b, sizeof b)), PW_PJL_NAME_MAX);
  ASSERT(strncmp(b, "PW1-7 abcdefghij", 16) == 0);
  /* 500 two-byte characters: the cut counts characters, not bytes */
  char wide[1001];
  for (size_t i = 0; i < 500; i++)
    memcpy(wide + 2 * i, "\xc3\xa9", 2);
  wide[1000] = '\0';
  ASSERT_EQ(strlen(name_of(wide, b, sizeof b)), PW_PJL_NAME_MAX);
  uint32_t seq = 0;
  ASSERT(pw_pjl_job_name_seq(b, "PW1", &seq) && seq == 7);
}

TEST(the_name_buffer_contract_is_exact) {
  char b[PW_PJL_NAME_MAX + 1];
  size_t needed = 0xdeadbeef;
  /* "PW1-7 abc" + NUL = 10 */
  ASSERT_EQ(pw_pjl_job_name(b, 9, &needed, "PW1", 7, "abc"), PW_ENOBUFS);
  ASSERT_EQ(needed, 10);
  ASSERT_EQ(pw_pjl_job_name(b, 10, &needed, "PW1", 7, "abc"), PW_OK);
  ASSERT_STREQ(b, "PW1-7 abc");
  ASSERT_EQ(pw_pjl_job_name(b, 0, &needed, "PW1", 7, NULL), PW_ENOBUFS);
  ASSERT_EQ(needed, 6);
}

TEST(a_tag_is_one_to_sixteen_safe_characters) {
  char b[PW_PJL_NAME_MAX + 1];
  ASSERT_EQ(pw_pjl_job_name(b, sizeof b, NULL, "LPT1:", 0, "x"), PW_OK);
  ASSERT_STREQ(b, "LPT1:-0 x");
  ASSERT_EQ(pw_pjl_job_name(b, sizeof b, NULL, "a_b.C9:ZZZZZZZZZ", 1, ""),
            PW_OK);
  static const char *const bad[] = {"",    "ABCDEFGHIJKLMNOPQ", "a b", "a-b",
                                    "a\"", "\xc3\xa9",          NULL};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ASSERT_EQ(pw_pjl_job_name(b, sizeof b, NULL, bad[i], 1, "x"), PW_EINVAL);
  ASSERT_EQ(pw_pjl_job_name(NULL, 10, NULL, "PW1", 1, "x"), PW_EINVAL);
}

TEST(an_echoed_name_is_matched_to_its_job_by_tag_and_sequence) {
  uint32_t seq = 0xdeadbeef;
  ASSERT(pw_pjl_job_name_seq("PW1-42 report.pdf", "PW1", &seq));
  ASSERT_EQ(seq, 42);
  ASSERT(pw_pjl_job_name_seq("PW1-4294967295", "PW1", &seq));
  ASSERT_EQ(seq, UINT32_MAX);
  ASSERT(!pw_pjl_job_name_seq("PW1-4294967296", "PW1", &seq)); /* 2^32 */
  ASSERT(!pw_pjl_job_name_seq("PW12-42 x", "PW1", &seq));      /* other */
  ASSERT(!pw_pjl_job_name_seq("PW1-42 x", "PW12", &seq));
  ASSERT(!pw_pjl_job_name_seq("PW1- 42", "PW1", &seq));
  ASSERT(!pw_pjl_job_name_seq("PW1-42x", "PW1", &seq));
  ASSERT(!pw_pjl_job_name_seq("PW1", "PW1", &seq));
  ASSERT(!pw_pjl_job_name_seq("JOB 14993", "PW1", &seq));
  ASSERT(!pw_pjl_job_name_seq(NULL, "PW1", &seq));
  ASSERT(!pw_pjl_job_name_seq("PW1-1", "", &seq));
  ASSERT(pw_pjl_job_name_seq("PW1-1", "PW1", NULL));
  /* what pw_pjl_job_name makes always matches back */
  char b[PW_PJL_NAME_MAX + 1];
  ASSERT(pw_pjl_job_name_seq(name_of("a \"b\" \xc3\xa9", b, sizeof b), "PW1",
                             &seq) &&
         seq == 7);
}

TEST(the_uel_detector_decides_when_fed_one_byte_at_a_time) {
  static const char doc[] = UEL "@PJL ENTER LANGUAGE=PCL\r\n";
  pw_pjl_uel_detector d;
  pw_pjl_uel_init(&d);
  for (size_t i = 0; i < PW_PJL_UEL_LEN - 1; i++) {
    ASSERT_EQ(pw_pjl_uel_feed(&d, doc + i, 1), PW_PJL_UEL_UNDECIDED);
    ASSERT_EQ(d.matched, i + 1);
  }
  ASSERT_EQ(pw_pjl_uel_feed(&d, doc + 8, 1), PW_PJL_UEL_PRESENT);
  /* decided: later bytes change nothing */
  ASSERT_EQ(pw_pjl_uel_feed(&d, "zzz", 3), PW_PJL_UEL_PRESENT);
  ASSERT_EQ(pw_pjl_uel_finish(&d), PW_PJL_UEL_PRESENT);

  /* the UEL's first 8 bytes and then something else */
  pw_pjl_uel_init(&d);
  for (size_t i = 0; i < 8; i++)
    ASSERT_EQ(pw_pjl_uel_feed(&d, UEL + i, 1), PW_PJL_UEL_UNDECIDED);
  ASSERT_EQ(pw_pjl_uel_feed(&d, "Y", 1), PW_PJL_UEL_ABSENT);
  ASSERT_EQ(pw_pjl_uel_feed(&d, "X", 1), PW_PJL_UEL_ABSENT);

  /* PostScript: decided at the first byte */
  pw_pjl_uel_init(&d);
  ASSERT_EQ(pw_pjl_uel_feed(&d, "%!PS-Adobe-3.0", 14), PW_PJL_UEL_ABSENT);
  /* an empty write changes nothing; an empty document has no UEL */
  pw_pjl_uel_init(&d);
  ASSERT_EQ(pw_pjl_uel_feed(&d, NULL, 0), PW_PJL_UEL_UNDECIDED);
  ASSERT_EQ(pw_pjl_uel_finish(&d), PW_PJL_UEL_ABSENT);
  /* a document that is only part of a UEL has none */
  pw_pjl_uel_init(&d);
  ASSERT_EQ(pw_pjl_uel_feed(&d, "\x1b%-12", 5), PW_PJL_UEL_UNDECIDED);
  ASSERT_EQ(pw_pjl_uel_finish(&d), PW_PJL_UEL_ABSENT);
  /* a UEL later in the document is not a UEL at its start */
  pw_pjl_uel_init(&d);
  ASSERT_EQ(pw_pjl_uel_feed(&d, "\r\n" UEL, 11), PW_PJL_UEL_ABSENT);
}

/* Feed doc in pieces cut at a and b, holding back undecided bytes as a
 * language monitor would, and rebuild what it passes on. */
static int replay(const char *doc, size_t n, size_t a, size_t b,
                  pw_pjl_uel_state *st, char *passed, size_t *plen) {
  size_t cuts[] = {0, a, b, n};
  pw_pjl_uel_detector d;
  pw_pjl_uel_init(&d);
  *plen = 0;
  for (size_t k = 0; k < 3; k++) {
    size_t held = d.matched;
    pw_pjl_uel_state before = d.state;
    *st = pw_pjl_uel_feed(&d, doc + cuts[k], cuts[k + 1] - cuts[k]);
    if (*st == PW_PJL_UEL_UNDECIDED)
      continue;
    if (before == PW_PJL_UEL_UNDECIDED) {
      memcpy(passed + *plen, PW_PJL_UEL, held); /* what was held back */
      *plen += held;
    }
    memcpy(passed + *plen, doc + cuts[k], cuts[k + 1] - cuts[k]);
    *plen += cuts[k + 1] - cuts[k];
  }
  if (*st == PW_PJL_UEL_UNDECIDED) {
    size_t held = d.matched;
    *st = pw_pjl_uel_finish(&d);
    memcpy(passed + *plen, PW_PJL_UEL, held);
    *plen += held;
  }
  return *plen == n && memcmp(passed, doc, n) == 0;
}

TEST(held_back_bytes_are_exactly_the_uels_prefix_at_every_split) {
  static const char *const docs[] = {UEL "@PJL\r\n", "\x1b%-12345Y...", "\x1b%",
                                     "plain text", UEL};
  static const pw_pjl_uel_state want[] = {PW_PJL_UEL_PRESENT, PW_PJL_UEL_ABSENT,
                                          PW_PJL_UEL_ABSENT, PW_PJL_UEL_ABSENT,
                                          PW_PJL_UEL_PRESENT};
  for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    size_t n = strlen(docs[i]);
    for (size_t a = 0; a <= n; a++) {
      for (size_t b = a; b <= n; b++) {
        char passed[64];
        size_t plen = 0;
        pw_pjl_uel_state st;
        ASSERT(replay(docs[i], n, a, b, &st, passed, &plen));
        ASSERT_EQ(st, want[i]);
      }
    }
  }
}

TEST_MAIN(
    TEST_ENTRY(a_framed_job_is_these_exact_bytes),
    TEST_ENTRY(the_plain_header_switches_on_job_and_device_status_only),
    TEST_ENTRY(a_short_buffer_is_told_the_size_and_never_written_past),
    TEST_ENTRY(the_largest_header_and_trailer_fit_the_documented_maximum),
    TEST_ENTRY(
        bad_options_and_names_that_pw_pjl_job_name_could_not_make_are_refused),
    TEST_ENTRY(hostile_document_names_cannot_end_the_quoted_name_or_the_line),
    TEST_ENTRY(a_500_character_name_is_cut_to_80_keeping_tag_and_sequence),
    TEST_ENTRY(the_name_buffer_contract_is_exact),
    TEST_ENTRY(a_tag_is_one_to_sixteen_safe_characters),
    TEST_ENTRY(an_echoed_name_is_matched_to_its_job_by_tag_and_sequence),
    TEST_ENTRY(the_uel_detector_decides_when_fed_one_byte_at_a_time),
    TEST_ENTRY(held_back_bytes_are_exactly_the_uels_prefix_at_every_split))
