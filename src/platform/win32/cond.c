/* portway — pw_cond as a CONDITION_VARIABLE paired with the SRW lock that
 * pw_mutex is; no resources to free. */
#include "platform/win32/win32_internal.h"

#include "platform/platform.h"

_Static_assert(sizeof(pw_cond) == sizeof(CONDITION_VARIABLE),
               "pw_cond must be layout-compatible with CONDITION_VARIABLE");

static CONDITION_VARIABLE *cv(pw_cond *c) {
  return (CONDITION_VARIABLE *)(void *)c;
}

void pw_cond_init(pw_cond *c) {
  InitializeConditionVariable(cv(c));
}

void pw_cond_destroy(pw_cond *c) {
  (void)c;
}

void pw_cond_wait_ms(pw_cond *c, pw_mutex *m, uint32_t ms) {
  /* FALSE with ERROR_TIMEOUT is a normal outcome: the caller re-checks. */
  (void)SleepConditionVariableSRW(cv(c), (SRWLOCK *)(void *)m, ms, 0);
}

void pw_cond_broadcast(pw_cond *c) {
  WakeAllConditionVariable(cv(c));
}
