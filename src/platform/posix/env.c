/* portway — POSIX: a copy of this process's environment (platform.h). */
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

extern char **environ;

char **pw_env_current(void) {
  size_t n = 0;
  while (environ && environ[n])
    n++;
  char **out = calloc(n + 1, sizeof *out);
  for (size_t i = 0; out && i < n; i++) {
    size_t len = strlen(environ[i]) + 1;
    if (!(out[i] = malloc(len))) {
      pw_env_free(out);
      return NULL;
    }
    memcpy(out[i], environ[i], len);
  }
  return out;
}

void pw_env_free(char **env) {
  for (size_t i = 0; env && env[i]; i++)
    free(env[i]);
  free(env);
}
