/* portway — internal: strict decoding of one UTF-8 sequence.
 * Shared by the UTF conversions, the URI/config parsers and the filename
 * sanitizer so that all of them agree on what "valid UTF-8" means. */
#ifndef PORTWAY_UTF8_DECODE_H
#define PORTWAY_UTF8_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* Decode the sequence at s (NUL-terminated, or bounded by avail bytes,
 * whichever comes first). Returns its length (1..4) and stores the code point
 * in *cp; returns 0 for NUL, a truncated sequence, an overlong form, a
 * surrogate, a value above U+10FFFF or a stray continuation byte. Never reads
 * past the first NUL or past avail. */
size_t pw_utf8_decode(const char *s, size_t avail, uint32_t *cp);

/* Bytes needed to encode cp (1..4), 0 if cp is not a Unicode scalar. */
size_t pw_utf8_encode(uint32_t cp, char *out);

#endif
