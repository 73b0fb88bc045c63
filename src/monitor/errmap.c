/* portway — core error code -> Win32 error code: the one table.
 *
 * One PWM_W32_<code> per code of PW_ERROR_LIST (portway/error.h);
 * pwm_win32_error is generated from that list, so a code added there
 * without a line here fails to compile ("PWM_W32_PW_E... undeclared").
 *
 * Entry points that give a code a more specific meaning override it at the
 * call site and say why (OpenPort: PW_ENOENT -> ERROR_UNKNOWN_PORT). */
#include "monitor/front.h"

#define PWM_W32_PW_OK ERROR_SUCCESS
#define PWM_W32_PW_ENOMEM ERROR_NOT_ENOUGH_MEMORY
#define PWM_W32_PW_EINVAL ERROR_INVALID_PARAMETER
#define PWM_W32_PW_ENOENT ERROR_FILE_NOT_FOUND
#define PWM_W32_PW_EEXIST ERROR_ALREADY_EXISTS
#define PWM_W32_PW_EBUSY ERROR_BUSY
#define PWM_W32_PW_EBADHANDLE ERROR_INVALID_HANDLE
/* A call out of order (WritePort without StartDocPort): the handle is fine,
 * the request is not - ERROR_INVALID_PARAMETER. */
#define PWM_W32_PW_ESTATE ERROR_INVALID_PARAMETER
#define PWM_W32_PW_EIO ERROR_WRITE_FAULT
#define PWM_W32_PW_ENOSPC ERROR_DISK_FULL
#define PWM_W32_PW_EACCES ERROR_ACCESS_DENIED
#define PWM_W32_PW_ENAMETOOLONG ERROR_FILENAME_EXCED_RANGE
#define PWM_W32_PW_ENOTSUP ERROR_NOT_SUPPORTED
#define PWM_W32_PW_ELEVEL ERROR_INVALID_LEVEL
#define PWM_W32_PW_EBADDATA ERROR_INVALID_DATA
#define PWM_W32_PW_ENOBUFS ERROR_INSUFFICIENT_BUFFER
#define PWM_W32_PW_EBADNAME ERROR_INVALID_NAME
#define PWM_W32_PW_EBADCONFIG ERROR_INVALID_DATA
/* A job poisoned by an earlier write failure: the device could not be
 * written, which is what ERROR_WRITE_FAULT says. ERROR_CANCELLED would
 * claim the user cancelled, which nobody did. */
#define PWM_W32_PW_EABORTED ERROR_WRITE_FAULT
/* ERROR_TIMEOUT is the error code; WAIT_TIMEOUT is a wait status. */
#define PWM_W32_PW_ETIMEDOUT ERROR_TIMEOUT
/* TCPMON's answer to an unknown Xcv command. */
#define PWM_W32_PW_ENOTFOUNDCMD ERROR_INVALID_PARAMETER
/* What cancelled I/O (CancelIoEx) answers. */
#define PWM_W32_PW_ECANCELED ERROR_OPERATION_ABORTED
#define PWM_W32_PW_ECONNREFUSED ERROR_CONNECTION_REFUSED
#define PWM_W32_PW_EHOSTUNREACH ERROR_HOST_UNREACHABLE
#define PWM_W32_PW_ENETUNREACH ERROR_NETWORK_UNREACHABLE
#define PWM_W32_PW_ECONNRESET ERROR_CONNECTION_ABORTED
#define PWM_W32_PW_ENOHOST WSAHOST_NOT_FOUND
#define PWM_W32_PW_EPROTO ERROR_BAD_NET_RESP
/* "The system cannot move the file to a different disk drive." */
#define PWM_W32_PW_EXDEV ERROR_NOT_SAME_DEVICE
#define PWM_W32_PW_EPORTGONE ERROR_UNKNOWN_PORT
/* TLS failed below the certificate check: the server's reply was not
 * usable. */
#define PWM_W32_PW_ETLS ERROR_BAD_NET_RESP
/* winerror.h's generic trust failure (an HRESULT, which SetLastError takes
 * as WinHTTP and Schannel callers see it). */
#define PWM_W32_PW_ECERT ((DWORD)TRUST_E_FAIL)
/* The printer refused what was asked of it. */
#define PWM_W32_PW_EREJECTED ERROR_INVALID_PRINTER_COMMAND

DWORD pwm_win32_error(int err) {
  switch (err) {
#define PWM_W32_CASE_(name, value, retry, text)                                \
  case name:                                                                   \
    return (DWORD)PWM_W32_##name;
    PW_ERROR_LIST(PWM_W32_CASE_)
#undef PWM_W32_CASE_
  default:
    /* Not a pw_err at all: fail, never report success. */
    return ERROR_GEN_FAILURE;
  }
}
