/* portwayui.dll — strings from the STRINGTABLE, UTF-8 <-> UTF-16, and the
 * server's or spooler's Win32 answers in words. */
#include <string.h>

#include "resource.h"
#include "ui.h"

void ui_string(wchar_t *out, size_t cap, UINT id, const wchar_t *const *args,
               size_t nargs) {
  if (!cap)
    return;
  out[0] = L'\0';
  const wchar_t *res = NULL;
  /* nBufferMax 0: a read-only pointer to the resource itself. */
  int len = LoadStringW(ui_hinst, id, (LPWSTR)&res, 0);
  if (len <= 0 || !res)
    return;
  size_t o = 0, a = 0;
  for (int i = 0; i < len && o + 1 < cap; i++) {
    if (res[i] == L'%' && i + 1 < len && res[i + 1] == L's') {
      const wchar_t *v = a < nargs && args[a] ? args[a] : L"";
      a++;
      i++;
      for (; *v && o + 1 < cap; v++)
        out[o++] = *v;
    } else {
      out[o++] = res[i];
    }
  }
  out[o] = L'\0';
}

int ui_to_utf8(const wchar_t *w, char *out, size_t cap) {
  if (!cap)
    return 0;
  out[0] = '\0';
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)cap, NULL, NULL);
  if (n <= 0) {
    out[0] = '\0';
    return 0;
  }
  return 1;
}

int ui_to_wide(const char *s, wchar_t *out, size_t cap) {
  if (!cap)
    return 0;
  out[0] = L'\0';
  int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, out, (int)cap);
  if (n <= 0) {
    out[0] = L'\0';
    return 0;
  }
  return 1;
}

void ui_error_text(DWORD code, wchar_t *out, size_t cap) {
  static const struct {
    DWORD code;
    UINT id;
  } words[] = {
      {ERROR_ACCESS_DENIED, IDS_ERR_ACCESS_DENIED},
      {ERROR_ALREADY_EXISTS, IDS_ERR_ALREADY_EXISTS},
      {ERROR_INVALID_NAME, IDS_ERR_INVALID_NAME},
      {ERROR_INVALID_DATA, IDS_ERR_INVALID_DATA},
      {ERROR_NOT_SUPPORTED, IDS_ERR_NOT_SUPPORTED},
      {ERROR_FILE_NOT_FOUND, IDS_ERR_FILE_NOT_FOUND},
      {ERROR_BUSY, IDS_ERR_BUSY},
      {ERROR_PRINTER_ALREADY_EXISTS, IDS_ERR_BUSY},
      {ERROR_UNKNOWN_PORT, IDS_ERR_UNKNOWN_PORT},
      {ERROR_INVALID_PRINTER_NAME, IDS_ERR_NO_MONITOR},
      {ERROR_UNKNOWN_PRINT_MONITOR, IDS_ERR_NO_MONITOR},
      {ERROR_CONNECTION_REFUSED, IDS_ERR_CONNECTION_REFUSED},
      {ERROR_TIMEOUT, IDS_ERR_TIMEOUT},
      {WAIT_TIMEOUT, IDS_ERR_TIMEOUT},
  };
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (words[i].code == code) {
      ui_string(out, cap, words[i].id, NULL, 0);
      return;
    }
  /* Anything else: the system's own words for it. */
  wchar_t sys[512];
  DWORD n =
      FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                     NULL, code, 0, sys, sizeof sys / sizeof sys[0], NULL);
  while (n && (sys[n - 1] == L'\n' || sys[n - 1] == L'\r' ||
               sys[n - 1] == L' ' || sys[n - 1] == L'.'))
    sys[--n] = L'\0';
  if (!n)
    ui_string(sys, sizeof sys / sizeof sys[0], IDS_ERR_INVALID_DATA, NULL, 0);
  const wchar_t *args[] = {sys};
  ui_string(out, cap, IDS_ERR_OTHER, args, 1);
}
