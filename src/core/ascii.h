/* portway — internal: locale-independent ASCII helpers (the C library's
 * tolower/strcasecmp depend on the locale and on signedness of char). */
#ifndef PORTWAY_ASCII_H
#define PORTWAY_ASCII_H

#include <stddef.h>

static inline char pw_ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static inline char pw_ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static inline int pw_ascii_is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static inline int pw_ascii_is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* C0 controls and DEL (bytes; C1 controls are multi-byte in UTF-8). */
static inline int pw_ascii_is_control(char c) {
  unsigned char u = (unsigned char)c;
  return u < 0x20 || u == 0x7f;
}

/* Case-insensitive equality of a[0..n) with the NUL-terminated b. */
static inline int pw_ascii_ieq_n(const char *a, size_t n, const char *b) {
  for (size_t i = 0; i < n; i++) {
    if (b[i] == '\0' || pw_ascii_lower(a[i]) != pw_ascii_lower(b[i]))
      return 0;
  }
  return b[n] == '\0';
}

static inline int pw_ascii_ieq(const char *a, const char *b) {
  size_t n = 0;
  while (a[n] != '\0')
    n++;
  return pw_ascii_ieq_n(a, n, b);
}

/* strcmp-like ordering with ASCII letters folded (sorting port names). */
static inline int pw_ascii_icmp(const char *a, const char *b) {
  for (;; a++, b++) {
    int ca = (unsigned char)pw_ascii_lower(*a);
    int cb = (unsigned char)pw_ascii_lower(*b);
    if (ca != cb || ca == 0)
      return ca - cb;
  }
}

#endif
