/* portway tests — scratch log files and reading log lines back, for the
 * log tests (test_log.c, test_log_field.c). */
#ifndef PORTWAY_TEST_LOGFIX_H
#define PORTWAY_TEST_LOGFIX_H

#include <stddef.h>

typedef struct scratch {
  char *dir;
  char path[1024]; /* <dir>/portway.log */
} scratch;

/* A fresh scratch directory with path = <dir>/portway.log; 0 on success. */
int scratch_open(scratch *s);
void scratch_close(scratch *s);
/* A whole file as a NUL-terminated string (free()), or NULL. */
char *slurp(const char *path);
int count_lines(const char *text);
/* Length of a well-formed "YYYY-MM-DD HH:MM:SS.mmm pid=N LEVEL " header
 * (label padded to 5) at the start of line, or 0. *pid gets N. */
size_t header_len(const char *line, const char *label, unsigned long *pid);
/* Offset of the message in a line of this process, or -1. */
int message_offset(const char *line, const char *level);

#endif
