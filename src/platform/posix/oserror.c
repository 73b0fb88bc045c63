/* portway — the calling thread's last OS error and its text (POSIX side of
 * platform.h's "OS error text"). */
#define _POSIX_C_SOURCE 200809L /* the XSI strerror_r, returning int */

#include "platform/platform.h"

#include <stdio.h>
#include <string.h>

#include "platform/posix/posix_internal.h"

static _Thread_local pw_os_error last_error;

void pw_posix_os_record(int e, int err) {
  pw_os_error rec = {PW_OSERR_ERRNO, e, err};
  if (e == 0)
    rec.domain = PW_OSERR_NONE; /* a failure the OS gave no cause for */
  last_error = rec;
}

pw_os_error pw_os_last_error(void) {
  return last_error;
}

void pw_os_error_clear(void) {
  pw_os_error none = {PW_OSERR_NONE, 0, 0};
  last_error = none;
}

/* Cut buf (NUL-terminated) to at most len - 1 bytes without splitting a
 * UTF-8 sequence, then drop trailing CR, LF, spaces and periods. */
static void finish_text(char *buf, size_t len) {
  size_t n = strlen(buf);
  if (n > len - 1) {
    n = len - 1;
    while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
      n--;
  }
  while (n > 0 && strchr("\r\n .", buf[n - 1]))
    n--;
  buf[n] = '\0';
}

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
  finish_text(text, len < PW_OS_ERROR_TEXT_MAX ? len : PW_OS_ERROR_TEXT_MAX);
  memcpy(buf, text, strlen(text) + 1);
}
