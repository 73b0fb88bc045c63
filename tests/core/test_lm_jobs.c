/* The language monitor's core (portway/langmon.h): PJL framing of jobs over
 * a port monitor in memory (support/lmfix.h), pass-through, the bytes
 * WritePort reports, handles and options. Status and the back channel are
 * test_lm_status.c's. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lmfix.h"
#include "test.h"

/* The exact bytes of a framed job named "<tag>-1 report". */
static int framed_as(const lmfix_pm *pm, const char *doc_bytes, size_t n) {
  const char *w = (const char *)pm->written;
  /* The tag is random per port: read it from the header. */
  const char *nm = memmem(w, pm->wlen, "@PJL JOB NAME=\"", 15);
  if (!nm)
    return 0;
  const char *q = memchr(nm + 15, '"', pm->wlen - (size_t)(nm + 15 - w));
  if (!q)
    return 0;
  char name[128];
  snprintf(name, sizeof name, "%.*s", (int)(q - nm - 15), nm + 15);
  char want[4096];
  int len = snprintf(want, sizeof want,
                     "\x1b%%-12345X@PJL USTATUS JOB=ON\r\n"
                     "@PJL USTATUS DEVICE=ON\r\n"
                     "@PJL JOB NAME=\"%s\"\r\n",
                     name);
  if (len < 0 || (size_t)len + n + 64 > sizeof want)
    return 0;
  memcpy(want + len, doc_bytes, n);
  len += (int)n;
  len += snprintf(want + len, sizeof want - (size_t)len,
                  "\x1b%%-12345X@PJL EOJ NAME=\"%s\"\r\n\x1b%%-12345X", name);
  if (pm->wlen != (size_t)len || memcmp(w, want, (size_t)len) != 0) {
    fprintf(stderr, "  got %zu bytes, want %d\n", pm->wlen, len);
    return 0;
  }
  return strncmp(name, "PW", 2) == 0 && strstr(name, "-1 report") != NULL;
}

TEST(a_job_is_framed_exactly_and_only_its_bytes_are_counted) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "status=false\n", "Office"));
  ASSERT_EQ(pw_lm_start_doc(f.h, "Office", 7, "report", NULL), PW_OK);
  size_t w = 99;
  ASSERT_EQ(pw_lm_write(f.h, "hello ", 6, &w), PW_OK);
  ASSERT_EQ(w, 6u); /* the header went out too, but is not counted */
  ASSERT_EQ(pw_lm_write(f.h, "world", 5, &w), PW_OK);
  ASSERT_EQ(w, 5u);
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  ASSERT(framed_as(f.pm, "hello world", 11));
  ASSERT_EQ(f.pm->starts, 1);
  ASSERT_EQ(f.pm->ends, 1);
  ASSERT_EQ(f.seen.n_done, 1);
  ASSERT_EQ(f.seen.confirmed[0], 0); /* status=false: nobody confirms */
  ASSERT_EQ(f.seen.jobs[0], 7u);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  ASSERT_EQ(f.pm->closes, 1);
  lmfix_done(&f);
}

TEST(a_hostile_document_name_cannot_break_the_pjl_command) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "status=false", NULL));
  ASSERT_EQ(
      lmfix_print(f.h, 1, "a\"\r\n@PJL RDYMSG DISPLAY=\"x\x1b", "d", 1, 1),
      PW_OK);
  const char *w = (const char *)f.pm->written;
  /* One JOB line, one EOJ line, no injected command, no raw quote. */
  ASSERT(memmem(w, f.pm->wlen, "RDYMSG", 6) != NULL); /* as text in the name */
  ASSERT(memmem(w, f.pm->wlen, "\r\n@PJL RDYMSG", 13) == NULL);
  const char *nm = memmem(w, f.pm->wlen, "NAME=\"", 6);
  ASSERT(nm != NULL);
  const char *q = memchr(nm + 6, '"', 200);
  ASSERT(q != NULL);
  for (const char *c = nm + 6; c < q; c++)
    ASSERT(*c >= 0x20 && *c < 0x7f);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(a_document_that_starts_with_a_uel_passes_through_unless_told) {
  static const char doc[] = "\x1b%-12345X@PJL ENTER LANGUAGE=PCL\r\nDATA";
  for (int wrap = 0; wrap < 2; wrap++) {
    lmfix_seen seen;
    pw_lm *lm = lmfix_lm(&seen);
    lmfix_pm *pm = lmfix_pm_new();
    pw_lm_port_options o =
        lmfix_opts(wrap ? "status=false\nwrap_uel=true" : "status=false");
    pw_lm_lower lo = lmfix_lower(pm);
    pw_handle h;
    ASSERT_EQ(pw_lm_open(lm, "PW1:", NULL, &o, &lo, &h), PW_OK);
    /* One byte at a time: the UEL test decides across writes. */
    ASSERT_EQ(lmfix_print(h, 3, "report", doc, sizeof doc - 1, 1), PW_OK);
    if (wrap)
      ASSERT(framed_as(pm, doc, sizeof doc - 1));
    else
      ASSERT(pm->wlen == sizeof doc - 1 &&
             memcmp(pm->written, doc, sizeof doc - 1) == 0);
    ASSERT_EQ(pw_lm_close(h), PW_OK);
    pw_lm_destroy(lm);
    lmfix_pm_free(pm);
  }
}

