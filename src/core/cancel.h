/* portway — a cancellation token: how ClosePort and Shutdown, on one thread,
 * stop destination I/O blocked on another.
 *
 * The job layer owns one token per port handle and hands it to the
 * destination in pw_dest_start. A destination that blocks (connect, a
 * retry's back-off, waiting for a child) either sleeps on the token
 * (pw_cancel_sleep_ms returns early when cancelled) or checks it between
 * bounded steps; I/O already in progress is interrupted by the
 * destination's own `cancel` operation (shutdown a socket, CancelIoEx,
 * terminate a child), which the job layer calls together with
 * pw_cancel_request. */
#ifndef PORTWAY_CANCEL_H
#define PORTWAY_CANCEL_H

#include <stdint.h>

#include "platform/platform.h"

typedef struct pw_cancel {
  pw_mutex lock;
  pw_cond cond;
  int requested;
  void (*action)(void *arg); /* run once at the request (see set_action) */
  void *action_arg;
} pw_cancel;

void pw_cancel_init(pw_cancel *c);
void pw_cancel_destroy(pw_cancel *c);
/* Any thread; idempotent; wakes every pw_cancel_sleep_ms. */
void pw_cancel_request(pw_cancel *c);
/* Re-arm for the next job (no call may be using the token). */
void pw_cancel_reset(pw_cancel *c);
/* Have `action(arg)` run when cancellation is requested (at once if it
 * already was), e.g. to abort a socket that a connect is blocked on. It
 * runs under the token's lock, so it must not block; clearing it (NULL)
 * guarantees it is not running and will not run, so `arg` may be freed
 * afterwards. NULL token: no-op. */
void pw_cancel_set_action(pw_cancel *c, void (*action)(void *arg), void *arg);
/* 1 once cancellation was requested. NULL is never cancelled. */
int pw_cancel_requested(pw_cancel *c);
/* Sleep up to ms; PW_ECANCELED as soon as cancellation is requested (also
 * if it was before the call), else PW_OK. A NULL token sleeps plainly. */
int pw_cancel_sleep_ms(pw_cancel *c, uint32_t ms);

#endif
