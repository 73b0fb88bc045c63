/* portway — one-line error reasons for callers' errbuf/errlen pairs. */
#ifndef PORTWAY_ERRBUF_H
#define PORTWAY_ERRBUF_H

#include <stddef.h>

#include "portway/error.h"

/* printf into errbuf[0..errlen) (truncating); does nothing when errbuf is
 * NULL or errlen 0, so every caller may pass its optional buffer on. */
void pw_errbuf_printf(char *errbuf, size_t errlen, const char *fmt, ...)
    PW_PRINTF(3, 4);

/* Like pw_errbuf_printf, for a failure `err` that a platform call returned:
 * when the calling thread's last OS error (pw_os_last_error) was the one
 * mapped to `err`, its text is appended in parentheses, e.g.
 *   "cannot create C:\Out\a.prn (Win32 error 112: There is not enough space
 *   on the disk)"
 * so an unusual OS code reaches the admin. Without a matching OS error
 * (none recorded, or one from an earlier, different failure) the result is
 * exactly pw_errbuf_printf's. Call it right after the failing call. */
void pw_errbuf_os(char *errbuf, size_t errlen, int err, const char *fmt, ...)
    PW_PRINTF(4, 5);

#endif
