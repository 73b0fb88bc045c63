/* portway — strict UTF-8 <-> UTF-16 conversion (see portway/utf.h). */
#include "portway/utf.h"

#include <limits.h>
#include <stdlib.h>

#include "portway/error.h"
#include "utf8_decode.h"

size_t pw_utf8_decode(const char *s, size_t avail, uint32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  if (avail == 0 || u[0] == 0)
    return 0;
  unsigned char b0 = u[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  uint32_t v;
  unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the 2nd byte */
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
    v = b0 & 0x1fu;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    v = b0 & 0x0fu;
    if (b0 == 0xe0)
      lo = 0xa0; /* overlong */
    else if (b0 == 0xed)
      hi = 0x9f; /* surrogates D800..DFFF */
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    v = b0 & 0x07u;
    if (b0 == 0xf0)
      lo = 0x90; /* overlong */
    else if (b0 == 0xf4)
      hi = 0x8f; /* above U+10FFFF */
  } else {
    return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
  }
  if (avail < len)
    return 0;
  /* Each byte is checked before the next is read, so a NUL (which is never
   * a continuation byte) stops the scan inside the string. */
  for (size_t i = 1; i < len; i++) {
    unsigned char b = u[i];
    unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xbf;
    if (b < min || b > max)
      return 0;
    v = (v << 6) | (b & 0x3fu);
  }
  *cp = v;
  return len;
}

size_t pw_utf8_encode(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xc0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp >= 0xd800 && cp <= 0xdfff)
    return 0;
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  if (cp <= 0x10ffff) {
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
  }
  return 0;
}

/* Validate UTF-8 and count the UTF-16 units it needs (no terminator). */
static int utf8_count_units(const char *s, size_t *units) {
  size_t n = 0;
  while (*s) {
    uint32_t cp;
    size_t len = pw_utf8_decode(s, SIZE_MAX, &cp);
    if (len == 0)
      return PW_EBADDATA;
    n += cp >= 0x10000 ? 2 : 1;
    s += len;
  }
  *units = n;
  return PW_OK;
}

/* Encode already validated UTF-8 as UTF-16 units, calling put for each. */
static void utf8_emit_units(const char *s, void (*put)(void *, uint16_t),
                            void *ctx) {
  while (*s) {
    uint32_t cp = 0;
    size_t len = pw_utf8_decode(s, SIZE_MAX, &cp);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(ctx, (uint16_t)(0xd800 | (cp >> 10)));
      put(ctx, (uint16_t)(0xdc00 | (cp & 0x3ff)));
    } else {
      put(ctx, (uint16_t)cp);
    }
    s += len;
  }
}

int pw_utf8_valid(const char *s) {
  size_t units;
  return s != NULL && utf8_count_units(s, &units) == PW_OK;
}

/* ---- UTF-16 -> UTF-8 ---- */

typedef uint16_t (*unit_reader)(const void *src, size_t i);

static uint16_t read_native(const void *src, size_t i) {
  return ((const uint16_t *)src)[i];
}

static uint16_t read_le_bytes(const void *src, size_t i) {
  const uint8_t *b = (const uint8_t *)src + 2 * i;
  return (uint16_t)(b[0] | (b[1] << 8));
}

/* Decode the code point at units[*i], advancing *i; 0 on error (NUL or an
 * unpaired surrogate). */
static uint32_t utf16_next(const void *src, unit_reader rd, size_t n,
                           size_t *i) {
  uint16_t u = rd(src, *i);
  if (u == 0)
    return 0;
  if (u >= 0xdc00 && u <= 0xdfff)
    return 0;
  if (u >= 0xd800 && u <= 0xdbff) {
    if (*i + 1 >= n)
      return 0;
    uint16_t lo = rd(src, *i + 1);
    if (lo < 0xdc00 || lo > 0xdfff)
      return 0;
    *i += 2;
    return 0x10000 + (((uint32_t)(u - 0xd800) << 10) | (uint32_t)(lo - 0xdc00));
  }
  *i += 1;
  return u;
}

