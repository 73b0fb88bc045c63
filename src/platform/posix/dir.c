/* portway — directories on POSIX. Only '/' separates components here: '\' is
 * an ordinary character in POSIX file names. */
#define _GNU_SOURCE

#include "platform/platform.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "platform/posix/posix_internal.h"
#include "portway/error.h"

int pw_dir_check(const char *path) {
  if (!path || !*path)
    return PW_EINVAL;
  struct stat st;
  if (stat(path, &st) != 0)
    return pw_posix_err(errno);
  return S_ISDIR(st.st_mode) ? PW_OK : PW_ENOTSUP;
}

/* mkdir one level; an existing directory is success. */
static int make_one(const char *path) {
  if (mkdir(path, 0755) == 0)
    return PW_OK;
  int e = errno;
  /* EEXIST may be a file; EACCES may be an existing directory in a parent we
   * cannot write. Either way the truth is what is there now. */
  int st = pw_dir_check(path);
  if (st == PW_OK || st == PW_ENOTSUP)
    return st;
  return pw_posix_err(e);
}

int pw_dir_create_all(const char *path) {
  if (!path || !*path)
    return PW_EINVAL;
  if (pw_dir_check(path) == PW_OK)
    return PW_OK;
  size_t len = strlen(path);
  char *buf = malloc(len + 1);
  if (!buf)
    return PW_ENOMEM;
  memcpy(buf, path, len + 1);
  int err = PW_OK;
  /* Create each prefix that ends before a '/', skipping the root and empty
   * components ("a//b"), then the whole path. */
  for (size_t i = 1; i < len && err == PW_OK; i++) {
    if (buf[i] != '/' || buf[i - 1] == '/')
      continue;
    buf[i] = '\0';
    err = make_one(buf);
    buf[i] = '/';
  }
  if (err == PW_OK)
    err = make_one(buf);
  free(buf);
  return err;
}

char pw_path_sep(void) {
  return '/';
}
