/* portway — pw_thread on pthreads. */
#include "platform/platform.h"

#include <errno.h>
#include <stdlib.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

struct pw_thread {
  pthread_t tid;
  void (*fn)(void *);
  void *arg;
};

static void *thread_main(void *p) {
  pw_thread *t = p;
  t->fn(t->arg);
  return NULL;
}

int pw_thread_start(pw_thread **out, void (*fn)(void *), void *arg) {
  if (out)
    *out = NULL; /* on every failure (platform.h) */
  if (!out || !fn)
    return PW_EINVAL;
  pw_thread *t = calloc(1, sizeof *t);
  if (!t)
    return PW_ENOMEM;
  t->fn = fn;
  t->arg = arg;
  int e = pthread_create(&t->tid, NULL, thread_main, t);
  if (e != 0) {
    free(t);
    return e == EAGAIN ? PW_ENOMEM : pw_posix_err(e);
  }
  *out = t;
  return PW_OK;
}

int pw_thread_join(pw_thread *t) {
  if (!t)
    return PW_EINVAL;
  int e = pthread_join(t->tid, NULL);
  free(t);
  return e == 0 ? PW_OK : pw_posix_err(e);
}
