/* portwayui.dll — the only way to the server: the spooler's public API,
 * OpenPrinter(",XcvMonitor NAME" / ",XcvPort NAME") + XcvData +
 * ClosePrinter (docs/xcv.md). XcvData's BOOL says the call reached the
 * monitor; the monitor's answer is its status. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui.h"

DWORD ui_xcv_open(const wchar_t *server, const wchar_t *kind,
                  const wchar_t *object, int allow_readonly, ui_xcv *x) {
  x->h = NULL;
  x->readonly = 0;
  wchar_t name[300];
  const wchar_t *pre = L"", *sep = L"";
  if (server && server[0]) {
    pre = server[0] == L'\\' ? L"" : L"\\\\";
    sep = L"\\";
  }
  size_t need = wcslen(pre) + (server ? wcslen(server) : 0) + wcslen(sep) +
                wcslen(kind) + wcslen(object) + 3;
  if (need > sizeof name / sizeof name[0])
    return ERROR_INVALID_NAME;
  name[0] = L'\0';
  wcscat(name, pre);
  if (server)
    wcscat(name, server);
  wcscat(name, sep);
  wcscat(name, L",");
  wcscat(name, kind);
  wcscat(name, L" ");
  wcscat(name, object);
  PRINTER_DEFAULTSW pd = {NULL, NULL, SERVER_ACCESS_ADMINISTER};
  if (OpenPrinterW(name, &x->h, &pd) && x->h)
    return ERROR_SUCCESS;
  DWORD err = GetLastError();
  x->h = NULL;
  if (err == ERROR_ACCESS_DENIED && allow_readonly) {
    /* A user without the right may still look (GetConfig, TestPort). */
    PRINTER_DEFAULTSW ro = {NULL, NULL, SERVER_READ};
    if (OpenPrinterW(name, &x->h, &ro) && x->h) {
      x->readonly = 1;
      return ERROR_SUCCESS;
    }
    err = GetLastError();
    x->h = NULL;
  }
  return err ? err : ERROR_GEN_FAILURE;
}

void ui_xcv_close(ui_xcv *x) {
  if (x->h)
    ClosePrinter(x->h);
  x->h = NULL;
}

DWORD ui_xcv_call(const ui_xcv *x, const wchar_t *cmd, const wchar_t *s1,
                  const wchar_t *s2, BYTE **out, DWORD *outlen, DWORD *status) {
  *status = ERROR_GEN_FAILURE;
  if (out) {
    *out = NULL;
    *outlen = 0;
  }
  wchar_t in[UI_NAME_MAX + PW_MAX_CONFIG_TEXT + 2];
  size_t n1 = s1 ? wcslen(s1) + 1 : 0, n2 = s2 ? wcslen(s2) + 1 : 0;
  if (n1 + n2 > sizeof in / sizeof in[0])
    return ERROR_INVALID_DATA;
  if (s1)
    memcpy(in, s1, n1 * sizeof(wchar_t));
  if (s2)
    memcpy(in + n1, s2, n2 * sizeof(wchar_t));
  DWORD cbin = (DWORD)((n1 + n2) * sizeof(wchar_t));
  BYTE *inp = cbin ? (BYTE *)in : NULL;
  DWORD needed = 0;
  if (!out) {
    BYTE none[4];
    if (!XcvDataW(x->h, cmd, inp, cbin, none, 0, &needed, status))
      return GetLastError() ? GetLastError() : ERROR_GEN_FAILURE;
    return ERROR_SUCCESS;
  }
  /* One call with room for any usual answer (TestPort connects each time
   * it is called, so it must not need a sizing call); a second one only
   * when the server says it needs more. */
  DWORD cap = 4096;
  for (int round = 0; round < 2; round++) {
    BYTE *buf = calloc(1, (size_t)cap + 2 * sizeof(wchar_t));
    if (!buf)
      return ERROR_NOT_ENOUGH_MEMORY;
    needed = 0;
    if (!XcvDataW(x->h, cmd, inp, cbin, buf, cap, &needed, status)) {
      DWORD err = GetLastError();
      free(buf);
      return err ? err : ERROR_GEN_FAILURE;
    }
    if (*status == ERROR_INSUFFICIENT_BUFFER && needed > cap && round == 0) {
      free(buf);
      cap = needed;
      continue;
    }
    *out = buf;
    *outlen = needed <= cap ? needed : cap;
    return ERROR_SUCCESS;
  }
  return ERROR_INSUFFICIENT_BUFFER;
}
