/* portway — what the Win32 side knows of OS errors: Win32 and Winsock
 * codes and their system messages (the rest is
 * platform/oserror_common.c). */
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

const char *pw_os_domain_label(int domain) {
  return domain == PW_OSERR_WIN32 ? "Win32 error"
         : domain == PW_OSERR_WSA ? "WSA error"
                                  : NULL;
}

void pw_os_system_text(int domain, long code, char *msg, size_t cap) {
  (void)domain; /* FormatMessage knows Win32 and Winsock codes alike */
  system_text((DWORD)code, msg, cap);
}
