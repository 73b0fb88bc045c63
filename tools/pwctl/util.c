/* pwctl — helpers shared by the commands: name comparison, string building,
 * and the two winspool enumerations (ports, printers) with their sizing
 * loops. */
#include "pwctl.h"

#include <stdlib.h>
#include <wchar.h>

int pwctl_name_eq(const wchar_t *a, const wchar_t *b) {
  if (a == NULL || b == NULL)
    return 0;
  return CompareStringOrdinal(a, -1, b, -1, TRUE) == CSTR_EQUAL;
}

wchar_t *pwctl_concat(const wchar_t *first, ...) {
  va_list ap;
  size_t len = 0;
  const wchar_t *s;

  va_start(ap, first);
  for (s = first; s != NULL; s = va_arg(ap, const wchar_t *))
    len += wcslen(s);
  va_end(ap);

  wchar_t *out = malloc((len + 1) * sizeof(wchar_t));
  if (out == NULL)
    return NULL;
  wchar_t *p = out;
  va_start(ap, first);
  for (s = first; s != NULL; s = va_arg(ap, const wchar_t *)) {
    size_t n = wcslen(s);
    memcpy(p, s, n * sizeof(wchar_t));
    p += n;
  }
  va_end(ap);
  *p = L'\0';
  return out;
}

int pwctl_port_list_has(const wchar_t *list, const wchar_t *port) {
  /* PRINTER_INFO_2.pPortName may be "A:,B:" (printer pooling). */
  const wchar_t *p = list;
  size_t want = wcslen(port);
  if (list == NULL)
    return 0;
  while (*p != L'\0') {
    while (*p == L' ')
      p++;
    const wchar_t *end = wcschr(p, L',');
    size_t n = end != NULL ? (size_t)(end - p) : wcslen(p);
    size_t trimmed = n;
    while (trimmed > 0 && p[trimmed - 1] == L' ')
      trimmed--;
    if (trimmed == want && CompareStringOrdinal(p, (int)trimmed, port,
                                                (int)want, TRUE) == CSTR_EQUAL)
      return 1;
    if (end == NULL)
      break;
    p = end + 1;
  }
  return 0;
}

/* The usual winspool two-call protocol, repeated because the set can grow
 * between the sizing call and the fill call. */
typedef BOOL (*enum_fn)(void *ctx, BYTE *buf, DWORD cb, DWORD *needed,
                        DWORD *count);

static DWORD enum_into(enum_fn fn, void *ctx, BYTE **out, DWORD *count) {
  DWORD cb = 4096;
  *out = NULL;
  *count = 0;
  for (int attempt = 0; attempt < 8; attempt++) {
    BYTE *buf = malloc(cb);
    DWORD needed = 0, n = 0;
    if (buf == NULL)
      return ERROR_NOT_ENOUGH_MEMORY;
    SetLastError(ERROR_SUCCESS);
    if (fn(ctx, buf, cb, &needed, &n)) {
      *out = buf;
      *count = n;
      return ERROR_SUCCESS;
    }
    DWORD err = GetLastError();
    free(buf);
    if (err != ERROR_INSUFFICIENT_BUFFER)
      return err != ERROR_SUCCESS ? err : ERROR_GEN_FAILURE;
    cb = needed > cb ? needed : cb * 2;
  }
  return ERROR_INSUFFICIENT_BUFFER;
}

static BOOL enum_ports_fn(void *ctx, BYTE *buf, DWORD cb, DWORD *needed,
                          DWORD *count) {
  (void)ctx;
  return EnumPortsW(NULL, 2, buf, cb, needed, count);
}

static BOOL enum_printers_fn(void *ctx, BYTE *buf, DWORD cb, DWORD *needed,
                             DWORD *count) {
  (void)ctx;
  return EnumPrintersW(PRINTER_ENUM_LOCAL, NULL, 2, buf, cb, needed, count);
}

DWORD pwctl_enum_ports(PORT_INFO_2W **ports, DWORD *count) {
  BYTE *buf;
  DWORD err = enum_into(enum_ports_fn, NULL, &buf, count);
  *ports = (PORT_INFO_2W *)buf;
  return err;
}

DWORD pwctl_enum_printers(PRINTER_INFO_2W **printers, DWORD *count) {
  BYTE *buf;
  DWORD err = enum_into(enum_printers_fn, NULL, &buf, count);
  *printers = (PRINTER_INFO_2W *)buf;
  return err;
}
