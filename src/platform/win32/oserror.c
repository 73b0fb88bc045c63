/* portway — the calling thread's last OS error and its text (Win32 side of
 * platform.h's "OS error text"). */
#include "platform/oserror_common.h"
#include "platform/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/win32/win32_internal.h"
#include "portway/error.h"
#include "portway/utf.h"

/* The system's text for a Win32 or Winsock code, UTF-8, in msg[0..cap);
 * "" when the system has none. FormatMessageW into a fixed buffer: a
 * message longer than it fails and gives "" rather than a partial line. */
static void system_text(DWORD code, char *msg, size_t cap) {
  wchar_t wide[PW_OS_ERROR_TEXT_MAX];
  msg[0] = '\0';
  DWORD n =
      FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                     NULL, code, 0 /* the system's language search order */,
                     wide, (DWORD)(sizeof wide / sizeof wide[0]), NULL);
  if (n == 0)
    return;
  /* The core's strict converter, as for every other string (a message
   * that does not convert is left out rather than mangled). */
  char *utf8 = NULL;
  if (pw_utf16_to_utf8((const uint16_t *)(const void *)wide, n, &utf8) != PW_OK)
    return;
  size_t len = strlen(utf8);
  if (len > cap - 1)
    len = cap - 1; /* pw_os_text_finish cuts at a sequence boundary later */
  memcpy(msg, utf8, len);
  msg[len] = '\0';
  free(utf8);
}

void pw_os_error_text(pw_os_error e, char *buf, size_t len) {
  if (!buf || len == 0)
    return;
  char msg[PW_OS_ERROR_TEXT_MAX * 3 + 1];
  char text[sizeof msg + 64];
  const char *label = NULL;
  if (e.domain == PW_OSERR_WIN32)
    label = "Win32 error";
  else if (e.domain == PW_OSERR_WSA)
    label = "WSA error";
  if (label) {
    system_text((DWORD)e.code, msg, sizeof msg);
    pw_os_text_finish(msg, sizeof msg);
    if (msg[0])
      snprintf(text, sizeof text, "%s %ld: %s", label, e.code, msg);
    else
      snprintf(text, sizeof text, "%s %ld", label, e.code);
  } else if (e.domain == PW_OSERR_NONE) {
    snprintf(text, sizeof text, "no OS error");
  } else {
    /* errno values only come from the POSIX platform layer. */
    snprintf(text, sizeof text, "OS error %ld (domain %d)", e.code, e.domain);
  }
  pw_os_text_finish(text,
                    len < PW_OS_ERROR_TEXT_MAX ? len : PW_OS_ERROR_TEXT_MAX);
  memcpy(buf, text, strlen(text) + 1);
}
