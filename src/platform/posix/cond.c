/* portway — pw_cond on pthreads, timed on CLOCK_MONOTONIC so a wall-clock
 * change can neither stretch nor cut a bounded wait. */
#define _GNU_SOURCE
#include "platform/platform.h"

#include <stdlib.h>
#include <time.h>

void pw_cond_init(pw_cond *c) {
  pthread_condattr_t attr;
  if (pthread_condattr_init(&attr) != 0 ||
      pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
      pthread_cond_init(&c->c, &attr) != 0)
    abort();
  pthread_condattr_destroy(&attr);
}

void pw_cond_destroy(pw_cond *c) {
  pthread_cond_destroy(&c->c);
}

void pw_cond_wait_ms(pw_cond *c, pw_mutex *m, uint32_t ms) {
  struct timespec ts = {0, 0};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ts.tv_sec += (time_t)(ms / 1000u);
  ts.tv_nsec += (long)(ms % 1000u) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  /* ETIMEDOUT and spurious wake-ups look the same to the caller. */
  (void)pthread_cond_timedwait(&c->c, &m->m, &ts);
}

void pw_cond_broadcast(pw_cond *c) {
  pthread_cond_broadcast(&c->c);
}
