/* portway — open files on POSIX: create-new, append, write, sync, close. */
#define _GNU_SOURCE /* O_CLOEXEC, fstat under -std=c11 */

#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

struct pw_file {
  int fd;
};

/* One write(2) call is bounded so the byte count always fits ssize_t. */
#define PW_WRITE_CHUNK ((size_t)1 << 30)

static int open_file(const char *path, int flags, pw_file **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!path || !*path)
    return PW_EINVAL;
  pw_file *f = malloc(sizeof *f);
  if (!f)
    return PW_ENOMEM;
  int fd;
  do {
    fd = open(path, flags | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int err = pw_posix_err(errno);
    free(f);
    return err;
  }
  f->fd = fd;
  *out = f;
  return PW_OK;
}

int pw_file_create_new(const char *path, pw_file **out) {
  return open_file(path, O_WRONLY | O_CREAT | O_EXCL, out);
}

int pw_file_open_temp(const char *dir, pw_file **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!dir || !*dir)
    return PW_EINVAL;
  int err = pw_dir_create_all(dir);
  if (err != PW_OK)
    return err;
  pw_file *f = malloc(sizeof *f);
  if (!f)
    return PW_ENOMEM;
  int fd = -1;
#ifdef O_TMPFILE
  /* Never has a name: nothing to clean up after a crash. */
  do {
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  } while (fd < 0 && errno == EINTR);
#endif
  if (fd < 0) {
    /* File systems without O_TMPFILE: a unique name, unlinked at once. */
    size_t n = strlen(dir);
    char *path = malloc(n + 32);
    if (!path) {
      free(f);
      return PW_ENOMEM;
    }
    memcpy(path, dir, n);
    memcpy(path + n, "/.portway-spool-XXXXXX", 23);
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
      (void)unlink(path);
    free(path);
  }
  if (fd < 0) {
    err = pw_posix_err(errno);
    free(f);
    return err;
  }
  f->fd = fd;
  *out = f;
  return PW_OK;
}

int pw_file_read_at(pw_file *f, uint64_t offset, void *buf, size_t len,
                    size_t *got) {
  if (got)
    *got = 0;
  if (!f || !got || (!buf && len) || offset > (uint64_t)INT64_MAX)
    return PW_EINVAL;
  ssize_t n;
  do {
    n = pread(f->fd, buf, len, (off_t)offset);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return pw_posix_err(errno);
  *got = (size_t)n;
  return PW_OK;
}

int pw_file_open_append(const char *path, pw_file **out) {
  /* O_APPEND makes each write(2) land at the current end of file, so whole
   * lines from several processes never overwrite each other. */
  return open_file(path, O_WRONLY | O_CREAT | O_APPEND, out);
}

int pw_file_write_all(pw_file *f, const void *buf, size_t len) {
  if (!f || (!buf && len))
    return PW_EINVAL;
  const unsigned char *p = buf;
  while (len > 0) {
    size_t chunk = len < PW_WRITE_CHUNK ? len : PW_WRITE_CHUNK;
    ssize_t n = write(f->fd, p, chunk);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return pw_posix_err(errno);
    }
    if (n == 0)
      return PW_EIO; /* no progress and no error: do not spin */
    p += n;
    len -= (size_t)n;
  }
  return PW_OK;
}

int pw_file_sync(pw_file *f) {
  if (!f)
    return PW_EINVAL;
  int r;
  do {
    r = fsync(f->fd);
  } while (r != 0 && errno == EINTR);
  return r == 0 ? PW_OK : pw_posix_err(errno);
}

int pw_file_size(pw_file *f, uint64_t *size) {
  if (!f || !size)
    return PW_EINVAL;
  struct stat st;
  if (fstat(f->fd, &st) != 0)
    return pw_posix_err(errno);
  *size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
  return PW_OK;
}

int pw_file_close(pw_file *f) {
  if (!f)
    return PW_OK;
  int err = PW_OK;
  /* Linux releases the descriptor even when close fails (EINTR included), so
   * never retry; a real error (EIO, ENOSPC on NFS) is a lost write. */
  if (close(f->fd) != 0 && errno != EINTR)
    err = pw_posix_err(errno);
  free(f);
  return err;
}
