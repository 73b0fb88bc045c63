/* portway — helpers shared by the Win32 platform files (not part of the
 * platform interface). */
#ifndef PORTWAY_WIN32_INTERNAL_H
#define PORTWAY_WIN32_INTERNAL_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdint.h>

/* Map a Win32 error code (GetLastError, or a returned LSTATUS) to a
 * negative pw_err (PW_EIO if unexpected) and record it as the thread's last
 * OS error (pw_os_last_error). */
int pw_win32_err(DWORD code);
/* pw_win32_err(GetLastError()). */
int pw_win32_last_err(void);
/* The same for a Winsock code (WSAGetLastError()), recorded as such. */
int pw_win32_wsa_err(int code);
/* Record an OS error of `domain` (PW_OSERR_WIN32 / _WSA), mapped to err, as
 * the thread's last (code 0 records "none"). The mappers call it. */

/* Convert a UTF-8 path ('/' or '\' separators) to a newly allocated UTF-16
 * path for the *W file APIs (free with free()). Long paths get the \\?\ or
 * \\?\UNC\ prefix. PW_EINVAL for invalid UTF-8, PW_ENAMETOOLONG, PW_ENOMEM. */
int pw_win32_path(const char *path, wchar_t **out);

/* A Windows environment block (NAME=VALUE\0...\0\0) as pw_env_current's
 * UTF-8 array (entries that are not valid UTF-16 are left out); NULL when
 * out of memory. */
char **pw_win32_env_from_block(const wchar_t *block);

/* The primary token of a pw_user (user.c), for CreateProcessAsUserW. */
struct pw_user;
HANDLE pw_win32_user_token(const struct pw_user *u);

/* The SOCKET behind a socket, as an integer (for tests: inheritance,
 * keepalive); INVALID_SOCKET for NULL. */
struct pw_socket;
uintptr_t pw_win32_socket_handle(const struct pw_socket *s);

#endif
