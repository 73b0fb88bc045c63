/* portway — core error code -> Win32 error code: the one table.
 *
 * Entry points that give a code a more specific meaning override it at the
 * call site and say why (OpenPort: PW_ENOENT -> ERROR_UNKNOWN_PORT). */
#include "monitor/front.h"

typedef struct pwm_errmap {
  int pw;
  DWORD win32;
} pwm_errmap;

static const pwm_errmap g_errmap[] = {
    {PW_OK, ERROR_SUCCESS},
    {PW_ENOMEM, ERROR_NOT_ENOUGH_MEMORY},
    {PW_EINVAL, ERROR_INVALID_PARAMETER},
    {PW_ENOENT, ERROR_FILE_NOT_FOUND},
    {PW_EEXIST, ERROR_ALREADY_EXISTS},
    {PW_EBUSY, ERROR_BUSY},
    {PW_EBADHANDLE, ERROR_INVALID_HANDLE},
    /* A call out of order (EndDocPort or WritePort without StartDocPort):
     * the handle is fine, the request is not - the code Microsoft's digest
     * proposes for EndDocPort without a job. */
    {PW_ESTATE, ERROR_INVALID_PARAMETER},
    {PW_EIO, ERROR_WRITE_FAULT},
    {PW_ENOSPC, ERROR_DISK_FULL},
    {PW_EACCES, ERROR_ACCESS_DENIED},
    {PW_ENAMETOOLONG, ERROR_FILENAME_EXCED_RANGE},
    {PW_ENOTSUP, ERROR_NOT_SUPPORTED},
    {PW_ELEVEL, ERROR_INVALID_LEVEL},
    {PW_EBADDATA, ERROR_INVALID_DATA},
    {PW_ENOBUFS, ERROR_INSUFFICIENT_BUFFER},
    {PW_EBADNAME, ERROR_INVALID_NAME},
    {PW_EBADCONFIG, ERROR_INVALID_DATA},
    /* A job poisoned by an earlier write failure: the device could not be
     * written, which is what ERROR_WRITE_FAULT says. ERROR_CANCELLED would
     * claim the user cancelled, which nobody did. */
    {PW_EABORTED, ERROR_WRITE_FAULT},
    /* ERROR_TIMEOUT is the error code; WAIT_TIMEOUT is a wait status. */
    {PW_ETIMEDOUT, ERROR_TIMEOUT},
    /* TCPMON's answer to an unknown Xcv command. */
    {PW_ENOTFOUNDCMD, ERROR_INVALID_PARAMETER},
};

DWORD pwm_win32_error(int err) {
  for (size_t i = 0; i < sizeof g_errmap / sizeof g_errmap[0]; i++)
    if (g_errmap[i].pw == err)
      return g_errmap[i].win32;
  /* A code this table does not know yet: fail, never report success. */
  return ERROR_GEN_FAILURE;
}
