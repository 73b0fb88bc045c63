/* The PJL back-channel parser (src/core/pjl/pjl_status.c) against the
 * reply formats of HP's PJL Technical Reference Manual (chapter 7, status
 * readback; chapter 5, job status). Replies fed whole, split at every byte
 * boundary and one byte at a time give the same events; garbage, cut and
 * oversized replies and numbers beyond 32 bits are counted, never
 * delivered as something they are not. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/pjl/pjl.h"
#include "portway/error.h"
#include "test.h"

/* Every event as one line of text, so runs compare with strcmp. */
typedef struct evlog {
  char text[16384];
  size_t len;
  unsigned n;
} evlog;

static void on_event(void *ctx, const pw_pjl_event *ev) {
  evlog *l = ctx;
  char line[2048];
  switch (ev->kind) {
  case PW_PJL_EV_DEVICE:
  case PW_PJL_EV_TIMED:
  case PW_PJL_EV_STATUS:
    snprintf(line, sizeof line, "%s code=%lu online=%d display=[%s]\n",
             pw_pjl_event_name(ev->kind), (unsigned long)ev->code, ev->online,
             ev->display);
    break;
  case PW_PJL_EV_JOB_START:
  case PW_PJL_EV_JOB_END:
  case PW_PJL_EV_JOB_CANCELED:
    snprintf(line, sizeof line,
             "%s name=[%s] pages=%s%lu id=%s%lu result=[%s]\n",
             pw_pjl_event_name(ev->kind), ev->name, ev->has_pages ? "" : "-",
             (unsigned long)ev->pages, ev->has_id ? "" : "-",
             (unsigned long)ev->id, ev->result);
    break;
  case PW_PJL_EV_PAGE:
  case PW_PJL_EV_PAGECOUNT:
    snprintf(line, sizeof line, "%s %lu\n", pw_pjl_event_name(ev->kind),
             (unsigned long)ev->number);
    break;
  case PW_PJL_EV_ID:
  case PW_PJL_EV_CONFIG:
  case PW_PJL_EV_ECHO:
    snprintf(line, sizeof line, "%s [%s]\n", pw_pjl_event_name(ev->kind),
             ev->text);
    break;
  }
  size_t n = strlen(line);
  if (n < sizeof l->text - l->len) {
    memcpy(l->text + l->len, line, n + 1);
    l->len += n;
  }
  l->n++;
}

typedef struct run {
  evlog l;
  uint64_t events, unknown, malformed, skipped;
} run;

/* Feed s[0..n) in pieces: cut at `first`, then every `piece` bytes. */
static void feed(run *r, const char *s, size_t n, size_t first, size_t piece) {
  memset(r, 0, sizeof *r);
  static pw_pjl_parser p; /* 4 KB: not on the stack of every caller */
  pw_pjl_parser_init(&p, on_event, &r->l);
  size_t at = 0, len = first;
  while (at < n) {
    if (len > n - at)
      len = n - at;
    pw_pjl_parser_feed(&p, s + at, len);
    at += len;
    len = piece;
  }
  r->events = p.events;
  r->unknown = p.unknown;
  r->malformed = p.malformed;
  r->skipped = p.skipped;
}

static int same_run(const run *a, const run *b) {
  return strcmp(a->l.text, b->l.text) == 0 && a->events == b->events &&
         a->unknown == b->unknown && a->malformed == b->malformed &&
         a->skipped == b->skipped;
}

