/* portway tests — log scratch files and line parsing (see logfix.h). */
#define _DEFAULT_SOURCE
#include "logfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memstore.h" /* test_tmpdir, test_rmtree, test_read_file */

int scratch_open(scratch *s) {
  s->dir = test_tmpdir("log");
  if (!s->dir)
    return -1;
  snprintf(s->path, sizeof s->path, "%s/portway.log", s->dir);
  return 0;
}

void scratch_close(scratch *s) {
  test_rmtree(s->dir);
  free(s->dir);
}

/* Whole log text (NUL-terminated, malloc'd) or NULL. */
char *slurp(const char *path) {
  char *data;
  long n = test_read_file(path, &data);
  if (n < 0)
    return NULL;
  data[n] = '\0';
  return data;
}

int count_lines(const char *text) {
  int n = 0;
  for (; text && *text; text++)
    n += *text == '\n';
  return n;
}

/* Length of a well-formed "YYYY-MM-DD HH:MM:SS.mmm pid=N LEVEL " header
 * (label padded to 5) at the start of line, or 0. *pid gets N. */
size_t header_len(const char *line, const char *label, unsigned long *pid) {
  static const char shape[] = "9999-99-99 99:99:99.999 pid="; /* 9: digit */
  size_t i = 0;
  for (; shape[i]; i++) {
    int ok = shape[i] == '9' ? line[i] >= '0' && line[i] <= '9'
                             : line[i] == shape[i];
    if (!ok)
      return 0;
  }
  size_t digits = strspn(line + i, "0123456789");
  if (digits == 0 || digits > 10)
    return 0;
  *pid = strtoul(line + i, NULL, 10);
  i += digits;
  char want[16];
  snprintf(want, sizeof want, " %-5s ", label);
  if (strncmp(line + i, want, strlen(want)) != 0)
    return 0;
  return i + strlen(want);
}

/* Offset of the message in a line of this process, or -1. */
int message_offset(const char *line, const char *level) {
  unsigned long pid = 0;
  size_t n = header_len(line, level, &pid);
  if (n == 0 || pid != (unsigned long)getpid())
    return -1;
  return (int)n;
}
