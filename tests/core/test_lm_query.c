/* The language monitor's core: asking the printer outside a job
 * (pw_lm_query), Bidi answers from its replies (pw_lm_bidi, the shared
 * schema table) and GetPrinterDataFromPort by name (pw_lm_get_data), over
 * a port monitor in memory (support/lmfix.h) that answers PJL INFO. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bidi.h"
#include "lmfix.h"
#include "test.h"

/* A port whose port monitor answers INFO and echoes job ends. */
static int qfx_open(lmfix_port *f, const char *opts) {
  if (!lmfix_open(f, opts ? opts : "poll_ms=50", NULL))
    return 0;
  f->pm->answer_info = 1;
  f->pm->echo_eoj = 1;
  return 1;
}

/* One Get of `path`: its result and, for a string, its text. */
static uint32_t get(lmfix_port *f, const char *path, char *text, size_t cap) {
  pw_bidi_request r = {7, path};
  pw_bidi_response *resp = NULL;
  if (pw_lm_bidi(f->h, "Get", &r, 1, NULL, &resp) != PW_OK || !resp ||
      resp->count != 1)
    return 0xFFFFFFFFu;
  uint32_t result = resp->values[0].result;
  if (text && cap)
    snprintf(text, cap, "%s", resp->values[0].text ? resp->values[0].text : "");
  pw_bidi_response_free(resp);
  return result;
}

TEST(a_query_asks_the_printer_in_a_pjl_job_of_its_own) {
  lmfix_port f;
  ASSERT(qfx_open(&f, NULL));
  pw_lm_info info;
  ASSERT_EQ(pw_lm_query(f.h,
                        PW_LM_ASK_ID | PW_LM_ASK_STATUS | PW_LM_ASK_PAGECOUNT,
                        3000, NULL, &info),
            PW_OK);
  ASSERT_STREQ(info.id, "PORTWAY SIM 9");
  ASSERT_EQ(info.code, 10001u);
  ASSERT_EQ(info.pagecount, 77u);
  ASSERT_EQ(f.pm->starts, 1); /* one query job on the port monitor */
  ASSERT_EQ(f.pm->ends, 1);
  const char *w = (const char *)f.pm->written;
  ASSERT(memmem(w, f.pm->wlen, "\x1b%-12345X@PJL \r\n@PJL INFO ID\r\n", 29));
  ASSERT(memmem(w, f.pm->wlen, "@PJL INFO PAGECOUNT\r\n\x1b%-12345X", 30));
  ASSERT(memmem(w, f.pm->wlen, "@PJL JOB", 8) == NULL); /* prints nothing */
  lmfix_done(&f);
}

TEST(bidi_answers_state_and_model_from_the_printers_replies) {
  lmfix_port f;
  ASSERT(qfx_open(&f, NULL));
  char text[256];
  ASSERT_EQ(get(&f, "\\Printer.Status.Summary:State", text, sizeof text),
            PW_BIDI_OK);
  ASSERT_STREQ(text, "Idle");
  ASSERT_EQ(get(&f, "\\Printer.DeviceInfo:ModelName", text, sizeof text),
            PW_BIDI_OK);
  ASSERT_STREQ(text, "PORTWAY SIM 9");
  f.pm->device_code = 40022; /* a jam */
  ASSERT_EQ(get(&f, "\\Printer.Status.Summary:State", text, sizeof text),
            PW_BIDI_OK);
  ASSERT_STREQ(text, "Stopped");
  ASSERT_EQ(get(&f, "\\Printer.Status.Summary:StateReason", text, sizeof text),
            PW_BIDI_OK);
  ASSERT_STREQ(text, "MediaJam");
  f.pm->device_code = 40079; /* taken offline */
  ASSERT_EQ(get(&f, "\\Printer.Status.Summary:State", text, sizeof text),
            PW_BIDI_OK);
  ASSERT_STREQ(text, "Stopped");
  /* Not in Microsoft's schema: not answered, whatever the printer said. */
  ASSERT_EQ(get(&f, "\\Printer.Status.Summary:Online", NULL, 0),
            PW_BIDI_SCHEMA_NOT_SUPPORTED);
  ASSERT_EQ(get(&f, "\\Printer.Nothing:Here", NULL, 0),
            PW_BIDI_SCHEMA_NOT_SUPPORTED);
  lmfix_done(&f);
}

TEST(a_port_without_back_channel_is_never_asked) {
  lmfix_port f;
  ASSERT(qfx_open(&f, NULL));
  f.pm->not_readable = 1; /* a file port: a query would leave a file */
  ASSERT_EQ(get(&f, "\\Printer.Status.Summary:State", NULL, 0),
            PW_BIDI_NO_DATA);
  ASSERT_EQ(f.pm->starts, 0);
  ASSERT_EQ(f.pm->wlen, 0u);
  pw_lm_info info;
  ASSERT_EQ(pw_lm_query(f.h, PW_LM_ASK_ID, 1000, NULL, &info), PW_ENOTSUP);
  lmfix_done(&f);
}

