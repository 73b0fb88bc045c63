/* portway — filling pw_printer_facts (bidi.h): the helpers every source of
 * facts uses (the IPP port's Get-Printer-Attributes, the PJL language
 * monitor's replies), so device text always reaches the spooler as clean
 * UTF-8 and consumable names always fit the schema's [Name]. */
#include <stdio.h>
#include <string.h>

#include "core/ascii.h"
#include "core/bidi.h"
#include "core/utf8_decode.h"

void pw_printer_facts_init(pw_printer_facts *f) {
  memset(f, 0, sizeof *f);
  f->state = PW_PRINTER_UNKNOWN;
  f->online = -1;
  f->accepting = -1;
  for (size_t i = 0; i < PW_BIDI_MAX_MARKERS; i++)
    f->markers[i].level = -1;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

char *pw_bidi_copy_text(char *dst, size_t cap, const char *src) {
  if (!dst || cap == 0)
    return dst;
  dst[0] = '\0';
  if (!src)
    return dst;
  while (is_space(*src))
    src++;
  size_t n = 0;
  while (*src) {
    uint32_t cp = 0;
    size_t len = pw_utf8_decode(src, 4, &cp);
    if (len == 0 || (len == 1 && pw_ascii_is_control(*src))) {
      if (n + 1 >= cap)
        break;
      dst[n++] = '?';
      src++;
      continue;
    }
    if (n + len >= cap)
      break; /* never half a character */
    memcpy(dst + n, src, len);
    n += len;
    src += len;
  }
  while (n > 0 && is_space(dst[n - 1]))
    n--;
  dst[n] = '\0';
  return dst;
}

char *pw_bidi_marker_name(char *dst, size_t cap, const char *src) {
  size_t n = 0, limit = cap < PW_BIDI_NAME_MAX ? cap : PW_BIDI_NAME_MAX;
  int word_start = 1;
  if (!dst || cap == 0)
    return dst;
  for (; src && *src && n + 1 < limit; src++) {
    char c = *src;
    if (!pw_ascii_is_alpha(c) && !pw_ascii_is_digit(c)) {
      word_start = 1;
      continue;
    }
    dst[n++] = word_start ? pw_ascii_upper(c) : c;
    word_start = 0;
  }
  dst[n] = '\0';
  return dst;
}

static int name_taken(const pw_printer_facts *f, const char *name) {
  for (size_t i = 0; i < f->nmarkers; i++)
    if (pw_ascii_ieq(f->markers[i].name, name))
      return 1;
  return 0;
}

int pw_printer_facts_add_marker(pw_printer_facts *f, const char *name,
                                const char *type, const char *color,
                                int level) {
  if (!f || f->nmarkers >= PW_BIDI_MAX_MARKERS)
    return 0;
  pw_marker *m = &f->markers[f->nmarkers];
  char base[PW_BIDI_NAME_MAX];
  pw_bidi_marker_name(base, sizeof base, name);
  if (!base[0])
    snprintf(base, sizeof base, "Marker%u", (unsigned)f->nmarkers + 1u);
  /* Unique: "BlackToner", "BlackToner2", ... (cut to leave room; at most
   * PW_BIDI_MAX_MARKERS names, so two digits always suffice). */
  memcpy(m->name, base, sizeof m->name);
  size_t len = strlen(base);
  if (len > PW_BIDI_NAME_MAX - 3)
    len = PW_BIDI_NAME_MAX - 3;
  for (unsigned k = 2; name_taken(f, m->name) && k < 100; k++) {
    char num[12];
    int w = snprintf(num, sizeof num, "%u", k);
    memcpy(m->name, base, len);
    memcpy(m->name + len, num, (size_t)w + 1);
  }
  pw_bidi_copy_text(m->type, sizeof m->type, type);
  pw_bidi_copy_text(m->color, sizeof m->color, color);
  m->level = level >= 0 && level <= 100 ? level : -1;
  f->nmarkers++;
  f->known |= PW_FACT_MARKERS;
  return 1;
}
