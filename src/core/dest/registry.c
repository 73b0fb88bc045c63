/* portway — which destination implements which port type. */
#include "core/dest.h"

const pw_dest_ops *pw_dest_for_kind(pw_dest_kind kind) {
  switch (kind) {
  case PW_DEST_FILE:
    return &pw_dest_file;
  default:
    return NULL; /* not implemented yet: the caller answers PW_ENOTSUP */
  }
}
