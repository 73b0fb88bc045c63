/* portway — cancellation tokens (see cancel.h). */
#include "core/cancel.h"

#include "portway/error.h"

void pw_cancel_init(pw_cancel *c) {
  pw_mutex_init(&c->lock);
  pw_cond_init(&c->cond);
  c->requested = 0;
  c->action = NULL;
  c->action_arg = NULL;
}

void pw_cancel_destroy(pw_cancel *c) {
  pw_cond_destroy(&c->cond);
  pw_mutex_destroy(&c->lock);
}

void pw_cancel_request(pw_cancel *c) {
  pw_mutex_lock(&c->lock);
  if (!c->requested && c->action)
    c->action(c->action_arg);
  c->requested = 1;
  pw_cond_broadcast(&c->cond);
  pw_mutex_unlock(&c->lock);
}

void pw_cancel_set_action(pw_cancel *c, void (*action)(void *arg), void *arg) {
  if (!c)
    return;
  pw_mutex_lock(&c->lock);
  c->action = action;
  c->action_arg = arg;
  if (c->requested && action)
    action(arg);
  pw_mutex_unlock(&c->lock);
}

void pw_cancel_reset(pw_cancel *c) {
  pw_mutex_lock(&c->lock);
  c->requested = 0;
  c->action = NULL;
  c->action_arg = NULL;
  pw_mutex_unlock(&c->lock);
}

int pw_cancel_requested(pw_cancel *c) {
  if (!c)
    return 0;
  pw_mutex_lock(&c->lock);
  int r = c->requested;
  pw_mutex_unlock(&c->lock);
  return r;
}

int pw_cancel_sleep_ms(pw_cancel *c, uint32_t ms) {
  if (!c) {
    pw_cancel tmp;
    pw_cancel_init(&tmp);
    int rc = pw_cancel_sleep_ms(&tmp, ms);
    pw_cancel_destroy(&tmp);
    return rc;
  }
  uint64_t deadline = pw_time_monotonic_ns() + (uint64_t)ms * 1000000u;
  pw_mutex_lock(&c->lock);
  for (;;) {
    if (c->requested)
      break;
    uint64_t now = pw_time_monotonic_ns();
    if (now >= deadline)
      break;
    uint64_t left_ms = (deadline - now + 999999u) / 1000000u;
    pw_cond_wait_ms(&c->cond, &c->lock, (uint32_t)left_ms);
  }
  int rc = c->requested ? PW_ECANCELED : PW_OK;
  pw_mutex_unlock(&c->lock);
  return rc;
}
