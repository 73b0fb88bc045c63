/* portway — Windows: a copy of this process's environment (platform.h),
 * from GetEnvironmentStringsW, as UTF-8 (and any environment block, for
 * user.c). Entries that are not valid UTF-16
 * are left out rather than mangled. */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "portway/error.h"
#include "portway/utf.h"

#include "platform/win32/win32_internal.h"

char **pw_win32_env_from_block(const wchar_t *block) {
  size_t n = 0;
  for (const wchar_t *p = block; *p; p += wcslen(p) + 1)
    n++;
  char **out = calloc(n + 1, sizeof *out);
  size_t k = 0;
  for (const wchar_t *p = block; out && *p; p += wcslen(p) + 1) {
    char *u = NULL;
    int rc = pw_utf16_to_utf8((const uint16_t *)p, wcslen(p), &u);
    if (rc == PW_ENOMEM) {
      pw_env_free(out);
      out = NULL;
    } else if (rc == PW_OK) {
      out[k++] = u;
    }
  }
  return out;
}

char **pw_env_current(void) {
  wchar_t *block = GetEnvironmentStringsW();
  if (!block)
    return NULL;
  char **out = pw_win32_env_from_block(block);
  FreeEnvironmentStringsW(block);
  return out;
}

void pw_env_free(char **env) {
  for (size_t i = 0; env && env[i]; i++)
    free(env[i]);
  free(env);
}