TEST(a_silent_printer_answers_device_offline_in_bounded_time) {
  lmfix_port f;
  ASSERT(qfx_open(&f, NULL));
  f.pm->answer_info = 0;
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(get(&f, "\\Printer.Status.Summary:State", NULL, 0),
            PW_BIDI_DEVICE_OFFLINE);
  ASSERT((pw_time_monotonic_ns() - t0) / 1000000u < 10000u);
  ASSERT_EQ(f.pm->ends, 1); /* the query job was ended all the same */
  lmfix_done(&f);
}

TEST(inside_a_job_the_last_replies_answer_and_nothing_is_sent) {
  lmfix_port f;
  ASSERT(qfx_open(&f, NULL));
  pw_lm_info info;
  ASSERT_EQ(pw_lm_query(f.h, PW_LM_ASK_ID, 3000, NULL, &info), PW_OK);
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 1, "job", NULL), PW_OK);
  size_t before = f.pm->wlen;
  char text[64];
  ASSERT_EQ(get(&f, "\\Printer.DeviceInfo:ModelName", text, sizeof text),
            PW_BIDI_OK);
  ASSERT_STREQ(text, "PORTWAY SIM 9");
  ASSERT_EQ(f.pm->wlen, before); /* no query inside the job */
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  lmfix_done(&f);
}

TEST(get_printer_data_answers_pjl_info_by_name) {
  lmfix_port f;
  ASSERT(qfx_open(&f, NULL));
  char out[512];
  size_t need = 0;
  ASSERT_EQ(pw_lm_get_data(f.h, "id", NULL, out, sizeof out, &need), PW_OK);
  ASSERT_STREQ(out, "PORTWAY SIM 9");
  ASSERT_EQ(need, 14u);
  ASSERT_EQ(pw_lm_get_data(f.h, "PAGECOUNT", NULL, out, sizeof out, &need),
            PW_OK);
  ASSERT_STREQ(out, "77");
  ASSERT_EQ(
      pw_lm_get_data(f.h, "Installed Memory", NULL, out, sizeof out, &need),
      PW_OK);
  ASSERT_STREQ(out, "8388608");
  ASSERT_EQ(pw_lm_get_data(f.h, "STATUS", NULL, out, sizeof out, &need), PW_OK);
  ASSERT(strstr(out, "CODE=10001") != NULL);
  ASSERT_EQ(pw_lm_get_data(f.h, "ID", NULL, out, 4, &need), PW_ENOBUFS);
  ASSERT_EQ(need, 14u);
  ASSERT_EQ(
      pw_lm_get_data(f.h, "Available Memory", NULL, out, sizeof out, &need),
      PW_ENOENT);
  ASSERT_EQ(
      pw_lm_get_data((pw_handle)0x1234, "ID", NULL, out, sizeof out, &need),
      PW_EBADHANDLE);
  lmfix_done(&f);
}

typedef struct bg_query {
  pw_handle h;
  int rc;
} bg_query;

static void query_main(void *arg) {
  bg_query *q = arg;
  pw_lm_info info;
  q->rc = pw_lm_query(q->h, PW_LM_ASK_ID, 1500, NULL, &info);
}

TEST(a_start_doc_during_a_query_waits_for_it_instead_of_failing) {
  lmfix_port f;
  ASSERT(qfx_open(&f, NULL));
  f.pm->answer_info = 0; /* the query runs its whole 1.5 s */
  bg_query q = {f.h, -1};
  pw_thread *t = NULL;
  ASSERT_EQ(pw_thread_start(&t, query_main, &q), PW_OK);
  /* Until the query holds the port (its job started below). */
  for (int i = 0; i < 200; i++) {
    pw_mutex_lock(&f.pm->lock);
    int started = f.pm->starts;
    pw_mutex_unlock(&f.pm->lock);
    if (started)
      break;
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  ASSERT_EQ(pw_lm_start_doc(f.h, NULL, 9, "after", NULL), PW_OK);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(q.rc, PW_ETIMEDOUT);
  size_t w;
  ASSERT_EQ(pw_lm_write(f.h, "x", 1, &w), PW_OK);
  ASSERT_EQ(pw_lm_end_doc(f.h), PW_OK);
  ASSERT_EQ(f.pm->starts, 2); /* the query's job, then this one */
  lmfix_done(&f);
}

TEST_MAIN(
    TEST_ENTRY(a_query_asks_the_printer_in_a_pjl_job_of_its_own),
    TEST_ENTRY(bidi_answers_state_and_model_from_the_printers_replies),
    TEST_ENTRY(a_port_without_back_channel_is_never_asked),
    TEST_ENTRY(a_silent_printer_answers_device_offline_in_bounded_time),
    TEST_ENTRY(inside_a_job_the_last_replies_answer_and_nothing_is_sent),
    TEST_ENTRY(get_printer_data_answers_pjl_info_by_name),
    TEST_ENTRY(a_start_doc_during_a_query_waits_for_it_instead_of_failing))
