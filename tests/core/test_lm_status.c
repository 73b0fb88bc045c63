/* The language monitor's core: two-way status over a port monitor in memory
 * (support/lmfix.h) — device codes become the port's status and clear
 * again, the end echo completes the right job, and a printer that drops
 * its back channel, never answers, sends garbage or hangs its ReadPort
 * never hangs a spooler call. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lmfix.h"
#include "test.h"

static void sleep_ms(unsigned ms) {
  uint64_t until = pw_time_monotonic_ns() + (uint64_t)ms * 1000000u;
  pw_mutex m;
  pw_cond c;
  pw_mutex_init(&m);
  pw_cond_init(&c);
  pw_mutex_lock(&m);
  while (pw_time_monotonic_ns() < until)
    pw_cond_wait_ms(&c, &m, 10);
  pw_mutex_unlock(&m);
  pw_cond_destroy(&c);
  pw_mutex_destroy(&m);
}

/* Wait (up to 5 s) until the hooks saw n status changes. */
static int wait_status(lmfix_seen *s, int n) {
  for (int i = 0; i < 500; i++) {
    pw_mutex_lock(&s->lock);
    int got = s->n_status;
    pw_mutex_unlock(&s->lock);
    if (got >= n)
      return 1;
    sleep_ms(10);
  }
  return 0;
}

static uint64_t ms_since(uint64_t t0) {
  return (pw_time_monotonic_ns() - t0) / 1000000u;
}

TEST(device_codes_set_the_port_status_and_ready_clears_it) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "poll_ms=50", "Office"));
  f.pm->echo_eoj = 1;
  ASSERT_EQ(pw_lm_start_doc(f.h, "Office", 5, "report", NULL), PW_OK);
  size_t w;
  ASSERT_EQ(pw_lm_write(f.h, "page one\f", 9, &w), PW_OK);
  lmfix_queue(f.pm,
              "@PJL USTATUS DEVICE\r\nCODE=40022\r\nDISPLAY=\"PAPER JAM\"\r\n"
              "ONLINE=FALSE\r\n\f");
  ASSERT(wait_status(&f.seen, 1));
  ASSERT_EQ(f.seen.codes[0], PW_PORT_STATUS_PAPER_JAM);
  ASSERT_EQ(f.seen.sevs[0], PW_PORT_SEVERITY_ERROR);
  ASSERT_STREQ(f.seen.texts[0], "PAPER JAM"); /* the printer's own words */
  lmfix_queue(f.pm,
              "@PJL USTATUS DEVICE\r\nCODE=41300\r\nDISPLAY=\"LOAD PAPER\""
              "\r\nONLINE=FALSE\r\n\f");
  ASSERT(wait_status(&f.seen, 2));
  ASSERT_EQ(f.seen.codes[1], PW_PORT_STATUS_PAPER_OUT);
  lmfix_queue(f.pm, "@PJL USTATUS DEVICE\r\nCODE=10001\r\nDISPLAY=\"READY\"\r\n"
                    "ONLINE=TRUE\r\n\f");
  ASSERT(wait_status(&f.seen, 3));
  ASSERT_EQ(f.seen.codes[2], PW_PORT_STATUS_OK); /* cleared */
  ASSERT_EQ(f.seen.sevs[2], PW_PORT_SEVERITY_NONE);
  /* The same condition twice is reported once (edge-triggered). */
  lmfix_queue(f.pm, "@PJL USTATUS DEVICE\r\nCODE=10001\r\nONLINE=TRUE\r\n\f");
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  ASSERT_EQ(f.seen.n_status, 3);
  ASSERT_EQ(f.seen.n_done, 1);
  ASSERT_EQ(f.seen.confirmed[0], 1);
  ASSERT_EQ(f.seen.pages[0], 2);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(a_condition_still_shown_is_cleared_when_the_port_closes) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "poll_ms=50", NULL));
  f.pm->echo_eoj = 1;
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 0, "x", NULL), PW_OK);
  lmfix_queue(f.pm, "@PJL USTATUS DEVICE\r\nCODE=40021\r\nONLINE=FALSE\r\n\f");
  ASSERT(wait_status(&f.seen, 1));
  ASSERT_EQ(f.seen.codes[0], PW_PORT_STATUS_DOOR_OPEN);
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  ASSERT_EQ(f.seen.n_status, 1); /* kept after the job: still the printer's */
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  ASSERT_EQ(f.seen.n_status, 2);
  ASSERT_EQ(f.seen.codes[1], PW_PORT_STATUS_OK);
  lmfix_done(&f);
}

