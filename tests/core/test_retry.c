/* Retry with bounded exponential back-off (src/core/retry.c), on a fake
 * clock: the policy's arithmetic is checked without sleeping. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "core/retry.h"
#include "portway/error.h"
#include "test.h"

typedef struct fake_clock {
  uint64_t now;
  uint32_t slept[16];
  unsigned sleeps;
  pw_cancel *cancel_after_sleep; /* request cancellation while "sleeping" */
} fake_clock;

static uint64_t fake_now(void *ctx) {
  return ((fake_clock *)ctx)->now;
}

static int fake_sleep(void *ctx, uint32_t ms, pw_cancel *cancel) {
  fake_clock *c = ctx;
  if (c->sleeps < 16)
    c->slept[c->sleeps] = ms;
  c->sleeps++;
  if (c->cancel_after_sleep)
    pw_cancel_request(c->cancel_after_sleep);
  if (pw_cancel_requested(cancel))
    return PW_ECANCELED;
  c->now += ms;
  return PW_OK;
}

typedef struct script {
  int results[16];
  unsigned calls;
  unsigned retried;
} script;

static int scripted_op(void *arg, unsigned attempt) {
  script *s = arg;
  s->calls++;
  return s->results[attempt - 1];
}

static void count_retry(void *arg, unsigned attempt, int err,
                        uint32_t delay_ms) {
  (void)attempt;
  (void)err;
  (void)delay_ms;
  ((script *)arg)->retried++;
}

static const pw_retry_policy policy = {5, 100, 400, 0};

TEST(transient_errors_are_retried_with_doubling_capped_delays) {
  fake_clock fc = {0};
  pw_clock clock = {&fc, fake_now, fake_sleep};
  script s = {{PW_ECONNREFUSED, PW_ETIMEDOUT, PW_ECONNRESET, PW_OK}, 0, 0};
  ASSERT_EQ(pw_retry_run(&policy, &clock, NULL, scripted_op, count_retry, &s),
            PW_OK);
  ASSERT_EQ(s.calls, 4);
  ASSERT_EQ(s.retried, 3);
  ASSERT_EQ(fc.sleeps, 3);
  ASSERT_EQ(fc.slept[0], 100);
  ASSERT_EQ(fc.slept[1], 200);
  ASSERT_EQ(fc.slept[2], 400);
}

TEST(a_fatal_error_is_returned_at_once) {
  fake_clock fc = {0};
  pw_clock clock = {&fc, fake_now, fake_sleep};
  script s = {{PW_ECONNREFUSED, PW_EACCES, PW_OK}, 0, 0};
  ASSERT_EQ(pw_retry_run(&policy, &clock, NULL, scripted_op, NULL, &s),
            PW_EACCES);
  ASSERT_EQ(s.calls, 2);
  ASSERT_EQ(fc.sleeps, 1);
}

TEST(the_last_transient_error_is_returned_when_attempts_run_out) {
  fake_clock fc = {0};
  pw_clock clock = {&fc, fake_now, fake_sleep};
  script s;
  memset(&s, 0, sizeof s);
  for (int i = 0; i < 16; i++)
    s.results[i] = PW_EHOSTUNREACH;
  ASSERT_EQ(pw_retry_run(&policy, &clock, NULL, scripted_op, NULL, &s),
            PW_EHOSTUNREACH);
  ASSERT_EQ(s.calls, 5);
  ASSERT_EQ(fc.sleeps, 4);
  ASSERT_EQ(fc.slept[3], 400); /* capped */
}

TEST(no_retry_starts_past_the_time_budget) {
  fake_clock fc = {0};
  pw_clock clock = {&fc, fake_now, fake_sleep};
  pw_retry_policy budget = {10, 100, 1000, 350};
  script s;
  memset(&s, 0, sizeof s);
  for (int i = 0; i < 16; i++)
    s.results[i] = PW_ETIMEDOUT;
  ASSERT_EQ(pw_retry_run(&budget, &clock, NULL, scripted_op, NULL, &s),
            PW_ETIMEDOUT);
  /* 100 + 200 = 300 ms slept; the next delay (400) would pass 350. */
  ASSERT_EQ(fc.sleeps, 2);
  ASSERT_EQ(s.calls, 3);
}

TEST(cancellation_during_back_off_stops_the_retries) {
  fake_clock fc = {0};
  pw_clock clock = {&fc, fake_now, fake_sleep};
  pw_cancel cancel;
  pw_cancel_init(&cancel);
  fc.cancel_after_sleep = &cancel;
  script s;
  memset(&s, 0, sizeof s);
  for (int i = 0; i < 16; i++)
    s.results[i] = PW_ECONNREFUSED;
  ASSERT_EQ(pw_retry_run(&policy, &clock, &cancel, scripted_op, NULL, &s),
            PW_ECANCELED);
  ASSERT_EQ(s.calls, 1);
  /* Already cancelled: not even the first attempt runs. */
  s.calls = 0;
  ASSERT_EQ(pw_retry_run(&policy, &clock, &cancel, scripted_op, NULL, &s),
            PW_ECANCELED);
  ASSERT_EQ(s.calls, 0);
  pw_cancel_destroy(&cancel);
}

/* The real clock's sleep returns as soon as the token is cancelled. */
static pw_cancel g_token;
static void cancel_soon(void *arg) {
  (void)arg;
  pw_cancel_request(&g_token);
}

TEST(a_cancelled_sleep_on_the_real_clock_returns_early) {
  pw_thread *t;
  pw_cancel_init(&g_token);
  ASSERT_EQ(pw_thread_start(&t, cancel_soon, NULL), PW_OK);
  /* 60 s if the cancel were lost: ctest's time-out would fail the test. */
  ASSERT_EQ(pw_cancel_sleep_ms(&g_token, 60000), PW_ECANCELED);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  pw_cancel_reset(&g_token);
  ASSERT_EQ(pw_cancel_sleep_ms(&g_token, 1), PW_OK);
  pw_cancel_destroy(&g_token);
}

TEST(a_policy_of_one_attempt_never_sleeps) {
  fake_clock fc = {0};
  pw_clock clock = {&fc, fake_now, fake_sleep};
  pw_retry_policy once = {1, 100, 100, 0};
  script s = {{PW_ECONNREFUSED}, 0, 0};
  ASSERT_EQ(pw_retry_run(&once, &clock, NULL, scripted_op, NULL, &s),
            PW_ECONNREFUSED);
  ASSERT_EQ(fc.sleeps, 0);
  ASSERT_EQ(pw_retry_run(NULL, &clock, NULL, scripted_op, NULL, &s), PW_EINVAL);
}

TEST_MAIN(
    TEST_ENTRY(transient_errors_are_retried_with_doubling_capped_delays),
    TEST_ENTRY(a_fatal_error_is_returned_at_once),
    TEST_ENTRY(the_last_transient_error_is_returned_when_attempts_run_out),
    TEST_ENTRY(no_retry_starts_past_the_time_budget),
    TEST_ENTRY(cancellation_during_back_off_stops_the_retries),
    TEST_ENTRY(a_cancelled_sleep_on_the_real_clock_returns_early),
    TEST_ENTRY(a_policy_of_one_attempt_never_sleeps))
