/* portway — Win32 error code -> pw_err, the one place the Win32 layer decides
 * what an OS failure means to the core. */
#include "platform/platform.h"
#include "platform/oserror_common.h"
#include "platform/win32/win32_internal.h"
#include "portway/error.h"

#ifndef ERROR_DISK_QUOTA_EXCEEDED /* missing from older mingw-w64 headers */
#define ERROR_DISK_QUOTA_EXCEEDED 1295L
#endif

/* Win32 and Winsock codes share one number space (winerror.h), so one
 * table maps both. */
static int map_code(DWORD code) {
  switch (code) {
  case ERROR_FILE_NOT_FOUND:
  case ERROR_PATH_NOT_FOUND:
  case ERROR_INVALID_DRIVE:
  case ERROR_BAD_NETPATH:
  case ERROR_BAD_NET_NAME:
  case ERROR_DIRECTORY: /* a path component is not a directory */
    return PW_ENOENT;
  case ERROR_FILE_EXISTS:
  case ERROR_ALREADY_EXISTS:
  case ERROR_DIR_NOT_EMPTY:
    return PW_EEXIST;
  case ERROR_ACCESS_DENIED:
  case ERROR_WRITE_PROTECT:
  case ERROR_NETWORK_ACCESS_DENIED:
  case ERROR_PRIVILEGE_NOT_HELD:
  case ERROR_NO_TOKEN: /* runas=user: the thread impersonates no one */
  case ERROR_CANNOT_MAKE:
    return PW_EACCES;
  case ERROR_SHARING_VIOLATION:
  case ERROR_LOCK_VIOLATION:
  case ERROR_BUSY:
    return PW_EBUSY;
  case ERROR_DISK_FULL:
  case ERROR_HANDLE_DISK_FULL:
  case ERROR_DISK_QUOTA_EXCEEDED:
    return PW_ENOSPC;
  case ERROR_FILENAME_EXCED_RANGE:
  case ERROR_BUFFER_OVERFLOW:
    return PW_ENAMETOOLONG;
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY:
  case ERROR_NO_SYSTEM_RESOURCES:
    return PW_ENOMEM;
  case ERROR_INVALID_NAME:
  case ERROR_BAD_PATHNAME:
  case ERROR_INVALID_PARAMETER:
  case ERROR_NO_UNICODE_TRANSLATION:
    return PW_EINVAL;
  case ERROR_NOT_SUPPORTED:
  case ERROR_INVALID_FUNCTION:
  case ERROR_CALL_NOT_IMPLEMENTED:
    return PW_ENOTSUP;
  case ERROR_NOT_SAME_DEVICE: /* MoveFileEx without COPY_ALLOWED: say so */
    return PW_EXDEV;
  case ERROR_SEM_TIMEOUT:
  case ERROR_TIMEOUT:
  case WAIT_TIMEOUT:
  case WSAETIMEDOUT:
  case WSATRY_AGAIN: /* the name server did not answer: worth retrying */
    return PW_ETIMEDOUT;
  case ERROR_OPERATION_ABORTED: /* CancelIoEx, or the thread exited */
  case ERROR_CANCELLED:
    return PW_ECANCELED;
  case ERROR_CONNECTION_REFUSED:
  case WSAECONNREFUSED:
    return PW_ECONNREFUSED;
  case ERROR_HOST_UNREACHABLE:
  case WSAEHOSTUNREACH:
  case WSAEHOSTDOWN:
    return PW_EHOSTUNREACH;
  case ERROR_NETWORK_UNREACHABLE:
  case WSAENETUNREACH:
  case WSAENETDOWN:
  case WSAEAFNOSUPPORT: /* an IPv6 address on a host without IPv6 */
    return PW_ENETUNREACH;
  case ERROR_CONNECTION_ABORTED:
  case ERROR_NETNAME_DELETED: /* the remote end closed the connection */
  case WSAECONNRESET:
  case WSAECONNABORTED:
  case WSAENETRESET: /* keepalive found the connection dead */
  case WSAENOTCONN:  /* the connection is gone (after a reset) */
    return PW_ECONNRESET;
  case WSAHOST_NOT_FOUND:
  case WSANO_DATA:
  case WSANO_RECOVERY: /* the name server said no for good */
    return PW_ENOHOST;
  case WSAENOBUFS: /* out of socket buffers */
    return PW_ENOMEM;
  case ERROR_BAD_NET_RESP:
    return PW_EPROTO;
  default:
    return PW_EIO;
  }
}

int pw_win32_err(DWORD code) {
  int err = map_code(code);
  pw_os_record(PW_OSERR_WIN32, (long)code, err);
  return err;
}

int pw_win32_last_err(void) {
  return pw_win32_err(GetLastError());
}

int pw_win32_wsa_err(int code) {
  int err = map_code((DWORD)code);
  pw_os_record(PW_OSERR_WSA, (long)code, err);
  return err;
}
