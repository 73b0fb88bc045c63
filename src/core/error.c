/* portway — text for core error codes (see portway/error.h). */
#include <stdarg.h>
#include <stdio.h>

#include "core/errbuf.h"
#include "portway/error.h"

#include <stddef.h>

typedef struct err_text {
  int code;
  const char *name;
  const char *text;
} err_text;

static const err_text err_table[] = {
    {PW_OK, "PW_OK", "success"},
    {PW_ENOMEM, "PW_ENOMEM", "out of memory"},
    {PW_EINVAL, "PW_EINVAL", "invalid argument"},
    {PW_ENOENT, "PW_ENOENT", "not found"},
    {PW_EEXIST, "PW_EEXIST", "already exists"},
    {PW_EBUSY, "PW_EBUSY", "in use"},
    {PW_EBADHANDLE, "PW_EBADHANDLE", "invalid handle"},
    {PW_ESTATE, "PW_ESTATE", "call out of order"},
    {PW_EIO, "PW_EIO", "I/O error"},
    {PW_ENOSPC, "PW_ENOSPC", "no space left at destination"},
    {PW_EACCES, "PW_EACCES", "access denied"},
    {PW_ENAMETOOLONG, "PW_ENAMETOOLONG", "name or path too long"},
    {PW_ENOTSUP, "PW_ENOTSUP", "not supported by this port type"},
    {PW_ELEVEL, "PW_ELEVEL", "unsupported info level"},
    {PW_EBADDATA, "PW_EBADDATA", "malformed input data"},
    {PW_ENOBUFS, "PW_ENOBUFS", "buffer too small"},
    {PW_EBADNAME, "PW_EBADNAME", "invalid port name"},
    {PW_EBADCONFIG, "PW_EBADCONFIG", "invalid configuration"},
    {PW_EABORTED, "PW_EABORTED", "job aborted after an earlier failure"},
    {PW_ETIMEDOUT, "PW_ETIMEDOUT", "destination timed out"},
    {PW_ENOTFOUNDCMD, "PW_ENOTFOUNDCMD", "unknown command"},
};

static const err_text *find_err(int err) {
  for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++) {
    if (err_table[i].code == err)
      return &err_table[i];
  }
  return NULL;
}

const char *pw_strerror(int err) {
  const err_text *e = find_err(err);
  return e ? e->text : "unknown error";
}

const char *pw_errname(int err) {
  const err_text *e = find_err(err);
  return e ? e->name : "PW_E?";
}

void pw_errbuf_printf(char *errbuf, size_t errlen, const char *fmt, ...) {
  if (!errbuf || errlen == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errbuf, errlen, fmt, ap);
  va_end(ap);
}
