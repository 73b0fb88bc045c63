/* portway — the calling thread's last OS error and its text (Win32 side of
 * platform.h's "OS error text"). */
#include "platform/platform.h"

#include <stdio.h>
#include <string.h>

#include "platform/win32/win32_internal.h"

static _Thread_local pw_os_error last_error;

void pw_win32_os_record(int domain, long code, int err) {
  pw_os_error rec = {domain, code, err};
  if (code == 0)
    rec.domain = PW_OSERR_NONE; /* ERROR_SUCCESS is no cause */
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
 * UTF-8 sequence, then drop trailing CR, LF, spaces and periods (system
 * messages end in ".\r\n"). */
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
  /* Each UTF-16 unit becomes at most 3 UTF-8 bytes. */
  int got = WideCharToMultiByte(CP_UTF8, 0, wide, (int)n, msg, (int)cap - 1,
                                NULL, NULL);
  msg[got > 0 ? (size_t)got : 0] = '\0';
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
    finish_text(msg, sizeof msg);
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
  finish_text(text, len < PW_OS_ERROR_TEXT_MAX ? len : PW_OS_ERROR_TEXT_MAX);
  memcpy(buf, text, strlen(text) + 1);
}