TEST(the_end_echo_completes_the_right_job_when_jobs_follow_each_other) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "poll_ms=50\neoj_wait=1", NULL));
  /* Job 1: the printer echoes its end. */
  f.pm->echo_eoj = 1;
  ASSERT_EQ(lmfix_print(f.h, 11, "first", "one", 3, 3), PW_OK);
  /* Job 2: the printer repeats job 1's end (late, a second time) and never
   * echoes job 2's: job 2 must not count as confirmed. */
  f.pm->echo_eoj = 0;
  const char *w = (const char *)f.pm->written;
  const char *nm = memmem(w, f.pm->wlen, "@PJL JOB NAME=\"", 15);
  ASSERT(nm != NULL);
  const char *q = memchr(nm + 15, '"', 100);
  char stale[256];
  snprintf(stale, sizeof stale,
           "@PJL USTATUS JOB\r\nEND\r\nNAME=\"%.*s\"\r\nPAGES=9\r\n\f",
           (int)(q - nm - 15), nm + 15);
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 12, "second", NULL), PW_OK);
  lmfix_queue(f.pm, stale);
  size_t wr;
  ASSERT_EQ(pw_lm_write(f.h, "two", 3, &wr), PW_OK);
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  /* Job 3: echoed again. */
  f.pm->echo_eoj = 1;
  ASSERT_EQ(lmfix_print(f.h, 13, "third", "three", 5, 5), PW_OK);
  ASSERT_EQ(f.seen.n_done, 3);
  ASSERT_EQ(f.seen.jobs[0], 11u);
  ASSERT_EQ(f.seen.confirmed[0], 1);
  ASSERT_EQ(f.seen.jobs[1], 12u);
  ASSERT_EQ(f.seen.confirmed[1], 0);
  ASSERT_EQ(f.seen.jobs[2], 13u);
  ASSERT_EQ(f.seen.confirmed[2], 1);
  ASSERT_EQ(f.seen.pages[2], 2);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(a_port_without_back_channel_prints_framed_and_ends_at_once) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "poll_ms=50", NULL)); /* eoj_wait 30 s */
  f.pm->read_fail = PW_ENOTSUP; /* a file port: ReadPort is not supported */
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(lmfix_print(f.h, 4, "report", "data", 4, 4), PW_OK);
  ASSERT(ms_since(t0) < 10000u); /* did not sit out the 30 s wait */
  ASSERT(memmem(f.pm->written, f.pm->wlen, "@PJL EOJ", 8) != NULL);
  ASSERT_EQ(f.seen.n_done, 1);
  ASSERT_EQ(f.seen.confirmed[0], 0);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(a_printer_that_never_answers_costs_eoj_wait_then_the_job_ends) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "poll_ms=50\neoj_wait=1", NULL));
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(lmfix_print(f.h, 4, "report", "data", 4, 4), PW_OK);
  uint64_t took = ms_since(t0);
  ASSERT(took >= 900u && took < 10000u);
  ASSERT_EQ(f.seen.confirmed[0], 0);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(garbage_on_the_back_channel_is_survived) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "poll_ms=50\neoj_wait=2", NULL));
  f.pm->echo_eoj = 1;
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 1, "g", NULL), PW_OK);
  char junk[6000];
  for (size_t i = 0; i < sizeof junk - 1; i++)
    junk[i] = (char)(1 + (i * 131u) % 250u); /* no NUL: a C string */
  junk[sizeof junk - 1] = '\0';
  lmfix_queue(f.pm, junk);
  lmfix_queue(f.pm,
              "@PJL USTATUS DEVICE\r\nCODE=99999999999\r\n\f@PJL USTATUS "
              "DEVICE\r\nCODE=\r\n\f@PJL USTATUS JOB\r\nEND\r\nNAME=\"\r\n");
  lmfix_queue(f.pm,
              "\f@PJL USTATUS DEVICE\r\nCODE=40079\r\nONLINE=FALSE\r\n\f");
  ASSERT(wait_status(&f.seen, 1));
  ASSERT_EQ(f.seen.codes[0], PW_PORT_STATUS_OFFLINE);
  size_t w;
  ASSERT_EQ(pw_lm_write(f.h, "x", 1, &w), PW_OK);
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  ASSERT_EQ(f.seen.confirmed[0], 1); /* the real echo still got through */
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(close_port_while_the_reader_is_blocked_returns_in_bounded_time) {
  lmfix_seen seen;
  pw_lm *lm = lmfix_lm(&seen);
  lmfix_pm *pm = lmfix_pm_new();
  pm->read_hang = 1; /* ReadPort ignores its time-out until ClosePort */
  pw_lm_port_options o = lmfix_opts("poll_ms=50");
  pw_lm_lower lo = lmfix_lower(pm);
  pw_handle h;
  ASSERT_EQ(pw_lm_open(lm, "PW1:", NULL, &o, &lo, &h), PW_OK);
  ASSERT_EQ(pw_lm_start_doc(h, NULL, 1, "blocked", NULL), PW_OK);
  size_t w;
  ASSERT_EQ(pw_lm_write(h, "x", 1, &w), PW_OK);
  sleep_ms(100); /* the reader is inside ReadPort now */
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(pw_lm_close(h), PW_OK); /* no EndDocPort */
  ASSERT(ms_since(t0) < 5000u);
  ASSERT_EQ(pm->closes, 1);
  pw_lm_destroy(lm);
  sleep_ms(200); /* a detached reader ends once ReadPort returned */
  lmfix_pm_free(pm);
}

