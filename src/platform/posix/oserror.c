/* portway — the calling thread's last OS error and its text (POSIX side of
 * platform.h's "OS error text"). */
#define _POSIX_C_SOURCE 200809L /* the XSI strerror_r, returning int */

#include "platform/oserror_common.h"
#include "platform/platform.h"

#include <stdio.h>
#include <string.h>

#include "platform/posix/posix_internal.h"

void pw_os_error_text(pw_os_error e, char *buf, size_t len) {
  if (!buf || len == 0)
    return;
  char text[PW_OS_ERROR_TEXT_MAX * 2];
  if (e.domain == PW_OSERR_ERRNO) {
    char msg[PW_OS_ERROR_TEXT_MAX];
    if (strerror_r((int)e.code, msg, sizeof msg) != 0)
      msg[0] = '\0';
    msg[sizeof msg - 1] = '\0';
    if (msg[0])
      snprintf(text, sizeof text, "errno %ld: %s", e.code, msg);
    else
      snprintf(text, sizeof text, "errno %ld", e.code);
  } else if (e.domain == PW_OSERR_NONE) {
    snprintf(text, sizeof text, "no OS error");
  } else {
    /* Win32 and Winsock codes only come from the Windows platform layer. */
    snprintf(text, sizeof text, "OS error %ld (domain %d)", e.code, e.domain);
  }
  pw_os_text_finish(text,
                    len < PW_OS_ERROR_TEXT_MAX ? len : PW_OS_ERROR_TEXT_MAX);
  memcpy(buf, text, strlen(text) + 1);
}
