/* portway — what the POSIX side knows of OS errors: errno and its
 * strerror text (the rest is platform/oserror_common.c). */
#define _POSIX_C_SOURCE 200809L /* the XSI strerror_r, returning int */

#include "platform/oserror_common.h"
#include "platform/platform.h"

#include <string.h>

const char *pw_os_domain_label(int domain) {
  return domain == PW_OSERR_ERRNO ? "errno" : NULL;
}

void pw_os_system_text(int domain, long code, char *msg, size_t cap) {
  (void)domain;
  if (strerror_r((int)code, msg, cap) != 0)
    msg[0] = '\0';
  msg[cap - 1] = '\0';
}
