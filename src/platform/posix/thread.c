/* portway — pw_thread on pthreads. */
#include "platform/platform.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

/* Two owners: the thread itself (until it has read fn and arg) and the
 * creator (until join or detach); the last one frees it. */
struct pw_thread {
  pthread_t tid;
  void (*fn)(void *);
  void *arg;
  atomic_int owners;
};

static void release(pw_thread *t) {
  if (atomic_fetch_sub(&t->owners, 1) == 1)
    free(t);
}

static void *thread_main(void *p) {
  pw_thread *t = p;
  void (*fn)(void *) = t->fn;
  void *arg = t->arg;
  release(t);
  fn(arg);
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
  atomic_init(&t->owners, 2);
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
  release(t);
  return e == 0 ? PW_OK : pw_posix_err(e);
}

int pw_thread_detach(pw_thread *t) {
  if (!t)
    return PW_EINVAL;
  int e = pthread_detach(t->tid);
  release(t);
  return e == 0 ? PW_OK : pw_posix_err(e);
}
