/* portway — pw_thread on Win32 threads. */
#include "platform/win32/win32_internal.h"

#include <stdlib.h>

#include "platform/platform.h"
#include "portway/error.h"

/* Two owners: the thread itself (until it has read fn and arg) and the
 * creator (until join or detach); the last one frees it. */
struct pw_thread {
  HANDLE h;
  void (*fn)(void *);
  void *arg;
  volatile LONG owners;
};

static void release(pw_thread *t) {
  if (InterlockedDecrement(&t->owners) == 0)
    free(t);
}

static DWORD WINAPI thread_main(LPVOID p) {
  pw_thread *t = p;
  void (*fn)(void *) = t->fn;
  void *arg = t->arg;
  release(t);
  fn(arg);
  return 0;
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
  t->owners = 2;
  t->h = CreateThread(NULL, 0, thread_main, t, 0, NULL);
  if (!t->h) {
    int err = pw_win32_last_err();
    free(t);
    return err;
  }
  *out = t;
  return PW_OK;
}

int pw_thread_join(pw_thread *t) {
  if (!t)
    return PW_EINVAL;
  int err = PW_OK;
  if (WaitForSingleObject(t->h, INFINITE) != WAIT_OBJECT_0)
    err = pw_win32_last_err();
  CloseHandle(t->h);
  release(t);
  return err;
}

int pw_thread_detach(pw_thread *t) {
  if (!t)
    return PW_EINVAL;
  CloseHandle(t->h);
  release(t);
  return PW_OK;
}
