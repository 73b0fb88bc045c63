/* portway — internal: a growable NUL-terminated text buffer that remembers
 * allocation failure, so builders can append freely and check once. */
#ifndef PORTWAY_TEXTBUF_H
#define PORTWAY_TEXTBUF_H

#include <stddef.h>

typedef struct pw_textbuf {
  char *data; /* NUL-terminated once anything was added */
  size_t len, cap;
  int failed; /* an allocation failed; further appends are ignored */
} pw_textbuf;

void pw_textbuf_add(pw_textbuf *b, const char *s, size_t n);
void pw_textbuf_adds(pw_textbuf *b, const char *s);
void pw_textbuf_addc(pw_textbuf *b, char c);
/* Append s with everything outside the URI-safe set percent-encoded
 * (bytes >= 0x80 are kept: URIs here are UTF-8 text). */
void pw_textbuf_add_uri_encoded(pw_textbuf *b, const char *s);
/* Hand the text to the caller (*out, free()) and reset b. PW_OK or
 * PW_ENOMEM (b freed either way). */
int pw_textbuf_take(pw_textbuf *b, char **out);
void pw_textbuf_free(pw_textbuf *b);

#endif
