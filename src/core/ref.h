/* portway — atomic reference counts.
 *
 * Why: ports, configurations and handle objects are shared between the port
 * list, open handles and running jobs on many threads; whoever drops the last
 * reference frees the object, so deleting a port mid-job cannot free memory
 * that a job still uses. */
#ifndef PORTWAY_REF_H
#define PORTWAY_REF_H

#include <stdatomic.h>

typedef struct pw_ref {
  atomic_uint count;
  void (*destroy)(struct pw_ref *ref);
} pw_ref;

static inline void pw_ref_init(pw_ref *ref, void (*destroy)(pw_ref *)) {
  atomic_init(&ref->count, 1u);
  ref->destroy = destroy;
}

static inline void pw_ref_acquire(pw_ref *ref) {
  atomic_fetch_add_explicit(&ref->count, 1u, memory_order_relaxed);
}

static inline void pw_ref_release(pw_ref *ref) {
  if (atomic_fetch_sub_explicit(&ref->count, 1u, memory_order_acq_rel) == 1u)
    ref->destroy(ref);
}

/* The object that embeds `member` as its pw_ref. */
#define PW_CONTAINER_OF(ptr, type, member)                                     \
  ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#endif
