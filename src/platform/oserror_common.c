/* portway — the calling thread's last OS error, shared by both platform
 * backends (see oserror_common.h). */
#include "platform/oserror_common.h"

#include <stdio.h>
#include <string.h>

#include "platform/platform.h"

static _Thread_local pw_os_error last_error;

void pw_os_record(int domain, long code, int err) {
  pw_os_error rec = {domain, code, err};
  if (code == 0)
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

void pw_os_text_finish(char *buf, size_t len) {
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
  char msg[PW_OS_ERROR_TEXT_MAX * 3 + 1];
  char text[sizeof msg + 64];
  const char *label =
      e.domain == PW_OSERR_NONE ? NULL : pw_os_domain_label(e.domain);
  if (label) {
    pw_os_system_text(e.domain, e.code, msg, sizeof msg);
    pw_os_text_finish(msg, sizeof msg);
    if (msg[0])
      snprintf(text, sizeof text, "%s %ld: %s", label, e.code, msg);
    else
      snprintf(text, sizeof text, "%s %ld", label, e.code);
  } else if (e.domain == PW_OSERR_NONE) {
    snprintf(text, sizeof text, "no OS error");
  } else {
    /* A domain only the other platform produces. */
    snprintf(text, sizeof text, "OS error %ld (domain %d)", e.code, e.domain);
  }
  pw_os_text_finish(text,
                    len < PW_OS_ERROR_TEXT_MAX ? len : PW_OS_ERROR_TEXT_MAX);
  memcpy(buf, text, strlen(text) + 1);
}