TEST(the_printers_answers_are_kept_for_bidi) {
  lmfix_port f;
  ASSERT(lmfix_open(&f, "poll_ms=50", NULL));
  f.pm->echo_eoj = 1;
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 1, "q", NULL), PW_OK);
  lmfix_queue(f.pm, "@PJL INFO ID\r\n\"PORTWAY PJLSIM\"\r\n\f"
                    "@PJL INFO PAGECOUNT\r\nPAGECOUNT=1234\r\n\f");
  size_t w;
  ASSERT_EQ(pw_lm_write(f.h, "x", 1, &w), PW_OK);
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  pw_lm_info info;
  ASSERT_EQ(pw_lm_get_info(f.h, &info), PW_OK);
  ASSERT(info.known & 2);
  ASSERT_STREQ(info.id, "PORTWAY PJLSIM");
  ASSERT(info.known & 4);
  ASSERT_EQ(info.pagecount, 1234u);
  ASSERT_EQ(pw_lm_close(f.h), PW_OK);
  ASSERT_EQ(pw_lm_get_info(f.h, &info), PW_EBADHANDLE);
  lmfix_done(&f);
}

TEST_MAIN(
    TEST_ENTRY(device_codes_set_the_port_status_and_ready_clears_it),
    TEST_ENTRY(a_condition_still_shown_is_cleared_when_the_port_closes),
    TEST_ENTRY(
        the_end_echo_completes_the_right_job_when_jobs_follow_each_other),
    TEST_ENTRY(a_port_without_back_channel_prints_framed_and_ends_at_once),
    TEST_ENTRY(a_printer_that_never_answers_costs_eoj_wait_then_the_job_ends),
    TEST_ENTRY(garbage_on_the_back_channel_is_survived),
    TEST_ENTRY(close_port_while_the_reader_is_blocked_returns_in_bounded_time),
    TEST_ENTRY(the_printers_answers_are_kept_for_bidi))
