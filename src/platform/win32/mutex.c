/* portway — pw_mutex as an SRW lock: statically initialisable (all zero),
 * no destruction needed, which is what a DLL without a reliable teardown
 * point wants. */
#include "platform/win32/win32_internal.h"

#include "platform/platform.h"

_Static_assert(sizeof(pw_mutex) == sizeof(SRWLOCK),
               "pw_mutex must be layout-compatible with SRWLOCK");
_Static_assert(_Alignof(pw_mutex) >= _Alignof(SRWLOCK),
               "pw_mutex must be aligned like SRWLOCK");

static SRWLOCK *srw(pw_mutex *m) {
  return (SRWLOCK *)(void *)m;
}

void pw_mutex_init(pw_mutex *m) {
  InitializeSRWLock(srw(m));
}

void pw_mutex_destroy(pw_mutex *m) {
  (void)m; /* SRW locks own no resources */
}

void pw_mutex_lock(pw_mutex *m) {
  AcquireSRWLockExclusive(srw(m));
}

void pw_mutex_unlock(pw_mutex *m) {
  ReleaseSRWLockExclusive(srw(m));
}
