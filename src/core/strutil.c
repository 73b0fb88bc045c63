/* portway — small string helpers (see strutil.h). */
#include "core/strutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "portway/error.h"

char *pw_strdup(const char *s) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

int pw_strdup_to(const char *s, char **out) {
  *out = pw_strdup(s);
  return (s && !*out) ? PW_ENOMEM : PW_OK;
}

char *pw_path_join(const char *dir, const char *name, char sep) {
  size_t dlen = strlen(dir), nlen = strlen(name);
  size_t add = dlen > 0 && dir[dlen - 1] != '/' && dir[dlen - 1] != '\\';
  char *path = malloc(dlen + add + nlen + 1);
  if (!path)
    return NULL;
  memcpy(path, dir, dlen);
  if (add)
    path[dlen] = sep;
  memcpy(path + dlen + add, name, nlen + 1);
  return path;
}

int pw_parse_ulong(const char *s, unsigned long max, unsigned long *out) {
  unsigned long v = 0;
  if (!s || !*s)
    return 0;
  for (; *s; s++) {
    if (!pw_ascii_is_digit(*s))
      return 0;
    unsigned long d = (unsigned long)(*s - '0');
    if (v > (max - d) / 10)
      return 0; /* over max (also before any wrap-around) */
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}