/* The stream of a two-page job, with the replies HP's manual shows. */
static const char job_stream[] =
    "@PJL ECHO portway 17\r\n\f"
    "@PJL INFO STATUS\r\nCODE=10001\r\nDISPLAY=\"00 READY\"\r\n"
    "ONLINE=TRUE\r\n\f"
    "@PJL USTATUS JOB\r\nSTART\r\nNAME=\"PW1-17 report.pdf\"\r\n\f"
    "@PJL USTATUS PAGE\r\n1\r\n\f"
    "@PJL USTATUS DEVICE\r\nCODE=40021\r\nDISPLAY=\"12 PRINTER OPEN\"\r\n"
    "ONLINE=FALSE\r\n\f"
    "@PJL USTATUS DEVICE\r\nCODE=10001\r\nDISPLAY=\"00 READY\"\r\n"
    "ONLINE=TRUE\r\n\f"
    "@PJL USTATUS PAGE\r\n2\r\n\f"
    "@PJL USTATUS JOB\r\nEND\r\nNAME=\"PW1-17 report.pdf\"\r\nPAGES=2\r\n"
    "ID=346\r\nRESULT=OK\r\n\f"
    "@PJL USTATUS TIMED\r\nCODE=10006\r\nDISPLAY=\"16 TONER LOW\"\r\n"
    "ONLINE=TRUE\r\n\f"
    "@PJL USTATUS JOB\r\nCANCELED\r\nNAME=\"PW1-18\"\r\nID=347\r\n"
    "RESULT=USER_CANCELED\r\n\f"
    "@PJL INFO ID\r\n\"HP LaserJet 4\"\r\n\f"
    "@PJL INFO PAGECOUNT\r\nPAGECOUNT=183933\r\n\f"
    "@PJL INFO PAGECOUNT\r\n 12345 \r\n\f"
    "@PJL INFO CONFIG\r\nIN TRAYS [3 ENUMERATED]\r\n\tINTRAY1 MP\r\n"
    "\tINTRAY2 PC\r\n\tINTRAY3 LC\r\nMEMORY=2097152\r\n"
    "DISPLAY LINES=1\r\nDISPLAY CHARACTER SIZE=16\r\n\f";

static const char job_events[] =
    "echo [portway 17]\n"
    "status code=10001 online=1 display=[00 READY]\n"
    "job-start name=[PW1-17 report.pdf] pages=-0 id=-0 result=[]\n"
    "page 1\n"
    "device code=40021 online=0 display=[12 PRINTER OPEN]\n"
    "device code=10001 online=1 display=[00 READY]\n"
    "page 2\n"
    "job-end name=[PW1-17 report.pdf] pages=2 id=346 result=[OK]\n"
    "timed code=10006 online=1 display=[16 TONER LOW]\n"
    "job-canceled name=[PW1-18] pages=-0 id=347 result=[USER_CANCELED]\n"
    "id [HP LaserJet 4]\n"
    "pagecount 183933\n"
    "pagecount 12345\n"
    "config [IN TRAYS [3 ENUMERATED]\n\tINTRAY1 MP\n\tINTRAY2 PC\n"
    "\tINTRAY3 LC\nMEMORY=2097152\nDISPLAY LINES=1\n"
    "DISPLAY CHARACTER SIZE=16]\n";

TEST(every_reply_kind_gives_its_event) {
  run r;
  feed(&r, job_stream, sizeof job_stream - 1, sizeof job_stream, 0);
  ASSERT_STREQ(r.l.text, job_events);
  ASSERT_EQ(r.events, 14);
  ASSERT_EQ(r.unknown, 0);
  ASSERT_EQ(r.malformed, 0);
  ASSERT_EQ(r.skipped, 0);
}

TEST(replies_split_at_every_byte_boundary_give_identical_events) {
  size_t n = sizeof job_stream - 1;
  run whole, r;
  feed(&whole, job_stream, n, n, n);
  for (size_t cut = 0; cut <= n; cut++) {
    feed(&r, job_stream, n, cut, n);
    ASSERT(same_run(&whole, &r));
  }
  feed(&r, job_stream, n, 1, 1); /* one byte at a time */
  ASSERT(same_run(&whole, &r));
  for (size_t piece = 2; piece < 40; piece++) {
    feed(&r, job_stream, n, piece, piece);
    ASSERT(same_run(&whole, &r));
  }
}

/* s with every "\r\n" turned into `eol`. */
static size_t with_eol(const char *s, const char *eol, char *out, size_t cap) {
  size_t o = 0, el = strlen(eol);
  for (; *s && o + 2 < cap; s++) {
    if (s[0] == '\r' && s[1] == '\n') {
      memcpy(out + o, eol, el);
      o += el;
      s++;
    } else {
      out[o++] = *s;
    }
  }
  out[o] = '\0';
  return o;
}

TEST(lf_only_and_cr_only_line_ends_read_the_same) {
  char s[sizeof job_stream];
  run r;
  size_t n = with_eol(job_stream, "\n", s, sizeof s);
  feed(&r, s, n, n, n);
  ASSERT_STREQ(r.l.text, job_events);
  n = with_eol(job_stream, "\r", s, sizeof s);
  feed(&r, s, n, 3, 7);
  ASSERT_STREQ(r.l.text, job_events);
  ASSERT_EQ(r.malformed, 0);
}

