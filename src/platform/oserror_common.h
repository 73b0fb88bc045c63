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

#endif
