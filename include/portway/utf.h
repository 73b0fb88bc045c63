/* portway — UTF-8 <-> UTF-16 conversion (portable; no Win32 types).
 *
 * Why here and not in the Windows front: Xcv buffers arrive as raw UTF-16LE
 * bytes and are decoded by the core, where native tests and fuzzers reach the
 * decoder. Both directions are strict: unpaired surrogates, overlong forms,
 * code points above U+10FFFF and embedded NULs are rejected with PW_EBADDATA.
 */
#ifndef PORTWAY_UTF_H
#define PORTWAY_UTF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Convert `n` UTF-16 code units (no terminator required, none counted) to a
 * newly allocated NUL-terminated UTF-8 string in *out (free with free()).
 * Returns PW_OK, PW_EBADDATA (invalid UTF-16 or a NUL unit inside the range)
 * or PW_ENOMEM. */
int pw_utf16_to_utf8(const uint16_t *s, size_t n, char **out);

/* Convert a NUL-terminated UTF-8 string to newly allocated NUL-terminated
 * UTF-16 in *out (free with free()); *out_units (may be NULL) receives the
 * number of units excluding the terminator. PW_OK, PW_EBADDATA, PW_ENOMEM. */
int pw_utf8_to_utf16(const char *s, uint16_t **out, size_t *out_units);

/* Decode a UTF-16LE byte buffer that must hold a NUL-terminated string within
 * its first `len` bytes: `len` must be even, the terminator must be present,
 * and nothing but the string may precede it. On success *out is UTF-8 (free())
 * and *consumed (may be NULL) is the number of bytes used including the
 * terminator, so callers can decode consecutive strings ("name\0text\0").
 * PW_EBADDATA for odd length, missing terminator, bad encoding. */
int pw_utf16le_bytes_to_utf8(const uint8_t *buf, size_t len, char **out,
                             size_t *consumed);

/* Number of bytes a UTF-8 string takes as NUL-terminated UTF-16LE, or a
 * negative pw_err if it is not valid UTF-8. */
long pw_utf8_utf16le_size(const char *s);

/* Encode a UTF-8 string as NUL-terminated UTF-16LE bytes into out[0..cap).
 * *needed always receives the size in bytes. PW_ENOBUFS if cap is too small
 * (nothing written), PW_EBADDATA on invalid UTF-8. */
int pw_utf8_to_utf16le_bytes(const char *s, uint8_t *out, size_t cap,
                             size_t *needed);

/* True if `s` is valid UTF-8 (no NUL inside, by construction). */
int pw_utf8_valid(const char *s);

#ifdef __cplusplus
}
#endif
#endif
