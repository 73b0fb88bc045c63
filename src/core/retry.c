/* portway — bounded retry with exponential back-off (see retry.h). */
#include "core/retry.h"

#include "portway/error.h"

static uint64_t real_now_ms(void *ctx) {
  (void)ctx;
  return pw_time_monotonic_ns() / 1000000u;
}

static int real_sleep_ms(void *ctx, uint32_t ms, pw_cancel *cancel) {
  (void)ctx;
  return pw_cancel_sleep_ms(cancel, ms);
}

static const pw_clock g_real_clock = {NULL, real_now_ms, real_sleep_ms};

const pw_clock *pw_clock_real(void) {
  return &g_real_clock;
}

int pw_retry_run(const pw_retry_policy *policy, const pw_clock *clock,
                 pw_cancel *cancel, int (*op)(void *arg, unsigned attempt),
                 void (*on_retry)(void *arg, unsigned attempt, int err,
                                  uint32_t delay_ms),
                 void *arg) {
  if (!policy || !op)
    return PW_EINVAL;
  if (!clock)
    clock = pw_clock_real();
  uint32_t attempts = policy->max_attempts ? policy->max_attempts : 1u;
  uint32_t delay = policy->first_delay_ms;
  uint64_t start = clock->now_ms(clock->ctx);
  int rc = PW_EINVAL;
  for (unsigned attempt = 1;; attempt++) {
    if (pw_cancel_requested(cancel))
      return PW_ECANCELED;
    rc = op(arg, attempt);
    if (rc == PW_OK || !pw_err_is_transient(rc) || attempt >= attempts)
      return rc;
    if (policy->budget_ms) {
      uint64_t elapsed = clock->now_ms(clock->ctx) - start;
      if (elapsed + delay > policy->budget_ms)
        return rc;
    }
    if (on_retry)
      on_retry(arg, attempt, rc, delay);
    if (clock->sleep_ms(clock->ctx, delay, cancel) == PW_ECANCELED)
      return PW_ECANCELED;
    uint32_t next = delay > UINT32_MAX / 2 ? UINT32_MAX : delay * 2u;
    delay = next > policy->max_delay_ms ? policy->max_delay_ms : next;
  }
}