static int utf16_convert(const void *src, unit_reader rd, size_t n,
                         char **out) {
  if (n > (SIZE_MAX - 1) / 3)
    return PW_ENOMEM; /* at most 3 bytes per unit; keeps the sum in range */
  size_t bytes = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp = utf16_next(src, rd, n, &i);
    if (cp == 0)
      return PW_EBADDATA;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  char *buf = malloc(bytes + 1);
  if (!buf)
    return PW_ENOMEM;
  size_t pos = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp = utf16_next(src, rd, n, &i);
    pos += pw_utf8_encode(cp, buf + pos);
  }
  buf[pos] = '\0';
  *out = buf;
  return PW_OK;
}

int pw_utf16_to_utf8(const uint16_t *s, size_t n, char **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (!s && n > 0)
    return PW_EINVAL;
  return utf16_convert(s, read_native, n, out);
}

int pw_utf16le_bytes_to_utf8(const uint8_t *buf, size_t len, char **out,
                             size_t *consumed) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (consumed)
    *consumed = 0;
  if (len % 2 != 0 || !buf)
    return PW_EBADDATA;
  size_t units = len / 2, n = 0;
  while (n < units && read_le_bytes(buf, n) != 0)
    n++;
  if (n == units)
    return PW_EBADDATA; /* no terminator inside the buffer */
  int rc = utf16_convert(buf, read_le_bytes, n, out);
  if (rc == PW_OK && consumed)
    *consumed = (n + 1) * 2;
  return rc;
}

/* ---- UTF-8 -> UTF-16 ---- */

typedef struct unit_sink {
  uint16_t *native;
  uint8_t *le;
  size_t pos;
} unit_sink;

static void put_native(void *ctx, uint16_t u) {
  unit_sink *k = ctx;
  k->native[k->pos++] = u;
}

static void put_le(void *ctx, uint16_t u) {
  unit_sink *k = ctx;
  k->le[2 * k->pos] = (uint8_t)(u & 0xff);
  k->le[2 * k->pos + 1] = (uint8_t)(u >> 8);
  k->pos++;
}

int pw_utf8_to_utf16(const char *s, uint16_t **out, size_t *out_units) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if (out_units)
    *out_units = 0;
  if (!s)
    return PW_EINVAL;
  size_t units;
  int rc = utf8_count_units(s, &units);
  if (rc != PW_OK)
    return rc;
  uint16_t *buf = malloc((units + 1) * sizeof *buf);
  if (!buf)
    return PW_ENOMEM;
  unit_sink sink = {buf, NULL, 0};
  utf8_emit_units(s, put_native, &sink);
  buf[units] = 0;
  *out = buf;
  if (out_units)
    *out_units = units;
  return PW_OK;
}

long pw_utf8_utf16le_size(const char *s) {
  if (!s)
    return PW_EINVAL;
  size_t units;
  int rc = utf8_count_units(s, &units);
  if (rc != PW_OK)
    return rc;
  if (units >= (size_t)LONG_MAX / 2)
    return PW_ENAMETOOLONG; /* only reachable where long is 32-bit */
  return (long)((units + 1) * 2);
}

int pw_utf8_to_utf16le_bytes(const char *s, uint8_t *out, size_t cap,
                             size_t *needed) {
  if (needed)
    *needed = 0;
  if (!s)
    return PW_EINVAL;
  size_t units;
  int rc = utf8_count_units(s, &units);
  if (rc != PW_OK)
    return rc;
  size_t size = (units + 1) * 2;
  if (needed)
    *needed = size;
  if (!out || cap < size)
    return PW_ENOBUFS;
  unit_sink sink = {NULL, out, 0};
  utf8_emit_units(s, put_le, &sink);
  out[2 * units] = 0;
  out[2 * units + 1] = 0;
  return PW_OK;
}
