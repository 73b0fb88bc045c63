/* portway — growable text buffer (see textbuf.h). */
#include "textbuf.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "portway/error.h"

void pw_textbuf_add(pw_textbuf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (n >= b->cap - b->len || !b->data) {
    size_t need = b->len + n + 1;
    if (need < n) {
      b->failed = 1;
      return;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
      cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void pw_textbuf_adds(pw_textbuf *b, const char *s) {
  pw_textbuf_add(b, s, strlen(s));
}

void pw_textbuf_addc(pw_textbuf *b, char c) {
  pw_textbuf_add(b, &c, 1);
}

static int uri_char_raw(unsigned char c) {
  if (c >= 0x80 || pw_ascii_is_alpha((char)c) || pw_ascii_is_digit((char)c))
    return 1;
  return c != '\0' && strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

void pw_textbuf_add_uri_encoded(pw_textbuf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (uri_char_raw(*p)) {
      pw_textbuf_addc(b, (char)*p);
    } else {
      char esc[3] = {'%', hex[*p >> 4], hex[*p & 0x0f]};
      pw_textbuf_add(b, esc, 3);
    }
  }
}

int pw_textbuf_take(pw_textbuf *b, char **out) {
  if (!b->failed && !b->data)
    pw_textbuf_add(b, "", 0);
  if (b->failed) {
    pw_textbuf_free(b);
    *out = NULL;
    return PW_ENOMEM;
  }
  *out = b->data;
  memset(b, 0, sizeof *b);
  return PW_OK;
}

void pw_textbuf_free(pw_textbuf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}
