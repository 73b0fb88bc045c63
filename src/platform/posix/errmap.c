/* portway — errno -> pw_err, the one place the POSIX layer decides what an
 * OS failure means to the core. */
#include <errno.h>

#include "platform/oserror_common.h"
#include "platform/platform.h"
#include "platform/posix/posix_internal.h"
#include "portway/error.h"

static int map_errno(int e) {
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
    return PW_ENOTSUP;
  case EXDEV: /* rename(2)/link(2) across mount points: say so */
    return PW_EXDEV;
  case ETIMEDOUT:
    return PW_ETIMEDOUT;
  case ECANCELED:
    return PW_ECANCELED;
  case ECONNREFUSED:
    return PW_ECONNREFUSED;
  case EHOSTUNREACH:
  case EHOSTDOWN:
    return PW_EHOSTUNREACH;
  case ENETUNREACH:
  case ENETDOWN:
  case EAFNOSUPPORT: /* an IPv6 address on a host without IPv6 */
    return PW_ENETUNREACH;
  case ECONNRESET:
  case ECONNABORTED:
  case ENETRESET: /* keepalive found the connection dead */
  case ENOTCONN:  /* the connection is gone (after a reset) */
  case EPIPE:     /* writing to a connection the device closed */
    return PW_ECONNRESET;
  case ENOBUFS: /* the kernel is out of socket buffers */
    return PW_ENOMEM;
  case EPROTO:
    return PW_EPROTO;
  default:
    return PW_EIO;
  }
}

int pw_posix_err(int e) {
  int err = map_errno(e);
  pw_os_record(PW_OSERR_ERRNO, e, err);
  return err;
}
