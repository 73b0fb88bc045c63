/* portway — pw_mutex on pthreads. */
#include "platform/platform.h"

#include <stdlib.h>

/* A failing lock/unlock means a corrupted or misused mutex; continuing would
 * silently break mutual exclusion, so stop instead. */
void pw_mutex_init(pw_mutex *m) {
  if (pthread_mutex_init(&m->m, NULL) != 0)
    abort();
}

void pw_mutex_destroy(pw_mutex *m) {
  pthread_mutex_destroy(&m->m);
}

void pw_mutex_lock(pw_mutex *m) {
  if (pthread_mutex_lock(&m->m) != 0)
    abort();
}

void pw_mutex_unlock(pw_mutex *m) {
  if (pthread_mutex_unlock(&m->m) != 0)
    abort();
}
