/* portway — retrying an operation that failed transiently.
 *
 * Devices fail transiently (a printer busy with another host's job refuses
 * connections; a switch restarts): such errors are retried with bounded
 * exponential back-off; fatal ones (access denied, bad configuration,
 * protocol errors) are returned at once. Whether an error is transient is
 * decided by the one error table (pw_err_is_transient).
 *
 * The clock is a parameter so tests run the policy on a fake clock: no test
 * sleeps to check back-off arithmetic. */
#ifndef PORTWAY_RETRY_H
#define PORTWAY_RETRY_H

#include <stdint.h>

#include "core/cancel.h"

typedef struct pw_clock {
  void *ctx;
  uint64_t (*now_ms)(void *ctx);
  /* Sleep up to ms; PW_ECANCELED if `cancel` fires first. */
  int (*sleep_ms)(void *ctx, uint32_t ms, pw_cancel *cancel);
} pw_clock;

/* The monotonic clock, sleeping on the cancellation token. */
const pw_clock *pw_clock_real(void);

typedef struct pw_retry_policy {
  uint32_t max_attempts; /* >= 1; 1 means no retry */
  uint32_t first_delay_ms;
  uint32_t max_delay_ms; /* each delay doubles up to this */
  /* No retry starts later than budget_ms after the first attempt began
   * (0: no budget beyond max_attempts). */
  uint32_t budget_ms;
} pw_retry_policy;

/* Run op(arg, attempt) (attempt counts from 1) until it returns PW_OK, a
 * fatal error, or the policy is exhausted; returns the last result, or
 * PW_ECANCELED when cancelled while waiting. `on_retry` (may be NULL) is
 * told about each transient failure that will be retried, with the delay. */
int pw_retry_run(const pw_retry_policy *policy, const pw_clock *clock,
                 pw_cancel *cancel, int (*op)(void *arg, unsigned attempt),
                 void (*on_retry)(void *arg, unsigned attempt, int err,
                                  uint32_t delay_ms),
                 void *arg);

#endif
