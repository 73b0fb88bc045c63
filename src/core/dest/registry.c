/* portway — the port types: which URI schemes, options and destination
 * belong to which kind. One row per type; a new type adds its file in
 * src/core/dest/ and a row here (see docs/architecture.md). */
#include <stdatomic.h>
#include <string.h>

#include "core/dest.h"
#include "core/dest_scheme.h"

static const pw_dest_scheme *const g_schemes[] = {
    &pw_dest_scheme_file, &pw_dest_scheme_socket, &pw_dest_scheme_lpd,
    &pw_dest_scheme_ipp,  &pw_dest_scheme_pipe,
};
#define SCHEME_COUNT (sizeof g_schemes / sizeof g_schemes[0])

const pw_dest_scheme *pw_dest_scheme_at(size_t i) {
  return i < SCHEME_COUNT ? g_schemes[i] : NULL;
}

const pw_dest_scheme *pw_dest_scheme_for_kind(pw_dest_kind kind) {
  for (size_t i = 0; i < SCHEME_COUNT; i++) {
    if (g_schemes[i]->kind == kind)
      return g_schemes[i];
  }
  return NULL;
}

const pw_dest_scheme *pw_dest_scheme_for_name(const char *scheme) {
  if (!scheme)
    return NULL;
  for (size_t i = 0; i < SCHEME_COUNT; i++) {
    for (const char *const *n = g_schemes[i]->schemes; *n; n++) {
      if (strcmp(*n, scheme) == 0)
        return g_schemes[i];
    }
  }
  return NULL;
}

/* Test overrides, one per kind. Atomic so a test swapping a destination
 * never races a lookup; the monitor itself never sets them. */
#define KIND_SLOTS 8
static _Atomic(const pw_dest_ops *) g_override[KIND_SLOTS];

void pw_dest_override_for_tests(pw_dest_kind kind, const pw_dest_ops *ops) {
  if ((unsigned)kind < KIND_SLOTS)
    atomic_store(&g_override[kind], ops);
}

const pw_dest_ops *pw_dest_for_kind(pw_dest_kind kind) {
  if ((unsigned)kind < KIND_SLOTS) {
    const pw_dest_ops *ops = atomic_load(&g_override[kind]);
    if (ops)
      return ops;
  }
  const pw_dest_scheme *s = pw_dest_scheme_for_kind(kind);
  return s ? s->ops : NULL; /* NULL: not implemented, PW_ENOTSUP */
}
