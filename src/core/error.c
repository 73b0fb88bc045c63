/* portway — text for core error codes (see portway/error.h), and the
 * errbuf helpers (see core/errbuf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/errbuf.h"
#include "platform/platform.h"
#include "portway/error.h"

#include <stddef.h>

const char *pw_strerror(int err) {
  switch (err) {
#define PW_ERR_TEXT_(name, value, retry, text)                                 \
  case name:                                                                   \
    return text;
    PW_ERROR_LIST(PW_ERR_TEXT_)
#undef PW_ERR_TEXT_
  default:
    return "unknown error";
  }
}

const char *pw_errname(int err) {
  switch (err) {
#define PW_ERR_NAME_(name, value, retry, text)                                 \
  case name:                                                                   \
    return #name;
    PW_ERROR_LIST(PW_ERR_NAME_)
#undef PW_ERR_NAME_
  default:
    return "PW_E?";
  }
}

typedef struct err_retry {
  int code;
  int retry;
} err_retry;

static const err_retry retry_table[] = {
#define PW_ERR_RETRY_(name, value, retry, text) {name, retry},
    PW_ERROR_LIST(PW_ERR_RETRY_)
#undef PW_ERR_RETRY_
};

int pw_err_is_transient(int err) {
  for (size_t i = 0; i < sizeof retry_table / sizeof retry_table[0]; i++)
    if (retry_table[i].code == err)
      return retry_table[i].retry;
  return 0;
}

/* Lets -Wformat-nonliteral see that fmt is checked at the callers. */
#if defined(__GNUC__)
static void errbuf_vprintf(char *errbuf, size_t errlen, const char *fmt,
                           va_list ap) __attribute__((format(printf, 3, 0)));
#endif

static void errbuf_vprintf(char *errbuf, size_t errlen, const char *fmt,
                           va_list ap) {
  if (vsnprintf(errbuf, errlen, fmt, ap) < 0)
    errbuf[0] = '\0';
}

void pw_errbuf_printf(char *errbuf, size_t errlen, const char *fmt, ...) {
  if (!errbuf || errlen == 0 || !fmt)
    return;
  va_list ap;
  va_start(ap, fmt);
  errbuf_vprintf(errbuf, errlen, fmt, ap);
  va_end(ap);
}

void pw_errbuf_os(char *errbuf, size_t errlen, int err, const char *fmt, ...) {
  if (!errbuf || errlen == 0 || !fmt)
    return;
  /* Read the OS error first: formatting must not be able to change it. */
  pw_os_error os = pw_os_last_error();
  va_list ap;
  va_start(ap, fmt);
  errbuf_vprintf(errbuf, errlen, fmt, ap);
  va_end(ap);
  if (os.domain == PW_OSERR_NONE || os.err != err)
    return; /* no OS cause, or a stale one from an earlier failure */
  char text[PW_OS_ERROR_TEXT_MAX];
  pw_os_error_text(os, text, sizeof text);
  size_t used = strlen(errbuf);
  if (used + 1 < errlen)
    snprintf(errbuf + used, errlen - used, " (%s)", text);
}
