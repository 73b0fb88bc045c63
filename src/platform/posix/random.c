/* portway — cryptographically strong random bytes on POSIX (getrandom). */
#define _GNU_SOURCE

#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

/* Kernels older than 3.17 lack getrandom; /dev/urandom is equivalent once
 * the pool is initialised, which it is long after boot. */
static int read_urandom(unsigned char *p, size_t len) {
  int fd;
  do {
    fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return pw_posix_err(errno);
  int err = PW_OK;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      err = n < 0 ? pw_posix_err(errno) : PW_EIO;
      break;
    }
    p += n;
    len -= (size_t)n;
  }
  close(fd);
  return err;
}

int pw_random_bytes(void *buf, size_t len) {
  if (!buf && len)
    return PW_EINVAL;
  unsigned char *p = buf;
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == ENOSYS)
        return read_urandom(p, len);
      return pw_posix_err(errno);
    }
    p += n; /* large requests may be served in parts */
    len -= (size_t)n;
  }
  return PW_OK;
}