TEST(a_short_document_that_looks_like_a_uel_start_is_framed) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "status=false", NULL));
  ASSERT_EQ(lmfix_print(f.h, 3, "report", "\x1b%-1", 4, 4), PW_OK);
  ASSERT(framed_as(f.pm, "\x1b%-1", 4));
  f.pm->wlen = 0;
  ASSERT_EQ(lmfix_print(f.h, 4, "report", "", 0, 1), PW_OK); /* empty job */
  ASSERT(memmem(f.pm->written, f.pm->wlen, "@PJL EOJ", 8) != NULL);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(framing_off_passes_every_byte_unchanged) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "framing=false\n", NULL));
  ASSERT_EQ(lmfix_print(f.h, 3, "report", "plain", 5, 2), PW_OK);
  ASSERT_EQ(f.pm->wlen, 5u);
  ASSERT(memcmp(f.pm->written, "plain", 5) == 0);
  ASSERT_EQ(f.pm->reads, 0); /* no status reader without framing */
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(a_failed_write_below_fails_the_job_and_counts_nothing) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "status=false", NULL));
  /* Small writes are gathered: the failure shows when they go out, at
   * EndDocPort at the latest, and the job is not done. */
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 0, "x", NULL), PW_OK);
  size_t w = 0;
  ASSERT_EQ(pw_lm_write(f.h, "abc", 3, &w), PW_OK);
  f.pm->write_fail = PW_ECONNRESET;
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_ECONNRESET);
  ASSERT_EQ(f.seen.n_done, 0);
  /* A write too big to gather fails at once, counts nothing, and poisons
   * the job. */
  f.pm->write_fail = PW_OK;
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 0, "y", NULL), PW_OK);
  static unsigned char big[300000];
  ASSERT_EQ(pw_lm_write(f.h, big, sizeof big, &w), PW_OK); /* header decided */
  f.pm->write_fail = PW_ECONNRESET;
  ASSERT_EQ(pw_lm_write(f.h, big, sizeof big, &w), PW_ECONNRESET);
  ASSERT_EQ(w, 0u);
  f.pm->write_fail = PW_OK;
  ASSERT_EQ(pw_lm_write(f.h, "ghi", 3, &w), PW_EIO); /* poisoned */
  ASSERT(pw_lm_end_doc(f.h) != PW_OK);
  ASSERT_EQ(f.seen.n_done, 0);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(the_spoolers_small_writes_reach_the_port_monitor_gathered) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "status=false", NULL));
  static unsigned char doc[600000];
  for (size_t i = 0; i < sizeof doc; i++)
    doc[i] = (unsigned char)('a' + i % 26);
  ASSERT_EQ(lmfix_print(f.h, 1, "big", doc, sizeof doc, 4096), PW_OK);
  ASSERT(f.pm->writes <= 4); /* 147 WritePorts became 256 KB writes */
  ASSERT(memmem(f.pm->written, f.pm->wlen, doc, sizeof doc) != NULL);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(bad_stale_and_double_closed_handles_are_rejected) {
  lmfix_seen seen;
  pw_lm *lm = lmfix_lm(&seen);
  lmfix_pm *pm = lmfix_pm_new();
  pw_lm_port_options o = lmfix_opts(NULL);
  pw_lm_lower lo = lmfix_lower(pm);
  pw_handle h;
  size_t w;
  ASSERT_EQ(pw_lm_write(0, "x", 1, &w), PW_EBADHANDLE);
  ASSERT_EQ(pw_lm_start_doc((pw_handle)0xdeadbeefcafeULL, NULL, 0, "x", NULL),
            PW_EBADHANDLE);
  ASSERT_EQ(pw_lm_open(lm, "PW1:", NULL, &o, &lo, &h), PW_OK);
  ASSERT_EQ(pw_lm_close(h), PW_OK);
  ASSERT_EQ(pm->closes, 1);
  ASSERT_EQ(pw_lm_close(h), PW_EBADHANDLE);
  ASSERT_EQ(pw_lm_end_doc(h), PW_EBADHANDLE);
  ASSERT_EQ(pw_lm_write(h, "x", 1, &w), PW_EBADHANDLE);
  ASSERT_EQ(pm->closes, 1); /* the port monitor's port closed exactly once */
  /* A failed open still closes what it was given. */
  pw_lm_lower half = lmfix_lower(pm);
  half.write = NULL;
  ASSERT_EQ(pw_lm_open(lm, "PW2:", NULL, &o, &half, &h), PW_EINVAL);
  ASSERT_EQ(pm->closes, 2);
  pw_lm_destroy(lm);
  lmfix_pm_free(pm);
}

