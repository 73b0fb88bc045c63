/* portway — errno -> pw_err, the one place the POSIX layer decides what an
 * OS failure means to the core. */
#include <errno.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

int pw_posix_err(int e) {
  switch (e) {
  case 0:
    return PW_EIO; /* a failure without a cause is still a failure */
  case ENOENT:
  case ENOTDIR: /* a path component is not a directory: the path is absent */
    return PW_ENOENT;
  case EEXIST:
  case ENOTEMPTY:
    return PW_EEXIST;
  case EACCES:
  case EPERM:
  case EROFS:
  case EISDIR: /* opening a directory for writing: Windows says access denied */
    return PW_EACCES;
  case ENOSPC:
  case EDQUOT:
  case EFBIG:
    return PW_ENOSPC;
  case ENAMETOOLONG:
    return PW_ENAMETOOLONG;
  case ENOMEM:
    return PW_ENOMEM;
  case EINVAL:
    return PW_EINVAL;
  case EBUSY:
  case ETXTBSY:
    return PW_EBUSY;
  case ENOTSUP:
#if EOPNOTSUPP != ENOTSUP
  case EOPNOTSUPP:
#endif
  case ENOSYS:
  case EXDEV:
    return PW_ENOTSUP;
  case ETIMEDOUT:
    return PW_ETIMEDOUT;
  default:
    return PW_EIO;
  }
}
