/* portway — making untrusted text into one safe file name
 * (pw_sanitize_component, pw_filename_is_safe; see portway/pattern.h). */
#include "filename.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "portway/pattern.h"
#include "utf8_decode.h"

int pw_filename_char_forbidden(uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
    return 1;
  switch (cp) {
  case '/':
  case '\\':
  case ':':
  case '<':
  case '>':
  case '"':
  case '|':
  case '?':
  case '*':
    return 1;
  default:
    return 0;
  }
}

int pw_is_dos_device_name(const char *name, size_t len) {
  /* Windows looks at the part before the first dot, ignoring trailing
   * spaces: "NUL", "nul.txt", "Nul  .tar.gz" all open the NUL device. */
  size_t n = 0;
  while (n < len && name[n] != '.')
    n++;
  while (n > 0 && name[n - 1] == ' ')
    n--;
  static const char *const plain[] = {"CON", "PRN",    "AUX",
                                      "NUL", "CONIN$", "CONOUT$"};
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
    if (pw_ascii_ieq_n(name, n, plain[i]))
      return 1;
  }
  if (n < 4 ||
      !(pw_ascii_ieq_n(name, 3, "COM") || pw_ascii_ieq_n(name, 3, "LPT")))
    return 0;
  if (n == 4)
    return pw_ascii_is_digit(name[3]);
  /* Superscript one, two, three (U+00B9, U+00B2, U+00B3) count as digits. */
  return n == 5 && (unsigned char)name[3] == 0xc2 &&
         ((unsigned char)name[4] == 0xb9 || (unsigned char)name[4] == 0xb2 ||
          (unsigned char)name[4] == 0xb3);
}

/* Drop the last (complete) UTF-8 sequence of out[0..*len). */
static void drop_last_char(const char *out, size_t *len) {
  if (*len == 0)
    return;
  (*len)--;
  while (*len > 0 && ((unsigned char)out[*len] & 0xc0) == 0x80)
    (*len)--;
}

void pw_sanitize_component(const char *in, char *out, size_t cap,
                           size_t max_bytes) {
  if (!out || cap == 0)
    return;
  size_t max = max_bytes < cap - 1 ? max_bytes : cap - 1;
  if (!in)
    in = "unknown";
  size_t o = 0;
  const char *p = in;
  while (*p) {
    uint32_t cp = 0;
    size_t n = pw_utf8_decode(p, SIZE_MAX, &cp);
    const char *src = "_";
    size_t slen = 1;
    if (n == 0) {
      n = 1; /* invalid byte: replace it alone and resynchronise */
    } else if (!pw_filename_char_forbidden(cp)) {
      src = p;
      slen = n;
    }
    p += n;
    if (o == 0 && slen == 1 && pw_is_dot_or_space(src[0]))
      continue; /* leading dots and spaces are dropped */
    if (o + slen > max)
      break; /* bounded without splitting a sequence */
    memcpy(out + o, src, slen);
    o += slen;
  }
  /* Windows strips trailing dots and spaces, so "x." would alias "x". */
  while (o > 0 && pw_is_dot_or_space(out[o - 1]))
    o--;
  if (o > 0 && pw_is_dos_device_name(out, o)) {
    while (o > 0 && o + 1 > max)
      drop_last_char(out, &o);
    while (o > 0 && pw_is_dot_or_space(out[o - 1]))
      o--;
    memmove(out + 1, out, o);
    out[0] = '_';
    o++;
  }
  if (o == 0 && max > 0)
    out[o++] = '_'; /* "", ".", ".." and all-junk input */
  out[o] = '\0';
}

int pw_filename_is_safe(const char *name) {
  if (!name)
    return 0;
  size_t len = 0;
  while (name[len] != '\0') {
    if (len >= PW_MAX_FILENAME)
      return 0;
    len++;
  }
  if (len == 0 || pw_is_dot_or_space(name[0]) ||
      pw_is_dot_or_space(name[len - 1]))
    return 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = pw_utf8_decode(name + i, len - i, &cp);
    if (n == 0 || pw_filename_char_forbidden(cp))
      return 0;
    i += n;
  }
  return !pw_is_dos_device_name(name, len);
}
