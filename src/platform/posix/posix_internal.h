/* portway — helpers shared by the POSIX platform files (not part of the
 * platform interface). */
#ifndef PORTWAY_POSIX_INTERNAL_H
#define PORTWAY_POSIX_INTERNAL_H

/* Map an errno value to a negative pw_err (PW_EIO for anything unexpected)
 * and record it as the thread's last OS error (pw_os_last_error). */
int pw_posix_err(int e);

/* Map a getaddrinfo result (EAI_*; sys_errno is errno after the call, for
 * EAI_SYSTEM) to a negative pw_err: a name that does not exist or has no
 * address is PW_ENOHOST, a name server that did not answer (EAI_AGAIN) is
 * PW_ETIMEDOUT (worth retrying). EAI_SYSTEM records errno; every other code
 * records "no OS error" for the result (EAI codes are no errno values). */
int pw_posix_gai_err(int eai, int sys_errno);

/* The descriptor behind a socket (for tests: close-on-exec, keepalive). */
struct pw_socket;
int pw_posix_socket_fd(const struct pw_socket *s);

#endif
