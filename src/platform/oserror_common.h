/* portway — internal to the platform layer: the part of "OS error text"
 * (platform.h) both backends share. Each backend maps its own codes and
 * writes its own message; recording and trimming are the same. */
#ifndef PORTWAY_OSERROR_COMMON_H
#define PORTWAY_OSERROR_COMMON_H

#include <stddef.h>

/* Remember the raw OS error a mapper turned into `err`, for this thread. A
 * code of 0 records "no OS error" (the OS gave no cause). */
void pw_os_record(int domain, long code, int err);
/* Cut buf (NUL-terminated) to at most len - 1 bytes without splitting a
 * UTF-8 sequence, then drop trailing CR, LF, spaces and periods (system
 * messages end in ".\r\n"). */
void pw_os_text_finish(char *buf, size_t len);

/* Backend: the label of an error domain this platform produces ("errno",
 * "Win32 error"), or NULL for a domain it never produces. */
const char *pw_os_domain_label(int domain);
/* Backend: the system's message for a code of such a domain, UTF-8, in
 * msg[0..cap); "" when the system has none. */
void pw_os_system_text(int domain, long code, char *msg, size_t cap);

#endif