/* PostScript chatter (no FF); a stray FF, CR LF, NUL and half a prefix;
 * a lower-case prefix (HP: "@PJL" is upper case) */
#define JUNK1 "\0\0\0%%[ status: idle ]%%\r\n"
#define JUNK2 "\f\r\n\0@@PJ"
#define JUNK3 "@pjl ustatus page\r\n4\r\n\f"

TEST(garbage_between_replies_is_skipped_and_counted) {
  static const char s[] =
      JUNK1 "@PJL USTATUS DEVICE\r\nCODE=10001\r\nONLINE=TRUE\r\n\f" JUNK2
            "@PJL USTATUS PAGE\r\n3\r\n\f" JUNK3;
  run r;
  feed(&r, s, sizeof s - 1, 1, 1);
  ASSERT_STREQ(r.l.text, "device code=10001 online=1 display=[]\npage 3\n");
  ASSERT_EQ(r.skipped, sizeof JUNK1 + sizeof JUNK2 + sizeof JUNK3 - 3);
  ASSERT_EQ(r.malformed, 0);
  run w;
  feed(&w, s, sizeof s - 1, sizeof s, 0);
  ASSERT(same_run(&r, &w));
}

TEST(keywords_are_case_insensitive_and_blanks_are_tolerated) {
  static const char s[] =
      "@PJL ustatus Device \r\n code = 40022 \r\ndisplay=\"13 JAM\"\r\n"
      "Online=false\r\n\f"
      "@PJL USTATUS JOB\r\n end \r\nname=\"x\"\r\npages= 7\r\n\f";
  run r;
  feed(&r, s, sizeof s - 1, 5, 5);
  ASSERT_STREQ(r.l.text, "device code=40022 online=0 display=[13 JAM]\n"
                         "job-end name=[x] pages=7 id=-0 result=[]\n");
}

TEST(text_is_printable_ascii_whatever_the_printer_sends) {
  /* a localized display in UTF-8 and in Roman-8, ESC, DEL, a NUL */
  static const char s[] = "@PJL USTATUS DEVICE\r\nCODE=10002\r\n"
                          "DISPLAY=\"Pr\xc3\xaat \xcc \x1b[0m\x7f\"\r\n"
                          "ONLINE=TRUE\0\r\n\f";
  run r;
  feed(&r, s, sizeof s - 1, sizeof s, 0);
  ASSERT_STREQ(r.l.text,
               "device code=10002 online=1 display=[Pr??t ? ?[0m?]\n");
}

TEST(a_reply_cut_short_by_the_next_one_is_malformed_and_the_next_stands) {
  static const char s[] = "@PJL USTATUS DEVICE\r\nCODE=400" /* no FF */
                          "\r\n@PJL USTATUS DEVICE\r\nCODE=40022\r\n\f";
  run r;
  feed(&r, s, sizeof s - 1, 1, 1);
  ASSERT_STREQ(r.l.text, "device code=40022 online=-1 display=[]\n");
  ASSERT_EQ(r.malformed, 1);
  /* a channel reset drops a reply in progress */
  static pw_pjl_parser p;
  evlog l = {0};
  pw_pjl_parser_init(&p, on_event, &l);
  pw_pjl_parser_feed(&p, "@PJL USTATUS PAGE\r\n", 19);
  pw_pjl_parser_reset(&p);
  pw_pjl_parser_feed(&p, "5\r\n\f@PJL USTATUS PAGE\r\n6\r\n\f", 27);
  ASSERT_STREQ(l.text, "page 6\n");
  ASSERT_EQ(p.malformed, 1);
  ASSERT_EQ(p.skipped, 4);
}

/* A reply of exactly `size` bytes before its FF: INFO CONFIG padded with
 * MEMORY lines. */
static size_t config_reply(char *out, size_t size) {
  size_t n = (size_t)snprintf(out, size + 1, "@PJL INFO CONFIG\r\n");
  for (; n < size; n++)
    out[n] = n % 20 == 19 ? '\n' : 'M';
  out[n++] = '\f';
  return n;
}

