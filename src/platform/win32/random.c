/* portway — cryptographically strong random bytes on Win32 (system RNG). */
#include "platform/win32/win32_internal.h"

#include <bcrypt.h>

#include "platform/platform.h"
#include "portway/error.h"

int pw_random_bytes(void *buf, size_t len) {
  if (!buf && len)
    return PW_EINVAL;
  unsigned char *p = buf;
  while (len > 0) {
    ULONG chunk = (ULONG)(len < 0x40000000u ? len : 0x40000000u);
    if (!BCRYPT_SUCCESS(
            BCryptGenRandom(NULL, p, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
      return PW_EIO;
    p += chunk;
    len -= chunk;
  }
  return PW_OK;
}
