/* portway — internal: the small string helpers every core file needs, in
 * one place (they used to be copied per file). */
#ifndef PORTWAY_STRUTIL_H
#define PORTWAY_STRUTIL_H

#include <stddef.h>

/* Newly allocated copy; NULL for NULL or when out of memory. */
char *pw_strdup(const char *s);
/* Copy into *out: PW_OK (NULL s gives *out = NULL) or PW_ENOMEM. */
int pw_strdup_to(const char *s, char **out);
/* "dir<sep>name" without doubling a separator dir already ends with
 * ("C:/", "/"); newly allocated, NULL if out of memory. */
char *pw_path_join(const char *dir, const char *name, char sep);
/* A decimal number of digits only (no sign, no spaces, not empty) at most
 * max, into *out: 1, else 0 (*out untouched). */
int pw_parse_ulong(const char *s, unsigned long max, unsigned long *out);

#endif