TEST(an_oversized_reply_is_dropped_to_its_form_feed) {
  static char s[3 * PW_PJL_MSG_MAX];
  size_t n = config_reply(s, PW_PJL_MSG_MAX); /* the most that is kept */
  run r;
  feed(&r, s, n, n, n);
  ASSERT_EQ(r.events, 1);
  ASSERT_EQ(r.malformed, 0);
  n = config_reply(s, PW_PJL_MSG_MAX + 1); /* one byte more */
  memcpy(s + n, "@PJL USTATUS PAGE\r\n9\r\n\f", 23);
  feed(&r, s, n + 23, 100, 100);
  ASSERT_STREQ(r.l.text, "page 9\n");
  ASSERT_EQ(r.malformed, 1);
  ASSERT_EQ(r.skipped, 0);
  /* no FF at all, then a "@PJL" line: the next reply is found */
  n = config_reply(s, 2 * PW_PJL_MSG_MAX) - 1;
  memcpy(s + n, "\r\n@PJL USTATUS PAGE\r\n8\r\n\f", 25);
  feed(&r, s, n + 25, 1, 1);
  ASSERT_STREQ(r.l.text, "page 8\n");
  ASSERT_EQ(r.malformed, 1);
  run w;
  feed(&w, s, n + 25, n + 25, 0);
  ASSERT(same_run(&r, &w));
  /* a "@PJL" line that begins just as the buffer fills is still found */
  for (size_t pad = PW_PJL_MSG_MAX - 6; pad <= PW_PJL_MSG_MAX + 1; pad++) {
    n = (size_t)snprintf(s, sizeof s, "@PJL INFO CONFIG\r\n");
    while (n < pad)
      s[n++] = 'M';
    memcpy(s + n, "\r\n@PJL USTATUS PAGE\r\n1\r\n\f", 25);
    feed(&r, s, n + 25, 1, 1);
    ASSERT_STREQ(r.l.text, "page 1\n");
    ASSERT_EQ(r.malformed, 1);
  }
}

