/* portway — UTF-16 (Win32) <-> UTF-8 (core) at the DLL boundary.
 *
 * Strings from the spooler are scanned with a bound, so a missing terminator
 * costs at most `cap` units of reading, and are decoded strictly by the
 * core's converter (unpaired surrogates are rejected, not replaced). */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "monitor/front.h"
#include "portway/utf.h"

_Static_assert(sizeof(WCHAR) == sizeof(uint16_t), "WCHAR is UTF-16");

int pwm_wide_to_utf8(const WCHAR *s, size_t cap, char **out) {
  *out = NULL;
  if (!s)
    return PW_EINVAL;
  size_t n = wcsnlen(s, cap);
  if (n == cap)
    return PW_ENAMETOOLONG;
  /* Copy into uint16_t storage: the core reads uint16_t, and WCHAR is a
   * different type to the compiler even though it has the same size. */
  uint16_t *units = malloc((n ? n : 1) * sizeof *units);
  if (!units)
    return PW_ENOMEM;
  memcpy(units, s, n * sizeof *units);
  int rc = pw_utf16_to_utf8(units, n, out);
  free(units);
  return rc;
}

int pwm_wide_to_utf8_opt(const WCHAR *s, size_t cap, char **out) {
  *out = NULL;
  return s ? pwm_wide_to_utf8(s, cap, out) : PW_OK;
}

int pwm_utf8_to_wide(const char *s, WCHAR **out, size_t *units) {
  uint16_t *w = NULL;
  size_t n = 0;
  *out = NULL;
  int rc = pw_utf8_to_utf16(s, &w, &n);
  if (rc != PW_OK)
    return rc;
  WCHAR *copy = malloc((n + 1) * sizeof *copy);
  if (!copy) {
    free(w);
    return PW_ENOMEM;
  }
  memcpy(copy, w, (n + 1) * sizeof *copy);
  free(w);
  *out = copy;
  if (units)
    *units = n;
  return PW_OK;
}
