/* portway — name operations on POSIX: no-replace rename, remove. */
#define _GNU_SOURCE /* renameat2 / RENAME_NOREPLACE */

#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* renameat2 through syscall(2): the glibc wrapper is newer than some of the
 * systems we build on, the system call is what matters. */
static int rename_noreplace_syscall(const char *from, const char *to) {
#ifdef SYS_renameat2
  if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to,
              (unsigned)RENAME_NOREPLACE) == 0)
    return 0;
  return -1;
#else
  (void)from;
  (void)to;
  errno = ENOSYS;
  return -1;
#endif
}

int pw_file_rename_noreplace(const char *from, const char *to) {
  if (!from || !to || !*from || !*to)
    return PW_EINVAL;
  /* link(2) fails with EEXIST if `to` exists, so an existing file can never
   * be replaced, whatever another process does between our calls. */
  if (link(from, to) == 0) {
    if (unlink(from) == 0)
      return PW_OK;
    int err = pw_posix_err(errno);
    unlink(to); /* undo: `from` must be left as it was */
    return err;
  }
  int link_errno = errno;
  /* Filesystems without hard links (vfat, some FUSE/network mounts) answer
   * EPERM/ENOTSUP; an atomic no-replace rename does the same job there. */
  if (link_errno == EPERM || link_errno == ENOTSUP ||
      link_errno == EOPNOTSUPP || link_errno == ENOSYS ||
      link_errno == EMLINK) {
    if (rename_noreplace_syscall(from, to) == 0)
      return PW_OK;
    if (errno != EINVAL && errno != ENOSYS)
      return pw_posix_err(errno);
    /* Neither works here: report why the link failed. */
  }
  return pw_posix_err(link_errno);
}

int pw_file_rename_open_noreplace(pw_file *f, const char *from,
                                  const char *to) {
  /* A name is independent of open descriptors on POSIX. */
  if (!f)
    return PW_EINVAL;
  return pw_file_rename_noreplace(from, to);
}

int pw_file_remove(const char *path) {
  if (!path || !*path)
    return PW_EINVAL;
  return unlink(path) == 0 ? PW_OK : pw_posix_err(errno);
}