TEST(numbers_beyond_32_bits_or_not_numbers_are_refused) {
  static const struct {
    const char *reply, *events;
    unsigned malformed;
  } cases[] = {
      {"@PJL USTATUS DEVICE\r\nCODE=4294967295\r\n\f",
       "device code=4294967295 online=-1 display=[]\n", 0},
      {"@PJL USTATUS DEVICE\r\nCODE=4294967296\r\n\f", "", 1},
      {"@PJL USTATUS DEVICE\r\nCODE=99999999999999999999999\r\n\f", "", 1},
      {"@PJL USTATUS DEVICE\r\nCODE=-1\r\n\f", "", 1},
      {"@PJL USTATUS DEVICE\r\nCODE=100 01\r\n\f", "", 1},
      {"@PJL USTATUS DEVICE\r\nCODE=\r\n\f", "", 1},
      {"@PJL USTATUS DEVICE\r\nDISPLAY=\"no code\"\r\n\f", "", 1},
      {"@PJL INFO STATUS\r\n\f", "", 1},
      {"@PJL USTATUS PAGE\r\n4294967296\r\n\f", "", 1},
      {"@PJL USTATUS PAGE\r\n\f", "", 1},
      {"@PJL INFO PAGECOUNT\r\nPAGECOUNT=1e6\r\n\f", "", 1},
      {"@PJL INFO PAGECOUNT\r\nPAGES=12\r\n\f", "", 1},
      {"@PJL INFO ID\r\n\r\n\f", "", 1},
      {"@PJL USTATUS JOB\r\nNAME=\"x\"\r\n\f", "", 1},
      /* an optional field that does not parse is left out */
      {"@PJL USTATUS JOB\r\nEND\r\nPAGES=4294967296\r\nID=x\r\n\f",
       "job-end name=[] pages=-0 id=-0 result=[]\n", 0},
      /* the first CODE counts */
      {"@PJL USTATUS DEVICE\r\nCODE=10001\r\nCODE=40022\r\n\f",
       "device code=10001 online=-1 display=[]\n", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    run r;
    size_t n = strlen(cases[i].reply);
    feed(&r, cases[i].reply, n, n, n);
    if (strcmp(r.l.text, cases[i].events) != 0 ||
        r.malformed != cases[i].malformed)
      fprintf(stderr, "  case %zu: [%s] malformed %llu\n", i, r.l.text,
              (unsigned long long)r.malformed);
    ASSERT_STREQ(r.l.text, cases[i].events);
    ASSERT_EQ(r.malformed, cases[i].malformed);
  }
}

TEST(replies_of_other_kinds_are_counted_and_ignored) {
  static const char s[] =
      "@PJL INFO USTATUS\r\nDEVICE=ON [3 ENUMERATED]\r\n\tOFF\r\n\f"
      "@PJL INFO VARIABLES\r\nCOPIES=1 [2 RANGE]\r\n\f"
      "@PJL USTATUS FOO\r\nCODE=10001\r\n\f"
      "@PJL\r\n\f"
      "@PJLX USTATUS DEVICE\r\nCODE=10001\r\n\f"
      "@PJL ECHO\r\n\f";
  run r;
  feed(&r, s, sizeof s - 1, 2, 3);
  ASSERT_STREQ(r.l.text, "echo []\n");
  ASSERT_EQ(r.unknown, 5);
  ASSERT_EQ(r.malformed, 0);
}

TEST(page_number_may_follow_the_keyword_on_its_line) {
  static const char s[] = "@PJL USTATUS PAGE 12\r\n\f";
  run r;
  feed(&r, s, sizeof s - 1, sizeof s, 0);
  ASSERT_STREQ(r.l.text, "page 12\n");
}

TEST(a_config_value_is_read_from_the_top_level_lines) {
  char text[] = "IN TRAYS [3 ENUMERATED]\n\tINTRAY1 MP\n\tMEMORY=1\n"
                "MEMORY = 2097152 \nDISPLAY LINES=1\nDUPLEX";
  char v[16];
  ASSERT_EQ(pw_pjl_config_value(text, "memory", v, sizeof v), PW_OK);
  ASSERT_STREQ(v, "2097152");
  ASSERT_EQ(pw_pjl_config_value(text, "DISPLAY LINES", v, sizeof v), PW_OK);
  ASSERT_STREQ(v, "1");
  ASSERT_EQ(pw_pjl_config_value(text, "DISPLAY", v, sizeof v), PW_ENOENT);
  ASSERT_EQ(pw_pjl_config_value(text, "DUPLEX", v, sizeof v), PW_ENOENT);
  ASSERT_EQ(pw_pjl_config_value(text, "INTRAY1 MP", v, sizeof v), PW_ENOENT);
  ASSERT_EQ(pw_pjl_config_value(text, "MEMORY", v, 7), PW_ENOBUFS);
  ASSERT_EQ(pw_pjl_config_value(text, "MEMORY", v, 8), PW_OK);
  ASSERT_EQ(pw_pjl_config_value(NULL, "MEMORY", v, 8), PW_EINVAL);
}

TEST(event_names_are_stable) {
  ASSERT_STREQ(pw_pjl_event_name(PW_PJL_EV_DEVICE), "device");
  ASSERT_STREQ(pw_pjl_event_name(PW_PJL_EV_JOB_END), "job-end");
  ASSERT_STREQ(pw_pjl_event_name(PW_PJL_EV_ECHO), "echo");
  ASSERT_STREQ(pw_pjl_event_name((pw_pjl_event_kind)99), "?");
}

TEST(a_parser_without_a_callback_still_counts) {
  static pw_pjl_parser p;
  pw_pjl_parser_init(&p, NULL, NULL);
  pw_pjl_parser_feed(&p, job_stream, sizeof job_stream - 1);
  pw_pjl_parser_feed(&p, NULL, 0);
  ASSERT_EQ(p.events, 14);
}

TEST_MAIN(
    TEST_ENTRY(every_reply_kind_gives_its_event),
    TEST_ENTRY(replies_split_at_every_byte_boundary_give_identical_events),
    TEST_ENTRY(lf_only_and_cr_only_line_ends_read_the_same),
    TEST_ENTRY(garbage_between_replies_is_skipped_and_counted),
    TEST_ENTRY(keywords_are_case_insensitive_and_blanks_are_tolerated),
    TEST_ENTRY(text_is_printable_ascii_whatever_the_printer_sends),
    TEST_ENTRY(
        a_reply_cut_short_by_the_next_one_is_malformed_and_the_next_stands),
    TEST_ENTRY(an_oversized_reply_is_dropped_to_its_form_feed),
    TEST_ENTRY(numbers_beyond_32_bits_or_not_numbers_are_refused),
    TEST_ENTRY(replies_of_other_kinds_are_counted_and_ignored),
    TEST_ENTRY(page_number_may_follow_the_keyword_on_its_line),
    TEST_ENTRY(a_config_value_is_read_from_the_top_level_lines),
    TEST_ENTRY(event_names_are_stable),
    TEST_ENTRY(a_parser_without_a_callback_still_counts))