TEST(shutdown_closes_every_open_port_once) {
  lmfix_seen seen;
  pw_lm *lm = lmfix_lm(&seen);
  lmfix_pm *pm[3];
  pw_handle h[3];
  pw_lm_port_options o = lmfix_opts("poll_ms=50");
  for (int i = 0; i < 3; i++) {
    pm[i] = lmfix_pm_new();
    pw_lm_lower lo = lmfix_lower(pm[i]);
    ASSERT_EQ(pw_lm_open(lm, "PW1:", NULL, &o, &lo, &h[i]), PW_OK);
  }
  ASSERT_EQ(pw_lm_start_doc(h[1], NULL, 0, "mid-job", NULL),
            PW_OK); /* a reader */
  pw_lm_destroy(lm);
  for (int i = 0; i < 3; i++) {
    ASSERT_EQ(pm[i]->closes, 1);
    ASSERT_EQ(pw_lm_close(h[i]), PW_EBADHANDLE);
    lmfix_pm_free(pm[i]);
  }
}

TEST(options_parse_and_refuse_with_a_reason) {
  pw_lm_port_options o;
  char why[128];
  ASSERT_EQ(pw_lm_port_options_parse(NULL, &o, why, sizeof why), PW_OK);
  ASSERT(o.framing && o.status && !o.wrap_uel && !o.page_status);
  ASSERT_EQ(o.eoj_wait_ms, PW_LM_DEFAULT_EOJ_WAIT_MS);
  ASSERT_EQ(pw_lm_port_options_parse("framing = false\r\n# note\n timed=30\n"
                                     "eoj_wait=5\npoll_ms=50\npage_status=1",
                                     &o, why, sizeof why),
            PW_OK);
  ASSERT(!o.framing && o.timed == 30 && o.eoj_wait_ms == 5000 &&
         o.poll_ms == 50 && o.page_status);
  static const char *const bad[] = {"timed=4",     "timed=301", "poll_ms=10",
                                    "framing=yes", "colour=1",  "eoj_wait=-1",
                                    "noequals"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ASSERT_EQ(pw_lm_port_options_parse(bad[i], &o, why, sizeof why),
              PW_EBADCONFIG);
    ASSERT(strstr(why, "line 1: ") == why);
    ASSERT(o.framing == 1); /* the defaults, not half of the text */
  }
}

TEST_MAIN(
    TEST_ENTRY(a_job_is_framed_exactly_and_only_its_bytes_are_counted),
    TEST_ENTRY(a_hostile_document_name_cannot_break_the_pjl_command),
    TEST_ENTRY(a_document_that_starts_with_a_uel_passes_through_unless_told),
    TEST_ENTRY(a_short_document_that_looks_like_a_uel_start_is_framed),
    TEST_ENTRY(framing_off_passes_every_byte_unchanged),
    TEST_ENTRY(a_failed_write_below_fails_the_job_and_counts_nothing),
    TEST_ENTRY(the_spoolers_small_writes_reach_the_port_monitor_gathered),
    TEST_ENTRY(bad_stale_and_double_closed_handles_are_rejected),
    TEST_ENTRY(shutdown_closes_every_open_port_once),
    TEST_ENTRY(options_parse_and_refuse_with_a_reason))
